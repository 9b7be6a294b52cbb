"""Execute the course's notebooks in quick mode and store the outputs nbval checks.

    python -m tools.run_notebooks                       # every notebook in notebooks/
    python -m tools.run_notebooks notebooks/01_*.ipynb  # some of them

Outputs get into the repository in two ways only, both from committed scripts:
- this script (``make notebooks``) runs each notebook top to bottom in a fresh kernel from
  the folder it lives in, in quick mode, in this environment (the one the tests use), and
  stores the outputs of the cells nbval compares (the deterministic ones);
- cells tagged ``nbval-ignore-output`` (training, timing, anything that depends on the data
  size) keep what the last full reference run stored (``make reference``, i.e.
  ``python -m tools.bench --store``), together with the fingerprint that says what produced it
  (see ``tools/reference_outputs.py``): a quick run never overwrites them. If their code
  changed, this script says so; ``make reference`` refreshes them.

Steps, per notebook: read it, remember the outputs of its unchecked cells, execute it in quick
mode, put those outputs back, write it (normalised and atomically, ``tools.notebook_io``),
then say which stored outputs no longer match their code (``tools.reference_outputs``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tools import notebook_io
from tools.layout import lessons, notebook_folder
from tools.notebook_io import FINGERPRINT_KEY
from tools.reference_outputs import describe_stale, is_unchecked, stale_cells


def run(path: Path, timeout: int) -> float:
    """Quick-mode run of one notebook; unchecked cells keep the reference run's outputs."""
    notebook = notebook_io.read(path)
    kept = {
        index: (cell.outputs, cell.execution_count, cell.metadata.get(FINGERPRINT_KEY))
        for index, cell in enumerate(notebook.cells)
        if is_unchecked(cell)
    }
    start = time.perf_counter()
    notebook_io.execute(notebook, path.parent, timeout, {"CNN_COURSE_QUICK": "1"})
    seconds = time.perf_counter() - start
    for index, (outputs, count, fingerprint) in kept.items():
        cell = notebook.cells[index]
        cell.outputs, cell.execution_count = outputs, count
        cell.metadata.pop(FINGERPRINT_KEY, None)
        if fingerprint is not None:
            cell.metadata[FINGERPRINT_KEY] = fingerprint
    notebook_io.write(notebook, path)
    stale = stale_cells(notebook)
    if stale:
        print(describe_stale(path.name, stale), file=sys.stderr, flush=True)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or lessons(notebook_folder())
    for path in paths:
        seconds = run(path.resolve(), args.timeout)
        print(f"{path.name}: executed in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
