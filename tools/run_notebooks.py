"""Execute the course's notebooks in quick mode and store their outputs.

    python tools/run_notebooks.py                       # every notebook in notebooks/
    python tools/run_notebooks.py notebooks/01_*.ipynb  # some of them

This is the only way outputs get into the repository. Each notebook runs top to bottom in
a fresh kernel from the folder it lives in, in quick mode, in this environment (the one the
tests use). Then:
- cells tagged ``nbval-ignore-output`` (training, timing, anything that depends on the data
  size) lose their outputs, so nothing stale is stored as if it had been checked; nbval
  still runs them;
- notebook metadata is normalised (kernelspec ``python3``, no widget state, no timings).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
IGNORE_TAG = "nbval-ignore-output"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CELL_METADATA_KEPT = {"tags", "slideshow", "jupyter", "editable", "deletable", "collapsed"}


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


def run(path: Path, timeout: int) -> float:
    notebook = nbformat.read(path, as_version=4)
    env_backup = dict(os.environ)
    os.environ["CNN_COURSE_QUICK"] = "1"
    os.environ.pop("CNN_COURSE_DATA", None)
    os.environ.pop("MPLBACKEND", None)  # Agg here would make the kernel drop figures
    start = time.perf_counter()
    try:
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        if cell.cell_type == "code" and IGNORE_TAG in cell.metadata.get("tags", []):
            cell.outputs = []
    normalise(notebook)
    nbformat.write(notebook, path)
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
