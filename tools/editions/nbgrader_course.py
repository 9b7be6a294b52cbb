"""An nbgrader course folder built from the lessons, ``solutions/`` and ``checks/``.

    _build/nbgrader/nbgrader_config.py
    _build/nbgrader/source/<stem>/<stem>.ipynb     # one assignment per lesson notebook

In each source notebook, every exercise becomes nbgrader cells: its instructions (locked), an
answer cell holding the course's solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` (nbgrader replaces it by ``raise NotImplementedError()`` for students), and
a locked test cell with ``checks/<stem>/exercise_<k>.py`` (autograded), or, for an exercise
marked ``# manual:``, an answer cell graded by hand. ``# explain:`` adds a markdown answer
cell graded by hand. The teacher then runs ``nbgrader generate_assignment`` and ``autograde``
in that folder (TEACHING.md).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from tools import fileio
from tools import solutions as solutions_tool
from tools.editions import exercises as ex
from tools.editions import student as student_edition

CHECKS = Path(__file__).resolve().parent / "checks"
SCHEMA = 3
DIRECTIVE = re.compile(r"^# (points|names|manual|explain): (.*)$")


@dataclass(frozen=True)
class Check:
    points: int
    names: str  # what the answer must define ("" for manual exercises)
    manual: str  # why it is graded by hand ("" when autograded)
    explain: str  # the written question graded by hand ("" for none)
    tests: str  # the test cell's code ("" for manual exercises)


def read_check(path: Path) -> Check:
    """Parse one checks file: directive comment lines first, then the test code."""
    if not path.is_file():
        raise FileNotFoundError(f"no grading checks {path}: every exercise needs one")
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[str, str] = {}
    while lines and (match := DIRECTIVE.match(lines[0])):
        found[match.group(1)] = match.group(2).strip()
        lines.pop(0)
    tests = "\n".join(lines).strip()
    if "points" not in found or not found["points"].isdigit():
        raise ValueError(f"{path}: the first lines must include '# points: N' (a whole number)")
    if bool(found.get("manual")) == bool(tests):
        raise ValueError(f"{path}: give either '# manual: reason' or test code, not both or none")
    return Check(
        int(found["points"]),
        found.get("names", ""),
        found.get("manual", ""),
        found.get("explain", ""),
        tests,
    )


def _grading(cell, grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA,
        "solution": solution,
    }
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def model_answer(exercise: ex.Exercise) -> str:
    """The prose of the exercise's solution block, without its code: what a grader reads."""
    prose = solutions_tool.BLOCK.sub("", exercise.solution)
    prose = re.sub(r"</?details>|<summary>.*?</summary>", "", prose)
    return re.sub(r"\n{3,}", "\n\n", prose).strip() or "(see the solution code)"


def exercise_cells(stem: str, exercise: ex.Exercise, code: str) -> list:
    """The nbgrader cells of one exercise after its instructions."""
    check = read_check(CHECKS / stem / f"exercise_{exercise.number}.py")
    grade_id = f"exercise_{exercise.number}"
    names = f"# Define: {check.names}\n" if check.names else ""
    source = f"{names}### BEGIN SOLUTION\n{code.strip()}\n### END SOLUTION"
    answer = student_edition.answer_cell(stem, exercise.number, source)
    if check.manual:
        cells = [
            _grading(answer, grade_id, grade=True, solution=True, locked=False, points=check.points)
        ]
    else:
        tests = nbformat.v4.new_code_cell(check.tests, id=f"exercise-{exercise.number}-tests")
        cells = [
            _grading(answer, grade_id, grade=False, solution=True, locked=False),
            _grading(
                tests,
                f"{grade_id}_tests",
                grade=True,
                solution=False,
                locked=True,
                points=check.points,
            ),
        ]
    if check.explain:
        written = nbformat.v4.new_markdown_cell(
            f"**Exercise {exercise.number}, in words:** {check.explain}\n\n"
            f"### BEGIN SOLUTION\n{model_answer(exercise)}\n### END SOLUTION",
            id=f"exercise-{exercise.number}-explain",
        )
        cells.append(
            _grading(
                written, f"{grade_id}_explain", grade=True, solution=True, locked=False, points=1
            )
        )
    return cells


def source_notebook(notebook: nbformat.NotebookNode, stem: str, root: Path):
    """The nbgrader source version of one lesson (``notebook`` itself is unchanged)."""
    source = copy.deepcopy(notebook)
    files = solutions_tool.solution_files(root, stem)
    parts = ex.split_exercises(source, stem)

    def cells(exercise: ex.Exercise) -> list:
        name = f"exercise_{exercise.number}"
        if name not in files:
            raise FileNotFoundError(f"no solutions/{stem}/{name}.py for {stem}'s exercise")
        return exercise_cells(stem, exercise, files[name].read_text(encoding="utf-8"))

    new_cells = student_edition.exercise_cells(source, parts, cells)
    for cell in new_cells:
        if cell.get("id", "").endswith("-instructions"):
            _grading(cell, cell.id, grade=False, solution=False, locked=True)
    source.cells[parts.index : parts.index + 1] = new_cells
    return source


CONFIG = """\
# nbgrader configuration of the course, written by `python -m tools.editions nbgrader`.
# The grading kernel inherits this environment: quick mode (seconds per notebook, the
# course's small data samples) unless CNN_COURSE_QUICK is already set, and the data folder
# given when the course was built, if any.
import os

c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = "keras-cnn-course"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.ExecutePreprocessor.timeout = {timeout}
c.Execute.timeout = {timeout}
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
os.environ.setdefault("CNN_COURSE_QUICK", "1")
{data}"""


def build(root: Path, out: Path, data: str | None = None, timeout: int = 900) -> list[Path]:
    """Write the nbgrader course folder into ``out``; return the files written."""
    data_line = f'os.environ.setdefault("CNN_COURSE_DATA", {data!r})\n' if data else ""
    config = out / "nbgrader_config.py"
    fileio.write_text(config, CONFIG.format(timeout=timeout, data=data_line))
    written = [config]
    for stem, path in student_edition.lesson_paths(root).items():
        if stem.startswith("00_"):
            continue
        notebook = source_notebook(nbformat.read(path, as_version=4), stem, root)
        target = out / "source" / stem / path.name
        fileio.write_notebook(notebook, target)
        written.append(target)
    return written
