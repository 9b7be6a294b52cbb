"""Run an edition's notebook top to bottom and report every error that is not allowed.

An exercise's answer cell (tag ``exercise-answer``) left as handed out raises
``NotImplementedError``, as nbgrader's stub does; that is the one error allowed, and only in
those cells. Any other error, anywhere, is reported with the cell and the exercise it belongs to.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.editions import exercises as ex

ALLOWED = "NotImplementedError"


def disallowed_errors(notebook: nbformat.NotebookNode) -> list[str]:
    """One line per error output that is not an answer cell's NotImplementedError."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        answer = ex.ANSWER_TAG in cell.metadata.get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if answer and output.get("ename") == ALLOWED:
                continue
            where = cell.metadata.get("exercise") or f"cell {index} ({cell.get('id')})"
            problems.append(f"{where}: {output.get('ename')}: {output.get('evalue')}")
    return problems


def execute(path: Path, timeout: int = 900, env: dict[str, str] | None = None):
    """Execute ``path`` in its own folder in quick mode; return the executed notebook.

    The kernel inherits this process's environment plus ``CNN_COURSE_QUICK=1`` and ``env``.
    """
    notebook = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.update({"CNN_COURSE_QUICK": "1", **(env or {})})
    try:
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook
