"""The text of every generated part, from the manifest: header, Colab install cell,
navigation, the syllabus table (README and index) and the index page's cells.

Pure functions of a ``Course``: nothing here reads or writes a notebook (``tools.generate``
does). The index prose and the install cell are template files in ``tools/templates/``.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from tools.layout import INDEX
from tools.manifest import (
    BADGE_IMAGE,
    BENCHMARK_RESULTS_PAGE,
    COURSE_TITLE,
    PACKAGE,
    PREREQUISITE_NOTEBOOK,
    Course,
    Notebook,
)
from tools.markdown import table

HEADER_MARKER = "<!-- course:header -->"
INSTALL_MARKER = "# course:colab-install"
NAV_MARKER = "<!-- course:nav -->"
INDEX_MARKER = "<!-- course:index -->"
SYLLABUS_START = "<!-- syllabus:start -->"
SYLLABUS_END = "<!-- syllabus:end -->"
OBJECTIVES_HEADING = "## What you will learn"
TEMPLATES = Path(__file__).resolve().parent / "templates"
INDEX_TEMPLATE = TEMPLATES / "index.md"
INSTALL_TEMPLATE = TEMPLATES / "colab_install.py"
CELL_SEPARATOR = "\n<!-- cell -->\n"


def colab_badge(course: Course, file: str) -> str:
    return f"[![Open In Colab]({BADGE_IMAGE})]({course.colab_url(file)})"


def notebook_link(course: Course, file: str, text: str) -> str:
    """A link to another notebook of the course, and its Colab badge beside it.

    The link is relative (``02_first_convnet.ipynb``): JupyterLab opens the local copy in the
    lab, nbviewer resolves it in the repository, and `make html` points it at the notebook's
    page. On Colab, and in GitHub's view of a notebook, a relative link leads nowhere, so the
    badge opens the notebook on Colab in one click (``tools.links`` checks it is there).
    """
    return f"[{text}]({file}) {colab_badge(course, file)}"


def _prerequisite_text(course: Course, prerequisite: str) -> str:
    """A prerequisite as markdown: a leading notebook file becomes a link to it."""
    match = PREREQUISITE_NOTEBOOK.match(prerequisite)
    notebook = course.find(match.group(1)) if match else None
    if notebook is None:
        return prerequisite
    return notebook_link(course, notebook.file, notebook.label) + match.group(2)


def run_time_note(course: Course, notebook: Notebook) -> str:
    """", of which about N min of computing in full mode", from the benchmark, or ""."""
    measured = course.measured_run_minutes(notebook)
    if measured is None:
        return ""
    rounded = round(measured)
    if measured < 1:
        amount = "under 1 minute"
    else:
        amount = f"about {rounded} minute{'s' if rounded != 1 else ''}"
    return (
        f", of which {amount} of computing in full mode on a 2-core CPU"
        f" ([measured]({course.github_url(BENCHMARK_RESULTS_PAGE)}))"
    )


def header_source(course: Course, notebook: Notebook) -> str:
    prerequisites = "; ".join(
        _prerequisite_text(course, item) for item in notebook.prerequisites
    ) or "none"
    objectives = "\n".join(f"- {objective}" for objective in notebook.objectives)
    provenance = course.provenance_note(notebook)  # where the stored training outputs came from
    provenance = f"{provenance}\n\n" if provenance else ""
    return (
        f"{HEADER_MARKER}\n"
        f"# {notebook.label}\n\n"
        f"{colab_badge(course, notebook.file)}\n\n"
        f"*{notebook.summary}*\n\n"
        f"**Estimated time:** about {notebook.minutes} minutes{run_time_note(course, notebook)}"
        f" · **Prerequisites:** {prerequisites}\n\n"
        f"{provenance}"
        f"{OBJECTIVES_HEADING}\n"
        f"{objectives}"
    )


def install_source(course: Course) -> str:
    """The Colab install cell (``templates/colab_install.py``) for this repository.

    pip runs in a subprocess, not through IPython's %pip: that magic ends with "you may need
    to restart the kernel", which is never needed here (helpers is not imported yet) and sends
    learners restarting for nothing. pip's own output is shown only if it fails.
    """
    template = Template(INSTALL_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(install_url=course.install_url(), package=PACKAGE).rstrip("\n")


def nav_source(course: Course, notebook: Notebook) -> str:
    position = course.notebooks.index(notebook)
    parts = []
    if position > 0:
        previous = course.notebooks[position - 1]
        parts.append(notebook_link(course, previous.file, f"← {previous.label}"))
    parts.append(notebook_link(course, INDEX, "Course index"))
    if position + 1 < len(course.notebooks):
        following = course.notebooks[position + 1]
        parts.append(notebook_link(course, following.file, f"{following.label} →"))
    else:
        parts.append("end of the course")
    return f"{NAV_MARKER}\n\n---\n\n" + " · ".join(parts)


def syllabus_table(course: Course, link_prefix: str) -> str:
    """The table of notebooks, each title linked to ``link_prefix`` + its file (relative)."""
    rows = []
    for notebook in course.notebooks:
        rows.append(
            [
                notebook.number,
                f"[{notebook.title}]({link_prefix}{notebook.file})",
                notebook.summary,
                f"{notebook.minutes} min",
                colab_badge(course, notebook.file),
            ]
        )
    lines = table(["#", "Notebook", "What it covers", "Time", "Colab"], "lllll", rows)
    total = sum(notebook.minutes for notebook in course.notebooks)
    lines += [
        "",
        f"About {total // 60} h {total % 60:02d} min in all. Times are estimates for one"
        " sitting in full mode on a laptop CPU.",
    ]
    return "\n".join(lines)


def readme_section(course: Course) -> str:
    return (
        f"{SYLLABUS_START}\n"
        "<!-- Generated from course.toml by `make course`; edit the manifest, not this table."
        " -->\n\n"
        f"{syllabus_table(course, 'notebooks/')}\n\n"
        f"The Colab badges open the notebooks from `{course.github}` on GitHub (branch"
        f" `{course.ref}`). A fork changes `github` (and `ref`) under `[repository]` in"
        " `course.toml`, then runs `make course`.\n"
        f"{SYLLABUS_END}"
    )


def index_sources(course: Course) -> list[str]:
    """The markdown cells of notebooks/00_index.ipynb (``templates/index.md``, filled in)."""
    first = course.notebooks[0]
    # The template's first part is a comment for its editors, not a cell.
    parts = INDEX_TEMPLATE.read_text(encoding="utf-8").split(CELL_SEPARATOR)[1:]
    values = {
        "course_title": COURSE_TITLE,
        "syllabus": syllabus_table(course, ""),
        "first_link": notebook_link(course, first.file, first.label),
    }
    return [Template(part.strip("\n")).substitute(values) for part in parts]
