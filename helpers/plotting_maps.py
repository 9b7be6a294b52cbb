"""Feature maps and convolution filters: signed values on the course's zero-centred scale.

Each function returns the matplotlib Figure it drew on, described for screen readers (see
``plotting_alt``; ``alt=`` replaces the description).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from . import plotting_alt as alt_text
from .plotting_common import (
    SIGNED_CMAP,
    _check_cmap,
    _check_panel_count,
    _check_text,
    _draw_grid,
    _panel_grid,
    _panel_size,
    _prepare_images,
    _scale_bar,
    _signed_limit,
    _titles,
    finish,
)
from .validation import as_array, describe, positive_int


def plot_feature_maps(
    maps: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    cmap: str | None = None,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
    shared_scale: bool = True,
    alt: str | None = None,
):
    """Show the channels of one feature-map tensor side by side.

    ``maps`` has shape (height, width, channels) — one image's output of a convolution
    layer. Feature maps are signed values, so every channel is drawn on a zero-centred
    scale (blue below zero, white at zero, red above; ``cmap`` replaces the colours, not
    the range, and the description names its colours). With ``shared_scale`` (the
    default) all channels share one scale, labelled by a colour bar, so a weak map looks
    weak beside a strong one; ``shared_scale=False`` gives each channel its own (zero
    still in the middle, no colour bar).

    Pass a (1, h, w, c) batch of one and it is unwrapped. A (1, h, w) array is refused: it
    would read as maps one pixel high, and is almost always one image without its channel
    axis (write ``maps[0][..., None]`` or ``maps[..., None]``). ``alt`` replaces the
    description for screen readers.
    """
    array = _one_image_maps(maps)
    _check_panel_count("maps", array.shape[-1], "channels")
    if not isinstance(shared_scale, (bool, np.bool_)):
        raise TypeError(f"shared_scale: got {describe(shared_scale)}, expected True or False")
    alt = alt_text.check_alt(alt)
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
    fig = _draw_grid(
        channels, titles, ncols, cmap, suptitle, panel, limits, scale_bar=bool(shared_scale)
    )
    default = _maps_description(channels, titles, suptitle, shared_scale, cmap)
    return finish(fig, alt, default)


def _one_image_maps(maps) -> np.ndarray:
    """``maps`` as one image's (height, width, channels) array, or an error naming ``maps``."""
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
    return array


def _strength(channel: np.ndarray) -> float:
    return float(np.abs(channel).max()) if channel.size else 0.0


def _maps_description(channels, titles, suptitle, shared_scale, cmap) -> str:
    count, height, width = channels.shape
    text = f"{suptitle}: " if suptitle else ""
    text += f"{count} feature map{'s' if count != 1 else ''} of {height} × {width}"
    text += f" ({alt_text.listing(titles)}), {alt_text.shading(True, cmap)}"
    if not shared_scale or count == 0:
        return f"{text}, each on its own scale."
    strengths = np.array([_strength(channel) for channel in channels])
    return (
        f"{text}, on one shared scale; {alt_text.value_range(channels)}; "
        f"{_strongest(strengths, titles)}."
    )


def _strongest(strengths: np.ndarray, titles: list[str]) -> str:
    """Which map holds the largest absolute value, in words; a tie is said as a tie."""
    top = float(strengths.max())
    size = f"largest absolute value {alt_text.number(top)}"
    tied = [titles[index] for index in np.flatnonzero(strengths == top)]
    if len(tied) == 1:
        return f"the strongest response is in {tied[0]} ({size})"
    if len(tied) == len(titles):
        return f"{'both maps' if len(tied) == 2 else 'all maps'} have the same {size}"
    if len(tied) == 2:
        return f"the strongest response is in both {tied[0]} and {tied[1]} ({size})"
    return f"the strongest response is shared by several maps ({alt_text.listing(tied)}; {size})"


def plot_filters(
    kernel: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.7, 1.9),
    alt: str | None = None,
):
    """Show the filters of a Conv2D kernel of shape (kh, kw, in_channels, filters).

    With 3 input channels each filter is drawn in colour (rescaled to [0, 1] together, so
    filters stay comparable); otherwise the first input channel is drawn on the course's
    zero-centred scale (blue below zero, white at zero, red above), shared by all filters
    and labelled by a colour bar. ``alt`` replaces the description for screen readers.
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
    alt = alt_text.check_alt(alt)
    low, high = weights.min(), weights.max()
    if not math.isfinite(high - low):
        raise ValueError(
            f"kernel: got weights from {low:g} to {high:g}, a range too wide to draw; "
            "expected weights whose range is a finite number"
        )
    fig = _draw_filters(weights, titles, ncols, (width, height))
    if suptitle:
        fig.suptitle(suptitle)
    kh, kw, inputs, _ = weights.shape
    drawn = (
        "in colour (the 3 input channels as red, green, blue)"
        if inputs == 3
        else ("input channel 0 drawn blue below zero, white at zero, red above")
    )
    default = (
        f"{suptitle + ': ' if suptitle else ''}{count} convolution filter"
        f"{'s' if count != 1 else ''} of {kh} × {kw} ({alt_text.listing(titles)}), {drawn}; "
        f"weights from {alt_text.number(low)} to {alt_text.number(high)}."
    )
    return finish(fig, alt, default)


def _draw_filters(weights: np.ndarray, titles: list[str], ncols: int, panel) -> object:
    """Draw checked filters in a grid: colour for 3 input channels, else channel 0 signed."""
    count = weights.shape[-1]
    low, high = weights.min(), weights.max()
    fig, axes = _panel_grid(count, ncols, panel)
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
    return fig
