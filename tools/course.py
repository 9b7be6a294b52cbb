"""Generate and check everything that surrounds the notebooks, from course.toml.

    python -m tools.course generate   # write README syllabus, index, headers, navigation
    python -m tools.course check      # list what is stale or broken; exit status 1 if any

``course.toml`` (the manifest) is the single source of truth for the order of the notebooks,
their titles, summaries, objectives, estimated times and prerequisites, and for the GitHub
repository that the Colab badges point at. From it, ``generate`` writes:

- the syllabus table in README.md, between ``<!-- syllabus:start -->`` and
  ``<!-- syllabus:end -->``;
- ``notebooks/00_index.ipynb``, the course's front page in JupyterLab;
- in every notebook that exists: a header cell first (marker ``<!-- course:header -->``:
  title, Colab badge, summary, time, prerequisites, objectives), a Colab install cell right
  after it (marker ``# course:colab-install``) and a navigation cell last (marker
  ``<!-- course:nav -->``). A notebook's own "## What you will learn" section is folded into
  the header, so the objectives appear once, as the manifest states them;
- the slide type of every cell (``metadata.slideshow.slide_type``), for ``make slides``:
  headings start a slide, a paragraph after code starts a sub-slide with the code and output
  it introduces, exercises appear as fragments, generated install and navigation cells are
  skipped.

Generated cells are found again by their markers and rewritten in place, so running
``generate`` twice changes nothing the second time. ``check`` fails if any of this is stale,
if a notebook exists that the manifest lacks or the reverse, or if a relative link, image or
badge URL in the README or a notebook does not point at a file in the repository.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

from tools import fileio

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = "course.toml"
INDEX = "00_index.ipynb"
COURSE_TITLE = "Convolutional neural networks with Keras 3"

HEADER_MARKER = "<!-- course:header -->"
INSTALL_MARKER = "# course:colab-install"
NAV_MARKER = "<!-- course:nav -->"
INDEX_MARKER = "<!-- course:index -->"
SYLLABUS_START = "<!-- syllabus:start -->"
SYLLABUS_END = "<!-- syllabus:end -->"
OBJECTIVES_HEADING = "## What you will learn"

BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_PREFIX = "https://colab.research.google.com/github/"
PACKAGE = "cnn-course-helpers"
NOTEBOOK_FILE = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
# A prerequisite that starts with a notebook of the course, e.g. "02_first_convnet.ipynb (...)".
PREREQUISITE_NOTEBOOK = re.compile(r"^(\d\d_[a-z0-9_]+\.ipynb)\b(.*)$", re.DOTALL)
# What run_notebooks.normalise writes, so the index needs no execution to look the same.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "name": "python",
    "pygments_lexer": "ipython3",
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "version": "3.11",
}


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Notebook:
    """One [[notebook]] entry of the manifest."""

    file: str
    title: str
    summary: str
    minutes: int
    prerequisites: tuple[str, ...]
    objectives: tuple[str, ...]

    @property
    def number(self) -> str:
        return self.file[:2]

    @property
    def name(self) -> str:
        """The file name without ``.ipynb``, as ``helpers.setup`` takes it."""
        return self.file.removesuffix(".ipynb")

    @property
    def label(self) -> str:
        return f"{self.number} · {self.title}"


@dataclass(frozen=True)
class Course:
    github: str
    ref: str
    notebooks: tuple[Notebook, ...]
    # Minutes each notebook computes in full mode, from the last benchmark run (if any).
    run_minutes: tuple[tuple[str, float], ...] = ()
    # Per notebook, the line saying where its stored training outputs come from (the
    # reference run, `make reference`), if that run stored them.
    provenance: tuple[tuple[str, str], ...] = ()

    def measured_run_minutes(self, notebook: Notebook) -> float | None:
        return dict(self.run_minutes).get(notebook.name)

    def provenance_note(self, notebook: Notebook) -> str | None:
        return dict(self.provenance).get(notebook.name)

    def github_url(self, path: str) -> str:
        """A file of the repository on GitHub (``path`` relative to the repository root)."""
        return f"https://github.com/{self.github}/blob/{self.ref}/{path}"

    def notebook_url(self, file: str) -> str:
        """Where a link to another notebook points: its GitHub page, which works from Colab
        and from a notebook opened alone (the page has the notebook's Colab badge), and which
        `make html` turns back into a link to its own page of that notebook."""
        return self.github_url(f"notebooks/{file}")

    def colab_url(self, file: str) -> str:
        return f"{COLAB_PREFIX}{self.github}/blob/{self.ref}/notebooks/{file}"

    def install_url(self) -> str:
        """Where the Colab install cell gets helpers: the course repository at ``ref``."""
        return f"git+https://github.com/{self.github}@{self.ref}"

    def install_spec(self) -> str:
        return f"{PACKAGE} @ {self.install_url()}"

    def find(self, file: str) -> Notebook | None:
        return next((nb for nb in self.notebooks if nb.file == file), None)


class ManifestError(ValueError):
    """course.toml is missing something or holds a value of the wrong kind."""


def _field(entry: dict, key: str, kind: type, where: str):
    if key not in entry:
        raise ManifestError(f"{where}: missing {key!r}")
    value = entry[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ManifestError(f"{where}.{key}: got {value!r}, expected a {kind.__name__}")
    return value


def _strings(entry: dict, key: str, where: str, lowest: int, highest: int) -> tuple[str, ...]:
    values = _field(entry, key, list, where)
    if not lowest <= len(values) <= highest:
        raise ManifestError(
            f"{where}.{key}: got {len(values)} items, expected {lowest} to {highest}"
        )
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ManifestError(f"{where}.{key}: got {value!r}, expected non-empty text")
    return tuple(values)


BENCHMARK_RESULTS = Path("benchmarks") / "results.json"
BENCHMARK_RESULTS_PAGE = "benchmarks/results.md"


def benchmark_run_minutes(path: Path) -> tuple[tuple[str, float], ...]:
    """Per notebook, the minutes it computes in full mode, from ``make bench``'s results.

    Training time is projected to the full dataset where the benchmark trained on a subset;
    the rest of the wall time is taken as measured. Empty when there is no results file.
    """
    if not path.is_file():
        return ()
    rows = []
    for row in json.loads(path.read_text(encoding="utf-8")).get("notebooks", []):
        if row.get("error") or row.get("wall_seconds") is None:
            continue
        training = row.get("training_seconds") or 0
        projected = row.get("projected_full_training_seconds")
        seconds = row["wall_seconds"] - training + (training if projected is None else projected)
        rows.append((row["notebook"], round(seconds / 60, 1)))
    return tuple(rows)


def benchmark_provenance(path: Path) -> tuple[tuple[str, str], ...]:
    """Per notebook, the provenance line the reference run wrote into results.json."""
    if not path.is_file():
        return ()
    rows = json.loads(path.read_text(encoding="utf-8")).get("notebooks", [])
    return tuple((row["notebook"], row["provenance"]) for row in rows if row.get("provenance"))


def load_manifest(root: Path = ROOT) -> Course:
    """Read and validate ``course.toml``; every error names the entry and key at fault."""
    with open(root / MANIFEST, "rb") as handle:
        data = tomllib.load(handle)
    repository = data.get("repository")
    if not isinstance(repository, dict):
        raise ManifestError("[repository]: missing; it needs github and ref")
    github = _field(repository, "github", str, "repository")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", github):
        raise ManifestError(f"repository.github: got {github!r}, expected 'owner/name'")
    ref = _field(repository, "ref", str, "repository")
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", ref):
        raise ManifestError(f"repository.ref: got {ref!r}, expected a branch or tag name")
    entries = data.get("notebook")
    if not isinstance(entries, list) or not entries:
        raise ManifestError("[[notebook]]: none found, expected one entry per notebook")
    notebooks = []
    for position, entry in enumerate(entries, start=1):
        where = f"notebook[{position}]"
        file = _field(entry, "file", str, where)
        match = NOTEBOOK_FILE.match(file)
        if not match or int(match.group(1)) != position:
            raise ManifestError(
                f"{where}.file: got {file!r}, expected '{position:02d}_some_name.ipynb'"
                " (numbered in manifest order)"
            )
        minutes = _field(entry, "minutes", int, where)
        if minutes <= 0:
            raise ManifestError(f"{where}.minutes: got {minutes}, expected a positive number")
        unknown = set(entry) - {
            "file", "title", "summary", "minutes", "prerequisites", "objectives"
        }
        if unknown:
            raise ManifestError(f"{where}: unknown keys {sorted(unknown)}")
        notebooks.append(
            Notebook(
                file=file,
                title=_field(entry, "title", str, where),
                summary=_field(entry, "summary", str, where),
                minutes=minutes,
                prerequisites=_strings(entry, "prerequisites", where, 0, 10),
                objectives=_strings(entry, "objectives", where, 3, 5),
            )
        )
    course = Course(
        github=github,
        ref=ref,
        notebooks=tuple(notebooks),
        run_minutes=benchmark_run_minutes(root / BENCHMARK_RESULTS),
        provenance=benchmark_provenance(root / BENCHMARK_RESULTS),
    )
    for notebook in course.notebooks:
        for prerequisite in notebook.prerequisites:
            match = PREREQUISITE_NOTEBOOK.match(prerequisite)
            if match and course.find(match.group(1)) is None:
                raise ManifestError(
                    f"{notebook.file}.prerequisites: got {prerequisite!r}, expected a"
                    " notebook listed in the manifest"
                )
    return course


# --------------------------------------------------------------------------- text


def colab_badge(course: Course, file: str) -> str:
    return f"[![Open In Colab]({BADGE_IMAGE})]({course.colab_url(file)})"


def _prerequisite_text(course: Course, prerequisite: str) -> str:
    """A prerequisite as markdown: a leading notebook file becomes a link to it."""
    match = PREREQUISITE_NOTEBOOK.match(prerequisite)
    notebook = course.find(match.group(1)) if match else None
    if notebook is None:
        return prerequisite
    return f"[{notebook.label}]({course.notebook_url(notebook.file)}){match.group(2)}"


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
    # pip runs in a subprocess, not through IPython's %pip: that magic ends with "you may need
    # to restart the kernel", which is never needed here (helpers is not imported yet) and
    # sends learners restarting for nothing. pip's own output is shown only if it fails.
    return (
        f"{INSTALL_MARKER}\n"
        "# On Google Colab, install the course's helpers package (with its quick-mode data\n"
        "# samples) from the course repository. Anywhere else this cell does nothing: there,\n"
        "# `make lab` has installed helpers already.\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    from importlib.metadata import version\n"
        "\n"
        f'    source = "{course.install_url()}"\n'
        f'    command = ["pip", "install", "--quiet", f"{PACKAGE} @ {{source}}"]\n'
        "    pip = subprocess.run(\n"
        "        [sys.executable, \"-m\", *command], capture_output=True, text=True, check=False\n"
        "    )\n"
        "    if pip.returncode != 0:\n"
        '        raise RuntimeError(f"{\' \'.join(command)} failed:\\n{pip.stdout}{pip.stderr}")\n'
        f'    print(f"Installed {PACKAGE} {{version(\'{PACKAGE}\')}} from {{source}}")'
    )


def nav_source(course: Course, notebook: Notebook) -> str:
    position = course.notebooks.index(notebook)
    parts = []
    if position > 0:
        previous = course.notebooks[position - 1]
        parts.append(f"[← {previous.label}]({course.notebook_url(previous.file)})")
    parts.append(f"[Course index]({course.notebook_url(INDEX)})")
    if position + 1 < len(course.notebooks):
        following = course.notebooks[position + 1]
        parts.append(f"[{following.label} →]({course.notebook_url(following.file)})")
    else:
        parts.append("end of the course")
    return f"{NAV_MARKER}\n\n---\n\n" + " · ".join(parts)


def syllabus_table(course: Course, link_prefix: str | None) -> str:
    """The table of notebooks; ``link_prefix=None`` links each title to its GitHub page."""
    rows = [
        "| # | Notebook | What it covers | Time | Colab |",
        "|---|---|---|---|---|",
    ]
    for notebook in course.notebooks:
        rows.append(
            f"| {notebook.number} | [{notebook.title}]("
            + (
                course.notebook_url(notebook.file)
                if link_prefix is None
                else f"{link_prefix}{notebook.file}"
            )
            + ")"
            f" | {notebook.summary} | {notebook.minutes} min"
            f" | {colab_badge(course, notebook.file)} |"
        )
    total = sum(notebook.minutes for notebook in course.notebooks)
    rows.append("")
    rows.append(
        f"About {total // 60} h {total % 60:02d} min in all. Times are estimates for one"
        " sitting in full mode on a laptop CPU."
    )
    return "\n".join(rows)


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
    """The markdown cells of notebooks/00_index.ipynb."""
    first = course.notebooks[0]
    return [
        f"{INDEX_MARKER}\n"
        f"# {COURSE_TITLE}\n\n"
        "A hands-on introduction to convolutional neural networks (convnets), the models"
        " behind most of today's image recognition. Over seven notebooks you start from a"
        " plain dense network on handwritten digits, build convolution and pooling layers"
        " up from what they compute, count every parameter, rebuild a classic architecture,"
        " design filters by hand on real photos, and finish with a deeper network on"
        " clothing images trained within a laptop's CPU budget.\n\n"
        "Each notebook is one sitting. It opens with what you will learn and how long it"
        " takes, says before each code cell what to look for in its output, and ends with"
        " the key points and exercises whose solutions stay hidden until you ask for them."
        " You need Python and NumPy; notebook 01 explains how a network learns (loss,"
        " gradients, gradient descent) before it trains one.",
        "## The notebooks\n\n"
        f"{syllabus_table(course, None)}\n\n"
        f"Start with [{first.label}]({course.notebook_url(first.file)}).",
        "## Running the course\n\n"
        "**On your own machine** (Linux or macOS with Python 3.11): in the course folder,"
        " run `make lab`. The first time, it creates a virtual environment in `.venv`,"
        " installs the pinned packages and the course's `helpers` package, then opens"
        " JupyterLab on this page. `make test` runs the whole test suite.\n\n"
        "**On Google Colab:** click a notebook's *Open in Colab* badge. The notebook's first"
        " code cell installs `helpers` from the course repository (it does nothing outside"
        " Colab), and the cell after it sets the notebook up as usual.\n\n"
        "Every notebook starts with `course = helpers.setup(...)`: it fixes the random"
        " seeds, sets up TensorFlow and Matplotlib, and prints the versions in use and the"
        " mode it runs in.",
        "## Quick mode\n\n"
        "Quick mode is for slow laptops and for the course's automatic tests. It changes two"
        " things: the data loaders return small samples that ship with `helpers` (2,000"
        " training and 500 test images per dataset) instead of the full datasets, and"
        " every training cell runs the fewer epochs that `helpers.training_epochs` chooses,"
        " printing how many. Turn it on with the environment variable `CNN_COURSE_QUICK=1`,"
        " or with `helpers.set_quick_mode(True)` in a notebook before its setup cell."
        " Accuracies in quick mode are lower than the ones the notebooks discuss: the"
        " models see far less data for less time.",
        "## For teachers\n\n"
        "- `python -m helpers.data prefetch` downloads and verifies both datasets on a"
        " connected machine, for a classroom without internet;"
        " `python -m helpers.data where` says where each dataset would be loaded from.\n"
        "- `make slides` renders every notebook as reveal.js slides that work offline"
        " (`_build/slides`); `make html` renders the course as static web pages"
        " (`_build/html`).\n"
        "- The order, titles, objectives and times of the notebooks live in `course.toml`;"
        " `make course` regenerates this page, the README table and each notebook's header"
        " and navigation from it.",
    ]


# --------------------------------------------------------------------------- notebooks


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _is_header(cell) -> bool:
    return cell.cell_type == "markdown" and _source(cell).startswith(HEADER_MARKER)


def _is_install(cell) -> bool:
    return cell.cell_type == "code" and _source(cell).startswith(INSTALL_MARKER)


def _is_nav(cell) -> bool:
    return cell.cell_type == "markdown" and _source(cell).startswith(NAV_MARKER)


def _generated(cell) -> bool:
    return _is_header(cell) or _is_install(cell) or _is_nav(cell)


def fold_objectives(text: str) -> str:
    """Remove an author's "## What you will learn" section (up to the next heading)."""
    lines = text.splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.strip().lower().startswith(OBJECTIVES_HEADING.lower()):
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


def slide_types(cells) -> list[str]:
    """A reveal.js slide type for every cell (see the module docstring for the rules)."""
    types = []
    previous = None  # the last cell that is shown on a slide
    in_exercises = False
    for cell in cells:
        text = _source(cell)
        level = _heading_level(text) if cell.cell_type == "markdown" else 0
        if _is_install(cell) or _is_nav(cell):
            types.append("skip")
            continue
        if level:
            in_exercises = "exercise" in text.lower().split("\n", 1)[0]
        if _is_header(cell) or level in (1, 2):
            kind = "slide"
        elif level:
            kind = "subslide"
        elif in_exercises:
            kind = "fragment"
        elif cell.cell_type == "markdown" and previous is not None and (
            previous.cell_type == "code" or _is_header(previous)
        ):
            kind = "subslide"
        else:
            kind = "-"
        types.append(kind)
        previous = cell
    return types


def _new_cell(kind: str, source: str, cell_id: str):
    cell = (
        nbformat.v4.new_code_cell(source)
        if kind == "code"
        else nbformat.v4.new_markdown_cell(source)
    )
    cell["id"] = cell_id  # fixed ids: regenerating never changes a notebook's bytes
    return cell


def apply_to_notebook(notebook, course: Course, entry: Notebook) -> bool:
    """Insert or refresh the generated cells and slide types; True if anything changed."""
    before = json.dumps(notebook.cells, sort_keys=True)
    found = {"header": None, "install": None, "nav": None}
    content = []
    for cell in notebook.cells:
        for key, test in (("header", _is_header), ("install", _is_install), ("nav", _is_nav)):
            if test(cell):
                found[key] = found[key] or cell  # a duplicate is dropped
                break
        else:
            if cell.cell_type == "markdown" and OBJECTIVES_HEADING.lower() in _source(
                cell
            ).lower():
                folded = fold_objectives(_source(cell))
                if not folded.strip():
                    continue
                cell.source = folded
            content.append(cell)

    wanted = {
        "header": ("markdown", header_source(course, entry), "course-header"),
        "install": ("code", install_source(course), "course-colab-install"),
        "nav": ("markdown", nav_source(course, entry), "course-nav"),
    }
    for key, (kind, source, cell_id) in wanted.items():
        cell = found[key]
        if cell is None:
            found[key] = _new_cell(kind, source, cell_id)
        elif _source(cell) != source:
            cell.source = source
            if kind == "code":
                # Outputs of an older version are stale. The count stays: outside Colab the
                # cell prints nothing whatever its version, and the counts stay in order.
                cell.outputs = []
    cells = [found["header"], found["install"], *content, found["nav"]]
    for cell, kind in zip(cells, slide_types(cells), strict=True):
        cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
    notebook.cells = cells
    return json.dumps(notebook.cells, sort_keys=True) != before


def index_notebook(course: Course):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    sources = index_sources(course)
    notebook.cells = [
        _new_cell("markdown", source, f"course-index-{position}")
        for position, source in enumerate(sources, start=1)
    ]
    for cell, kind in zip(notebook.cells, slide_types(notebook.cells), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return notebook


def _cells_for_comparison(notebook) -> list:
    return [
        (cell.cell_type, _source(cell), json.dumps(cell.metadata, sort_keys=True))
        for cell in notebook.cells
    ]


# --------------------------------------------------------------------------- links

_FENCED = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_PATTERNS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)"),  # [text](target) and ![alt](target)
    re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.MULTILINE),  # [label]: target
    re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']"""),  # HTML
)


