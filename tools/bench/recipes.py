"""The data and the training recipes of every network trained outside the notebooks.

MNIST (notebooks 01, 02, 04): ``mnist_data`` scales it as the notebooks do;
``train_notebook_recipe`` trains a network of ``tools.bench.networks`` with the notebook's
recipe; ``BASELINE_RECIPES`` are the RMSprop recipes the notebooks' recipes are measured
against, ``NOTEBOOK_RECIPES`` the notebooks' own for the networks with a time goal.

Fashion-MNIST (notebook 07): ``fashion_splits`` holds the notebook's splits and
standardisation; ``FASHION_BASE`` is its recipe and ``FASHION_VARIANTS`` what the experiments
change in it; ``compile_compact`` compiles ``compact07`` for a variant.
"""

from __future__ import annotations

import sys
import time

from tools.bench.networks import mnist_network

# The baseline recipes, as (network, epochs, batch size, optimizer). Each is trained from
# scratch in one fresh process of the benchmark run (tools/bench/compare.py), on the same data
# as the notebooks, 10% held out for validation as they do.
BASELINE_RECIPES = [
    ("dense30", 5, 64, "rmsprop"),
    ("convnet02", 5, 64, "rmsprop"),
    ("lenet5", 10, 128, "rmsprop"),
]
# The notebooks' own recipes for the networks with a time goal: network -> (peak learning
# rate, epochs, batch size). Each is retrained beside its baseline recipe, one pair per seed
# (the two one after the other with the same seed, alternating which goes first).
NOTEBOOK_RECIPES = {
    "convnet02": (4e-3, 2, 64),  # notebook 02
    "lenet5": (3.2e-2, 3, 128),  # notebook 04
}
PAIRED_SEEDS = [1, 2, 3]
DEEP_FASHION = "deep_fashion"  # Nadam, batch 32, trained as long as notebook 07's training
DEEP_FASHION_NOTEBOOK = "07_fashion_mnist"

VALIDATION_SIZE = 5_000  # notebook 07's validation split: the last 5,000 training images
STD_FLOOR = 5.0  # the same floor as notebook 07
# Each variant differs from FASHION_BASE in the fields it sets; NOTEBOOK_VARIANT is 07's recipe.
NOTEBOOK_VARIANT = "six_epochs"
FASHION_BASE = {
    "batch_norm": True,
    "schedule": "one_cycle",  # or "constant"
    "rate": 3e-3,  # the peak rate of the schedule, or the constant rate
    "epochs": 8,
    "batch_size": 128,
    "augment": False,
    "precision": "float32",  # or "mixed_bfloat16": Keras' mixed-precision policy
    "head": "flatten",  # or "gap": global average pooling straight into the softmax layer
}
FASHION_VARIANTS = {
    "notebook": {},
    "no_batch_norm": {"batch_norm": False},
    "augmented": {"augment": True},
    "six_epochs": {"epochs": 6},
    "five_epochs": {"epochs": 5},
    "six_epochs_bfloat16": {"epochs": 6, "precision": "mixed_bfloat16"},
    "constant_rate": {"schedule": "constant", "rate": 1e-3},
    "no_batch_norm_constant_rate": {"batch_norm": False, "schedule": "constant", "rate": 1e-3},
    "gap_head": {"epochs": 6, "head": "gap"},
    "gap_head_wider": {"epochs": 6, "head": "gap_wider"},
    "shifted_raw": {"augment": "shift_raw"},
    "shifted_raw_twelve_epochs": {"augment": "shift_raw", "epochs": 12},
    "twelve_epochs": {"epochs": 12},
}


def rate_literal(rate: float) -> str:
    """A learning rate as the notebooks write it: 4e-3, 3.2e-2."""
    mantissa, exponent = f"{rate:.6e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def mnist_data() -> dict:
    """MNIST as the notebooks scale it: float32 in [0, 1], one channel."""
    import helpers

    (train, labels), (test, test_labels) = helpers.load_mnist(verbose=False)
    return {
        "train": (train.astype("float32") / 255)[..., None],
        "labels": labels,
        "test": (test.astype("float32") / 255)[..., None],
        "test_labels": test_labels,
    }


def train_notebook_recipe(
    name: str, peak: float, seed: int, epochs: int, batch: int, data: dict
) -> dict:
    """Train ``mnist_network(name)`` with the notebooks' recipe; return what was measured.

    ``data`` is what `mnist_data` returns. The dense baseline trains with RMSprop at the
    constant rate ``peak`` (notebooks 01 and 02), the convnets with Adam and the 1cycle-style
    schedule of `helpers.training` peaking at ``peak``; the last 10% of the training images
    are held out for validation, as in the notebooks.
    """
    import keras

    from helpers.training import one_cycle_schedule

    keras.utils.set_random_seed(seed)
    model = mnist_network(name)
    fitted = len(data["train"]) - int(0.1 * len(data["train"]))
    if name in ("dense30", "dense"):
        optimizer = keras.optimizers.RMSprop(peak)
    else:
        optimizer = keras.optimizers.Adam(one_cycle_schedule(peak, epochs, fitted, batch))
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(
        data["train"], data["labels"], epochs=epochs, batch_size=batch,
        validation_split=0.1, verbose=0,
    )
    seconds = time.perf_counter() - start
    return {
        "val": history.history["val_accuracy"][-1],
        "test": model.evaluate(data["test"], data["test_labels"], verbose=0)[1],
        "seconds": round(seconds, 1),
        "training_images": fitted,
        "parameters": int(model.count_params()),
    }


def fashion_splits() -> dict:
    """Notebook 07's splits and standardisation: the last 5,000 training images validate."""
    import numpy as np

    import helpers

    if helpers.quick_mode():
        sys.exit("the Fashion-MNIST experiments need the full data: unset CNN_COURSE_QUICK")
    (images, labels), (test_images, test_labels) = helpers.load_fashion_mnist(verbose=False)
    train_images, train_labels = images[:-VALIDATION_SIZE], labels[:-VALIDATION_SIZE]
    valid_images, valid_labels = images[-VALIDATION_SIZE:], labels[-VALIDATION_SIZE:]
    mean = train_images.mean(axis=0)
    std = np.maximum(train_images.std(axis=0), STD_FLOOR)

    def standardise(x):
        return ((x - mean) / std).astype("float32")[..., np.newaxis]

    def raw(x):
        return x.astype("float32")[..., np.newaxis]

    splits = {"train": (train_images, train_labels), "valid": (valid_images, valid_labels),
              "test": (test_images, test_labels)}
    return {
        **{key: (standardise(x), y) for key, (x, y) in splits.items()},
        "raw": {key: (raw(x), y) for key, (x, y) in splits.items()},
        "mean": mean.astype("float32")[..., np.newaxis],
        "std": std.astype("float32")[..., np.newaxis],
    }


def training_dataset(tf, inputs, labels, batch_size, seed):
    """Cached, shuffled every epoch, batched and prefetched: the notebook's input pipeline."""
    return (
        tf.data.Dataset.from_tensor_slices((inputs, labels))
        .cache()
        .shuffle(len(inputs), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )


def compile_compact(keras, model, config, training_images, jit_compile=False):
    """Adam with the variant's schedule (1cycle-style or constant), as notebook 07 compiles."""
    from helpers.training import one_cycle_schedule

    if config["schedule"] == "one_cycle":
        rate = one_cycle_schedule(
            config["rate"], config["epochs"], training_images, config["batch_size"]
        )
    else:
        rate = config["rate"]
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,  # Keras' "auto" means off on a CPU-only machine
    )
