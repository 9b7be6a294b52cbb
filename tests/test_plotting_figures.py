"""The confusion matrix, notebook 02's diagrams, and figure text legible at GitHub's width."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import plotting, plotting_diagrams  # noqa: E402

ROOT = plotting_diagrams.__file__.rsplit("/helpers/", 1)[0]
GITHUB_WIDTH = 920
"""The width in pixels of a notebook's content column on GitHub (review as-seen-2026-12)."""
MIN_TEXT_PX = 10.0
"""The smallest text, in screen pixels, once a figure is scaled down to GITHUB_WIDTH: about
7.5 pt, the size of a figure's footnote in print, and 0.6 of GitHub's 16 px body text."""


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_counts_every_cell_and_describes_the_mistakes():
    matrix = np.array([[50, 3, 0], [7, 40, 1], [0, 0, 60]])
    fig = plotting.plot_confusion_matrix(matrix, ["cat", "dog", "fox"], title="Pets")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == [str(v) for v in matrix.flat]
    bold = [t.get_fontweight() for t in fig.axes[0].texts]
    assert [w == "bold" for w in bold] == list(np.eye(3, dtype=bool).flat)
    assert plotting.figure_alt(fig) == (
        "Pets: a confusion matrix of 161 examples over 3 classes, rows the true class. "
        "Correct predictions per class: cat 50, dog 40, fox 60. Largest confusions: dog "
        "taken for cat 7; cat taken for dog 3; dog taken for fox 1."
    )


@pytest.mark.parametrize(
    ("matrix", "names", "error", "message"),
    [
        (np.zeros((2, 3)), None, ValueError, r"matrix: got shape \(2, 3\), expected a square"),
        (np.array([[1, -1], [0, 2]]), None, ValueError, "matrix: got values from -1 to 2"),
        (np.array([[1.5, 0], [0, 2]]), None, ValueError, "expected counts"),
        (np.eye(2), ["a"], ValueError, "class_names: got 1 names, expected 2"),
        (np.eye(2), "ab", TypeError, "class_names: got str 'ab'"),
        ("matrix", None, TypeError, "matrix: got str"),
    ],
)
def test_confusion_matrix_rejects_bad_input(matrix, names, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_confusion_matrix(matrix, names)


def test_every_diagram_ships_with_helpers_and_a_description():
    for name, description in plotting_diagrams.DIAGRAMS.items():
        picture = Image.open(io.BytesIO(plotting_diagrams.diagram_png(name)))
        assert picture.format == "PNG" and picture.size[0] >= 600, name
        assert len(description.split()) >= 20, name
    with pytest.raises(ValueError, match="name: got 'convolution.gif', expected one of"):
        plotting_diagrams.diagram_png("convolution.gif")


def test_notebook_02_shows_its_diagrams_as_outputs_not_attachments():
    """GitHub and nbviewer leave cell attachments out (jupyter/notebook#4853)."""
    notebook = nbformat.read(f"{ROOT}/notebooks/02_first_convnet.ipynb", as_version=4)
    assert not any(cell.get("attachments") for cell in notebook.cells)
    assert not any("](attachment:" in cell.source for cell in notebook.cells)
    shown = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for name in plotting_diagrams.DIAGRAMS:
        assert f'show_diagram("{name}")' in shown, name


def _smallest_text_px(fig) -> float:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    width = Image.open(buffer).size[0]
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]
    return min(sizes) * 100 / 72 * min(1.0, GITHUB_WIDTH / width)


RNG = np.random.default_rng(0)
COURSE_FIGURES = {  # the widest calls the notebooks make
    "8 filters in a row": lambda: plotting.plot_filters(RNG.normal(size=(3, 3, 1, 8))),
    "24 colour filters": lambda: plotting.plot_filters(RNG.normal(size=(3, 3, 3, 24))),
    "8 wide feature maps": lambda: plotting.plot_feature_maps(
        RNG.normal(size=(100, 150, 8)), panel_size=(3, 2.7)
    ),
    "8 maps in a row (02)": lambda: plotting.plot_feature_maps(
        RNG.normal(size=(26, 26, 8)), ncols=8, suptitle="conv_1: the first 8 of 64 feature maps"
    ),
    "64 filters, 16 a row (02)": lambda: plotting.plot_filters(
        RNG.normal(size=(3, 3, 1, 64)), ncols=16, panel_size=(0.75, 0.95)
    ),
    "history with accuracy": lambda: plotting.plot_history(
        {"loss": [1, 0.5], "val_loss": [1, 0.6], "accuracy": [0.5, 0.7], "val_accuracy": [0.5, 0.6]}
    ),
    "15 misclassified": lambda: plotting.plot_misclassified(
        RNG.integers(0, 255, (30, 28, 28)), np.arange(30) % 10, (np.arange(30) + 1) % 10
    ),
    "confusion matrix": lambda: plotting.plot_confusion_matrix(
        np.eye(10, dtype=int) * 900, ["Ankle boot"] * 10
    ),
}


@pytest.mark.parametrize("name", COURSE_FIGURES)
def test_figure_text_is_legible_at_githubs_width(name):
    assert _smallest_text_px(COURSE_FIGURES[name]()) >= MIN_TEXT_PX
