"""Keras layers the course builds itself.

Taught in notebook 06 (pooling). ``DepthwiseMaxPool2D`` pools across channels instead of
across space. It is a real, registered Keras layer, so a model that uses it saves to a
``.keras`` file and loads back with plain ``keras.models.load_model`` (a ``Lambda`` layer
doing the same would need ``safe_mode=False``).
"""

from __future__ import annotations

import os

from .settings import import_tensorflow
from .validation import positive_int

# Importing Keras loads its backend; for TensorFlow do that quietly (see settings).
if os.environ.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
    import_tensorflow()

import keras  # noqa: E402
from keras import ops  # noqa: E402

MAX_POOL_SIZE = 2**31 - 1
"""The largest pool accepted: far above any channel count, so that a slip such as ``10**400``
is refused where it is written instead of at the layer's first call."""


@keras.saving.register_keras_serializable(package="helpers")
class DepthwiseMaxPool2D(keras.layers.Layer):
    """Max pooling over groups of ``pool_size`` consecutive channels.

    Input (batch, height, width, channels) gives output (batch, height, width,
    channels // pool_size): channels 0 .. pool_size-1 become output channel 0, the next
    ``pool_size`` channels output channel 1, and so on. Height and width are unchanged.
    ``channels`` must be known when the layer is built and divisible by ``pool_size``.

    >>> DepthwiseMaxPool2D(pool_size=3)(np.zeros((2, 427, 640, 3))).shape  # doctest: +SKIP
    (2, 427, 640, 1)
    """

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        try:
            self.pool_size = positive_int("pool_size", pool_size, maximum=MAX_POOL_SIZE)
        except ValueError as error:
            raise ValueError(f"{type(self).__name__}: {error}") from None
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def _groups(self, input_shape) -> int:
        """How many output channels ``input_shape`` gives; raise if it cannot be pooled."""
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: got input shape {tuple(input_shape)} "
                "with an unknown channel count, expected the last dimension to be known "
                "(for example keras.Input(shape=(None, None, 3)))"
            )
        if channels % self.pool_size != 0:
            below = channels - channels % self.pool_size
            examples = f"{below} or {below + self.pool_size}" if below else f"{self.pool_size}"
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: got {channels} input channels with "
                f"pool_size={self.pool_size}, expected a channel count divisible by "
                f"{self.pool_size} (for example {examples})"
            )
        return channels // self.pool_size

    def build(self, input_shape):
        channels = input_shape[-1]
        self._groups(input_shape)
        # From now on Keras itself rejects inputs with a different channel count.
        self.input_spec = keras.layers.InputSpec(ndim=4, axes={-1: channels})
        super().build(input_shape)

    def call(self, inputs):
        # Channel k of every group is inputs[..., k::pool_size]; their element-wise maximum
        # is the group's maximum. Unlike a max over a reshaped axis, this also works on an
        # empty batch (Keras refuses the max of an empty tensor) and needs no known sizes.
        pooled = inputs[..., 0 :: self.pool_size]
        for offset in range(1, self.pool_size):
            pooled = ops.maximum(pooled, inputs[..., offset :: self.pool_size])
        return pooled

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self._groups(input_shape))

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}
