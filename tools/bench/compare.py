"""The comparison half of ``python -m tools.bench --compare``: the baseline recipes, one process.

    python -m tools.bench.compare OUT.json PLAN_JSON DEEP_SECONDS_JSON

Steps:

1. ``helpers.setup``, then MNIST as the notebooks scale it;
2. for each baseline recipe of PLAN_JSON (``baseline``: network, epochs, batch size,
   optimizer): a network without a notebook recipe trains once (seed 42); a network with one
   (``notebook``: peak rate, epochs, batch size) trains in pairs, one pair per seed of
   ``seeds``: the baseline recipe and the notebook's recipe one after the other with the same
   seed, the order alternating from pair to pair, so that the two meet the machine in the same
   state. All on the same MNIST data as the notebooks, 10% held out for validation;
3. unless DEEP_SECONDS_JSON is ``null``, the deep Fashion-MNIST design (Nadam, batch 32) trains
   for that many seconds of wall time (notebook 07's training time in the same run) and is
   evaluated on the test set as it is then.

Every row is written to OUT.json as soon as it is measured. Run by ``tools.bench.run``; the
environment (full mode, data folder) comes from there.
"""

from __future__ import annotations

import json
import sys
import time
from functools import partial

from tools import fileio
from tools.bench.networks import deep_fashion, mnist_network
from tools.bench.recipes import (
    fashion_splits,
    mnist_data,
    rate_literal,
    train_notebook_recipe,
)

OPTIMIZERS = {"rmsprop": ("RMSprop defaults", "RMSprop")}


class Recorder:
    """Collects the rows and rewrites OUT.json with everything so far after each one."""

    def __init__(self, out_path: str):
        self.out_path, self.rows = out_path, []

    def record(self, row: dict) -> None:
        self.rows.append(row)
        print(json.dumps(row), flush=True)
        fileio.write_text(self.out_path, json.dumps(self.rows, indent=1))


def stop_after(seconds: float):
    """A Keras callback that stops training after ``seconds`` of wall time (checked per batch)."""
    import keras

    class StopAfter(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.batches = time.perf_counter(), 0

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1
            if time.perf_counter() - self.start >= seconds:
                self.model.stop_training = True

    return StopAfter()


def timed(recorder, name, model, train, test, epochs, batch_size, note, split=0.1, stop=None,
          extra=None):
    """Fit ``model`` on ``train``, time it, evaluate on ``test``, record a row.

    ``split`` is the fraction held out for validation, as the notebooks do (0.1); ``stop``
    a ``stop_after`` callback when training is limited by time rather than epochs.
    """
    x, y = train
    start = time.perf_counter()
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_split=split,
                        verbose=0, callbacks=[stop] if stop else [])
    seconds = time.perf_counter() - start
    per_epoch = int(round(len(x) * (1 - split)))
    if stop is None:
        trained = per_epoch * epochs
    else:  # the last batch may be short; count it as full, a tiny overestimate
        trained = min(stop.batches * batch_size, per_epoch * epochs)
    epochs = len(history.epoch) if stop is None else round(trained / per_epoch, 2)
    accuracy = None if test is None else float(model.evaluate(*test, verbose=0, batch_size=1000)[1])
    recorder.record({
        "design": name,
        "role": "classic",  # a baseline recipe's run (the stored results' name for it)
        "recipe": note,
        "epochs": epochs,
        "batch_size": batch_size,
        "parameters": int(model.count_params()),
        "images": trained,
        "seconds": round(seconds, 2),
        "images_per_second": round(trained / seconds, 1),
        "test_accuracy": None if accuracy is None else round(accuracy, 5),
        **(extra or {}),
    })


def baseline(recorder, data, design, epochs, batch_size, optimizer_name, seed, extra=None):
    import keras

    keras.utils.set_random_seed(seed)
    model = mnist_network(design)
    note, optimizer = OPTIMIZERS[optimizer_name]
    model.compile(getattr(keras.optimizers, optimizer)(), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    note += f", batch {batch_size}, {epochs} epochs, validation_split 0.1"
    train, test = (data["train"], data["labels"]), (data["test"], data["test_labels"])
    timed(recorder, design, model, train, test, epochs, batch_size, note, extra=extra)


def notebook(recorder, data, design, peak, epochs, batch_size, seed, pair):
    measured = train_notebook_recipe(design, peak, seed, epochs, batch_size, data)
    trained = measured["training_images"] * epochs
    recorder.record({
        "design": design,
        "role": "notebook",
        "recipe": f"Adam, 1cycle-style peak {rate_literal(peak)}, batch {batch_size},"
        f" {epochs} epochs, validation_split 0.1",
        "epochs": epochs,
        "batch_size": batch_size,
        "parameters": measured["parameters"],
        "images": trained,
        "seconds": measured["seconds"],
        "images_per_second": round(trained / measured["seconds"], 1),
        "test_accuracy": round(measured["test"], 5),
        "seed": seed,
        "pair": pair,
    })


def mnist_recipes(recorder, plan: dict) -> None:
    """Step 2: each baseline recipe, alone or in pairs with the notebook's recipe."""
    data = mnist_data()
    for design, epochs, batch_size, optimizer_name in plan["baseline"]:
        baseline_run = partial(baseline, recorder, data, design, epochs, batch_size,
                               optimizer_name)
        if design not in plan["notebook"]:
            baseline_run(42)
            continue
        notebook_run = partial(notebook, recorder, data, design, *plan["notebook"][design])
        for pair, seed in enumerate(plan["seeds"], start=1):
            runs = [
                partial(baseline_run, seed, extra={"seed": seed, "pair": pair}),
                partial(notebook_run, seed, pair),
            ]
            for run in runs if pair % 2 else runs[::-1]:  # alternate which goes first
                run()


def deep_fashion_run(recorder, deep_seconds: float) -> None:
    """Step 3. Notebook 07's data: its 55,000 training images standardised per pixel with
    their own statistics; its last 5,000 (its validation set) are left out here, since in a
    fixed time budget validation passes only take time from training."""
    import keras

    fashion = fashion_splits()
    keras.utils.set_random_seed(42)
    model = deep_fashion()
    model.compile("nadam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    # No warm-up: notebook 07's training time includes building its graph too.
    note = (
        f"Nadam, batch 32, stopped after {deep_seconds:.0f} s (notebook 07's training time),"
        " no validation passes"
    )
    timed(recorder, "deep_fashion", model, fashion["train"], fashion["test"], 10, 32, note,
          split=0.0, stop=stop_after(deep_seconds))


def main(out_path: str, plan: dict, deep_seconds: float | None) -> None:
    import helpers

    helpers.setup("benchmark_compare")  # step 1 (imports TensorFlow quietly)
    recorder = Recorder(out_path)
    mnist_recipes(recorder, plan)
    if deep_seconds is not None:
        deep_fashion_run(recorder, deep_seconds)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]))
