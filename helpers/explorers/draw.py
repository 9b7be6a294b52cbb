"""The explorers' figures, drawn with matplotlib from what ``compute`` and ``trained`` return.

Each function returns a ``matplotlib.figure.Figure`` made without pyplot (so nothing is
shown twice in a notebook); ``png`` turns it into the bytes an image widget displays.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..plotting_alt import describe_figure
from ..plotting_common import DATA_CMAP, SIGNED_CMAP, SIGNED_LABEL, _signed_limit

DPI = 72
# Okabe-Ito colours (Okabe & Ito, "Color Universal Design", 2008), told apart with the
# common colour-vision deficiencies; a black edge keeps them visible on light and dark.
ORANGE, SKY_BLUE, YELLOW, VERMILLION = "#E69F00", "#56B4E9", "#F0E442", "#D55E00"
_EDGED = [patheffects.withStroke(linewidth=5.5, foreground="black")]
NOT_COMPUTED = "0.85"  # light grey: feature-map cells the convolution has not reached yet
MAP_FRAME = "0.55"  # grey frame around each feature map of the model explorer


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def blank_figure(message: str) -> Figure:
    """An empty, grey figure that says ``message``: shown for a setting that is not
    possible, so that no earlier picture contradicts the controls."""
    figure = Figure(figsize=(5.6, 1.6), facecolor="0.92")
    figure.text(0.03, 0.5, "\n".join(textwrap.wrap(message, 80)), fontsize=9, va="center")
    return describe_figure(figure, message)


def _numbers(ax, values: np.ndarray, dark: np.ndarray, fmt: str = "{:.3g}") -> None:
    """Each value written on its cell, white where ``dark`` says the cell is drawn dark."""
    if values.size > 25:  # too many to read: the colours carry them
        return
    for (r, c), value in np.ndenumerate(values):
        colour = "white" if dark[r, c] else "black"
        ax.text(c, r, fmt.format(value + 0.0), ha="center", va="center", fontsize=8, color=colour)


def _dark_data(values) -> np.ndarray:
    return values > 0.5  # the darker half of the course's 0-1 data scale (gray_r: 1 is black)


def _dark_signed(values, bound) -> np.ndarray:
    return np.abs(values) > 0.6 * bound  # the saturated ends of a blue-white-red scale


def _panel(ax, values, title, cmap="gray", **limits) -> None:
    ax.imshow(values, cmap=cmap, interpolation="nearest", **limits)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def convolution_figure(image, kernel, feature_map, step, row, col, title="") -> Figure:
    """The input and its window, the patch, kernel and product, the feature map so far."""
    figure = Figure(figsize=(11, 3.2))
    axes = figure.subplots(1, 5, width_ratios=[1.4, 1, 1, 1, 1.4])
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.09, top=0.76, wspace=0.12)
    kh, kw = kernel.shape
    _panel(axes[0], image, "input and window", cmap=DATA_CMAP, vmin=0, vmax=1)
    axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), kw, kh, fill=False, lw=2, color="red"))
    axes[0].set_xlabel("pixels on one scale: 0 white, 1 black", fontsize=8)
    _panel(axes[1], step["patch"], "patch", cmap=DATA_CMAP, vmin=0, vmax=1)
    _numbers(axes[1], step["patch"], _dark_data(step["patch"]))
    bound = max(float(np.abs(kernel).max()), 1e-6)
    _panel(axes[2], kernel, "kernel", cmap="RdBu_r", vmin=-bound, vmax=bound)
    _numbers(axes[2], kernel, _dark_signed(kernel, bound))
    product = step["product"]
    bound = max(float(np.abs(product).max()), 1e-6)
    _panel(axes[3], product, f"patch × kernel\nsum = {step['value']:.3g}",
           cmap="RdBu_r", vmin=-bound, vmax=bound)
    _numbers(axes[3], product, _dark_signed(product, bound))
    filled = np.ma.masked_array(feature_map, mask=np.ones(feature_map.shape, bool))
    filled.mask.flat[: row * feature_map.shape[1] + col + 1] = False
    bound = max(float(np.abs(feature_map).max()), 1e-6)
    unset = matplotlib.colormaps[SIGNED_CMAP].with_extremes(bad=NOT_COMPUTED)
    _panel(axes[4], filled, "feature map so far", cmap=unset, vmin=-bound, vmax=bound)
    axes[4].set_xlabel("grey: not computed yet", fontsize=8)
    axes[4].set_xlim(-0.5, feature_map.shape[1] - 0.5)
    axes[4].set_ylim(feature_map.shape[0] - 0.5, -0.5)
    axes[4].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=2, color="black"))
    figure.suptitle(title, fontsize=10)
    return describe_figure(figure, (
        f"{title}. The {kh}×{kw} window at row {row}, column {col} of the "
        f"{image.shape[0]}×{image.shape[1]} input, the patch under it, the kernel, their "
        f"product (sum {step['value']:.3g}), and the {feature_map.shape[0]}×"
        f"{feature_map.shape[1]} feature map filled up to that pixel"))


def output_size_figure(size, kernel, stride, padding, geometry, keras_size) -> Figure:
    """The padded input grid, the first two windows, and a dot at the centre of every window."""
    before, after = geometry["pad_before"], geometry["pad_after"]
    padded = size + before + after
    figure = Figure(figsize=(5.6, 5.6))
    ax = figure.subplots()
    figure.subplots_adjust(left=0.03, right=0.97, bottom=0.12, top=0.88)
    cells = np.zeros((padded, padded))
    cells[before : before + size, before : before + size] = 1
    ax.imshow(cells, cmap="Greys", vmin=-0.2, vmax=1.6, interpolation="nearest")
    # No major ticks: automatic ones can land on the cell borders and hide the minor ones.
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xticks(np.arange(-0.5, padded, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, padded, 1), minor=True)
    ax.grid(which="minor", color="0.8", lw=1)  # seen on the dark input and the light padding
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    centres = [start + (kernel - 1) / 2 for start in geometry["starts"]]
    grid_x, grid_y = np.meshgrid(centres, centres)
    ax.scatter(grid_x, grid_y, s=30, color=YELLOW, edgecolors="black", zorder=4)
    ax.add_patch(Rectangle((-0.5, -0.5), kernel, kernel, fill=False, lw=3.5, color=ORANGE,
                           path_effects=_EDGED, zorder=3, clip_on=False))
    caption = ["solid: first window", "dots: window centres"]
    if stride <= size and len(centres) > 1:
        inset = 0.12  # so that the edges the two windows share both show
        ax.add_patch(Rectangle((stride - 0.5 + inset, -0.5 + inset), kernel - 2 * inset,
                               kernel - 2 * inset, fill=False, lw=3.5, ls=(0, (3, 2)),
                               color=SKY_BLUE, path_effects=_EDGED, zorder=3, clip_on=False))
        caption[0] += ", dashed: next window (one stride on)"
    if before + after:
        caption.append("light cells: padding zeros")
    figure.text(0.5, 0.02, "\n".join(caption), ha="center", va="bottom", fontsize=9)
    output = geometry["output"]
    formula = (f"⌊({size} − {kernel}) / {stride}⌋ + 1" if padding == "valid"
               else f"⌈{size} / {stride}⌉")
    agree = output == keras_size
    ax.set_title(
        f"input {size}×{size} (padding: {before} before, {after} after), kernel {kernel}, "
        f"stride {stride}\nformula: {formula} = {output};  Conv2D says {keras_size}  "
        f"({'agree' if agree else 'DISAGREE'})",
        fontsize=9,
    )
    padding_words = ("no padding" if padding == "valid"
                     else f"same padding ({before} before, {after} after, in zeros)")
    return describe_figure(figure, (
        f"{size}×{size} input, {kernel}×{kernel} window, stride {stride}, {padding_words}: "
        f"{output}×{output} window centres, so a {output}×{output} output; formula and "
        f"Conv2D {'agree' if agree else f'disagree (Conv2D says {keras_size})'}"))


def pooling_figure(image, mode, result, pool_size, stride, row, col, source) -> Figure:
    """The crop (``source`` says where it came from), the pooled result, and where the
    highlighted pooled value came from."""
    shown = np.clip(image, 0, 1)
    if mode == "depth-wise":
        return _depthwise_figure(shown, result, pool_size, source)
    pooled = result["pooled"]
    figure = Figure(figsize=(9, 4.6))
    axes = figure.subplots(1, 2)
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.12, top=0.88, wspace=0.05)
    _panel(axes[0], shown, f"{source}\nwindow of output ({row}, {col})")
    _panel(axes[1], np.clip(pooled, 0, 1), f"{mode} pooling {pool_size}×{pool_size}, "
           f"stride {stride}: {pooled.shape[0]}×{pooled.shape[1]}")
    top, left = row * stride, col * stride
    for ax, corner, side in [(axes[0], (left, top), pool_size), (axes[1], (col, row), 1)]:
        ax.add_patch(Rectangle((corner[0] - 0.5, corner[1] - 0.5), side, side, fill=False,
                               lw=3, color="white", path_effects=_EDGED))
    text = (f"{mode} pooling of {source} ({image.shape[0]}×{image.shape[1]}, "
            f"{image.shape[2]} channels), {pool_size}×{pool_size} windows, stride {stride}: "
            f"a {pooled.shape[0]}×{pooled.shape[1]} output; the window of output ({row}, "
            f"{col}) is outlined in white on the crop and its value on the output")
    if mode == "max":
        # Different marker sizes, so that two channels whose maxima share a pixel both show.
        marks = [("red", "o", 14), ("lime", "s", 9), ("blue", "x", 8)]
        for channel, (colour, marker, size) in enumerate(marks[: image.shape[2]]):
            r, c = result["source"][row, col, channel]
            axes[0].plot(c, r, marker=marker, ms=size, mew=2.5, color=colour, fillstyle="none",
                         path_effects=[patheffects.withStroke(linewidth=4, foreground="white")])
        caption = ("marks: the pixel that won in each colour channel (not always the same "
                   "pixel): ○ red, □ green, × blue")
        text += "; marks show the pixel that won in each colour channel"
    else:
        caption = "every pixel in the window counts equally"
    figure.text(0.01, 0.03, caption, fontsize=9, va="bottom")
    return describe_figure(figure, text)


def _depthwise_figure(shown, result, pool_size, source) -> Figure:
    figure = Figure(figsize=(10, 3.9))
    axes = figure.subplots(1, 3)
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.86, wspace=0.05)
    pooled = result["pooled"]
    _panel(axes[0], shown, source)
    _panel(axes[1], np.clip(pooled[..., 0], 0, 1),
           f"max over groups of {pool_size} channels", vmin=0, vmax=1)
    winners = np.eye(3)[result["source"][..., 0] % 3]
    _panel(axes[2], winners, "which channel won (red, green, blue)")
    return describe_figure(figure, (
        f"depth-wise max pooling of {source} over groups of {pool_size} channels: the "
        f"{pooled.shape[0]}×{pooled.shape[1]} maximum of the first group, and a map of which "
        "channel (red, green or blue) won at each pixel"))


def model_figure(image, maps, layer, heading, heat=None, count=16) -> Figure:
    """The image (with where the model looked, if ``heat`` holds ``trained.occlusion``'s
    result: the drop in the predicted class's probability) and the first ``count`` feature maps,
    on the course's zero-centred scale (blue below 0, white at 0, red above), one scale
    shared by the maps shown and labelled by a colour bar: a dead map is white."""
    figure = Figure(figsize=(10, 4.4))
    ax = figure.add_axes((0.01, 0.2, 0.3, 0.68))  # room below for a four-line caption
    where = _image_panel(ax, image, heading, heat)
    shown = min(count, maps.shape[-1])
    mosaic, columns = _mosaic(maps[..., :shown])
    bound = _signed_limit("maps", maps[..., :shown])
    grid = figure.add_axes((0.35, 0.02, 0.64, 0.86))
    palette = matplotlib.colormaps[SIGNED_CMAP].with_extremes(bad="white")
    drawn = grid.imshow(mosaic, cmap=palette, vmin=-bound, vmax=bound, interpolation="nearest")
    grid.set_axis_off()
    grid.set_xlim(-1, mosaic.shape[1])  # room for the frames of the last row and column
    grid.set_ylim(mosaic.shape[0], -1)
    figure.colorbar(drawn, ax=grid, shrink=0.8, pad=0.01, label=SIGNED_LABEL)
    step = (maps.shape[0] + 1, maps.shape[1] + 1)
    for index in range(shown):
        left, top = (index % columns) * step[1] - 0.5, (index // columns) * step[0] - 0.5
        grid.add_patch(Rectangle((left, top), maps.shape[1], maps.shape[0], fill=False,
                                 lw=0.8, color=MAP_FRAME))  # a white (all-zero) map keeps edges
        grid.text(left + 0.2, top + 0.2, str(index), fontsize=6, va="top", color="black")
    grid.set_title(f"{layer}: maps 0–{shown - 1} of {maps.shape[-1]}, "
                   f"{maps.shape[0]}×{maps.shape[1]} each, one shared scale (white: 0)",
                   fontsize=9, pad=10)
    return describe_figure(figure, (
        f"{heading}{where}; feature maps 0 to {shown - 1} of the {maps.shape[-1]} of layer "
        f"{layer}, {maps.shape[0]}×{maps.shape[1]} each, on one shared scale, blue below "
        "zero, white at zero, red above"))


OCCLUSION_CMAP = "Oranges"  # one hue, apart from the maps' red and blue; colour-blind safe
OCCLUSION_FLOOR = 0.05  # the overlay's full colour needs a drop of at least this probability


def _image_panel(ax, image, heading, occluded) -> str:
    """The image as the network receives it and, given ``trained.occlusion``'s result, the
    drop in the predicted class's probability over it, in orange on a fixed scale from 0
    to max(largest drop, OCCLUSION_FLOOR): a tiny drop stays pale. Returns the alt text's
    part about it."""
    picture = image[..., 0] if image.shape[-1] == 1 else image
    lines, words = [], ""
    if picture.min() < 0 or picture.max() > 1:  # standardised: show the 1st-99th percentiles
        low, high = np.percentile(picture, [1, 99])
        picture = np.clip((picture - low) / max(high - low, 1e-6), 0, 1)
        lines.append("as the network receives it (standardised)")
        words = " (standardised, drawn between its 1st and 99th percentiles)"
    title = "\n".join(textwrap.wrap(heading, 44))  # a long heading would leave the figure
    _panel(ax, picture, title, cmap=DATA_CMAP if picture.ndim == 2 else None, vmin=0, vmax=1)
    if occluded is not None:
        drop, name = occluded["drop"], occluded["name"]
        top = float(drop.max())
        scale = max(top, OCCLUSION_FLOOR)
        ax.imshow(drop, cmap=OCCLUSION_CMAP, vmin=0, vmax=scale,
                  alpha=0.75 * np.clip(drop / scale, 0, 1), interpolation="nearest")
        before = occluded["probability"]
        lines += textwrap.wrap(  # narrow enough for the panel's width
            f"orange: covering it lowers the probability P({name}); largest drop {top:.3f} "
            f"(from {before:.3f} to {before - top:.3f}); full orange: {scale:.2f}", 44)
        row, col = np.unravel_index(int(drop.argmax()), drop.shape)
        words += (f"; orange marks where covering the image lowers the probability of "
                  f"{name} ({before:.3f}): the largest drop, {top:.3f}, is at the "
                  f"{_place(row, col, drop.shape)} of the image")
        if top < OCCLUSION_FLOOR:
            words += f", below {OCCLUSION_FLOOR}, so the orange stays pale"
    ax.set_xlabel("\n".join(lines), fontsize=8)
    return words


def _place(row, col, shape) -> str:
    """Where (row, col) lies in an image of ``shape``, in words: "top left", "centre"."""
    vertical = ["top", "middle", "bottom"][min(3 * row // shape[0], 2)]
    horizontal = ["left", "centre", "right"][min(3 * col // shape[1], 2)]
    if vertical == "middle":
        return "centre" if horizontal == "centre" else f"middle {horizontal}"
    return vertical if horizontal == "centre" else f"{vertical} {horizontal}"


def _mosaic(maps: np.ndarray) -> tuple[np.ndarray, int]:
    """(H, W, n) maps tiled in a near-square grid, their values as they are, NaN in the
    one-pixel gaps and empty places; returns the mosaic and its columns."""
    height, width, count = maps.shape
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    mosaic = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), np.nan)
    for index in range(count):
        top, left = (index // columns) * (height + 1), (index % columns) * (width + 1)
        mosaic[top : top + height, left : left + width] = maps[..., index]
    return mosaic, columns