def links_in(markdown: str) -> list[str]:
    """Every link and image target in a markdown text, outside code."""
    text = _INLINE_CODE.sub("", _FENCED.sub("", markdown))
    return [match for pattern in _LINK_PATTERNS for match in pattern.findall(text)]


def check_link(target: str, source_file: Path, course: Course, root: Path) -> str | None:
    """Why ``target`` (a link in ``source_file``) is broken, or None if it is fine."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        if target.startswith(COLAB_PREFIX):
            match = re.fullmatch(
                r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/(.+)",
                target,
            )
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
        repo_prefix = f"https://github.com/{course.github}/"
        if target.startswith(repo_prefix):
            match = re.fullmatch(r"(?:blob|tree)/([^/]+)/(.+)", target[len(repo_prefix):])
            if match and not (root / unquote(match.group(2).split("#")[0])).exists():
                return f"GitHub URL names {match.group(2)}, which is not in the repository"
        return None
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


# --------------------------------------------------------------------------- commands


def existing_notebooks(root: Path) -> list[str]:
    return sorted(
        path.name
        for path in (root / "notebooks").glob("[0-9][0-9]_*.ipynb")
        if path.name != INDEX
    )


def read_readme(root: Path) -> str:
    readme = root / "README.md"
    return readme.read_text(encoding="utf-8") if readme.exists() else ""


def updated_readme(text: str, course: Course) -> str:
    """README text with the syllabus section replaced (appended if the markers are absent)."""
    section = readme_section(course)
    pattern = re.compile(re.escape(SYLLABUS_START) + r".*?" + re.escape(SYLLABUS_END), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: section, text, count=1)
    separator = "\n\n" if text.strip() else ""
    return text.rstrip("\n") + separator + "## Syllabus\n\n" + section + "\n"


def generate(root: Path = ROOT) -> list[str]:
    """Write every generated part; return the files that changed."""
    course = load_manifest(root)
    changed = []
    readme = root / "README.md"
    text = read_readme(root)
    new_text = updated_readme(text, course)
    if new_text != text:
        fileio.write_text(readme, new_text)
        changed.append("README.md")

    index_path = root / "notebooks" / INDEX
    index = index_notebook(course)
    if not index_path.exists() or _cells_for_comparison(
        nbformat.read(index_path, as_version=4)
    ) != _cells_for_comparison(index):
        index_path.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_notebook(index, index_path)
        changed.append(f"notebooks/{INDEX}")

    for entry in course.notebooks:
        path = root / "notebooks" / entry.file
        if not path.exists():
            continue
        notebook = nbformat.read(path, as_version=4)
        # Both run: `or` would skip embedding when the generated cells changed.
        if any([apply_to_notebook(notebook, course, entry), embed_images(notebook, entry, root)]):
            fileio.write_notebook(notebook, path)
            changed.append(f"notebooks/{entry.file}")
    return changed


STALE = "stale: run `make course` (python -m tools.course generate)"


def check_inventory(course: Course, root: Path = ROOT) -> list[str]:
    """Notebooks on disk that the manifest lacks, and manifest entries with no notebook."""
    listed = [entry.file for entry in course.notebooks]
    present = existing_notebooks(root)
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


def check_readme(course: Course, root: Path = ROOT) -> list[str]:
    text = read_readme(root)
    if text.count(SYLLABUS_START) != 1 or text.count(SYLLABUS_END) != 1:
        return [f"README.md: expected one {SYLLABUS_START} ... {SYLLABUS_END} section"]
    if updated_readme(text, course) != text:
        return [f"README.md: syllabus {STALE}"]
    return []


def check_index(course: Course, root: Path = ROOT) -> list[str]:
    index_path = root / "notebooks" / INDEX
    if not index_path.exists():
        return [f"notebooks/{INDEX}: missing; run `make course`"]
    stored = _cells_for_comparison(nbformat.read(index_path, as_version=4))
    if stored != _cells_for_comparison(index_notebook(course)):
        return [f"notebooks/{INDEX}: {STALE}"]
    return []


def check_notebooks(course: Course, root: Path = ROOT) -> list[str]:
    """Notebooks whose header, install, navigation cells or slide types are out of date."""
    problems = []
    for entry in course.notebooks:
        path = root / "notebooks" / entry.file
        if path.exists():
            notebook = nbformat.read(path, as_version=4)
            if apply_to_notebook(copy.deepcopy(notebook), course, entry):
                problems.append(f"notebooks/{entry.file}: header, navigation or slides {STALE}")
    return problems


def check_links(course: Course, root: Path = ROOT) -> list[str]:
    """Links, images and badges in README.md and every notebook's markdown that lead nowhere."""
    text = read_readme(root)
    documents = [(root / "README.md", text)] if text else []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        markdown = [_source(cell) for cell in notebook.cells if cell.cell_type == "markdown"]
        documents.append((path, "\n\n".join(markdown)))
    problems = []
    for path, markdown in documents:
        for target in links_in(markdown):
            reason = check_link(target, path, course, root)
            if reason:
                problems.append(f"{path.relative_to(root)}: link {target!r}: {reason}")
    return problems


