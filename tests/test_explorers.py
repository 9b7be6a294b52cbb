"""The explorers' computations against Keras' own layers, their errors, and their widgets."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import keras
import numpy as np
import pytest

import helpers
from helpers.explorers import compute
from helpers.explorers.trained import ModelProbe, check_images, map_layers, occlusion_map
from helpers.layers import DepthwiseMaxPool2D

ROOT = Path(__file__).resolve().parents[1]
RNG = np.random.default_rng(3)


def _tiny_classifier(functional: bool = False) -> keras.Model:
    if functional:
        inputs = keras.Input((12, 12, 1))
        x = keras.layers.Conv2D(4, 3, activation="relu", name="conv_a")(inputs)
        x = keras.layers.MaxPooling2D(name="pool_a")(x)
        outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(x))
        return keras.Model(inputs, outputs, name="functional_tiny")
    return keras.Sequential(
        [keras.Input((12, 12, 1)), keras.layers.Conv2D(4, 3, name="conv_a"),
         keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")],
        name="sequential_tiny",
    )


# ------------------------------------------------------------------------ convolution


def test_convolution_map_matches_conv2d_without_bias():
    image = RNG.uniform(0, 1, (9, 11)).astype("float32")
    kernel = RNG.uniform(-1, 1, (3, 2)).astype("float32")
    layer = keras.layers.Conv2D(1, (3, 2), use_bias=False)
    layer.build((None, 9, 11, 1))
    layer.set_weights([kernel[:, :, None, None]])
    expected = keras.ops.convert_to_numpy(layer(image[None, :, :, None]))[0, :, :, 0]
    np.testing.assert_allclose(compute.convolution_map(image, kernel), expected, atol=1e-5)


def test_convolution_step_is_the_window_times_the_kernel():
    image = np.arange(25, dtype="float32").reshape(5, 5)
    kernel = compute.KERNEL_PRESETS["vertical edge"]
    step = compute.convolution_step(image, kernel, row=1, col=2)
    np.testing.assert_array_equal(step["patch"], image[1:4, 2:5])
    # Each row of the patch rises by 2 from left to right: (+1)·2 per row, three rows.
    assert step["value"] == pytest.approx(6.0)
    assert step["value"] == pytest.approx(compute.convolution_map(image, kernel)[1, 2])


def test_colour_images_become_their_channel_mean():
    colour = RNG.uniform(0, 1, (6, 6, 3))
    np.testing.assert_allclose(compute.grayscale("image", colour), colour.mean(axis=-1), rtol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: compute.convolution_map(np.zeros((2, 2)), np.ones((3, 3))), ValueError, "kernel"),
        (lambda: compute.convolution_map("digit", np.ones((3, 3))), TypeError, "image"),
        (lambda: compute.convolution_map(np.zeros((5, 5, 2)), np.ones((3, 3))), ValueError,
         "2 channels"),
        (lambda: compute.convolution_map(np.full((5, 5), np.nan), np.ones((3, 3))), ValueError,
         "NaN"),
        (lambda: compute.convolution_step(np.zeros((5, 5)), np.ones((3, 3)), 3, 0), ValueError,
         "row: got 3, expected an integer from 0 to 2"),
        (lambda: compute.random_kernel(-1), ValueError, "seed"),
        (lambda: compute.model_filter("model"), TypeError, "model: got str"),
    ],
)
def test_bad_convolution_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_model_filter_reads_the_first_one_channel_conv2d():
    model = _tiny_classifier()
    name, kernel = compute.model_filter(model, 2)
    assert name == "conv_a"
    expected = model.get_layer("conv_a").get_weights()[0][:, :, 0, 2]
    np.testing.assert_array_equal(kernel, expected)
    with pytest.raises(ValueError, match="index: got 4"):
        compute.model_filter(model, 4)
    dense_only = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="one\nchannel|reads one"):
        compute.model_filter(dense_only)


# ------------------------------------------------------------------------ output size


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_formula_and_conv2d_agree_over_a_grid(padding):
    for size in range(3, 17):
        for kernel in range(1, 8):
            if padding == "valid" and kernel > size:
                continue
            for stride in range(1, 5):
                geometry = compute.output_geometry(size, kernel, stride, padding)
                keras_size = compute.keras_output_size(size, kernel, stride, padding)
                assert geometry["output"] == keras_size, (size, kernel, stride, padding)
                assert len(geometry["starts"]) == keras_size


def test_same_padding_matches_what_keras_pads():
    # A 1-filter Conv2D that sums its window, on an image of ones: border windows that
    # reach into the padding sum fewer ones. The zeros placed by output_geometry must give
    # the same sums.
    size, kernel, stride = 7, 4, 2
    geometry = compute.output_geometry(size, kernel, stride, "same")
    padded = np.pad(np.ones((size, size)), (geometry["pad_before"], geometry["pad_after"]))
    starts = geometry["starts"]
    ours = np.array(
        [[padded[r : r + kernel, c : c + kernel].sum() for c in starts] for r in starts]
    )
    layer = keras.layers.Conv2D(1, kernel, strides=stride, padding="same", use_bias=False,
                                kernel_initializer="ones")
    theirs = keras.ops.convert_to_numpy(layer(np.ones((1, size, size, 1), "float32")))[0, ..., 0]
    np.testing.assert_array_equal(ours, theirs)


def test_output_geometry_rejects_a_kernel_that_does_not_fit():
    with pytest.raises(ValueError, match="kernel: got 5"):
        compute.output_geometry(4, 5, 1, "valid")
    with pytest.raises(ValueError, match="padding: got 'full'"):
        compute.keras_output_size(4, 3, 1, "full")


# ---------------------------------------------------------------------------- pooling


@pytest.mark.parametrize(("pool_size", "stride"), [(2, 2), (3, 1), (2, 3)])
def test_max_and_average_pooling_match_keras(pool_size, stride):
    image = RNG.uniform(0, 1, (9, 10, 3)).astype("float32")
    for mode, layer_class in [("max", keras.layers.MaxPooling2D),
                              ("average", keras.layers.AveragePooling2D)]:
        layer = layer_class(pool_size, strides=stride)
        expected = keras.ops.convert_to_numpy(layer(image[None]))[0]
        np.testing.assert_allclose(compute.pool(image, mode, pool_size, stride)["pooled"],
                                   expected, rtol=1e-6)


def test_max_pooling_says_where_each_maximum_came_from():
    image = RNG.uniform(0, 1, (8, 8, 2)).astype("float32")
    result = compute.pool(image, "max", 3, 2)
    for (r, c, channel), value in np.ndenumerate(result["pooled"]):
        source_row, source_col = result["source"][r, c, channel]
        assert image[source_row, source_col, channel] == value
        assert 2 * r <= source_row < 2 * r + 3 and 2 * c <= source_col < 2 * c + 3


def test_depthwise_pooling_matches_the_course_layer():
    image = RNG.uniform(0, 1, (5, 4, 6)).astype("float32")
    result = compute.pool(image, "depth-wise", 3)
    expected = keras.ops.convert_to_numpy(DepthwiseMaxPool2D(pool_size=3)(image[None]))[0]
    np.testing.assert_array_equal(result["pooled"], expected)
    winners = np.take_along_axis(image, result["source"], axis=-1)
    np.testing.assert_array_equal(winners, expected)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ((np.zeros((4, 4)), "max", 2), ValueError, "image: got an array of shape \\(4, 4\\)"),
        ((np.zeros((4, 4, 3)), "min", 2), ValueError, "mode: got 'min'"),
        ((np.zeros((4, 4, 3)), "max", 0), ValueError, "pool_size: got 0"),
        ((np.zeros((4, 4, 3)), "max", 5), ValueError, "pool_size: got 5"),
        ((np.zeros((4, 4, 3)), "depth-wise", 2), ValueError, "divisor of the image's 3"),
    ],
)
def test_bad_pooling_input_names_the_argument(arguments, error, words):
    with pytest.raises(error, match=words):
        compute.pool(*arguments)


# ---------------------------------------------------------------------- trained model


@pytest.mark.parametrize("functional", [False, True])
def test_feature_maps_are_the_layers_outputs(functional):
    model = _tiny_classifier(functional)
    probe = ModelProbe(model)
    image = RNG.uniform(0, 1, (12, 12, 1)).astype("float32")
    maps = probe.feature_maps(image, "conv_a")
    layer = model.get_layer("conv_a")
    expected = keras.ops.convert_to_numpy(layer(image[None]))[0]
    np.testing.assert_allclose(maps, expected, rtol=1e-5, atol=1e-6)
    assert probe.classifies()
    assert map_layers(model)[0] == "conv_a"


def test_occlusion_map_marks_the_pixels_the_score_depends_on():
    # A "classifier" whose class-0 score is the sum of the top-left 4×4 corner.
    inputs = keras.Input((12, 12, 1))
    maps = keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones")(inputs)
    mask = np.zeros((12, 12, 1), "float32")
    mask[:4, :4] = 1
    corner = keras.layers.Flatten()(maps * mask)
    score = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")(corner)
    model = keras.Model(inputs, keras.layers.Concatenate()([score, -score]))
    image = np.ones((12, 12, 1), "float32")
    image[6:, 6:] = 0  # the mean (fill) is below 1, so hiding the corner lowers its score
    heat = occlusion_map(ModelProbe(model), image, 0, patch=4, stride=2)
    assert heat.max() == pytest.approx(1.0)
    assert heat[:4, :4].min() > 0
    assert heat[8:, 8:].max() == 0


def test_bad_models_and_images_get_clear_errors():
    no_maps = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="dense_only")
    with pytest.raises(ValueError, match="'dense_only', whose layers output no feature maps"):
        map_layers(no_maps)
    with pytest.raises(TypeError, match="model: got str"):
        ModelProbe("model")
    with pytest.raises(ValueError, match="no defined input"):
        ModelProbe(keras.Sequential([keras.layers.Conv2D(2, 3)], name="unbuilt"))
    model = _tiny_classifier()
    with pytest.raises(ValueError, match=r"images: got a batch of shape \(2, 28, 28, 1\)"):
        check_images(model, np.zeros((2, 28, 28, 1)))
    with pytest.raises(ValueError, match="images: got an array of shape \\(12, 12, 1\\)"):
        check_images(model, np.zeros((12, 12, 1)))
    with pytest.raises(ValueError, match="layer: got 'dense'"):
        ModelProbe(model).feature_maps(np.zeros((12, 12, 1), "float32"), "dense")


# ------------------------------------------------------------------- the widgets


def test_each_explorer_redraws_when_a_control_moves():
    pytest.importorskip("ipywidgets")
    digit = RNG.uniform(0, 1, (12, 12)).astype("float32")
    model = _tiny_classifier()
    explorers = [
        (helpers.explore_convolution(digit, model=model), "col", 0),
        (helpers.explore_output_size(), "stride", 2),
        (helpers.explore_pooling(), "mode", "average"),
        (helpers.explore_model(model, RNG.uniform(0, 1, (3, 12, 12, 1)), where=True), "image", 2),
    ]
    for explorer, name, value in explorers:
        before = explorer.figure_png
        assert before.startswith(b"\x89PNG")
        explorer.controls[name].value = value
        assert explorer.figure_png != before, (explorer.title, name)
        assert explorer.message.value == ""
        assert explorer.first_png == before  # the stored figure is the first state


def test_an_impossible_setting_shows_a_message_not_a_traceback():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_pooling()
    explorer.controls["mode"].value = "depth-wise"  # the pool size follows: 3 channels, 3
    assert (explorer.controls["pool_size"].value, explorer.message.value) == (3, "")
    shown = explorer.figure_png
    explorer.controls["pool_size"].value = 2  # 2 does not divide 3 channels
    assert "divisor of the image's 3 channels" in explorer.message.value
    assert explorer.figure_png == shown
    explorer.controls["pool_size"].value = 1
    assert explorer.message.value == ""


def test_the_display_carries_the_widget_and_a_static_figure():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_output_size(size=9, kernel=3, stride=2, padding="same")
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == explorer.first_png
    assert "interactive" in bundle["text/plain"]


def test_explorers_reject_bad_arguments_when_called():
    pytest.importorskip("ipywidgets")
    with pytest.raises(ValueError, match="padding: got 'full'"):
        helpers.explore_output_size(padding="full")
    with pytest.raises(TypeError, match="image"):
        helpers.explore_convolution(None)
    with pytest.raises(ValueError, match="where: got True"):
        helpers.explore_model(keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(
            2, 3)], name="maps_only"), np.zeros((1, 6, 6, 1)), where=True)


def _explorer_cells():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "helpers.explore_" in "".join(cell["source"]):
                yield path.name, cell


def test_stored_explorer_outputs_show_a_figure_and_no_dead_widget():
    # Where no kernel runs the PNG stands in for the widget; a stored widget view would show
    # "Loading widget..." or "model not found" when the notebook is opened again.
    cells = list(_explorer_cells())
    if not cells:
        pytest.skip("no notebook calls an explorer")
    for name, cell in cells:
        if not cell["outputs"]:
            continue  # not run yet: the reference run fills it
        data = [output.get("data", {}) for output in cell["outputs"]]
        assert any("image/png" in d for d in data), name
        assert not any("application/vnd.jupyter.widget-view+json" in d for d in data), name
