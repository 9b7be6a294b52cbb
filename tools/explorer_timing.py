"""Time one update of each interactive explorer (compute, draw, PNG) as a control moves.

    python -m tools.explorer_timing [--repeats 40] [--out benchmarks/explorers.md]

Each explorer is built once, then one control is moved back and forth ``repeats`` times; each
move is timed from the new value to the new PNG in the image widget (what the browser then
shows, a transfer this does not include). The target is 0.2 s per update on the course's
2-core CPU. The models are small untrained stand-ins with the layer shapes of notebooks 02
and 07's networks (the time does not depend on the weights' values). Then notebook 02 runs in
quick mode in a real Jupyter kernel, and its explorers are timed there, on its trained model,
among everything a learner's kernel holds by then. Prints and writes a
Markdown table with the median and the slowest update, the number of full (generation 2)
garbage collections that ran during the updates (each a pause over the whole heap), and the
machine's load average.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tools import fileio

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.2


def _convnet_02():
    import keras

    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(64, 3, activation="relu", name="conv_1"), layers.MaxPooling2D(name="pool_1"),
        layers.Conv2D(64, 3, activation="relu", name="conv_2"), layers.MaxPooling2D(name="pool_2"),
        layers.Conv2D(64, 3, activation="relu", name="conv_3"), layers.Flatten(),
        layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax"),
    ], name="convnet_02")


def _compact_07():
    import keras

    layers = keras.layers
    inputs = keras.Input((28, 28, 1))
    x = inputs
    for block, filters in enumerate((32, 64), start=1):
        x = layers.Conv2D(filters, 3, padding="same", name=f"block{block}_conv")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu", name=f"block{block}_relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Dense(128, activation="relu")(layers.Flatten()(x))
    return keras.Model(inputs, layers.Dense(10, activation="softmax")(x), name="compact_07")


def _cases():
    import helpers

    rng = np.random.default_rng(0)
    digits = rng.uniform(0, 1, (64, 28, 28, 1)).astype("float32")
    model_02, model_07 = _convnet_02(), _compact_07()
    return [
        ("convolution (02): window moved", helpers.explore_convolution(digits[0, ..., 0],
         model=model_02), "col", [5, 6]),
        ("convolution (02): learned filter changed", _with(helpers.explore_convolution(
            digits[0, ..., 0], model=model_02), kernel="conv_1 filter"), "number", [1, 2]),
        ("output size (03): stride changed", helpers.explore_output_size(), "stride", [2, 1]),
        ("pooling (06): window moved", helpers.explore_pooling(), "col", [2, 3]),
        ("pooling (06): mode changed", helpers.explore_pooling(), "mode", ["average", "max"]),
        ("feature maps (02): layer changed", helpers.explore_model(model_02, digits),
         "layer", ["conv_2", "conv_1"]),
        ("feature maps + occlusion (07): new image", helpers.explore_model(
            model_07, digits, where=True), "image", None),
        ("reference, collector not paused: convolution (02): window moved", _collector_as_is(
            helpers.explore_convolution(digits[0, ..., 0], model=model_02)), "col", [5, 6]),
    ]


def _collector_as_is(explorer):
    """The explorer redrawing without pausing the garbage collector (what ``update`` did
    before it paused it): the reference that shows what the pause changes."""
    explorer.update = explorer._redraw
    return explorer


def _with(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value
    return explorer


class FullCollections:
    """Counts the cyclic garbage collector's full (generation 2) collections while active."""

    def __init__(self):
        self.count = 0

    def _seen(self, phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            self.count += 1

    def __enter__(self):
        gc.callbacks.append(self._seen)
        return self

    def __exit__(self, *_exc):
        gc.callbacks.remove(self._seen)


def time_updates(explorer, control: str, values, repeats: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds per update: ``control`` set to each of ``values`` in turn,
    ``repeats`` times. CPU time counts this process's threads together.

    ``values=None`` walks through new slider positions (nothing cached from before).
    """
    widget = explorer.controls[control]
    sequence = (list(range(1, repeats + 1)) if values is None
                else [values[i % len(values)] for i in range(repeats)])
    seconds = []
    for value in sequence:
        start, cpu = time.perf_counter(), time.process_time()
        widget.value = value
        seconds.append((time.perf_counter() - start, time.process_time() - cpu))
        if explorer.message.value:
            raise RuntimeError(f"{control}={value!r}: {explorer.message.value}")
    return seconds


def table(rows, load: tuple[float, float, float], repeats: int) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Explorer update times",
        "",
        f"Measured {stamp} by `python -m tools.explorer_timing` on {platform.machine()} with "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1 / 5 / 15 min) at the start. One update: a control set from code, the figure "
        f"recomputed, redrawn and encoded as PNG; {repeats} updates per row after one "
        f"warm-up. Median CPU: the process's CPU time (all its threads), less sensitive to "
        f"other load than the wall-clock columns. Full collections: how often the garbage "
        f"collector went over the whole heap during the row's updates. Target: at most "
        f"{TARGET_SECONDS} s.",
        "",
        "| explorer and control | median (s) | slowest (s) | median CPU (s) | "
        "full collections | within target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, times, full in rows:
        wall = [w for w, _ in times]
        cpu = statistics.median(c for _, c in times)
        worst = max(wall)
        lines.append(f"| {name} | {statistics.median(wall):.3f} | {worst:.3f} | {cpu:.3f} | "
                     f"{full} | {'yes' if worst <= TARGET_SECONDS else 'NO'} |")
    return "\n".join(lines) + "\n"


def measure(cases, repeats: int) -> list[tuple[str, list, int]]:
    """(name, [(wall, CPU) per update], full collections) for each case, after a warm-up."""
    rows = []
    for name, explorer, control, values in cases:
        if values is not None:
            time_updates(explorer, control, values, 1)  # first draw of a new layout
        else:
            explorer.controls[control].value = explorer.controls[control].max
        with FullCollections() as full:
            times = time_updates(explorer, control, values, repeats)
        rows.append((name, times, full.count))
    return rows


def kernel_cases(model, test_inputs, test_labels):
    """Notebook 02's explorers on its own trained model, in the kernel that ran it."""
    import helpers

    def convolution():
        return helpers.explore_convolution(test_inputs[0], model=model, name="test digit")

    where = "in notebook 02's kernel"
    return [
        (f"{where}: convolution, window moved", convolution(), "col", [5, 6]),
        (f"{where}: feature maps, layer changed", helpers.explore_model(
            model, test_inputs[:20], labels=test_labels[:20]), "layer", ["conv_2", "conv_1"]),
        (f"reference, collector not paused, {where}: convolution, window moved",
         _collector_as_is(convolution()), "col", [5, 6]),
    ]


KERNEL_PROBE = """\
import json
from tools.explorer_timing import kernel_cases, measure
cases = kernel_cases(model, test_inputs, test_labels)
print("EXPLORER-TIMING", json.dumps(measure(cases, {repeats})))
"""


def kernel_rows(repeats: int) -> list[tuple[str, list, int]]:
    """Run notebook 02 in quick mode in a Jupyter kernel, then ``kernel_cases`` in it."""
    from tools import notebook_io
    from tools.layout import notebook_folder

    folder = notebook_folder(ROOT)
    notebook = notebook_io.read(folder / "02_first_convnet.ipynb")
    notebook.cells.append(notebook_io.new_cell("code", KERNEL_PROBE.format(repeats=repeats)))
    env = {"CNN_COURSE_QUICK": "1", "PYTHONPATH": str(ROOT)}
    notebook_io.execute(notebook, folder, timeout=1800, env=env)
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    line = next(x for x in printed.splitlines() if x.startswith("EXPLORER-TIMING "))
    return [(name, [tuple(t) for t in times], full)
            for name, times, full in json.loads(line.split(" ", 1)[1])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "explorers.md")
    arguments = parser.parse_args()
    load = os.getloadavg()
    rows = measure(_cases(), arguments.repeats) + kernel_rows(arguments.repeats)
    text = table(rows, load, arguments.repeats)
    print(text)
    fileio.write_text(arguments.out, text)
    print(f"written: {arguments.out}")
    judged = [times for name, times, _ in rows if not name.startswith("reference")]
    return 0 if all(max(w for w, _ in times) <= TARGET_SECONDS for times in judged) else 1


if __name__ == "__main__":
    raise SystemExit(main())
