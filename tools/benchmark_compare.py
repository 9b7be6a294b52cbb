"""The comparison half of ``tools/benchmark.py --compare``: the classic recipes, one process.

    python tools/benchmark_compare.py OUT.json RECIPES_JSON DEEP_SECONDS_JSON

Trains the classic recipes (RECIPES_JSON: design, epochs, batch size, optimizer) for the dense
baseline (notebook 01), the 64-64-64 convnet (notebook 02) and LeNet-5 (notebook 04) on the
same MNIST data as the notebooks, 10% held out for validation. Then, unless DEEP_SECONDS_JSON
is ``null``, the deep Fashion-MNIST design (Nadam, batch 32) trains for that many seconds of
wall time (notebook 07's training time in the same run) and is evaluated on the test set as
it is then. Every row is written to OUT.json as soon as it is measured. Run by
``tools/benchmark.py``; the environment (full mode, data folder) comes from there.
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
from mnist_experiments import build  # noqa: E402  (tools/ is on the path when run as a script)

results: list[dict] = []


class StopAfter(keras.callbacks.Callback):
    """Stop training after ``seconds`` of wall time (checked after every batch)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds, self.batches = seconds, 0

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        if time.perf_counter() - self.start >= self.seconds:
            self.model.stop_training = True


def timed(out_path, name, model, train, test, epochs, batch_size, note, split=0.1, stop=None):
    """Fit ``model`` on ``train``, time it, evaluate on ``test``, record a row.

    ``split`` is the fraction held out for validation, as the notebooks do (0.1); ``stop``
    a ``StopAfter`` callback when training is limited by time rather than epochs.
    """
    x, y = train
    start = time.perf_counter()
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=split,
        verbose=0,
        callbacks=[stop] if stop else [],
    )
    seconds = time.perf_counter() - start
    per_epoch = int(round(len(x) * (1 - split)))
    if stop is None:
        trained = per_epoch * epochs
    else:  # the last batch may be short; count it as full, a tiny overestimate
        trained = min(stop.batches * batch_size, per_epoch * epochs)
    epochs = len(history.epoch) if stop is None else round(trained / per_epoch, 2)
    accuracy = None
    if test is not None:
        accuracy = float(model.evaluate(*test, verbose=0, batch_size=1000)[1])
    results.append(
        {
            "design": name,
            "role": "classic",
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


# The same networks that tools/mnist_experiments.py trains: notebook 01's dense baseline,
# notebook 02's convnet and notebook 04's modernised LeNet-5.
DESIGNS = {
    "dense30": partial(build, "dense"),
    "convnet02": partial(build, "convnet02"),
    "lenet5": partial(build, "modern"),
}
OPTIMIZERS = {"rmsprop": ("RMSprop defaults", keras.optimizers.RMSprop)}


def main(out_path: str, recipes: list, deep_seconds: float | None) -> None:
    (x, y), (x_test, y_test) = helpers.load_mnist()
    x = (x / 255.0).astype("float32")[..., None]
    x_test = (x_test / 255.0).astype("float32")[..., None]
    for design, epochs, batch_size, optimizer_name in recipes:
        keras.utils.set_random_seed(42)
        model = DESIGNS[design]()
        note, optimizer = OPTIMIZERS[optimizer_name]
        model.compile(optimizer(), "sparse_categorical_crossentropy", metrics=["accuracy"])
        note += f", batch {batch_size}, {epochs} epochs, validation_split 0.1"
        timed(out_path, design, model, (x, y), (x_test, y_test), epochs, batch_size, note)

    if deep_seconds is None:
        return
    (fx, fy), (fx_test, fy_test) = helpers.load_fashion_mnist()
    fx = fx.astype("float32")[..., None]
    mean, std = fx.mean(), fx.std()
    fx, fx_test = (fx - mean) / std, (fx_test.astype("float32")[..., None] - mean) / std
    keras.utils.set_random_seed(42)
    model = deep_fashion()
    model.compile("nadam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    # No warm-up: notebook 07's training time includes building its graph too.
    note = (
        f"Nadam, batch 32, stopped after {deep_seconds:.0f} s (notebook 07's training time),"
        " no validation passes"
    )
    # The same 55,000 training images that notebook 07 trains on (it holds the last twelfth
    # out), but no validation passes: in a fixed time budget they only take time from training.
    fitted = len(fx) - len(fx) // 12
    train = (fx[:fitted], fy[:fitted])
    timed(
        out_path, "deep_fashion", model, train, (fx_test, fy_test), 10, 32, note,
        split=0.0, stop=StopAfter(deep_seconds),
    )


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]))
