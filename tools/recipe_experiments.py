"""The Fashion-MNIST recipe experiments behind notebook 07, written to benchmarks/.

Every figure that notebook 07 quotes about recipes it does not train itself (batch
normalisation or not, the schedule or a constant rate, data augmentation, fewer epochs, where
the time of one epoch goes) comes from this script's output,
``benchmarks/recipe_experiments.json`` and its rendering ``benchmarks/recipe_experiments.md``.
Nothing in those files is written by hand.

    python -m tools.recipe_experiments profile            # short timings, one process
    python -m tools.recipe_experiments profile --max-isa AVX512_CORE   # as a CPU without bf16
    python -m tools.recipe_experiments train [VARIANT ...] [--seeds 1 2 3]
    python -m tools.recipe_experiments precision [--max-isa AVX512_CORE]   # float32 vs bf16
    python -m tools.recipe_experiments render             # JSON -> Markdown only

``train`` runs each variant once per seed on the full data (Fashion-MNIST from wherever
``helpers`` finds it; quick mode is refused) and records the validation accuracy, on which
recipes are chosen, and the test accuracy, which is reported but never used to choose. Every
finished run is saved at once, so a long series can be stopped and resumed; a (variant, seed)
pair already in the JSON file is skipped. Accuracies are valid on a shared machine; training
times are not (the load averages at the start and end of every run are recorded), which is why
``profile`` measures images per second side by side in one process. ``--max-isa`` caps the
instruction set oneDNN may use (``ONEDNN_MAX_CPU_ISA``, e.g. ``AVX2`` or ``AVX512_CORE``), to
see what float32 and bfloat16 training cost on a CPU without this machine's AVX-512 bfloat16
instructions; each cap is stored as its own profile.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tools import fileio
from tools.benchmark import cpu_model, load_average

ROOT = Path(__file__).resolve().parent.parent
JSON_PATH = ROOT / "benchmarks" / "recipe_experiments.json"
MD_PATH = ROOT / "benchmarks" / "recipe_experiments.md"

VALIDATION_SIZE = 5_000
STD_FLOOR = 5.0  # the same floor as notebook 07
DEFAULT_SEEDS = (1, 2, 3)

# Each variant differs from BASE in the fields it sets. NOTEBOOK_VARIANT is notebook 07's recipe.
NOTEBOOK_VARIANT = "six_epochs"
BASE = {
    "batch_norm": True,
    "schedule": "one_cycle",  # or "constant"
    "rate": 3e-3,  # the peak rate of the schedule, or the constant rate
    "epochs": 8,
    "batch_size": 128,
    "augment": False,
    "precision": "float32",  # or "mixed_bfloat16": Keras' mixed-precision policy
    "head": "flatten",  # or "gap": global average pooling straight into the softmax layer
}
VARIANTS = {
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
DESCRIPTIONS = {
    "notebook": "compact, batch norm, 1cycle-style peak 0.003",
    "no_batch_norm": "compact, no batch norm, 1cycle-style peak 0.003",
    "augmented": "compact, batch norm, 1cycle-style peak 0.003, augmented",
    "six_epochs": "compact, batch norm, 1cycle-style peak 0.003, 6 epochs (notebook 07)",
    "five_epochs": "compact, batch norm, 1cycle-style peak 0.003, 5 epochs",
    "six_epochs_bfloat16": "compact, batch norm, 1cycle-style peak 0.003, 6 epochs, mixed_bfloat16",
    "constant_rate": "compact, batch norm, Adam at a constant 0.001",
    "no_batch_norm_constant_rate": "compact, no batch norm, Adam at a constant 0.001",
    "gap_head": "compact convolutions, global-average-pooling head (no Dense 128), 6 epochs",
    "gap_head_wider": "compact plus Conv 128 at 7×7, global-average-pooling head, 6 epochs",
    "shifted_raw": "compact, batch norm, shifts of up to 2 px on the raw images, then"
    " standardised",
    "shifted_raw_twelve_epochs": "compact, batch norm, shifts of up to 2 px on the raw images,"
    " then standardised, 12 epochs",
    "twelve_epochs": "compact, batch norm, 1cycle-style peak 0.003, 12 epochs",
}


# --------------------------------------------------------------------------- provenance


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def provenance(tf, keras, np) -> dict:
    import helpers

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") not in {"0", "false"},
        "data": helpers.data.where("fashion_mnist"),
    }


# --------------------------------------------------------------------------- data and models


def load_data():
    """The notebook's splits and standardisation: last 5,000 training images for validation."""
    import numpy as np

    import helpers

    if helpers.quick_mode():
        sys.exit("recipe_experiments: unset CNN_COURSE_QUICK; the experiments need the full data")
    (images, labels), (test_images, test_labels) = helpers.load_fashion_mnist(verbose=False)
    train_images, train_labels = images[:-VALIDATION_SIZE], labels[:-VALIDATION_SIZE]
    valid_images, valid_labels = images[-VALIDATION_SIZE:], labels[-VALIDATION_SIZE:]
    mean = train_images.mean(axis=0)
    std = np.maximum(train_images.std(axis=0), STD_FLOOR)

    def standardise(x):
        return ((x - mean) / std).astype("float32")[..., np.newaxis]

    def raw(x):
        return x.astype("float32")[..., np.newaxis]

    return {
        "train": (standardise(train_images), train_labels),
        "valid": (standardise(valid_images), valid_labels),
        "test": (standardise(test_images), test_labels),
        "raw": {
            "train": (raw(train_images), train_labels),
            "valid": (raw(valid_images), valid_labels),
            "test": (raw(test_images), test_labels),
        },
        "mean": mean.astype("float32")[..., np.newaxis],
        "std": std.astype("float32")[..., np.newaxis],
    }


