"""Write every part generated from course.toml into the README and the notebooks.

``generate(root)`` runs these steps and returns the files it changed:

1. README.md: the syllabus section between ``<!-- syllabus:start -->`` and
   ``<!-- syllabus:end -->`` (appended if the markers are absent);
2. ``notebooks/00_index.ipynb``, the course's front page (``templates/index.md``);
3. in every notebook that exists: the header cell first, the Colab install cell after it, the
   navigation cell last (found again by their markers and rewritten in place; a notebook's own
   "## What you will learn" section is folded into the header), the slide type of every cell
   (``metadata.slideshow.slide_type``, for ``make slides``), and every figure of
   ``images/<notebook>/`` it shows embedded as a cell attachment (``tools.attachments``);
4. the figures of the last reference run quoted between ``from-results`` markers, in the
   notebooks, ``benchmarks/README.md`` and the lecturer's pages (``tools.results_quotes``).

Slide types: headings start a slide, a paragraph after code starts a sub-slide with the code
and output it introduces, exercises appear as fragments, the generated install and navigation
cells are skipped. Running ``generate`` twice changes nothing the second time; every file is
replaced atomically (``tools.fileio``, ``tools.notebook_io``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tools import attachments, cells, fileio, notebook_io, results_quotes
from tools.layout import INDEX, ROOT, notebook_folder
from tools.manifest import Course, Notebook, load_manifest
from tools.markdown import source

OBJECTIVES = cells.OBJECTIVES_HEADING


def is_header(cell) -> bool:
    return cell.cell_type == "markdown" and source(cell).startswith(cells.HEADER_MARKER)


def is_install(cell) -> bool:
    return cell.cell_type == "code" and source(cell).startswith(cells.INSTALL_MARKER)


def is_nav(cell) -> bool:
    return cell.cell_type == "markdown" and source(cell).startswith(cells.NAV_MARKER)


def fold_objectives(text: str) -> str:
    """Remove an author's "## What you will learn" section (up to the next heading)."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.strip().lower().startswith(OBJECTIVES.lower()):
            skipping = True
            continue
        if skipping and re.match(r"#{1,6}\s", line):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _heading_level(text: str) -> int:
    """The level of the first markdown heading of a cell, ignoring HTML comments; 0 if none."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).lstrip()
    match = re.match(r"(#{1,6})\s", text)
    return len(match.group(1)) if match else 0


def slide_types(notebook_cells) -> list[str]:
    """A reveal.js slide type for every cell (see the module docstring for the rules)."""
    types = []
    previous = None  # the last cell that is shown on a slide
    in_exercises = False
    for cell in notebook_cells:
        text = source(cell)
        level = _heading_level(text) if cell.cell_type == "markdown" else 0
        if is_install(cell) or is_nav(cell):
            types.append("skip")
            continue
        if level:
            in_exercises = "exercise" in text.lower().split("\n", 1)[0]
        if is_header(cell) or level in (1, 2):
            kind = "slide"
        elif level:
            kind = "subslide"
        elif in_exercises:
            kind = "fragment"
        elif cell.cell_type == "markdown" and previous is not None and (
            previous.cell_type == "code" or is_header(previous)
        ):
            kind = "subslide"
        else:
            kind = "-"
        types.append(kind)
        previous = cell
    return types


def _split(notebook) -> tuple[dict, list]:
    """The generated cells found (the first of each kind) and the author's cells."""
    found = {"header": None, "install": None, "nav": None}
    content = []
    for cell in notebook.cells:
        for key, test in (("header", is_header), ("install", is_install), ("nav", is_nav)):
            if test(cell):
                found[key] = found[key] or cell  # a duplicate is dropped
                break
        else:
            if cell.cell_type == "markdown" and OBJECTIVES.lower() in source(cell).lower():
                folded = fold_objectives(source(cell))
                if not folded.strip():
                    continue
                cell.source = folded
            content.append(cell)
    return found, content


