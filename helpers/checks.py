"""The course's counting formulas, and self-checks for a learner's predictions.

Taught in notebook 03 (counting parameters) and used from there on.

Formulas (plain integers in, an integer out; no TensorFlow needed)::

    >>> conv2d_params(kernel_size=3, in_channels=1, filters=1)
    10
    >>> dense_params(inputs=576, units=64)
    36928
    >>> conv_output_size(28, kernel=3), conv_output_size(28, kernel=3, padding="same")
    (26, 28)
    >>> pool_output_size(26)
    13

Self-checks: the learner writes a prediction, then asks a built Keras layer or model
whether it was right. Each check prints "Right: ..." or "Not quite: ..." followed by the
arithmetic (layer by layer for a model) and returns True or False. Given ``None`` instead
of a prediction, it prints the answer with its arithmetic and returns None::

    check_param_count(10, model)           # prints "Right: ..." and returns True
    check_output_shape((26, 26, 1), model)

The formulas live in ``helpers.counting`` and the working for real layers in
``helpers.explain``; this module is where a notebook imports all of them from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .counting import conv2d_params, conv_output_size, dense_params, pool_output_size
from .explain import (
    _layers_of,
    _output_shape,
    _plural,
    explain_output_shape,
    explain_params,
)
from .validation import describe


def _bias_count(layer) -> int:
    bias = getattr(layer, "bias", None)
    if bias is None or not getattr(layer, "use_bias", False):
        return 0
    return math.prod(int(d) for d in bias.shape)


def _check_prediction_count(prediction: object) -> int | None:
    if prediction is None:
        return None
    if isinstance(prediction, (bool, np.bool_)) or not isinstance(prediction, (int, np.integer)):
        raise TypeError(
            f"prediction: got {describe(prediction)}, expected a whole number such as 10 "
            "(or None to see the answer)"
        )
    if prediction < 0:
        raise ValueError(f"prediction: got {prediction}, expected a count of at least 0")
    return int(prediction)


def _what(model_or_layer) -> str:
    return f"{type(model_or_layer).__name__} {model_or_layer.name!r}"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    """Indented "label:  text" lines with the texts aligned in one column."""
    width = max(len(label) for label, _ in rows)
    return [f"  {label:<{width}}  {text}" for label, text in rows]


def _label(layer) -> str:
    return f"{layer.name} ({type(layer).__name__}):"


def _param_lines(layers: list) -> tuple[int, list[str]]:
    explained = [(layer, *explain_params(layer)) for layer in layers]
    if len(explained) == 1:
        return explained[0][1], [f"  {explained[0][2]}"]
    total = sum(count for _, count, _ in explained)
    terms = [f"{count:,}" for _, count, _ in explained if count]
    sum_text = f"{' + '.join(terms)} = {total:,}" if len(terms) > 1 else f"{total:,}"
    rows = [(_label(layer), text) for layer, _, text in explained]
    return total, _table([*rows, ("Total:", sum_text)])


def check_param_count(prediction: int | None, model_or_layer) -> bool | None:
    """Check a predicted parameter count against a built Keras layer or model.

    Prints "Right: ..." or "Not quite: ..." with the arithmetic (one line per layer for a
    model) and returns True or False. With ``prediction=None`` it prints the answer and its
    arithmetic and returns None, so a notebook can run before the learner has guessed.

    >>> check_param_count(10, single_filter_model)  # doctest: +SKIP
    Right: Sequential 'single_filter' has 10 parameters.
      1 filter × (3×3×1 weights) + 1 bias = 1 × 9 + 1 = 10
    True
    """
    guess = _check_prediction_count(prediction)
    layers = _layers_of("model_or_layer", model_or_layer)
    total, lines = _param_lines(layers)
    keras_total = int(model_or_layer.count_params())
    if total != keras_total:  # a model whose layers share weights, for example
        total = keras_total
        lines.append(f"  (Keras counts {keras_total:,}: some weights are shared between layers)")
    what = _what(model_or_layer)
    if guess is None:
        answer = _plural(total, "parameter")
        print(f"No prediction yet, so here is the answer: {what} has {answer}.")
        print("\n".join(lines))
        print("Write your own number in place of None and run the cell again to check it.")
        return None
    right = guess == total
    if right:
        print(f"Right: {what} has {_plural(total, 'parameter')}.")
    else:
        print(f"Not quite: you predicted {guess:,}, and {what} has {_plural(total, 'parameter')}.")
    print("\n".join(lines))
    biases = sum(_bias_count(layer) for layer in layers)
    if not right and biases and guess == total - biases:
        which = "the bias" if biases == 1 else f"the {biases:,} biases, one per filter or unit"
        print(f"Hint: your number leaves out {which}.")
    return right


def _check_prediction_shape(prediction: object) -> tuple | None:
    if prediction is None:
        return None
    wrong = TypeError(
        f"prediction: got {describe(prediction)}, expected a shape such as (26, 26, 1) "
        "(or None to see the answer)"
    )
    if hasattr(prediction, "as_list"):  # a TensorFlow TensorShape
        try:
            prediction = prediction.as_list()
        except (TypeError, ValueError):  # a shape of unknown rank
            raise wrong from None
    elif isinstance(prediction, np.ndarray):
        prediction = prediction.tolist()
    if not isinstance(prediction, (tuple, list)) or not prediction:
        raise wrong
    for index, value in enumerate(prediction):
        if value is None and index == 0:
            continue  # a batch axis written as None
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise wrong
    return tuple(None if v is None else int(v) for v in prediction)


def _same_shape(guess: tuple, shape: tuple) -> bool:
    """Compare ignoring the batch axis, which the learner may write as None or leave out."""
    if len(guess) == len(shape) + 1 and guess[0] is None:
        guess = guess[1:]
    return guess == shape


def check_output_shape(prediction: Sequence[int] | None, model_or_layer) -> bool | None:
    """Check a predicted output shape (batch axis left out, or written as None).

    Prints "Right: ..." or "Not quite: ..." with the rule behind each layer's output shape
    and returns True or False; with ``prediction=None`` it prints the answer and returns None.

    >>> check_output_shape((26, 26, 1), single_filter_model)  # doctest: +SKIP
    Right: Sequential 'single_filter' outputs (26, 26, 1) for each image.
      (28, 28, 1) → (26, 26, 1): height, width: floor((28 − 3) / 1) + 1 = 26; depth: 1 filter
    True
    """
    guess = _check_prediction_shape(prediction)
    layers = _layers_of("model_or_layer", model_or_layer)
    shape = _output_shape("model_or_layer", model_or_layer)[1:]
    rows = [(_label(layer), explain_output_shape(layer)[1]) for layer in layers]
    lines = [f"  {rows[0][1]}"] if len(rows) == 1 else _table(rows)
    what = _what(model_or_layer)
    if guess is None:
        print(f"No prediction yet, so here is the answer: {what} outputs {shape} per image.")
        print("\n".join(lines))
        print("Write your own shape in place of None and run the cell again to check it.")
        return None
    right = _same_shape(guess, shape)
    if right:
        print(f"Right: {what} outputs {shape} per image.")
    else:
        print(f"Not quite: you predicted {guess}, and {what} outputs {shape} per image.")
    print("\n".join(lines))
    return right


__all__ = [
    "check_output_shape",
    "check_param_count",
    "conv2d_params",
    "conv_output_size",
    "dense_params",
    "explain_output_shape",
    "explain_params",
    "pool_output_size",
]
