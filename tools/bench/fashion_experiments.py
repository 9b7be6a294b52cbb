"""The Fashion-MNIST recipe experiments behind notebook 07, written to benchmarks/.

Every figure that notebook 07 quotes about recipes it does not train itself (batch
normalisation or not, the schedule or a constant rate, data augmentation, fewer epochs, where
the time of one epoch goes) comes from this script's output,
``benchmarks/recipe_experiments.json`` and its rendering ``benchmarks/recipe_experiments.md``
(``tools.bench.fashion_report``). Nothing in those files is written by hand.

    python -m tools.bench.fashion_experiments profile            # short timings, one process
    python -m tools.bench.fashion_experiments profile --max-isa AVX512_CORE   # no bf16 CPU
    python -m tools.bench.fashion_experiments train [VARIANT ...] [--seeds 1 2 3]
    python -m tools.bench.fashion_experiments precision [--max-isa AVX512_CORE]
    python -m tools.bench.fashion_experiments render [--test]    # JSON -> Markdown only

``train``: for each variant (``tools.bench.recipes.FASHION_VARIANTS``) and seed not yet in the
JSON file, build ``compact07`` as the variant sets it, train it on the full data (quick mode is
refused) and record the validation accuracy, on which recipes are chosen, and the test
accuracy, which is reported but never used to choose; each finished run is saved at once, so a
long series can be stopped and resumed. Accuracies are valid on a shared machine; training
times are not (the load averages at the start and end of every run are recorded), which is why
``profile`` measures images per second side by side in one process. ``--max-isa`` caps the
instruction set oneDNN may use (``ONEDNN_MAX_CPU_ISA``), to see what float32 and bfloat16
training cost on a CPU without this machine's AVX-512 bfloat16 instructions; each cap is
stored as its own profile.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time

from tools import fileio
from tools.bench import fashion_report
from tools.bench.machine import load_average, now, training_provenance
from tools.bench.networks import compact07_variant
from tools.bench.recipes import (
    FASHION_BASE,
    FASHION_VARIANTS,
    compile_compact,
    fashion_splits,
    training_dataset,
)
from tools.layout import ROOT

DEFAULT_SEEDS = (1, 2, 3)


def libraries(max_isa: str | None = None):
    """TensorFlow, Keras and NumPy, imported after oneDNN's cap (read when TensorFlow loads)."""
    if max_isa:
        os.environ["ONEDNN_MAX_CPU_ISA"] = max_isa
    from helpers.settings import import_tensorflow

    tf = import_tensorflow()
    import keras
    import numpy as np

    return tf, keras, np


def _save(tf, keras, np, change) -> None:
    """Read the results again (another process may have added to them), change, write."""
    results = fashion_report.read_results()
    change(results)
    results["provenance"] = training_provenance(tf, keras, np, "fashion_mnist")
    fashion_report.write_results(results)


def _train_one(keras, data, name: str, seed: int) -> dict:
    config = {**FASHION_BASE, **FASHION_VARIANTS[name]}
    keras.utils.set_random_seed(seed)
    model = compact07_variant(keras, config, statistics=(data["mean"], data["std"]))
    compile_compact(keras, model, config, len(data["train"][0]))
    # Raw-image augmentation standardises inside the model, so it gets raw pixels.
    splits = data["raw"] if config["augment"] == "shift_raw" else data
    load_start, started = load_average(), now()
    start = time.perf_counter()
    history = model.fit(*splits["train"], batch_size=config["batch_size"],
                        epochs=config["epochs"], validation_data=splits["valid"], verbose=2)
    seconds = time.perf_counter() - start
    load_end = load_average()
    _, test_accuracy = model.evaluate(*splits["test"], verbose=0)
    return {
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


def train(variants: list[str], seeds: list[int]) -> None:
    tf, keras, np = libraries()
    data = fashion_splits()
    for name in variants:
        for seed in seeds:
            runs = fashion_report.read_results()["runs"]
            if any(r["variant"] == name and r["seed"] == seed for r in runs):
                print(f"{name} seed {seed}: already in {fashion_report.JSON_PATH.name}, skipped")
                continue
            run = _train_one(keras, data, name, seed)
            print(json.dumps(run), flush=True)
            _save(tf, keras, np, lambda results, run=run: results["runs"].append(run))


def _profile_cases(tf, keras, data) -> list[tuple]:
    """(label, images, run(model), make()) for every case the profile times."""
    train_inputs, train_labels = data["train"]
    valid_inputs, valid_labels = data["valid"]
    batch_size = FASHION_BASE["batch_size"]
    count = 80 * batch_size
    x, y = train_inputs[:count], train_labels[:count]
    keras.utils.set_random_seed(0)

    def fresh(jit_compile=False, **changes):
        config = {**FASHION_BASE, **changes}
        model = compact07_variant(keras, config)
        compile_compact(keras, model, config, len(train_inputs), jit_compile=jit_compile)
        return model

    def fit_arrays(m):
        return m.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)

    cached = training_dataset(tf, x, y, batch_size, seed=0)
    stopping = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2,
                                             restore_best_weights=True)
    small_valid = (valid_inputs[:1280], valid_labels[:1280])
    return [
        ("fit on NumPy arrays (the notebook today)", count, fit_arrays, fresh),
        ("fit on a cached, shuffled, batched, prefetched tf.data.Dataset", count,
         lambda m: m.fit(cached, epochs=1, verbose=0), fresh),
        ("fit on arrays with verbose=2, EarlyStopping and 1,280 validation images", count,
         lambda m: m.fit(x, y, batch_size=batch_size, epochs=1, verbose=2,
                         validation_data=small_valid, callbacks=[stopping]), fresh),
        ("fit on arrays, no batch normalisation", count, fit_arrays,
         lambda: fresh(batch_norm=False)),
        ("fit on arrays, augmentation layers in the model", count, fit_arrays,
         lambda: fresh(augment=True)),
        ("fit on arrays, mixed_bfloat16 policy", count, fit_arrays,
         lambda: fresh(precision="mixed_bfloat16")),
        ("fit on arrays, XLA (jit_compile=True)", count, fit_arrays,
         lambda: fresh(jit_compile=True)),
        ("one validation pass: evaluate on 5,000 images", len(valid_inputs),
         lambda m: m.evaluate(valid_inputs, valid_labels, batch_size=batch_size, verbose=0),
         fresh),
    ]