def compact_convnet(keras, batch_norm=True, augment=False, head="flatten", statistics=None):
    """Notebook 07's compact network (the same layers), with variants for the experiments.

    ``augment``: False; True for the old pipeline (flip and shift after standardising);
    ``"shift_raw"`` for shifts of the raw images followed by the standardisation, as a layer
    (``statistics`` = (mean, std) of the training split, each of shape (28, 28, 1)).
    ``head``: ``"flatten"`` (Flatten, Dense 128, Dropout), ``"gap"`` (the second convolution
    unpooled, global average pooling, softmax) or ``"gap_wider"`` (a third convolution of 128
    filters at 7×7 before the global average pooling).
    """

    def conv(x, filters):
        if batch_norm:
            x = keras.layers.Conv2D(filters, kernel_size=3, padding="same", use_bias=False)(x)
            x = keras.layers.BatchNormalization()(x)
            return keras.layers.Activation("relu")(x)
        return keras.layers.Conv2D(filters, 3, activation="relu", padding="same")(x)

    inputs = keras.Input(shape=(28, 28, 1))
    x = inputs
    if augment == "shift_raw":
        mean, std = statistics
        # At most 2 pixels each way, the background (0) filling the uncovered strip; then the
        # per-pixel standardisation, so the network sees what the notebook's inputs look like.
        x = keras.layers.RandomTranslation(
            2 / 28, 2 / 28, fill_mode="constant", fill_value=0.0
        )(x)
        x = keras.layers.Normalization(axis=(1, 2, 3), mean=mean, variance=std**2)(x)
    elif augment:
        x = augmentation(keras)(x)
    x = keras.layers.MaxPooling2D(pool_size=2)(conv(x, 32))
    if head == "flatten":
        x = keras.layers.MaxPooling2D(pool_size=2)(conv(x, 64))
        x = keras.layers.Flatten()(x)
        if batch_norm:
            x = keras.layers.Dense(128, use_bias=False)(x)
            x = keras.layers.BatchNormalization()(x)
            x = keras.layers.Activation("relu")(x)
        else:
            x = keras.layers.Dense(128, activation="relu")(x)
        x = keras.layers.Dropout(0.3)(x)
    else:
        x = conv(x, 64)
        if head == "gap_wider":
            x = conv(keras.layers.MaxPooling2D(pool_size=2)(x), 128)
        x = keras.layers.GlobalAveragePooling2D()(x)
    # float32 output: a no-op in float32, and the softmax stays in float32 under mixed precision
    # (Keras' mixed-precision guide).
    outputs = keras.layers.Dense(10, activation="softmax", dtype="float32")(x)
    return keras.Model(inputs, outputs)


