"""The plotting helpers: what they draw, and the errors they give for bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_image_grayscale_and_colour():
    fig = plotting.show_image(np.zeros((28, 28), np.uint8), title="zero")
    ax = fig.axes[0]
    assert ax.get_title() == "zero" and ax.images[0].get_cmap().name == "gray_r"
    assert ax.images[0].get_clim() == (0, 255)
    fig = plotting.show_image(np.zeros((40, 60, 3)))
    assert fig.axes[0].images[0].get_array().shape == (40, 60, 3)


@pytest.mark.parametrize(
    ("image", "error", "message"),
    [
        (
            np.zeros(5),
            ValueError,
            r"image: got an array of shape \(5,\) \(1 dimensions\), expected",
        ),
        (np.zeros((4, 4, 2)), ValueError, "image: got 2 channels"),
        ("cat", TypeError, "image: got str 'cat', expected"),
    ],
)
def test_show_image_rejects_bad_input(image, error, message):
    with pytest.raises(error, match=message):
        plotting.show_image(image)


def test_image_grid_titles_and_blank_cells():
    images = np.zeros((7, 28, 28), np.uint8)
    fig = plotting.plot_image_grid(images, titles=[str(i) for i in range(7)], ncols=4)
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 8 and titles[:7] == [str(i) for i in range(7)]
    assert not fig.axes[7].axison


def test_image_grid_needs_one_title_per_image():
    with pytest.raises(ValueError, match="images and titles: got lengths 3 and 2"):
        plotting.plot_image_grid(np.zeros((3, 5, 5)), titles=["a", "b"])


def test_history_draws_training_and_validation():
    history = {
        "loss": [1.0, 0.5],
        "val_loss": [1.1, 0.7],
        "accuracy": [0.6, 0.8],
        "val_accuracy": [0.5, 0.7],
    }
    fig = plotting.plot_history(history)
    loss_ax, accuracy_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["training", "validation"]
    assert list(accuracy_ax.lines[1].get_ydata()) == [0.5, 0.7]


def test_history_without_validation_or_accuracy():
    fig = plotting.plot_history({"loss": [1.0, 0.9, 0.8]})
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ({}, ValueError, "history: got an empty history"),
        ({"loss": []}, ValueError, "history: got an empty history"),
        ({"acc": [0.5]}, ValueError, r"history: got keys \['acc'\], expected at least 'loss'"),
        ([1, 2], TypeError, "history: got list"),
    ],
)
def test_history_rejects_bad_input(history, error, message):
    with pytest.raises(error, match=message):
        plotting.plot_history(history)


def test_misclassified_selection_is_deterministic_without_duplicates():
    true = np.array([0, 1, 2, 3, 4, 5, 6, 7])
    predicted = np.array([0, 2, 2, 0, 4, 1, 6, 1])
    chosen = plotting.misclassified_indices(true, predicted, count=3)
    assert chosen.tolist() == [1, 3, 5]
    images = np.zeros((8, 28, 28), np.uint8)
    fig = plotting.plot_misclassified(
        images, true, predicted, class_names=list("abcdefgh"), count=10
    )
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["b → c", "d → a", "f → b", "h → b"]


def test_misclassified_with_no_mistakes_says_so():
    with pytest.raises(ValueError, match="every prediction is right"):
        plotting.plot_misclassified(np.zeros((2, 5, 5)), [1, 2], [1, 2])


def test_misclassified_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="true_labels and predicted_labels: got lengths 3 and 2"):
        plotting.misclassified_indices([1, 2, 3], [1, 2])


def test_feature_maps_one_panel_per_channel():
    maps = np.random.default_rng(0).normal(size=(1, 10, 12, 3))
    fig = plotting.plot_feature_maps(maps, titles=["a", "b", "c"])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="maps: got a batch of 2"):
        plotting.plot_feature_maps(np.zeros((2, 4, 4, 3)))


def test_filters_colour_and_single_channel():
    fig = plotting.plot_filters(np.zeros((7, 7, 3, 2)), titles=["vertical", "horizontal"])
    assert [ax.get_title() for ax in fig.axes] == ["vertical", "horizontal"]
    fig = plotting.plot_filters(np.ones((3, 3, 1, 4)))
    assert fig.axes[0].images[0].get_cmap().name == "RdBu_r"
    with pytest.raises(ValueError, match=r"kernel: got an array of shape \(3, 3\)"):
        plotting.plot_filters(np.zeros((3, 3)))


def test_panel_size_scales_the_grid_and_is_validated():
    fig = plotting.plot_image_grid(np.zeros((4, 8, 8)), ncols=2, panel_size=(3, 2.5))
    assert tuple(fig.get_size_inches()) == (6.0, 5.0)
    with pytest.raises(ValueError, match=r"panel_size: got \(3, 0\), expected \(width, height\)"):
        plotting.plot_feature_maps(np.zeros((8, 8, 2)), panel_size=(3, 0))
