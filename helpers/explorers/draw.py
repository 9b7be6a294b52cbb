"""The explorers' figures, drawn with matplotlib from what ``compute`` and ``trained`` return.

Each function returns a ``matplotlib.figure.Figure`` made without pyplot (so nothing is
shown twice in a notebook); ``png`` turns it into the bytes an image widget displays.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

DPI = 72


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _numbers(ax, values: np.ndarray, dark: np.ndarray, fmt: str = "{:.3g}") -> None:
    """Each value written on its cell, white where ``dark`` says the cell is drawn dark."""
    if values.size > 25:  # too many to read: the colours carry them
        return
    for (r, c), value in np.ndenumerate(values):
        colour = "white" if dark[r, c] else "black"
        ax.text(c, r, fmt.format(value + 0.0), ha="center", va="center", fontsize=8, color=colour)


def _dark_gray(values, low, high) -> np.ndarray:
    return (values - low) < 0.5 * max(high - low, 1e-12)  # the darker half of a gray scale


def _dark_signed(values, bound) -> np.ndarray:
    return np.abs(values) > 0.6 * bound  # the saturated ends of a blue-white-red scale


def _panel(ax, values, title, cmap="gray", **limits) -> None:
    ax.imshow(values, cmap=cmap, interpolation="nearest", **limits)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def convolution_figure(image, kernel, feature_map, step, row, col, title="") -> Figure:
    """The input and its window, the patch, kernel and product, the feature map so far."""
    figure = Figure(figsize=(11, 2.9))
    axes = figure.subplots(1, 5, width_ratios=[1.4, 1, 1, 1, 1.4])
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.78, wspace=0.12)
    kh, kw = kernel.shape
    _panel(axes[0], image, "input and window")
    axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), kw, kh, fill=False, lw=2, color="red"))
    low, high = float(image.min()), float(image.max())
    _panel(axes[1], step["patch"], "patch", vmin=low, vmax=high)
    _numbers(axes[1], step["patch"], _dark_gray(step["patch"], low, high))
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
    _panel(axes[4], filled, "feature map so far", cmap="RdBu_r", vmin=-bound, vmax=bound)
    axes[4].set_xlim(-0.5, feature_map.shape[1] - 0.5)
    axes[4].set_ylim(feature_map.shape[0] - 0.5, -0.5)
    axes[4].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=2, color="red"))
    figure.suptitle(title, fontsize=10)
    return figure


def output_size_figure(size, kernel, stride, padding, geometry, keras_size) -> Figure:
    """The padded input grid, the first window, and a dot at the centre of every window."""
    before, after = geometry["pad_before"], geometry["pad_after"]
    padded = size + before + after
    figure = Figure(figsize=(5.6, 5.2))
    ax = figure.subplots()
    figure.subplots_adjust(left=0.03, right=0.97, bottom=0.03, top=0.88)
    cells = np.zeros((padded, padded))
    cells[before : before + size, before : before + size] = 1
    ax.imshow(cells, cmap="Greys", vmin=-0.2, vmax=1.6, interpolation="nearest")
    ax.set_xticks(np.arange(-0.5, padded, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, padded, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    centres = [start + (kernel - 1) / 2 for start in geometry["starts"]]
    grid_x, grid_y = np.meshgrid(centres, centres)
    ax.scatter(grid_x, grid_y, s=18, color="tab:orange", zorder=3)
    ax.add_patch(Rectangle((-0.5, -0.5), kernel, kernel, fill=False, lw=2.5, color="red"))
    if stride <= size and len(centres) > 1:
        ax.add_patch(Rectangle((stride - 0.5, -0.5), kernel, kernel, fill=False, lw=1.5,
                               ls="--", color="red"))
    output = geometry["output"]
    formula = (f"⌊({size} − {kernel}) / {stride}⌋ + 1" if padding == "valid"
               else f"⌈{size} / {stride}⌉")
    ax.set_title(
        f"input {size}×{size} (padding: {before} before, {after} after), kernel {kernel}, "
        f"stride {stride}\nformula: {formula} = {output};  Conv2D says {keras_size}  "
        f"({'agree' if output == keras_size else 'DISAGREE'})",
        fontsize=9,
    )
    return figure


def pooling_figure(image, mode, result, pool_size, stride, row, col) -> Figure:
    """The crop, the pooled result, and where the highlighted pooled value came from."""
    shown = np.clip(image, 0, 1)
    pooled = result["pooled"]
    if mode == "depth-wise":
        figure = Figure(figsize=(10, 3.6))
        axes = figure.subplots(1, 3)
        figure.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05)
        _panel(axes[0], shown, "input crop")
        _panel(axes[1], np.clip(pooled[..., 0], 0, 1), "max over channels", vmin=0, vmax=1)
        winners = np.eye(3)[result["source"][..., 0] % 3]
        _panel(axes[2], winners, "which channel won (red, green, blue)")
        return figure
    figure = Figure(figsize=(9, 4.2))
    axes = figure.subplots(1, 2)
    figure.subplots_adjust(left=0.01, right=0.99, bottom=0.08, top=0.92, wspace=0.05)
    _panel(axes[0], shown, f"input crop: window at output ({row}, {col})")
    _panel(axes[1], np.clip(pooled, 0, 1), f"{mode} pooling {pool_size}×{pool_size}, "
           f"stride {stride}: {pooled.shape[0]}×{pooled.shape[1]}")
    top, left = row * stride, col * stride
    axes[0].add_patch(Rectangle((left - 0.5, top - 0.5), pool_size, pool_size,
                                fill=False, lw=2, color="red"))
    axes[1].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=2, color="red"))
    if mode == "max":
        # Different marker sizes, so that two channels whose maxima share a pixel both show.
        marks = [("red", "o", 13), ("lime", "s", 8), ("blue", "x", 7)]
        for channel, (colour, marker, size) in enumerate(marks[: image.shape[2]]):
            r, c = result["source"][row, col, channel]
            axes[0].plot(c, r, marker=marker, ms=size, mew=2, color=colour, fillstyle="none")
        axes[0].set_xlabel("where each channel's maximum came from: ○ red, □ green, × blue",
                           fontsize=8)
    else:
        axes[0].set_xlabel("every pixel in the window counts equally", fontsize=8)
    return figure


def model_figure(image, maps, layer, heading, heat=None, count=16) -> Figure:
    """The image (with where the model looked, if given) and the first ``count`` feature maps."""
    figure = Figure(figsize=(10, 4.4))
    ax = figure.add_axes((0.01, 0.1, 0.3, 0.78))
    picture = image[..., 0] if image.shape[-1] == 1 else np.clip(image, 0, 1)
    _panel(ax, picture, heading)
    if heat is not None:
        ax.imshow(heat, cmap="Reds", vmin=0, vmax=1, alpha=0.7 * heat)
        ax.set_xlabel("red: hiding it lowers the score most", fontsize=8)
    shown = min(count, maps.shape[-1])
    mosaic, columns = _mosaic(maps[..., :shown])
    grid = figure.add_axes((0.36, 0.02, 0.63, 0.86))
    palette = matplotlib.colormaps["viridis"].with_extremes(bad="white")
    grid.imshow(mosaic, cmap=palette, vmin=0, vmax=1, interpolation="nearest")
    grid.set_axis_off()
    step = (maps.shape[0] + 1, maps.shape[1] + 1)
    for index in range(shown):
        grid.text((index % columns) * step[1] - 0.3, (index // columns) * step[0] - 0.3,
                  str(index), fontsize=6, va="top", color="white")
    grid.set_title(f"{layer}: maps 0–{shown - 1} of {maps.shape[-1]}, "
                   f"{maps.shape[0]}×{maps.shape[1]} each, each on its own scale", fontsize=9,
                   pad=10)
    return figure


def _mosaic(maps: np.ndarray) -> tuple[np.ndarray, int]:
    """(H, W, n) maps tiled in a near-square grid, one pixel of NaN between them, each map
    scaled to [0, 1] on its own (a constant map is 0); returns the mosaic and its columns."""
    height, width, count = maps.shape
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    low = maps.min(axis=(0, 1))
    span = maps.max(axis=(0, 1)) - low
    scaled = (maps - low) / np.where(span > 0, span, 1)
    mosaic = np.full((rows * (height + 1) - 1, columns * (width + 1) - 1), np.nan)
    for index in range(count):
        top, left = (index // columns) * (height + 1), (index % columns) * (width + 1)
        mosaic[top : top + height, left : left + width] = scaled[..., index]
    return mosaic, columns
