"""python -m tools.editions <student|instructor|nbgrader|links>: see tools/editions/__init__.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.course import ROOT
from tools.editions import links, nbgrader_course, student

BUILD = "_build"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.editions", description=__doc__)
    parser.add_argument("edition", choices=["student", "instructor", "nbgrader", "links"])
    parser.add_argument("--out", type=Path, help="output folder (default: _build/<edition>)")
    parser.add_argument(
        "--hub", help="links: the JupyterHub's address, e.g. https://hub.example.edu"
    )
    parser.add_argument(
        "--data", help="nbgrader: a folder with mnist.npz etc. the grading kernel should use"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = args.out or args.root / BUILD / ("" if args.edition == "links" else args.edition)
    if args.edition in ("student", "instructor"):
        written = student.build(args.root, out, args.edition)
    elif args.edition == "nbgrader":
        written = nbgrader_course.build(args.root, out, data=args.data)
    else:
        try:
            written = links.build(args.root, out, args.hub)
        except ValueError as error:
            parser.error(str(error))
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
