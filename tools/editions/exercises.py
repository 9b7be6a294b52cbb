"""Find what the editions change: the exercises, their solution blocks, the predict-first cells.

Every lesson ends with one markdown cell holding its key points and, under ``## Exercises``,
the exercises: ``**k.** instructions``, then a ``<details><summary>Show a solution</summary>``
block (prose, and the code that ``tools.solutions`` renders between its markers), and after the
last block a closing paragraph ("Next: ..."). ``split_exercises`` cuts that cell into those
parts; nothing here writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat

HEADING = "## Exercises"
START = re.compile(r"^\*\*(\d+)\.\*\*", re.MULTILINE)
DETAILS = re.compile(r"<details><summary>Show a solution</summary>.*?</details>\n?", re.DOTALL)
# A predict-first cell: the learner replaces None by a guess; the stored output is the answer.
PREDICTION = re.compile(r"^my_prediction = None\b", re.MULTILINE)
# The tag the editions put on an exercise's answer cell (the runner allows its NotImplementedError).
ANSWER_TAG = "exercise-answer"


@dataclass(frozen=True)
class Exercise:
    number: int
    instructions: str  # "**k.** ..." without the solution block
    solution: str  # the whole <details> block: prose and rendered code


@dataclass(frozen=True)
class ExerciseCell:
    index: int  # position of the cell in the notebook
    before: str  # what precedes "## Exercises" in the cell (the key points)
    exercises: list[Exercise]
    after: str  # the closing paragraph


def exercise_cell_index(notebook: nbformat.NotebookNode, name: str) -> int:
    """The position of the one markdown cell with the exercises; a clear error otherwise."""
    found = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and re.search(rf"^{HEADING}$", cell.source, re.MULTILINE)
    ]
    if len(found) != 1:
        raise ValueError(
            f"{name}: expected exactly one markdown cell with a '{HEADING}' line,"
            f" found {len(found)}"
        )
    return found[0]


def split_exercises(notebook: nbformat.NotebookNode, name: str) -> ExerciseCell:
    """Cut the exercise cell into key points, exercises (instructions + solution) and ending."""
    index = exercise_cell_index(notebook, name)
    source = notebook.cells[index].source
    head, _, body = source.partition(f"{HEADING}\n")
    starts = [match.start() for match in START.finditer(body)]
    if not starts:
        raise ValueError(f"{name}: no '**1.**' exercise under '{HEADING}'")
    exercises = []
    ends = starts[1:] + [len(body)]
    after = ""
    for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1):
        text = body[start:end]
        found = int(START.match(text).group(1))
        if found != number:
            raise ValueError(f"{name}: exercise {found} where exercise {number} was expected")
        blocks = list(DETAILS.finditer(text))
        if len(blocks) != 1:
            raise ValueError(
                f"{name}: exercise {number} has {len(blocks)} solution blocks, expected 1"
            )
        block = blocks[0]
        instructions = text[: block.start()].rstrip() + "\n"
        tail = text[block.end() :].strip()
        if tail and end != len(body):
            raise ValueError(f"{name}: text between exercise {number}'s solution and the next")
        if end == len(body):
            after = tail
        exercises.append(Exercise(number, instructions, block.group(0)))
    return ExerciseCell(index, head.rstrip(), exercises, after)


def prediction_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """Positions of the predict-first code cells (``my_prediction = None``)."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and PREDICTION.search(cell.source)
    ]
