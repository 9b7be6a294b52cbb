"""Plots the course draws again and again: images, grids, training curves, mistakes, filters.

Every function returns the matplotlib Figure it drew on, so a notebook can save it with
``helpers.images.save_figure``. The notebook shows it with ``plt.show()``.

One convention for every grayscale picture in the course (taught in notebook 02):

- **Images of data** (uint8 from 0 to 255, or floats from 0 to 1) are drawn ink-dark on a
  light background (``gray_r``) on their whole fixed range, so two images keep comparable
  shades.
- **Signed values** (filters, feature maps, standardised images: anything else) are drawn on
  a scale whose middle is zero: ``vmin = -m``, ``vmax = m``, with blue below zero, white at
  zero and red above (``RdBu_r``). A grid of them shares one ``m``, and a colour bar labels it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np

from .validation import (
    as_array,
    describe,
    finite_float,
    length_of,
    positive_int,
    same_length,
    show_value,
)

MAX_PANELS = 400
"""The most panels one grid draws: more takes minutes and shows nothing readable."""

MAX_METRICS = 12
"""The most metric panels ``plot_history`` draws side by side."""

MAX_CLASS_NUMBER = 2**31
"""Class labels must be below this (any real classifier's are far below)."""

AMBIGUOUS_COLOUR_MAX = 2.0
"""Colour floats whose largest value lies in (1, 2] raise: a 0-1 image that overshoots (drawn
on 0-255 it would be black) or a 0-255 image that is black anyway; only the learner knows."""

MAX_PANEL_INCHES = 20.0
"""The largest width or height of one panel, in inches."""

DATA_CMAP = "gray_r"
"""Images of data: ink (high values) dark, background (0) light, as on paper."""

SIGNED_CMAP = "RdBu_r"
"""Signed values: blue below zero, white at zero, red above."""

SIGNED_LABEL = "value (0 in the middle)"
"""The colour bar's label on every zero-centred figure."""

# Keras names the accuracy metric after what was passed to compile(): "accuracy" since
# Keras 3, "acc" in older code, or the metric's class name.
ACCURACY_KEYS = (
    "accuracy",
    "acc",
    "sparse_categorical_accuracy",
    "categorical_accuracy",
    "binary_accuracy",
)


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _check_cmap(cmap: object) -> None:
    """Raise naming ``cmap`` unless it is None, a Colormap or a registered colour-map name."""
    if cmap is None:
        return
    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap) or (isinstance(cmap, str) and cmap in matplotlib.colormaps):
        return
    raise ValueError(
        f"cmap: got {describe(cmap)}, expected a matplotlib colour-map name such as "
        "'gray', 'gray_r' or 'viridis'"
    )


def _check_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name}: got {describe(value)}, expected a string or None")


def _prepare_images(name: str, array: np.ndarray, colour: bool) -> np.ndarray:
    """Check that ``array`` (one image or a batch) can be drawn truthfully; return it.

    Grayscale images are drawn as they are, each on its own range (uint8 on 0-255).
    Colour images (last axis 3) must be on a scale matplotlib understands: 0-1 for floats,
    0-255 for integers. Floats that lie in 0-255 (a photo converted with ``astype(float)``)
    are divided by 255, since drawn on 0-1 they would show an almost white picture; any
    other range raises, naming the values found.
    """
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if array.dtype == np.float16 or array.dtype.itemsize > 8:
        array = array.astype(np.float64)
    low, high = float(array.min()), float(array.max())
    if not math.isfinite(high - low):
        raise ValueError(
            f"{name}: got values from {low:g} to {high:g}, a range too wide to draw; "
            "expected values whose range is a finite number"
        )
    if not colour:
        return array
    if np.issubdtype(array.dtype, np.integer):
        if low < 0 or high > 255:
            raise ValueError(
                f"{name}: got colour values from {low:g} to {high:g}, expected integers "
                "from 0 to 255 (or floats from 0 to 1)"
            )
        return array.astype(np.uint8)
    if low >= 0 and high <= 1:
        return array
    if low >= 0 and 1 < high <= AMBIGUOUS_COLOUR_MAX:
        raise ValueError(
            f"{name}: got colour floats from {low:g} to {high:g}, just above the 0-1 range: "
            "read as 0-255 they would draw almost black. Expected floats from 0 to 1 "
            "(np.clip(image, 0, 1) if they only overshoot) or from 0 to 255"
        )
    if low >= 0 and high <= 255:
        return array / 255.0
    raise ValueError(
        f"{name}: got colour values from {low:g} to {high:g}, expected floats from 0 to 1 "
        "or from 0 to 255 (rescale the image, or draw one channel at a time)"
    )


