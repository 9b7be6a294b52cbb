"""Tests of tools/benchmark_probes.py (the probes) and of tools/benchmark.py's bookkeeping.

The probes replace ``keras.Model.fit`` and ``evaluate`` for a whole process, so they run in a
child process here and never touch the test session's Keras.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import benchmark  # tools/benchmark.py (conftest puts tools/ on the path)
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import sys
    sys.path.append(sys.argv[2])  # tools/, as the benchmark's probe cell does
    import benchmark_probes
    benchmark_probes.install_probes(sys.argv[1])
    import helpers, keras, numpy as np
    helpers.setup("probe_test")
    (x, y), (xt, yt) = helpers.load_mnist(verbose=False)
    x, xt = x[:256, :, :, None] / 255, xt[:, :, :, None] / 255
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")], name="tiny")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y[:256], epochs=2, batch_size=64, validation_split=0.25, verbose=0)
    model.evaluate(xt, keras.utils.to_categorical(yt, 10).argmax(1), verbose=0)  # test labels
    model.evaluate(x, y[:256], verbose=0)  # not the test set
    benchmark_probes.write_report()
    """
)


def test_probes_record_fits_evaluations_and_memory(tmp_path):
    report = tmp_path / "probe.json"
    env = {"CNN_COURSE_QUICK": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = [sys.executable, "-c", CHILD, str(report), str(ROOT / "tools")]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    seen = json.loads(report.read_text())
    (fit,) = seen["fits"]
    assert fit["model"] == "tiny" and fit["epochs"] == 2
    assert fit["images_per_epoch"] == 192  # 256 images, a quarter held out for validation
    assert fit["images"] == 384 and fit["seconds"] > 0
    test, other = seen["evaluations"]
    assert test["split"] == "test" and test["dataset"] == "mnist" and 0 <= test["accuracy"] <= 1
    assert other["split"] == "other"
    assert seen["datasets"]["mnist"] == {"train_images": 2000, "test_images": 500}
    assert seen["peak_memory_mb"] > 50


def test_summary_projects_training_time_to_full_data():
    run = {
        "wall_seconds": 100.0,
        "fits": [
            {"seconds": 10.0, "images": 18_000, "images_per_epoch": 9_000},
            {"seconds": 5.0, "images": 9_000, "images_per_epoch": 9_000},
        ],
        "evaluations": [{"model": "m", "split": "test", "accuracy": 0.99}],
        "datasets": {"mnist": {"train_images": 10_000, "test_images": 10_000}},
        "peak_memory_mb": 900.0,
    }
    row = benchmark.summarise_notebook("02_first_convnet", run)
    assert row["training_seconds"] == 15.0
    assert row["projected_full_training_seconds"] == 90.0  # 6 times the images
    assert row["images_per_second"] == 1800.0
    assert row["test_accuracy"] == {"m": 0.99}
    # A fit on a fixed-size sample (8 batches of 128) takes as long on the full data.
    run["fits"].append({"seconds": 1.0, "images": 1_024, "images_per_epoch": 1_024})
    row = benchmark.summarise_notebook("04_lenet5", run)
    assert row["training_seconds"] == 16.0
    assert row["projected_full_training_seconds"] == 91.0


def test_the_learner_package_no_longer_ships_the_probes():
    assert importlib.util.find_spec("helpers.benchmark") is None
    assert not (ROOT / "helpers" / "benchmark.py").exists()
    assert (ROOT / "tools" / "benchmark_probes.py").is_file()


def _row(name, fits, accuracy, error=None):
    return {"notebook": name, "fits": fits, "test_accuracy": accuracy, "error": error}


def test_notebook_fits_are_set_against_the_classic_recipe_of_the_same_network():
    comparison = [
        {"design": "lenet5", "parameters": 61_706, "seconds": 10.0, "test_accuracy": 0.9744},
        {"design": "deep_fashion", "parameters": 9, "seconds": 300.0, "test_accuracy": 0.85},
    ]
    lenet = {"model": "lenet5", "parameters": 61_706, "seconds": 4.0, "epochs": 8, "images": 1}
    lenet_more = {"model": "lenet5", "parameters": 61_706, "seconds": 0.5, "epochs": 1, "images": 1}
    other = {"model": "tiny", "parameters": 10, "seconds": 1.0, "epochs": 1, "images": 1}
    timing = {"model": "compact", "parameters": 5, "seconds": 2.0, "epochs": 1, "images": 1}
    main = {"model": "compact", "parameters": 5, "seconds": 300.0, "epochs": 8, "images": 1}
    notebooks = [
        _row("04_lenet5", [other, lenet, lenet_more], {"lenet5": 0.9800}),
        _row("07_fashion_mnist", [timing, main], {"compact": 0.9263}),
    ]
    lenet_row, deep_row = benchmark.notebook_ratios(notebooks, comparison)
    assert lenet_row["notebook"] == "04_lenet5" and lenet_row["time_ratio"] == 0.4
    assert lenet_row["accuracy_difference"] == 0.0056 and lenet_row["meets_goal"] is True
    assert deep_row["notebook"] == "07_fashion_mnist" and deep_row["seconds"] == 300.0
    assert deep_row["accuracy_difference"] == 0.0763 and deep_row["meets_goal"] is None
    without_07 = benchmark.notebook_ratios(notebooks[:1], comparison)
    assert [row["design"] for row in without_07] == ["lenet5"]


PYTEST_FAILED = """\
tests/test_x.py ..F
FAILED tests/test_staleness.py::test_stored_unchecked_outputs_are_not_stale[07.ipynb] - Ass
ERROR tests/test_render.py::test_page - RuntimeError
=========== 2 failed, 401 passed, 3 skipped, 1 error in 118.52s (0:01:58) ===========
make: *** [Makefile:29: test] Error 1
"""


def test_make_test_report_states_exit_code_and_counts_and_shouts_failure():
    parsed = benchmark.parse_pytest_output(PYTEST_FAILED)
    assert parsed["counts"] == {"failed": 2, "passed": 401, "skipped": 3, "errors": 1}
    assert parsed["failed_tests"] == [
        "tests/test_staleness.py::test_stored_unchecked_outputs_are_not_stale[07.ipynb]",
        "tests/test_render.py::test_page",
    ]
    run = {"seconds": 120.0, "returncode": 2, **parsed}
    first, *rest = benchmark.make_test_lines(run)
    assert first.startswith("**`make test` FAILED: exit code 2**")
    assert "2 failed, 401 passed, 3 skipped, 1 errors" in first
    assert "- `tests/test_render.py::test_page`" in rest
    summary = benchmark.parse_pytest_output("== 5 passed in 1s ==")
    passed = {"seconds": 100.0, "returncode": 0, **summary}
    assert benchmark.make_test_lines(passed) == [
        "`make test` passed: 100 s end to end, exit code 0 (5 passed)."
    ]


def test_results_md_puts_a_failed_make_test_at_the_top():
    results = {
        "started": "2026-11-22 10:00 UTC",
        "machine": {"cpu": "AMD EPYC", "cores": 2, "system": "Linux", "python": "3.11",
                    "tensorflow": "2.21.0", "keras": "3.15.1", "onednn": "on"},
        "mnist_data": "x", "load_start": [0.1, 0.1, 0.1], "load_end": [0.2, 0.2, 0.2],
        "notebooks": [],
        "totals": {"wall_seconds": 0, "training_seconds": 0,
                   "projected_full_training_seconds": 0, "training_goal_met": True,
                   "peak_memory_mb": None, "memory_goal_met": False},
        "make_test": {"seconds": 1.0, "returncode": 2, "counts": {"failed": 1}},
    }
    text = benchmark.markdown(results)
    assert text.splitlines()[2].startswith("**`make test` FAILED")


def test_provenance_says_where_the_stored_outputs_come_from():
    results = {"started": "2026-11-22 10:00 UTC",
               "machine": {"cpu": "AMD EPYC", "cores": 2, "tensorflow": "2.21.0"}}
    row = {
        "fits": [{"seconds": 1.0}],
        "error": None,
        "stored": True,
        "data": {"mnist": {"train_images": 10_000}, "fashion_mnist": {"train_images": 60_000}},
    }
    assert benchmark.provenance(results, row) == (
        "**Stored outputs:** the training cells show a full run of 2026-11-22 on a 2-core CPU"
        " (AMD EPYC), TensorFlow 2.21; Fashion-MNIST: complete; MNIST: only 10,000 of its"
        " 60,000 training images. Yours will differ a little."
    )
    assert benchmark.provenance(results, {**row, "fits": []}) is None
    assert benchmark.provenance(results, {**row, "stored": False}) is None


def _executed(count: int):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f"cell {i}") for i in range(count)]
    for number, cell in enumerate(notebook.cells, start=1):
        cell.execution_count = number
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"},
                                               execution_count=number)]
    return notebook


