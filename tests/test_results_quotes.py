"""Figures of the last reference run quoted in prose follow results.json (tools.results_quotes)."""

from __future__ import annotations

import json
from pathlib import Path

from tools import results_quotes
from tools.notebook_io import new_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
RESULTS = {
    "comparison": [{"design": "deep_fashion", "images_per_second": 703.7, "seconds": 81.72,
                    "test_accuracy": 0.8507}],
    "paired": [{"design": "lenet5", "median_time_ratio": 0.363, "notebook_accuracy": 0.97767,
                "classic_accuracy": 0.97323, "notebook_seconds": [3.7, 2.1, 2.5],
                "classic_seconds": [10.2, 5.96, 6.09]}],
}


def _quote(label: str, value: str) -> str:
    return f"<!-- from-results: {label} -->{value}<!-- /from-results -->"


def test_values_are_written_as_the_results_round_them():
    text = (f"at {_quote('deep reference images/s', '536')} images/s, "
            f"{_quote('deep reference minutes per epoch', '1.7')} min an epoch, "
            f"{_quote('deep reference test accuracy', '83.23%')}; LeNet in "
            f"{_quote('lenet5 time share', 'two fifths')} of the time "
            f"({_quote('lenet5 baseline seconds', '?')} s)")
    assert len(results_quotes.problems(text, RESULTS)) == 5
    new, problems = results_quotes.filled(text, RESULTS)
    assert problems == []
    assert results_quotes.problems(new, RESULTS) == []
    assert new == (f"at {_quote('deep reference images/s', '704')} images/s, "
                   f"{_quote('deep reference minutes per epoch', '1.3')} min an epoch, "
                   f"{_quote('deep reference test accuracy', '85.07%')}; LeNet in "
                   f"{_quote('lenet5 time share', '36%')} of the time "
                   f"({_quote('lenet5 baseline seconds', '10.2, 6.0, 6.1')} s)")


def test_an_unknown_label_or_a_missing_design_is_reported_and_left_alone():
    text = f"{_quote('lenet 5 accuracy', '97%')} and {_quote('convnet02 accuracy', '97%')}"
    new, problems = results_quotes.filled(text, RESULTS)
    assert new == text
    assert problems[0].startswith("unknown label 'lenet 5 accuracy'")
    assert "no paired comparison of 'convnet02'" in problems[1]


def test_notebooks_and_pages_are_filled_and_then_agree(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results.json").write_text(json.dumps(RESULTS))
    page = tmp_path / "benchmarks" / "README.md"
    page.write_text(f"LeNet-5: {_quote('lenet5 accuracy', '90%')}.\n")
    assert results_quotes.page_problems(tmp_path) != []
    assert results_quotes.fill_pages(tmp_path) == ["benchmarks/README.md"]
    assert page.read_text() == f"LeNet-5: {_quote('lenet5 accuracy', '97.77%')}.\n"
    assert results_quotes.page_problems(tmp_path) == []
    notebook = new_notebook([new_cell("markdown", _quote("deep reference seconds", "96"))])
    results = results_quotes.load(tmp_path)
    assert results_quotes.notebook_problems(notebook, results) == [
        "cell 0: 'deep reference seconds': prose says '96', the results '82'"]
    assert results_quotes.fill_notebook(notebook, results) is True
    assert results_quotes.notebook_problems(notebook, results) == []
    assert results_quotes.fill_notebook(notebook, results) is False


def test_the_course_quotes_the_stored_results():
    results = results_quotes.load(ROOT)
    assert results_quotes.page_problems(ROOT) == []
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert results_quotes.notebook_problems(notebook, results) == [], path.name


def test_figures_from_results_md_must_be_marked():
    from tools.reference_outputs import unmarked_figures

    link = "([benchmarks](../benchmarks/results.md))"
    stale = new_notebook([new_cell("markdown", f"It reached 83.23% in 96 s {link}.")])
    assert len(unmarked_figures(stale)) == 2
    marked = new_notebook([new_cell("markdown", (
        f"It reached {_quote('deep reference test accuracy', '85.07%')} in "
        f"{_quote('deep reference seconds', '82')} s {link}."))])
    assert unmarked_figures(marked) == []
    cited = "It got 93.10% (benchmarks/recipe_experiments.md)."
    other = new_notebook([new_cell("markdown", cited)])
    assert unmarked_figures(other) == []  # a file the reference run does not rewrite
