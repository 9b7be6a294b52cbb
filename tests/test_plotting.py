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
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["a", "b", "c"]
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


# ---------------------------------------------------------------- issue 11


@pytest.mark.parametrize(
    ("predicted", "message"),
    [
        ([0, -1, 2], r"predicted_labels: got -1 at index 1, expected class numbers"),
        ([0, 3.7, 2], r"predicted_labels: got 3\.7 at index 1, expected class numbers"),
        ([0, 1, 3], r"predicted_labels: got 3 at index 2, expected class numbers from 0 to 2"),
    ],
)
def test_misclassified_refuses_labels_that_are_not_classes(predicted, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_misclassified(
            np.zeros((3, 5, 5)), [0, 2, 2], predicted, class_names=["a", "b", "c"]
        )


def test_misclassified_refuses_true_labels_beyond_the_class_names():
    with pytest.raises(ValueError, match=r"true_labels: got 5 at index 0, expected .* 0 to 1"):
        plotting.plot_misclassified(np.zeros((2, 5, 5)), [5, 0], [1, 1], class_names=["a", "b"])


def test_misclassified_refuses_a_string_as_class_names():
    with pytest.raises(TypeError, match="class_names: got str 'abc', expected a list of names"):
        plotting.plot_misclassified(np.zeros((2, 5, 5)), [0, 1], [1, 1], class_names="abc")


def test_misclassified_accepts_whole_float_labels_and_numpy_names():
    fig = plotting.plot_misclassified(
        np.zeros((3, 5, 5)), np.array([0.0, 1.0, 2.0]), [0, 2, 2], class_names=np.array(list("abc"))
    )
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["b → c"]


def test_float_photo_in_0_255_is_drawn_like_the_uint8_photo():
    photo = np.random.default_rng(0).integers(0, 256, (6, 8, 3), dtype=np.uint8)
    drawn_uint8 = plotting.show_image(photo).axes[0].images[0]
    drawn_float = plotting.show_image(photo.astype(np.float32)).axes[0].images[0]
    np.testing.assert_allclose(
        np.asarray(drawn_float.get_array(), dtype=float) * 255,
        np.asarray(drawn_uint8.get_array(), dtype=float),
        atol=1e-3,
    )


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.full((4, 4, 3), 300.0), r"image: got colour values from 300 to 300, expected"),
        (np.full((4, 4, 3), -1.0), r"image: got colour values from -1 to -1, expected"),
        (np.full((4, 4, 3), 256, np.int64), r"image: got colour values from 256 to 256"),
    ],
)
def test_colour_values_off_every_scale_are_refused(image, message):
    with pytest.raises(ValueError, match=message):
        plotting.show_image(image)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda bad: plotting.show_image(bad.reshape(6, 4)), "image"),
        (lambda bad: plotting.plot_image_grid(bad), "images"),
        (lambda bad: plotting.plot_feature_maps(bad.reshape(6, 4, 1)), "maps"),
        (lambda bad: plotting.plot_filters(bad.reshape(3, 4, 1, 2)), "kernel"),
        (lambda bad: plotting.plot_misclassified(bad, [0, 1], [1, 0]), "images"),
    ],
)
def test_nan_images_raise_instead_of_drawing_blank_panels(call, argument):
    bad = np.zeros((2, 3, 4))
    bad[1, 1, 1] = np.nan
    bad[0, 0, 0] = np.inf
    with pytest.raises(ValueError, match=rf"^{argument}: got 1 NaN and 1 infinite value"):
        call(bad)


def test_history_with_nan_loss_warns_and_draws_the_finite_epochs():
    history = {"loss": [1.0, 0.5, float("nan")], "val_loss": [1.0, 0.6, 0.7]}
    with pytest.warns(UserWarning, match=r"history\['loss'\]: NaN or infinite at epoch 3 of 3"):
        fig = plotting.plot_history(history)
    training = fig.axes[0].lines[0].get_ydata()
    assert list(training[:2]) == [1.0, 0.5] and np.isnan(training[2])
    assert "training diverged" in fig.axes[0].texts[0].get_text()