def test_probe_cells_are_removed_and_counts_start_at_one():
    notebook = _executed(4)  # probe, two cells of the notebook, report
    benchmark._without_probe_cells(notebook)
    assert [cell.source for cell in notebook.cells] == ["cell 1", "cell 2"]
    assert [cell.execution_count for cell in notebook.cells] == [1, 2]
    assert [cell.outputs[0]["execution_count"] for cell in notebook.cells] == [1, 2]


def test_a_notebook_edited_during_the_run_is_not_overwritten(tmp_path):
    path = tmp_path / "01_x.ipynb"
    nbformat.write(_executed(1), path)
    original = path.read_bytes()
    path.write_text(path.read_text().replace("cell 0", "someone's edit"))
    with pytest.raises(RuntimeError, match="changed on disk"):
        benchmark.store_notebook(_executed(1), path, original)
    assert "someone's edit" in path.read_text()


def test_results_md_shows_classic_recipes_and_what_the_notebooks_trained():
    classic = {"design": "lenet5", "recipe": "RMSprop defaults, batch 128, 10 epochs",
               "epochs": 10, "batch_size": 128, "images": 90_000, "seconds": 10.6,
               "images_per_second": 8490.6, "test_accuracy": 0.9744}
    against = {"design": "lenet5", "notebook": "04_lenet5", "model": "lenet5", "epochs": 8,
               "seconds": 4.0, "test_accuracy": 0.98, "time_ratio": 0.377,
               "accuracy_difference": 0.0056, "meets_goal": True}
    results = {
        "started": "2026-11-22 10:00 UTC",
        "machine": {"cpu": "AMD EPYC", "cores": 2, "system": "Linux", "python": "3.11",
                    "tensorflow": "2.21.0", "keras": "3.15.1", "onednn": "on"},
        "mnist_data": "x", "load_start": [0.1, 0.1, 0.1], "load_end": [0.2, 0.2, 0.2],
        "reference": {"stored": True},
        "notebooks": [],
        "totals": {"wall_seconds": 0, "training_seconds": 0,
                   "projected_full_training_seconds": 0, "training_goal_met": True,
                   "peak_memory_mb": None, "memory_goal_met": False},
        "comparison": [classic],
        "notebook_ratios": [against],
    }
    text = benchmark.markdown(results)
    assert "| lenet5 | RMSprop defaults, batch 128, 10 epochs | 10 | 128 | 90,000 | 10.6 s" in text
    assert "| 04_lenet5 (lenet5) | lenet5 | 8 | 4.0 s | 98.00% | 0.38 | +0.56% | met |" in text
    assert "Notebooks stored with this run's outputs: none." in text


