"""The course's maintenance tools, run from the repository root as ``python -m tools.<name>``.

The Makefile calls each one; ``tools/README.md`` lists them and the order they run in.
Learners never import this package: the notebooks use ``helpers`` only.
"""
