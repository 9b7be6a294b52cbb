"""Editions of the course for teachers, built from the notebooks and ``solutions/``.

    python -m tools.editions student      # _build/student/: no solutions, exercise cells to fill
    python -m tools.editions instructor   # _build/instructor/: solutions open, teaching notes
    python -m tools.editions nbgrader     # _build/nbgrader/: an nbgrader course folder
    python -m tools.editions links --hub https://hub.example.edu   # classroom links

The notebooks stay the one source: each edition is regenerated from them, never edited.
``exercises`` finds the parts every edition treats differently (the exercises with their
solution blocks, the "predict first" cells), ``student`` and ``instructor`` write those two
editions, ``nbgrader_course`` the grading course with the checks in ``checks/``, ``links``
the nbgitpuller and Binder links.
"""