def _first_calls(cases) -> tuple[dict, dict, dict]:
    """Build each case's model and time its first call apart (it builds the graph)."""
    models, first_calls, errors = {}, {}, {}
    for label, _, run, make in cases:
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
    return models, first_calls, errors


def _best_times(cases, models: dict, repeats: int) -> dict[str, float]:
    """The best of ``repeats`` rounds; each round starts one case later, so that no case
    always runs first (or last) and a change in the machine's load touches them all alike."""
    best = {label: float("inf") for label in models}
    for round_number in range(repeats):
        shift = round_number % len(cases)
        for label, _, run, _ in cases[shift:] + cases[:shift]:
            if label in models:
                start = time.perf_counter()
                run(models[label])
                best[label] = min(best[label], time.perf_counter() - start)
    return best


def profile(repeats: int = 5, max_isa: str | None = None) -> None:
    """Where one epoch's time goes, side by side in one process; the best time of each case.

    A case that fails (bfloat16 where oneDNN has no kernel for it) is recorded with its error.
    """
    tf, keras, np = libraries(max_isa)
    cases = _profile_cases(tf, keras, fashion_splits())
    load_start = load_average()
    models, first_calls, errors = _first_calls(cases)
    best = _best_times(cases, models, repeats)
    rows = []
    for label, images, _, _ in cases:
        row = {"case": label, "images": images}
        if label in errors:
            row["error"] = errors[label]
        else:
            row |= {"seconds": round(best[label], 3),
                    "first_call_seconds": round(first_calls[label], 3),
                    "images_per_second": round(images / best[label])}
        rows.append(row)
        print(row, flush=True)
    entry = {"started": now(), "load_start": load_start, "load_end": load_average(),
             "repeats": repeats, "batch_size": FASHION_BASE["batch_size"], "max_isa": max_isa,
             "rows": rows}

    def change(results):
        results.pop("profile", None)  # the single profile of earlier versions of this script
        results.setdefault("profiles", {})[max_isa or "native"] = entry

    _save(tf, keras, np, change)


def precision(rounds: int = 3, max_isa: str | None = None) -> None:
    """float32 against mixed_bfloat16 on whole epochs: one epoch of each in turn, ``rounds`` times.

    The profile's short timings (80 batches) move by a fifth from one run to the next on this
    shared virtual machine; a whole epoch of 55,000 images, alternated, is the steadier measure.
    """
    tf, keras, np = libraries(max_isa)
    x, y = fashion_splits()["train"]
    keras.utils.set_random_seed(0)
    models = {}
    for policy in ("float32", "mixed_bfloat16"):
        config = {**FASHION_BASE, "precision": policy}
        models[policy] = compact07_variant(keras, config)
        compile_compact(keras, models[policy], config, len(x))
        models[policy].fit(x[:1280], y[:1280], batch_size=FASHION_BASE["batch_size"], verbose=0)
    load_start = load_average()
    seconds: dict[str, list[float]] = {policy: [] for policy in models}
    for _ in range(rounds):
        for policy, model in models.items():
            start = time.perf_counter()
            model.fit(x, y, batch_size=FASHION_BASE["batch_size"], epochs=1, verbose=0)
            seconds[policy].append(round(time.perf_counter() - start, 2))
            print(policy, seconds[policy][-1], "s", flush=True)
    entry = {"started": now(), "load_start": load_start, "load_end": load_average(),
             "images": len(x), "batch_size": FASHION_BASE["batch_size"], "seconds": seconds}

    def change(results):
        results.setdefault("precision", {})[max_isa or "native"] = entry

    _save(tf, keras, np, change)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="seeded training runs on the full data")
    train_parser.add_argument("variants", nargs="*", help=f"any of {', '.join(FASHION_VARIANTS)}")
    train_parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    for name, text, example in (("profile", "where one epoch's time goes", "AVX2"),
                                ("precision", "float32 against mixed_bfloat16, whole epochs"
                                 " in turn", "AVX512_CORE")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--max-isa", help="cap oneDNN's instruction set (ONEDNN_MAX_CPU_ISA),"
                         f" e.g. {example}")
    render = commands.add_parser("render", help="rewrite the Markdown from the JSON file")
    render.add_argument("--test", action="store_true", help="write temporary files only")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    os.chdir(ROOT)
    if args.command == "train":
        unknown = [name for name in args.variants if name not in FASHION_VARIANTS]
        if unknown:
            arguments.error(
                f"variants: got {unknown}, expected names from {list(FASHION_VARIANTS)}"
            )
        train(args.variants or list(FASHION_VARIANTS), args.seeds)
    elif args.command == "profile":
        profile(max_isa=args.max_isa)
    elif args.command == "precision":
        precision(max_isa=args.max_isa)
    else:
        with fileio.dry_run() if args.test else contextlib.nullcontext():
            fashion_report.write_results(fashion_report.read_results())
    return 0


if __name__ == "__main__":
    sys.exit(main())
