"""Argument checks shared by every helper.

Each check raises an error whose message names the argument, says what it received and
what was expected, so that a learner who passes the wrong thing sees the problem in one
line instead of a stack of NumPy or TensorFlow internals.

NumPy scalars count as the Python numbers they hold: ``np.int64(5)`` is a fine epoch
count and ``np.float32(1e-3)`` a fine learning rate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sized

import numpy as np


def _short_repr(value: object) -> str:
    """``repr(value)`` cut to 80 characters; never raises, even for an object whose repr does."""
    try:
        text = repr(value)
    except Exception as error:  # an error message must not fail on the value it reports
        return f"<{type(value).__name__} whose repr failed: {type(error).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def describe(value: object) -> str:
    """A short description of ``value`` for error messages: type, and shape and dtype if any."""
    try:
        shape = getattr(value, "shape", None)
        dtype = getattr(value, "dtype", None)
        if shape is not None and dtype is not None:
            return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    except Exception:  # a symbolic shape that is not iterable, a property that raises
        pass
    return f"{type(value).__name__} {_short_repr(value)}"


def show_value(value: object) -> str:
    """``value`` for an error message: NumPy scalars as the plain number they hold, arrays
    by shape and dtype, anything else as its (shortened) repr."""
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        return _short_repr(value.item())
    if isinstance(value, np.ndarray):
        return describe(value)
    return _short_repr(value)


def _count_non_finite(array: np.ndarray) -> tuple[int, int]:
    """How many NaN and how many infinite values ``array`` holds (0, 0 for integers)."""
    if not np.issubdtype(array.dtype, np.inexact):
        return 0, 0
    return int(np.isnan(array).sum()), int(np.isinf(array).sum())


def _all_whole_numbers(array: np.ndarray) -> bool:
    """Whether an object array holds only Python ints (NumPy gives up on 2**64 and above)."""
    return array.size > 0 and all(
        isinstance(item, int) and not isinstance(item, bool) for item in array.flat
    )


def _refuse_non_finite(name: str, array: np.ndarray, expected: str) -> None:
    """Raise naming ``name`` if ``array`` holds NaN or infinite values."""
    nans, infinities = _count_non_finite(array)
    if nans or infinities:
        found = " and ".join(
            text
            for count, text in (
                (nans, f"{nans:,} NaN"),
                (infinities, f"{infinities:,} infinite"),
            )
            if count
        )
        raise ValueError(
            f"{name}: got {found} value(s) in an array of shape {array.shape}, "
            f"expected {expected} of finite numbers (a NaN often means training diverged)"
        )


def as_array(
    name: str,
    value: object,
    ndims: Iterable[int] | int,
    expected: str,
    channels: Iterable[int] | None = None,
    finite: bool = False,
) -> np.ndarray:
    """Return ``value`` as a NumPy array after checking its rank (and channel count).

    Real numbers and booleans pass; strings, objects and complex numbers do not. With
    ``finite=True``, NaN or infinite values raise too (a NaN image draws as a blank panel).

    >>> as_array("image", np.zeros((28, 28)), ndims=2, expected="a (height, width) image").shape
    (28, 28)
    """
    ndims = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name}: got {describe(value)}, expected {expected}")
    try:
        array = np.asarray(value)
    except Exception as error:  # e.g. ragged nested lists
        raise TypeError(f"{name}: got {describe(value)}, expected {expected}") from error
    # By kind, not np.issubdtype: NumPy files timedelta64 under the integers.
    if array.dtype.kind == "O" and _all_whole_numbers(array):
        raise ValueError(
            f"{name}: got {describe(value)}, whose whole numbers do not fit in 64 bits; "
            f"expected {expected} of numbers NumPy can hold"
        )
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name}: got {describe(value)}, expected {expected} of real numbers")
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
    if finite:
        _refuse_non_finite(name, array, expected)
    return array


def positive_int(name: str, value: object, maximum: int | None = None) -> int:
    """Return ``value`` as an int if it is a positive integer (not a bool), else raise.

    NumPy integers are accepted; ``maximum``, when given, is the largest value allowed.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: got {show_value(value)}, expected a positive integer")
    if maximum is not None and value > maximum:
        raise ValueError(
            f"{name}: got {show_value(value)}, expected a positive integer <= {maximum:,}"
        )
    return int(value)


def finite_float(value: object) -> float | None:
    """``value`` as a finite float if it is a real number (not a bool), else None.

    An integer too large for a float (``10**400``) gives None instead of an OverflowError.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def positive_number(name: str, value: object, expected: str = "a positive number") -> float:
    """Return ``value`` as a float if it is a finite number > 0 (NumPy scalars too), else raise."""
    number = finite_float(value)
    if number is None or number <= 0:
        raise ValueError(f"{name}: got {show_value(value)}, expected {expected}")
    return number


def length_of(name: str, value: object) -> int:
    """``len(value)``, or a TypeError naming ``name`` if ``value`` has no length."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sized):
        raise TypeError(f"{name}: got {describe(value)}, expected a sequence (a list or an array)")
    try:
        return len(value)
    # TypeError: a 0-d NumPy array; OverflowError: range(10**400); ValueError: a __len__ that fails
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(
            f"{name}: got {describe(value)}, expected a sequence (a list or an array)"
        ) from error


def same_length(names: tuple[str, str], first: object, second: object) -> None:
    """Raise if two sequences that must pair up element by element differ in length."""
    first_length = length_of(names[0], first)
    second_length = length_of(names[1], second)
    if first_length != second_length:
        raise ValueError(
            f"{names[0]} and {names[1]}: got lengths {first_length} and {second_length}, "
            "expected the same length"
        )
