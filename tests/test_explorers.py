"""The explorers' computations against Keras' own layers, their errors, and their widgets."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import keras
import numpy as np
import pytest
from matplotlib.patches import Rectangle

import helpers
from helpers.explorers import compute, draw
from helpers.explorers.trained import ModelProbe, check_images, map_layers, occlusion_map
from helpers.layers import DepthwiseMaxPool2D
from helpers.plotting_alt import check_alt, figure_alt

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
    assert heat.max() == pytest.approx(4.0)  # unscaled: 16 ones hidden by 0.75s, 16 -> 12
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


def _is_blank(explorer) -> bool:
    """Whether the figure on show is the grey "not possible" one: its background, a title."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(explorer.figure_png))[..., :3]
    return bool((np.abs(pixels - 0.92) < 0.01).all(axis=-1).mean() > 0.9)


def test_an_impossible_setting_shows_a_message_and_a_blank_figure():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_pooling()
    explorer.controls["mode"].value = "depth-wise"  # the pool size follows: 3 channels, 3
    assert (explorer.controls["pool_size"].value, explorer.message.value) == (3, "")
    assert not _is_blank(explorer)
    explorer.controls["pool_size"].value = 2  # 2 does not divide 3 channels
    assert "divisor of the image's 3 channels" in explorer.message.value
    assert _is_blank(explorer) and "Not possible" in explorer.alt
    explorer.controls["pool_size"].value = 1  # divides, but pools nothing
    assert "pool size: got 1 in depth-wise mode" in explorer.message.value
    assert _is_blank(explorer)
    explorer.controls["pool_size"].value = 3
    assert explorer.message.value == "" and not _is_blank(explorer)
    sizes = helpers.explore_output_size(size=7, kernel=7)
    assert not _is_blank(sizes)
    sizes.controls["size"].value = 5  # a 7×7 kernel does not fit a 5×5 input
    assert "kernel: got 7" in sizes.message.value
    assert _is_blank(sizes) and "input 7" not in sizes.alt


def test_pooling_out_sliders_end_at_the_last_output_pixel():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_pooling()  # a 24×24 crop
    row, col = explorer.controls["row"], explorer.controls["col"]
    assert (row.max, col.max) == (11, 11)  # pool 2, stride 2: 12×12
    row.value = 11
    explorer.controls["stride"].value = 3  # (24 − 2) // 3 + 1 = 8
    assert (row.max, col.max, row.value) == (7, 7, 7)
    explorer.controls["pool_size"].value = 4
    explorer.controls["stride"].value = 1  # 24 − 4 + 1 = 21
    assert (row.max, col.max) == (20, 20)


def test_depthwise_mode_disables_what_it_ignores_and_gives_the_pool_size_back():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_pooling()
    controls = explorer.controls
    controls["pool_size"].value = 4
    controls["mode"].value = "depth-wise"
    assert controls["pool_size"].value == 3
    assert [controls[n].disabled for n in ("stride", "row", "col")] == [True] * 3
    controls["mode"].value = "average"
    assert controls["pool_size"].value == 4
    assert [controls[n].disabled for n in ("stride", "row", "col")] == [False] * 3
    assert explorer.message.value == "" and "average pooling" in explorer.alt


