"""Inside any trained Keras model: its feature maps, its prediction, where it looked.

Pure computation (Keras and NumPy); works on Sequential and functional models alike.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_array, describe, length_of, positive_int


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


def check_labels(probe: ModelProbe, labels: object, count: int) -> np.ndarray:
    """``labels`` as ``count`` class numbers (one per image) of ``probe``'s classifier."""
    if not probe.classifies():
        raise ValueError(f"labels: given for {probe.model.name!r}, which is not a classifier; "
                         "expected labels=None")
    classes = max(probe.class_count(), 2)
    array = as_array("labels", labels, ndims=1, finite=True,
                     expected=f"{count} class numbers, one per image")
    if len(array) != count:
        raise ValueError(f"labels: got {len(array)} labels, expected {count}, one per image")
    if array.dtype.kind not in "iuf" or np.any(array != np.round(array)) \
            or array.min() < 0 or array.max() >= classes:
        raise ValueError(
            f"labels: got values from {array.min():g} to {array.max():g}, expected whole "
            f"numbers from 0 to {classes - 1} (the model's classes)"
        )
    return array.astype(int)


def check_class_names(probe: ModelProbe, class_names: object) -> list | None:
    """``class_names`` as a list with a name for each of the classifier's classes, or None."""
    if class_names is None:
        return None
    if length_of("class_names", class_names) < probe.class_count():
        raise ValueError(
            f"class_names: got {len(class_names)} names, expected one for each of the "
            f"{probe.class_count()} classes of {probe.model.name!r}"
        )
    return [str(name) for name in class_names]


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

    def class_count(self) -> int:
        """The length of the model's output vector (its number of classes), 0 if unknown."""
        return int(self.model.outputs[0].shape[-1] or 0)

    def scores(self, batch: np.ndarray) -> np.ndarray:
        """The model's outputs for a batch, as a NumPy array."""
        import keras

        return keras.ops.convert_to_numpy(self.model(batch, training=False))


def occlusion_map(probe: ModelProbe, image: np.ndarray, class_index: int,
                  patch: int | None = None, stride: int | None = None) -> np.ndarray:
    """Where the model looked: how much hiding each part of ``image`` lowers one class's
    probability (the model's output for ``class_index``: a probability for a softmax
    classifier, the course's kind).

    A ``patch`` × ``patch`` square (default: a quarter of the image's side) set to the image's
    mean slides over the image by ``stride`` (default: half the patch);
    each pixel gets the average drop of the probability over the squares that covered it,
    unscaled (0 where hiding never lowered it), so a tiny drop stays a tiny number. Needs
    no gradients, so it works on any classifier (Zeiler & Fergus, 2014, section 4.2 and
    figure 7, plot the probability of the correct class in the same way).
    """
    return _occlude(probe, image, class_index, patch, stride)[0]


def _occlude(probe, image, class_index, patch, stride) -> tuple[np.ndarray, float]:
    """``occlusion_map``'s drop map and the class's probability on the whole image, from
    one forward pass over the uncovered image and every covered copy."""
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
    chances = probe.scores(batch)[:, class_index]  # the class's probability, uncovered first
    drops = np.zeros((height, width)), np.zeros((height, width))
    for (r, c), chance in zip(corners, chances[1:], strict=True):
        drops[0][r : r + patch, c : c + patch] += chances[0] - chance
        drops[1][r : r + patch, c : c + patch] += 1
    drop = np.clip(drops[0] / np.maximum(drops[1], 1), 0, None).astype("float32")
    return drop, float(chances[0])


def occlusion(probe: ModelProbe, image: np.ndarray, class_index: int, name: str) -> dict:
    """What the model explorer draws for "where it looked": the unscaled drop map of
    ``occlusion_map``, the class's probability on the whole image and the class's name."""
    drop, probability = _occlude(probe, image, class_index, None, None)
    return {"drop": drop, "probability": probability, "name": name}
