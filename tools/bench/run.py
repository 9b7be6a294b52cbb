"""The course's reference run and benchmark: every notebook in full mode, timed and weighed.

Usage (``make reference`` runs the first form, ``make bench`` the second)::

    python -m tools.bench --store --compare --make-test --mnist-data ../shared/data/mnist-10k
    python -m tools.bench --compare --make-test --mnist-data ../shared/data/mnist-10k
    python -m tools.bench --mnist-data DIR --notebooks 04_lenet5 07_fashion_mnist
    python -m tools.bench --render [--test]   # tables again from results.json, no notebook run

Steps of a run (``main``):

1. the environment: full mode (``CNN_COURSE_QUICK=0``), MNIST from ``--mnist-data`` through a
   link beside the notebooks, the repository on the kernels' PYTHONPATH (for the probes);
2. each notebook in a fresh kernel with the probes (``tools.bench.notebooks``): wall time, time
   inside ``Model.fit``, images per second, test accuracy of each model, peak memory; with
   ``--store`` the notebook is written back with all its outputs, fingerprints and prose
   numbers (the reference run);
3. the totals against the course's goals (``tools.bench.goals``);
4. with ``--compare``: the baseline recipes in one fresh process, and the pairs judged
   (``tools.bench.comparison``);
5. with ``--store``: the notebooks' headers refreshed (``tools.generate``), since they quote
   this run's provenance and computing time;
6. with ``--make-test``: ``make test`` timed (``tools.bench.make_test``);
7. ``benchmarks/results.md`` and ``results.json`` written (``tools.bench.results_report``);
   they are also written after steps 3 and 4, in case a later step fails.

Training time is projected to the complete datasets (60,000 training images), because the
MNIST folder may hold only a subset: each fit scaled by the images, except the extra time of
its first epoch (building the graphs, once however large the data).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
from pathlib import Path

from tools import fileio
from tools.bench import comparison, machine
from tools.bench.goals import (
    GOAL_FASHION_TRAINING_MINUTES,
    GOAL_PEAK_MEMORY_MB,
    GOAL_TOTAL_TRAINING_MINUTES,
)
from tools.bench.make_test import make_test_lines, time_make_test
from tools.bench.notebooks import lesson_lengths, provenance, run_notebook, summarise_notebook
from tools.bench.recipes import DEEP_FASHION_NOTEBOOK
from tools.bench.results_report import write_results
from tools.layout import BENCHMARKS, ROOT, notebook_folder

NOTEBOOKS = notebook_folder(ROOT)
OUTPUT = ROOT / BENCHMARKS


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__.split("\n\n")[0]
    )
    add = parser.add_argument
    add("--mnist-data", type=Path, default=os.environ.get("CNN_COURSE_DATA"),
        help="folder with mnist.npz (Keras layout; a subset is fine); default:"
        " $CNN_COURSE_DATA, else wherever helpers finds MNIST")
    add("--notebooks", nargs="*", default=None,
        help="names (without .ipynb) of the notebooks to run; default all")
    add("--notebook-dir", type=Path, default=NOTEBOOKS,
        help="folder of the notebooks (default notebooks/; a copy, to try the tool out)")
    add("--store", action="store_true",
        help="store every executed notebook with all its outputs (the reference run), record"
        " fingerprints, fill prose numbers, then refresh the notebooks' headers")
    add("--compare", action="store_true", help="also train the baseline recipes")
    add("--deep-seconds", type=float, default=None,
        help="seconds the deep Fashion design trains in --compare (default: as long as"
        f" {DEEP_FASHION_NOTEBOOK}'s training in this run; skipped if that did not run)")
    add("--make-test", action="store_true", help="also time `make test`")
    add("--render", action="store_true",
        help="run no notebook: recompute the derived tables of results.json and rewrite"
        " results.md (with --make-test: time `make test` again and record it)")
    add("--test", action="store_true",
        help="with --render: write temporary files only, then remove them")
    add("--timeout", type=int, default=3600, help="seconds allowed per cell")
    add("--output", type=Path, default=OUTPUT, help="folder for results.md/.json")
    args = parser.parse_args(argv)
    args.error = parser.error
    return args


def derive_comparison(results: dict) -> None:
    """The pairs judged and the notebooks' runs set against the baseline recipes."""
    if results.get("comparison"):
        rows = results["notebooks"]
        results["notebook_ratios"] = comparison.notebook_ratios(rows, results["comparison"])
        results["paired"] = comparison.paired_summary(results["comparison"], rows)


