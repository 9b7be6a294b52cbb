"""Execute the course's notebooks in quick mode and store the outputs nbval checks.

    python -m tools.run_notebooks                       # every notebook in notebooks/
    python -m tools.run_notebooks notebooks/01_*.ipynb  # some of them

Outputs get into the repository in two ways only, both from committed scripts:
- this script (``make notebooks``) runs each notebook top to bottom in a fresh kernel from
  the folder it lives in, in quick mode, in this environment (the one the tests use), and
  stores the outputs of the cells nbval compares (the deterministic ones);
- cells tagged ``nbval-ignore-output`` (training, timing, anything that depends on the data
  size) keep what the last full reference run stored (``make reference``, i.e.
  ``tools/benchmark.py --store``), together with the fingerprint that says what produced it
  (see ``tools/reference_outputs.py``): a quick run never overwrites them. If their code
  changed, this script says so; ``make reference`` refreshes them.

Either way, notebook metadata is normalised (kernelspec ``python3``, no widget state, no
timings) and the file is replaced atomically.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools import fileio
from tools.reference_outputs import (
    FINGERPRINT_KEY,
    describe_stale,
    is_unchecked,
    stale_cells,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CELL_METADATA_KEPT = {
    "tags", "slideshow", "jupyter", "editable", "deletable", "collapsed", "alt", FINGERPRINT_KEY
}


def normalise(notebook: nbformat.NotebookNode) -> None:
    """Strip what differs between machines and runs; keep what the course uses."""
    language = notebook.metadata.get("language_info", {})
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNELSPEC,
            "language_info": {
                "name": "python",
                "pygments_lexer": "ipython3",
                "file_extension": ".py",
                "mimetype": "text/x-python",
                "version": ".".join(language.get("version", "3.11").split(".")[:2]),
            },
            **{k: v for k, v in notebook.metadata.items() if k in ("colab", "course")},
        }
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for index, cell in enumerate(notebook.cells):
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEPT}
        )
        cell.id = f"cell-{index:03d}"  # stable ids: a re-run changes no line it need not
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs into one, as nbval compares them.

    A training log printed line by line then stores as one block rather than one output per
    line: smaller and easier to read in a diff.
    """
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
            continue
        joined.append(output)
    return joined


def execute(notebook: nbformat.NotebookNode, folder: Path, timeout: int, env: dict) -> None:
    """Run ``notebook`` in place in a fresh kernel started in ``folder``, with ``env`` set."""
    env_backup = dict(os.environ)
    os.environ.update(env)
    os.environ.pop("MPLBACKEND", None)  # Agg here would make the kernel drop figures
    if os.environ.get("CNN_COURSE_QUICK") == "1":
        os.environ.pop("CNN_COURSE_DATA", None)  # quick mode reads the shipped samples only
    try:
        NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
            record_timing=False,
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)


def write_atomically(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Normalise and write ``notebook`` to ``path`` through a temporary file and a rename."""
    normalise(notebook)
    fileio.write_notebook(notebook, path)


def run(path: Path, timeout: int) -> float:
    """Quick-mode run of one notebook; unchecked cells keep the reference run's outputs."""
    notebook = nbformat.read(path, as_version=4)
    kept = {
        index: (cell.outputs, cell.execution_count, cell.metadata.get(FINGERPRINT_KEY))
        for index, cell in enumerate(notebook.cells)
        if is_unchecked(cell)
    }
    start = time.perf_counter()
    execute(notebook, path.parent, timeout, {"CNN_COURSE_QUICK": "1"})
    seconds = time.perf_counter() - start
    for index, (outputs, count, fingerprint) in kept.items():
        cell = notebook.cells[index]
        cell.outputs, cell.execution_count = outputs, count
        cell.metadata.pop(FINGERPRINT_KEY, None)
        if fingerprint is not None:
            cell.metadata[FINGERPRINT_KEY] = fingerprint
    write_atomically(notebook, path)
    stale = stale_cells(notebook)
    if stale:
        print(describe_stale(path.name, stale), file=sys.stderr, flush=True)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        seconds = run(path.resolve(), args.timeout)
        print(f"{path.name}: executed in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
