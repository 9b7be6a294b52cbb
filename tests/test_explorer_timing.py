"""The explorer timing report: it counts full garbage collections and judges each row."""

from __future__ import annotations

import gc

from tools.explorer_timing import FullCollections, table


def test_only_full_collections_are_counted():
    with FullCollections() as full:
        gc.collect(0)
        gc.collect(1)
        gc.collect()
    assert full.count == 1
    gc.collect()  # after the block, nothing is counted any more
    assert full.count == 1


def test_a_row_over_the_target_is_marked():
    rows = [("quick", [(0.05, 0.05), (0.19, 0.18)], 0),
            ("slow once", [(0.05, 0.05), (0.41, 0.1)], 2)]
    lines = table(rows, (0.1, 0.2, 0.3), repeats=2).splitlines()
    assert "| quick | 0.120 | 0.190 | 0.115 | 0 | yes |" in lines
    assert "| slow once | 0.230 | 0.410 | 0.075 | 2 | NO |" in lines
