"""What every plot of the course shares: limits, colour maps, checks and the drawing of panels.

One convention for every grayscale picture in the course (taught in notebook 02):

- **Images of data** (uint8 from 0 to 255, or floats from 0 to 1) are drawn ink-dark on a
  light background (``gray_r``) on their whole fixed range, so two images keep comparable
  shades.
- **Signed values** (filters, feature maps, standardised images: anything else) are drawn on
  a scale whose middle is zero: ``vmin = -m``, ``vmax = m``, with blue below zero, white at
  zero and red above (``RdBu_r``). A grid of them shares one ``m``, and a colour bar labels it.

The public functions live in ``plotting_images``, ``plotting_maps`` and ``plotting_history``;
learners import them from ``helpers.plotting``.
"""

from __future__ import annotations

import math

import numpy as np

from . import plotting_alt as alt_text
from .validation import describe, finite_float, same_length, show_value

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

PAGE_WIDTH_PX = 920
"""The width of a notebook's content on GitHub: wider figures are scaled down to it."""

MIN_TEXT_PX = 10.0
"""The smallest text of a figure, in screen pixels, once scaled down to ``PAGE_WIDTH_PX``."""

INLINE_DPI = 100
"""Pixels per inch of the pictures a notebook stores (matplotlib's and the inline default)."""

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
            f"{name}: got colour floats from {low!r} to {high!r}, just above the 0-1 range: "
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


def _titles(name: str, titles: object, count: int, count_name: str) -> list[str] | None:
    """``titles`` as a list of ``count`` strings (or None); raise naming ``name`` if not."""
    if titles is None:
        return None
    same_length((count_name, name), range(count), titles)
    return [str(title) for title in titles]


def _panel_grid(count: int, ncols: int, panel) -> tuple:
    """A figure of ``count`` panels in rows of ``ncols``, each ``panel`` (width, height) inches."""
    nrows = -(-count // ncols)
    return _pyplot().subplots(
        nrows,
        ncols,
        figsize=(panel[0] * ncols, panel[1] * nrows),
        squeeze=False,
        layout="constrained",
    )


def _draw_grid(batch, titles, ncols, cmap, suptitle, panel, limits, scale_bar=True):
    """Draw checked images in a grid; ``limits``: None (data) or one ``m`` per panel."""
    count = len(batch)
    fig, axes = _panel_grid(count, min(ncols, count), panel)
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


def legible_text(fig) -> None:
    """Enlarge the smallest text of a wide figure so that it keeps ``MIN_TEXT_PX`` on a page
    ``PAGE_WIDTH_PX`` wide, which shrinks the figure; text already large enough is kept."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

    # 10% to spare: a colour bar's label can reach past the figure's nominal width.
    shrink = max(1.0, 1.1 * fig.get_figwidth() * INLINE_DPI / PAGE_WIDTH_PX)
    smallest = MIN_TEXT_PX * 72 / INLINE_DPI * shrink  # in points
    for text in fig.findobj(Text):
        if text.get_fontsize() < smallest:
            text.set_fontsize(smallest)
    for axis in ("x", "y"):
        size = FontProperties(size=rcParams[f"{axis}tick.labelsize"]).get_size_in_points()
        if size < smallest:
            for ax in fig.axes:
                ax.tick_params(axis=axis, labelsize=smallest)


def finish(fig, alt: str | None, default: str):
    """The last step of every plotting function: legible text, then the description."""
    legible_text(fig)
    return alt_text.attach(fig, alt, default)
