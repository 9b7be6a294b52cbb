"""The student, instructor and link editions (tools/editions): what each keeps and removes.

The student edition must not contain any text of a solution: a line of ``solutions/``, a line of
a solution block's prose, or a predict-first cell's stored answer, anywhere in the notebook file
(sources, outputs, metadata, attachments). A line also found in the rest of the lesson (a
``keras.Input(shape=(28, 28, 1)),`` line, say) is not a leak and is not looked for.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

from tools import solutions as solutions_tool
from tools.editions import exercises as ex
from tools.editions import links, run, student

ROOT = solutions_tool.ROOT
LESSONS = {s: p for s, p in student.lesson_paths(ROOT).items() if not s.startswith("00_")}
SHORTEST = 12  # shorter lines ("plt.show()", ")") say nothing about a solution


def all_strings(value) -> list[str]:
    """Every string in a notebook's JSON: sources, outputs, metadata, attachments."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *all_strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return []


def without_solutions(notebook) -> str:
    """The lesson's text that is not a solution: solution blocks and predict answers removed."""
    stripped = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in stripped.cells:
        if cell.cell_type == "markdown":
            cell.source = ex.DETAILS.sub("", cell.source)
    for index in ex.prediction_cells(stripped):
        stripped.cells[index].outputs = []
    return "\n".join(all_strings(stripped))


def solution_texts(notebook, stem: str) -> dict[str, list[str]]:
    """{where: [lines only a solution has]} for one lesson."""
    rest = without_solutions(notebook)
    found: dict[str, list[str]] = {}

    def keep(where: str, text: str) -> None:
        lines = {line.strip() for line in text.splitlines()}
        found[where] = sorted(line for line in lines if len(line) >= SHORTEST and line not in rest)

    for name, path in solutions_tool.solution_files(ROOT, stem).items():
        keep(f"solutions/{stem}/{name}.py", path.read_text(encoding="utf-8"))
    for exercise in ex.split_exercises(notebook, stem).exercises:
        keep(f"solution block of exercise {exercise.number}", exercise.solution)
    for index in ex.prediction_cells(notebook):
        outputs = notebook.cells[index].outputs
        keep(f"stored answer of predict cell {index}", "\n".join(all_strings(outputs)))
    return found


def leaks(notebook, texts: dict[str, list[str]]) -> list[str]:
    everything = "\n".join(all_strings(notebook))
    return [
        f"{where}: {line!r}"
        for where, lines in texts.items()
        for line in lines
        if line in everything
    ]


@pytest.mark.parametrize("stem", LESSONS)
def test_the_student_edition_contains_no_solution_text(stem):
    original = nbformat.read(LESSONS[stem], as_version=4)
    texts = solution_texts(original, stem)
    # Every solution has text of its own to look for, and the original notebook shows it all:
    # the search can fail.
    assert all(texts.values()), {where: lines for where, lines in texts.items() if not lines}
    assert len(leaks(original, texts)) == sum(len(lines) for lines in texts.values())
    edition = student.student_notebook(original, stem)
    assert leaks(edition, texts) == []
    assert "<details" not in "\n".join(all_strings(edition))


@pytest.mark.parametrize("stem", LESSONS)
def test_the_student_edition_keeps_everything_else(stem):
    original = nbformat.read(LESSONS[stem], as_version=4)
    edition = student.student_notebook(original, stem)
    parts = ex.split_exercises(original, stem)
    predictions = set(ex.prediction_cells(original))
    for index in range(parts.index):  # the lesson, cell for cell
        mine, theirs = edition.cells[index], original.cells[index]
        if index in predictions:
            assert mine.outputs == [] and mine.source == theirs.source
        elif student.ANSWERS_SHOWING_NOTE.search(theirs.source) and predictions:
            # the note that answers are showing goes, with the answers; the rest stays
            assert mine.source == student.ANSWERS_SHOWING_NOTE.sub("", theirs.source)
            assert "already showing" not in mine.source and len(mine.source) > 100
        else:
            assert mine == theirs, f"cell {index} changed"
    added = len(edition.cells) - len(original.cells)
    assert edition.cells[parts.index + added + 1 :] == original.cells[parts.index + 1 :]
    answers = [c for c in edition.cells if ex.ANSWER_TAG in c.metadata.get("tags", [])]
    assert [c.source for c in answers] == [student.ANSWER_STUB] * len(parts.exercises)
    for exercise in parts.exercises:
        assert any(c.source == exercise.instructions for c in edition.cells)


