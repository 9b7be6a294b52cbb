"""Run nbgrader on the generated course: generate, submit, autograde, read the scores.

The test (tests/test_nbgrader.py) and a teacher's dry run use the same steps. nbgrader is run
as a command (``python -m nbgrader``) from the Python that runs this, with that Python's
``bin`` folder first on PATH (nbgrader calls ``alembic`` for its database).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from tools import fileio
from tools import solutions as solutions_tool
from tools.editions import exercises as ex


def nbgrader(course: Path, *arguments: str, timeout: int = 3600) -> None:
    """Run ``nbgrader <arguments>`` in ``course``; raise with its output when it fails."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *arguments],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    # nbgrader logs a notebook it could not process as "[<App> | ERROR]" and may still exit 0.
    if result.returncode != 0 or "| ERROR]" in result.stderr:
        raise RuntimeError(f"nbgrader {' '.join(arguments)} failed:\n{result.stderr[-4000:]}")


def released(course: Path, stem: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)


def answer_cells(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """{"exercise_1": cell, ...}: the code answer cells of a released notebook."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.cell_type == "code" and ex.ANSWER_TAG in cell.metadata.get("tags", [])
    }


def with_answers(notebook, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the released notebook with the given answer cells' code replaced."""
    submission = nbformat.from_dict(notebook)
    cells = answer_cells(submission)
    unknown = sorted(set(answers) - set(cells))
    if unknown:
        raise KeyError(f"no answer cell {', '.join(unknown)}; the notebook has {sorted(cells)}")
    for grade_id, code in answers.items():
        cells[grade_id].source = code
    return submission


def solution_answers(root: Path, stem: str) -> dict[str, str]:
    """The course's own solutions, as a student would paste them into the answer cells."""
    files = solutions_tool.solution_files(root, stem)
    return {name: path.read_text(encoding="utf-8") for name, path in files.items()}


def submit(course: Path, student: str, stem: str, notebook) -> None:
    fileio.write_notebook(notebook, course / "submitted" / student / stem / f"{stem}.ipynb")


def scores(course: Path, stem: str, student: str) -> dict[str, tuple[float, float]]:
    """{grade_id: (autograded score, max score)} of the autograded test cells."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(stem, stem, student)
        return {
            grade.name: (grade.auto_score, grade.max_score)
            for grade in notebook.grades
            if grade.cell.cell_type == "code"
            and grade.auto_score is not None
            and grade.name.endswith("_tests")
        }