def apply_to_notebook(notebook, course: Course, entry: Notebook) -> bool:
    """Insert or refresh the generated cells and slide types; True if anything changed."""
    before = json.dumps(notebook.cells, sort_keys=True)
    found, content = _split(notebook)
    wanted = {
        "header": ("markdown", cells.header_source(course, entry)),
        "install": ("code", cells.install_source(course)),
        "nav": ("markdown", cells.nav_source(course, entry)),
    }
    for key, (kind, text) in wanted.items():
        cell = found[key]
        if cell is None:
            found[key] = notebook_io.new_cell(kind, text)
        elif source(cell) != text:
            cell.source = text
            if kind == "code":
                # Outputs of an older version are stale. The count stays: outside Colab the
                # cell prints nothing whatever its version, and the counts stay in order.
                cell.outputs = []
    ordered = [found["header"], found["install"], *content, found["nav"]]
    for cell, kind in zip(ordered, slide_types(ordered), strict=True):
        cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
    notebook.cells = ordered
    return json.dumps(notebook.cells, sort_keys=True) != before


def index_notebook(course: Course):
    index_cells = [notebook_io.new_cell("markdown", text) for text in cells.index_sources(course)]
    for cell, kind in zip(index_cells, slide_types(index_cells), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return notebook_io.new_notebook(index_cells)


def cells_for_comparison(notebook) -> list:
    """What makes two index notebooks the same page: each cell's kind, text and metadata."""
    return [
        (cell.cell_type, source(cell), json.dumps(cell.metadata, sort_keys=True))
        for cell in notebook.cells
    ]


def read_readme(root: Path) -> str:
    readme = root / "README.md"
    return readme.read_text(encoding="utf-8") if readme.exists() else ""


def updated_readme(text: str, course: Course) -> str:
    """README text with the syllabus section replaced (appended if the markers are absent)."""
    section = cells.readme_section(course)
    pattern = re.compile(
        re.escape(cells.SYLLABUS_START) + r".*?" + re.escape(cells.SYLLABUS_END), re.DOTALL
    )
    if pattern.search(text):
        return pattern.sub(lambda _: section, text, count=1)
    separator = "\n\n" if text.strip() else ""
    return text.rstrip("\n") + separator + "## Syllabus\n\n" + section + "\n"


def _generate_readme(course: Course, root: Path) -> list[str]:
    text = read_readme(root)
    new_text = updated_readme(text, course)
    if new_text == text:
        return []
    fileio.write_text(root / "README.md", new_text)
    return ["README.md"]


def _generate_index(course: Course, root: Path) -> list[str]:
    path = notebook_folder(root) / INDEX
    index = index_notebook(course)
    if path.exists() and cells_for_comparison(notebook_io.read(path)) == cells_for_comparison(
        index
    ):
        return []
    notebook_io.write(index, path)
    return [f"notebooks/{INDEX}"]


def _generate_lessons(course: Course, root: Path) -> list[str]:
    changed, results = [], results_quotes.load(root)
    for entry in course.notebooks:
        path = notebook_folder(root) / entry.file
        if not path.exists():
            continue
        notebook = notebook_io.read(path)
        # Both run: `or` would skip embedding when the generated cells changed.
        updates = [
            apply_to_notebook(notebook, course, entry),
            attachments.embed_images(notebook, entry, root),
            results_quotes.fill_notebook(notebook, results),
        ]
        if any(updates):
            notebook_io.write(notebook, path)
            changed.append(f"notebooks/{entry.file}")
    return changed


def generate(root: Path = ROOT) -> list[str]:
    """Write every generated part (steps 1 to 3 above); return the files that changed."""
    course = load_manifest(root)
    return [
        *_generate_readme(course, root),
        *_generate_index(course, root),
        *_generate_lessons(course, root),
        *results_quotes.fill_pages(root),
    ]
