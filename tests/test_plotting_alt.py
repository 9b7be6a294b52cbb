"""Text alternatives of the plotting helpers: what they say, and how a notebook stores them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting, plotting_alt, plotting_confusion  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_a_digit_is_described_by_its_size_range_and_shading():
    fig = plotting.show_image(np.arange(784, dtype=np.uint8).reshape(28, 28), title="a seven")
    text = plotting.figure_alt(fig)
    assert text.startswith("One 28 × 28 grayscale image titled 'a seven'")
    assert "values from 0 to 255" in text and "dark where the value is high" in text


def test_a_grid_lists_its_titles_and_counts_the_rest():
    titles = [f"label {i}" for i in range(15)]
    fig = plotting.plot_image_grid(np.zeros((15, 8, 8)), titles=titles, suptitle="Digits")
    text = plotting.figure_alt(fig)
    assert text.startswith("Digits: a grid of 15 8 × 8 grayscale images, titled label 0, label 1")
    assert "label 11 and 3 more" in text and "label 12" not in text


def test_a_history_says_where_each_curve_starts_ends_and_is_best():
    history = {
        "loss": [0.9, 0.5, 0.3],
        "val_loss": [0.6, 0.4, 0.45],
        "accuracy": [0.7, 0.85, 0.9],
        "val_accuracy": [0.8, 0.88, 0.87],
    }
    text = plotting.figure_alt(plotting.plot_history(history, title="Run"))
    assert text.startswith("Run: training curves over 3 epochs.")
    assert "validation from 0.6 to 0.45 (lowest 0.4 at epoch 2)" in text
    assert "Accuracy: training from 0.7 to 0.9 (highest 0.9 at epoch 3)" in text


def test_feature_maps_name_the_strongest_channel():
    maps = np.zeros((4, 4, 3))
    maps[0, 0, 2] = -5.0
    maps[1, 1, 0] = 1.0
    text = plotting.figure_alt(plotting.plot_feature_maps(maps, titles=["a", "b", "c"]))
    assert "3 feature maps of 4 × 4 (a, b, c), drawn blue below zero, white at zero" in text
    assert "the strongest response is in c (largest absolute value 5)." in text


def _maps_alt(strengths: list[float]) -> str:
    maps = np.zeros((3, 3, len(strengths)))
    maps[1, 1] = strengths
    titles = [chr(ord("a") + index) for index in range(len(strengths))]
    return plotting.figure_alt(plotting.plot_feature_maps(maps, titles=titles))


def test_a_tie_for_the_strongest_map_is_said_as_a_tie():
    assert "the strongest response is in both b and d (largest absolute value 2)." in _maps_alt(
        [1.0, -2.0, 0.5, 2.0]
    )
    assert (
        "the strongest response is shared by several maps (a, c, d; largest absolute value 3)."
        in _maps_alt([3.0, 1.0, -3.0, 3.0])
    )
    assert "both maps have the same largest absolute value 1." in _maps_alt([1.0, -1.0])
    assert "all maps have the same largest absolute value 0." in _maps_alt([0.0, 0.0, 0.0])


@pytest.mark.parametrize(
    ("cmap", "colours"),
    [
        ("gray", "black most negative, mid-gray at zero and white most positive"),
        ("gray_r", "white most negative, mid-gray at zero and black most positive"),
        ("viridis", "dark purple most negative, cyan at zero and yellow most positive"),
    ],
)
@pytest.mark.parametrize("shared_scale", [True, False])
def test_feature_maps_describe_the_colour_map_they_are_drawn_with(cmap, colours, shared_scale):
    maps = np.linspace(-1, 1, 4 * 4 * 2).reshape(4, 4, 2)
    fig = plotting.plot_feature_maps(maps, cmap=cmap, shared_scale=shared_scale)
    text = plotting.figure_alt(fig)
    assert f"(channel 0, channel 1), drawn on the {cmap} colour map, {colours}" in text
    assert "blue below zero" not in text and "red above" not in text


@pytest.mark.parametrize(
    ("cmap", "colours"),
    [
        ("gray", "black where the value is low and white where it is high"),
        ("gray_r", "white where the value is low (background) and black where it is high (ink)"),
        ("magma", "black where the value is low and pale yellow where it is high"),
    ],
)
def test_a_data_image_on_a_chosen_colour_map_says_which_end_is_which(cmap, colours):
    fig = plotting.show_image(np.arange(16, dtype=np.uint8).reshape(4, 4), cmap=cmap)
    assert plotting.figure_alt(fig).endswith(f"drawn on the {cmap} colour map, {colours}.")
    as_object = plotting.show_image(np.zeros((4, 4)), cmap=matplotlib.colormaps[cmap])
    assert plotting.figure_alt(as_object).endswith(f"colour map, {colours}.")


def test_signed_images_on_a_chosen_colour_map_say_which_end_is_which():
    text = plotting.figure_alt(plotting.plot_image_grid(np.full((2, 4, 4), 2.0), cmap="gray"))
    assert text.endswith(
        "drawn on the gray colour map, black most negative, mid-gray at zero and white most "
        "positive."
    )


def test_colour_names_tell_the_ends_of_a_colour_map_apart():
    blues = matplotlib.colormaps["Blues"]
    assert [plotting_alt.colour_name(blues(point)) for point in (0.0, 1.0)] == [
        "almost white",
        "dark blue",
    ]
    names = [(1, 1, 1), (0, 0, 0), (0.5, 0.5, 0.5), (1, 0, 0), (0.1, 0.6, 0.1), (1, 0.9, 0.1)]
    assert [plotting_alt.colour_name(rgb) for rgb in names] == [
        "white",
        "black",
        "mid-gray",
        "red",
        "green",
        "yellow",
    ]


def test_the_confusion_matrix_calls_its_lightest_colour_almost_white():
    """Blues at 0 is a very pale blue, not white: the words say so."""
    import inspect
    import re

    lightest = matplotlib.colormaps[plotting_confusion.MISTAKE_CMAP](0.0)[:3]
    assert min(lightest) > 0.9 and lightest != (1.0, 1.0, 1.0)
    source = inspect.getsource(plotting_confusion)
    assert not re.search(r"(?<!almost )white (\(0\)|at 0)|\b0 white", source)
    assert "from almost white (0) to dark blue" in " ".join(
        plotting.plot_confusion_matrix.__doc__.split()
    )


def test_mistakes_and_filters_are_described():
    images = np.zeros((3, 4, 4), np.uint8)
    fig = plotting.plot_misclassified(images, [1, 2, 3], [1, 0, 0])
    assert plotting.figure_alt(fig) == ("2 misclassified images (true → predicted): 2 → 0, 3 → 0.")
    kernel = np.linspace(-1, 2, 3 * 3 * 1 * 2).reshape(3, 3, 1, 2)
    text = plotting.figure_alt(plotting.plot_filters(kernel))
    assert text.startswith("2 convolution filters of 3 × 3 (filter 0, filter 1)")
    assert text.endswith("weights from -1 to 2.")


def test_alt_replaces_the_description_and_bad_alt_is_named():
    fig = plotting.show_image(np.zeros((5, 5)), alt="  A   blank  square ")
    assert plotting.figure_alt(fig) == "A blank square"
    with pytest.raises(TypeError, match="alt: got int 3, expected a description"):
        plotting.plot_history({"loss": [1.0]}, alt=3)
    with pytest.raises(ValueError, match="alt: got a description of 0 characters"):
        plotting.plot_image_grid(np.zeros((2, 3, 3)), alt="   ")


def test_describe_figure_checks_its_arguments():
    fig = plt.figure()
    assert plotting.describe_figure(fig, "A line") is fig and plotting.figure_alt(fig) == "A line"
    with pytest.raises(TypeError, match="fig: got str 'x', expected a matplotlib Figure"):
        plotting.describe_figure("x", "A line")
    with pytest.raises(TypeError, match="alt: got None"):
        plotting.describe_figure(fig, None)


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_in_ipython_the_picture_carries_its_alt_in_the_output_metadata(fmt):
    """What a notebook stores: {"image/png": {"alt": ...}}, the key nbconvert reads."""
    pytest.importorskip("matplotlib_inline")
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    shell = InteractiveShell.instance()
    try:
        set_matplotlib_formats(fmt)
        fig = plotting.show_image(np.zeros((5, 5), np.uint8), title="blank")
        data, metadata = shell.display_formatter.format(fig)
        mime = f"image/{fmt}"
        assert data[mime] and metadata[mime]["alt"] == plotting.figure_alt(fig)
        set_matplotlib_formats(fmt)  # replaced formatters are wrapped again on the next plot
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        plotting.describe_figure(fig, "A rising line")
        assert shell.display_formatter.format(fig)[1][mime] == {"alt": "A rising line"}
        plain, ax = plt.subplots()  # no description: no metadata, as before
        ax.plot([1, 2])
        data, metadata = shell.display_formatter.format(plain)
        assert data[mime] and mime not in metadata
    finally:
        InteractiveShell.clear_instance()
