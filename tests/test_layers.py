"""Tests for helpers.layers: DepthwiseMaxPool2D."""

import numpy as np
import pytest

from helpers.layers import DepthwiseMaxPool2D

import keras  # after helpers.layers, which imports TensorFlow quietly  # isort: skip


def random_batch(channels: int, shape=(2, 4, 5)) -> np.ndarray:
    return np.random.default_rng(0).random((*shape, channels)).astype(np.float32)


@pytest.mark.parametrize("pool_size", [1, 2, 3, 6])
def test_values_are_the_max_of_each_group_of_channels(pool_size):
    batch = random_batch(6)
    pooled = keras.ops.convert_to_numpy(DepthwiseMaxPool2D(pool_size)(batch))
    expected = batch.reshape(2, 4, 5, 6 // pool_size, pool_size).max(axis=-1)
    assert pooled.shape == (2, 4, 5, 6 // pool_size)
    np.testing.assert_array_equal(pooled, expected)


def test_groups_are_consecutive_channels():
    pixel = np.array([1, 5, 2, 0, 4, 3], dtype=np.float32).reshape(1, 1, 1, 6)
    pooled = keras.ops.convert_to_numpy(DepthwiseMaxPool2D(pool_size=2)(pixel))
    np.testing.assert_array_equal(pooled.ravel(), [5, 2, 4])


def test_pool_size_3_over_rgb_gives_one_channel_holding_the_brightest_channel():
    photo = random_batch(3, shape=(1, 7, 9))
    pooled = keras.ops.convert_to_numpy(DepthwiseMaxPool2D(pool_size=3)(photo))
    assert pooled.shape == (1, 7, 9, 1)
    np.testing.assert_array_equal(pooled[..., 0], photo.max(axis=-1))


def test_symbolic_output_shape_with_unknown_batch_height_and_width():
    inputs = keras.Input(shape=(None, None, 12))
    outputs = DepthwiseMaxPool2D(pool_size=3)(inputs)
    assert tuple(outputs.shape) == (None, None, None, 4)
    model = keras.Model(inputs, outputs)
    assert model.predict(random_batch(12), verbose=0).shape == (2, 4, 5, 4)


def test_compute_output_shape():
    layer = DepthwiseMaxPool2D(pool_size=4)
    assert layer.compute_output_shape((None, 32, 32, 8)) == (None, 32, 32, 2)


def test_get_config_round_trip():
    layer = DepthwiseMaxPool2D(pool_size=3, name="colour_max")
    config = layer.get_config()
    assert config["pool_size"] == 3
    copy = DepthwiseMaxPool2D.from_config(config)
    assert (copy.pool_size, copy.name) == (3, "colour_max")
    assert copy.get_config() == config


def test_registered_for_serialisation_under_helpers():
    assert keras.saving.get_registered_name(DepthwiseMaxPool2D) == "helpers>DepthwiseMaxPool2D"
    assert keras.saving.get_registered_object("helpers>DepthwiseMaxPool2D") is DepthwiseMaxPool2D


# Keras 3.15 itself converts a TensorFlow variable with np.array(x) while saving, which NumPy 2
# reports as a DeprecationWarning; nothing in the layer causes it.
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")
def test_saves_and_loads_as_keras_file_in_safe_mode(tmp_path):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(None, None, 3))
    features = keras.layers.Conv2D(6, 3, padding="same")(inputs)
    outputs = DepthwiseMaxPool2D(pool_size=3, name="channel_max")(features)
    model = keras.Model(inputs, outputs)
    path = tmp_path / "depthwise.keras"
    model.save(path)

    loaded = keras.models.load_model(path)  # safe_mode stays at its default, True

    layer = loaded.get_layer("channel_max")
    assert isinstance(layer, DepthwiseMaxPool2D)
    assert layer.pool_size == 3
    batch = random_batch(3)
    np.testing.assert_array_equal(
        loaded.predict(batch, verbose=0), model.predict(batch, verbose=0)
    )


def test_channels_not_divisible_by_pool_size_raise_at_build_time():
    layer = DepthwiseMaxPool2D(pool_size=2, name="pairs")
    with pytest.raises(ValueError) as caught:
        layer(keras.Input(shape=(8, 8, 5)))
    message = str(caught.value)
    assert "DepthwiseMaxPool2D 'pairs'" in message
    assert "5 input channels" in message
    assert "pool_size=2" in message
    assert "for example 4 or 6" in message


def test_eager_call_with_indivisible_channels_raises_the_same_error():
    with pytest.raises(ValueError, match=r"3 input channels with pool_size=2"):
        DepthwiseMaxPool2D(pool_size=2)(random_batch(3))


def test_unknown_channel_count_raises_at_build_time():
    with pytest.raises(ValueError, match=r"unknown channel count"):
        DepthwiseMaxPool2D(pool_size=2)(keras.Input(shape=(None, None, None)))


@pytest.mark.parametrize("pool_size", [0, -3, 2.5, True, "3", None])
def test_pool_size_must_be_a_positive_integer(pool_size):
    with pytest.raises(ValueError, match=r"DepthwiseMaxPool2D: pool_size: got .*positive integer"):
        DepthwiseMaxPool2D(pool_size=pool_size)


def test_rejects_a_different_channel_count_after_it_was_built():
    layer = DepthwiseMaxPool2D(pool_size=2)
    layer(random_batch(4))
    with pytest.raises(ValueError):
        layer(random_batch(6))


def test_rejects_inputs_that_are_not_4d():
    with pytest.raises(ValueError):
        DepthwiseMaxPool2D(pool_size=2)(np.zeros((2, 4, 6), dtype=np.float32))


@pytest.mark.parametrize("shape", [(0, 4, 5), (2, 0, 5), (2, 4, 0)])
def test_empty_batches_and_images_give_empty_outputs(shape):
    pooled = keras.ops.convert_to_numpy(DepthwiseMaxPool2D(pool_size=3)(random_batch(6, shape)))
    assert pooled.shape == (*shape, 2)


def test_accepts_a_numpy_integer_pool_size():
    layer = DepthwiseMaxPool2D(pool_size=np.int64(2))
    assert layer.pool_size == 2 and type(layer.get_config()["pool_size"]) is int
