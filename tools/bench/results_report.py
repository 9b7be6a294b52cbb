"""``benchmarks/results.md``: the benchmark's results for people, from results.json.

``markdown(results)`` builds the page in this order: the run and its machine, the notebooks'
table and the whole course against its goals, notebook 07's goals, the lessons' lengths, the
baseline recipes and the pairs, ``make test``. ``write_results`` writes both files.
"""

from __future__ import annotations

import json
from pathlib import Path

from tools import fileio
from tools.bench.goals import (
    GOAL_FASHION_TEST_ACCURACY,
    GOAL_FASHION_TRAINING_MINUTES,
    GOAL_LESSON_WORDS,
    GOAL_PEAK_MEMORY_MB,
    GOAL_TIME_RATIO,
    GOAL_TOTAL_TRAINING_MINUTES,
)
from tools.bench.make_test import make_test_lines
from tools.bench.notebooks import slow_epochs
from tools.bench.recipes import DEEP_FASHION_NOTEBOOK
from tools.bench.tables import fmt, goal, minutes, percent_sd, table

PROJECTION_NOTE = (
    "Training = time inside `Model.fit` (validation included). Projected = the time of each"
    " fit on the loaded training set × 60,000 / training images loaded, except its first"
    " epoch's extra time over the median of its other epochs (Keras builds the graphs then,"
    " once however large the data), plus the fits on a fixed-size sample (fewer than half"
    " the loaded images per epoch: a demonstration on a few batches, a speed probe) as they"
    " are. A recipe reaches a lower accuracy on a subset of MNIST than on all 60,000 images."
)


def fashion_goal_line(totals: dict) -> str:
    """Notebook 07's two goals: its training time in this run, its recipe's mean over seeds."""
    seeds = totals.get("fashion_seeds")
    if seeds:
        accuracy = (
            f"its recipe ({seeds['epochs']} epochs) over seeds"
            f" {', '.join(map(str, seeds['seeds']))} in `recipe_experiments.md`: test accuracy"
            f" {seeds['test_mean']:.2%} ± {100 * seeds['test_sd']:.2f} (goal: at least"
            f" {GOAL_FASHION_TEST_ACCURACY:.1%} as the mean of 3 seeds,"
            f" {goal(seeds['goal_met'])})."
        )
    else:
        accuracy = (
            "`recipe_experiments.md` has no seeds of its recipe with this many epochs, so the"
            " goal on the mean of 3 seeds is NOT shown."
        )
    epochs = totals.get("fashion_epoch_seconds") or []
    if epochs:
        slow = slow_epochs({"epoch_seconds": epochs})
        which = ("epochs " if len(slow) > 1 else "epoch ") + ", ".join(map(str, slow))
        accuracy += " Its epochs took " + ", ".join(f"{s:.0f}" for s in epochs) + " s"
        accuracy += (
            f"; {which} took more than 1.5 times the fastest of the others: the same work at a"
            " slower pace, so the machine gave this run less CPU then."
            if slow
            else "."
        )
    return (
        f"{DEEP_FASHION_NOTEBOOK}: its training run (the longest `fit`) took"
        f" {minutes(totals['fashion_training_seconds'])}"
        f" (goal: at most {GOAL_FASHION_TRAINING_MINUTES:g} min,"
        f" {goal(totals['fashion_goal_met'])}); " + accuracy
    )


def _runs_table(results: dict) -> list[str]:
    rows = [
        [
            row["design"],
            ("notebook's: " if row.get("role") == "notebook" else "baseline: ") + row["recipe"],
            fmt(row.get("seed"), "{}"),
            str(row["epochs"]),
            str(row["batch_size"]),
            f"{row['images']:,}",
            f"{row['seconds']:.1f} s",
            f"{row['images_per_second']:,.0f}",
            fmt(row["test_accuracy"], "{:.2%}"),
        ]
        for row in results["comparison"]
    ]
    header = ["design", "recipe", "seed", "epochs", "batch", "images trained", "training",
              "images/s", "test accuracy"]
    return table(header, "llrrrrrrr", rows)


