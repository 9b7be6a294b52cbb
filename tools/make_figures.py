"""Draw the figures that explain convolution and pooling in notebook 02.

    python -m tools.make_figures            # writes helpers/diagrams/*.png
    python -m tools.make_figures --test     # draws and writes temporary files only

The course draws its own figures, so nothing depends on images hosted elsewhere. They are
package data of ``helpers``: notebook 02 shows them as code-cell outputs
(``helpers.plotting.show_diagram``), which every surface renders (GitHub and nbviewer do not
render cell attachments, jupyter/notebook#4853), also on Colab with the notebook alone. The
outputs are committed; rerun this script after changing it. It writes the same bytes on
every run (no timestamps or version strings in the files), so an unchanged figure never
shows up as a change in git.

- ``convolution.png``: a 3×3 kernel on a 6×6 input, at one position, with the dot product
  written out, and the whole 4×4 output.
- ``convolution_steps.png``: the same kernel sliding over the input step by step, the
  output filling in (a strip of frames rather than an animation: nbconvert and GitHub
  show a PNG output everywhere, an animated GIF output not at all).
- ``max_pooling.png``: 2×2 max pooling with stride 2 on a 4×4 input.
- ``padding_and_strides.png``: how ``padding`` and ``strides`` change the output size.

Colours (checked by ``tests/test_colours.py`` under simulated protanopia, deuteranopia and
tritanopia): the sliding window is black with a white rim, which keeps a 3:1 contrast on
every cell colour; the four pooling blocks have four Okabe-Ito hues and four line styles.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from tools import fileio
from tools.layout import ROOT

OUTPUT_DIR = ROOT / "helpers" / "diagrams"

# A short vertical pen stroke (ink dark on a light background, as the course draws data),
# in small whole numbers so that a learner can redo the arithmetic in their head.
STROKE = np.array(
    [
        [0, 0, 1, 2, 0, 0],
        [0, 0, 2, 2, 0, 0],
        [0, 0, 2, 2, 1, 0],
        [0, 1, 2, 2, 0, 0],
        [0, 0, 2, 2, 0, 0],
        [0, 0, 2, 1, 0, 0],
    ]
)
# Low values on the left, high (ink) on the right give a positive response: a vertical-edge filter.
VERTICAL_EDGE = np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])
# The position the static figure explains (row, column of the window's top-left cell).
SHOWN_POSITION = (1, 0)

POOL_INPUT = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 7, 2], [3, 2, 4, 6]])

# The sliding window: a black line on a white rim, so that one of the two stands out on any
# cell (white, gray, deep red or deep blue), whatever the reader's colour vision.
WINDOW_COLOUR = "#000000"
WINDOW_RIM = "#ffffff"
# Okabe-Ito bluish green, blue, vermillion and reddish purple (Okabe & Ito, "Color Universal
# Design", 2008), each block with its own line style too, so position, hue and dash agree.
POOL_COLOURS = ("#009E73", "#0072B2", "#D55E00", "#CC79A7")
POOL_STYLES = ("-", "--", ":", "-.")
MARK_COLOUR = "#0072B2"  # where each window's centre lands (padding and strides)
# The frames of the step-by-step strip: the first row's four positions, then the start and
# end of the next rows (window position, as (row, column) of its top-left cell).
STEP_POSITIONS = ((0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 3), (2, 3), (3, 3))
PNG_METADATA = {"Software": None}  # no matplotlib version in the file: same bytes every run

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same
    "font.size": 11,
    "figure.dpi": 100,
    "savefig.dpi": 100,
}


def convolve_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` without padding; one dot product per position.

    (What Keras' Conv2D computes, up to the bias: deep-learning "convolution" does not flip
    the kernel.)
    """
    kh, kw = kernel.shape
    rows, cols = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    return np.array(
        [[np.sum(image[r : r + kh, c : c + kw] * kernel) for c in range(cols)] for r in range(rows)]
    )


def draw_grid(ax, values, cmap, vmin, vmax, title, shown=None, fmt="{:d}"):
    """Numbers in coloured cells; cells where ``shown`` is False are left blank."""
    values = np.asarray(values)
    mask = np.ones(values.shape, bool) if shown is None else shown
    ax.imshow(np.where(mask, values, np.nan), cmap=cmap, vmin=vmin, vmax=vmax)
    colormap = plt.get_cmap(cmap)
    for (row, col), value in np.ndenumerate(values):
        ax.add_patch(
            Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#999999", lw=0.8)
        )
        if not mask[row, col]:
            continue
        shade = colormap((value - vmin) / (vmax - vmin))
        text = fmt.format(int(value)).replace("-", "−")
        ax.text(col, row, text, ha="center", va="center", color=text_colour(shade))
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def relative_luminance(rgb) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour with channels in [0, 1]."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(shade) -> str:
    """Black or white, whichever contrasts more with ``shade`` (WCAG contrast ratio)."""
    luminance = relative_luminance(shade)
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def outline(ax, row, col, height=1, width=1, colour=WINDOW_COLOUR, lw=3.0, style="-"):
    """A rectangle around cells, drawn on a wider white rim so that it shows on any colour."""
    corner = (col - 0.5, row - 0.5)
    ax.add_patch(Rectangle(corner, width, height, fill=False, edgecolor=WINDOW_RIM, lw=lw + 3))
    ax.add_patch(
        Rectangle(corner, width, height, fill=False, edgecolor=colour, lw=lw, linestyle=style)
    )