# --------------------------------------------------------------------------- standalone
# Colab opens one .ipynb from GitHub without the rest of the repository, so what a notebook
# shows must travel inside it: figures as cell attachments, links as absolute URLs.

ATTACHMENT_MIME = {".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg",
                   ".jpeg": "image/jpeg"}
# ![alt](target) in markdown; the target is a relative path or attachment:NAME.
_IMAGE_LINK = re.compile(r"(!\[[^\]]*\]\(\s*<?)([^)\s>]+)")
# Schemes that need nothing beside the notebook.
STANDALONE_SCHEMES = ("http", "https", "attachment", "mailto", "data")


def figures_folder(entry: Notebook, root: Path = ROOT) -> Path:
    """Where a notebook's explanatory figures live (drawn by tools/make_figures.py)."""
    return root / "images" / entry.name


def _attachment_data(path: Path) -> dict:
    return {ATTACHMENT_MIME[path.suffix.lower()]: base64.b64encode(path.read_bytes()).decode()}


def wanted_attachments(cell, entry: Notebook, root: Path = ROOT) -> tuple[str, dict]:
    """A markdown cell's source with images/<notebook>/ links as attachments, and their data.

    ``![alt](../images/02_first_convnet/x.png)`` becomes ``![alt](attachment:x.png)``; an
    ``attachment:x.png`` link takes its data from ``images/02_first_convnet/x.png`` (kept
    current when the figure is re-drawn). Other attachments (pasted in by hand, with no
    file behind them) are kept as they are.
    """
    folder = figures_folder(entry, root)
    attachments = {}

    def replace(match: re.Match) -> str:
        prefix, target = match.groups()
        if target.startswith("attachment:"):
            name = unquote(target.removeprefix("attachment:"))
        elif urlsplit(target).scheme or target.startswith("#"):
            return match.group(0)
        else:
            path = (root / "notebooks" / unquote(target)).resolve()
            if path.parent != folder.resolve():
                return match.group(0)  # not one of this notebook's figures: left to check
            name = path.name
        figure = folder / name
        if figure.is_file() and figure.suffix.lower() in ATTACHMENT_MIME:
            attachments[name] = _attachment_data(figure)
            return f"{prefix}attachment:{name}"
        if name in (cell.get("attachments") or {}):
            attachments[name] = cell["attachments"][name]
        return match.group(0)

    source = _IMAGE_LINK.sub(replace, _source(cell))
    return source, attachments