def test_a_solution_block_left_in_the_student_edition_is_caught():
    stem = "03_counting_parameters"
    original = nbformat.read(LESSONS[stem], as_version=4)
    edition = student.student_notebook(original, stem)
    stray = ex.split_exercises(original, stem).exercises[1].solution
    edition.metadata["stray"] = stray
    found = leaks(edition, solution_texts(original, stem))
    assert "solution block of exercise 2" in "\n".join(found)
    assert "solutions/03_counting_parameters/exercise_2.py" in "\n".join(found)
    assert leaks(student.student_notebook(original, stem), solution_texts(original, stem)) == []


def test_the_exercise_cell_must_be_found_and_well_formed():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# no exercises")])
    with pytest.raises(ValueError, match="exactly one markdown cell with a '## Exercises'"):
        ex.split_exercises(notebook, "99_empty")
    notebook.cells[0].source = "## Exercises\n**1.** Do it.\n\n**3.** And this."
    with pytest.raises(ValueError, match="99_bad: exercise 1 has 0 solution blocks"):
        ex.split_exercises(notebook, "99_bad")


def test_the_instructor_edition_opens_solutions_and_adds_teaching_notes(tmp_path):
    stem = "06_pooling"
    original = nbformat.read(LESSONS[stem], as_version=4)
    without = student.instructor_notebook(original, stem, tmp_path)
    assert student.NO_NOTES in without.cells[1].source.lower()
    text = "\n".join(c.source for c in without.cells)
    assert text.count("<details open><summary>Show a solution") == 3
    assert "<details><summary>Show a solution" not in text
    (tmp_path / "teaching").mkdir()
    (tmp_path / "teaching" / f"{stem}.md").write_text("Run section 3 live.\n", encoding="utf-8")
    noted = student.instructor_notebook(original, stem, tmp_path)
    assert "Run section 3 live." in noted.cells[1].source
    assert noted.cells[0] == original.cells[0] and noted.cells[2:] == without.cells[2:]


def test_runner_allows_only_not_implemented_in_answer_cells():
    answer = student.answer_cell("01_x", 1)
    answer.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="")]
    other = nbformat.v4.new_code_cell("1 / 0")
    other.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="x")]
    stray = nbformat.v4.new_code_cell("raise NotImplementedError()")
    stray.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="")]
    notebook = nbformat.v4.new_notebook(cells=[answer, other, stray])
    assert run.disallowed_errors(notebook) == [
        f"cell 1 ({other.id}): ZeroDivisionError: x",
        f"cell 2 ({stray.id}): NotImplementedError: ",
    ]


def test_nbgitpuller_and_binder_links():
    link = links.nbgitpuller_link(
        "https://hub.example.edu", "owner/course", "main", "notebooks/01_a.ipynb"
    )
    parsed = urlparse(link)
    assert (parsed.netloc, parsed.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parsed.query) == {
        "repo": ["https://github.com/owner/course"],
        "branch": ["main"],
        "urlpath": ["lab/tree/course/notebooks/01_a.ipynb"],
    }
    binder = urlparse(links.binder_link("owner/course", "v1.0", "notebooks/01_a.ipynb"))
    assert binder.path == "/v2/gh/owner/course/v1.0"
    assert parse_qs(binder.query) == {"urlpath": ["lab/tree/notebooks/01_a.ipynb"]}


def test_the_hub_comes_from_the_argument_or_the_manifest(tmp_path):
    (tmp_path / "course.toml").write_text('[classroom]\nhub = "https://hub.school.org/"\n')
    assert links.hub_address(tmp_path, None) == "https://hub.school.org"
    assert links.hub_address(tmp_path, "https://other.org") == "https://other.org"
    with pytest.raises(ValueError, match=r"--hub: got 'hub.org', expected the hub's address"):
        links.hub_address(tmp_path, "hub.org")
    (tmp_path / "course.toml").write_text("")
    assert links.hub_address(tmp_path, None) is None
    page = links.links_page(ROOT, "https://hub.example.edu")
    assert len(re.findall(r"git-pull\?repo=", page)) == len(LESSONS)


@pytest.mark.grading
@pytest.mark.parametrize("stem", LESSONS)
def test_the_student_edition_runs_top_to_bottom(stem, tmp_path):
    """Quick mode; the only error allowed is an untouched answer cell's NotImplementedError."""
    path = tmp_path / f"{stem}.ipynb"
    nbformat.write(student.student_notebook(nbformat.read(LESSONS[stem], as_version=4), stem), path)
    executed = run.execute(path)
    assert run.disallowed_errors(executed) == []
    raised = [
        c
        for c in executed.cells
        if any(o.get("ename") == run.ALLOWED for o in c.get("outputs", []))
    ]
    assert len(raised) == len(
        ex.split_exercises(nbformat.read(LESSONS[stem], as_version=4), stem).exercises
    )
