"""Links, images and badges: where each one leads, and what a notebook opened alone needs.

``link_problems(course, root)`` lists every link in README.md and the notebooks' markdown
that does not lead to a file of the repository (or to the manifest's repository on GitHub or
Colab); ``standalone_problems(notebook)`` lists what would break when Colab opens the
notebook without the rest of the repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tools import notebook_io
from tools.layout import NOTEBOOK_FILE, ROOT, notebook_folder
from tools.manifest import COLAB_PREFIX, MANIFEST, Course
from tools.markdown import links_in, source

_COLAB_URL = re.compile(
    r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/(.+)"
)
# Schemes that need nothing beside the notebook.
STANDALONE_SCHEMES = ("http", "https", "attachment", "mailto", "data")

__all__ = ["check_link", "link_problems", "links_in", "standalone_problems"]


def _colab_problem(target: str, course: Course, root: Path) -> str | None:
    match = _COLAB_URL.fullmatch(target)
    if not match:
        return "malformed Colab URL (expected .../github/OWNER/REPO/blob/REF/PATH)"
    github, ref, path = match.groups()
    if (github, ref) != (course.github, course.ref):
        return (
            f"Colab URL points at {github}@{ref}, expected"
            f" {course.github}@{course.ref} from {MANIFEST}"
        )
    if not (root / unquote(path)).is_file():
        return f"Colab URL names {path}, which is not a file in the repository"
    return None


def _web_problem(target: str, course: Course, root: Path) -> str | None:
    if target.startswith(COLAB_PREFIX):
        return _colab_problem(target, course, root)
    repo_prefix = f"https://github.com/{course.github}/"
    if target.startswith(repo_prefix):
        match = re.fullmatch(r"(?:blob|tree)/([^/]+)/(.+)", target[len(repo_prefix):])
        if match and not (root / unquote(match.group(2).split("#")[0])).exists():
            return f"GitHub URL names {match.group(2)}, which is not in the repository"
    return None


def check_link(target: str, source_file: Path, course: Course, root: Path) -> str | None:
    """Why ``target`` (a link in ``source_file``) is broken, or None if it is fine."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        return _web_problem(target, course, root)
    if parts.scheme or target.startswith(("#", "//")):
        return None  # mailto:, data:, in-page anchors: nothing to find on disk
    path = unquote(parts.path)
    if not path:
        return None
    resolved = (source_file.parent / path).resolve()
    if not resolved.is_relative_to(root.resolve()):
        return "points outside the repository"
    if not resolved.exists():
        return "no such file in the repository"
    return None


def _documents(root: Path) -> list[tuple[Path, str]]:
    """README.md and every notebook's markdown, each as one text."""
    readme = root / "README.md"
    documents = [(readme, readme.read_text(encoding="utf-8"))] if readme.exists() else []
    for path in sorted(notebook_folder(root).glob("*.ipynb")):
        notebook = notebook_io.read(path)
        markdown = [source(cell) for cell in notebook.cells if cell.cell_type == "markdown"]
        documents.append((path, "\n\n".join(markdown)))
    return [(path, text) for path, text in documents if text]


def link_problems(course: Course, root: Path = ROOT) -> list[str]:
    """Links, images and badges in README.md and every notebook's markdown that lead nowhere."""
    problems = []
    for path, markdown in _documents(root):
        for target in links_in(markdown):
            reason = check_link(target, path, course, root)
            if reason:
                problems.append(f"{path.relative_to(root)}: link {target!r}: {reason}")
    return problems


def _shown_text(cell) -> list[str]:
    """Markdown and HTML a cell shows: its source if markdown, its rich outputs if code."""
    if cell.cell_type == "markdown":
        return [source(cell)]
    texts = []
    for output in cell.get("outputs", []):
        for mime in ("text/markdown", "text/html"):
            value = output.get("data", {}).get(mime)
            if value:
                texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def _colab_beside(target: str, targets: list[str]) -> bool:
    """Whether ``target`` names another notebook of the course and a Colab link to that
    notebook stands in the same text (``tools.cells.notebook_link``)."""
    if not NOTEBOOK_FILE.match(target):
        return False
    return any(
        other.startswith(COLAB_PREFIX) and other.endswith(f"/notebooks/{target}")
        for other in targets
    )


def standalone_problems(notebook) -> list[str]:
    """Links and images that would break when the notebook is opened without the repository.

    A relative link to another notebook of the course is fine with that notebook's Colab link
    beside it: the one works in JupyterLab, the other on Colab and GitHub.
    """
    problems = []
    for number, cell in enumerate(notebook.cells):
        for text in _shown_text(cell):
            targets = links_in(text)
            for target in targets:
                scheme = urlsplit(target).scheme
                if target.startswith("#") or scheme in STANDALONE_SCHEMES:
                    continue
                if _colab_beside(target, targets):
                    continue
                problems.append(
                    f"cell {number}: {target!r} needs the repository beside the notebook"
                    " (use an attachment, or an absolute URL generated from course.toml)"
                )
    return problems