def dot_product_text(window: np.ndarray, kernel: np.ndarray) -> str:
    """The dot product of one window written out row by row, e.g. "0·(−1) + 0·0 + 1·1"."""

    def number(value: int) -> str:
        return f"({value})".replace("-", "−") if value < 0 else str(value)

    rows = [
        " + ".join(f"{a}·{number(b)}" for a, b in zip(win_row, ker_row, strict=True))
        for win_row, ker_row in zip(window, kernel, strict=True)
    ]
    total = int(np.sum(window * kernel))
    return "\n+ ".join(rows) + f"\n= {total}".replace("-", "−")


def draw_convolution_frame(fig, position: tuple[int, int], filled: int) -> None:
    """One picture of the convolution: input with window, kernel, output, arithmetic."""
    fig.clear()
    output = convolve_valid(STROKE, VERTICAL_EDGE)
    row, col = position
    kh, kw = VERTICAL_EDGE.shape
    grid = fig.add_gridspec(
        1, 4, width_ratios=[6, 3, 4, 4.4], wspace=0.3, left=0.02, right=0.98, bottom=0.03, top=0.9
    )
    ax_input, ax_kernel, ax_output, ax_text = (fig.add_subplot(grid[0, i]) for i in range(4))

    draw_grid(ax_input, STROKE, "Greys", -0.4, 2.6, "input (6×6)")
    outline(ax_input, row, col, kh, kw)
    draw_grid(ax_kernel, VERTICAL_EDGE, "RdBu_r", -1.6, 1.6, "kernel (3×3)")
    outline(ax_kernel, 0, 0, kh, kw)
    shown = np.arange(output.size).reshape(output.shape) < filled
    limit = np.abs(output).max() * 1.3
    draw_grid(ax_output, output, "RdBu_r", -limit, limit, "output (4×4)", shown=shown)
    outline(ax_output, row, col)

    window = STROKE[row : row + kh, col : col + kw]
    ax_text.axis("off")
    ax_text.text(
        0.0, 0.5, f"at row {row}, column {col}:\n\n" + dot_product_text(window, VERTICAL_EDGE),
        va="center", ha="left", family="DejaVu Sans Mono", fontsize=10.5,
        transform=ax_text.transAxes,
    )


def save_png(fig, path: Path) -> Path:
    fileio.write_atomically(
        path,
        lambda target: fig.savefig(
            target, format="png", metadata=PNG_METADATA, facecolor="white", bbox_inches="tight"
        ),
    )
    return path


def convolution_png(folder: Path) -> Path:
    fig = plt.figure(figsize=(10.5, 3.2))
    position = SHOWN_POSITION
    output_shape = convolve_valid(STROKE, VERTICAL_EDGE).shape
    draw_convolution_frame(fig, position, filled=output_shape[0] * output_shape[1])
    path = save_png(fig, folder / "convolution.png")
    plt.close(fig)
    return path


