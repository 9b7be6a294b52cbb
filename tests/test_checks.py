"""helpers.checks: the counting formulas and the learner's self-checks."""

from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import checks
from helpers.checks import (
    check_output_shape,
    check_param_count,
    conv2d_params,
    conv_output_size,
    dense_params,
    explain_output_shape,
    explain_params,
    pool_output_size,
)
from helpers.settings import import_tensorflow

import_tensorflow()
import keras  # noqa: E402

layers = keras.layers


def sequential(input_shape, *model_layers, name="example"):
    return keras.Sequential([keras.Input(input_shape), *model_layers], name=name)


# -- formulas --------------------------------------------------------------------------


def test_conv2d_params():
    assert conv2d_params(3, 1, 1) == 10
    assert conv2d_params((3, 5), in_channels=2, filters=4) == 4 * 3 * 5 * 2 + 4
    assert conv2d_params(3, 3, 10, use_bias=False) == 270
    assert conv2d_params(np.int64(3), np.int64(1), np.int64(16)) == 160


def test_dense_params():
    assert dense_params(784, 30) == 23_550
    assert dense_params(64, 10, use_bias=False) == 640


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "padding", "expected"),
    [
        (28, 3, 1, "valid", 26),
        (28, 5, 1, "valid", 24),
        (1000, 3, 1, "valid", 998),
        (28, 3, 2, "valid", 13),
        (28, 3, 1, "same", 28),
        (28, 3, 2, "same", 14),
        (27, 3, 2, "same", 14),
        (3, 3, 1, "valid", 1),
    ],
)
def test_conv_output_size(size, kernel, stride, padding, expected):
    assert conv_output_size(size, kernel, stride, padding) == expected


@pytest.mark.parametrize(
    ("size", "padding"), [(28, "valid"), (27, "valid"), (27, "same"), (13, "same"), (9, "valid")]
)
def test_conv_output_size_agrees_with_keras(size, padding):
    model = sequential((size, size, 1), layers.Conv2D(1, 3, strides=2, padding=padding))
    expected = conv_output_size(size, 3, stride=2, padding=padding)
    assert tuple(model.outputs[0].shape)[1:3] == (expected, expected)


