"""The student and instructor editions of the lesson notebooks.

Student: each exercise keeps its instructions and gets an empty answer cell (nbgrader's stub,
``raise NotImplementedError()``, tagged ``exercise-answer``); the solution blocks are gone, not
collapsed; the predict-first cells keep their code but lose their stored answers. Instructor:
the notebook as it is, with every solution block open and the teaching notes of
``teaching/<stem>.md`` (when that file exists) in a cell under the header.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from tools import fileio
from tools.editions import exercises as ex

ANSWER_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
# The lesson's note that its stored answers are showing: untrue once they are cleared.
ANSWERS_SHOWING_NOTE = re.compile(r"^> \*\*Before you start:\*\*.*?(?:\n\n|\Z)", re.S | re.M)
NO_NOTES = "no teaching notes yet"


def _markdown(
    source: str, like: nbformat.NotebookNode, cell_id: str, first: bool = False
) -> nbformat.NotebookNode:
    """A markdown cell with only the attachments of ``like`` its text uses.

    The first cell of the split takes ``like``'s metadata (its slide type); the others none.
    """
    cell = nbformat.v4.new_markdown_cell(source, id=cell_id)
    if first:
        cell.metadata = copy.deepcopy(like.metadata)
    used = {
        name: data
        for name, data in like.get("attachments", {}).items()
        if f"attachment:{name}" in source
    }
    if used:
        cell.attachments = copy.deepcopy(used)
    return cell


def answer_cell(stem: str, number: int, source: str = ANSWER_STUB) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=f"exercise-{number}-answer")
    cell.metadata["tags"] = [ex.ANSWER_TAG]
    cell.metadata["exercise"] = f"{stem}/exercise_{number}"
    return cell


def exercise_cells(
    notebook: nbformat.NotebookNode, parts: ex.ExerciseCell, answer
) -> list[nbformat.NotebookNode]:
    """Key points; per exercise its instructions and ``answer(exercise)``'s cells; the ending."""
    original = notebook.cells[parts.index]
    heading = "\n\n".join(part for part in (parts.before, ex.HEADING) if part)
    cells = [_markdown(heading, original, f"{original.id}-key-points", first=True)]
    for exercise in parts.exercises:
        cells.append(
            _markdown(exercise.instructions, original, f"exercise-{exercise.number}-instructions")
        )
        cells.extend(answer(exercise))
    if parts.after:
        cells.append(_markdown(parts.after, original, f"{original.id}-next"))
    return cells


def student_notebook(notebook: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """The student edition of one lesson notebook (a new object; ``notebook`` is unchanged)."""
    student = copy.deepcopy(notebook)
    predictions = ex.prediction_cells(student)
    for index in predictions:
        student.cells[index].outputs = []
        student.cells[index].execution_count = None
    for cell in student.cells if predictions else []:
        if cell.cell_type == "markdown":
            cell.source = ANSWERS_SHOWING_NOTE.sub("", cell.source)
    parts = ex.split_exercises(student, stem)
    replacement = exercise_cells(student, parts, lambda e: [answer_cell(stem, e.number)])
    student.cells[parts.index : parts.index + 1] = replacement
    return student


def teaching_notes(root: Path, stem: str) -> str:
    path = root / "teaching" / f"{stem}.md"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    return f"*{NO_NOTES.capitalize()}* (`teaching/{stem}.md` does not exist)."


def instructor_notebook(
    notebook: nbformat.NotebookNode, stem: str, root: Path
) -> nbformat.NotebookNode:
    """The instructor edition: every solution block open, teaching notes under the header."""
    instructor = copy.deepcopy(notebook)
    for cell in instructor.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(
                r"<details>(?=<summary>Show a solution)", "<details open>", cell.source
            )
    notes = nbformat.v4.new_markdown_cell(
        f"> **For the instructor** (this cell is only in the instructor edition)\n\n"
        f"{teaching_notes(root, stem)}",
        id="instructor-notes",
    )
    header = 1 if instructor.cells and "course:header" in instructor.cells[0].source else 0
    instructor.cells.insert(header, notes)
    return instructor


def lesson_paths(root: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))}


def build(root: Path, out: Path, edition: str) -> list[Path]:
    """Write one edition of every notebook into ``out/notebooks``; return the files written.

    The index notebook (00) has no exercises and is copied as it is, so that its links work.
    """
    written = []
    for stem, path in lesson_paths(root).items():
        notebook = nbformat.read(path, as_version=4)
        if stem.startswith("00_"):
            edition_notebook = notebook
        elif edition == "student":
            edition_notebook = student_notebook(notebook, stem)
        else:
            edition_notebook = instructor_notebook(notebook, stem, root)
        target = out / "notebooks" / path.name
        fileio.write_notebook(edition_notebook, target)
        written.append(target)
    return written