def embed_images(notebook, entry: Notebook, root: Path = ROOT) -> bool:
    """Embed every figure a notebook's markdown shows as a cell attachment; True if changed."""
    changed = False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        source, attachments = wanted_attachments(cell, entry, root)
        if source != _source(cell):
            cell.source = source
            changed = True
        if attachments != (cell.get("attachments") or {}):
            if attachments:
                cell["attachments"] = attachments
            else:
                cell.pop("attachments", None)
            changed = True
    return changed


def check_attachments(course: Course, root: Path = ROOT) -> list[str]:
    """Figures linked by path instead of embedded, and attachments stale or unused."""
    problems = []
    for entry in course.notebooks:
        path = root / "notebooks" / entry.file
        if not path.exists():
            continue
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type != "markdown":
                continue
            where = f"notebooks/{entry.file}: cell {number}"
            source, attachments = wanted_attachments(cell, entry, root)
            stored = cell.get("attachments") or {}
            if source != _source(cell):
                problems.append(f"{where}: figure linked by path, not embedded; {STALE}")
            referenced = set(re.findall(r"\(\s*<?attachment:([^)\s>]+)", source))
            for name in sorted(set(stored) - {unquote(n) for n in referenced}):
                problems.append(f"{where}: attachment {name!r} is not shown; {STALE}")
            for name, data in sorted(attachments.items()):
                if name in stored and stored[name] != data:
                    problems.append(
                        f"{where}: attachment {name!r} differs from"
                        f" images/{entry.name}/{name}; {STALE}"
                    )
            for name in sorted({unquote(n) for n in referenced} - set(stored)):
                problems.append(f"{where}: attachment {name!r} is shown but not stored")
    return problems


