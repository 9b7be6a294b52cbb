"""The lecturer's pages quote their notebook's computing time from the last reference run."""

from __future__ import annotations

import json
from pathlib import Path

from tools import results_quotes, teaching_times

ROOT = Path(__file__).resolve().parents[1]
MNIST_ROW = {"notebook": "02_first_convnet", "wall_seconds": 22.3, "training_seconds": 8.3,
             "projected_full_training_seconds": 46.8,
             "data": {"mnist": {"train_images": 10000, "test_images": 10000}}}
LABEL = "computing time of 02_first_convnet"


def test_every_lecturer_page_quotes_its_notebook():
    results = results_quotes.load(ROOT)
    for page in sorted((ROOT / "teaching").glob("0*.md")):
        text = page.read_text(encoding="utf-8")
        assert f"<!-- from-results: computing time of {page.stem} -->" in text, page.name
        assert results_quotes.problems(text, results) == [], page.name


def test_a_subset_run_says_what_all_the_images_would_take():
    text = teaching_times.sentence(MNIST_ROW)
    assert "computed in 0.4 minute, 0.1 minute of it training" in text
    assert "first 10,000 of the 60,000 MNIST training images" in text
    assert "would take about 0.8 minute" in text


def test_full_data_and_no_data_runs():
    fashion = {"wall_seconds": 103.1, "training_seconds": 88.5,
               "projected_full_training_seconds": 88.5,
               "data": {"fashion_mnist": {"train_images": 60000, "test_images": 10000}}}
    assert ("computed in 1.7 minutes, 1.5 minutes of it training on all 60,000 Fashion-MNIST"
            in teaching_times.sentence(fashion))
    quiet = {"wall_seconds": 2.0, "training_seconds": 0, "data": {}}
    assert "computed in under 0.1 minute (" in teaching_times.sentence(quiet)


def test_a_stale_page_is_reported_and_make_course_rewrites_it(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results.json").write_text(json.dumps({"notebooks": [MNIST_ROW]}))
    (tmp_path / "teaching").mkdir()
    page = tmp_path / "teaching" / "02_first_convnet.md"
    page.write_text(f"# 02\n\n<!-- from-results: {LABEL} -->It took 9 minutes."
                    "<!-- /from-results -->\nRun it.\n")
    [problem] = results_quotes.page_problems(tmp_path)
    assert problem.startswith(f"teaching/02_first_convnet.md: '{LABEL}': prose says 'It took 9")
    assert results_quotes.fill_pages(tmp_path) == ["teaching/02_first_convnet.md"]
    text = page.read_text()
    assert "9 minutes" not in text and "0.4 minute" in text and text.endswith("\nRun it.\n")
    assert results_quotes.page_problems(tmp_path) == []
    assert results_quotes.fill_pages(tmp_path) == []  # a second run changes nothing


def test_a_notebook_missing_from_the_results_is_reported():
    quoted, why = results_quotes.value("computing time of 09_missing", {"notebooks": [MNIST_ROW]})
    assert quoted is None and "no completed run of '09_missing'" in why
