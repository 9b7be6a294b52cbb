"""Explaining real Keras layers: the arithmetic behind a parameter count and an output shape.

Used by the self-checks of ``helpers.checks``; written with the formulas of ``counting``,
so the working shown is the working the learner is taught.
"""

from __future__ import annotations

import math

from .counting import conv2d_params, conv_output_size, dense_params
from .validation import describe

_POOLING = ("MaxPooling2D", "AveragePooling2D")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _keras():
    from .settings import import_tensorflow

    import_tensorflow()  # quietly, before Keras imports it
    import keras

    return keras


def _is_layer(value: object) -> bool:
    return isinstance(value, _keras().layers.Layer)


def _require_built(name: str, layer) -> None:
    if not layer.built:
        raise ValueError(
            f"{name}: {type(layer).__name__} {layer.name!r} is not built yet, so its weights "
            "and output shape are unknown; expected a layer or model that has seen its input "
            "shape (start the model with keras.Input, then at least one layer)"
        )


def _layers_of(name: str, model_or_layer) -> list:
    """The layers a check walks through: a model's layers (minus its inputs), or one layer."""
    if not _is_layer(model_or_layer):
        raise TypeError(f"{name}: got {describe(model_or_layer)}, expected a Keras layer or model")
    _require_built(name, model_or_layer)
    if isinstance(model_or_layer, _keras().Model):
        return [layer for layer in model_or_layer.layers if type(layer).__name__ != "InputLayer"]
    return [model_or_layer]


def _shape_of(tensor) -> tuple:
    return tuple(None if d is None else int(d) for d in tensor.shape)


def _input_shape(layer) -> tuple | None:
    try:
        return _shape_of(layer.input)
    except (AttributeError, ValueError):
        return None


def _output_shape(name: str, layer) -> tuple:
    try:
        # A model's own `output` is not set for Sequential; its `outputs` list always is.
        outputs = getattr(layer, "outputs", None) if isinstance(layer, _keras().Model) else None
        output = outputs if outputs else layer.output
        if isinstance(output, list) and len(output) == 1:
            output = output[0]
    except (AttributeError, ValueError) as error:
        raise ValueError(
            f"{name}: {type(layer).__name__} {layer.name!r} has not been called on an input, so "
            "its output shape is unknown; expected a layer of a model built from keras.Input"
        ) from error
    if isinstance(output, (list, tuple, dict)):
        raise ValueError(
            f"{name}: {layer.name!r} has several outputs; expected a layer or model with one"
        )
    return _shape_of(output)


def explain_params(layer) -> tuple[int, str]:
    """A built layer's parameter count and the arithmetic behind it, in words.

    >>> explain_params(conv_layer)  # doctest: +SKIP
    (10, '1 filter × (3×3×1 weights) + 1 bias = 1 × 9 + 1 = 10')
    """
    if not _is_layer(layer):
        raise TypeError(f"layer: got {describe(layer)}, expected a Keras layer")
    _require_built("layer", layer)
    count = int(layer.count_params())
    kind = type(layer).__name__
    if kind == "Conv2D" and getattr(layer, "groups", 1) == 1:
        height, width = (int(k) for k in layer.kernel_size)
        in_channels = int(layer.kernel.shape[2])
        filters = int(layer.filters)
        per_filter = height * width * in_channels
        formula = conv2d_params((height, width), in_channels, filters, bool(layer.use_bias))
        if formula == count:
            weights = f"{_plural(filters, 'filter')} × ({height}×{width}×{in_channels} weights)"
            if layer.use_bias:
                biases = "1 bias" if filters == 1 else f"{filters:,} biases"
                return count, (
                    f"{weights} + {biases} = {filters:,} × {per_filter:,} + {filters:,} = {count:,}"
                )
            return count, f"{weights} = {filters:,} × {per_filter:,} = {count:,}"
    if kind == "Dense":
        inputs = int(layer.kernel.shape[0])
        units = int(layer.units)
        formula = dense_params(inputs, units, bool(layer.use_bias))
        if formula == count:
            product = inputs * units
            weights = f"{_plural(inputs, 'input')} × {_plural(units, 'unit')}"
            if layer.use_bias:
                biases = "1 bias" if units == 1 else f"{units:,} biases"
                return count, f"{weights} + {biases} = {product:,} + {units:,} = {count:,}"
            return count, f"{weights} = {count:,}"
    if count == 0 and not layer.weights:
        return 0, "no weights = 0"
    # Any other layer: list its weight tensors, so the arithmetic is still visible.
    shapes = ["×".join(str(int(d)) for d in w.shape) or "1" for w in layer.weights]
    return count, f"weights of shapes {' + '.join(shapes)} = {count:,}"