def _fashion_runs(epochs, tests):
    config = {"epochs": epochs, "batch_norm": True}
    return [
        {
            "variant": "six_epochs",
            "seed": seed,
            "config": config,
            "val_accuracy": 0.93,
            "test_accuracy": test,
            "training_seconds": 100.0,
        }
        for seed, test in enumerate(tests, start=1)
    ]


def test_notebook_07_goal_reads_the_seeds_of_its_recipe_and_refuses_other_epoch_counts(
    tmp_path, monkeypatch
):
    import recipe_experiments

    path = tmp_path / "recipe_experiments.json"
    monkeypatch.setattr(recipe_experiments, "JSON_PATH", path)
    monkeypatch.setattr(recipe_experiments, "NOTEBOOK_VARIANT", "six_epochs")
    assert benchmark.fashion_recipe_seeds(6) is None  # no file yet
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.9253, 0.9254, 0.9257])}))
    seeds = benchmark.fashion_recipe_seeds(6)
    assert seeds["seeds"] == [1, 2, 3] and seeds["epochs"] == 6
    assert seeds["test_mean"] == pytest.approx(0.92547, abs=1e-5) and seeds["goal_met"] is True
    assert benchmark.fashion_recipe_seeds(8) is None  # the seeds trained another recipe
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.9240, 0.9250, 0.9255])}))
    assert benchmark.fashion_recipe_seeds(6)["goal_met"] is False  # mean 92.48%
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.93, 0.93])}))
    assert benchmark.fashion_recipe_seeds(6)["goal_met"] is False  # two seeds are not three


def test_notebook_07_goal_line_in_the_report():
    seeds = {
        "variant": "six_epochs",
        "epochs": 6,
        "seeds": [1, 2, 3],
        "test_mean": 0.92547,
        "test_sd": 0.0002,
        "goal_met": True,
    }
    totals = {"fashion_training_seconds": 200.0, "fashion_goal_met": False, "fashion_seeds": seeds}
    line = benchmark.fashion_goal_line(totals)
    assert line.startswith(
        "07_fashion_mnist: its training run (the longest `fit`) took 3.3 min (goal: at most 3 min,"
        " NOT met)"
    )
    assert "over seeds 1, 2, 3" in line and "92.55% ± 0.02" in line and line.endswith("met).")
    totals["fashion_seeds"] = None
    assert "no seeds of its recipe" in benchmark.fashion_goal_line(totals)
