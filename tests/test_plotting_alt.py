"""Text alternatives of the plotting helpers: what they say, and how a notebook stores them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402


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
    assert "3 feature maps of 4 × 4 (a, b, c)" in text
    assert "strongest response is in c (up to 5 in size)" in text


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
