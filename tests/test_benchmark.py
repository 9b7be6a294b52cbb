"""Tests of helpers/benchmark.py (the probes) and of tools/benchmark.py's bookkeeping.

The probes replace ``keras.Model.fit`` and ``evaluate`` for a whole process, so they run in a
child process here and never touch the test session's Keras.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import benchmark  # tools/benchmark.py (conftest puts tools/ on the path)

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import sys
    import helpers.benchmark
    helpers.benchmark.install_probes(sys.argv[1])
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
    helpers.benchmark.write_report()
    """
)


def test_probes_record_fits_evaluations_and_memory(tmp_path):
    report = tmp_path / "probe.json"
    env = {"CNN_COURSE_QUICK": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", CHILD, str(report)], cwd=ROOT, env=env, check=True)
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
        "fits": [{"seconds": 10.0, "images": 20_000}, {"seconds": 5.0, "images": 10_000}],
        "evaluations": [{"model": "m", "split": "test", "accuracy": 0.99}],
        "datasets": {"mnist": {"train_images": 10_000, "test_images": 10_000}},
        "peak_memory_mb": 900.0,
    }
    row = benchmark.summarise_notebook("02_first_convnet", run)
    assert row["training_seconds"] == 15.0
    assert row["projected_full_training_seconds"] == 90.0  # 6 times the images
    assert row["images_per_second"] == 2000.0
    assert row["test_accuracy"] == {"m": 0.99}


def test_ratios_compare_course_recipe_with_reference():
    comparison = [
        {
            "design": "lenet5",
            "role": "reference",
            "seconds": 40.0,
            "test_accuracy": 0.980,
            "images_per_second": 2500.0,
        },
        {
            "design": "lenet5",
            "role": "course",
            "seconds": 15.0,
            "test_accuracy": 0.982,
            "images_per_second": 5333.3,
        },
    ]
    (row,) = benchmark.ratios(comparison)
    assert row["time_ratio"] == 0.375 and row["speed_ratio"] == 2.13 and row["meets_goal"]
