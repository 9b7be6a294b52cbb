"""nbgrader, for real, on the course folder that ``python -m tools.editions nbgrader`` writes.

For every lesson: ``nbgrader generate_assignment``, then three submissions autograded by
``nbgrader autograde``: the course's own solutions pasted into the answer cells (full marks on
every autograded exercise), the released notebook untouched (zero on each), and, for notebook
03, one deliberately wrong answer (that exercise fails, the others pass). Each failure names
the notebook and the exercise. The run executes every notebook twice in quick mode (about
eight minutes on a busy 2-core machine), so it is opt-in: ``make grading-test``.

The fast tests at the bottom check the grading files themselves on every ``make test``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from tools import solutions as solutions_tool
from tools.editions import exercises as ex
from tools.editions import grading, nbgrader_course, student

ROOT = solutions_tool.ROOT
LESSONS = [s for s in student.lesson_paths(ROOT) if not s.startswith("00_")]
MNIST = ROOT.parent / "shared" / "data" / "mnist-10k"  # the offline machines' copy, if any
WRONG = {  # notebook 03, exercise 1 with 16 filters instead of 32: the parameter count is wrong
    "exercise_1": "exercise = keras.Sequential(\n"
    "    [keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(16, kernel_size=5)]\n)\n"
}


def autograded(course: Path, stem: str, student_name: str) -> dict[str, tuple[float, float]]:
    return grading.scores(course, stem, student_name)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    pytest.importorskip("nbgrader", reason="requirements-teaching.txt: run `make grading-test`")
    folder = tmp_path_factory.mktemp("nbgrader_course")
    data = os.environ.get("CNN_COURSE_DATA") or (str(MNIST) if MNIST.is_dir() else None)
    nbgrader_course.build(ROOT, folder, data=data)
    for stem in LESSONS:
        grading.nbgrader(folder, "generate_assignment", stem, "--force")
        released = grading.released(folder, stem)
        solutions = grading.with_answers(released, grading.solution_answers(ROOT, stem))
        grading.submit(folder, "solutions", stem, solutions)
        grading.submit(folder, "untouched", stem, released)
        if stem == "03_counting_parameters":
            grading.submit(folder, "wrong", stem, grading.with_answers(solutions, WRONG))
        grading.nbgrader(folder, "autograde", stem, "--create", "--force")
    return folder


@pytest.mark.grading
@pytest.mark.parametrize("stem", LESSONS)
def test_the_course_solutions_get_full_marks(course, stem):
    scores = autograded(course, stem, "solutions")
    assert scores, f"{stem}: no autograded exercise"
    short = {name: got for name, (got, most) in scores.items() if got != most}
    assert short == {}, f"{stem}: the course's solution loses marks on {sorted(short)}"


@pytest.mark.grading
@pytest.mark.parametrize("stem", LESSONS)
def test_an_untouched_notebook_gets_zero(course, stem):
    scores = autograded(course, stem, "untouched")
    given = {name: got for name, (got, _) in scores.items() if got != 0}
    assert given == {}, f"{stem}: an empty answer still scores on {sorted(given)}"


@pytest.mark.grading
def test_a_wrong_answer_fails_its_exercise_only(course):
    scores = autograded(course, "03_counting_parameters", "wrong")
    assert scores["exercise_1_tests"][0] == 0, "03 exercise 1: a wrong count was accepted"
    others = {n: s for n, s in scores.items() if n != "exercise_1_tests" and s[0] != s[1]}
    assert others == {}, f"03: a wrong exercise 1 also cost {sorted(others)}"


# ---- fast checks of the grading files (every make test) ----


@pytest.mark.parametrize("stem", LESSONS)
def test_every_exercise_has_its_grading_checks(stem):
    notebook = nbformat.read(student.lesson_paths(ROOT)[stem], as_version=4)
    numbers = [e.number for e in ex.split_exercises(notebook, stem).exercises]
    files = sorted(p.name for p in (nbgrader_course.CHECKS / stem).glob("exercise_*.py"))
    assert files == [f"exercise_{n}.py" for n in numbers]
    for number in numbers:
        check = nbgrader_course.read_check(nbgrader_course.CHECKS / stem / f"exercise_{number}.py")
        assert check.manual or ("### BEGIN HIDDEN TESTS" in check.tests) == (
            "### END HIDDEN TESTS" in check.tests
        )


def test_the_source_notebooks_carry_nbgrader_metadata():
    stem = "03_counting_parameters"
    notebook = nbformat.read(student.lesson_paths(ROOT)[stem], as_version=4)
    source = nbgrader_course.source_notebook(notebook, stem, ROOT)
    graded = [c for c in source.cells if "nbgrader" in c.metadata]
    kinds = [
        (c.metadata.nbgrader.grade_id, c.metadata.nbgrader.grade, c.metadata.nbgrader.solution)
        for c in graded
        if c.cell_type == "code"
    ]
    assert kinds == [
        ("exercise_1", False, True),
        ("exercise_1_tests", True, False),
        ("exercise_2", False, True),
        ("exercise_2_tests", True, False),
        ("exercise_3", False, True),
        ("exercise_3_tests", True, False),
    ]
    first = next(c for c in graded if c.metadata.nbgrader.grade_id == "exercise_1")
    code = (ROOT / "solutions" / stem / "exercise_1.py").read_text(encoding="utf-8").strip()
    assert f"### BEGIN SOLUTION\n{code}\n### END SOLUTION" in first.source
    assert all(c.metadata.nbgrader.schema_version == 3 for c in graded)


def test_a_malformed_checks_file_is_named(tmp_path):
    path = tmp_path / "exercise_1.py"
    path.write_text("# names: x\nassert x == 1\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"exercise_1.py: the first lines must include '# points: N'"
    ):
        nbgrader_course.read_check(path)
    path.write_text("# points: 1\n# manual: an essay\nassert x == 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="either '# manual: reason' or test code"):
        nbgrader_course.read_check(path)
    with pytest.raises(FileNotFoundError, match="every exercise needs one"):
        nbgrader_course.read_check(tmp_path / "exercise_9.py")
