"""A notebook's figures travel inside it, as cell attachments.

Colab opens one .ipynb from GitHub without the rest of the repository, so every figure of
``images/<notebook>/`` (drawn by ``tools/make_figures.py``) that a markdown cell shows is
embedded in that cell: ``embed_images`` writes them (part of ``make course``),
``attachment_problems`` reports what is linked by path, stale or unused (part of the check).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tools.layout import ROOT, notebook_folder
from tools.manifest import Notebook
from tools.markdown import source

ATTACHMENT_MIME = {".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg",
                   ".jpeg": "image/jpeg"}
# ![alt](target) in markdown; the target is a relative path or attachment:NAME.
_IMAGE_LINK = re.compile(r"(!\[[^\]]*\]\(\s*<?)([^)\s>]+)")
_SHOWN = re.compile(r"\(\s*<?attachment:([^)\s>]+)")
STALE = "stale: run `make course` (python -m tools.course generate)"


def figures_folder(entry: Notebook, root: Path = ROOT) -> Path:
    """Where a notebook's explanatory figures live (drawn by tools/make_figures.py)."""
    return root / "images" / entry.name


def _attachment_data(path: Path) -> dict:
    return {ATTACHMENT_MIME[path.suffix.lower()]: base64.b64encode(path.read_bytes()).decode()}


def _figure_name(target: str, folder: Path, root: Path) -> str | None:
    """The figure file a link target names in ``folder``, or None if it is not one of them."""
    if target.startswith("attachment:"):
        return unquote(target.removeprefix("attachment:"))
    if urlsplit(target).scheme or target.startswith("#"):
        return None
    path = (notebook_folder(root) / unquote(target)).resolve()
    return path.name if path.parent == folder.resolve() else None  # others: left to check


def wanted_attachments(cell, entry: Notebook, root: Path = ROOT) -> tuple[str, dict]:
    """A markdown cell's source with images/<notebook>/ links as attachments, and their data.

    ``![alt](../images/02_first_convnet/x.png)`` becomes ``![alt](attachment:x.png)``; an
    ``attachment:x.png`` link takes its data from ``images/02_first_convnet/x.png`` (kept
    current when the figure is re-drawn). Other attachments (pasted in by hand, with no
    file behind them) are kept as they are.
    """
    folder = figures_folder(entry, root)
    found = {}

    def replace(match: re.Match) -> str:
        prefix, target = match.groups()
        name = _figure_name(target, folder, root)
        if name is None:
            return match.group(0)
        figure = folder / name
        if figure.is_file() and figure.suffix.lower() in ATTACHMENT_MIME:
            found[name] = _attachment_data(figure)
            return f"{prefix}attachment:{name}"
        if name in (cell.get("attachments") or {}):
            found[name] = cell["attachments"][name]
        return match.group(0)

    return _IMAGE_LINK.sub(replace, source(cell)), found


def embed_images(notebook, entry: Notebook, root: Path = ROOT) -> bool:
    """Embed every figure a notebook's markdown shows as a cell attachment; True if changed."""
    changed = False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text, wanted = wanted_attachments(cell, entry, root)
        if text != source(cell):
            cell.source = text
            changed = True
        if wanted != (cell.get("attachments") or {}):
            if wanted:
                cell["attachments"] = wanted
            else:
                cell.pop("attachments", None)
            changed = True
    return changed


def _cell_problems(cell, entry: Notebook, root: Path, where: str) -> list[str]:
    text, wanted = wanted_attachments(cell, entry, root)
    stored = cell.get("attachments") or {}
    problems = []
    if text != source(cell):
        problems.append(f"{where}: figure linked by path, not embedded; {STALE}")
    shown = {unquote(name) for name in _SHOWN.findall(text)}
    for name in sorted(set(stored) - shown):
        problems.append(f"{where}: attachment {name!r} is not shown; {STALE}")
    for name, data in sorted(wanted.items()):
        if name in stored and stored[name] != data:
            problems.append(
                f"{where}: attachment {name!r} differs from images/{entry.name}/{name}; {STALE}"
            )
    for name in sorted(shown - set(stored)):
        problems.append(f"{where}: attachment {name!r} is shown but not stored")
    return problems


def attachment_problems(notebook, entry: Notebook, root: Path = ROOT) -> list[str]:
    """Figures linked by path instead of embedded, and attachments stale or unused."""
    problems = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            where = f"notebooks/{entry.file}: cell {number}"
            problems += _cell_problems(cell, entry, root, where)
    return problems
