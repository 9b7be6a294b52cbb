"""The MNIST recipe experiments behind notebooks 01, 02 and 04.

- ``modern`` and ``classic``: notebook 04's modernised LeNet-5 and its variant closer to 1998;
- ``convnet02``: notebook 02's first convnet (three 64-filter convolutions), to choose its batch
  size and peak rate;
- ``dense``: notebook 01's dense baseline, trained with RMSprop at a constant rate (the PEAK
  field) as notebooks 01 and 02 train it, to choose how many epochs it needs.

    python -m tools.mnist_experiments run classic:0.016:1 modern:0.004:1 ...   # KIND:PEAK:SEED
    python -m tools.mnist_experiments run modern:0.016:1:4:256 ...   # ...:EPOCHS:BATCH
    python -m tools.mnist_experiments report

`run` trains each requested (network, peak learning rate, seed) as the notebooks do (full
mode: Adam with the 1cycle-style schedule of `helpers.training`, by default batch 128 and 8
epochs, the last 10% of the training images held out for validation) and appends one JSON line
per run, with the machine's load average, to ``benchmarks/mnist_experiments.jsonl``.
`report` turns that file into ``benchmarks/mnist_experiments.md``: the peak-rate sweep and the
means over seeds, chosen on validation accuracy. Point ``CNN_COURSE_DATA`` at a folder with
``mnist.npz`` (the course's machines have the first 10,000 training images only; each line
records how many were used).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tools import fileio

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "mnist_experiments.jsonl"
REPORT = ROOT / "benchmarks" / "mnist_experiments.md"
EPOCHS, BATCH = 8, 128


def rate_literal(rate: float) -> str:
    """A learning rate as the notebooks write it: 4e-3, 3.2e-2."""
    mantissa, exponent = f"{rate:.6e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def build(kind: str):
    import keras

    def scaled_tanh(a):  # LeCun et al. 1998, appendix A: f(a) = 1.7159 tanh(2a/3)
        return 1.7159 * keras.ops.tanh(2 / 3 * a)

    layers = keras.layers
    if kind == "dense":  # notebook 01's network
        body = [layers.Flatten(), layers.Dense(30, activation="relu")]
    elif kind == "convnet02":  # notebook 02's network
        body = [
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
        ]
    elif kind == "modern":
        body = [
            layers.ZeroPadding2D(2),
            layers.Conv2D(6, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
        ]
    elif kind == "classic":
        # Pad first, then the paper's input scaling, so the border is background (-0.1) like
        # the rest of the background (ink 1.175); trainable subsampling = average pooling, then
        # one coefficient and one bias per map (a 1x1 depthwise convolution).
        body = [
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
    else:
        raise ValueError(
            f"kind: got {kind!r}, expected 'modern', 'classic', 'convnet02' or 'dense'"
        )
    output = layers.Dense(10, activation="softmax")
    return keras.Sequential([keras.Input((28, 28, 1)), *body, output])


def train_recipe(kind: str, peak: float, seed: int, epochs: int, batch: int, data: dict) -> dict:
    """Train ``build(kind)`` with the notebooks' recipe; return what was measured.

    ``data`` holds ``train``, ``labels``, ``test`` and ``test_labels`` as `load` returns them.
    The dense baseline trains with RMSprop at the constant rate ``peak`` (notebooks 01 and 02),
    the convnets with Adam and the 1cycle-style schedule of `helpers.training` peaking at
    ``peak``; the last 10% of the training images are held out for validation, as in the
    notebooks.
    """
    import keras

    from helpers.training import one_cycle_schedule

    keras.utils.set_random_seed(seed)
    model = build(kind)
    fitted = len(data["train"]) - int(0.1 * len(data["train"]))
    if kind == "dense":
        optimizer = keras.optimizers.RMSprop(peak)
    else:
        optimizer = keras.optimizers.Adam(one_cycle_schedule(peak, epochs, fitted, batch))
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(
        data["train"],
        data["labels"],
        epochs=epochs,
        batch_size=batch,
        validation_split=0.1,
        verbose=0,
    )
    seconds = time.perf_counter() - start
    return {
        "val": history.history["val_accuracy"][-1],
        "test": model.evaluate(data["test"], data["test_labels"], verbose=0)[1],
        "seconds": round(seconds, 1),
        "training_images": fitted,
        "parameters": int(model.count_params()),
    }


def load() -> dict:
    """MNIST as the notebooks scale it: float32 in [0, 1], one channel."""
    import helpers

    (train, labels), (test, test_labels) = helpers.load_mnist(verbose=False)
    return {
        "train": (train.astype("float32") / 255)[..., None],
        "labels": labels,
        "test": (test.astype("float32") / 255)[..., None],
        "test_labels": test_labels,
    }


def run(plan: list[tuple[str, float, int, int, int]]) -> None:
    import helpers

    helpers.setup("mnist_experiments")
    import keras

    from helpers.settings import import_tensorflow

    data = load()
    for kind, peak, seed, epochs, batch in plan:
        measured = train_recipe(kind, peak, seed, epochs, batch, data)
        measured.pop("parameters")
        record = {
            "kind": kind,
            "peak": peak,
            "seed": seed,
            "epochs": epochs,
            "batch": batch,
            **measured,
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "versions": f"TensorFlow {import_tensorflow().__version__}, Keras {keras.__version__}",
        }
        # The log so far plus one line, renamed into place: a full disk never cuts the log.
        before = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        fileio.write_text(RESULTS, before + json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


def _percent(values: list[float]) -> str:
    mean = statistics.mean(values) * 100
    if len(values) < 2:
        return f"{mean:.2f}%"
    return f"{mean:.2f}% ± {statistics.stdev(values) * 100:.2f}"


def report() -> str:
    records = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()]
    for record in records:  # the first runs recorded the default recipe implicitly
        record.setdefault("epochs", EPOCHS)
        record.setdefault("batch", BATCH)
    loads = [r["load_average"][0] for r in records if r.get("load_average")]
    lines = [
        "# MNIST recipe experiments (notebooks 01, 02 and 04)",
        "",
        f"Written by `tools/mnist_experiments.py report` from `{RESULTS.name}`; do not edit.",
        "",
        f"- Runs: {len(records)}, {records[0]['when']} to {records[-1]['when']}; "
        f"{records[0]['machine']}; {records[0]['versions']}.",
        f"- Data: MNIST, {records[0]['training_images']:,} training images after holding out "
        "10% for validation (the first 10,000 MNIST training images, the most these offline "
        "machines have); the full 10,000-image test set.",
        "- Recipe: Adam, 1cycle-style schedule (warm-up, cosine decay); batch and epochs as in "
        "the tables. Networks: `modern` and `classic` are notebook 04's LeNet-5 variants, "
        "`convnet02` notebook 02's first convnet, `dense` notebook 01's baseline, which trains "
        "with RMSprop at a constant rate instead (shown as its peak rate). Choices are made "
        "on validation accuracy; ± is the sample standard deviation over seeds.",
        f"- One-minute load average during the runs: {min(loads):.1f} to {max(loads):.1f} (other "
        "work shared the 2 cores in the earlier runs), so training times are rough: compare "
        "only rows run together, such as the `convnet02` rows (one series, nothing else "
        "running)."
        if loads
        else "- Load average: not recorded.",
        "",
        f"## Peak learning rate, seed 42, {EPOCHS} epochs, batch {BATCH}",
        "",
        "| network | peak rate | validation accuracy | test accuracy |",
        "|---|---:|---:|---:|",
    ]
    for r in sorted(records, key=lambda r: (r["kind"], r["peak"])):
        if (
            r["kind"] != "dense"
            and r["seed"] == 42
            and (r["epochs"], r["batch"]) == (EPOCHS, BATCH)
        ):
            lines.append(f"| {r['kind']} | {r['peak']:g} | {r['val']:.2%} | {r['test']:.2%} |")
    lines += [
        "",
        "## Means over seeds",
        "",
        "| network | peak rate | epochs | batch | seeds | validation accuracy | test accuracy |"
        " training (mean) |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        groups.setdefault((r["kind"], r["peak"], r["epochs"], r["batch"]), []).append(r)
    for (kind, peak, epochs, batch), runs in sorted(groups.items()):
        if len(runs) > 1:
            seeds = ", ".join(str(r["seed"]) for r in sorted(runs, key=lambda r: r["seed"]))
            val = _percent([r["val"] for r in runs])
            test = _percent([r["test"] for r in runs])
            seconds = statistics.mean(r["seconds"] for r in runs)
            lines.append(
                f"| {kind} | {peak:g} | {epochs} | {batch} | {seeds} | {val} | {test} |"
                f" {seconds:.1f} s |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and len(argv) > 1:
        plan = []
        for item in argv[1:]:
            kind, peak, seed, *rest = item.split(":")
            epochs, batch = (int(rest[0]), int(rest[1])) if rest else (EPOCHS, BATCH)
            plan.append((kind, float(peak), int(seed), epochs, batch))
        run(plan)
        return 0
    if argv == ["report"]:
        fileio.write_text(REPORT, report())
        print(f"wrote {REPORT.relative_to(ROOT)}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
