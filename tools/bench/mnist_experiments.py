"""The MNIST recipe experiments behind notebooks 01, 02 and 04.

    python -m tools.bench.mnist_experiments run lenet5_classic:0.016:1 lenet5:0.004:1 ...
    python -m tools.bench.mnist_experiments run lenet5:0.016:1:4:256 ...   # ...:EPOCHS:BATCH
    python -m tools.bench.mnist_experiments report [--test]

Each item of ``run`` is NETWORK:PEAK:SEED[:EPOCHS:BATCH], NETWORK one of
``tools.bench.networks.MNIST_NETWORKS``: ``lenet5`` and ``lenet5_classic`` (notebook 04's
LeNet-5, modernised and as in 1998), ``convnet02`` (notebook 02's first convnet, to choose its
batch size and peak rate), ``dense30`` (notebook 01's baseline, trained with RMSprop at a
constant rate, the PEAK field, to choose how many epochs it needs).

Steps of ``run``: set up as a notebook does; load MNIST (``CNN_COURSE_DATA`` may point at a
folder with ``mnist.npz``; each line records how many images were used); for each item, train
it with the notebooks' recipe (``tools.bench.recipes``: by default batch 128 and 8 epochs, the
last 10% of the training images held out) and append one JSON line, with the machine's load
average, to ``benchmarks/mnist_experiments.jsonl``. ``report`` turns that file into
``benchmarks/mnist_experiments.md`` (``--test``: the write without replacing the file).
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys

from tools import fileio
from tools.bench.machine import run_record
from tools.bench.networks import MNIST_NETWORKS, OLD_NAMES
from tools.bench.recipes import mnist_data, train_notebook_recipe
from tools.layout import BENCHMARKS, ROOT
from tools.markdown import table

RESULTS = ROOT / BENCHMARKS / "mnist_experiments.jsonl"
REPORT = ROOT / BENCHMARKS / "mnist_experiments.md"
EPOCHS, BATCH = 8, 128
DEFAULT = (EPOCHS, BATCH)


def run(plan: list[tuple[str, float, int, int, int]]) -> None:
    import helpers

    helpers.setup("mnist_experiments")
    import keras

    from helpers.settings import import_tensorflow

    tf = import_tensorflow()
    data = mnist_data()
    for name, peak, seed, epochs, batch in plan:
        measured = train_notebook_recipe(name, peak, seed, epochs, batch, data)
        measured.pop("parameters")
        record = {"kind": name, "peak": peak, "seed": seed, "epochs": epochs, "batch": batch,
                  **measured, **run_record(tf, keras)}
        # The log so far plus one line, renamed into place: a full disk never cuts the log.
        before = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        fileio.write_text(RESULTS, before + json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


def _percent(values: list[float]) -> str:
    mean = statistics.mean(values) * 100
    if len(values) < 2:
        return f"{mean:.2f}%"
    return f"{mean:.2f}% ± {statistics.stdev(values) * 100:.2f}"


def read_records() -> list[dict]:
    records = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record["kind"] = OLD_NAMES.get(record["kind"], record["kind"])
        record.setdefault("epochs", EPOCHS)  # the first runs recorded the default recipe
        record.setdefault("batch", BATCH)  # implicitly
    return records


def _opening(records: list[dict]) -> list[str]:
    loads = [r["load_average"][0] for r in records if r.get("load_average")]
    return [
        "# MNIST recipe experiments (notebooks 01, 02 and 04)",
        "",
        f"Written by `python -m tools.bench.mnist_experiments report` from `{RESULTS.name}`;"
        " do not edit.",
        "",
        f"- Runs: {len(records)}, {records[0]['when']} to {records[-1]['when']}; "
        f"{records[0]['machine']}; {records[0]['versions']}.",
        f"- Data: MNIST, {records[0]['training_images']:,} training images after holding out "
        "10% for validation (the first 10,000 MNIST training images, the most these offline "
        "machines have); the full 10,000-image test set.",
        "- Recipe: Adam, 1cycle-style schedule (warm-up, cosine decay); batch and epochs as in "
        "the tables. Networks: `lenet5` and `lenet5_classic` are notebook 04's LeNet-5, "
        "modernised and as in 1998, `convnet02` notebook 02's first convnet, `dense30` "
        "notebook 01's baseline, which trains with RMSprop at a constant rate instead (shown as "
        "its peak rate). Choices are made on validation accuracy; ± is the sample standard "
        "deviation over seeds.",
        f"- One-minute load average during the runs: {min(loads):.1f} to {max(loads):.1f} (other "
        "work shared the 2 cores in the earlier runs), so training times are rough: compare "
        "only rows run together, such as the `convnet02` rows (one series, nothing else "
        "running)."
        if loads
        else "- Load average: not recorded.",
        "",
    ]


def report() -> str:
    records = read_records()
    sweep = [
        [r["kind"], f"{r['peak']:g}", f"{r['val']:.2%}", f"{r['test']:.2%}"]
        for r in sorted(records, key=lambda r: (r["kind"], r["peak"]))
        if r["kind"] != "dense30" and r["seed"] == 42 and (r["epochs"], r["batch"]) == DEFAULT
    ]
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        groups.setdefault((r["kind"], r["peak"], r["epochs"], r["batch"]), []).append(r)
    means = [
        [kind, f"{peak:g}", str(epochs), str(batch),
         ", ".join(str(r["seed"]) for r in sorted(runs, key=lambda r: r["seed"])),
         _percent([r["val"] for r in runs]), _percent([r["test"] for r in runs]),
         f"{statistics.mean(r['seconds'] for r in runs):.1f} s"]
        for (kind, peak, epochs, batch), runs in sorted(groups.items())
        if len(runs) > 1
    ]
    lines = [
        *_opening(records),
        f"## Peak learning rate, seed 42, {EPOCHS} epochs, batch {BATCH}",
        "",
        *table(["network", "peak rate", "validation accuracy", "test accuracy"], "lrrr", sweep),
        "",
        "## Means over seeds",
        "",
        *table(["network", "peak rate", "epochs", "batch", "seeds", "validation accuracy",
                "test accuracy", "training (mean)"], "lrrrlrrr", means),
    ]
    return "\n".join(lines) + "\n"


def parse_plan(items: list[str]) -> list[tuple[str, float, int, int, int]]:
    plan = []
    for item in items:
        name, peak, seed, *rest = item.split(":")
        if OLD_NAMES.get(name, name) not in MNIST_NETWORKS:
            raise SystemExit(f"run: got network {name!r}, expected one of {MNIST_NETWORKS}")
        epochs, batch = (int(rest[0]), int(rest[1])) if rest else (EPOCHS, BATCH)
        plan.append((OLD_NAMES.get(name, name), float(peak), int(seed), epochs, batch))
    return plan


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"] and len(argv) > 1:
        run(parse_plan(argv[1:]))
        return 0
    if argv[:1] == ["report"] and set(argv[1:]) <= {"--test"}:
        test = "--test" in argv
        with fileio.dry_run() if test else contextlib.nullcontext():
            fileio.write_text(REPORT, report())
        print(f"wrote {REPORT.relative_to(ROOT)}" + (" (--test: not replaced)" if test else ""))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