@pytest.mark.parametrize("key", ["acc", "sparse_categorical_accuracy", "categorical_accuracy"])
def test_history_finds_accuracy_under_any_keras_name(key):
    history = {"loss": [1.0, 0.5], key: [0.5, 0.8], f"val_{key}": [0.4, 0.7]}
    fig = plotting.plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["Loss", "Accuracy"]
    assert list(fig.axes[1].lines[1].get_ydata()) == [0.4, 0.7]


def test_history_draws_every_other_metric_too():
    fig = plotting.plot_history({"loss": [1.0, 0.5], "mae": [0.3, 0.2]})
    assert [ax.get_title() for ax in fig.axes] == ["Loss", "Mae"]


def test_history_refuses_curves_of_different_lengths():
    with pytest.raises(ValueError, match=r"history\['val_loss'\]: got 1 values for 2 epochs"):
        plotting.plot_history({"loss": [1.0, 0.5], "val_loss": [0.3]})


def test_feature_maps_refuse_a_one_pixel_high_reading():
    with pytest.raises(ValueError, match=r"maps: got shape \(1, 28, 28\), which reads as 28 maps"):
        plotting.plot_feature_maps(np.zeros((1, 28, 28)))
    fig = plotting.plot_feature_maps(np.zeros((1, 1, 3)))  # 1×1 maps are real (global pooling)
    assert len([ax for ax in fig.axes if ax.images]) == 3


def test_titles_must_be_a_sequence_not_a_string():
    with pytest.raises(TypeError, match="titles: got str 'abc', expected a sequence"):
        plotting.plot_image_grid(np.zeros((3, 4, 4)), titles="abc")


def test_unknown_colour_map_is_named():
    with pytest.raises(ValueError, match="cmap: got str 'grey_please', expected a matplotlib"):
        plotting.show_image(np.zeros((4, 4)), cmap="grey_please")


def test_too_many_panels_are_refused_before_drawing():
    with pytest.raises(ValueError, match=r"images: got 1,000 images, expected at most 400"):
        plotting.plot_image_grid(np.zeros((1000, 2, 2)))


# ---------------------------------------------------------------- issue 18: one convention


def _drawn(fig):
    """(colour-map name, (vmin, vmax)) of every image panel of ``fig``."""
    return [
        (ax.images[0].get_cmap().name, tuple(float(v) for v in ax.images[0].get_clim()))
        for ax in fig.axes
        if ax.images
    ]


def _scale_bars(fig):
    return [ax.get_ylabel() for ax in fig.axes if not ax.images and ax.get_ylabel()]


def test_data_images_are_ink_dark_on_light_whatever_their_dtype():
    digit = np.zeros((28, 28), np.float32)
    digit[10:20, 14] = 1.0
    assert _drawn(plotting.show_image(digit)) == [("gray_r", (0.0, 1.0))]
    assert _drawn(plotting.show_image(digit[..., None])) == [("gray_r", (0.0, 1.0))]
    assert _drawn(plotting.show_image((digit * 255).astype(np.uint8))) == [("gray_r", (0, 255))]
    grid = plotting.plot_image_grid(np.stack([digit, digit * 0.5]))
    assert _drawn(grid) == [("gray_r", (0.0, 1.0))] * 2 and _scale_bars(grid) == []


def test_signed_images_are_centred_on_zero_with_one_shared_scale():
    standardised = np.array([[[-2.0, 0.5]], [[0.25, 1.0]]])  # two 1×2 images
    fig = plotting.plot_image_grid(standardised)
    assert _drawn(fig) == [("RdBu_r", (-2.0, 2.0))] * 2
    assert _scale_bars(fig) == [plotting.SIGNED_LABEL]
    assert _drawn(plotting.show_image(standardised[1] * 3)) == [("RdBu_r", (-3.0, 3.0))]


def test_signed_can_be_forced_and_cmap_changes_colours_not_range():
    small = np.full((2, 4, 4), 0.5)
    assert _drawn(plotting.plot_image_grid(small, signed=True)) == [("RdBu_r", (-0.5, 0.5))] * 2
    fig = plotting.plot_image_grid(small * 4, cmap="gray")
    assert _drawn(fig) == [("gray", (-2.0, 2.0))] * 2