def test_pool_output_size():
    assert pool_output_size(26) == 13
    assert pool_output_size(11) == 5
    assert pool_output_size(11, padding="same") == 6
    assert pool_output_size(12, pool_size=3, strides=1) == 10


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: conv2d_params(0, 1, 1), ValueError, "kernel_size: got 0, expected a positive"),
        (lambda: conv2d_params((3, 3, 3), 1, 1), ValueError, "kernel_size: got (3, 3, 3)"),
        (lambda: conv2d_params((3, -1), 1, 1), ValueError, "kernel_size[1]: got -1"),
        (lambda: conv2d_params(3, 1.5, 1), ValueError, "in_channels: got 1.5"),
        (lambda: conv2d_params(3, 1, True), ValueError, "filters: got True"),
        (lambda: conv2d_params(3, 1, 1, use_bias="yes"), TypeError, "use_bias: got 'yes'"),
        (lambda: dense_params("784", 30), ValueError, "inputs: got '784'"),
        (lambda: dense_params(784, 0), ValueError, "units: got 0"),
        (lambda: conv_output_size(28, 3, padding="full"), ValueError,
         "padding: got 'full', expected 'valid' or 'same'"),
        (lambda: conv_output_size(3, 5), ValueError,
         "kernel: got 5, expected at most size=3"),
        (lambda: conv_output_size(28, 3, stride=0), ValueError, "stride: got 0"),
        (lambda: pool_output_size(28, strides=-2), ValueError, "strides: got -2"),
    ],
)
def test_formula_errors_name_the_argument(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


# -- explaining real layers -------------------------------------------------------------


def test_explain_params_conv_and_dense():
    model = sequential(
        (28, 28, 3), layers.Conv2D(10, 3), layers.Flatten(), layers.Dense(5, use_bias=False)
    )
    conv, flatten, dense = model.layers
    assert explain_params(conv) == (
        280, "10 filters × (3×3×3 weights) + 10 biases = 10 × 27 + 10 = 280"
    )
    assert explain_params(flatten) == (0, "no weights = 0")
    assert explain_params(dense) == (26 * 26 * 10 * 5, "6,760 inputs × 5 units = 33,800")


def test_explain_params_other_layers_lists_weight_shapes():
    model = sequential((4,), layers.BatchNormalization())
    assert explain_params(model.layers[0]) == (16, "weights of shapes 4 + 4 + 4 + 4 = 16")


def test_explain_output_shape():
    model = sequential(
        (28, 28, 1),
        layers.Conv2D(8, (3, 5), strides=(1, 2), padding="same"),
        layers.MaxPooling2D(),
        layers.Flatten(),
    )
    conv, pool, flatten = model.layers
    assert explain_output_shape(conv) == (
        (28, 14, 8),
        "(28, 28, 1) → (28, 14, 8): height: ceil(28 / 1) = 28, width: ceil(28 / 2) = 14; "
        "depth: 8 filters",
    )
    assert explain_output_shape(pool) == (
        (14, 7, 8),
        "(28, 14, 8) → (14, 7, 8): height: floor((28 − 2) / 2) + 1 = 14, "
        "width: floor((14 − 2) / 2) + 1 = 7; depth unchanged",
    )
    assert explain_output_shape(flatten)[1] == "(14, 7, 8) → (784,): 14 × 7 × 8 = 784 values"


# -- self-checks ------------------------------------------------------------------------


@pytest.fixture
def single_filter():
    return sequential((28, 28, 1), layers.Conv2D(1, 3), name="single_filter")


def test_check_param_count_right(single_filter, capsys):
    assert check_param_count(10, single_filter) is True
    assert capsys.readouterr().out == (
        "Right: Sequential 'single_filter' has 10 parameters.\n"
        "  1 filter × (3×3×1 weights) + 1 bias = 1 × 9 + 1 = 10\n"
    )


def test_check_param_count_wrong_with_bias_hint(single_filter, capsys):
    assert check_param_count(np.int64(9), single_filter) is False
    out = capsys.readouterr().out
    assert out.startswith("Not quite: you predicted 9, and Sequential 'single_filter' has 10")
    assert out.endswith("Hint: your number leaves out the bias.\n")


def test_check_param_count_without_prediction_shows_answer(single_filter, capsys):
    assert check_param_count(None, single_filter) is None
    out = capsys.readouterr().out
    assert "here is the answer: Sequential 'single_filter' has 10 parameters." in out
    assert "1 × 9 + 1 = 10" in out


def test_check_param_count_on_a_layer(single_filter, capsys):
    assert check_param_count(10, single_filter.layers[0]) is True
    assert "Right: Conv2D" in capsys.readouterr().out


def test_check_param_count_model_layer_by_layer(capsys):
    model = sequential(
        (28, 28, 1),
        layers.Conv2D(16, 3, name="conv"),
        layers.MaxPooling2D(name="pool"),
        layers.Flatten(name="flatten"),
        layers.Dense(10, name="output"),
        name="small",
    )
    expected_total = 160 + 13 * 13 * 16 * 10 + 10
    assert check_param_count(expected_total - 16 - 10, model) is False
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "  conv (Conv2D):        16 filters × (3×3×1 weights) + 16 biases = 16 × 9 + 16 = 160",
        "  pool (MaxPooling2D):  no weights = 0",
        "  flatten (Flatten):    no weights = 0",
        "  output (Dense):       2,704 inputs × 10 units + 10 biases = 27,040 + 10 = 27,050",
        "  Total:                160 + 27,050 = 27,210",
        "Hint: your number leaves out the 26 biases, one per filter or unit.",
    ]


def test_check_param_count_functional_model(capsys):
    inputs = keras.Input((8, 8, 1))
    outputs = layers.Dense(2)(layers.Flatten()(layers.Conv2D(4, 3)(inputs)))
    model = keras.Model(inputs, outputs, name="functional_example")
    assert check_param_count(40 + 6 * 6 * 4 * 2 + 2, model) is True
    out = capsys.readouterr().out
    assert "InputLayer" not in out  # inputs hold no parameters and are left out


@pytest.mark.parametrize("prediction", [(26, 26, 1), [26, 26, 1], (None, 26, 26, 1)])
def test_check_output_shape_right(single_filter, prediction, capsys):
    assert check_output_shape(prediction, single_filter) is True
    assert capsys.readouterr().out == (
        "Right: Sequential 'single_filter' outputs (26, 26, 1) per image.\n"
        "  (28, 28, 1) → (26, 26, 1): height, width: floor((28 − 3) / 1) + 1 = 26; "
        "depth: 1 filter\n"
    )


def test_check_output_shape_wrong_and_none(single_filter, capsys):
    assert check_output_shape((28, 28, 1), single_filter) is False
    assert capsys.readouterr().out.startswith(
        "Not quite: you predicted (28, 28, 1), and Sequential 'single_filter' outputs (26, 26, 1)"
    )
    assert check_output_shape(None, single_filter) is None
    assert "here is the answer" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("prediction", "error", "message"),
    [
        ("10", TypeError, "prediction: got str '10', expected a whole number"),
        (10.0, TypeError, "prediction: got float 10.0, expected a whole number"),
        (True, TypeError, "prediction: got bool True"),
        (-1, ValueError, "prediction: got -1, expected a count of at least 0"),
    ],
)
def test_check_param_count_rejects_bad_predictions(single_filter, prediction, error, message):
    with pytest.raises(error, match=message):
        check_param_count(prediction, single_filter)