def _is_data(array: np.ndarray) -> bool:
    """True for an image of data: integers from 0 to 255, or floats from 0 to 1."""
    if array.size == 0:
        return True
    low, high = float(array.min()), float(array.max())
    if array.dtype.kind in "iu":
        return low >= 0 and high <= 255
    return low >= 0 and high <= 1


def _check_signed(signed: object) -> bool | None:
    if signed is None or isinstance(signed, (bool, np.bool_)):
        return None if signed is None else bool(signed)
    raise TypeError(f"signed: got {describe(signed)}, expected True, False or None")


def _use_signed(name: str, array: np.ndarray, signed: bool | None) -> bool:
    """Whether to draw grayscale ``array`` around zero: asked for, or not an image of data."""
    if signed is None:
        return not _is_data(array)
    if not signed and not _is_data(array):
        low, high = float(array.min()), float(array.max())
        raise ValueError(
            f"{name}: got values from {low:g} to {high:g} with signed=False, expected an "
            "image of data (integers from 0 to 255 or floats from 0 to 1); pass signed=None "
            "to draw them on a zero-centred scale"
        )
    return signed


def _signed_limit(name: str, array: np.ndarray) -> float:
    """The ``m`` of a zero-centred scale from -m to m: the largest absolute value (1 if 0)."""
    if array.size == 0:
        return 1.0
    limit = float(np.abs(array.astype(np.float64)).max())
    if not math.isfinite(2 * limit):
        raise ValueError(
            f"{name}: got values as large as {limit:g}, a range too wide to draw; "
            "expected values whose range is a finite number"
        )
    return limit if limit > 0 else 1.0


def _draw(ax, image: np.ndarray, title: str | None, cmap: object = None, limit=None):
    """Draw one image on ``ax`` and return what imshow drew.

    Grayscale with ``limit`` None is an image of data: ``gray_r`` on 0-255 (integers) or
    0-1 (floats). With a ``limit`` m it is signed: ``RdBu_r`` from -m to m, zero in the
    middle. An explicit ``cmap`` replaces the colour map, never the range.
    """
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim == 2:
        if limit is None:
            top = 255 if image.dtype.kind in "iu" else 1
            drawn = ax.imshow(image, cmap=cmap or DATA_CMAP, vmin=0, vmax=top)
        else:
            drawn = ax.imshow(image, cmap=cmap or SIGNED_CMAP, vmin=-limit, vmax=limit)
    else:
        drawn = ax.imshow(image)
    if title is not None:
        ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return drawn


def _scale_bar(fig, axes, drawn) -> None:
    """A colour bar beside ``axes`` that labels a zero-centred scale."""
    fig.colorbar(drawn, ax=axes, shrink=0.8, label=SIGNED_LABEL)


def _panel_size(value: object) -> tuple[float, float]:
    def fine(v: object) -> bool:
        number = finite_float(v)  # None for bools, non-numbers, inf and 10**400
        return number is not None and 0 < number <= MAX_PANEL_INCHES

    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(map(fine, value)):
        raise ValueError(
            f"panel_size: got {show_value(value)}, expected (width, height) in inches, "
            f"both > 0 and at most {MAX_PANEL_INCHES:g}"
        )
    return float(value[0]), float(value[1])


def _check_panel_count(name: str, count: int, what: str) -> None:
    if count > MAX_PANELS:
        raise ValueError(
            f"{name}: got {count:,} {what}, expected at most {MAX_PANELS} in one figure "
            f"(draw a slice, such as the first 25)"
        )