def test_feature_maps_share_one_zero_centred_scale_per_call():
    maps = np.zeros((5, 5, 3))
    maps[..., 0] = 0.1  # a weak map
    maps[..., 1] = 4.0  # a strong one
    maps[2, 2, 2] = -1.0
    fig = plotting.plot_feature_maps(maps)
    assert _drawn(fig) == [("RdBu_r", (-4.0, 4.0))] * 3
    assert _scale_bars(fig) == [plotting.SIGNED_LABEL]
    own = plotting.plot_feature_maps(maps, shared_scale=False, cmap="gray")
    assert _drawn(own) == [("gray", (-0.1, 0.1)), ("gray", (-4.0, 4.0)), ("gray", (-1.0, 1.0))]
    assert _scale_bars(own) == []


def test_single_channel_filters_get_a_labelled_scale_bar():
    kernel = np.zeros((3, 3, 1, 2))
    kernel[0, 0, 0, 0] = -0.5
    kernel[1, 1, 0, 1] = 0.25
    fig = plotting.plot_filters(kernel)
    assert _drawn(fig) == [("RdBu_r", (-0.5, 0.5))] * 2
    assert _scale_bars(fig) == [plotting.SIGNED_LABEL]
    assert _scale_bars(plotting.plot_filters(np.zeros((3, 3, 3, 2)))) == []


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: plotting.plot_image_grid(np.zeros((2, 4, 4)), signed="yes"),
            TypeError,
            r"signed: got str 'yes', expected True, False or None",
        ),
        (
            lambda: plotting.plot_image_grid(np.full((2, 4, 4), -1.5), signed=False),
            ValueError,
            r"images: got values from -1\.5 to -1\.5 with signed=False, expected an image of data",
        ),
        (
            lambda: plotting.show_image(np.zeros((4, 4, 3)), signed=True),
            ValueError,
            r"signed: got True for a colour image, expected None or False",
        ),
        (
            lambda: plotting.plot_image_grid(np.zeros((2, 4, 4, 3)), signed=True),
            ValueError,
            r"signed: got True for colour images",
        ),
        (
            lambda: plotting.plot_feature_maps(np.zeros((4, 4, 2)), shared_scale="no"),
            TypeError,
            r"shared_scale: got str 'no', expected True or False",
        ),
        (
            lambda: plotting.plot_feature_maps(np.full((4, 4, 2), 1e308)),
            ValueError,
            r"maps: got values as large as 1e\+308, a range too wide to draw",
        ),
    ],
)
def test_bad_scale_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("brightest", [1.0001, 1.02, 1.5, 2.0])
def test_colour_floats_just_above_one_are_refused_not_drawn_black(brightest):
    image = np.full((4, 4, 3), 0.5)
    image[0, 0, 0] = brightest
    with pytest.raises(ValueError, match="just above the 0-1 range"):
        plotting.show_image(image)


@pytest.mark.parametrize("key", ["val_accuracy", "val_mae"])
def test_history_draws_a_validation_series_without_its_training_one(key):
    fig = plotting.plot_history({"loss": [0.9, 0.5], key: [0.3, 0.6]})
    assert sum(len(ax.lines) for ax in fig.axes) == 2
    drawn = [line.get_ydata().tolist() for ax in fig.axes for line in ax.lines]
    assert [0.3, 0.6] in drawn


@pytest.mark.parametrize(
    "values", [[True, False, True], np.array([True, False]), ["0.5", "0.4"], [1, 10**400]]
)
def test_history_refuses_what_is_not_a_number_per_epoch(values):
    with pytest.raises(TypeError, match=r"history\['loss'\]: got .* expected a list of numbers"):
        plotting.plot_history({"loss": values})


def test_panel_size_too_large_for_a_float_is_a_clear_error():
    with pytest.raises(ValueError, match="panel_size: got"):
        plotting.plot_image_grid(np.zeros((2, 4, 4)), panel_size=(10**400, 1))
