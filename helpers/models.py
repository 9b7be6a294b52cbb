"""A model summary as plain text that reads the same in every front end.

Keras 3's ``model.summary()`` draws a rich table; inside Jupyter it sends HTML plus text
whose width follows the terminal, so the same notebook shows (and stores) different text
on different machines. ``print_summary`` prints a fixed-width plain table instead, with
the same numbers: one row per layer (name, type, output shape, parameters) and totals.
"""

from __future__ import annotations

import math


def _output_shape(layer) -> str:
    try:
        shape = layer.output.shape
    except (AttributeError, ValueError):  # a layer never called on a symbolic input
        return "?"
    return str(tuple(shape))


def _weight_count(weights) -> int:
    return sum(math.prod(w.shape) for w in weights)


def summary_text(model) -> str:
    """The summary that ``print_summary`` prints, as a string."""
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        raise TypeError(f"model: got {type(model).__name__}, expected a built Keras model")
    if not model.built:
        raise ValueError(
            f"model: {model.name!r} is not built yet; expected a model with known input shape "
            "(start it with keras.Input, or call it on data first)"
        )
    rows = [
        (
            f"{layer.name} ({type(layer).__name__})",
            _output_shape(layer),
            f"{layer.count_params():,}",
        )
        for layer in model.layers
    ]
    header = ("Layer (type)", "Output shape", "Params")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    line_width = sum(widths) + 4

    def format_row(row) -> str:
        return f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}"

    trainable = _weight_count(model.trainable_weights)
    frozen = _weight_count(model.non_trainable_weights)
    lines = [
        f'Model: "{model.name}"',
        format_row(header),
        "-" * line_width,
        *(format_row(row) for row in rows),
        "=" * line_width,
        f"Total params: {trainable + frozen:,}",
        f"Trainable params: {trainable:,}",
        f"Non-trainable params: {frozen:,}",
    ]
    return "\n".join(lines)


def print_summary(model) -> None:
    """Print a plain-text summary of a built Keras model (see the module docstring).

    >>> print_summary(model)  # doctest: +SKIP
    Model: "dense_baseline"
    Layer (type)         Output shape  Params
    ...
    Total params: 23,860
    """
    print(summary_text(model))
