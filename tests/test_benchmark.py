"""Tests of tools/bench/probes.py (the probes) and of the benchmark's bookkeeping (tools/bench).

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

import nbformat
import pytest

from tools.bench import comparison as bench_comparison
from tools.bench import make_test, results_report
from tools.bench import notebooks as bench_notebooks
from tools.bench.recipes import NOTEBOOK_RECIPES, rate_literal

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import sys
    from tools.bench import probes as benchmark_probes  # run from the repository
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
    command = [sys.executable, "-c", CHILD, str(report)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    seen = json.loads(report.read_text())
    (fit,) = seen["fits"]
    assert fit["model"] == "tiny" and fit["epochs"] == 2
    assert fit["images_per_epoch"] == 192  # 256 images, a quarter held out for validation
    assert fit["images"] == 384 and fit["seconds"] > 0
    assert fit["batch_size"] == 64 and len(fit["epoch_seconds"]) == 2
    assert 0 < sum(fit["epoch_seconds"]) <= fit["seconds"]
    test, other = seen["evaluations"]
    assert test["after_fit"] == 0 and other["after_fit"] == 0  # both followed the one fit
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
    row = bench_notebooks.summarise_notebook("02_first_convnet", run)
    assert row["training_seconds"] == 15.0
    assert row["projected_full_training_seconds"] == 90.0  # 6 times the images
    assert row["images_per_second"] == 1800.0
    assert row["test_accuracy"] == {"m": 0.99}
    # A fit on a fixed-size sample (8 batches of 128) takes as long on the full data.
    run["fits"].append({"seconds": 1.0, "images": 1_024, "images_per_epoch": 1_024})
    row = bench_notebooks.summarise_notebook("04_lenet5", run)
    assert row["training_seconds"] == 16.0
    assert row["projected_full_training_seconds"] == 91.0
    # Building the graphs makes the first epoch longer, once however large the data: that extra
    # time (the first epoch over the median of the others) is not multiplied.
    run["fits"][0]["epoch_seconds"] = [4.0, 3.0, 3.0]
    row = bench_notebooks.summarise_notebook("04_lenet5", run)
    assert row["projected_full_training_seconds"] == 1.0 + 9.0 * 6 + 30.0 + 1.0


def test_slow_epochs_are_the_ones_at_a_fraction_of_the_pace_of_the_others():
    assert bench_notebooks.slow_epochs({"epoch_seconds": [30.0, 22.0, 41.0, 23.0, 40.0]}) == [3, 5]
    assert bench_notebooks.slow_epochs({"epoch_seconds": [30.0, 22.0, 24.0, 23.0]}) == []
    assert bench_notebooks.slow_epochs({"epoch_seconds": [50.0, 22.0]}) == []  # nothing to compare
    assert bench_notebooks.first_epoch_overhead({"epoch_seconds": [2.0, 3.0, 3.5]}) == 0.0
    assert bench_notebooks.first_epoch_overhead({"epoch_seconds": [5.0, 3.0, 3.5, 4.0]}) == 1.5


def test_the_learner_package_no_longer_ships_the_probes():
    assert importlib.util.find_spec("helpers.benchmark") is None
    assert not (ROOT / "helpers" / "benchmark.py").exists()
    assert (ROOT / "tools" / "bench" / "probes.py").is_file()


def _row(name, fits, accuracy, error=None):
    return {"notebook": name, "fits": fits, "test_accuracy": accuracy, "error": error}


def test_notebook_fits_are_set_against_the_baseline_recipe_of_the_same_network():
    classic = {"design": "lenet5", "role": "classic", "parameters": 61_706}
    comparison = [
        {**classic, "seconds": 9.0, "test_accuracy": 0.9740, "seed": 1, "pair": 1},
        {**classic, "seconds": 11.0, "test_accuracy": 0.9748, "seed": 2, "pair": 2},
        # the notebook's recipe, retrained beside the classic one: not a reference
        {
            "design": "lenet5",
            "role": "notebook",
            "parameters": 61_706,
            "seconds": 1.0,
            "test_accuracy": 0.99,
            "seed": 1,
            "pair": 1,
        },
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
    lenet_row, deep_row = bench_comparison.notebook_ratios(notebooks, comparison)
    # against the classic recipe's mean over its seeds: 10 s and 97.44%
    assert lenet_row["notebook"] == "04_lenet5" and lenet_row["time_ratio"] == 0.4
    assert lenet_row["accuracy_difference"] == 0.0056
    assert deep_row["notebook"] == "07_fashion_mnist" and deep_row["seconds"] == 300.0
    assert deep_row["accuracy_difference"] == 0.0763
    assert "meets_goal" not in lenet_row  # judged on the pairs only
    # The accuracy is the one measured right after the main fit, not after training on.
    notebooks[0]["test_evaluations"] = [
        {"model": "lenet5", "after_fit": 1, "accuracy": 0.9766},
        {"model": "lenet5", "after_fit": 2, "accuracy": 0.9778},
    ]
    lenet_row = bench_comparison.notebook_ratios(notebooks, comparison)[0]
    assert lenet_row["test_accuracy"] == 0.9766 and lenet_row["accuracy_difference"] == 0.0022
    without_07 = bench_comparison.notebook_ratios(notebooks[:1], comparison)
    assert [row["design"] for row in without_07] == ["lenet5"]


def _pairs(design, parameters, times, accuracies):
    """Comparison rows: one (classic, notebook) pair per seed."""
    rows = []
    for pair, ((classic_s, ours_s), (classic_a, ours_a)) in enumerate(
        zip(times, accuracies, strict=True), start=1
    ):
        common = {"design": design, "parameters": parameters, "seed": pair, "pair": pair}
        rows += [
            {
                **common,
                "role": "classic",
                "recipe": "RMSprop defaults, batch 128, 10 epochs",
                "seconds": classic_s,
                "test_accuracy": classic_a,
            },
            {
                **common,
                "role": "notebook",
                "recipe": "Adam",
                "seconds": ours_s,
                "test_accuracy": ours_a,
            },
        ]
    return rows


def test_pairs_are_judged_on_the_median_time_ratio_and_the_mean_accuracies():
    peak, epochs, batch = NOTEBOOK_RECIPES["lenet5"]
    comparison = _pairs(
        "lenet5", 61_706, [(10.0, 4.0), (10.0, 6.0), (8.0, 4.0)], [(0.97, 0.98)] * 3
    )
    fit = {
        "model": "lenet5",
        "parameters": 61_706,
        "seconds": 5.0,
        "epochs": epochs,
        "batch_size": batch,
        "images": 1,
    }
    notebooks = [_row("04_lenet5", [fit], {"lenet5": 0.98})]
    (row,) = bench_comparison.paired_summary(comparison, notebooks)
    assert row["time_ratios"] == [0.4, 0.6, 0.5] and row["median_time_ratio"] == 0.5
    assert row["notebook"] == "04_lenet5" and row["matches_notebook"] is True
    assert row["notebook_accuracy"] == 0.98 and row["classic_accuracy"] == 0.97
    assert row["meets_goal"] is True  # a median of exactly half meets "at most half"
    # The notebook's recipe less accurate than the classic one on average: not met.
    worse = _pairs("lenet5", 61_706, [(10.0, 4.0)] * 3, [(0.97, 0.98), (0.97, 0.95), (0.97, 0.97)])
    assert bench_comparison.paired_summary(worse, notebooks)[0]["meets_goal"] is False
    # The notebook trained another recipe in this run: nothing is judged.
    notebooks[0]["fits"][0]["epochs"] = epochs + 1
    (row,) = bench_comparison.paired_summary(comparison, notebooks)
    assert row["matches_notebook"] is False and row["meets_goal"] is None
    # The notebook did not run: the pairs are still judged, and the report says so.
    (row,) = bench_comparison.paired_summary(comparison, [])
    assert row["notebook"] is None and row["meets_goal"] is True
    # A pair cut short (the process died between its two runs) is left out.
    assert bench_comparison.paired_summary(comparison[:1], []) == []


@pytest.mark.parametrize("design", sorted(NOTEBOOK_RECIPES))
def test_the_notebook_recipes_the_benchmark_retrains_are_the_notebooks(design):
    peak, epochs, batch = NOTEBOOK_RECIPES[design]
    stem = {"convnet02": "02_first_convnet", "lenet5": "04_lenet5"}[design]
    notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert f"batch_size = {batch}\n" in code
    assert f"training_epochs(full={epochs}," in code
    assert rate_literal(peak) in code


def test_rates_are_written_as_the_notebooks_write_them():
    assert [rate_literal(r) for r in (4e-3, 3.2e-2, 1e-4, 0.5)] == [
        "4e-3",
        "3.2e-2",
        "1e-4",
        "5e-1",
    ]


PYTEST_FAILED = """\
tests/test_x.py ..F
FAILED tests/test_staleness.py::test_stored_unchecked_outputs_are_not_stale[07.ipynb] - Ass
ERROR tests/test_render.py::test_page - RuntimeError
=========== 2 failed, 401 passed, 3 skipped, 1 error in 118.52s (0:01:58) ===========
make: *** [Makefile:29: test] Error 1
"""


def test_make_test_report_states_exit_code_and_counts_and_shouts_failure():
    parsed = make_test.parse_pytest_output(PYTEST_FAILED)
    assert parsed["counts"] == {"failed": 2, "passed": 401, "skipped": 3, "errors": 1}
    assert parsed["failed_tests"] == [
        "tests/test_staleness.py::test_stored_unchecked_outputs_are_not_stale[07.ipynb]",
        "tests/test_render.py::test_page",
    ]
    run = {"seconds": 120.0, "returncode": 2, **parsed}
    first, *rest = make_test.make_test_lines(run)
    assert first.startswith("**`make test` FAILED: exit code 2**")
    assert "2 failed, 401 passed, 3 skipped, 1 errors" in first
    assert "- `tests/test_render.py::test_page`" in rest
    summary = make_test.parse_pytest_output("== 5 passed in 1s ==")
    passed = {"seconds": 100.0, "returncode": 0, **summary}
    assert make_test.make_test_lines(passed) == [
        "`make test` passed: 100 s end to end, exit code 0 (5 passed)."
    ]


def _results(**extra):
    """A minimal results.json for ``results_report.markdown``, with ``extra`` keys added."""
    return {
        "started": "2026-11-22 10:00 UTC",
        "machine": {
            "cpu": "AMD EPYC",
            "cores": 2,
            "system": "Linux",
            "python": "3.11",
            "tensorflow": "2.21.0",
            "keras": "3.15.1",
            "onednn": "on",
        },
        "mnist_data": "x",
        "load_start": [0.1, 0.1, 0.1],
        "load_end": [0.2, 0.2, 0.2],
        "notebooks": [],
        "totals": {
            "wall_seconds": 0,
            "training_seconds": 0,
            "projected_full_training_seconds": 0,
            "training_goal_met": True,
            "peak_memory_mb": None,
            "memory_goal_met": False,
        },
        **extra,
    }


def test_results_md_puts_a_failed_make_test_at_the_top():
    results = _results(make_test={"seconds": 1.0, "returncode": 2, "counts": {"failed": 1}})
    text = results_report.markdown(results)
    assert text.splitlines()[2].startswith("**`make test` FAILED")


def test_provenance_says_where_the_stored_outputs_come_from():
    results = {
        "started": "2026-11-22 10:00 UTC",
        "machine": {"cpu": "AMD EPYC", "cores": 2, "tensorflow": "2.21.0"},
    }
    row = {
        "fits": [{"seconds": 1.0}],
        "error": None,
        "stored": True,
        "data": {"mnist": {"train_images": 10_000}, "fashion_mnist": {"train_images": 60_000}},
    }
    assert bench_notebooks.provenance(results, row) == (
        "**Stored outputs:** a full run of 2026-11-22 on a 2-core CPU, TensorFlow 2.21;"
        " Fashion-MNIST: all 60,000 training images; MNIST: the first 10,000 of its 60,000"
        " training images (on all of them an epoch takes 6 times the steps and time, and"
        " accuracy usually comes out higher). Your own run lands near these figures, not on them."
    )
    assert bench_notebooks.provenance(results, {**row, "fits": []}) is None
    assert bench_notebooks.provenance(results, {**row, "stored": False}) is None


def _executed(count: int):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(f"cell {i}") for i in range(count)]
    for number, cell in enumerate(notebook.cells, start=1):
        cell.execution_count = number
        cell.outputs = [
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": "1"}, execution_count=number
            )
        ]
    return notebook


def test_probe_cells_are_removed_and_counts_start_at_one():
    notebook = _executed(4)  # probe, two cells of the notebook, report
    bench_notebooks._without_probe_cells(notebook)
    assert [cell.source for cell in notebook.cells] == ["cell 1", "cell 2"]
    assert [cell.execution_count for cell in notebook.cells] == [1, 2]
    assert [cell.outputs[0]["execution_count"] for cell in notebook.cells] == [1, 2]


def test_a_notebook_edited_during_the_run_is_not_overwritten(tmp_path):
    path = tmp_path / "01_x.ipynb"
    nbformat.write(_executed(1), path)
    original = path.read_bytes()
    path.write_text(path.read_text().replace("cell 0", "someone's edit"))
    with pytest.raises(RuntimeError, match="changed on disk"):
        bench_notebooks.store_notebook(_executed(1), path, original)
    assert "someone's edit" in path.read_text()


def test_results_md_shows_baseline_recipes_pairs_and_what_the_notebooks_trained():
    comparison = _pairs("lenet5", 61_706, [(10.6, 4.0)], [(0.9744, 0.98)])
    for row in comparison:
        row.update(epochs=10, batch_size=128, images=90_000, images_per_second=8490.6)
    against = {
        "design": "lenet5",
        "notebook": "04_lenet5",
        "model": "lenet5",
        "epochs": 8,
        "seconds": 4.0,
        "test_accuracy": 0.98,
        "time_ratio": 0.377,
        "accuracy_difference": 0.0056,
    }
    results = _results(
        reference={"stored": True},
        comparison=comparison,
        notebook_ratios=[against],
        paired=bench_comparison.paired_summary(comparison, []),
    )
    text = results_report.markdown(results)
    assert (
        "| lenet5 | baseline: RMSprop defaults, batch 128, 10 epochs | 1 | 10 | 128 | 90,000 |"
        " 10.6 s" in text
    )
    assert "| lenet5 | notebook's: Adam | 1 | 10 | 128 | 90,000 | 4.0 s" in text
    assert "| lenet5 (notebook not run) | peak 3.2e-2, batch 128, 3 epochs | 1 | 4.0 s |" in text
    assert "| 10.6 s | 0.38 | 98.00% | 97.44% | met |" in text
    assert "| 04_lenet5 (lenet5) | lenet5 | 8 | 4.0 s | 98.00% | 0.38 | +0.56% |" in text
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
    from tools.bench import fashion_report

    path = tmp_path / "recipe_experiments.json"
    monkeypatch.setattr(fashion_report, "JSON_PATH", path)
    monkeypatch.setattr(bench_comparison, "NOTEBOOK_VARIANT", "six_epochs")
    assert bench_comparison.fashion_recipe_seeds(6) is None  # no file yet
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.9253, 0.9254, 0.9257])}))
    seeds = bench_comparison.fashion_recipe_seeds(6)
    assert seeds["seeds"] == [1, 2, 3] and seeds["epochs"] == 6
    assert seeds["test_mean"] == pytest.approx(0.92547, abs=1e-5) and seeds["goal_met"] is True
    assert bench_comparison.fashion_recipe_seeds(8) is None  # the seeds trained another recipe
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.9240, 0.9250, 0.9255])}))
    assert bench_comparison.fashion_recipe_seeds(6)["goal_met"] is False  # mean 92.48%
    path.write_text(json.dumps({"runs": _fashion_runs(6, [0.93, 0.93])}))
    assert bench_comparison.fashion_recipe_seeds(6)["goal_met"] is False  # two seeds are not three


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
    line = results_report.fashion_goal_line(totals)
    assert line.startswith(
        "07_fashion_mnist: its training run (the longest `fit`) took 3.3 min (goal: at most 3 min,"
        " NOT met)"
    )
    assert "over seeds 1, 2, 3" in line and "92.55% ± 0.02" in line and line.endswith("met).")
    totals["fashion_epoch_seconds"] = [30.2, 22.1, 41.0, 23.0]
    line = results_report.fashion_goal_line(totals)
    assert line.endswith(
        "met). Its epochs took 30, 22, 41, 23 s; epoch 3 took more than 1.5"
        " times the fastest of the others: the same work at a slower pace, so"
        " the machine gave this run less CPU then."
    )
    totals["fashion_seeds"] = None
    assert "no seeds of its recipe" in results_report.fashion_goal_line(totals)


def test_a_models_test_accuracy_is_its_first_evaluation_after_its_last_fit():
    tests = [
        {"model": "convnet", "after_fit": 0, "accuracy": 0.97},
        {"model": "convnet", "after_fit": 0, "accuracy": 0.94},  # the same model, shifted digits
        {"model": "dense", "after_fit": 1, "accuracy": 0.92},
        {"model": "lenet", "after_fit": 2, "accuracy": 0.95},
        {"model": "lenet", "after_fit": 3, "accuracy": 0.96},  # trained on, evaluated again
    ]
    chosen = bench_notebooks.first_after_last_fit(tests)
    assert chosen == {"convnet": 0.97, "dense": 0.92, "lenet": 0.96}