def convolution_steps_png(folder: Path) -> Path:
    """Frames of the window sliding over the input, two per row, the output filling in."""
    output = convolve_valid(STROKE, VERTICAL_EDGE)
    rows, cols = output.shape
    limit = np.abs(output).max() * 1.3
    fig = plt.figure(figsize=(10, 2.6 * len(STEP_POSITIONS) / 2))
    grid = fig.add_gridspec(
        len(STEP_POSITIONS) // 2, 5, width_ratios=[6, 4, 1.2, 6, 4], wspace=0.15, hspace=0.45
    )
    kh, kw = VERTICAL_EDGE.shape
    for index, (row, col) in enumerate(STEP_POSITIONS):
        step = row * cols + col + 1
        ax_input = fig.add_subplot(grid[index // 2, 3 * (index % 2)])
        ax_output = fig.add_subplot(grid[index // 2, 3 * (index % 2) + 1])
        draw_grid(ax_input, STROKE, "Greys", -0.4, 2.6, f"step {step} of {rows * cols}")
        outline(ax_input, row, col, kh, kw)
        shown = np.arange(output.size).reshape(output.shape) < step
        draw_grid(ax_output, output, "RdBu_r", -limit, limit, "output", shown=shown)
        outline(ax_output, row, col)
    return titled_png(
        fig,
        "The window moves one column at a time, then down a row; each step fills one output"
        " cell\n(steps 6–7, 9–11 and 13–15 are not shown)",
        12,
        folder / "convolution_steps.png",
    )


def titled_png(fig, title: str, fontsize: float, path: Path) -> Path:
    """Give ``fig`` its title, write it to ``path`` and close it."""
    fig.suptitle(title, fontsize=fontsize)
    path = save_png(fig, path)
    plt.close(fig)
    return path


def max_pooling_png(folder: Path) -> Path:
    fig, (ax_input, ax_arrow, ax_output) = plt.subplots(
        1, 3, figsize=(7.5, 3.2), gridspec_kw={"width_ratios": [4, 1.6, 2]}
    )
    draw_grid(ax_input, POOL_INPUT, "Greys", -2, 12, "input (4×4)")
    pooled = np.zeros((2, 2), int)
    for index, (row, col) in enumerate([(0, 0), (0, 2), (2, 0), (2, 2)]):
        block = POOL_INPUT[row : row + 2, col : col + 2]
        colour, style = POOL_COLOURS[index], POOL_STYLES[index]
        outline(ax_input, row, col, 2, 2, colour=colour, lw=3.5, style=style)
        best = np.unravel_index(np.argmax(block), block.shape)
        ax_input.add_patch(
            plt.Circle((col + best[1], row + best[0]), 0.36, fill=False, color=colour, lw=2.5)
        )
        pooled[row // 2, col // 2] = block.max()
    draw_grid(ax_output, pooled, "Greys", -2, 12, "output (2×2)")
    for index, (row, col) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        outline(ax_output, row, col, colour=POOL_COLOURS[index], lw=3.5, style=POOL_STYLES[index])
    ax_arrow.axis("off")
    ax_arrow.annotate(
        "", xy=(0.95, 0.5), xytext=(0.05, 0.5), xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "lw": 2, "color": "#444444"},
    )
    ax_arrow.text(0.5, 0.62, "max of each\n2×2 block", ha="center", va="bottom", fontsize=10)
    fig.tight_layout()
    path = save_png(fig, folder / "max_pooling.png")
    plt.close(fig)
    return path


def _window_panel(ax, size: int, pad: int, stride: int, title: str) -> int:
    """Draw a size×size input (plus ``pad`` rings of zeros) and every 3×3 window's centre."""
    total = size + 2 * pad
    for row in range(total):
        for col in range(total):
            padded = not (pad <= row < pad + size and pad <= col < pad + size)
            ax.add_patch(
                Rectangle(
                    (col - 0.5, row - 0.5), 1, 1, facecolor="white" if padded else "#d9d9d9",
                    edgecolor="#999999", lw=0.8, linestyle="--" if padded else "-",
                )
            )
            if padded:
                ax.text(col, row, "0", ha="center", va="center", color="#999999", fontsize=9)
    starts = range(0, total - 3 + 1, stride)
    for row in starts:
        for col in starts:
            ax.plot(col + 1, row + 1, "o", color=MARK_COLOUR, ms=6)
    outline(ax, 0, 0, 3, 3)
    ax.plot(1, 1, "o", color="black", ms=9)  # the outlined window's own centre
    # The same scale in every panel: unpadded inputs get the padded input's frame.
    margin = 0.7 + (7 - total) / 2
    ax.set_xlim(-margin, total - 1 + margin)
    ax.set_ylim(total - 1 + margin, -margin)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10.5)
    return len(starts)


def padding_and_strides_png(folder: Path) -> Path:
    cases = [
        ('padding="valid", strides=1', 0, 1),
        ('padding="same", strides=1', 1, 1),
        ('padding="valid", strides=2', 0, 2),
    ]
    fig, axes = plt.subplots(
        2, 3, figsize=(10, 5.6), gridspec_kw={"height_ratios": [7, 5], "hspace": 0.25}
    )
    for (title, pad, stride), ax_input, ax_output in zip(cases, axes[0], axes[1], strict=True):
        out = _window_panel(ax_input, 5, pad, stride, title)
        for row in range(out):
            for col in range(out):
                ax_output.add_patch(
                    Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=MARK_COLOUR,
                              alpha=0.35, edgecolor="#555555", lw=0.8)
                )
        margin = 0.7 + (5 - out) / 2  # centred under its input, at the same scale
        ax_output.set_xlim(-margin, out - 1 + margin)
        ax_output.set_ylim(out - 1 + margin, -margin)
        ax_output.set_aspect("equal")
        ax_output.axis("off")
        ax_output.set_title(f"5×5 input → {out}×{out} output", fontsize=10.5)
    return titled_png(
        fig,
        "A 3×3 kernel: each dot marks where a window's centre lands (one output value each;\n"
        "the black dot is the outlined window's)",
        11,
        folder / "padding_and_strides.png",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=OUTPUT_DIR)
    parser.add_argument("--test", action="store_true", help="write temporary files only")
    args = parser.parse_args()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    plt.switch_backend("Agg")  # files only, no window
    dry_run = fileio.dry_run() if args.test else contextlib.nullcontext()
    with plt.rc_context(STYLE), dry_run:
        paths = [
            convolution_png(args.output_dir),
            convolution_steps_png(args.output_dir),
            max_pooling_png(args.output_dir),
            padding_and_strides_png(args.output_dir),
        ]
    for path in paths:
        if path is not None:
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{'tested' if args.test else 'wrote'} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