def record_make_test(results: dict) -> None:
    print("  timing make test ...", flush=True)
    results["make_test"] = time_make_test()
    print(f"    {make_test_lines(results['make_test'])[0]}", flush=True)


def render(args) -> int:
    """``--render``: the tables again from results.json (prose edits change the lessons)."""
    results = json.loads((args.output / "results.json").read_text())
    derive_comparison(results)
    results["lessons"] = lesson_lengths()
    if args.make_test:  # e.g. after fixing what the run's `make test` caught
        record_make_test(results)
    with fileio.dry_run() if args.test else contextlib.nullcontext():
        write_results(results, args.output.resolve())
    print(f"rewrote {args.output / 'results.md'} from results.json"
          + (" (--test: nothing was replaced)" if args.test else ""))
    return 0


def prepare_environment(args, notebook_dir: Path) -> tuple[Path | None, Path | None]:
    """Step 1; returns the MNIST folder and the link to it beside the notebooks (or Nones)."""
    os.environ["CNN_COURSE_QUICK"] = "0"
    mnist_folder = data_link = None
    if args.mnist_data is not None:
        mnist_folder = Path(args.mnist_data).resolve()
        if not (mnist_folder / "mnist.npz").is_file():
            args.error(f"--mnist-data: got {args.mnist_data}, expected a folder holding mnist.npz")
        # The kernels run in the notebooks' folder and print where their data came from: a
        # link there, named like the data folder and removed after the run, makes them print
        # just that name, not a path of this machine or of the folders beside the project.
        data_link = notebook_dir / mnist_folder.name
        if data_link.exists() or data_link.is_symlink():
            args.error(f"--mnist-data: {data_link} is in the way of the run's data link")
        os.environ["CNN_COURSE_DATA"] = mnist_folder.name
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    return mnist_folder, data_link


def selected_notebooks(args, notebook_dir: Path) -> list[Path]:
    paths = sorted(notebook_dir.glob("[0-9]*.ipynb"))
    if args.notebooks:
        wanted = set(args.notebooks)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            args.error(f"--notebooks: no notebook named {sorted(missing)} in {notebook_dir}")
    return paths


@contextlib.contextmanager
def data_linked(mnist_folder: Path | None, link: Path | None):
    """The link to the MNIST folder beside the notebooks, for the run only."""
    if mnist_folder is not None:
        link.symlink_to(mnist_folder, target_is_directory=True)
    try:
        yield
    finally:
        if link is not None:
            link.unlink(missing_ok=True)


def _progress(row: dict) -> str:
    return (
        f"    wall {row['wall_seconds']} s, training {row['training_seconds']} s,"
        f" test accuracy {row['test_accuracy'] or '-'}, peak {row['peak_memory_mb']} MB"
        + (f", FAILED: {row['error']}" if row["error"] else "")
        + "".join(f"\n    prose: {problem}" for problem in row["prose_problems"])
    )


def run_notebooks(results: dict, paths: list[Path], args) -> None:
    """Step 2: each notebook with the probes; its row added to ``results``."""
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            print(f"  running {path.name} ...", flush=True)
            load = machine.load_average()
            run = run_notebook(path, Path(folder) / f"{path.stem}.json", args.timeout, args.store)
            row = summarise_notebook(path.stem, run)
            row["load_start"] = load
            if args.store:
                row["provenance"] = provenance(results, row)
            results["notebooks"].append(row)
            print(_progress(row), flush=True)


