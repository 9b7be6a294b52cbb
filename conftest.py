"""Run every exercise solution under nbval, after the last cell of its notebook.

nbval runs a notebook's code cells one by one in a single kernel. For each file
``solutions/<notebook stem>/exercise_<k>.py`` this adds one more item after the notebook's last
cell, named ``<notebook>::solution exercise_<k>``, that runs the file's code in that same
kernel, so it can use the notebook's variables, as a learner's extra cell would. The item fails
on any exception; its output is not compared. The notebooks are not executed a second time.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell

SOLUTIONS = Path(__file__).resolve().parent / "solutions"


class SolutionCell(IPyNbCell):
    """An exercise solution run as an extra, unrecorded cell of its notebook."""

    solution: Path

    def reportinfo(self):
        return self.path, 0, self.nodeid

    def repr_failure(self, excinfo):
        where = self.solution.relative_to(SOLUTIONS.parent)
        return (
            f"{where} failed, run after the last cell of notebooks/{self.path.name}:\n\n"
            + super().repr_failure(excinfo)
        )


def solution_items(last_cell: IPyNbCell) -> list[SolutionCell]:
    """One item per solution file of the notebook that ``last_cell`` belongs to."""
    folder = SOLUTIONS / last_cell.path.stem
    paths = sorted(folder.glob("exercise_*.py"), key=lambda p: int(p.stem.split("_")[1]))
    items = []
    for number, path in enumerate(paths, start=last_cell.cell_num + 1):
        cell = nbformat.v4.new_code_cell(path.read_text(encoding="utf-8"))
        options = defaultdict(bool, check=False)  # no reference output: only errors fail
        item = SolutionCell.from_parent(
            last_cell.parent,
            name=f"solution {path.stem}",
            cell_num=number,
            cell=cell,
            options=options,
        )
        item.solution = path
        items.append(item)
    return items


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect items
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    last_cells = {}  # notebook collector -> position of its last cell in items
    for position, item in enumerate(items):
        if isinstance(item, IPyNbCell) and not isinstance(item, SolutionCell):
            last_cells[item.parent] = position
    for position in sorted(last_cells.values(), reverse=True):  # insert from the end
        items[position + 1 : position + 1] = solution_items(items[position])
