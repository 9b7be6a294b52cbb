"""The comparison half of ``tools/benchmark.py --compare``: one fresh process, side by side.

    python tools/benchmark_compare.py OUT.json DEEP_BATCHES RECIPES_JSON

Trains the reference recipes and the course's recipes for the 64-64-64 convnet (notebook 02)
and LeNet-5 (notebook 04) on the same MNIST data, then times the deep Fashion-MNIST reference
design and notebook 07's compact network on the same fixed, short budget of images. Every row
is written to OUT.json as soon as it is measured. Run by ``tools/benchmark.py``; the
environment (full mode, data folder) comes from there.
"""

from __future__ import annotations

import json
import sys
import time
from functools import partial

import helpers

helpers.setup("benchmark_compare")

import keras  # noqa: E402  (after setup, which imports TensorFlow quietly)
from keras import layers  # noqa: E402

results: list[dict] = []


def timed(out_path, name, role, model, train, test, epochs, batch_size, note, split=0.0):
    """Fit ``model`` on ``train``, time it, evaluate on ``test`` if given, record a row.

    ``split`` is the fraction held out for validation, as the notebooks do (0.1).
    """
    x, y = train
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=split, verbose=0)
    seconds = time.perf_counter() - start
    trained = int(round(len(x) * (1 - split))) * epochs
    accuracy = None
    if test is not None:
        accuracy = float(model.evaluate(*test, verbose=0, batch_size=1000)[1])
    results.append(
        {
            "design": name,
            "role": role,
            "recipe": note,
            "epochs": epochs,
            "batch_size": batch_size,
            "parameters": int(model.count_params()),
            "images": trained,
            "seconds": round(seconds, 2),
            "images_per_second": round(trained / seconds, 1),
            "test_accuracy": None if accuracy is None else round(accuracy, 5),
        }
    )
    print(json.dumps(results[-1]), flush=True)
    with open(out_path, "w") as handle:
        json.dump(results, handle, indent=1)


def convnet02():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="convnet",
    )


def lenet5():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.ZeroPadding2D(2),
            layers.Conv2D(6, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="lenet5",
    )


def deep_fashion():
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


def compact_fashion():
    def block(x, filters):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.Activation("relu")(layers.BatchNormalization()(x))
        return layers.MaxPooling2D(2)(x)

    inputs = keras.Input((28, 28, 1))
    x = layers.Flatten()(block(block(inputs, 32), 64))
    x = layers.Dense(128, use_bias=False)(x)
    x = layers.Activation("relu")(layers.BatchNormalization()(x))
    outputs = layers.Dense(10, activation="softmax")(layers.Dropout(0.3)(x))
    return keras.Model(inputs, outputs, name="compact")


def one_cycle(peak, epochs, images, batch_size, warmup=0.2):
    steps = epochs * -(-images // batch_size)
    warm = int(warmup * steps)
    return keras.optimizers.schedules.CosineDecay(
        peak / 10, steps - warm, warmup_target=peak, warmup_steps=warm
    )


def main(out_path: str, deep_batches: int, recipes: list) -> None:
    (x, y), (x_test, y_test) = helpers.load_mnist()
    x = (x / 255.0).astype("float32")[..., None]
    x_test = (x_test / 255.0).astype("float32")[..., None]
    for design, role, epochs, batch_size, optimizer_name, peak in recipes:
        keras.utils.set_random_seed(42)
        model = {"convnet02": convnet02, "lenet5": lenet5}[design]()
        if optimizer_name == "rmsprop":
            optimizer, note = keras.optimizers.RMSprop(), "RMSprop defaults"
        elif optimizer_name == "adam":
            optimizer, note = keras.optimizers.Adam(), "Adam defaults"
        else:
            fitted = len(x) - int(0.1 * len(x))  # what fit trains on, after validation_split
            optimizer = keras.optimizers.Adam(one_cycle(peak, epochs, fitted, batch_size))
            note = f"Adam, one-cycle cosine schedule peaking at {peak:g}"
        model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
        note += ", validation_split 0.1"
        timed(
            out_path, design, role, model, (x, y), (x_test, y_test), epochs, batch_size, note, 0.1
        )

    (fx, fy), _ = helpers.load_fashion_mnist()
    fx = fx[: deep_batches * 32].astype("float32")[..., None]
    fx = (fx - fx.mean()) / fx.std()
    fy = fy[: len(fx)]
    runs = [
        (deep_fashion, "reference", 32, "nadam", "Nadam, batch 32"),
        (compact_fashion, "course", 128, "adam", "Adam, batch 128 (notebook 07's network)"),
    ]
    for build, role, batch_size, optimizer, note in runs:
        keras.utils.set_random_seed(42)
        model = build()
        model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
        # One warm-up batch first, so that building the graph is not counted as training.
        model.fit(fx[:batch_size], fy[:batch_size], batch_size=batch_size, verbose=0)
        note = f"{note}; first {len(fx):,} images only (a fixed short budget)"
        timed(out_path, "fashion_throughput", role, model, (fx, fy), None, 1, batch_size, note)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]))