def show_image(
    image: np.ndarray,
    title: str | None = None,
    cmap: str | None = None,
    signed: bool | None = None,
):
    """Show one image: (h, w) or (h, w, 1) as grayscale, (h, w, 3) as colour.

    Grayscale follows the course's convention (see the module docstring): an image of data
    (uint8 0-255, floats 0-1) is drawn ink-dark on light on its whole range; anything else
    (a standardised image, a feature map) on a blue-white-red scale with zero in the middle.
    ``signed=True`` asks for the zero-centred scale, ``signed=False`` insists on data
    (and raises for anything else); ``None`` decides from the values. ``cmap`` replaces
    the colour map, not the range. Colour images are drawn on 0-1 (floats) or 0-255
    (integers, and floats that lie in 0-255). NaN or infinite values raise.
    """
    expected = "a (height, width) or (height, width, 1 or 3) image"
    array = as_array("image", image, ndims=(2, 3), expected=expected, finite=True)
    if array.ndim == 3 and array.shape[-1] not in (1, 3):
        raise ValueError(
            f"image: got {array.shape[-1]} channels in shape {array.shape}, expected 1 or 3"
        )
    _check_text("title", title)
    _check_cmap(cmap)
    signed = _check_signed(signed)
    colour = array.ndim == 3 and array.shape[-1] == 3
    if colour and signed:
        raise ValueError("signed: got True for a colour image, expected None or False")
    array = _prepare_images("image", array, colour=colour)
    limit = None
    if not colour and _use_signed("image", array, signed):
        limit = _signed_limit("image", array)
    plt = _pyplot()
    size = (3, 3) if array.shape[0] <= 64 else (6.4, 4.3)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    _draw(ax, array, title, cmap, limit)
    return fig


def _titles(name: str, titles: object, count: int, count_name: str) -> list[str] | None:
    """``titles`` as a list of ``count`` strings (or None); raise naming ``name`` if not."""
    if titles is None:
        return None
    same_length((count_name, name), range(count), titles)
    return [str(title) for title in titles]


def plot_image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 5,
    cmap: str | None = None,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
    signed: bool | None = None,
):
    """Show a batch of images in a grid, each with its title (e.g. its label).

    ``images`` has shape (n, h, w), (n, h, w, 1) or (n, h, w, 3), at most ``MAX_PANELS``
    of them. ``panel_size`` is the (width, height) in inches of one image with its title:
    raise it for photos.

    Grayscale follows the course's convention (module docstring): a batch of data images
    (uint8 0-255, floats 0-1) is drawn ink-dark on light; any other batch (standardised
    images, feature maps) on one zero-centred blue-white-red scale shared by every panel,
    with a colour bar. ``signed`` forces the choice (True: zero-centred; False: data, and
    an error for anything else); None decides from the values. ``cmap`` replaces the
    colour map, never the range.
    """
    batch = as_array(
        "images",
        images,
        ndims=(3, 4),
        expected="a batch (n, height, width[, channels])",
        finite=True,
    )
    if batch.ndim == 4 and batch.shape[-1] not in (1, 3):
        raise ValueError(
            f"images: got {batch.shape[-1]} channels in shape {batch.shape}, expected 1 or 3"
        )
    _check_panel_count("images", len(batch), "images")
    ncols = positive_int("ncols", ncols)
    titles = _titles("titles", titles, len(batch), "images")
    _check_cmap(cmap)
    _check_text("suptitle", suptitle)
    signed = _check_signed(signed)
    width, height = _panel_size(panel_size)
    colour = batch.ndim == 4 and batch.shape[-1] == 3
    if colour and signed:
        raise ValueError("signed: got True for colour images, expected None or False")
    batch = _prepare_images("images", batch, colour=colour)
    limits = None
    if not colour and _use_signed("images", batch, signed):
        limits = [_signed_limit("images", batch)] * len(batch)
    return _draw_grid(batch, titles, ncols, cmap, suptitle, (width, height), limits)


def _draw_grid(batch, titles, ncols, cmap, suptitle, panel, limits, scale_bar=True):
    """Draw checked images in a grid; ``limits``: None (data) or one ``m`` per panel."""
    count = len(batch)
    ncols = min(ncols, count)
    nrows = -(-count // ncols)
    plt = _pyplot()
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(panel[0] * ncols, panel[1] * nrows),
        squeeze=False,
        layout="constrained",
    )
    drawn = None
    for index, ax in enumerate(axes.flat):
        if index < count:
            title = None if titles is None else titles[index]
            limit = None if limits is None else limits[index]
            drawn = _draw(ax, batch[index], title, cmap, limit)
        else:
            ax.axis("off")
    if limits is not None and scale_bar and drawn is not None:
        _scale_bar(fig, axes, drawn)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def _accuracy_key(curves: dict) -> str | None:
    return next((key for key in ACCURACY_KEYS if key in curves), None)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _curve(key: str, values: object) -> np.ndarray:
    """One metric's values per epoch as floats; raise naming the key if they are not numbers."""
    name = f"history[{key!r}]"
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(
            f"{name}: got {describe(values)}, expected a list of numbers, one per epoch"
        )
    expected = "a list of numbers, one per epoch"
    try:
        raw = np.asarray(values)
        if raw.dtype.kind == "O" and raw.ndim == 1:
            raw = np.asarray(values, dtype=np.float64) if all(map(_is_number, raw)) else raw
        array = raw.astype(np.float64) if raw.dtype.kind in "iuf" else None
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"{name}: got {describe(values)}, expected {expected}") from error
    if array is None:  # bools, strings, objects: "1.0" or True is not a loss
        raise TypeError(f"{name}: got {describe(values)}, expected {expected}")
    if array.ndim != 1:
        raise ValueError(
            f"{name}: got values of shape {array.shape}, expected one number per epoch"
        )
    return array