def test_pooling_figure_names_the_crop_and_explains_the_marks():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_pooling()
    assert "china.jpg rows 200–223, cols 300–323" in explorer.alt
    figure = explorer._render({n: c.value for n, c in explorer.controls.items()})
    texts = [t.get_text() for t in figure.texts] + [ax.get_title() for ax in figure.axes]
    assert any(t.startswith("china.jpg rows 200–223, cols 300–323") for t in texts)
    assert any("the pixel that won in each colour channel" in t for t in texts)
    outlines = [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    assert outlines and all(p.get_edgecolor()[:3] == (1, 1, 1) for p in outlines)  # not red


@pytest.mark.parametrize("size", range(3, 17))
def test_output_size_grid_lines_are_drawn_at_every_size(size):
    # Matplotlib drops minor ticks (and their grid lines) where major ticks land.
    figure = draw.output_size_figure(size, 1, 1, "valid", compute.output_geometry(size, 1),
                                     size)
    ax = figure.axes[0]
    for axis in (ax.xaxis, ax.yaxis):
        np.testing.assert_array_equal(axis.get_minorticklocs(), np.arange(size + 1) - 0.5)
    assert _white_column_between_cells(figure, size)


def _white_column_between_cells(figure, size) -> bool:
    """Whether the drawn figure has a white grid line between the last two input columns."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    ax = figure.axes[0]
    x, y_top = ax.transData.transform((size - 1.5, 0.8))  # clear of the 1×1 windows in row 0
    _, y_bottom = ax.transData.transform((0, size - 0.8))
    top, bottom = sorted((pixels.shape[0] - int(y_top), pixels.shape[0] - int(y_bottom)))
    column = pixels[top:bottom, int(round(x)) - 1 : int(round(x)) + 2].max(axis=1)
    return bool((column.min(axis=-1) > 190).all())  # the grid (0.8 gray) on the darker input


def test_output_size_figure_explains_its_marks():
    figure = draw.output_size_figure(7, 3, 2, "same", compute.output_geometry(7, 3, 2, "same"),
                                     4)
    caption = "\n".join(t.get_text() for t in figure.texts)
    for words in ("solid: first window", "dashed: next window (one stride on)",
                  "light cells: padding zeros", "dots: window centres"):
        assert words in caption
    valid = draw.output_size_figure(7, 3, 2, "valid", compute.output_geometry(7, 3, 2), 3)
    assert "padding" not in "\n".join(t.get_text() for t in valid.texts)
    assert figure_alt(valid) == ("7×7 input, 3×3 window, stride 2, no padding: 3×3 window "
                                 "centres, so a 3×3 output; formula and Conv2D agree")


def test_the_display_carries_the_widget_and_a_static_figure():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_output_size(size=9, kernel=3, stride=2, padding="same")
    data, metadata = explorer._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == \
        explorer.widget.model_id
    assert base64.b64decode(data["image/png"]) == explorer.first_png
    assert "interactive" in data["text/plain"]
    assert metadata["image/png"]["alt"].startswith("9×9 input, 3×3 window, stride 2")
    explorer.controls["stride"].value = 3  # the stored picture and its text stay the first
    assert explorer._repr_mimebundle_()[1] == metadata
    formatter = pytest.importorskip("IPython.core.formatters")
    shown, shown_metadata = formatter.DisplayFormatter().format(explorer)  # as a notebook does
    assert shown["image/png"] == data["image/png"] and shown_metadata == metadata


def test_every_explorer_describes_its_static_figure():
    pytest.importorskip("ipywidgets")
    model = _tiny_classifier()
    explorers = {
        "vertical edge on your image": helpers.explore_convolution(
            RNG.uniform(0, 1, (12, 12)), model=model),
        "max pooling of china.jpg": helpers.explore_pooling(),
        "image 0: predicted": helpers.explore_model(model, RNG.uniform(0, 1, (2, 12, 12, 1))),
    }
    for words, explorer in explorers.items():
        alt = explorer._repr_mimebundle_()[1]["image/png"]["alt"]
        assert words in alt and check_alt(alt) == alt, alt


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
        pictures = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
        assert all(o.get("metadata", {}).get("image/png", {}).get("alt") for o in pictures), \
            f"{name}: an explorer's figure is stored without its text alternative"
        assert not any("application/vnd.jupyter.widget-view+json" in d for d in data), name


def _old_generations() -> int:
    """Objects the cyclic collector holds in its older generations (1 and 2)."""
    import gc

    return len(gc.get_objects(generation=1)) + len(gc.get_objects(generation=2))


@pytest.mark.parametrize("collector_on", [True, False])
def test_an_update_leaves_its_figure_to_the_young_generation(collector_on):
    """Each figure's objects in reference cycles are freed at the end of its update: they do
    not pile up in the old generation, whose full collection over the kernel's whole heap
    (TensorFlow included) is a pause of a few tenths of a second. The collector's on/off
    state is left as the learner had it."""
    import gc

    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_convolution(RNG.uniform(0, 1, (12, 12)).astype("float32"))
    col = explorer.controls["col"]
    (gc.enable if collector_on else gc.disable)()
    try:
        gc.collect()
        before = _old_generations()
        for value in [0, 1] * 5:
            col.value = value
        grown = _old_generations() - before
        assert gc.isenabled() is collector_on
    finally:
        gc.enable()
    assert grown < 500, f"ten updates left {grown} objects in the old generations"
