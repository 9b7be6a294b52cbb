"""The comparison half of ``tools/benchmark.py --compare``: the classic recipes, one process.

    python -m tools.benchmark_compare OUT.json PLAN_JSON DEEP_SECONDS_JSON

PLAN_JSON holds ``classic`` (design, epochs, batch size, optimizer for the dense baseline of
notebook 01, the 64-64-64 convnet of notebook 02 and LeNet-5 of notebook 04), ``notebook``
(for some of those designs the notebook's own recipe: network kind, peak rate, epochs, batch
size, as `tools/mnist_experiments.py` trains it) and ``seeds``. A design with a notebook recipe
trains in pairs, one pair per seed: the classic recipe and the notebook's recipe one after the
other with the same seed, the order alternating from pair to pair, so that the two meet the
machine in the same state. A design without one trains its classic recipe once (seed 42). All
on the same MNIST data as the notebooks, 10% held out for validation.

Then, unless DEEP_SECONDS_JSON is ``null``, the deep Fashion-MNIST design (Nadam, batch 32)
trains for that many seconds of wall time (notebook 07's training time in the same run) and is
evaluated on the test set as it is then. Every row is written to OUT.json as soon as it is
measured. Run by ``tools/benchmark.py``; the environment (full mode, data folder) comes from
there.
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

from tools import fileio, recipe_experiments  # noqa: E402  (after setup, as keras)
from tools.mnist_experiments import build, load, rate_literal, train_recipe  # noqa: E402

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


def record(out_path: str, row: dict) -> None:
    """Add ``row`` to the results, print it and rewrite OUT.json with everything so far."""
    results.append(row)
    print(json.dumps(row), flush=True)
    fileio.write_text(out_path, json.dumps(results, indent=1))


def timed(
    out_path, name, model, train, test, epochs, batch_size, note, split=0.1, stop=None, extra=None
):
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
    record(
        out_path,
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
            **(extra or {}),
        },
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


# The same networks that tools/mnist_experiments.py trains: notebook 01's dense baseline,
# notebook 02's convnet and notebook 04's modernised LeNet-5.
DESIGNS = {
    "dense30": partial(build, "dense"),
    "convnet02": partial(build, "convnet02"),
    "lenet5": partial(build, "modern"),
}
OPTIMIZERS = {"rmsprop": ("RMSprop defaults", keras.optimizers.RMSprop)}


def classic(out_path, data, design, epochs, batch_size, optimizer_name, seed, extra=None):
    keras.utils.set_random_seed(seed)
    model = DESIGNS[design]()
    note, optimizer = OPTIMIZERS[optimizer_name]
    model.compile(optimizer(), "sparse_categorical_crossentropy", metrics=["accuracy"])
    note += f", batch {batch_size}, {epochs} epochs, validation_split 0.1"
    train, test = (data["train"], data["labels"]), (data["test"], data["test_labels"])
    timed(out_path, design, model, train, test, epochs, batch_size, note, extra=extra)


def notebook(out_path, data, design, kind, peak, epochs, batch_size, seed, pair):
    measured = train_recipe(kind, peak, seed, epochs, batch_size, data)
    trained = measured["training_images"] * epochs
    record(
        out_path,
        {
            "design": design,
            "role": "notebook",
            "recipe": f"Adam, 1cycle-style peak {rate_literal(peak)}, batch {batch_size},"
            f" {epochs} epochs,"
            " validation_split 0.1",
            "epochs": epochs,
            "batch_size": batch_size,
            "parameters": measured["parameters"],
            "images": trained,
            "seconds": measured["seconds"],
            "images_per_second": round(trained / measured["seconds"], 1),
            "test_accuracy": round(measured["test"], 5),
            "seed": seed,
            "pair": pair,
        },
    )


def main(out_path: str, plan: dict, deep_seconds: float | None) -> None:
    data = load()
    for design, epochs, batch_size, optimizer_name in plan["classic"]:
        classic_run = partial(classic, out_path, data, design, epochs, batch_size, optimizer_name)
        if design not in plan["notebook"]:
            classic_run(42)
            continue
        kind, peak, notebook_epochs, notebook_batch = plan["notebook"][design]
        notebook_run = partial(
            notebook, out_path, data, design, kind, peak, notebook_epochs, notebook_batch
        )
        for pair, seed in enumerate(plan["seeds"], start=1):
            runs = [
                partial(classic_run, seed, extra={"seed": seed, "pair": pair}),
                partial(notebook_run, seed, pair),
            ]
            for run in runs if pair % 2 else runs[::-1]:  # alternate which goes first
                run()

    if deep_seconds is None:
        return
    # Notebook 07's data: its 55,000 training images standardised per pixel with their own
    # statistics; its last 5,000 are its validation set, left out here, since in a fixed time
    # budget validation passes only take time from training.
    fashion = recipe_experiments.load_data()
    keras.utils.set_random_seed(42)
    model = deep_fashion()
    model.compile("nadam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    # No warm-up: notebook 07's training time includes building its graph too.
    note = (
        f"Nadam, batch 32, stopped after {deep_seconds:.0f} s (notebook 07's training time),"
        " no validation passes"
    )
    timed(
        out_path,
        "deep_fashion",
        model,
        fashion["train"],
        fashion["test"],
        10,
        32,
        note,
        split=0.0,
        stop=StopAfter(deep_seconds),
    )


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]))