def totals(rows: list[dict]) -> dict:
    """Step 3: the whole course and notebook 07 against the goals."""
    projected = sum(r["projected_full_training_seconds"] or 0 for r in rows)
    peak = max((r["peak_memory_mb"] or 0 for r in rows), default=None)
    fashion = comparison.longest_fit(rows, DEEP_FASHION_NOTEBOOK)
    return {
        "fashion_training_seconds": fashion["seconds"] if fashion else None,
        "fashion_goal_met": None
        if fashion is None
        else fashion["seconds"] <= GOAL_FASHION_TRAINING_MINUTES * 60,
        "fashion_seeds": comparison.fashion_recipe_seeds(fashion["epochs"] if fashion else None),
        "fashion_epoch_seconds": fashion.get("epoch_seconds") if fashion else None,
        "wall_seconds": round(sum(r["wall_seconds"] or 0 for r in rows), 1),
        "training_seconds": round(sum(r["training_seconds"] for r in rows), 1),
        "projected_full_training_seconds": round(projected, 1),
        "training_goal_met": projected <= GOAL_TOTAL_TRAINING_MINUTES * 60,
        "peak_memory_mb": peak,
        "memory_goal_met": peak is not None and peak <= GOAL_PEAK_MEMORY_MB,
    }


def compare(results: dict, args, mnist_folder: Path | None) -> None:
    """Step 4: the baseline recipes, and the deep design as long as notebook 07 trained."""
    deep_seconds = args.deep_seconds
    if deep_seconds is None:
        fit = comparison.longest_fit(results["notebooks"], DEEP_FASHION_NOTEBOOK)
        deep_seconds = fit["seconds"] if fit else None
    print(
        "  comparison: the baseline recipes"
        + (f", deep Fashion design for {deep_seconds:.0f} s" if deep_seconds else "")
        + " ...",
        flush=True,
    )
    results["comparison"] = comparison.run_comparison(deep_seconds, mnist_folder)


def refresh_headers() -> None:
    """Step 5: the headers quote this run (provenance, computing time) from results.json."""
    from tools.generate import generate

    print("  refreshing the notebooks' headers (tools.course generate) ...", flush=True)
    for name in generate(ROOT):
        print(f"    updated {name}", flush=True)


def new_results(args, mnist_folder: Path | None) -> dict:
    return {
        "started": machine.now(),
        "machine": machine.machine(),
        "mnist_data": str(
            os.path.relpath(mnist_folder, ROOT)
            if mnist_folder
            else "the usual sources (Keras cache, download)"
        ),
        "load_start": machine.load_average(),
        "reference": {"stored": args.store},
        "notebooks": [],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.render:
        return render(args)
    notebook_dir, output = args.notebook_dir.resolve(), args.output.resolve()
    mnist_folder, data_link = prepare_environment(args, notebook_dir)
    paths = selected_notebooks(args, notebook_dir)
    results = new_results(args, mnist_folder)
    cpu, cores = results["machine"]["cpu"], results["machine"]["cores"]
    print(f"Benchmark on {cpu} ({cores} cores)"
          + (", storing the notebooks' outputs" if args.store else ""), flush=True)
    with data_linked(mnist_folder, data_link):
        run_notebooks(results, paths, args)
    results["totals"] = totals(results["notebooks"])
    results["lessons"] = lesson_lengths(notebook_dir)
    write_results(results, output)  # so far, in case a later step fails
    if args.compare:
        compare(results, args, mnist_folder)
        write_results(results, output)
        derive_comparison(results)
    if args.store and notebook_dir == NOTEBOOKS:
        write_results(results, output)  # the headers, the tables and the outputs agree
        refresh_headers()
    if args.make_test:
        record_make_test(results)
    results["load_end"] = machine.load_average()
    write_results(results, output)
    print(f"Wrote {output / 'results.md'} and {output / 'results.json'}")
    rows = results["notebooks"]
    failed = any(r["error"] or r["prose_problems"] for r in rows)
    return 1 if failed or results.get("make_test", {}).get("returncode", 0) != 0 else 0