def _axis_rule(size: int, window: int, stride: int, padding: str, dilation: int = 1) -> str:
    """The arithmetic for one spatial axis, as text; a dilated kernel spans more pixels."""
    span = window + (window - 1) * (dilation - 1)
    result = conv_output_size(size, span, stride, padding)
    if padding == "same":
        return f"ceil({size} / {stride}) = {result}"
    if dilation == 1:
        return f"floor(({size} − {window}) / {stride}) + 1 = {result}"
    return (
        f"floor(({size} − {span}) / {stride}) + 1 = {result} (a {window}-wide kernel "
        f"with dilation {dilation} spans {window} + ({window} − 1)·({dilation} − 1) = {span})"
    )


def _spatial_reason(layer, kind: str, source: tuple, output: tuple) -> str:
    """Why a Conv2D or pooling layer gives ``output`` from ``source`` (no batch axis).

    Returns "" when the rule cannot be written (unknown sizes) or would not give the shape
    Keras computed: no working is better than working that contradicts the answer.
    """
    channels_first = getattr(layer, "data_format", "channels_last") == "channels_first"
    height_axis, width_axis, depth_axis = (1, 2, 0) if channels_first else (0, 1, 2)
    if kind == "Conv2D":
        window, strides = layer.kernel_size, layer.strides
        dilation = tuple(int(d) for d in getattr(layer, "dilation_rate", (1, 1)))
        depth = f"depth: {_plural(int(layer.filters), 'filter')}"
    else:
        window, strides, dilation = layer.pool_size, layer.strides, (1, 1)
        depth = "depth unchanged"
    if channels_first:
        depth += " (channels_first: depth is the first axis)"
    sizes = (source[height_axis], source[width_axis])
    if None in sizes:
        return ""
    expected_sizes = []
    rules = []
    for axis in (0, 1):
        span = int(window[axis]) + (int(window[axis]) - 1) * (dilation[axis] - 1)
        try:
            expected_sizes.append(
                conv_output_size(int(sizes[axis]), span, int(strides[axis]), layer.padding)
            )
        except ValueError:
            return ""
        rules.append(
            _axis_rule(
                int(sizes[axis]),
                int(window[axis]),
                int(strides[axis]),
                layer.padding,
                dilation[axis],
            )
        )
    if tuple(expected_sizes) != (output[height_axis], output[width_axis]):
        return ""
    if kind != "Conv2D" and output[depth_axis] != source[depth_axis]:
        return ""
    if rules[0] == rules[1]:
        return f"height, width: {rules[0]}; {depth}"
    return f"height: {rules[0]}, width: {rules[1]}; {depth}"


def explain_output_shape(layer) -> tuple[tuple, str]:
    """A layer's output shape (without the batch axis) and how it follows from its input.

    Conv2D working covers strides, padding, dilation and ``channels_first``; where no rule
    fits the shape Keras computed, only the shapes are shown.

    >>> explain_output_shape(conv_layer)  # doctest: +SKIP
    ((26, 26, 1), '(28, 28, 1) → (26, 26, 1): height, width: floor((28 − 3) / 1) + 1 = 26; ...')
    """
    if not _is_layer(layer):
        raise TypeError(f"layer: got {describe(layer)}, expected a Keras layer")
    output = _output_shape("layer", layer)[1:]
    source = _input_shape(layer)
    source = None if source is None else source[1:]
    kind = type(layer).__name__
    reason = ""
    if source is not None and len(source) == 3 and kind in ("Conv2D", *_POOLING):
        reason = _spatial_reason(layer, kind, source, output)
    elif kind == "Flatten" and source is not None and None not in source:
        reason = " × ".join(str(d) for d in source) + f" = {math.prod(source):,} values"
    elif kind == "Dense":
        reason = "one value per unit"
    elif kind in ("GlobalMaxPooling2D", "GlobalAveragePooling2D"):
        reason = "one value per channel"
    text = f"{source} → {output}" if source is not None else f"→ {output}"
    return output, f"{text}: {reason}" if reason else text
