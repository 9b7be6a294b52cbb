"""Figures of the last reference run quoted in prose, kept equal to ``benchmarks/results.json``.

The reference run retrains the baseline recipes every time, so a figure copied from
``results.md`` by hand goes stale at the next run. Prose quotes such a figure between markers
instead, naming it by one of the labels below:

    <!-- from-results: lenet5 time share -->36%<!-- /from-results -->

``python -m tools.course generate`` (and so every ``make reference``) writes the current value
between the markers, in the lessons' markdown, in ``benchmarks/README.md`` and in the
lecturer's pages ``teaching/*.md`` (whose label ``computing time of <stem>`` is a whole
sentence, worded by ``tools.teaching_times``);
``python -m tools.course check`` reports a value that differs from the results, and a label
that is not one of ``LABELS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tools import fileio, teaching_times
from tools.layout import ROOT
from tools.manifest import BENCHMARK_RESULTS, read_results
from tools.markdown import text as _text

MARKER = re.compile(
    r"<!--\s*from-results:\s*(?P<label>.+?)\s*-->(?P<value>.*?)<!--\s*/from-results\s*-->",
    re.DOTALL,
)
COMPUTING = "computing time of "  # + a notebook's stem: its computing-time sentence
EPOCH_IMAGES = 55_000  # notebook 07's training split: one epoch of the deep reference


def _baseline(results: dict, design: str) -> dict:
    """The baseline recipe's row for ``design`` in the run's comparison."""
    rows = [row for row in results.get("comparison", []) if row.get("design") == design]
    if not rows:
        raise KeyError(f"no baseline run of {design!r} in the results")
    return rows[0]


def _paired(results: dict, design: str) -> dict:
    rows = [row for row in results.get("paired", []) if row.get("design") == design]
    if not rows:
        raise KeyError(f"no paired comparison of {design!r} in the results")
    return rows[0]


def _seconds(values) -> str:
    return ", ".join(f"{value:.1f}" for value in values)


def _deep(key: str, shown: Callable[[float], str]) -> Callable[[dict], str]:
    return lambda results: shown(_baseline(results, "deep_fashion")[key])


def _pair(design: str, key: str, shown: Callable) -> Callable[[dict], str]:
    return lambda results: shown(_paired(results, design)[key])


LABELS: dict[str, Callable[[dict], str]] = {
    "deep reference images/s": _deep("images_per_second", "{:,.0f}".format),
    "deep reference minutes per epoch": _deep(
        "images_per_second", lambda speed: f"{EPOCH_IMAGES / speed / 60:.1f}"),
    "deep reference seconds": _deep("seconds", "{:.0f}".format),
    "deep reference test accuracy": _deep("test_accuracy", "{:.2%}".format),
}
for _design in ("convnet02", "lenet5"):
    LABELS |= {
        f"{_design} median time ratio": _pair(_design, "median_time_ratio", "{:.2f}".format),
        f"{_design} time share": _pair(_design, "median_time_ratio", "{:.0%}".format),
        f"{_design} accuracy": _pair(_design, "notebook_accuracy", "{:.2%}".format),
        f"{_design} baseline accuracy": _pair(_design, "classic_accuracy", "{:.2%}".format),
        f"{_design} seconds": _pair(_design, "notebook_seconds", _seconds),
        f"{_design} baseline seconds": _pair(_design, "classic_seconds", _seconds),
    }


def _computing(results: dict, stem: str) -> str:
    rows = [row for row in results.get("notebooks", []) if row.get("notebook") == stem]
    if not rows or rows[0].get("error"):
        raise KeyError(f"no completed run of {stem!r} in the results")
    return teaching_times.sentence(rows[0])


def load(root: Path = ROOT) -> dict | None:
    """The reference run's results, or None where there is no results file."""
    return read_results(root / BENCHMARK_RESULTS)


def pages(root: Path = ROOT) -> list[Path]:
    """The Markdown files besides the notebooks that quote the results (relative to root)."""
    found = [Path("benchmarks") / "README.md",
             *(path.relative_to(root) for path in sorted((root / "teaching").glob("*.md")))]
    return [page for page in found if (root / page).is_file()]


def value(label: str, results: dict) -> tuple[str | None, str | None]:
    """(the value to quote, None) or (None, why it cannot be quoted)."""
    if not label.startswith(COMPUTING) and label not in LABELS:
        return None, f"unknown label {label!r}; expected one of tools.results_quotes.LABELS"
    try:
        if label.startswith(COMPUTING):
            return _computing(results, label.removeprefix(COMPUTING)), None
        return LABELS[label](results), None
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        return None, f"{label!r}: {error}"


def filled(text: str, results: dict) -> tuple[str, list[str]]:
    """``text`` with every marked figure set to its value; the problems of the rest."""
    problems = []

    def replace(match: re.Match) -> str:
        quoted, why = value(match.group("label"), results)
        if why:
            problems.append(why)
            return match.group(0)
        start, end = match.span("value")
        return match.string[match.start() : start] + quoted + match.string[end : match.end()]

    return MARKER.sub(replace, text), problems


def problems(text: str, results: dict) -> list[str]:
    """Each marked figure that differs from the results, or that has no value."""
    found = []
    for match in MARKER.finditer(text):
        quoted, why = value(match.group("label"), results)
        if why:
            found.append(why)
        elif quoted != match.group("value"):
            found.append(f"{match.group('label')!r}: prose says {match.group('value')!r}, "
                         f"the results {quoted!r}")
    return found


def _markdown_cells(notebook):
    return [cell for cell in notebook["cells"] if cell.get("cell_type") == "markdown"]


def fill_notebook(notebook, results: dict | None) -> bool:
    """Set every marked figure in ``notebook``'s markdown; whether anything changed. Figures
    that cannot be quoted are left as they are (``notebook_problems`` reports them)."""
    if results is None:
        return False
    changed = False
    for cell in _markdown_cells(notebook):
        text = _text(cell["source"])
        new, _ = filled(text, results)
        if new != text:
            cell["source"], changed = new, True
    return changed


def notebook_problems(notebook, results: dict | None) -> list[str]:
    if results is None:
        return []
    return [f"cell {index}: {problem}" for index, cell in enumerate(notebook["cells"])
            if cell.get("cell_type") == "markdown"
            for problem in problems(_text(cell["source"]), results)]


def fill_pages(root: Path = ROOT) -> list[str]:
    """Set the marked figures of ``pages``; return the pages that changed."""
    results, changed = load(root), []
    for page in [] if results is None else pages(root):
        path = root / page
        text = path.read_text(encoding="utf-8")
        new, _ = filled(text, results)
        if new != text:
            fileio.write_text(path, new)
            changed.append(page.as_posix())
    return changed


def page_problems(root: Path = ROOT) -> list[str]:
    results = load(root)
    if results is None:
        return []
    return [f"{page.as_posix()}: {problem}" for page in pages(root)
            for problem in problems((root / page).read_text(encoding="utf-8"), results)]
