"""Where the model looked (occlusion): the drop in the predicted class's probability, unscaled,
drawn on a fixed scale in a colour apart from the feature maps' red and blue."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import helpers
from helpers.explorers import draw
from helpers.explorers.trained import ModelProbe, occlusion, occlusion_map
from helpers.plotting_alt import figure_alt

RNG = np.random.default_rng(11)


def _linear_classifier(weights: np.ndarray, bias: np.ndarray) -> keras.Model:
    """Softmax of a known linear function of a 4×4 image (the 1×1 convolution copies it)."""
    model = keras.Sequential(
        [keras.Input((4, 4, 1)),
         keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones", name="copy"),
         keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax", name="linear")],
        name="linear_tiny",
    )
    model.get_layer("linear").set_weights([weights, bias])
    return model


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max())
    return exp / exp.sum()


def test_the_drop_is_the_unscaled_fall_in_probability_for_one_covered_square():
    weights = RNG.normal(0, 0.5, (16, 2)).astype("float32")
    bias = np.array([0.3, -0.2], "float32")
    image = RNG.uniform(0, 1, (4, 4, 1)).astype("float32")
    drop = occlusion_map(ModelProbe(_linear_classifier(weights, bias)), image, 0,
                         patch=2, stride=2)  # four squares, each pixel covered once
    covered = image.copy()
    covered[:2, :2] = image.mean()  # the top-left square, filled with the image's mean
    by_hand = (_softmax(image.reshape(16) @ weights + bias)[0]
               - _softmax(covered.reshape(16) @ weights + bias)[0])
    expected = max(by_hand, 0.0)  # a rise in probability is drawn as no drop
    np.testing.assert_allclose(drop[:2, :2], expected, rtol=1e-4, atol=1e-6)
    assert drop.max() <= 1.0  # a probability's drop, not divided by the largest one


def _occluded(top: float, probability: float = 0.9) -> dict:
    drop = np.zeros((8, 8), "float32")
    drop[6:, :2] = top  # the bottom left of the image (rows and columns in thirds)
    return {"drop": drop, "probability": probability, "name": "Ankle boot"}


@pytest.mark.parametrize(("top", "vmax"), [(0.2, 0.2), (0.0004, 0.05), (0.05, 0.05)])
def test_the_overlay_runs_from_0_to_the_largest_drop_or_0_05(top, vmax):
    maps = RNG.normal(0, 1, (6, 6, 4)).astype("float32")
    figure = draw.model_figure(RNG.uniform(0, 1, (8, 8, 1)), maps, "conv_a", "image 0",
                               _occluded(top))
    overlay = figure.axes[0].images[1]
    assert overlay.get_clim() == pytest.approx((0, vmax))
    assert overlay.get_cmap().name == "Oranges"  # not the maps' RdBu_r
    assert figure.axes[1].images[0].get_cmap().name == "RdBu_r"


def test_a_confident_prediction_with_tiny_drops_is_drawn_pale():
    maps = RNG.normal(0, 1, (6, 6, 4)).astype("float32")
    image = RNG.uniform(0, 1, (8, 8, 1))
    pale = draw.model_figure(image, maps, "conv_a", "image 0", _occluded(0.0004, 0.9996))
    strong = draw.model_figure(image, maps, "conv_a", "image 0", _occluded(0.3))
    bare = draw.model_figure(image, maps, "conv_a", "image 0")
    assert np.max(pale.axes[0].images[1].get_alpha()) < 0.01
    assert np.max(strong.axes[0].images[1].get_alpha()) > 0.7
    # Drawn, the pale overlay leaves the image's pixels as they were; the strong one does not.
    assert np.abs(_pixels(pale) - _pixels(bare)).max() <= 3
    assert np.abs(_pixels(strong) - _pixels(bare)).max() > 60


def _pixels(figure) -> np.ndarray:
    """The RGB pixels inside the image panel, as drawn by the Agg renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    box = figure.axes[0].get_window_extent()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    height = rgb.shape[0]
    return rgb[int(height - box.y1) + 2 : int(height - box.y0) - 2,
               int(box.x0) + 2 : int(box.x1) - 2]


def test_captions_and_alt_text_speak_of_probability_and_say_where():
    maps = RNG.normal(0, 1, (6, 6, 4)).astype("float32")
    figure = draw.model_figure(RNG.uniform(0, 1, (8, 8, 1)), maps, "conv_a",
                               "image 0: predicted Ankle boot", _occluded(0.016, 1.0))
    caption = figure.axes[0].get_xlabel().replace("\n", " ")  # wrapped to the panel
    assert "probability P(Ankle boot)" in caption
    assert "largest drop 0.016 (from 1.000 to 0.984)" in caption
    assert "orange" in caption and "score" not in caption
    alt = figure_alt(figure)
    assert "probability of Ankle boot" in alt
    assert "largest drop, 0.016, is at the bottom left of the image" in alt
    assert "below 0.05, so the orange stays pale" in alt
    assert "score" not in alt


def test_a_standardised_image_is_drawn_between_its_percentiles_and_says_so():
    image = RNG.normal(0, 1, (10, 10, 1)).astype("float32")
    image[0, 0] = 40.0  # one bright pixel would wash out a min-max scale
    figure = draw.model_figure(image, np.ones((4, 4, 2), "float32"), "conv_a", "image 0")
    shown = np.asarray(figure.axes[0].images[0].get_array())
    low, high = np.percentile(image[..., 0], [1, 99])
    expected = np.clip((image[..., 0] - low) / (high - low), 0, 1)
    np.testing.assert_allclose(shown, expected, rtol=1e-5, atol=1e-6)
    assert 0.2 < np.median(shown) < 0.8  # the rest of the image keeps its contrast
    assert figure.axes[0].get_xlabel() == "as the network receives it (standardised)"
    plain = draw.model_figure(RNG.uniform(0, 1, (10, 10, 1)), np.ones((4, 4, 2), "float32"),
                              "conv_a", "image 0")
    assert plain.axes[0].get_xlabel() == ""  # 0-1 pixels: drawn as they are


def test_the_model_explorer_reports_the_drop_in_its_stored_alt_text():
    pytest.importorskip("ipywidgets")
    weights = np.zeros((16, 2), "float32")
    bias = np.array([12.0, 0.0], "float32")  # class 0 with probability 1 - 6e-6
    model = _linear_classifier(weights, bias)
    images = RNG.uniform(0, 1, (2, 4, 4, 1)).astype("float32")
    explorer = helpers.explore_model(model, images, class_names=["boot", "shirt"], where=True)
    _, metadata = explorer._repr_mimebundle_()
    alt = metadata["image/png"]["alt"]
    assert "lowers the probability of boot (1.000)" in alt
    assert "the largest drop, 0.000," in alt  # the weights ignore the pixels: nothing drops
    found = occlusion(ModelProbe(model), images[0], 0, "boot")
    assert found["probability"] == pytest.approx(1 / (1 + np.exp(-12.0)), rel=1e-6)
    assert found["drop"].max() == 0


def test_the_probability_drawn_is_the_models_on_the_whole_image():
    weights = RNG.normal(0, 0.5, (16, 2)).astype("float32")
    bias = np.array([0.1, 0.4], "float32")
    image = RNG.uniform(0, 1, (4, 4, 1)).astype("float32")
    probe = ModelProbe(_linear_classifier(weights, bias))
    result = occlusion(probe, image, 1, "second")
    expected = _softmax(image.reshape(16) @ weights + bias)[1]
    np.testing.assert_allclose(result["probability"], expected, rtol=1e-5)
    np.testing.assert_array_equal(result["drop"], occlusion_map(probe, image, 1))
