"""Colours that carry meaning stay apart for readers with a colour-vision deficiency.

Each check simulates protanopia, deuteranopia and tritanopia (Machado et al. 2009, see
``colour_vision``) besides normal vision and asks for one of two things:

- **ΔE*ab ≥ 15** between colours that must be told apart (categories, a confusion against
  0). 2.3 is a just-noticeable difference for two large patches side by side (Sharma, "Digital
  Color Imaging Handbook", 2003); for thin lines and small cells the difference needed grows
  several-fold (Stone, Szafir & Setlur, "An Engineering Model for Color Difference as a
  Function of Size", Color and Imaging Conference 2014), and a reader must name a colour at
  a glance, not compare two patches: 15 is about 6.5 times the large-patch threshold.
- **Contrast ≥ 3:1** (WCAG 2.1 success criterion 1.4.11, non-text contrast) between a mark
  and what it is drawn on, such as the sliding window on a cell.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from colour_vision import VISIONS, closest_pair, contrast, delta_e  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting_confusion import DIAGONAL_COLOUR  # noqa: E402
from tools import make_figures  # noqa: E402

MIN_DELTA_E = 15.0
MIN_CONTRAST = 3.0


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_the_simulation_reproduces_known_confusions():
    """The check can fail: red and green collapse for deutan and protan readers, while
    blue and yellow stay apart; blue and green collapse for tritan readers."""
    assert delta_e("#d62728", "#2ca02c", "normal") > 60
    assert delta_e("#cc3333", "#6b8e23", "deuteranopia") < MIN_DELTA_E  # the review's "olive"
    assert delta_e("#0072B2", "#F0E442", "deuteranopia") > 60
    assert contrast("white", "black") == pytest.approx(21.0)
    old_pool_colours = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a")  # before issue 21
    assert closest_pair(old_pool_colours, "deuteranopia")[0] < MIN_DELTA_E


@pytest.mark.parametrize("vision", VISIONS)
def test_the_four_pooling_blocks_keep_four_colours(vision):
    distance, first, second = closest_pair(make_figures.POOL_COLOURS, vision)
    assert distance >= MIN_DELTA_E, (
        f"{vision}: blocks {first} and {second} are only ΔE {distance:.1f} apart"
    )
    assert len(set(make_figures.POOL_STYLES)) == len(make_figures.POOL_COLOURS)


def test_the_pooling_outlines_stand_out_from_their_white_rim():
    for colour in make_figures.POOL_COLOURS:
        assert contrast(colour, make_figures.WINDOW_RIM) >= MIN_CONTRAST, colour


def _cell_colours():
    """Every colour a cell of the convolution figures can take: the input's grays, the
    kernel's and the output's blue-to-red shades."""
    output = make_figures.convolve_valid(make_figures.STROKE, make_figures.VERTICAL_EDGE)
    limit = np.abs(output).max() * 1.3
    greys, signed = matplotlib.colormaps["Greys"], matplotlib.colormaps["RdBu_r"]
    colours = [greys((v + 0.4) / 3.0) for v in np.unique(make_figures.STROKE)]
    colours += [signed((v + 1.6) / 3.2) for v in np.unique(make_figures.VERTICAL_EDGE)]
    colours += [signed((v + limit) / (2 * limit)) for v in np.unique(output)]
    return colours


@pytest.mark.parametrize("vision", VISIONS)
def test_the_sliding_window_shows_on_every_cell(vision):
    """The window is a line on a rim: on each cell one of the two keeps 3:1."""
    for cell in _cell_colours():
        best = max(
            contrast(make_figures.WINDOW_COLOUR, cell, vision),
            contrast(make_figures.WINDOW_RIM, cell, vision),
        )
        assert best >= MIN_CONTRAST, f"{vision}: window on {cell} at {best:.2f}:1"


def test_the_old_orange_window_failed_on_the_red_cell():
    """Why the window changed: orange on the output's deep red was under 3:1 for everyone."""
    deep_red = matplotlib.colormaps["RdBu_r"](0.95)
    assert contrast("#e66100", deep_red) < MIN_CONTRAST


def _confusion_figure():
    matrix = np.diag([950, 980, 880, 900, 870, 970, 760, 960, 980, 960])
    matrix[0, 6], matrix[6, 0], matrix[6, 2] = 81, 90, 50  # the confusions 07 talks about
    return matrix, plotting.plot_confusion_matrix(matrix, [str(i) for i in range(10)])


@pytest.mark.parametrize("vision", VISIONS)
def test_the_confusions_07_talks_about_do_not_look_like_zero(vision):
    matrix, fig = _confusion_figure()
    mistakes = fig.axes[0].images[1]  # images[0] is the gray diagonal
    zero = mistakes.to_rgba(0)
    for row, col in [(0, 6), (6, 0), (6, 2)]:
        shade = mistakes.to_rgba(matrix[row, col])
        assert delta_e(shade, zero, vision) >= MIN_DELTA_E, (vision, matrix[row, col])
        assert delta_e(shade, DIAGONAL_COLOUR, vision) >= MIN_DELTA_E


def test_the_confusion_matrix_keeps_the_diagonal_off_the_mistakes_scale():
    matrix, fig = _confusion_figure()
    diagonal, mistakes = fig.axes[0].images
    assert mistakes.get_clim() == (0, 90)  # the largest mistake, not the ~1,000 correct
    assert np.ma.getmaskarray(mistakes.get_array()).diagonal().all()
    assert np.isnan(np.asarray(diagonal.get_array(), dtype=float)[0, 1])


@pytest.mark.parametrize("vision", VISIONS)
def test_training_and_validation_curves_differ_in_colour_and_in_line(vision):
    fig = plotting.plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6]})
    training, validation = fig.axes[0].lines
    assert delta_e(training.get_color(), validation.get_color(), vision) >= MIN_DELTA_E
    assert training.get_marker() != validation.get_marker()
    assert training.get_linestyle() != validation.get_linestyle()


@pytest.mark.parametrize("vision", VISIONS)
def test_signed_maps_tell_below_zero_from_above(vision):
    fig = plotting.plot_feature_maps(np.linspace(-1, 1, 18).reshape(3, 3, 2))
    drawn = fig.axes[0].images[0]
    low, zero, high = (drawn.to_rgba(v) for v in (-1.0, 0.0, 1.0))
    assert delta_e(low, high, vision) >= MIN_DELTA_E
    assert min(delta_e(low, zero, vision), delta_e(high, zero, vision)) >= MIN_DELTA_E
