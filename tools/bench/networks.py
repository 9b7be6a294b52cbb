"""Every network the benchmark and the experiments train outside the notebooks, one name each.

The names are the notebooks' own:

- ``dense30``: notebook 01's dense baseline (one hidden layer of 30 units);
- ``convnet02``: notebook 02's first convnet (three 64-filter convolutions);
- ``lenet5``: notebook 04's modernised LeNet-5 (ReLU, max pooling);
- ``lenet5_classic``: notebook 04's LeNet-5 as in 1998 (scaled tanh, trainable subsampling);
- ``compact07``: notebook 07's compact network, with the variants its experiments try;
- ``deep_fashion``: the deeper Fashion-MNIST design notebook 07 is set against.

Keras is imported inside each builder: importing this module costs nothing.
"""

from __future__ import annotations

from functools import partial

MNIST_NETWORKS = ("dense30", "convnet02", "lenet5", "lenet5_classic")
# The names the first experiment logs used (benchmarks/mnist_experiments.jsonl), read as these.
OLD_NAMES = {"dense": "dense30", "modern": "lenet5", "classic": "lenet5_classic"}


def _mnist_body(name: str, layers, scaled_tanh) -> list:
    if name == "dense30":
        return [layers.Flatten(), layers.Dense(30, activation="relu")]
    if name == "convnet02":
        conv = partial(layers.Conv2D, 64, 3, activation="relu")
        pool = partial(layers.MaxPooling2D, 2)
        return [conv(), pool(), conv(), pool(), conv(), layers.Flatten(),
                layers.Dense(64, activation="relu")]
    if name == "lenet5":
        return [
            layers.ZeroPadding2D(2),
            layers.Conv2D(6, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
        ]
    # lenet5_classic. Pad first, then the paper's input scaling, so the border is background
    # (-0.1) like the rest of the background (ink 1.175); trainable subsampling = average
    # pooling, then one coefficient and one bias per map (a 1x1 depthwise convolution).
    return [
        layers.ZeroPadding2D(2),
        layers.Rescaling(1.275, offset=-0.1),
        layers.Conv2D(6, 5, activation=scaled_tanh),
        layers.AveragePooling2D(2),
        layers.DepthwiseConv2D(1, activation=scaled_tanh),
        layers.Conv2D(16, 5, activation=scaled_tanh),
        layers.AveragePooling2D(2),
        layers.DepthwiseConv2D(1, activation=scaled_tanh),
        layers.Flatten(),
        layers.Dense(120, activation=scaled_tanh),
        layers.Dense(84, activation=scaled_tanh),
    ]


def mnist_network(name: str):
    """One of ``MNIST_NETWORKS`` (or its old name), for 28×28×1 inputs and 10 classes."""
    import keras

    name = OLD_NAMES.get(name, name)
    if name not in MNIST_NETWORKS:
        raise ValueError(f"name: got {name!r}, expected one of {', '.join(MNIST_NETWORKS)}")

    def scaled_tanh(a):  # LeCun et al. 1998, appendix A: f(a) = 1.7159 tanh(2a/3)
        return 1.7159 * keras.ops.tanh(2 / 3 * a)

    body = _mnist_body(name, keras.layers, scaled_tanh)
    output = keras.layers.Dense(10, activation="softmax")
    return keras.Sequential([keras.Input((28, 28, 1)), *body, output])


def deep_fashion():
    """A deeper design for Fashion-MNIST (five convolutions up to 256 filters, two dense)."""
    import keras
    from keras import layers

    conv = partial(layers.Conv2D, kernel_size=3, activation="relu", padding="same")
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            conv(64, kernel_size=7),
            layers.MaxPooling2D(2),
            conv(128),
            conv(128),
            layers.MaxPooling2D(2),
            conv(256),
            conv(256),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(64, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ],
        name="deep_reference",
    )


def fashion_augmentation(keras):
    """The augmentation of notebook 07: a mirror image half the time, shifts up to 10%."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="nearest"),
        ],
        name="augment",
    )


def _compact_conv(keras, x, filters, batch_norm):
    if batch_norm:
        x = keras.layers.Conv2D(filters, kernel_size=3, padding="same", use_bias=False)(x)
        x = keras.layers.BatchNormalization()(x)
        return keras.layers.Activation("relu")(x)
    return keras.layers.Conv2D(filters, 3, activation="relu", padding="same")(x)


def _compact_inputs(keras, x, augment, statistics):
    if augment == "shift_raw":
        mean, std = statistics
        # At most 2 pixels each way, the background (0) filling the uncovered strip; then the
        # per-pixel standardisation, so the network sees what the notebook's inputs look like.
        x = keras.layers.RandomTranslation(
            2 / 28, 2 / 28, fill_mode="constant", fill_value=0.0
        )(x)
        return keras.layers.Normalization(axis=(1, 2, 3), mean=mean, variance=std**2)(x)
    return fashion_augmentation(keras)(x) if augment else x


def _compact_head(keras, x, batch_norm, head):
    if head == "flatten":
        x = keras.layers.MaxPooling2D(pool_size=2)(_compact_conv(keras, x, 64, batch_norm))
        x = keras.layers.Flatten()(x)
        if batch_norm:
            x = keras.layers.Dense(128, use_bias=False)(x)
            x = keras.layers.BatchNormalization()(x)
            x = keras.layers.Activation("relu")(x)
        else:
            x = keras.layers.Dense(128, activation="relu")(x)
        return keras.layers.Dropout(0.3)(x)
    x = _compact_conv(keras, x, 64, batch_norm)
    if head == "gap_wider":
        x = _compact_conv(keras, keras.layers.MaxPooling2D(pool_size=2)(x), 128, batch_norm)
    return keras.layers.GlobalAveragePooling2D()(x)


def compact07(keras, batch_norm=True, augment=False, head="flatten", statistics=None):
    """Notebook 07's compact network (the same layers), with variants for the experiments.

    ``augment``: False; True for the old pipeline (flip and shift after standardising);
    ``"shift_raw"`` for shifts of the raw images followed by the standardisation, as a layer
    (``statistics`` = (mean, std) of the training split, each of shape (28, 28, 1)).
    ``head``: ``"flatten"`` (Flatten, Dense 128, Dropout), ``"gap"`` (the second convolution
    unpooled, global average pooling, softmax) or ``"gap_wider"`` (a third convolution of 128
    filters at 7×7 before the global average pooling).
    """
    inputs = keras.Input(shape=(28, 28, 1))
    x = _compact_inputs(keras, inputs, augment, statistics)
    x = keras.layers.MaxPooling2D(pool_size=2)(_compact_conv(keras, x, 32, batch_norm))
    x = _compact_head(keras, x, batch_norm, head)
    # float32 output: a no-op in float32, and the softmax stays in float32 under mixed precision
    # (Keras' mixed-precision guide).
    outputs = keras.layers.Dense(10, activation="softmax", dtype="float32")(x)
    return keras.Model(inputs, outputs)


def compact07_variant(keras, config, statistics=None):
    """``compact07`` as a recipe ``config`` sets it, under its precision policy (reset after)."""
    keras.mixed_precision.set_global_policy(config.get("precision", "float32"))
    try:
        return compact07(
            keras,
            config["batch_norm"],
            config["augment"],
            head=config.get("head", "flatten"),
            statistics=statistics,
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")
