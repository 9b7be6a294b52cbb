"""A confusion matrix drawn so that the mistakes stand out, not the correct predictions.

On a well-trained classifier the diagonal (correct predictions, about a thousand per class
on a 10,000-image test set) dwarfs every mistake: one colour scale for all cells paints a
confusion of 90 in almost the colour of 0. Here the diagonal is set apart (a neutral gray,
its counts in bold) and the colour scale belongs to the mistakes alone: 0 almost white,
the largest confusion darkest. Every cell shows its count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import plotting_alt as alt_text
from .plotting_common import _check_text, _pyplot, finish
from .validation import as_array, describe

MISTAKE_CMAP = "Blues"
"""The colour scale of the mistakes: almost white at 0, dark blue at the largest confusion."""

DIAGONAL_COLOUR = "#d9d9d9"
"""The correct predictions: a neutral gray, off the mistakes' colour scale."""

LISTED_CONFUSIONS = 5
"""How many of the largest confusions the default description names."""


def _check_matrix(matrix) -> np.ndarray:
    counts = as_array(
        "matrix",
        matrix,
        ndims=2,
        expected="a square matrix of counts (true × predicted)",
        finite=True,
    )
    rows, cols = counts.shape
    if rows != cols or rows < 2:
        raise ValueError(
            f"matrix: got shape {counts.shape}, expected a square matrix of at least 2 × 2 "
            "(one row and one column per class)"
        )
    if counts.dtype.kind not in "iuf":
        raise TypeError(
            f"matrix: got dtype {counts.dtype}, expected counts (whole numbers ≥ 0), as "
            "sklearn.metrics.confusion_matrix returns"
        )
    if counts.size and ((counts < 0).any() or (counts % 1 != 0).any() or counts.max() >= 2**53):
        raise ValueError(
            f"matrix: got values from {float(counts.min()):g} to {float(counts.max()):g}, "
            "expected counts (whole numbers ≥ 0), as sklearn.metrics.confusion_matrix returns"
        )
    return counts.astype(np.int64)


def _check_names(class_names, count: int) -> list[str]:
    if class_names is None:
        return [str(index) for index in range(count)]
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, Sequence | np.ndarray):
        raise TypeError(
            f"class_names: got {describe(class_names)}, expected a list of names, one per class"
        )
    if len(class_names) != count:
        raise ValueError(
            f"class_names: got {len(class_names)} names, expected {count}, one per row of matrix"
        )
    return [str(name) for name in class_names]


def plot_confusion_matrix(
    matrix,
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    alt: str | None = None,
):
    """Draw a confusion matrix (rows: true class, columns: prediction) with counts in cells.

    The mistakes (off the diagonal) share one colour scale from almost white (0) to dark blue
    (the largest mistake), labelled by a colour bar; the correct predictions on the diagonal
    are gray with bold counts, off that scale. ``alt`` replaces the description for screen
    readers (by default: the correct count of each class and the largest confusions).
    """
    counts = _check_matrix(matrix)
    names = _check_names(class_names, len(counts))
    _check_text("title", title)
    alt = alt_text.check_alt(alt)
    fig = _draw_matrix(counts, names)
    if title:
        fig.axes[0].set_title(title)
    return finish(fig, alt, _matrix_description(counts, names, title))


def _draw_matrix(counts: np.ndarray, names: list[str]):
    import matplotlib as mpl

    size = len(counts)
    diagonal = np.eye(size, dtype=bool)
    mistakes = np.ma.masked_array(counts, mask=diagonal)
    top = max(int(mistakes.max() or 0), 1)
    plt = _pyplot()
    side = min(2.2 + 0.55 * size, 14.0)
    fig, ax = plt.subplots(figsize=(side + 1.2, side), layout="constrained")
    ax.imshow(np.where(diagonal, 1.0, np.nan), cmap=mpl.colors.ListedColormap([DIAGONAL_COLOUR]))
    drawn = ax.imshow(mistakes, cmap=MISTAKE_CMAP, vmin=0, vmax=top)
    colormap = mpl.colormaps[MISTAKE_CMAP]
    for (row, col), value in np.ndenumerate(counts):
        shade = (0.85, 0.85, 0.85) if row == col else colormap(value / top)[:3]
        dark = 0.2126 * shade[0] + 0.7152 * shade[1] + 0.0722 * shade[2] < 0.45
        ax.text(
            col,
            row,
            str(value),
            ha="center",
            va="center",
            fontsize=9,
            color="white" if dark else "black",
            fontweight="bold" if row == col else "normal",
        )
    ax.set_xticks(range(size), names, rotation=45, ha="right")
    ax.set_yticks(range(size), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    fig.colorbar(drawn, ax=ax, shrink=0.8, label="mistakes (the diagonal, gray, is correct)")
    return fig


def _matrix_description(counts: np.ndarray, names: list[str], title: str | None) -> str:
    size = len(counts)
    total = int(counts.sum())
    correct = [f"{names[i]} {counts[i, i]}" for i in range(size)]
    off = [(counts[r, c], r, c) for r in range(size) for c in range(size) if r != c]
    largest = sorted((item for item in off if item[0] > 0), key=lambda item: -item[0])
    named = [f"{names[r]} taken for {names[c]} {v}" for v, r, c in largest[:LISTED_CONFUSIONS]]
    text = f"{title}: a" if title else "A"
    text += f" confusion matrix of {total:,} examples over {size} classes, rows the true class."
    text += f" Correct predictions per class: {alt_text.listing(correct, limit=size)}."
    if named:
        text += f" Largest confusions: {'; '.join(named)}."
    else:
        text += " No mistakes."
    return text
