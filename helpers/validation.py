"""Argument checks shared by every helper.

Each check raises an error whose message names the argument, says what it received and
what was expected, so that a learner who passes the wrong thing sees the problem in one
line instead of a stack of NumPy or TensorFlow internals.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def describe(value: object) -> str:
    """A short description of ``value`` for error messages: type, and shape and dtype if any."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    return f"{type(value).__name__} {value!r}"


def as_array(
    name: str,
    value: object,
    ndims: Iterable[int] | int,
    expected: str,
    channels: Iterable[int] | None = None,
) -> np.ndarray:
    """Return ``value`` as a NumPy array after checking its rank (and channel count).

    >>> as_array("image", np.zeros((28, 28)), ndims=2, expected="a (height, width) image").shape
    (28, 28)
    """
    ndims = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    try:
        array = np.asarray(value)
    except Exception as error:  # e.g. ragged nested lists
        raise TypeError(f"{name}: got {describe(value)}, expected {expected}") from error
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name}: got {describe(value)}, expected {expected} of numbers")
    if array.ndim not in ndims:
        raise ValueError(
            f"{name}: got an array of shape {array.shape} ({array.ndim} dimensions), "
            f"expected {expected}"
        )
    if channels is not None and array.shape[-1] not in tuple(channels):
        raise ValueError(
            f"{name}: got {array.shape[-1]} channels in shape {array.shape}, expected {expected}"
        )
    if array.size == 0:
        raise ValueError(f"{name}: got an empty array of shape {array.shape}, expected {expected}")
    return array


def positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is a positive integer (not a bool), else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: got {value!r}, expected a positive integer")
    return int(value)


def same_length(names: tuple[str, str], first: object, second: object) -> None:
    """Raise if two sequences that must pair up element by element differ in length."""
    if len(first) != len(second):  # type: ignore[arg-type]
        raise ValueError(
            f"{names[0]} and {names[1]}: got lengths {len(first)} and {len(second)}, "  # type: ignore[arg-type]
            "expected the same length"
        )