def build(keras, config, statistics=None):
    """The compact network under the precision policy of ``config``; the policy is reset after."""
    keras.mixed_precision.set_global_policy(config.get("precision", "float32"))
    try:
        return compact_convnet(
            keras,
            config["batch_norm"],
            config["augment"],
            head=config.get("head", "flatten"),
            statistics=statistics,
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")


def augmentation(keras):
    """The augmentation of notebook 07: a mirror image half the time, shifts up to 10%."""
    return keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="nearest"),
        ],
        name="augment",
    )


def training_dataset(tf, inputs, labels, batch_size, seed):
    """Cached, shuffled every epoch, batched and prefetched: the notebook's input pipeline."""
    return (
        tf.data.Dataset.from_tensor_slices((inputs, labels))
        .cache()
        .shuffle(len(inputs), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )


def compile_model(keras, model, config, training_images, jit_compile=False):
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


# --------------------------------------------------------------------------- results file


def read_results() -> dict:
    if JSON_PATH.exists():
        return json.loads(JSON_PATH.read_text())
    return {"runs": [], "profile": None}


def write_results(results: dict) -> None:
    fileio.write_text(JSON_PATH, json.dumps(results, indent=1) + "\n")
    fileio.write_text(MD_PATH, markdown(results))


# --------------------------------------------------------------------------- train


def train(variants: list[str], seeds: list[int]) -> None:
    from helpers.settings import import_tensorflow

    tf = import_tensorflow()
    import keras
    import numpy as np

    data = load_data()
    train_inputs, train_labels = data["train"]
    results = read_results()
    for name in variants:
        config = {**BASE, **VARIANTS[name]}
        for seed in seeds:
            if any(r["variant"] == name and r["seed"] == seed for r in results["runs"]):
                print(f"{name} seed {seed}: already in {JSON_PATH.name}, skipped")
                continue
            keras.utils.set_random_seed(seed)
            model = build(keras, config, statistics=(data["mean"], data["std"]))
            compile_model(keras, model, config, len(train_inputs))
            # Raw-image augmentation standardises inside the model, so it gets raw pixels.
            splits = data["raw"] if config["augment"] == "shift_raw" else data
            load_start, started = load_average(), now()
            start = time.perf_counter()
            history = model.fit(
                *splits["train"],
                batch_size=config["batch_size"],
                epochs=config["epochs"],
                validation_data=splits["valid"],
                verbose=2,
            )
            seconds = time.perf_counter() - start
            load_end = load_average()
            _, test_accuracy = model.evaluate(*splits["test"], verbose=0)
            run = {
                "variant": name,
                "seed": seed,
                "config": config,
                "started": started,
                "training_seconds": round(seconds, 1),
                "load_start": load_start,
                "load_end": load_end,
                "val_accuracy_per_epoch": [round(v, 4) for v in history.history["val_accuracy"]],
                "val_accuracy": round(history.history["val_accuracy"][-1], 4),
                "test_accuracy": round(float(test_accuracy), 4),
            }
            print(json.dumps(run), flush=True)
            results = read_results()  # another process may have added runs meanwhile
            results["runs"].append(run)
            results["provenance"] = provenance(tf, keras, np)
            write_results(results)


# --------------------------------------------------------------------------- profile


def profile(repeats: int = 5, steps: int = 80, max_isa: str | None = None) -> None:
    """Where one epoch's time goes, side by side in one process.

    The cases take turns (one timed run of each per round, ``repeats`` rounds, each round
    starting one case later) so that a change in the machine's load touches them all alike;
    the best time of each is kept. A case that
    fails (bfloat16 where oneDNN has no kernel for it) is recorded with its error.
    """
    if max_isa:  # read by oneDNN when TensorFlow loads it, so set before the import
        os.environ["ONEDNN_MAX_CPU_ISA"] = max_isa
    from helpers.settings import import_tensorflow

    tf = import_tensorflow()
    import keras
    import numpy as np

    data = load_data()
    train_inputs, train_labels = data["train"]
    valid_inputs, valid_labels = data["valid"]
    batch_size = BASE["batch_size"]
    count = steps * batch_size
    x, y = train_inputs[:count], train_labels[:count]
    keras.utils.set_random_seed(0)

    def fresh(jit_compile=False, **changes):
        config = {**BASE, **changes}
        model = build(keras, config)
        compile_model(keras, model, config, len(train_inputs), jit_compile=jit_compile)
        return model

    def fit_arrays(m):
        return m.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)

    cached = training_dataset(tf, x, y, batch_size, seed=0)
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_accuracy", patience=2, restore_best_weights=True
    )
    small_valid = (valid_inputs[:1280], valid_labels[:1280])
    cases = [
        ("fit on NumPy arrays (the notebook today)", count, fit_arrays, lambda: fresh()),
        (
            "fit on a cached, shuffled, batched, prefetched tf.data.Dataset",
            count,
            lambda m: m.fit(cached, epochs=1, verbose=0),
            lambda: fresh(),
        ),
        (
            "fit on arrays with verbose=2, EarlyStopping and 1,280 validation images",
            count,
            lambda m: m.fit(
                x,
                y,
                batch_size=batch_size,
                epochs=1,
                verbose=2,
                validation_data=small_valid,
                callbacks=[early_stopping],
            ),
            lambda: fresh(),
        ),
        (
            "fit on arrays, no batch normalisation",
            count,
            fit_arrays,
            lambda: fresh(batch_norm=False),
        ),
        (
            "fit on arrays, augmentation layers in the model",
            count,
            fit_arrays,
            lambda: fresh(augment=True),
        ),
        (
            "fit on arrays, mixed_bfloat16 policy",
            count,
            fit_arrays,
            lambda: fresh(precision="mixed_bfloat16"),
        ),
        (
            "fit on arrays, XLA (jit_compile=True)",
            count,
            fit_arrays,
            lambda: fresh(jit_compile=True),
        ),
        (
            "one validation pass: evaluate on 5,000 images",
            len(valid_inputs),
            lambda m: m.evaluate(valid_inputs, valid_labels, batch_size=batch_size, verbose=0),
            lambda: fresh(),
        ),
    ]
    load_start = load_average()
    models, first_calls, errors = {}, {}, {}
    for label, _, run, make in cases:  # the first call builds the graph: timed apart
        try:
            models[label] = make()
            start = time.perf_counter()
            run(models[label])
        except Exception as error:  # noqa: BLE001 - recorded, not hidden
            lines = str(error).strip().splitlines() or [""]
            reason = next((line for line in lines if "could not" in line), lines[0])
            errors[label] = f"{type(error).__name__}: {reason}"[:300]
            models.pop(label, None)
            print(f"{label}: failed: {errors[label]}", flush=True)
            continue
        first_calls[label] = time.perf_counter() - start
    best = {label: float("inf") for label in models}
    for round_number in range(repeats):
        # Each round starts one case later, so that no case always runs first (or last).
        shift = round_number % len(cases)
        for label, _, run, _ in cases[shift:] + cases[:shift]:
            if label in models:
                start = time.perf_counter()
                run(models[label])
                best[label] = min(best[label], time.perf_counter() - start)
    rows = []
    for label, images, _, _ in cases:
        row = {"case": label, "images": images}
        if label in errors:
            row["error"] = errors[label]
        else:
            row |= {
                "seconds": round(best[label], 3),
                "first_call_seconds": round(first_calls[label], 3),
                "images_per_second": round(images / best[label]),
            }
        rows.append(row)
        print(row, flush=True)
    results = read_results()
    results.pop("profile", None)  # the single profile of earlier versions of this script
    results.setdefault("profiles", {})[max_isa or "native"] = {
        "started": now(),
        "load_start": load_start,
        "load_end": load_average(),
        "repeats": repeats,
        "batch_size": batch_size,
        "max_isa": max_isa,
        "rows": rows,
    }
    results["provenance"] = provenance(tf, keras, np)
    write_results(results)


