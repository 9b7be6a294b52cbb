"""The plain-text model summary."""

from __future__ import annotations

import keras
import pytest

from helpers.models import print_summary, summary_text


def dense_baseline():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(30, activation="relu"),
            keras.layers.Dense(10, activation="softmax", name="probabilities"),
        ],
        name="baseline",
    )


def test_summary_rows_and_totals(capsys):
    model = dense_baseline()
    print_summary(model)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == 'Model: "baseline"'
    assert lines[1].split() == ["Layer", "(type)", "Output", "shape", "Params"]
    assert lines[3].split()[-3:] == ["(None,", "784)", "0"]
    assert lines[5].startswith("probabilities (Dense)") and lines[5].endswith(" 310")
    assert lines[-3:] == [
        "Total params: 23,860",
        "Trainable params: 23,860",
        "Non-trainable params: 0",
    ]
    assert all(len(line) <= 80 and line.isascii() for line in lines[:7])


def test_summary_counts_frozen_weights():
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.BatchNormalization()])
    assert summary_text(model).splitlines()[-2:] == [
        "Trainable params: 8",
        "Non-trainable params: 8",
    ]


def test_summary_of_unbuilt_model_says_why():
    with pytest.raises(ValueError, match="is not built yet"):
        summary_text(keras.Sequential([keras.layers.Dense(3)]))
    with pytest.raises(TypeError, match="model: got str, expected a built Keras model"):
        summary_text("model")