def _paired_table(results: dict) -> list[str]:
    rows = []
    for row in results["paired"]:
        recipe = row["recipe"]
        if row["matches_notebook"] is False:
            recipe += f" (**not what {row['notebook']} trained in this run**)"
        rows.append(
            [
                f"{row['design']} ({row['notebook'] or 'notebook not run'})",
                recipe,
                ", ".join(map(str, row["seeds"])),
                ", ".join(f"{s:.1f}" for s in row["notebook_seconds"]) + " s",
                ", ".join(f"{s:.1f}" for s in row["classic_seconds"]) + " s",
                f"{row['median_time_ratio']:.2f}",
                percent_sd(row["notebook_accuracy"], row["notebook_accuracy_sd"]),
                percent_sd(row["classic_accuracy"], row["classic_accuracy_sd"]),
                goal(row["meets_goal"]),
            ]
        )
    header = ["design (notebook)", "notebook's recipe (Adam, 1cycle-style)", "seeds",
              "notebook's recipe: training", "baseline: training", "time / baseline (median)",
              "test accuracy: notebook's", "test accuracy: baseline", "goal"]
    return table(header, "llrrrrrrl", rows)


def _ratios_table(results: dict) -> list[str]:
    rows = [
        [
            f"{row['notebook']} ({row['model']})",
            row["design"],
            str(row["epochs"]),
            f"{row['seconds']:.1f} s",
            fmt(row["test_accuracy"], "{:.2%}"),
            fmt(row["time_ratio"], "{:.2f}"),
            fmt(row["accuracy_difference"], "{:+.2%}"),
        ]
        for row in results["notebook_ratios"]
    ]
    header = ["notebook (model)", "baseline recipe", "epochs", "training", "test accuracy",
              "time / baseline", "accuracy difference"]
    return table(header, "llrrrrr", rows)


def comparison_lines(results: dict) -> list[str]:
    """The report's comparison section: every run, the pairs, the notebooks' own runs."""
    lines = [
        "",
        "## The baseline recipes (one fresh process, same run, same data)",
        "",
        "Where a notebook's recipe has a time goal, it was trained here too, in pairs with the"
        " baseline recipe: the two back to back with the same seed, alternating which went"
        " first, so that both met the machine in the same state.",
        "",
        *_runs_table(results),
    ]
    if results.get("paired"):
        lines += [
            "",
            f"The goal: each notebook's recipe in at most {GOAL_TIME_RATIO:g} of the baseline"
            " recipe's time, at no less test accuracy (mean over the seeds). The time ratio is"
            " taken within each pair, and the median of the pairs is judged:",
            "",
            *_paired_table(results),
        ]
    if results.get("notebook_ratios"):
        lines += [
            "",
            "What the notebooks themselves trained in this run, against the baseline recipe for"
            " the same network (its mean where it trained with several seeds); not judged,"
            " since the two ran at different times. The deep Fashion design trained for as long"
            f" as {DEEP_FASHION_NOTEBOOK}'s training, so there only the accuracies differ:",
            "",
            *_ratios_table(results),
        ]
    return lines


def lesson_lines(lessons: list[dict]) -> list[str]:
    rows = [
        [row["notebook"], f"{row['words']:,}", fmt(row["minutes"], "{} min"),
         goal(row["words"] <= GOAL_LESSON_WORDS)]
        for row in lessons
    ]
    return [
        "",
        f"## Lessons: words of markdown (goal: at most {GOAL_LESSON_WORDS:,} each)",
        "",
        *table(["notebook", "markdown words", "sitting (course.toml)", "goal"], "lrrl", rows),
    ]