def precision(rounds: int = 3, max_isa: str | None = None) -> None:
    """float32 against mixed_bfloat16 on whole epochs: one epoch of each in turn, ``rounds`` times.

    The profile's short timings (80 batches) move by a fifth from one run to the next on this
    shared virtual machine; a whole epoch of 55,000 images, alternated, is the steadier measure.
    """
    if max_isa:
        os.environ["ONEDNN_MAX_CPU_ISA"] = max_isa
    from helpers.settings import import_tensorflow

    tf = import_tensorflow()
    import keras
    import numpy as np

    data = load_data()
    x, y = data["train"]
    keras.utils.set_random_seed(0)
    models = {}
    for policy in ("float32", "mixed_bfloat16"):
        config = {**BASE, "precision": policy}
        models[policy] = build(keras, config)
        compile_model(keras, models[policy], config, len(x))
        models[policy].fit(x[:1280], y[:1280], batch_size=BASE["batch_size"], verbose=0)
    load_start = load_average()
    seconds: dict[str, list[float]] = {policy: [] for policy in models}
    for _ in range(rounds):
        for policy, model in models.items():
            start = time.perf_counter()
            model.fit(x, y, batch_size=BASE["batch_size"], epochs=1, verbose=0)
            seconds[policy].append(round(time.perf_counter() - start, 2))
            print(policy, seconds[policy][-1], "s", flush=True)
    results = read_results()
    results.setdefault("precision", {})[max_isa or "native"] = {
        "started": now(),
        "load_start": load_start,
        "load_end": load_average(),
        "images": len(x),
        "batch_size": BASE["batch_size"],
        "seconds": seconds,
    }
    results["provenance"] = provenance(tf, keras, np)
    write_results(results)


