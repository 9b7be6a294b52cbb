"""Measure the whole course: run every notebook in full mode and time, count and weigh it.

Usage (``make bench`` runs the first form)::

    python tools/benchmark.py --mnist-data ../shared/data/mnist-10k
    make bench BENCH_ARGS="--mnist-data ../shared/data/mnist-10k --compare --make-test"
    python tools/benchmark.py --mnist-data DIR --compare --make-test
    python tools/benchmark.py --mnist-data DIR --notebooks 04_lenet5 07_fashion_mnist

For each notebook in ``notebooks/`` (full mode: ``CNN_COURSE_QUICK=0``; MNIST from the folder
given with ``--mnist-data``; Fashion-MNIST from wherever ``helpers`` finds it) it records the
wall time, the time spent inside ``Model.fit``, the images trained per second, the test
accuracy of each evaluated model and the peak resident memory of the kernel. The notebooks
are run from a copy in memory with two extra cells (probes installed first, report written
last; see ``helpers/benchmark.py``); the files on disk are not touched.

``--compare`` also trains the course's reference designs in one fresh process of the same
run, beside the faster recipes the notebooks teach, so that every speed-up is a ratio
measured side by side: the 64-64-64 convnet of notebook 02 (RMSprop, batch 64, 5 epochs),
LeNet-5 (Adam, batch 32, 10 epochs) and the deep Fashion-MNIST design of notebook 07 for a
fixed short budget of batches. ``--make-test`` times ``make test`` end to end.

Results go to ``benchmarks/results.md`` (a table for people) and ``benchmarks/results.json``.
Training time is projected to the complete datasets (60,000 training images) from the
measured images per second, because the MNIST folder may hold only a subset.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
OUTPUT = ROOT / "benchmarks"
FULL_TRAINING_IMAGES = 60_000  # MNIST and Fashion-MNIST both have 60,000 training images

# The course's goals (issue 5): whole course at most 12 minutes of training projected to full
# data on 2 cores; every kernel at most 2.5 GB; the fast recipes at most half the reference time.
GOAL_TOTAL_TRAINING_MINUTES = 12.0
GOAL_PEAK_MEMORY_MB = 2.5 * 1024
GOAL_TIME_RATIO = 0.5


# --------------------------------------------------------------------------- the machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def library_versions() -> dict[str, str]:
    """TensorFlow, Keras and Python versions as the notebooks' interpreter sees them."""
    code = textwrap.dedent(
        """
        import json, platform
        from helpers.settings import import_tensorflow
        tf = import_tensorflow()
        import keras
        print(json.dumps({"python": platform.python_version(), "tensorflow": tf.__version__,
                          "keras": keras.__version__}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> dict:
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1")  # helpers.settings sets 1 by default
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "onednn": "on" if onednn.strip() not in {"0", "false"} else "off",
        **library_versions(),
    }


# --------------------------------------------------------------------------- the notebooks

PROBE_CELL = """\
import helpers.benchmark
helpers.benchmark.install_probes({path!r})"""

REPORT_CELL = "helpers.benchmark.write_report()"


def run_notebook(path: Path, probe_file: Path, timeout: int) -> dict:
    """Execute one notebook in a fresh kernel; return wall time, error and the probes' JSON."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PROBE_CELL.format(path=str(probe_file))))
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    error = None
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as failure:
        error = str(failure).strip().splitlines()[-1][:300]
    except Exception as failure:  # a timeout or a dead kernel: record it, go on
        error = f"{type(failure).__name__}: {failure}"[:300]
    wall = time.perf_counter() - start
    probes = json.loads(probe_file.read_text()) if probe_file.exists() else {}
    return {"wall_seconds": round(wall, 1), "error": error, **probes}


def summarise_notebook(name: str, run: dict) -> dict:
    fits = run.get("fits", [])
    seconds = sum(fit["seconds"] for fit in fits)
    images = sum(fit["images"] or 0 for fit in fits)
    datasets = run.get("datasets", {})
    train_images = max((d["train_images"] for d in datasets.values()), default=None)
    projected = None
    if fits and train_images:
        projected = seconds * FULL_TRAINING_IMAGES / train_images
    tests = [e for e in run.get("evaluations", []) if e["split"] == "test" and e["accuracy"]]
    return {
        "notebook": name,
        "wall_seconds": run.get("wall_seconds"),
        "training_seconds": round(seconds, 1),
        "projected_full_training_seconds": None if projected is None else round(projected, 1),
        "images_trained": images,
        "images_per_second": round(images / seconds, 1) if seconds and images else None,
        "test_accuracy": {e["model"]: e["accuracy"] for e in tests},
        "peak_memory_mb": run.get("peak_memory_mb"),
        "data": {key: value for key, value in datasets.items()},
        "fits": fits,
        "error": run.get("error"),
    }


# --------------------------------------------------------------------------- comparison mode

# (design, role, epochs, batch size, optimizer, peak learning rate of the one-cycle schedule).
# The "course" rows must match what notebooks 02 and 04 teach.
COMPARE_RECIPES = [
    ("convnet02", "reference", 5, 64, "rmsprop", None),
    ("convnet02", "course", 2, 32, "onecycle", 2e-3),
    ("lenet5", "reference", 10, 32, "adam", None),
    ("lenet5", "course", 8, 128, "onecycle", 4e-3),
]


def run_comparison(deep_batches: int) -> list[dict]:
    """Train COMPARE_RECIPES and the Fashion-MNIST throughput runs in one fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "compare.json"
        command = [
            sys.executable,
            str(ROOT / "tools" / "benchmark_compare.py"),
            str(out),
            str(deep_batches),
            json.dumps(COMPARE_RECIPES),
        ]
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
        return json.loads(out.read_text()) if out.exists() else []


def ratios(comparison: list[dict]) -> list[dict]:
    """Course recipe against reference, per design: time ratio and accuracy difference."""
    rows = []
    for design in sorted({row["design"] for row in comparison}):
        pick = {r["role"]: r for r in comparison if r["design"] == design}
        reference, course = pick.get("reference"), pick.get("course")
        if not (reference and course):
            continue
        if reference["test_accuracy"] is None or course["test_accuracy"] is None:
            rows.append(
                {
                    "design": design,
                    "time_ratio": None,
                    "accuracy_difference": None,
                    "speed_ratio": round(
                        course["images_per_second"] / reference["images_per_second"], 2
                    ),
                    "meets_goal": None,
                }
            )
            continue
        rows.append(
            {
                "design": design,
                "time_ratio": round(course["seconds"] / reference["seconds"], 3),
                "accuracy_difference": round(
                    course["test_accuracy"] - reference["test_accuracy"], 5
                ),
                "speed_ratio": round(
                    course["images_per_second"] / reference["images_per_second"], 2
                ),
                "meets_goal": course["seconds"] <= GOAL_TIME_RATIO * reference["seconds"]
                and course["test_accuracy"] >= reference["test_accuracy"],
            }
        )
    return rows


def notebook_ratios(notebooks: list[dict], comparison: list[dict]) -> list[dict]:
    """Each reference design against what a notebook actually trained with the same network.

    A notebook's fit is matched to a reference by its parameter count (112,074 for the 64-64-64
    convnet, 61,706 for LeNet-5), so the notebooks need no labels for the benchmark.
    """
    rows = []
    for reference in (r for r in comparison if r["role"] == "reference"):
        if reference["test_accuracy"] is None:
            continue
        for notebook in notebooks:
            fits = [f for f in notebook["fits"] if f["parameters"] == reference["parameters"]]
            if not fits:
                continue
            fit = fits[0]
            accuracy = notebook["test_accuracy"].get(fit["model"])
            rows.append(
                {
                    "design": reference["design"],
                    "notebook": notebook["notebook"],
                    "model": fit["model"],
                    "epochs": fit["epochs"],
                    "seconds": fit["seconds"],
                    "images": fit["images"],
                    "time_ratio": round(fit["seconds"] / reference["seconds"], 3),
                    "accuracy_difference": None
                    if accuracy is None
                    else round(accuracy - reference["test_accuracy"], 5),
                    "meets_goal": None
                    if accuracy is None
                    else fit["seconds"] <= GOAL_TIME_RATIO * reference["seconds"]
                    and accuracy >= reference["test_accuracy"],
                }
            )
    return rows


# --------------------------------------------------------------------------- make test


def time_make_test() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CNN_COURSE_DATA", "CNN_COURSE_QUICK")}
    start = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True, env=env)
    tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or [""]
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "returncode": result.returncode,
        "last_line": tail[0][:200],
    }


# --------------------------------------------------------------------------- the report


def _fmt(value, pattern="{:,.1f}", empty="–"):
    return empty if value is None else pattern.format(value)


def _minutes(seconds):
    return _fmt(None if seconds is None else seconds / 60, "{:.1f} min")


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """A markdown table; ``align`` has one letter per column: l(eft) or r(ight)."""
    rules = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(row) + " |" for row in [header, rules, *rows]]


def _goal(met) -> str:
    return {True: "met", False: "NOT met", None: "–"}[met]


def markdown(results: dict) -> str:
    m = results["machine"]
    totals = results["totals"]
    lines = [
        "# Course benchmark",
        "",
        f"Run {results['started']} by `tools/benchmark.py` (full mode, `CNN_COURSE_QUICK=0`).",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['system']}",
        f"- Python {m['python']}, TensorFlow {m['tensorflow']}, Keras {m['keras']},"
        f" oneDNN {m['onednn']}",
        f"- MNIST from `{results['mnist_data']}`; Fashion-MNIST from where `helpers` found it",
        f"- Load average (1, 5, 15 min) at start {results['load_start']},"
        f" at end {results['load_end']}: values near or above the core count mean that other"
        " work shared the CPU, and times are longer than on a quiet machine",
        "",
        "## Notebooks",
        "",
    ]
    rows = []
    for row in results["notebooks"]:
        data = ", ".join(f"{k} {v['train_images']:,}" for k, v in row["data"].items()) or "–"
        accuracy = ", ".join(f"{k} {v:.2%}" for k, v in row["test_accuracy"].items()) or "–"
        name = row["notebook"] + (f" **failed: {row['error']}**" if row["error"] else "")
        rows.append(
            [
                name,
                data,
                _minutes(row["wall_seconds"]),
                _minutes(row["training_seconds"]),
                _minutes(row["projected_full_training_seconds"]),
                _fmt(row["images_per_second"], "{:,.0f}"),
                accuracy,
                _fmt(row["peak_memory_mb"], "{:,.0f} MB"),
            ]
        )
    header = [
        "notebook",
        "data (training images)",
        "wall",
        "training",
        "training projected to full data",
        "images/s",
        "test accuracy",
        "peak memory",
    ]
    lines += _table(header, "llrrrrlr", rows)
    lines += [
        "",
        f"Whole course: {_minutes(totals['wall_seconds'])} wall,"
        f" {_minutes(totals['training_seconds'])} training,"
        f" **{_minutes(totals['projected_full_training_seconds'])} training projected to full"
        f" data** (goal: at most {GOAL_TOTAL_TRAINING_MINUTES:g} min,"
        f" {_goal(totals['training_goal_met'])}); largest kernel"
        f" {_fmt(totals['peak_memory_mb'], '{:,.0f} MB')} (goal: at most"
        f" {GOAL_PEAK_MEMORY_MB:,.0f} MB, {_goal(totals['memory_goal_met'])}).",
        "",
        "Training = time inside `Model.fit` (validation included). Projected = training time"
        " × 60,000 / training images loaded. A recipe reaches a lower accuracy on a subset of"
        " MNIST than on all 60,000 images.",
    ]
    if results.get("comparison"):
        lines += [
            "",
            "## Reference designs against the course's recipes (one process, same run)",
            "",
        ]
        rows = [
            [
                row["design"],
                row["role"],
                row["recipe"],
                str(row["epochs"]),
                str(row["batch_size"]),
                f"{row['images']:,}",
                f"{row['seconds']:.1f} s",
                f"{row['images_per_second']:,.0f}",
                _fmt(row["test_accuracy"], "{:.2%}"),
            ]
            for row in results["comparison"]
        ]
        header = [
            "design",
            "role",
            "recipe",
            "epochs",
            "batch",
            "images",
            "training",
            "images/s",
            "test accuracy",
        ]
        lines += _table(header, "lllrrrrrr", rows)
        lines.append("")
        rows = [
            [
                row["design"],
                _fmt(row["time_ratio"], "{:.2f}"),
                f"{row['speed_ratio']:.1f}×",
                _fmt(row["accuracy_difference"], "{:+.2%}"),
                _goal(row["meets_goal"]),
            ]
            for row in results["ratios"]
        ]
        header = [
            "design",
            "time, course / reference",
            "images/s, course / reference",
            "accuracy difference",
            "goal: ≤ 0.5× time, ≥ same accuracy",
        ]
        lines += _table(header, "lrrrl", rows)
        if results.get("notebook_ratios"):
            lines += [
                "",
                "What the notebooks themselves trained, against the same reference runs"
                " (all on the same data: 10% of the training images held out for validation):",
                "",
            ]
            rows = [
                [
                    f"{row['notebook']} ({row['model']})",
                    row["design"],
                    str(row["epochs"]),
                    f"{row['seconds']:.1f} s",
                    _fmt(row["time_ratio"], "{:.2f}"),
                    _fmt(row["accuracy_difference"], "{:+.2%}"),
                    _goal(row["meets_goal"]),
                ]
                for row in results["notebook_ratios"]
            ]
            header = [
                "notebook (model)",
                "reference design",
                "epochs",
                "training",
                "time / reference",
                "accuracy difference",
                "goal",
            ]
            lines += _table(header, "llrrrrl", rows)
        deep = [
            r
            for r in results["comparison"]
            if r["design"] == "fashion_throughput" and r["role"] == "reference"
        ]
        if deep:
            speed = deep[0]["images_per_second"]
            epoch = 55_000 / speed
            lines += [
                "",
                f"The deep Fashion-MNIST reference design trained at {speed:,.0f} images/s:"
                f" one epoch of 55,000 images would take {_minutes(epoch)},"
                f" ten epochs {_minutes(10 * epoch)}.",
            ]
    if results.get("make_test"):
        run = results["make_test"]
        lines += [
            "",
            f"`make test`: {run['seconds']:.0f} s end to end, exit code {run['returncode']}"
            f" ({run['last_line']}).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mnist-data",
        type=Path,
        default=os.environ.get("CNN_COURSE_DATA"),
        help="folder with mnist.npz (Keras layout; a subset is fine); default:"
        " $CNN_COURSE_DATA, else wherever helpers finds MNIST",
    )
    parser.add_argument(
        "--notebooks",
        nargs="*",
        default=None,
        help="names (without .ipynb) of the notebooks to run; default all",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also train the reference designs beside the course's recipes",
    )
    parser.add_argument(
        "--deep-batches",
        type=int,
        default=40,
        help="batches of 32 the deep Fashion reference trains in --compare (default 40)",
    )
    parser.add_argument("--make-test", action="store_true", help="also time `make test`")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="folder for results.md/.json")
    args = parser.parse_args(argv)

    os.environ["CNN_COURSE_QUICK"] = "0"
    if args.mnist_data is not None:
        mnist_folder = Path(args.mnist_data).resolve()
        if not (mnist_folder / "mnist.npz").is_file():
            parser.error(
                f"--mnist-data: got {args.mnist_data}, expected a folder holding mnist.npz"
            )
        os.environ["CNN_COURSE_DATA"] = str(mnist_folder)
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )

    paths = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    if args.notebooks:
        wanted = set(args.notebooks)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            parser.error(f"--notebooks: no notebook named {sorted(missing)} in {NOTEBOOKS}")

    results = {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "mnist_data": str(args.mnist_data or "the usual sources (Keras cache, download)"),
        "load_start": load_average(),
        "notebooks": [],
    }
    print(
        f"Benchmark on {results['machine']['cpu']} ({results['machine']['cores']} cores)",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            print(f"  running {path.name} ...", flush=True)
            run = run_notebook(path, Path(folder) / f"{path.stem}.json", args.timeout)
            row = summarise_notebook(path.stem, run)
            results["notebooks"].append(row)
            print(
                f"    wall {row['wall_seconds']} s, training {row['training_seconds']} s,"
                f" test accuracy {row['test_accuracy'] or '-'}, peak {row['peak_memory_mb']} MB"
                + (f", FAILED: {row['error']}" if row["error"] else ""),
                flush=True,
            )
    rows = results["notebooks"]
    projected = sum(r["projected_full_training_seconds"] or 0 for r in rows)
    peak = max((r["peak_memory_mb"] or 0 for r in rows), default=None)
    results["totals"] = {
        "wall_seconds": round(sum(r["wall_seconds"] or 0 for r in rows), 1),
        "training_seconds": round(sum(r["training_seconds"] for r in rows), 1),
        "projected_full_training_seconds": round(projected, 1),
        "training_goal_met": projected <= GOAL_TOTAL_TRAINING_MINUTES * 60,
        "peak_memory_mb": peak,
        "memory_goal_met": peak is not None and peak <= GOAL_PEAK_MEMORY_MB,
    }
    if args.compare:
        print("  comparison: reference designs beside the course's recipes ...", flush=True)
        results["comparison"] = run_comparison(args.deep_batches)
        results["ratios"] = ratios(results["comparison"])
        results["notebook_ratios"] = notebook_ratios(results["notebooks"], results["comparison"])
    if args.make_test:
        print("  timing make test ...", flush=True)
        results["make_test"] = time_make_test()
    results["load_end"] = load_average()

    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.output / "results.md").write_text(markdown(results))
    print(f"Wrote {args.output / 'results.md'} and {args.output / 'results.json'}")
    return 1 if any(r["error"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
