"""The computing times that the lecturer's pages (``teaching/<stem>.md``) quote.

Each page says, near its top, how long its notebook computed in the last reference run, so a
lecturer knows what can run live. That sentence is written from ``benchmarks/results.json``,
between two markers, and nowhere by hand:

    <!-- course:computing -->In the reference run ... .<!-- /course:computing -->

``python -m tools.course generate`` (and so every ``make reference``) rewrites it;
``python -m tools.course check`` reports a page whose sentence no longer matches the results.
A page without the markers is left alone and reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tools import fileio
from tools.layout import ROOT
from tools.manifest import BENCHMARK_RESULTS, Course

START, END = "<!-- course:computing -->", "<!-- /course:computing -->"
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
FULL_IMAGES = {"mnist": 60_000, "fashion_mnist": 60_000}  # each dataset's training images
NAMES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}


def _minutes(seconds: float) -> str:
    """Seconds as the results page rounds them: "0.4 minute", "1.7 minutes", "under 0.1 minute"."""
    value = round(seconds / 60, 1)
    if value < 0.1:
        return "under 0.1 minute"
    return f"{value:.1f} minute" + ("" if value == 1.0 or value < 1 else "s")


def sentence(row: dict) -> str:
    """What one notebook computed in the reference run, in one sentence with its source."""
    source = "([`benchmarks/results.md`](../benchmarks/results.md))"
    wall = _minutes(row["wall_seconds"])
    training = row.get("training_seconds") or 0
    if not row.get("data"):  # no dataset: at most a demonstration fit on a few images
        trains = "" if training == 0 else f", {_minutes(training)} of it training"
        return f"In the reference run the whole notebook computed in {wall}{trains} {source}."
    (dataset, sizes), = row["data"].items()
    loaded, full = sizes["train_images"], FULL_IMAGES[dataset]
    text = (f"In the reference run the whole notebook computed in {wall}, "
            f"{_minutes(training)} of it training")
    if loaded >= full:
        return f"{text} on all {full:,} {NAMES[dataset]} training images {source}."
    projected = _minutes(row["projected_full_training_seconds"])
    return (f"{text} on the first {loaded:,} of the {full:,} {NAMES[dataset]} training images; "
            f"on all of them the training would take about {projected} {source}.")


def results_rows(root: Path = ROOT) -> dict[str, dict]:
    """The reference run's row per notebook stem; empty without a results file."""
    path = root / BENCHMARK_RESULTS
    if not path.is_file():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
    return {row["notebook"]: row for row in rows if not row.get("error")}


def _pages(course: Course, root: Path):
    """(stem, page path, text) for each lesson's lecturer page that exists."""
    for entry in course.notebooks:
        path = root / "teaching" / f"{entry.name}.md"
        if path.is_file():
            yield entry.name, path, path.read_text(encoding="utf-8")


def updated(text: str, row: dict) -> str:
    return _BLOCK.sub(lambda _: START + sentence(row) + END, text, count=1)


def generate(course: Course, root: Path = ROOT) -> list[str]:
    """Rewrite each page's computing sentence from the results; return the pages changed."""
    rows, changed = results_rows(root), []
    for stem, path, text in _pages(course, root):
        if stem in rows and _BLOCK.search(text) and updated(text, rows[stem]) != text:
            fileio.write_text(path, updated(text, rows[stem]))
            changed.append(str(path.relative_to(root)))
    return changed


def problems(course: Course, root: Path = ROOT) -> list[str]:
    """A page without the markers, or whose sentence differs from the results."""
    rows, found = results_rows(root), []
    for stem, path, text in _pages(course, root):
        where = path.relative_to(root)
        if not _BLOCK.search(text):
            found.append(f"{where}: no {START} … {END} sentence (the computing time)")
        elif stem in rows and updated(text, rows[stem]) != text:
            found.append(f"{where}: the computing time is stale; run `make course`")
    return found
