"""Inside any trained Keras model: its feature maps, its prediction, where it looked.

Pure computation (Keras and NumPy); works on Sequential and functional models alike.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_array, describe, positive_int


def _keras_model(model):
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model: got {describe(model)}, expected a Keras model")
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            f"model: got {model.name!r}, which has no defined input yet; build it with "
            "keras.Input(shape=...) as its first layer"
        )
    if len(inputs) != 1:
        raise ValueError(f"model: got {model.name!r} with {len(inputs)} inputs, expected one")
    return model


def map_layers(model) -> list[str]:
    """Names of the layers whose output is a stack of feature maps (batch, H, W, C)."""
    model = _keras_model(model)
    names = [layer.name for layer in model.layers if _is_map_layer(layer)]
    if not names:
        raise ValueError(
            f"model: got {model.name!r}, whose layers output no feature maps (no 4-D output "
            "such as a Conv2D's); expected a model with at least one convolution layer"
        )
    return names


def _is_map_layer(layer) -> bool:
    try:
        shape = layer.output.shape
    except (AttributeError, ValueError):
        return False
    return len(shape) == 4 and type(layer).__name__ != "InputLayer"


def check_images(model, images: object) -> np.ndarray:
    """``images`` as a float32 batch whose image shape is the model's input shape."""
    model = _keras_model(model)
    expected = tuple(model.inputs[0].shape[1:])
    array = as_array("images", images, ndims=len(expected) + 1, finite=True,
                     expected=f"a batch of images of shape (N, {', '.join(map(str, expected))})")
    for got, wanted in zip(array.shape[1:], expected, strict=True):
        if wanted is not None and got != wanted:
            raise ValueError(
                f"images: got a batch of shape {array.shape}, expected images of shape "
                f"{expected} (the model's input)"
            )
    return array.astype("float32")


class ModelProbe:
    """Feature maps and predictions of one model, its sub-models built once and reused."""

    def __init__(self, model):
        self.model = _keras_model(model)
        self.layers = map_layers(model)
        self._submodels = {}

    def feature_maps(self, image: np.ndarray, layer: str) -> np.ndarray:
        """The (H, W, C) feature maps of ``layer`` for one image (no batch axis)."""
        return self.look(image, layer)[0]

    def look(self, image: np.ndarray, layer: str) -> tuple[np.ndarray, np.ndarray]:
        """``layer``'s (H, W, C) maps and the model's output for one image, in one pass."""
        import keras

        if layer not in self.layers:
            raise ValueError(f"layer: got {layer!r}, expected one of {self.layers}")
        if layer not in self._submodels:
            self._submodels[layer] = keras.Model(
                self.model.inputs[0], [self.model.get_layer(layer).output, self.model.outputs[0]]
            )
        maps, scores = self._submodels[layer](image[np.newaxis], training=False)
        return keras.ops.convert_to_numpy(maps)[0], keras.ops.convert_to_numpy(scores)[0]

    def classifies(self) -> bool:
        """Whether the model's output is one score vector per image (a classifier)."""
        return len(self.model.outputs) == 1 and len(self.model.outputs[0].shape) == 2

    def scores(self, batch: np.ndarray) -> np.ndarray:
        """The model's outputs for a batch, as a NumPy array."""
        import keras

        return keras.ops.convert_to_numpy(self.model(batch, training=False))


def occlusion_map(probe: ModelProbe, image: np.ndarray, class_index: int,
                  patch: int | None = None, stride: int | None = None) -> np.ndarray:
    """Where the model looked: how much hiding each part of ``image`` lowers one class's score.

    A ``patch`` × ``patch`` square (default: a quarter of the image's side) set to the image's
    mean slides over the image by ``stride`` (default: half the patch);
    each pixel gets the average drop of the class score over the squares that covered it,
    divided by the largest drop (0 to 1; 0 where hiding never lowered the score). Needs
    no gradients, so it works on any classifier (Zeiler & Fergus, 2014, occlusion).
    """
    if not probe.classifies():
        raise ValueError(
            f"model: got {probe.model.name!r}, expected a classifier (one output vector per image)"
        )
    side = min(image.shape[:2])
    patch = positive_int("patch", max(side // 4, 1) if patch is None else patch, maximum=side)
    stride = positive_int("stride", max(patch // 2, 1) if stride is None else stride)
    height, width = image.shape[:2]
    corners = [(r, c) for r in range(0, height - patch + 1, stride)
               for c in range(0, width - patch + 1, stride)]
    batch = np.repeat(image[np.newaxis], len(corners) + 1, axis=0)
    fill = image.mean()
    for number, (r, c) in enumerate(corners, start=1):
        batch[number, r : r + patch, c : c + patch] = fill
    scores = probe.scores(batch)[:, class_index]
    drops = np.zeros((height, width)), np.zeros((height, width))
    for (r, c), score in zip(corners, scores[1:], strict=True):
        drops[0][r : r + patch, c : c + patch] += scores[0] - score
        drops[1][r : r + patch, c : c + patch] += 1
    mean_drop = np.clip(drops[0] / np.maximum(drops[1], 1), 0, None)
    top = mean_drop.max()
    return (mean_drop / top if top > 0 else mean_drop).astype("float32")
