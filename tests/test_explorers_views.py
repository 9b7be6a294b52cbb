"""What the convolution and model explorers show: scales, colours, sliders, labels."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from matplotlib.colors import to_rgba

import helpers
from helpers.explorers import compute, draw

RNG = np.random.default_rng(5)
DIGIT = RNG.integers(0, 256, (14, 14), dtype=np.uint8)


def _classifier(kernel_size: int = 3, name: str = "views_tiny") -> keras.Model:
    return keras.Sequential(
        [keras.Input((14, 14, 1)),
         keras.layers.Conv2D(4, kernel_size, activation="relu", name="conv_a"),
         keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")],
        name=name,
    )


# ------------------------------------------------------------------------ convolution


def test_sliders_end_at_the_feature_maps_last_pixel_for_each_kernel():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_convolution(DIGIT, model=_classifier(kernel_size=5))
    row, col = explorer.controls["row"], explorer.controls["col"]
    assert (row.max, col.max) == (11, 11)  # 14 - 3 + 1 = 12 output pixels: 0 to 11
    row.value = 11
    explorer.controls["kernel"].value = "conv_a filter"  # 5×5: 10 output pixels
    assert (row.max, col.max, row.value) == (9, 9, 9)
    assert explorer.message.value == ""
    explorer.controls["input"].value = "photo patch"  # the same size as the image
    assert row.max == 9
    explorer.controls["kernel"].value = "blur"
    assert row.max == 11


def test_number_slider_works_only_for_kernels_it_picks():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_convolution(DIGIT, model=_classifier())
    number, kernel = explorer.controls["number"], explorer.controls["kernel"]
    assert number.disabled  # the default kernel is a preset
    kernel.value = "random"
    assert not number.disabled
    kernel.value = "sharpen"
    assert number.disabled
    kernel.value = "conv_a filter"
    assert not number.disabled
    assert number.max == 3  # four filters


def test_uint8_and_0_1_images_draw_the_same_and_others_are_refused():
    pytest.importorskip("ipywidgets")
    from_uint8 = helpers.explore_convolution(DIGIT)
    scaled = (DIGIT.astype("float32") / 255)[..., np.newaxis]  # as test_inputs[0]
    from_float = helpers.explore_convolution(scaled)
    assert from_uint8.figure_png == from_float.figure_png
    with pytest.raises(ValueError, match="image: got floats from 0 to 255, expected floats "
                                         "from 0 to 1 or integers from 0 to 255"):
        helpers.explore_convolution(np.linspace(0, 255, 196).reshape(14, 14))
    with pytest.raises(ValueError, match="image: got integers from -1 to 194"):
        helpers.explore_convolution(np.arange(-1, 195).reshape(14, 14))


def test_the_input_is_named_in_the_menu():
    pytest.importorskip("ipywidgets")
    explorer = helpers.explore_convolution(DIGIT, name="test digit")
    assert explorer.controls["input"].options == ("test digit", "photo patch")
    assert explorer.controls["input"].value == "test digit"
    assert helpers.explore_convolution(DIGIT).controls["input"].value == "your image"
    with pytest.raises(ValueError, match="name: got 'photo patch'"):
        helpers.explore_convolution(DIGIT, name="photo patch")
    with pytest.raises(TypeError, match="name: got 3"):
        helpers.explore_convolution(DIGIT, name=3)


def test_convolution_figure_draws_data_dark_and_unfinished_cells_grey():
    image = DIGIT / 255
    kernel = compute.KERNEL_PRESETS["vertical edge"]
    feature_map = compute.convolution_map(image, kernel)
    step = compute.convolution_step(image, kernel, 2, 5)
    figure = draw.convolution_figure(image, kernel, feature_map, step, 2, 5)
    inputs, patch, *_, so_far = figure.axes
    for ax in (inputs, patch):
        drawn = ax.images[0]
        assert drawn.get_cmap().name == "gray_r"
        assert drawn.get_clim() == (0, 1)
    cells = so_far.images[0].get_array()
    done = 2 * feature_map.shape[1] + 5 + 1  # rows 0 and 1, then row 2 up to column 5
    assert not cells.mask.flat[:done].any()
    assert cells.mask.flat[done:].all()
    assert so_far.images[0].get_cmap().get_bad() == pytest.approx(to_rgba("0.85"))
    assert "not computed" in so_far.get_xlabel()
    outline = so_far.patches[0]
    assert outline.get_xy() == (4.5, 1.5)
    assert outline.get_edgecolor() == to_rgba("black")


# ---------------------------------------------------------------------- trained model


def test_model_figure_uses_one_zero_centred_scale_with_a_colour_bar():
    maps = np.zeros((5, 5, 3), "float32")
    maps[..., 0] = 2.0
    maps[1, 1, 2] = -0.5  # map 1 stays zero everywhere: a dead map
    image = RNG.uniform(0, 1, (8, 8, 1))
    figure = draw.model_figure(image, maps, "conv_a", "image 0")
    picture, grid, bar = figure.axes
    assert picture.images[0].get_cmap().name == "gray_r"
    mosaic = grid.images[0]
    assert mosaic.get_cmap().name == "RdBu_r"
    assert mosaic.get_clim() == (-2.0, 2.0)
    assert bar.get_ylabel() == "value (0 in the middle)"
    values = mosaic.get_array()
    np.testing.assert_array_equal(values[:5, 6:11], 0)  # map 1, unscaled: drawn white
    assert values[1, 1] == 2.0 and values[7, 1] == -0.5  # maps 0 and 2 keep their values
    gap = mosaic.get_cmap()(np.ma.masked_invalid([np.nan]))[0]
    assert tuple(gap) == to_rgba("white")


def _headings(monkeypatch):
    """Record the heading each model figure is drawn with."""
    seen = []
    original = draw.model_figure

    def spy(image, maps, layer, heading, heat=None, count=16):
        seen.append(heading)
        return original(image, maps, layer, heading, heat, count)

    monkeypatch.setattr(draw, "model_figure", spy)
    return seen


def test_model_explorer_shows_the_true_label_beside_the_prediction(monkeypatch):
    pytest.importorskip("ipywidgets")
    headings = _headings(monkeypatch)
    model, images = _classifier(), RNG.uniform(0, 1, (3, 14, 14, 1))
    predicted = model.predict(images, verbose=0).argmax(axis=1)
    explorer = helpers.explore_model(model, images, labels=np.array([2, 0, 1], "uint8"))
    explorer.controls["image"].value = 2
    assert headings == [f"image 0: label 2, predicted {predicted[0]}",
                        f"image 2: label 1, predicted {predicted[2]}"]
    helpers.explore_model(model, images, labels=[2, 0, 1], class_names=["a", "b", "c"])
    assert headings[-1] == f"image 0: label c, predicted {'abc'[predicted[0]]}"
    helpers.explore_model(model, images)
    assert headings[-1] == f"image 0: predicted {predicted[0]}"


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"labels": [0, 1]}, ValueError, "labels: got 2 labels, expected 3, one per image"),
        ({"labels": [0, 1, 3]}, ValueError, "labels: got values from 0 to 3, expected whole "
                                            "numbers from 0 to 2"),
        ({"labels": [0, 1.5, 2]}, ValueError, "expected whole numbers"),
        ({"labels": "012"}, TypeError, "labels: got str"),
        ({"labels": [[0], [1], [2]]}, ValueError, "labels: got an array of shape \\(3, 1\\)"),
        ({"class_names": ["a", "b"]}, ValueError, "class_names: got 2 names, expected one for "
                                                  "each of the 3 classes"),
        ({"class_names": 7}, TypeError, "class_names: got int"),
    ],
)
def test_bad_labels_and_class_names_are_refused_when_called(arguments, error, words):
    pytest.importorskip("ipywidgets")
    with pytest.raises(error, match=words):
        helpers.explore_model(_classifier(), RNG.uniform(0, 1, (3, 14, 14, 1)), **arguments)


def test_labels_need_a_classifier():
    pytest.importorskip("ipywidgets")
    maps_only = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(2, 3)],
                                 name="maps_only")
    with pytest.raises(ValueError, match="labels: given for 'maps_only', which is not a "
                                         "classifier"):
        helpers.explore_model(maps_only, np.zeros((2, 6, 6, 1)), labels=[0, 1])