def _non_finite_note(key: str, values: np.ndarray) -> str | None:
    """A warning text when ``values`` hold NaN or infinity, else None."""
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size == 0:
        return None
    epochs = ", ".join(str(i + 1) for i in bad[:5]) + (", ..." if bad.size > 5 else "")
    return (
        f"history[{key!r}]: NaN or infinite at epoch {epochs} of {len(values)}: training "
        "diverged there (a lower learning rate usually helps); those points are not drawn"
    )


def _panels(arrays: dict) -> tuple[list[str], str | None]:
    """The metric of each panel, loss first, and which of them is the accuracy.

    A panel draws ``name`` and ``val_name``; a ``val_name`` without its ``name`` (only the
    validation series was kept) gets a panel too, so every series is drawn.
    """
    names = dict.fromkeys(key[4:] if key.startswith("val_") else key for key in arrays)
    accuracy = _accuracy_key(names)
    others = [name for name in names if name not in ("loss", accuracy)]
    return ["loss"] + ([accuracy] if accuracy else []) + others, accuracy


def plot_history(history, title: str | None = None):
    """Loss and accuracy per epoch, for training and (when present) validation data.

    ``history`` is what ``model.fit`` returns, or its ``.history`` dict. Accuracy is found
    under any of the names Keras gives it (``accuracy``, ``acc``,
    ``sparse_categorical_accuracy``, ...) and drawn in a panel called "Accuracy"; every
    other metric gets a panel of its own, so nothing in the history is left out.

    A loss or metric that became NaN or infinite (training diverged) is not an error: the
    finite epochs are drawn, the panel says from which epoch the values are missing, and
    a ``UserWarning`` names the metric and the epochs.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict):
        raise TypeError(f"history: got {describe(history)}, expected a Keras History or its dict")
    _check_text("title", title)
    if not curves:
        raise ValueError("history: got an empty history, expected at least one epoch of metrics")
    if "loss" not in curves:
        raise ValueError(f"history: got keys {sorted(map(str, curves))}, expected at least 'loss'")
    for key in curves:
        if not isinstance(key, str):
            raise TypeError(f"history: got a key {key!r}, expected metric names (strings)")
    arrays = {key: _curve(key, values) for key, values in curves.items()}
    if not any(len(values) for values in arrays.values()):
        raise ValueError("history: got an empty history, expected at least one epoch of metrics")
    epochs_run = len(arrays["loss"])
    for key, values in arrays.items():
        if len(values) != epochs_run:
            raise ValueError(
                f"history[{key!r}]: got {len(values)} values for {epochs_run} epochs of 'loss', "
                "expected one value per epoch (validation_freq=1 in fit)"
            )
    metrics, accuracy = _panels(arrays)
    if len(metrics) > MAX_METRICS:
        raise ValueError(
            f"history: got {len(metrics)} metrics ({', '.join(metrics)}), expected at most "
            f"{MAX_METRICS} (pass a dict with the ones to draw)"
        )
    plt = _pyplot()
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(5 * len(metrics), 3.4), squeeze=False, layout="constrained"
    )
    epochs = np.arange(1, epochs_run + 1)
    for ax, metric in zip(axes[0], metrics, strict=True):
        notes = []
        for key, style, label in (
            (metric, "o-", "training"),
            (f"val_{metric}", "s--", "validation"),
        ):
            if key not in arrays:
                continue
            values = arrays[key]
            note = _non_finite_note(key, values)
            if note:
                notes.append(note)
                warnings.warn(note, UserWarning, stacklevel=2)
            ax.plot(epochs, np.where(np.isfinite(values), values, np.nan), style, label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title("Accuracy" if metric == accuracy else metric.capitalize())
        ax.set_xticks(epochs if len(epochs) <= 20 else epochs[:: len(epochs) // 10])
        ax.grid(True, alpha=0.3)
        ax.legend()
        if notes:
            ax.text(
                0.5,
                0.5,
                "NaN or infinite values\n(training diverged)",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="tab:red",
            )
    if title:
        fig.suptitle(title)
    return fig


def _labels(name: str, labels: object) -> np.ndarray:
    """Class labels as a 1-D array of finite numbers, or an error naming ``name``."""
    return as_array(name, labels, ndims=1, expected="a 1-D array of class labels", finite=True)


def misclassified_indices(true_labels, predicted_labels, count: int = 15) -> np.ndarray:
    """Indices of the first ``count`` mistakes, in dataset order: the same ones every run.

    >>> misclassified_indices([1, 2, 3, 4], [1, 0, 3, 0])
    array([1, 3])
    """
    true = _labels("true_labels", true_labels)
    predicted = _labels("predicted_labels", predicted_labels)
    same_length(("true_labels", "predicted_labels"), true, predicted)
    count = positive_int("count", count)
    return np.flatnonzero(true != predicted)[:count]


def _class_numbers(name: str, labels: np.ndarray, class_count: int | None) -> np.ndarray:
    """``labels`` as ints after checking they are whole numbers within the classes."""
    whole = np.equal(np.mod(labels, 1), 0) if labels.dtype.kind == "f" else True
    wrong = np.flatnonzero(~(whole & (labels >= 0) & (labels < MAX_CLASS_NUMBER)))
    if wrong.size:
        index = int(wrong[0])
        raise ValueError(
            f"{name}: got {show_value(labels[index])} at index {index}, expected class numbers "
            f"(whole numbers from 0 to {MAX_CLASS_NUMBER - 1:,})"
        )
    numbers = labels.astype(np.int64)
    if class_count is not None and numbers.max() >= class_count:
        index = int(np.argmax(numbers >= class_count))
        raise ValueError(
            f"{name}: got {numbers[index]} at index {index}, expected class numbers from 0 to "
            f"{class_count - 1} (one per name in class_names)"
        )
    return numbers


def plot_misclassified(
    images: np.ndarray,
    true_labels,
    predicted_labels,
    class_names: Sequence[str] | None = None,
    count: int = 15,
    ncols: int = 5,
):
    """A grid of misclassified images titled "true → predicted".

    The selection is deterministic and has no duplicates: the first ``count`` mistakes in
    dataset order (see ``misclassified_indices``). Labels are class numbers (whole
    numbers from 0, below ``len(class_names)`` when names are given).
    """
    batch = as_array(
        "images",
        images,
        ndims=(3, 4),
        expected="a batch (n, height, width[, channels])",
        finite=True,
    )
    true = _labels("true_labels", true_labels)
    predicted = _labels("predicted_labels", predicted_labels)
    same_length(("images", "true_labels"), batch, true)
    same_length(("true_labels", "predicted_labels"), true, predicted)
    names = None
    if class_names is not None:
        if isinstance(class_names, (str, bytes)) or not isinstance(
            class_names, Sequence | np.ndarray
        ):
            raise TypeError(
                f"class_names: got {describe(class_names)}, expected a list of names, one per class"
            )
        length_of("class_names", class_names)
        names = [str(name) for name in class_names]
    class_count = None if names is None else len(names)
    true = _class_numbers("true_labels", true, class_count)
    predicted = _class_numbers("predicted_labels", predicted, class_count)
    chosen = misclassified_indices(true, predicted, count)
    if len(chosen) == 0:
        raise ValueError("predicted_labels: every prediction is right, nothing to show")

    def name(label: int) -> str:
        return str(label) if names is None else names[label]

    titles = [f"{name(true[i])} → {name(predicted[i])}" for i in chosen]
    fig = plot_image_grid(batch[chosen], titles, ncols=ncols)
    fig.suptitle(f"{len(chosen)} misclassified images (true → predicted)")
    return fig


def plot_feature_maps(
    maps: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    cmap: str | None = None,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
    shared_scale: bool = True,
):
    """Show the channels of one feature-map tensor side by side.

    ``maps`` has shape (height, width, channels) — one image's output of a convolution
    layer. Feature maps are signed values, so every channel is drawn on a zero-centred
    scale (blue below zero, white at zero, red above; ``cmap`` replaces the colours, not
    the range). With ``shared_scale`` (the default) all channels share one scale, labelled
    by a colour bar, so a weak map looks weak beside a strong one; ``shared_scale=False``
    gives each channel its own (zero still in the middle, no colour bar).

    Pass a (1, h, w, c) batch of one and it is unwrapped. A (1, h, w) array is refused: it
    would read as maps one pixel high, and is almost always one image without its channel
    axis (write ``maps[0][..., None]`` or ``maps[..., None]``).
    """
    array = as_array(
        "maps", maps, ndims=(3, 4), expected="a (height, width, channels) tensor", finite=True
    )
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(
                f"maps: got a batch of {array.shape[0]} in shape {array.shape}, "
                "expected one image's maps (height, width, channels)"
            )
        array = array[0]
    elif array.shape[0] == 1 and array.shape[1] > 1:
        raise ValueError(
            f"maps: got shape {array.shape}, which reads as {array.shape[2]} maps of 1 × "
            f"{array.shape[1]} pixels; expected (height, width, channels). For one image of "
            f"{array.shape[1]} × {array.shape[2]}, add the channel axis: maps[0][..., None]"
        )
    _check_panel_count("maps", array.shape[-1], "channels")
    if not isinstance(shared_scale, (bool, np.bool_)):
        raise TypeError(f"shared_scale: got {describe(shared_scale)}, expected True or False")
    array = _prepare_images("maps", array, colour=False)  # a range matplotlib can draw
    channels = np.moveaxis(array, -1, 0).astype(np.float64)
    if titles is None:
        titles = [f"channel {c}" for c in range(len(channels))]
    else:
        titles = _titles("titles", titles, len(channels), "maps channels")
    ncols = positive_int("ncols", ncols)
    _check_cmap(cmap)
    _check_text("suptitle", suptitle)
    panel = _panel_size(panel_size)
    if shared_scale:
        limits = [_signed_limit("maps", channels)] * len(channels)
    else:
        limits = [_signed_limit("maps", channel) for channel in channels]
    return _draw_grid(
        channels, titles, ncols, cmap, suptitle, panel, limits, scale_bar=bool(shared_scale)
    )


def plot_filters(
    kernel: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.7, 1.9),
):
    """Show the filters of a Conv2D kernel of shape (kh, kw, in_channels, filters).

    With 3 input channels each filter is drawn in colour (rescaled to [0, 1] together, so
    filters stay comparable); otherwise the first input channel is drawn on the course's
    zero-centred scale (blue below zero, white at zero, red above), shared by all filters
    and labelled by a colour bar.
    """
    weights = as_array(
        "kernel",
        kernel,
        ndims=4,
        expected="a Conv2D kernel (height, width, in_channels, filters)",
        finite=True,
    )
    weights = weights.astype(np.float64)
    count = weights.shape[-1]
    _check_panel_count("kernel", count, "filters")
    if titles is None:
        titles = [f"filter {f}" for f in range(count)]
    else:
        titles = _titles("titles", titles, count, "kernel filters")
    ncols = min(positive_int("ncols", ncols), count)
    _check_text("suptitle", suptitle)
    width, height = _panel_size(panel_size)
    low, high = weights.min(), weights.max()
    if not math.isfinite(high - low):
        raise ValueError(
            f"kernel: got weights from {low:g} to {high:g}, a range too wide to draw; "
            "expected weights whose range is a finite number"
        )
    nrows = -(-count // ncols)
    plt = _pyplot()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained"
    )
    if weights.shape[2] == 3:
        scaled = (weights - low) / (high - low) if high > low else np.zeros_like(weights)
    limit = _signed_limit("kernel", weights[:, :, 0, :])
    drawn = None
    for index, ax in enumerate(axes.flat):
        if index >= count:
            ax.axis("off")
            continue
        if weights.shape[2] == 3:
            ax.imshow(scaled[:, :, :, index])
        else:
            drawn = ax.imshow(weights[:, :, 0, index], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(titles[index])
        ax.set_xticks([])
        ax.set_yticks([])
    if drawn is not None:
        _scale_bar(fig, axes, drawn)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
