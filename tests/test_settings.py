"""Quick mode, the epochs helper and the setup call."""

from __future__ import annotations

import pytest

import helpers
from helpers import settings


def test_set_quick_mode_switches_the_loaders(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    helpers.set_quick_mode(True)
    assert helpers.quick_mode()
    helpers.set_quick_mode(False)
    assert not helpers.quick_mode()
    with pytest.raises(TypeError, match="on: got 'yes', expected True or False"):
        helpers.set_quick_mode("yes")


def test_training_epochs_in_each_mode(monkeypatch, capsys):
    monkeypatch.setenv("CNN_COURSE_QUICK", "1")
    assert helpers.training_epochs(10, quick=1) == 1
    assert capsys.readouterr().out == "Quick mode: training for 1 epoch instead of 10.\n"
    assert helpers.training_epochs(10, quick=3) == 3
    assert "3 epochs instead of 10" in capsys.readouterr().out
    assert helpers.training_epochs(2, quick=2) == 2
    expected = "Quick mode: training for 2 epochs, as many as the full run.\n"
    assert capsys.readouterr().out == expected
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    assert helpers.training_epochs(10, quick=1) == 10
    assert capsys.readouterr().out == "Training for 10 epochs.\n"


@pytest.mark.parametrize(
    ("full", "quick", "message"),
    [
        (0, 1, "full: got 0"),
        (5, 0, "quick: got 0"),
        (2, 3, "quick: got 3 epochs, expected at most full=2"),
        (2.5, 1, "full: got 2.5"),
    ],
)
def test_training_epochs_rejects_bad_counts(full, quick, message):
    with pytest.raises(ValueError, match=message):
        helpers.training_epochs(full, quick=quick)


def test_setup_prints_mode_and_versions_and_seeds(monkeypatch, capsys):
    monkeypatch.setenv("CNN_COURSE_QUICK", "1")
    course = helpers.setup("01_dense_baseline", seed=7)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "Notebook 01_dense_baseline: running locally, "
        "mode QUICK (small data samples, fewer epochs), random seed 7."
    )
    assert out[1].startswith("Python 3.") and "TensorFlow 2." in out[1] and "Keras 3." in out[1]
    assert course.quick and not course.on_colab and course.images_dir.name == "01_dense_baseline"
    import numpy as np

    first = np.random.rand()
    helpers.setup("01_dense_baseline", seed=7)
    assert np.random.rand() == first


def test_setup_detects_colab(monkeypatch, capsys):
    monkeypatch.setitem(__import__("sys").modules, "google.colab", object())
    assert helpers.setup("x").on_colab
    assert "running on Google Colab" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"notebook": ""}, "notebook: got ''"), ({"notebook": "x", "seed": -1}, "seed: got -1")],
)
def test_setup_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        settings.setup(**kwargs)


def test_submodules_load_on_first_use():
    assert helpers.checks.conv2d_params(3, 1, 1) == 10
    assert helpers.load_mnist is helpers.data.load_mnist
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        helpers.nothing  # noqa: B018


# ---------------------------------------------------------------- issue 11


@pytest.mark.parametrize("threads", [-1, 0, 10**6, 2.5, "4", True, [2]])
def test_setup_refuses_thread_counts_tensorflow_would_crash_on(threads, capsys):
    # TensorFlow takes -1 and only aborts the process (a dead kernel) at its first operation;
    # 10**6 threads exhaust the memory. setup must refuse before TensorFlow sees them.
    with pytest.raises(ValueError, match=r"threads: got .*, expected a whole number from 1 to"):
        helpers.setup("x", threads=threads)
    assert capsys.readouterr().out == ""


def test_setup_accepts_numpy_integers(capsys):
    import numpy as np

    course = helpers.setup("x", seed=np.int64(3), threads=np.int32(settings.max_threads()))
    assert course.seed == 3 and type(course.seed) is int
    assert "random seed 3." in capsys.readouterr().out


def test_setup_refuses_a_seed_numpy_cannot_take():
    with pytest.raises(ValueError, match=r"seed: got 4294967296, expected a whole number"):
        helpers.setup("x", seed=2**32)


def test_training_epochs_accepts_numpy_integers(monkeypatch, capsys):
    import numpy as np

    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    epochs = helpers.training_epochs(np.int64(5), quick=np.int32(1))
    assert epochs == 5 and type(epochs) is int
    assert capsys.readouterr().out == "Training for 5 epochs.\n"


def test_set_quick_mode_takes_numpy_bools(monkeypatch):
    import numpy as np

    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    helpers.set_quick_mode(np.True_)
    assert helpers.quick_mode() is True
    helpers.set_quick_mode(np.bool_(False))
    assert helpers.quick_mode() is False
    with pytest.raises(TypeError, match="on: got 1, expected True or False"):
        helpers.set_quick_mode(1)


def test_setup_keeps_the_notebook_name_as_a_plain_string(capsys):
    import numpy as np

    course = helpers.setup(np.str_("05_handmade_filters"))
    assert type(course.notebook) is str and course.notebook == "05_handmade_filters"


def test_a_long_quick_mode_value_is_shown_shortened(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_QUICK", "maybe" * 100)
    with pytest.raises(ValueError, match=r"CNN_COURSE_QUICK: got 'maybemaybe.*\.\.\., expected 1"):
        helpers.quick_mode()
