"""The lecturer's pages quote their notebook's computing time from the last reference run."""

from __future__ import annotations

import json
from pathlib import Path

from tools import teaching_times
from tools.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[1]
MNIST_ROW = {"notebook": "02_first_convnet", "wall_seconds": 22.3, "training_seconds": 8.3,
             "projected_full_training_seconds": 46.8,
             "data": {"mnist": {"train_images": 10000, "test_images": 10000}}}


def test_every_page_quotes_the_last_reference_run():
    assert teaching_times.problems(load_manifest(ROOT), ROOT) == []


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


def _course_copy(tmp_path: Path, page: str) -> Path:
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results.json").write_text(json.dumps({"notebooks": [MNIST_ROW]}))
    (tmp_path / "teaching").mkdir()
    (tmp_path / "teaching" / "02_first_convnet.md").write_text(page)
    return tmp_path


def test_a_stale_page_is_reported_and_generate_rewrites_it(tmp_path):
    page = ("# 02\n\n<!-- course:computing -->It took 9 minutes.<!-- /course:computing -->"
            "\nRun it.\n")
    root = _course_copy(tmp_path, page)
    course = load_manifest(ROOT)
    assert teaching_times.problems(course, root) == [
        "teaching/02_first_convnet.md: the computing time is stale; run `make course`"]
    assert teaching_times.generate(course, root) == ["teaching/02_first_convnet.md"]
    text = (root / "teaching" / "02_first_convnet.md").read_text()
    assert "9 minutes" not in text and "0.4 minute" in text and text.endswith("\nRun it.\n")
    assert teaching_times.problems(course, root) == []
    assert teaching_times.generate(course, root) == []  # a second run changes nothing


def test_a_page_without_the_sentence_is_reported(tmp_path):
    root = _course_copy(tmp_path, "# 02\n\nThe training took 0.1 minute.\n")
    [problem] = teaching_times.problems(load_manifest(ROOT), root)
    assert problem.startswith("teaching/02_first_convnet.md: no <!-- course:computing -->")
