"""One report of everything that must agree across the repository (``make course`` checks).

``problems(root)`` runs every check below and collects what each finds into one list, one
line per problem (an empty list: all consistent). The checks, in order:

1. the manifest reads (``tools.manifest``), and it lists the notebooks on disk, no more;
2. generated parts: README syllabus, index notebook, each notebook's header, Colab install
   cell, navigation and slide types are what ``tools.generate`` would write;
3. links: every link, image and badge leads somewhere (``tools.links``), and no notebook
   needs the repository beside it (figures embedded, ``tools.attachments``);
4. solutions: the code in the notebooks is that of ``solutions/`` (``tools.solutions``);
5. fingerprints: each stored reference output still matches its code and ``helpers``;
6. prose numbers: each marked number equals the output it names, and no run-dependent
   figure stands in the prose unmarked (``tools.reference_outputs``);
7. figures quoted from the last reference run (``from-results`` markers: in the notebooks,
   ``benchmarks/README.md`` and the lecturer's pages) equal ``benchmarks/results.json``
   (``tools.results_quotes``).
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

from tools import (
    attachments,
    cells,
    generate,
    links,
    notebook_io,
    reference_outputs,
    results_quotes,
    solutions,
)
from tools.layout import INDEX, ROOT, lessons, notebook_folder
from tools.manifest import MANIFEST, Course, ManifestError, load_manifest

STALE = attachments.STALE


def inventory_problems(course: Course, root: Path = ROOT) -> list[str]:
    """Notebooks on disk that the manifest lacks, and manifest entries with no notebook."""
    listed = [entry.file for entry in course.notebooks]
    present = [path.name for path in lessons(notebook_folder(root))]
    problems = [
        f"notebooks/{file}: not listed in {MANIFEST}"
        for file in sorted(set(present) - set(listed))
    ]
    problems += [
        f"{MANIFEST}: lists {file}, which is not in notebooks/"
        for file in listed
        if file not in present
    ]
    return problems


def readme_problems(course: Course, root: Path = ROOT) -> list[str]:
    text = generate.read_readme(root)
    start, end = cells.SYLLABUS_START, cells.SYLLABUS_END
    if text.count(start) != 1 or text.count(end) != 1:
        return [f"README.md: expected one {start} ... {end} section"]
    if generate.updated_readme(text, course) != text:
        return [f"README.md: syllabus {STALE}"]
    return []


def index_problems(course: Course, root: Path = ROOT) -> list[str]:
    path = notebook_folder(root) / INDEX
    if not path.exists():
        return [f"notebooks/{INDEX}: missing; run `make course`"]
    stored = generate.cells_for_comparison(notebook_io.read(path))
    if stored != generate.cells_for_comparison(generate.index_notebook(course)):
        return [f"notebooks/{INDEX}: {STALE}"]
    return []


def _lessons(course: Course, root: Path):
    """(manifest entry, notebook) for every notebook of the manifest that exists."""
    for entry in course.notebooks:
        path = notebook_folder(root) / entry.file
        if path.exists():
            yield entry, notebook_io.read(path)


def generated_cell_problems(course: Course, root: Path = ROOT) -> list[str]:
    """Notebooks whose header, install, navigation cells or slide types are out of date."""
    return [
        f"notebooks/{entry.file}: header, navigation or slides {STALE}"
        for entry, notebook in _lessons(course, root)
        if generate.apply_to_notebook(copy.deepcopy(notebook), course, entry)
    ]


def embedding_problems(course: Course, root: Path = ROOT) -> list[str]:
    return [
        problem
        for entry, notebook in _lessons(course, root)
        for problem in attachments.attachment_problems(notebook, entry, root)
    ]


def standalone_problems(root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}: {problem}"
        for path in sorted(notebook_folder(root).glob("*.ipynb"))
        for problem in links.standalone_problems(notebook_io.read(path))
    ]


def stored_output_problems(course: Course, root: Path = ROOT) -> list[str]:
    """Stale fingerprints, prose numbers that differ from their output, unmarked figures."""
    problems = []
    for entry, notebook in _lessons(course, root):
        where = f"notebooks/{entry.file}"
        stale = reference_outputs.stale_cells(notebook, root)
        if stale:
            problems.append(reference_outputs.describe_stale(where, stale))
        problems += [f"{where}: {p}" for p in reference_outputs.prose_problems(notebook)]
        if entry.name in reference_outputs.QUOTING_RESULTS:
            problems += [
                f"{where}: unmarked figure {p}"
                for p in reference_outputs.unmarked_figures(notebook)
            ]
    return problems


def results_quote_problems(course: Course, root: Path = ROOT) -> list[str]:
    """Figures quoted from the last reference run that differ from ``results.json``."""
    results = results_quotes.load(root)
    return [
        *(f"notebooks/{entry.file}: {problem}"
          for entry, notebook in _lessons(course, root)
          for problem in results_quotes.notebook_problems(notebook, results)),
        *results_quotes.page_problems(root),
    ]


def problems(root: Path = ROOT) -> list[str]:
    """Every problem found (checks 1 to 6 above), one line each; empty if all is well."""
    try:
        course = load_manifest(root)
    except (ManifestError, OSError, tomllib.TOMLDecodeError) as error:
        return [f"{MANIFEST}: {error}"]
    return [
        *inventory_problems(course, root),
        *readme_problems(course, root),
        *index_problems(course, root),
        *generated_cell_problems(course, root),
        *links.link_problems(course, root),
        *embedding_problems(course, root),
        *standalone_problems(root),
        *solutions.check(root),
        *stored_output_problems(course, root),
        *results_quote_problems(course, root),
    ]
