"""Images and grids of images: one picture, a batch, the mistakes of a classifier.

Each function returns the matplotlib Figure it drew on, described for screen readers (see
``plotting_alt``; ``alt=`` replaces the description). Grayscale follows the course's
convention in ``plotting_common``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import plotting_alt as alt_text
from .plotting_common import (
    MAX_CLASS_NUMBER,
    _check_cmap,
    _check_panel_count,
    _check_signed,
    _check_text,
    _draw,
    _draw_grid,
    _panel_size,
    _prepare_images,
    _pyplot,
    _signed_limit,
    _titles,
    _use_signed,
    finish,
)
from .validation import as_array, describe, length_of, positive_int, same_length, show_value


def show_image(
    image: np.ndarray,
    title: str | None = None,
    cmap: str | None = None,
    signed: bool | None = None,
    alt: str | None = None,
):
    """Show one image: (h, w) or (h, w, 1) as grayscale, (h, w, 3) as colour.

    Grayscale follows the course's convention (see the module docstring): an image of data
    (uint8 0-255, floats 0-1) is drawn ink-dark on light on its whole range; anything else
    (a standardised image, a feature map) on a blue-white-red scale with zero in the middle.
    ``signed=True`` asks for the zero-centred scale, ``signed=False`` insists on data
    (and raises for anything else); ``None`` decides from the values. ``cmap`` replaces
    the colour map, not the range. Colour images are drawn on 0-1 (floats) or 0-255
    (integers, and floats that lie in 0-255). NaN or infinite values raise. ``alt``
    replaces the figure's description for screen readers.
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
    alt = alt_text.check_alt(alt)
    array, colour, limit = _prepared("image", array, signed, 3)
    plt = _pyplot()
    size = (3, 3) if array.shape[0] <= 64 else (6.4, 4.3)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    _draw(ax, array, title, cmap, limit)
    return finish(fig, alt, _image_description(array, title, colour, limit, cmap))


def _image_batch(images: object) -> np.ndarray:
    """``images`` as a finite (n, height, width[, channels]) array; raise naming it if not."""
    return as_array(
        "images", images, ndims=(3, 4), expected="a batch (n, height, width[, channels])",
        finite=True,
    )


def _prepared(name: str, array: np.ndarray, signed: bool | None, colour_ndim: int) -> tuple:
    """Checked pixels of one image (``colour_ndim`` 3) or a batch (4), whether they are colour,
    and the signed scale's ``m`` (None for data drawn on its fixed range)."""
    colour = array.ndim == colour_ndim and array.shape[-1] == 3
    colour_noun = "a colour image" if colour_ndim == 3 else "colour images"
    if colour and signed:
        raise ValueError(f"signed: got True for {colour_noun}, expected None or False")
    array = _prepare_images(name, array, colour=colour)
    if colour or not _use_signed(name, array, signed):
        return array, colour, None
    return array, colour, _signed_limit(name, array)


def _image_description(array, title, colour, limit, cmap) -> str:
    named = f" titled '{title}'" if title else ""
    text = f"One {alt_text.image_kind(array.shape, colour)} image{named}"
    if colour:
        return f"{text}."
    return f"{text}, {alt_text.value_range(array)}, {alt_text.shading(limit is not None, cmap)}."


def plot_image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 5,
    cmap: str | None = None,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
    signed: bool | None = None,
    alt: str | None = None,
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
    colour map, never the range. ``alt`` replaces the description for screen readers.
    """
    batch = _image_batch(images)
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
    alt = alt_text.check_alt(alt)
    batch, colour, limit = _prepared("images", batch, signed, 4)
    limits = None if limit is None else [limit] * len(batch)
    fig = _draw_grid(batch, titles, ncols, cmap, suptitle, (width, height), limits)
    default = _grid_description(batch, titles, suptitle, colour, limits is not None, cmap)
    return finish(fig, alt, default)


def _grid_description(batch, titles, suptitle, colour, signed, cmap) -> str:
    count = len(batch)
    kind = alt_text.image_kind(batch.shape[1:], colour)
    text = f"{suptitle}: a" if suptitle else "A"
    text += f" grid of {count} {kind} image{'s' if count != 1 else ''}"
    if titles:
        text += f", titled {alt_text.listing(titles)}"
    if colour or count == 0:
        return f"{text}."
    return f"{text}; {alt_text.value_range(batch)}, {alt_text.shading(signed, cmap)}."


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
    alt: str | None = None,
):
    """A grid of misclassified images titled "true → predicted".

    The selection is deterministic and has no duplicates: the first ``count`` mistakes in
    dataset order (see ``misclassified_indices``). Labels are class numbers (whole
    numbers from 0, below ``len(class_names)`` when names are given). ``alt`` replaces
    the description for screen readers (by default: how many, and each true → predicted).
    """
    batch = _image_batch(images)
    true = _labels("true_labels", true_labels)
    predicted = _labels("predicted_labels", predicted_labels)
    alt = alt_text.check_alt(alt)
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
    heading = f"{len(chosen)} misclassified images (true → predicted)"
    fig = plot_image_grid(batch[chosen], titles, ncols=ncols)
    fig.suptitle(heading)
    default = f"{heading}: {alt_text.listing(titles, limit=len(titles))}."
    return finish(fig, alt, default)
