"""The notebooks' recipes against the baseline recipes (``--compare``), on this side.

``run_comparison`` trains the baseline recipes (and the notebooks' recipes beside them, in
pairs) in one fresh process (``tools.bench.compare``); ``paired_summary`` judges the time goal
on those pairs; ``notebook_ratios`` sets what the notebooks trained in this run against the
baseline recipe of the same network (shown, not judged).

Stored rows say ``"role": "classic"`` for a baseline recipe's run (the name of earlier
versions, kept so that the stored results still read) or ``"notebook"``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bench.goals import GOAL_FASHION_TEST_ACCURACY, GOAL_TIME_RATIO
from tools.bench.recipes import (
    BASELINE_RECIPES,
    DEEP_FASHION,
    DEEP_FASHION_NOTEBOOK,
    NOTEBOOK_RECIPES,
    NOTEBOOK_VARIANT,
    PAIRED_SEEDS,
    rate_literal,
)
from tools.layout import ROOT

BASELINE_ROLE = "classic"


def run_comparison(deep_seconds: float | None, mnist_folder: Path | None) -> list[dict]:
    """Train the baseline recipes (and the deep Fashion design for ``deep_seconds``)."""
    env = dict(os.environ)
    if mnist_folder is not None:
        env["CNN_COURSE_DATA"] = str(mnist_folder)  # this process runs from the repository
    plan = {"baseline": BASELINE_RECIPES, "notebook": NOTEBOOK_RECIPES, "seeds": PAIRED_SEEDS}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "compare.json"
        command = [sys.executable, "-m", "tools.bench.compare", str(out), json.dumps(plan),
                   json.dumps(deep_seconds)]
        result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, env=env)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
        return json.loads(out.read_text()) if out.exists() else []


def longest_fit(notebooks: list[dict], name: str) -> dict | None:
    """The main training of notebook ``name``: its longest ``fit`` (None if it did not run)."""
    for row in notebooks:
        if row["notebook"] == name and row["fits"] and not row["error"]:
            return max(row["fits"], key=lambda fit: fit["seconds"])
    return None


def fashion_recipe_seeds(epochs: int | None) -> dict | None:
    """Notebook 07's recipe over several seeds, from ``benchmarks/recipe_experiments.json``.

    None when that file has no runs of the recipe, or when they trained another number of epochs
    than the notebook did in this run (then they are not the notebook's recipe).
    """
    from tools.bench import fashion_report

    if epochs is None or not fashion_report.JSON_PATH.exists():
        return None
    results = json.loads(fashion_report.JSON_PATH.read_text(encoding="utf-8"))
    row = fashion_report.summary(results).get(NOTEBOOK_VARIANT)
    if row is None or row["epochs"] != epochs:
        return None
    return {
        "variant": NOTEBOOK_VARIANT,
        "epochs": row["epochs"],
        "seeds": row["seeds"],
        "test_mean": round(row["test_mean"], 5),
        "test_sd": round(row["test_sd"], 5),
        "goal_met": len(row["seeds"]) >= 3 and row["test_mean"] >= GOAL_FASHION_TEST_ACCURACY,
    }


def accuracy_after(notebook: dict, fit: dict) -> float | None:
    """The test accuracy of ``fit``'s model evaluated right after that fit, before any other.

    A notebook may train a model on after its main fit (notebook 04 trains LeNet-5 one more
    epoch); the model's last evaluation then is not the main fit's. Runs recorded before the
    probes noted which fit an evaluation followed fall back to the model's last evaluation.
    """
    index = next((i for i, f in enumerate(notebook["fits"]) if f is fit), None)
    for evaluation in notebook.get("test_evaluations", []):
        if evaluation.get("after_fit") == index and evaluation["model"] == fit["model"]:
            return evaluation["accuracy"]
    if any("after_fit" in e for e in notebook.get("test_evaluations", [])):
        return None
    return notebook["test_accuracy"].get(fit["model"])


def _against(reference: dict, notebook: dict, fit: dict) -> dict:
    accuracy = accuracy_after(notebook, fit)
    difference = None if accuracy is None else round(accuracy - reference["test_accuracy"], 5)
    return {
        "design": reference["design"],
        "notebook": notebook["notebook"],
        "model": fit["model"],
        "epochs": fit["epochs"],
        "seconds": fit["seconds"],
        "images": fit["images"],
        "test_accuracy": accuracy,
        "time_ratio": round(fit["seconds"] / reference["seconds"], 3),
        "accuracy_difference": difference,
    }


def _mean_sd(values: list[float]) -> tuple[float, float | None]:
    mean = statistics.mean(values)
    return mean, (statistics.stdev(values) if len(values) > 1 else None)


def baseline_references(comparison: list[dict]) -> list[dict]:
    """One reference per baseline recipe: the mean time and test accuracy of its runs."""
    references: dict[str, list] = {}
    for row in comparison:
        if row.get("role", BASELINE_ROLE) == BASELINE_ROLE and row["test_accuracy"] is not None:
            references.setdefault(row["design"], []).append(row)
    return [
        {
            "design": design,
            "parameters": runs[0]["parameters"],
            "seconds": statistics.mean(r["seconds"] for r in runs),
            "test_accuracy": statistics.mean(r["test_accuracy"] for r in runs),
            "runs": len(runs),
        }
        for design, runs in references.items()
    ]


def notebook_ratios(notebooks: list[dict], comparison: list[dict]) -> list[dict]:
    """What the notebooks trained in this run, against the baseline recipe for the same network.

    A notebook's fit is matched to a baseline recipe by its parameter count (23,860 for the
    dense baseline, 112,074 for the 64-64-64 convnet, 61,706 for LeNet-5), so the notebooks
    need no labels for the benchmark; of several fits of the same network in one notebook, the
    longest is its main training. A baseline recipe trained with several seeds counts with its
    mean time and accuracy. The deep Fashion design is set against notebook 07's longest fit:
    same wall time, different network. The goal is judged on the pairs (`paired_summary`),
    not here: a notebook's run and the baseline runs did not meet the machine in the same state.
    """
    rows = []
    for reference in baseline_references(comparison):
        if reference["design"] == DEEP_FASHION:
            fit = longest_fit(notebooks, DEEP_FASHION_NOTEBOOK)
            if fit is not None:  # else notebook 07 was not part of this run
                notebook = next(r for r in notebooks if r["notebook"] == DEEP_FASHION_NOTEBOOK)
                rows.append(_against(reference, notebook, fit))
            continue
        for notebook in notebooks:
            same = [f for f in notebook["fits"] if f["parameters"] == reference["parameters"]]
            if same:  # the main training, not a short demonstration fit after it
                rows.append(_against(reference, notebook, max(same, key=lambda f: f["seconds"])))
    return rows


def _pairs(comparison: list[dict], design: str) -> dict[int, dict]:
    """{pair: {"classic": row, "notebook": row}} for the complete pairs of ``design``."""
    pairs: dict[int, dict] = {}
    for row in comparison:
        if row["design"] == design and "pair" in row:
            pairs.setdefault(row["pair"], {})[row["role"]] = row
    return {k: v for k, v in sorted(pairs.items()) if {BASELINE_ROLE, "notebook"} <= v.keys()}


def _notebook_match(notebooks: list[dict], parameters: int, epochs: int, batch: int):
    """(notebook name, whether its main fit of the network used this recipe), or Nones."""
    for notebook in notebooks:
        fits = [f for f in notebook["fits"] if f["parameters"] == parameters]
        if fits and not notebook["error"]:
            main = max(fits, key=lambda fit: fit["seconds"])
            return notebook["notebook"], (
                main["epochs"] == epochs and main.get("batch_size") in (batch, None)
            )
    return None, None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


def paired_summary(comparison: list[dict], notebooks: list[dict]) -> list[dict]:
    """For each network in NOTEBOOK_RECIPES: its notebook recipe against its baseline recipe.

    Both trained in pairs, one per seed, in the comparison process. The time ratio is taken
    within each pair (the two ran back to back) and its median reported; the accuracies are
    means over the seeds. ``matches_notebook`` says whether the notebook's main fit of the same
    network in this run used the same epochs and batch size (None when the notebook did not
    run); when it did not, the goal is not judged, since the recipe measured is not the
    notebook's.
    """
    summary = []
    for design, (peak, epochs, batch) in NOTEBOOK_RECIPES.items():
        pairs = list(_pairs(comparison, design).values())
        if not pairs:
            continue
        ours = [p["notebook"] for p in pairs]
        theirs = [p[BASELINE_ROLE] for p in pairs]
        ratios = [o["seconds"] / t["seconds"] for o, t in zip(ours, theirs, strict=True)]
        ours_mean, ours_sd = _mean_sd([r["test_accuracy"] for r in ours])
        theirs_mean, theirs_sd = _mean_sd([r["test_accuracy"] for r in theirs])
        name, matches = _notebook_match(notebooks, ours[0]["parameters"], epochs, batch)
        ratio = statistics.median(ratios)
        summary.append(
            {
                "design": design,
                "notebook": name,
                "recipe": f"peak {rate_literal(peak)}, batch {batch}, {epochs} epochs",
                "classic_recipe": theirs[0]["recipe"],
                "seeds": [t.get("seed") for t in theirs],
                "notebook_seconds": [o["seconds"] for o in ours],
                "classic_seconds": [t["seconds"] for t in theirs],
                "time_ratios": [round(r, 3) for r in ratios],
                "median_time_ratio": round(ratio, 3),
                "notebook_accuracy": round(ours_mean, 5),
                "notebook_accuracy_sd": _rounded(ours_sd),
                "classic_accuracy": round(theirs_mean, 5),
                "classic_accuracy_sd": _rounded(theirs_sd),
                "matches_notebook": matches,
                "meets_goal": None
                if matches is False
                else ratio <= GOAL_TIME_RATIO and ours_mean >= theirs_mean,
            }
        )
    return summary
