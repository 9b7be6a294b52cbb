"""Render the exercise solutions into the notebooks, and check that the two agree.

    python -m tools.solutions render [stem ...]   # write each solution's code into its notebook
    python -m tools.solutions render --test      # the same writes, temporary files only
    python -m tools.solutions check               # list what is missing or stale; exit 1 if any

The code of every exercise solution lives in ``solutions/<notebook stem>/exercise_<k>.py``
(for example ``solutions/04_lenet5/exercise_3.py``): plain Python that runs in the notebook's
kernel after the notebook's last cell. The tests run each of these files there in quick mode
(``conftest.py`` at the top of the repository), so a solution that breaks fails ``make test``.

The notebook keeps the prose of the solution inside its ``<details>`` block, and the code
goes between two marker lines, which ``render`` fills with a fenced Python block:

    <!-- solution: exercise_1 -->
    ```python
    ...the code of solutions/05_handmade_filters/exercise_1.py...
    ```
    <!-- /solution -->

So: to change a solution, edit its file and run ``render``; never edit the code in the
notebook. ``check`` (also part of ``python -m tools.course check`` and the tests) reports a marker
without a file, a file without a marker, and code in a notebook that differs from its file.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from pathlib import Path

import nbformat

from tools import fileio, notebook_io
from tools.layout import ROOT, lessons, notebook_folder

SOLUTION_FILE = re.compile(r"^exercise_(\d+)\.py$")
OPENING = re.compile(r"^<!-- solution: (\S+) -->$", re.MULTILINE)
BLOCK = re.compile(
    r"^<!-- solution: (?P<name>exercise_\d+) -->\n(?P<code>.*?)^<!-- /solution -->$",
    re.DOTALL | re.MULTILINE,
)
RENDER = "run `python -m tools.solutions render`"


def solution_files(root: Path, stem: str) -> dict[str, Path]:
    """{"exercise_1": path, ...} for one notebook, in exercise order."""
    folder = root / "solutions" / stem
    found = [
        (int(match.group(1)), path)
        for path in folder.glob("exercise_*.py")
        if (match := SOLUTION_FILE.match(path.name))
    ]
    return {path.stem: path for _, path in sorted(found)}


def fenced(code: str) -> str:
    return "```python\n" + code.strip("\n") + "\n```\n"


def rendered(notebook: nbformat.NotebookNode, files: dict[str, Path]) -> bool:
    """Fill every marker block of the notebook whose file exists; True if anything changed."""

    def fill(match: re.Match) -> str:
        path = files.get(match["name"])
        if path is None:  # check() reports it; leave the text as it is
            return match[0]
        code = fenced(path.read_text(encoding="utf-8"))
        return f"<!-- solution: {match['name']} -->\n{code}<!-- /solution -->"

    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = BLOCK.sub(fill, cell.source)
            changed |= source != cell.source
            cell.source = source
    return changed


def notebook_paths(root: Path) -> dict[str, Path]:
    return {path.stem: path for path in lessons(notebook_folder(root))}


def render(root: Path = ROOT, stems: list[str] | None = None) -> list[str]:
    """Write solutions into their notebooks; return the notebooks that changed."""
    notebooks = notebook_paths(root)
    unknown = sorted(set(stems or []) - set(notebooks))
    if unknown:
        raise SystemExit(f"no notebook named {', '.join(unknown)} in notebooks/")
    changed = []
    for stem in stems or notebooks:
        notebook = notebook_io.read(notebooks[stem])
        if rendered(notebook, solution_files(root, stem)):
            notebook_io.write(notebook, notebooks[stem])
            changed.append(f"notebooks/{notebooks[stem].name}")
    return changed


def check(root: Path = ROOT) -> list[str]:
    """Every disagreement between solutions/ and the notebooks, one line each."""
    notebooks = notebook_paths(root)
    problems = [
        f"solutions/{folder.name}/: no notebook notebooks/{folder.name}.ipynb"
        for folder in sorted((root / "solutions").glob("*/"))
        if folder.is_dir() and folder.name not in notebooks and folder.name != "__pycache__"
    ]
    for stem, path in notebooks.items():
        notebook = notebook_io.read(path)
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        files = solution_files(root, stem)
        where = f"notebooks/{path.name}"
        opened = OPENING.findall(markdown)
        blocks = [match["name"] for match in BLOCK.finditer(markdown)]
        if len(opened) != len(blocks):
            problems.append(
                f"{where}: {len(opened)} '<!-- solution: … -->' line(s) but "
                f"{len(blocks)} complete block(s); names must be exercise_<k>, "
                "each block closed by '<!-- /solution -->'"
            )
        problems += [
            f"{where}: '{name}' appears more than once"
            for name in sorted({n for n in blocks if blocks.count(n) > 1})
        ]
        problems += [
            f"{where}: marker '{name}' has no file solutions/{stem}/{name}.py"
            for name in blocks
            if name not in files
        ]
        problems += [
            f"solutions/{stem}/{name}.py: no '<!-- solution: {name} -->' in {where}"
            for name in files
            if name not in blocks
        ]
        if rendered(notebook, files):
            problems.append(f"{where}: rendered solution code is stale; {RENDER}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["render", "check"])
    parser.add_argument("stems", nargs="*", help="notebook stems, e.g. 05_handmade_filters")
    parser.add_argument(
        "--test", action="store_true", help="render: write temporary files only, then remove"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "render":
        with fileio.dry_run() if args.test else contextlib.nullcontext():
            changed = render(args.root, args.stems)
        print("\n".join(f"updated {name}" for name in changed) or "every solution is up to date")
        return 0
    problems = check(args.root)
    print("\n".join(problems) or "solutions and notebooks agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