def _opening(results: dict) -> list[str]:
    m = results["machine"]
    stored = results.get("reference", {}).get("stored")
    lines = ["# Course benchmark", ""]
    if results.get("make_test") and results["make_test"]["returncode"] != 0:
        lines += make_test_lines(results["make_test"])[:1] + [""]
    return lines + [
        f"Run {results['started']} by `python -m tools.bench` (full mode, `CNN_COURSE_QUICK=0`)."
        + (
            " The same run stored every notebook's outputs: the training cells of the"
            " notebooks show exactly these runs."
            if stored
            else ""
        ),
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['system']}",
        f"- Python {m['python']}, TensorFlow {m['tensorflow']}, Keras {m['keras']},"
        f" oneDNN {m['onednn']}",
        f"- MNIST from `{results['mnist_data']}`; Fashion-MNIST from where `helpers` found it",
        f"- Load average (1, 5, 15 min) at start {results['load_start']},"
        f" at end {results['load_end']}: values near or above the core count mean that other"
        " work shared the CPU, and times are longer than on a quiet machine",
        "",
    ]


def _notebooks_table(results: dict) -> list[str]:
    rows = []
    for row in results["notebooks"]:
        data = ", ".join(f"{k} {v['train_images']:,}" for k, v in row["data"].items()) or "–"
        accuracy = ", ".join(f"{k} {v:.2%}" for k, v in row["test_accuracy"].items()) or "–"
        name = row["notebook"] + (f" **failed: {row['error']}**" if row["error"] else "")
        rows.append([
            name, data, minutes(row["wall_seconds"]), minutes(row["training_seconds"]),
            minutes(row["projected_full_training_seconds"]),
            fmt(row["images_per_second"], "{:,.0f}"), accuracy,
            fmt(row["peak_memory_mb"], "{:,.0f} MB"),
        ])
    header = ["notebook", "data (training images)", "wall", "training",
              "training projected to full data", "images/s", "test accuracy", "peak memory"]
    return ["## Notebooks", "", *table(header, "llrrrrlr", rows)]


def _totals_line(totals: dict) -> str:
    return (
        f"Whole course: {minutes(totals['wall_seconds'])} wall,"
        f" {minutes(totals['training_seconds'])} training,"
        f" **{minutes(totals['projected_full_training_seconds'])} training projected to full"
        f" data** (goal: at most {GOAL_TOTAL_TRAINING_MINUTES:g} min,"
        f" {goal(totals['training_goal_met'])}); largest kernel"
        f" {fmt(totals['peak_memory_mb'], '{:,.0f} MB')} (goal: at most"
        f" {GOAL_PEAK_MEMORY_MB:,.0f} MB, {goal(totals['memory_goal_met'])})."
    )


def _stored_lines(results: dict) -> list[str]:
    lines = []
    if results.get("reference", {}).get("stored"):
        kept = [r["notebook"] for r in results["notebooks"] if r.get("stored")]
        lines += [
            "",
            "Notebooks stored with this run's outputs: " + (", ".join(kept) or "none") + "."
            " The others have no unchecked cells: every output they store is compared by"
            " nbval in quick mode, and `make notebooks` stores them.",
        ]
    problems = [(r["notebook"], p) for r in results["notebooks"] for p in r["prose_problems"]]
    if problems:
        lines += ["", "**Prose numbers left unfilled** (no stored output prints their label):", ""]
        lines += [f"- {name}: {problem}" for name, problem in problems]
    return lines


def markdown(results: dict) -> str:
    totals = results["totals"]
    lines = [*_opening(results), *_notebooks_table(results), "", _totals_line(totals)]
    if totals.get("fashion_training_seconds") is not None:
        lines += ["", fashion_goal_line(totals)]
    lines += ["", PROJECTION_NOTE, *_stored_lines(results)]
    if results.get("lessons"):
        lines += lesson_lines(results["lessons"])
    if results.get("comparison"):
        lines += comparison_lines(results)
    if results.get("make_test"):
        lines += ["", "## `make test`", ""] + make_test_lines(results["make_test"])
    return "\n".join(lines) + "\n"


def write_results(results: dict, output: Path) -> None:
    """results.json (everything measured) and results.md (this page), each atomically."""
    results.setdefault("load_end", None)
    fileio.write_text(output / "results.json", json.dumps(results, indent=1) + "\n")
    fileio.write_text(output / "results.md", markdown(results))
