"""The lessons teach; the measuring lives in benchmarks/ (issue 18).

Every notebook's markdown fits one sitting (at most 4,000 words), keeps the benchmark's lab
notebook out (no instruction sets, load averages or virtual machines), shows a spread over
seeds ("±") only in a table, and says plainly what the stored outputs would be on the full data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools.bench.goals import GOAL_LESSON_WORDS
from tools.bench.notebooks import lesson_lengths

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Words and phrases of the benchmark's methodology that a lesson must not need.
LAB_NOTEBOOK = re.compile(
    r"onednn|\bavx|instruction sets?\b|load average|virtual machine|\bfirecracker\b|\bkvm\b"
    r"|\bepyc\b|\bzen ?4\b|we did not find out why",
    re.IGNORECASE,
)


def _markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("row", lesson_lengths(), ids=lambda row: row["notebook"])
def test_every_lesson_fits_its_word_budget(row):
    assert row["words"] <= GOAL_LESSON_WORDS, (
        f"{row['notebook']}: {row['words']:,} words of markdown, expected at most"
        f" {GOAL_LESSON_WORDS:,}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_lesson_carries_the_benchmarks_lab_notebook(path):
    found = sorted(
        {match.group(0) for text in _markdown_cells(path) for match in LAB_NOTEBOOK.finditer(text)}
    )
    assert not found, f"{path.name}: benchmark methodology in the lesson: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_spread_over_seeds_appears_only_in_a_table(path):
    lines = [
        line
        for text in _markdown_cells(path)
        for line in text.splitlines()
        if "±" in line and not line.lstrip().startswith("|")
    ]
    assert not lines, f"{path.name}: '±' outside a table: {lines}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_lesson_waves_away_the_difference_of_a_learners_run(path):
    text = "\n".join(_markdown_cells(path)).lower()
    assert "differ a little" not in text, f"{path.name}: a learner's run will 'differ a little'"


def test_the_checks_find_what_they_look_for():
    assert LAB_NOTEBOOK.search("capped with ONEDNN_MAX_CPU_ISA at AVX512_CORE")
    assert LAB_NOTEBOOK.search("the load average was 1.2")
    assert not LAB_NOTEBOOK.search("average pooling keeps the mean of each window")
