"""Every parameter count notebooks 01-03 show, from the course's formulas and from Keras.

If Keras ever counted differently (or a notebook's model drifted from the course), these
tests say which number no longer holds before a learner meets it in a stored output.
"""

from __future__ import annotations

import pytest

from helpers.checks import conv2d_params, conv_output_size, dense_params, pool_output_size
from helpers.settings import import_tensorflow

import_tensorflow()  # quietly, before Keras loads it
import keras  # noqa: E402

layers = keras.layers


def built_count(input_shape: tuple[int, ...], layer) -> int:
    """Parameters of ``layer`` once it has seen an input of ``input_shape`` (no batch axis)."""
    keras.Sequential([keras.Input(input_shape), layer])
    return layer.count_params()


# (description, input shape, layer, count from the course's formula, the number quoted)
SINGLE_LAYERS = [
    ("one 3×3 filter on 28×28×1", (28, 28, 1), lambda: layers.Conv2D(1, 3),
     conv2d_params(3, 1, 1), 10),
    ("one 3×3 filter on 1000×1000×1", (1000, 1000, 1), lambda: layers.Conv2D(1, 3),
     conv2d_params(3, 1, 1), 10),
    ("one 5×5 filter on 28×28×1", (28, 28, 1), lambda: layers.Conv2D(1, 5),
     conv2d_params(5, 1, 1), 26),
    ("one 3×3 filter on RGB", (28, 28, 3), lambda: layers.Conv2D(1, 3),
     conv2d_params(3, 3, 1), 28),
    ("two 3×3 filters on RGB", (28, 28, 3), lambda: layers.Conv2D(2, 3),
     conv2d_params(3, 3, 2), 56),
    ("ten 3×3 filters on RGB", (28, 28, 3), lambda: layers.Conv2D(10, 3),
     conv2d_params(3, 3, 10), 280),
]


@pytest.mark.parametrize(
    ("input_shape", "make_layer", "formula", "quoted"),
    [case[1:] for case in SINGLE_LAYERS],
    ids=[case[0] for case in SINGLE_LAYERS],
)
def test_single_layer_counts(input_shape, make_layer, formula, quoted):
    assert formula == quoted
    assert built_count(input_shape, make_layer()) == quoted


def test_single_filter_output_sizes():
    assert conv_output_size(28, 3) == 26
    assert conv_output_size(1000, 3) == 998
    assert conv_output_size(28, 5) == 24
    model = keras.Sequential([keras.Input((1000, 1000, 1)), layers.Conv2D(1, 3)])
    assert tuple(model.outputs[0].shape) == (None, 998, 998, 1)


def test_dense_locally_connected_and_conv_on_a_million_pixels():
    """Notebook 03, section 2: the same 998×998 outputs from a 1000×1000 image, three ways."""
    output_values = conv_output_size(1000, 3) ** 2
    assert output_values == 996_004
    assert dense_params(1000 * 1000, output_values) == 996_004_996_004
    # Locally connected: a 3×3 window and a bias of its own at every output position.
    assert output_values * (3 * 3 * 1 + 1) == 9_960_040
    assert built_count((1000, 1000, 1), layers.Conv2D(1, 3)) == conv2d_params(3, 1, 1) == 10


def three_conv_net(filters: tuple[int, int, int]) -> keras.Model:
    """Conv -> pool -> Conv -> pool -> Conv -> Flatten -> Dense(64) -> Dense(10) on 28x28x1:
    notebook 03's worked example with (16, 32, 64) filters, notebook 02's net with (64, 64, 64)."""
    first, second, third = filters
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(first, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(second, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(third, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )


def test_worked_example_layer_by_layer():
    side = conv_output_size(28, 3)  # 26
    side = conv_output_size(pool_output_size(side), 3)  # 13 -> 11
    side = conv_output_size(pool_output_size(side), 3)  # 5 -> 3
    flattened = side * side * 64
    assert flattened == 576
    formulas = [
        conv2d_params(3, 1, 16),
        0,
        conv2d_params(3, 16, 32),
        0,
        conv2d_params(3, 32, 64),
        0,
        dense_params(flattened, 64),
        dense_params(64, 10),
    ]
    assert formulas == [160, 0, 4_640, 0, 18_496, 0, 36_928, 650]
    model = three_conv_net((16, 32, 64))
    assert [layer.count_params() for layer in model.layers] == formulas
    assert sum(formulas) == model.count_params() == 60_874


def test_dense_baseline_total():
    """Notebook 01: Flatten -> Dense(30) -> Dense(10)."""
    formulas = [dense_params(28 * 28, 30), dense_params(30, 10)]
    assert formulas == [23_550, 310]
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(30, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    )
    assert model.count_params() == sum(formulas) == 23_860


def test_first_convnet_total():
    """Notebook 02: Conv 64-64-64 with two poolings, Dense 64, Dense 10."""
    side = conv_output_size(28, 3)  # 26
    side = conv_output_size(pool_output_size(side), 3)  # 13 -> 11
    side = conv_output_size(pool_output_size(side), 3)  # 5 -> 3
    formulas = [
        conv2d_params(3, 1, 64),
        conv2d_params(3, 64, 64),
        conv2d_params(3, 64, 64),
        dense_params(side * side * 64, 64),
        dense_params(64, 10),
    ]
    assert formulas == [640, 36_928, 36_928, 36_928, 650]
    model = three_conv_net((64, 64, 64))
    assert model.count_params() == sum(formulas) == 112_074
