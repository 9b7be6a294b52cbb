"""Where things are in the repository: its root, the notebooks and how their files are named.

Every tool takes these from here, so that a folder or the naming rule changes in one place.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = "notebooks"
BENCHMARKS = "benchmarks"
INDEX = "00_index.ipynb"
# A lesson: two digits, an underscore, lowercase words ("02_first_convnet.ipynb").
NOTEBOOK_FILE = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def notebook_folder(root: Path = ROOT) -> Path:
    return root / NOTEBOOKS


def lessons(folder: Path) -> list[Path]:
    """The numbered notebooks in ``folder`` (the index left out), in course order."""
    return [path for path in sorted(folder.glob(NOTEBOOK_GLOB)) if path.name != INDEX]


def all_notebooks(folder: Path) -> list[Path]:
    """Every numbered notebook in ``folder``, the index first."""
    return sorted(folder.glob(NOTEBOOK_GLOB))