# --------------------------------------------------------------------------- markdown


def _pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def _spread(sd: float, seeds: list[int]) -> str:
    return f" ± {100 * sd:.2f}" if len(seeds) > 1 else " (one seed)"


def summary(results: dict) -> dict[str, dict]:
    """Per variant: mean and spread (sample standard deviation) over its seeds."""
    table = {}
    for name in VARIANTS:
        runs = [r for r in results["runs"] if r["variant"] == name]
        if not runs:
            continue
        val = [r["val_accuracy"] for r in runs]
        test = [r["test_accuracy"] for r in runs]
        secs = [r["training_seconds"] for r in runs]
        table[name] = {
            "seeds": sorted(r["seed"] for r in runs),
            "val_mean": statistics.mean(val),
            "val_sd": statistics.stdev(val) if len(val) > 1 else 0.0,
            "test_mean": statistics.mean(test),
            "test_sd": statistics.stdev(test) if len(test) > 1 else 0.0,
            "seconds_mean": statistics.mean(secs),
            "epochs": runs[0]["config"]["epochs"],
        }
    return table


def markdown(results: dict) -> str:
    prov = results.get("provenance", {})
    lines = [
        "# Fashion-MNIST recipe experiments (notebook 07)",
        "",
        "Written by `tools/recipe_experiments.py` from `benchmarks/recipe_experiments.json`;"
        " do not edit by hand.",
        "",
        f"- Machine: {prov.get('cpu', '?')}, {prov.get('cores', '?')} cores,"
        f" {prov.get('system', '?')}",
        f"- Python {prov.get('python', '?')}, TensorFlow {prov.get('tensorflow', '?')},"
        f" Keras {prov.get('keras', '?')}, NumPy {prov.get('numpy', '?')},"
        f" oneDNN {'on' if prov.get('onednn', True) else 'off'}",
        f"- Data: {prov.get('data', '?')}. Training split the first 55,000"
        " training images, validation the last 5,000 (scored after every epoch), test all"
        " 10,000; standardised per pixel with the training split's mean and standard deviation"
        f" (floored at {STD_FLOOR:g} of 255), as in the notebook.",
        "- Network: notebook 07's compact convnet (Conv 32 → pool → Conv 64 → pool → Dense 128"
        " → Dropout 0.3 → Dense 10, 3×3 kernels), `fit` on the NumPy arrays as in the"
        " notebook (shuffled every epoch); Adam; 1cycle-style schedule = warm-up from a tenth of"
        " the peak over 20% of the steps, then cosine decay to 0"
        " (`helpers.training.one_cycle_schedule`).",
        "- Heads: the notebook's is Flatten → Dense 128 → Dropout 0.3 → Dense 10. The"
        " global-average-pooling head (`gap_head`) leaves the second convolution unpooled and"
        " averages each of its 64 channels over the 14×14 positions straight into the softmax"
        " layer; `gap_head_wider` adds a third convolution (128 filters, after a 2×2 pooling)"
        " before the averaging.",
        '- Augmentation, two pipelines. "augmented": `RandomFlip("horizontal")` and'
        ' `RandomTranslation(0.1, 0.1, fill_mode="nearest")` on the standardised images (the'
        " first version, which mirrors shoes that all face left and shifts the standardisation's"
        ' pattern with the item). "shifts of up to 2 px on the raw images": `RandomTranslation('
        '2/28, 2/28, fill_mode="constant", fill_value=0)` on the raw pixels, then the per-pixel'
        " standardisation as a `Normalization` layer with the training split's statistics; no"
        " flip. Both act in training only.",
        "- Seeds: `keras.utils.set_random_seed(seed)` before each model is built (weights,"
        " shuffling, dropout and augmentation follow from it).",
        "",
        "Recipes are compared on **validation** accuracy after the last epoch; the test accuracy"
        " is shown but was not used to choose. ± is the sample standard deviation over the"
        " seeds. Training times (inside `fit`, validation passes included) were measured while"
        " other work shared the two cores (load averages below), so compare speeds with the"
        " profile at the end, which ran its cases side by side in one process.",
        "",
    ]
    table = summary(results)
    if table:
        lines += [
            "## Recipes, mean over seeds",
            "",
            "| variant | epochs | seeds | validation accuracy | test accuracy |"
            " training time (shared CPU) |",
            "|---|---:|---|---:|---:|---:|",
        ]
        for name, row in table.items():
            lines.append(
                f"| {DESCRIPTIONS[name]} | {row['epochs']} |"
                f" {', '.join(map(str, row['seeds']))} |"
                f" {_pct(row['val_mean'])}{_spread(row['val_sd'], row['seeds'])} |"
                f" {_pct(row['test_mean'])}{_spread(row['test_sd'], row['seeds'])} |"
                f" {row['seconds_mean']:.0f} s |"
            )
        lines += [
            "",
            "## Every run",
            "",
            "| variant | seed | started | load average at start / end | training |"
            " validation accuracy per epoch | test accuracy |",
            "|---|---:|---|---|---:|---|---:|",
        ]
        for run in results["runs"]:
            per_epoch = " ".join(f"{100 * v:.2f}" for v in run["val_accuracy_per_epoch"])
            lines.append(
                f"| {run['variant']} | {run['seed']} | {run['started']} |"
                f" {run['load_start']} / {run['load_end']} | {run['training_seconds']:.0f} s |"
                f" {per_epoch} | {_pct(run['test_accuracy'])} |"
            )
        lines.append("")
    for key, prof in results.get("profiles", {}).items():
        isa = (
            "oneDNN free to use every instruction set of this CPU (AVX-512 with bfloat16)"
            if key == "native"
            else f"oneDNN capped at `ONEDNN_MAX_CPU_ISA={key}`"
        )
        lines += [
            f"## Where the time of an epoch goes (profile, {isa})",
            "",
            f"Run {prof['started']}, load average at start {prof['load_start']}, at end"
            f" {prof['load_end']}. Notebook 07's compact network (batch norm), batch"
            f" {prof['batch_size']}; the cases took turns, {prof['repeats']} rounds (each starting"
            " one case later) after an"
            " untimed first call of each, best time shown. The case with validation runs"
            " `fit` once per round, so each of its timings includes setting up and running a"
            " validation pass.",
            "",
            "| case | images | best time | images/s | first call (builds the graph) |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in prof["rows"]:
            if "error" in row:
                lines.append(
                    f"| {row['case']} | {row['images']:,} | failed: {row['error']} | – | – |"
                )
                continue
            lines.append(
                f"| {row['case']} | {row['images']:,} | {row['seconds']:.2f} s |"
                f" {row['images_per_second']:,} | {row['first_call_seconds']:.2f} s |"
            )
        lines.append("")
    precision_runs = results.get("precision", {})
    if precision_runs:
        lines += [
            "## float32 against mixed_bfloat16, whole epochs",
            "",
            "Notebook 07's compact network (batch norm), one epoch of the 55,000 training images"
            " at batch 128, no validation; the two precisions took turns, after a short untimed"
            " fit of each. With `mixed_bfloat16` the layers compute in bfloat16 and keep float32"
            " weights; the softmax layer stays float32. The fastest epoch of each is compared:"
            " on this virtual machine some epochs ran at about half speed for minutes at a time,"
            " whatever their precision, so every epoch's time is listed too.",
            "",
            "| oneDNN may use | load average at start / end | float32 epochs | mixed_bfloat16"
            " epochs | speed-up (fastest float32 / fastest bfloat16) |",
            "|---|---|---:|---:|---:|",
        ]
        for key, run in precision_runs.items():
            where = "every instruction set of this CPU" if key == "native" else f"up to {key}"
            times = {
                policy: ", ".join(f"{t:.1f}" for t in values) + " s"
                for policy, values in run["seconds"].items()
            }
            speed_up = min(run["seconds"]["float32"]) / min(run["seconds"]["mixed_bfloat16"])
            lines.append(
                f"| {where} | {run['load_start']} / {run['load_end']} | {times['float32']} |"
                f" {times['mixed_bfloat16']} | {speed_up:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="seeded training runs on the full data")
    train_parser.add_argument("variants", nargs="*", help=f"any of {', '.join(VARIANTS)}")
    train_parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    profile_parser = commands.add_parser("profile", help="where one epoch's time goes")
    profile_parser.add_argument(
        "--max-isa", help="cap oneDNN's instruction set (ONEDNN_MAX_CPU_ISA), e.g. AVX2"
    )
    precision_parser = commands.add_parser(
        "precision", help="float32 against mixed_bfloat16, whole epochs in turn"
    )
    precision_parser.add_argument(
        "--max-isa", help="cap oneDNN's instruction set (ONEDNN_MAX_CPU_ISA), e.g. AVX512_CORE"
    )
    commands.add_parser("render", help="rewrite the Markdown from the JSON file")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.command == "train":
        unknown = [name for name in args.variants if name not in VARIANTS]
        if unknown:
            parser.error(f"variants: got {unknown}, expected names from {list(VARIANTS)}")
        train(args.variants or list(VARIANTS), args.seeds)
    elif args.command == "profile":
        profile(max_isa=args.max_isa)
    elif args.command == "precision":
        precision(max_isa=args.max_isa)
    else:
        write_results(read_results())
    return 0


if __name__ == "__main__":
    sys.exit(main())
