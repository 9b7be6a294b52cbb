"""Numbers the prose quotes from a notebook's own run equal what its stored outputs show.

Convention 6: ``<!-- from-output: LABEL -->VALUE<!-- /from-output -->`` in markdown quotes the
value a code cell of the same notebook prints as ``LABEL: VALUE``; the reference run
(``make reference``) fills them in. And in the notebooks that train, a figure that looks like
a result of the run (a percentage with two decimals, a time with decimals, a number of
seconds) may appear in prose only between such markers, or in a paragraph or table that
names its source (a ``benchmarks/`` file; a publication: a year, "et al.", arXiv, "§").
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tools import reference_outputs as ro

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_marked_numbers_equal_the_stored_outputs(path):
    problems = ro.prose_problems(_load(path))
    assert not problems, (
        f"{path.name}: prose and stored outputs disagree: {problems}. Run `make reference`"
        " (it fills the marked values from the outputs)."
    )


@pytest.mark.parametrize("name", ro.QUOTING_RESULTS)
def test_results_are_quoted_only_through_markers(name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    if not path.exists():
        pytest.skip(f"{path.name} does not exist")
    found = ro.unmarked_figures(_load(path))
    assert not found, (
        f"{path.name}: figures of the notebook's own run in prose without"
        " <!-- from-output: LABEL --> markers (or a cited source in the same paragraph):"
        f" {found}"
    )


# --------------------------------------------------------------------------- the mechanism


def _notebook(printed: list[str], prose: str) -> dict:
    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(...)")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="".join(f"{t}\n" for t in printed))
    ]
    notebook.cells = [code, nbformat.v4.new_markdown_cell(prose)]
    return notebook


PROSE = "It reached <!-- from-output: test accuracy -->97.00%<!-- /from-output --> on the test."


def test_fill_writes_the_printed_value_and_then_the_check_passes():
    notebook = _notebook(["training accuracy: 99.10%", "test accuracy:     97.71%,"], PROSE)
    assert ro.prose_problems(notebook) == [
        "cell 1, 'test accuracy': prose says '97.00%', output '97.71%'"
    ]
    assert ro.fill_prose(notebook) == []
    assert notebook.cells[1].source == PROSE.replace("97.00%", "97.71%")
    assert ro.prose_problems(notebook) == []


def test_a_label_printed_twice_or_never_is_an_error():
    twice = _notebook(["test accuracy: 97.71%", "dense test accuracy: 92.00%"], PROSE)
    (problem,) = ro.prose_problems(twice)
    assert "printed 2 times" in problem
    assert ro.fill_prose(twice) and twice.cells[1].source == PROSE  # left as it was
    never = _notebook(["Epoch 1/2"], PROSE)
    (problem,) = ro.prose_problems(never)
    assert "no printed line says 'test accuracy: …'" in problem


def test_a_label_glued_to_a_longer_word_is_not_that_label():
    printed = ["best-test accuracy: 10%", "pretest accuracy: 11%", "test accuracy: 97.71%"]
    notebook = _notebook(printed, PROSE)
    assert ro.printed_value(notebook, "test accuracy") == ("97.71%", None)


def _prose(text: str) -> list[str]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(text)]
    return ro.unmarked_figures(notebook)


@pytest.mark.parametrize(
    "text",
    [
        "The network scored 92.63% on the test set.",
        "This cell took 4.7 minutes on the reference machine.",
        "The training cell took 280 s for 8 epochs.",
        "| compact | 2.9 min | 92.69% |",
    ],
)
def test_unmarked_results_are_found(text):
    assert _prose(text)


@pytest.mark.parametrize(
    "text",
    [
        "It scored <!-- from-output: test accuracy -->92.63%<!-- /from-output -->.",
        "Training took <!-- from-output: training time -->41<!-- /from-output --> s.",
        "LeNet-5 misclassified 0.95% of the test digits (LeCun et al., 1998).",
        "The paper's 0.95% error came from all 60,000 images (§III-C).",
        "| design | time |\n|---|---|\n| deep | 5.1 min |\n"
        "\u00b9 [runs](benchmarks/recipe_experiments.md)",
        "Measured by the benchmark (`benchmarks/mnist_experiments.md`): the run took 5.1 min.",
        "It took <!-- from-results: deep reference seconds -->82<!-- /from-results --> s"
        " ([results](benchmarks/results.md)).",
        "Accuracy goes from 98% to 99%; the target is 92.5% in at most 5 minutes.",
        "A filter with −1s on the left and 0s in the middle.",
        "Print it with `f'{seconds:6.1f} s'` or\n```python\nprint(f'{acc:.2%}')  # 97.71%\n```",
    ],
)
def test_marked_cited_rounded_and_code_figures_pass(text):
    assert _prose(text) == []


def test_the_generated_header_is_not_prose_to_check():
    assert _prose("<!-- course:header -->\n# 07\n\nabout 4.7 minutes of computing") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_prose_line_starts_with_a_marker(path):
    """A markdown line that starts with ``<!--`` opens an HTML block (CommonMark), which cuts
    the paragraph in two on GitHub, in JupyterLab and in the slides: keep markers mid-line."""
    starting = [
        f"cell {index}: {line.strip()[:60]}"
        for index, cell in enumerate(_load(path)["cells"])
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.lstrip().startswith("<!-- from-output:")
    ]
    assert not starting, f"{path.name}: move these markers off the start of the line: {starting}"
