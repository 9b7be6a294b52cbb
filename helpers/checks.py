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
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .validation import describe, positive_int


def _shown(value: object) -> str:
    """A string as its repr, anything else as ``describe`` gives it."""
    return repr(value) if isinstance(value, str) else describe(value)

PADDINGS = ("valid", "same")

# Layers that hold no weights at all: the checks say so instead of showing arithmetic.
_WEIGHTLESS = (
    "InputLayer",
    "Flatten",
    "Reshape",
    "Dropout",
    "SpatialDropout2D",
    "Activation",
    "ReLU",
    "Softmax",
    "ZeroPadding2D",
    "Cropping2D",
    "Rescaling",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalMaxPooling2D",
    "GlobalAveragePooling2D",
)
_POOLING = ("MaxPooling2D", "AveragePooling2D")


# --------------------------------------------------------------------------------------
# Formulas
# --------------------------------------------------------------------------------------


def _kernel_pair(name: str, value: object) -> tuple[int, int]:
    """An int or an (height, width) pair of ints, as a pair; raise naming ``name`` otherwise."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{name}: got {value!r}, expected one positive integer or a (height, width) pair"
            )
        return positive_int(f"{name}[0]", value[0]), positive_int(f"{name}[1]", value[1])
    size = positive_int(name, value)
    return size, size


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: got {value!r}, expected True or False")
    return bool(value)


def conv2d_params(
    kernel_size: int | tuple[int, int], in_channels: int, filters: int, use_bias: bool = True
) -> int:
    """Parameters of a Conv2D layer: ``filters · (kh · kw · in_channels) + filters``.

    Each filter has one weight per kernel position and input channel, plus one bias.
    ``kernel_size`` is an int (square kernel) or a (height, width) pair.

    >>> conv2d_params(3, in_channels=3, filters=10)   # 10 · (3·3·3) + 10
    280
    >>> conv2d_params((5, 5), in_channels=1, filters=1, use_bias=False)
    25
    """
    height, width = _kernel_pair("kernel_size", kernel_size)
    in_channels = positive_int("in_channels", in_channels)
    filters = positive_int("filters", filters)
    biases = filters if _flag("use_bias", use_bias) else 0
    return filters * height * width * in_channels + biases


def dense_params(inputs: int, units: int, use_bias: bool = True) -> int:
    """Parameters of a Dense layer: ``inputs · units + units`` (a weight per pair, a bias per unit).

    >>> dense_params(784, 30)
    23550
    """
    inputs = positive_int("inputs", inputs)
    units = positive_int("units", units)
    return inputs * units + (units if _flag("use_bias", use_bias) else 0)


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """Output length along one axis of a convolution (or pooling) window sliding over ``size``.

    - ``padding="valid"`` (no padding): ``floor((size - kernel) / stride) + 1``; the kernel
      must fit, so ``kernel <= size``.
    - ``padding="same"`` (zeros added around the edges as needed): ``ceil(size / stride)``.

    >>> conv_output_size(28, 3), conv_output_size(28, 5), conv_output_size(28, 3, stride=2)
    (26, 24, 13)
    >>> conv_output_size(28, 3, stride=2, padding="same")
    14
    """
    return _output_size(size, kernel, stride, padding, ("size", "kernel", "stride", "padding"))


def _output_size(size, window, stride, padding, names: tuple[str, str, str, str]) -> int:
    """``conv_output_size`` with the caller's own argument names in its error messages."""
    size = positive_int(names[0], size)
    window = positive_int(names[1], window)
    stride = positive_int(names[2], stride)
    if not isinstance(padding, str) or padding not in PADDINGS:
        raise ValueError(f"{names[3]}: got {_shown(padding)}, expected 'valid' or 'same'")
    if padding == "same":
        return -(-size // stride)
    if window > size:
        raise ValueError(
            f"{names[1]}: got {window}, expected at most {names[0]}={size}: with "
            "padding='valid' the window must fit inside the input"
        )
    return (size - window) // stride + 1


def pool_output_size(
    size: int, pool_size: int = 2, strides: int | None = None, padding: str = "valid"
) -> int:
    """Output length along one axis of a pooling layer; ``strides`` defaults to ``pool_size``.

    The same rule as ``conv_output_size``: a 2×2 pool with stride 2 halves the size,
    rounding down.

    >>> pool_output_size(26), pool_output_size(11), pool_output_size(11, padding="same")
    (13, 5, 6)
    """
    pool_size = positive_int("pool_size", pool_size)
    strides = pool_size if strides is None else strides
    names = ("size", "pool_size", "strides", "padding")
    return _output_size(size, pool_size, strides, padding, names)


# --------------------------------------------------------------------------------------
# Explaining real Keras layers
# --------------------------------------------------------------------------------------


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
            f"{name}: {type(layer).__name__} {layer.name!r} is not built yet, so it has no "
            "weights to count; expected a layer or model that has seen its input shape "
            "(start the model with keras.Input)"
        )


def _layers_of(name: str, model_or_layer) -> list:
    """The layers a check walks through: a model's layers (minus its inputs), or one layer."""
    if not _is_layer(model_or_layer):
        raise TypeError(f"{name}: got {describe(model_or_layer)}, expected a Keras layer or model")
    _require_built(name, model_or_layer)
    if isinstance(model_or_layer, _keras().Model):
        return [
            layer for layer in model_or_layer.layers if type(layer).__name__ != "InputLayer"
        ]
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


def _weight_count(weights) -> int:
    return sum(math.prod(int(d) for d in w.shape) for w in weights)


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
    shapes = [
        "×".join(str(int(d)) for d in w.shape) or "1" for w in layer.weights
    ]
    return count, f"weights of shapes {' + '.join(shapes)} = {count:,}"


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
        print(
            f"Not quite: you predicted {guess:,}, and {what} has {_plural(total, 'parameter')}."
        )
    print("\n".join(lines))
    biases = sum(_bias_count(layer) for layer in layers)
    if not right and biases and guess == total - biases:
        which = "the bias" if biases == 1 else f"the {biases:,} biases, one per filter or unit"
        print(f"Hint: your number leaves out {which}.")
    return right


# --------------------------------------------------------------------------------------
# Output shapes
# --------------------------------------------------------------------------------------


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
                int(sizes[axis]), int(window[axis]), int(strides[axis]), layer.padding,
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


def _check_prediction_shape(prediction: object) -> tuple | None:
    if prediction is None:
        return None
    if isinstance(prediction, np.ndarray):
        prediction = prediction.tolist()
    wrong = TypeError(
        f"prediction: got {describe(prediction)}, expected a shape such as (26, 26, 1) "
        "(or None to see the answer)"
    )
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