@pytest.mark.parametrize("prediction", [26, (26.0, 26, 1), (), "26x26", (26, None, 1)])
def test_check_output_shape_rejects_bad_predictions(single_filter, prediction):
    with pytest.raises(TypeError, match="prediction: got .* expected a shape such as"):
        check_output_shape(prediction, single_filter)


def test_checks_reject_what_is_not_a_built_layer():
    with pytest.raises(TypeError, match="model_or_layer: got int 10, expected a Keras layer"):
        check_param_count(10, 10)
    unbuilt = layers.Conv2D(1, 3)
    with pytest.raises(ValueError, match="model_or_layer: Conv2D .* is not built yet"):
        check_param_count(10, unbuilt)
    never_called = layers.Dense(3)
    never_called.build((None, 4))
    with pytest.raises(ValueError, match="has not been called on an input"):
        check_output_shape((3,), never_called)


def test_module_exports():
    assert set(checks.__all__) <= set(dir(checks))


def test_docstring_examples_hold():
    import doctest

    from helpers import counting, explain

    attempted = 0
    for module in (checks, counting, explain):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 8


# -- issue 11: working that matches the answer ------------------------------------------


def test_dilated_conv_working_uses_the_span_of_the_kernel(capsys):
    model = sequential((28, 28, 1), layers.Conv2D(1, 3, dilation_rate=2), name="dilated")
    assert check_output_shape((24, 24, 1), model) is True
    out = capsys.readouterr().out
    assert "floor((28 − 5) / 1) + 1 = 24" in out
    assert "dilation 2 spans 3 + (3 − 1)·(2 − 1) = 5" in out
    assert "= 26" not in out


def test_channels_first_working_uses_height_and_width():
    model = sequential(
        (3, 28, 20),
        layers.Conv2D(4, 3, data_format="channels_first"),
        layers.MaxPooling2D(data_format="channels_first"),
    )
    conv, pool = model.layers
    assert explain_output_shape(conv) == (
        (4, 26, 18),
        "(3, 28, 20) → (4, 26, 18): height: floor((28 − 3) / 1) + 1 = 26, width: "
        "floor((20 − 3) / 1) + 1 = 18; depth: 4 filters (channels_first: depth is the first axis)",
    )
    assert explain_output_shape(pool)[1] == (
        "(4, 26, 18) → (4, 13, 9): height: floor((26 − 2) / 2) + 1 = 13, width: "
        "floor((18 − 2) / 2) + 1 = 9; depth unchanged (channels_first: depth is the first axis)"
    )


def test_pool_output_size_names_its_own_arguments():
    with pytest.raises(ValueError, match=re.escape("pool_size: got 5, expected at most size=3")):
        pool_output_size(3, pool_size=5)
    with pytest.raises(ValueError, match=re.escape("strides: got 0")):
        pool_output_size(28, strides=0)


def test_padding_that_is_not_a_string_is_named():
    with pytest.raises(ValueError, match="padding: got ndarray of shape"):
        conv_output_size(28, 3, padding=np.array(["same"]))


# -- issue 22: messages for what the formulas and checks cannot take --------------------


def test_a_kernel_size_that_is_neither_an_int_nor_a_pair_says_both_are_allowed():
    for value in ("3", np.array([3, 3]), 3.0):
        with pytest.raises(ValueError, match="kernel_size: got .* or a \\(height, width\\) pair"):
            conv2d_params(value, in_channels=1, filters=1)


def test_a_long_padding_string_is_shown_shortened():
    with pytest.raises(ValueError) as raised:
        conv_output_size(28, 3, padding="x" * 1000)
    assert len(str(raised.value)) < 150 and "..." in str(raised.value)


def test_a_shape_check_on_an_unbuilt_model_does_not_talk_only_of_weights():
    model = keras.Sequential([layers.Dense(3)], name="unbuilt")
    with pytest.raises(ValueError, match="weights and output shape are unknown"):
        check_output_shape((3,), model)


def test_a_tensorflow_shape_is_a_prediction_like_a_tuple(capsys):
    import tensorflow as tf

    model = sequential((28, 28, 1), layers.Conv2D(1, 3), name="one_filter")
    assert check_output_shape(tf.TensorShape([None, 26, 26, 1]), model) is True
    with pytest.raises(TypeError, match="prediction: got TensorShape"):
        check_output_shape(tf.TensorShape(None), model)
