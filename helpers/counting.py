"""The course's counting formulas: plain integers in, an integer out; no TensorFlow needed.

Taught in notebook 03 (counting parameters); ``helpers.checks`` hands them out.
"""

from __future__ import annotations

import numpy as np

from .validation import describe, positive_int, show_value

PADDINGS = ("valid", "same")


def _shown(value: object) -> str:
    """A string as its (shortened) repr, anything else as ``describe`` gives it."""
    return show_value(value) if isinstance(value, str) else describe(value)


def _kernel_pair(name: str, value: object) -> tuple[int, int]:
    """An int or an (height, width) pair of ints, as a pair; raise naming ``name`` otherwise."""
    expected = "one positive integer or a (height, width) pair of them"
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name}: got {show_value(value)}, expected {expected}")
        return positive_int(f"{name}[0]", value[0]), positive_int(f"{name}[1]", value[1])
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name}: got {show_value(value)}, expected {expected}")
    size = positive_int(name, value)
    return size, size


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: got {show_value(value)}, expected True or False")
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
