"""The stored notebooks show their results and stay small enough to render on GitHub.

GitHub stops rendering notebooks somewhere above a few MB, and a learner browsing the course
there sees nothing; 2 MB per notebook leaves room. Every training cell stores what the full
reference run printed (`make reference`), so a reader sees the training log without running
anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools import reference_outputs as ro

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_BYTES = 2_000_000
TRAINING_CALL = re.compile(r"\.fit\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_at_most_2_mb(path):
    size = path.stat().st_size
    assert size <= MAX_BYTES, (
        f"{path.name} is {size / 1e6:.2f} MB, more than {MAX_BYTES / 1e6:.0f} MB: GitHub may not"
        " render it. Make its figures smaller (fewer or smaller panels, lower dpi)."
    )


def _training_cells(notebook: dict) -> list[int]:
    return [
        index
        for index, cell in enumerate(notebook["cells"])
        if ro.is_unchecked(cell) and TRAINING_CALL.search(ro.normalised_source(cell["source"]))
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_training_cells_store_what_the_reference_run_printed(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    empty = [i for i in _training_cells(notebook) if not notebook["cells"][i]["outputs"]]
    assert not empty, (
        f"{path.name}: training cells {empty} store no output; run `make reference` to store"
        " the full run's training logs"
    )
