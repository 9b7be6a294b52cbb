"""The course's benchmark: every notebook in full mode, timed and weighed, and the recipe
experiments behind the lessons' choices. Run from the repository root:

    python -m tools.bench ...                     # the benchmark / reference run (run.py)
    python -m tools.bench.mnist_experiments ...   # MNIST recipes (notebooks 01, 02, 04)
    python -m tools.bench.fashion_experiments ... # Fashion-MNIST recipes (notebook 07)

One job per module:

- ``machine``: where a measurement was taken (CPU, cores, versions, load average, time);
- ``goals``: the course's goals on time, memory, accuracy and lesson length;
- ``networks``: every network trained outside the notebooks, one name each;
- ``recipes``: the data and the training recipes those networks are trained with;
- ``probes``: installed in a notebook's kernel, they time every fit and evaluation;
- ``notebooks``: runs one notebook with the probes and sums up what they saw;
- ``comparison`` (this process) and ``compare`` (a fresh process): the baseline recipes;
- ``make_test``: times ``make test`` and reads pytest's summary;
- ``tables``: number formats of the reports (tables themselves: ``tools.markdown.table``);
- ``results_report``: ``benchmarks/results.md``; ``fashion_report``: the Fashion-MNIST
  experiments' page (``mnist_experiments`` writes its own);
- ``run``: the benchmark's steps, in order.

Names: the networks are named as the notebooks name them (``dense30``, ``convnet02``,
``lenet5``, ``lenet5_classic`` for LeNet-5 as in 1998, ``compact07``, ``deep_fashion``);
"classic" means the 1998 LeNet-5 only. The recipes that the notebooks' recipes are measured
against (RMSprop defaults) are the *baseline* recipes.
"""
