"""Generate and check everything that surrounds the notebooks, from course.toml.

    python -m tools.course generate          # write README syllabus, index, headers, navigation
    python -m tools.course generate --test   # the same writes, into temporary files only
    python -m tools.course check             # one report of all that disagrees; exit 1 if any

``generate`` runs the steps of ``tools.generate``: (1) the README syllabus, (2) the index
notebook, (3) each notebook's header, Colab install cell, navigation, slide types and
embedded figures. ``check`` prints the one report of ``tools.consistency``: manifest and
notebooks agree, generated parts current, links resolve, notebooks stand alone, solutions
rendered, fingerprints current, prose numbers equal their outputs.

The manifest (``course.toml``) is the single source of truth for the order of the notebooks,
their titles, summaries, objectives, estimated times and prerequisites, and for the GitHub
repository that the Colab badges point at (``tools.manifest``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools import consistency, fileio
from tools.cells import install_source
from tools.generate import generate
from tools.layout import INDEX, ROOT, notebook_folder
from tools.manifest import (
    BADGE_IMAGE,
    COLAB_PREFIX,
    COURSE_TITLE,
    PACKAGE,
    Course,
    load_manifest,
)

# Other tools import these from here (build_html, build_slides, compat).
__all__ = [
    "BADGE_IMAGE", "COLAB_PREFIX", "COURSE_TITLE", "INDEX", "PACKAGE", "ROOT", "Course",
    "check", "generate", "install_source", "load_manifest", "main",
]


def check(root: Path = ROOT) -> list[str]:
    """Every problem found, one line each; an empty list means all is well."""
    return consistency.problems(root)


def _generate(root: Path, verb: str = "updated") -> None:
    changed = generate(root)
    for name in changed:
        print(f"{verb} {name}")
    if not changed:
        print("everything generated from course.toml is up to date")
    missing = [
        entry.file
        for entry in load_manifest(root).notebooks
        if not (notebook_folder(root) / entry.file).exists()
    ]
    if missing:
        print(f"not written yet (skipped): {', '.join(missing)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["generate", "check"])
    parser.add_argument(
        "--test", action="store_true", help="generate: write temporary files only, then remove"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "generate":
        if args.test:
            with fileio.dry_run():
                _generate(args.root, "would update (written to a temporary file, removed)")
        else:
            _generate(args.root)
        return 0
    problems = check(args.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("course.toml, README, index, headers, navigation, links, solutions, stored outputs"
          " and prose numbers: all consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