def _shown_text(cell) -> list[str]:
    """Markdown and HTML a cell shows: its source if markdown, its rich outputs if code."""
    if cell.cell_type == "markdown":
        return [_source(cell)]
    texts = []
    for output in cell.get("outputs", []):
        for mime in ("text/markdown", "text/html"):
            value = output.get("data", {}).get(mime)
            if value:
                texts.append("".join(value) if isinstance(value, list) else value)
    return texts


def standalone_problems(notebook) -> list[str]:
    """Links and images that would break when the notebook is opened without the repository."""
    problems = []
    for number, cell in enumerate(notebook.cells):
        for text in _shown_text(cell):
            for target in links_in(text):
                scheme = urlsplit(target).scheme
                if target.startswith("#") or scheme in STANDALONE_SCHEMES:
                    continue
                problems.append(
                    f"cell {number}: {target!r} needs the repository beside the notebook"
                    " (use an attachment, or an absolute URL generated from course.toml)"
                )
    return problems


def check_standalone(root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}: {problem}"
        for path in sorted((root / "notebooks").glob("*.ipynb"))
        for problem in standalone_problems(nbformat.read(path, as_version=4))
    ]


def check(root: Path = ROOT) -> list[str]:
    """Every problem found, one line each; an empty list means all is well."""
    from tools import (
        solutions,  # tools/solutions.py: exercise solutions rendered into the notebooks
    )

    try:
        course = load_manifest(root)
    except (ManifestError, OSError, tomllib.TOMLDecodeError) as error:
        return [f"{MANIFEST}: {error}"]
    return [
        *check_inventory(course, root),
        *check_readme(course, root),
        *check_index(course, root),
        *check_notebooks(course, root),
        *check_links(course, root),
        *check_attachments(course, root),
        *check_standalone(root),
        *solutions.check(root),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["generate", "check"])
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "generate":
        changed = generate(args.root)
        for name in changed:
            print(f"updated {name}")
        if not changed:
            print("everything generated from course.toml is up to date")
        missing = [
            entry.file
            for entry in load_manifest(args.root).notebooks
            if not (args.root / "notebooks" / entry.file).exists()
        ]
        if missing:
            print(f"not written yet (skipped): {', '.join(missing)}")
        return 0
    problems = check(args.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("course.toml, README, index, headers, navigation and links: all consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
