"""course.toml, read and validated: the order, titles and prerequisites of the notebooks.

``load_manifest(root)`` returns a ``Course``; every error names the entry and key at fault
(``ManifestError``). The course also carries what the last benchmark run measured per notebook
(its computing time, the provenance line of its stored outputs), read from
``benchmarks/results.json`` when that file exists.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tools.layout import INDEX, NOTEBOOK_FILE, ROOT

MANIFEST = "course.toml"
COURSE_TITLE = "Convolutional neural networks with Keras 3"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_PREFIX = "https://colab.research.google.com/github/"
PACKAGE = "cnn-course-helpers"
# A prerequisite that starts with a notebook of the course, e.g. "02_first_convnet.ipynb (...)".
PREREQUISITE_NOTEBOOK = re.compile(r"^(\d\d_[a-z0-9_]+\.ipynb)\b(.*)$", re.DOTALL)
BENCHMARK_RESULTS = Path("benchmarks") / "results.json"
BENCHMARK_RESULTS_PAGE = "benchmarks/results.md"
ENTRY_KEYS = {"file", "title", "summary", "minutes", "prerequisites", "objectives"}

__all__ = [
    "BADGE_IMAGE", "COLAB_PREFIX", "COURSE_TITLE", "INDEX", "MANIFEST", "PACKAGE", "ROOT",
    "Course", "ManifestError", "Notebook", "load_manifest",
]


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


def read_results(path: Path) -> dict | None:
    """The reference run's results (``benchmarks/results.json``), or None without the file."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def benchmark_run_minutes(path: Path) -> tuple[tuple[str, float], ...]:
    """Per notebook, the minutes it computes in full mode, from ``make bench``'s results.

    Training time is projected to the full dataset where the benchmark trained on a subset;
    the rest of the wall time is taken as measured. Empty when there is no results file.
    """
    results = read_results(path)
    if results is None:
        return ()
    rows = []
    for row in results.get("notebooks", []):
        if row.get("error") or row.get("wall_seconds") is None:
            continue
        training = row.get("training_seconds") or 0
        projected = row.get("projected_full_training_seconds")
        seconds = row["wall_seconds"] - training + (training if projected is None else projected)
        rows.append((row["notebook"], round(seconds / 60, 1)))
    return tuple(rows)


def benchmark_provenance(path: Path) -> tuple[tuple[str, str], ...]:
    """Per notebook, the provenance line the reference run wrote into results.json."""
    results = read_results(path)
    rows = [] if results is None else results.get("notebooks", [])
    return tuple((row["notebook"], row["provenance"]) for row in rows if row.get("provenance"))


def _repository(data: dict) -> tuple[str, str]:
    repository = data.get("repository")
    if not isinstance(repository, dict):
        raise ManifestError("[repository]: missing; it needs github and ref")
    github = _field(repository, "github", str, "repository")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", github):
        raise ManifestError(f"repository.github: got {github!r}, expected 'owner/name'")
    ref = _field(repository, "ref", str, "repository")
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", ref):
        raise ManifestError(f"repository.ref: got {ref!r}, expected a branch or tag name")
    return github, ref


def _notebook(entry: dict, position: int) -> Notebook:
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
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown keys {sorted(unknown)}")
    return Notebook(
        file=file,
        title=_field(entry, "title", str, where),
        summary=_field(entry, "summary", str, where),
        minutes=minutes,
        prerequisites=_strings(entry, "prerequisites", where, 0, 10),
        objectives=_strings(entry, "objectives", where, 3, 5),
    )


def _check_prerequisites(course: Course) -> None:
    for notebook in course.notebooks:
        for prerequisite in notebook.prerequisites:
            match = PREREQUISITE_NOTEBOOK.match(prerequisite)
            if match and course.find(match.group(1)) is None:
                raise ManifestError(
                    f"{notebook.file}.prerequisites: got {prerequisite!r}, expected a"
                    " notebook listed in the manifest"
                )


def load_manifest(root: Path = ROOT) -> Course:
    """Read and validate ``course.toml``; every error names the entry and key at fault."""
    with open(root / MANIFEST, "rb") as handle:
        data = tomllib.load(handle)
    github, ref = _repository(data)
    entries = data.get("notebook")
    if not isinstance(entries, list) or not entries:
        raise ManifestError("[[notebook]]: none found, expected one entry per notebook")
    course = Course(
        github=github,
        ref=ref,
        notebooks=tuple(_notebook(entry, n) for n, entry in enumerate(entries, start=1)),
        run_minutes=benchmark_run_minutes(root / BENCHMARK_RESULTS),
        provenance=benchmark_provenance(root / BENCHMARK_RESULTS),
    )
    _check_prerequisites(course)
    return course
