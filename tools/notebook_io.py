"""The one way the tools read, normalise, write and execute notebooks.

- ``read(path)``: nbformat 4, as every tool sees a notebook;
- ``normalise(notebook)``: what differs between machines and runs is stripped (kernelspec
  ``python3``, no widget state, no timings, consecutive stream outputs joined) and every cell
  gets its id from its position, ``cell-000``, ``cell-001``, ... (the one id scheme: a re-run
  or a regeneration changes no line it need not);
- ``write(notebook, path)``: normalised, then written through ``tools.fileio`` (a temporary
  file renamed onto the notebook, so a full disk never leaves half a notebook);
- ``execute(notebook, folder, timeout, env)``: a fresh kernel started in ``folder``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from tools import fileio

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "name": "python",
    "pygments_lexer": "ipython3",
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "version": "3.11",
}
FINGERPRINT_KEY = "fingerprint"  # see tools/reference_outputs.py
CELL_METADATA_KEPT = {
    "tags", "slideshow", "jupyter", "editable", "deletable", "collapsed", "alt",
    FINGERPRINT_KEY
}
NOTEBOOK_METADATA_KEPT = ("colab", "course")


def read(path: Path | str) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def cell_id(position: int) -> str:
    """The id of the cell at ``position`` (counted from 0)."""
    return f"cell-{position:03d}"


def new_cell(kind: str, source: str) -> nbformat.NotebookNode:
    """A new markdown or code cell; its id is given by ``normalise`` when it is written."""
    if kind == "code":
        return nbformat.v4.new_code_cell(source)
    return nbformat.v4.new_markdown_cell(source)


def new_notebook(cells: list) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    notebook.cells = cells
    number_cells(notebook)
    return notebook


def number_cells(notebook: nbformat.NotebookNode) -> None:
    for position, cell in enumerate(notebook.cells):
        cell.id = cell_id(position)


def normalise(notebook: nbformat.NotebookNode) -> None:
    """Strip what differs between machines and runs; keep what the course uses."""
    language = notebook.metadata.get("language_info", {})
    version = ".".join(language.get("version", LANGUAGE_INFO["version"]).split(".")[:2])
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNELSPEC,
            "language_info": {**LANGUAGE_INFO, "version": version},
            **{k: v for k, v in notebook.metadata.items() if k in NOTEBOOK_METADATA_KEPT},
        }
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in CELL_METADATA_KEPT}
        )
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(drop_widget_views(cell.outputs))
    number_cells(notebook)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widget_views(outputs: list) -> list:
    """Remove live widget views; the explorers' PNG and text stay.

    A view stored without its widget state shows "Loading widget..." and then an error when
    the notebook is opened again, and nothing at all on GitHub or in ``make html``.
    """
    for output in outputs:
        if WIDGET_VIEW in output.get("data", {}):
            del output["data"][WIDGET_VIEW]
    return [o for o in outputs if o.get("output_type") != "display_data" or o.get("data")]


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


def write(notebook: nbformat.NotebookNode, path: Path | str) -> None:
    """Normalise ``notebook`` and write it to ``path`` atomically."""
    normalise(notebook)
    fileio.write_notebook(notebook, path)


def execute(notebook: nbformat.NotebookNode, folder: Path, timeout: int, env: dict) -> None:
    """Run ``notebook`` in place in a fresh kernel started in ``folder``, with ``env`` set."""
    from nbclient import NotebookClient

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
