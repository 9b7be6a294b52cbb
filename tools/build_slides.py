"""Render every notebook as reveal.js slides that work offline, into _build/slides.

    python -m tools.build_slides                      # every notebook
    python -m tools.build_slides notebooks/02_*.ipynb --out /tmp/slides

Which cell goes on which slide is set in each notebook's cell metadata
(``slideshow.slide_type``) by ``tools/course.py generate``: headings start slides, a
paragraph after code starts a sub-slide (press the down arrow), exercises come in as
fragments, and the Colab install and navigation cells are skipped.

reveal.js, require.js, jQuery and MathJax come from the npm packages in package.json (run
``npm ci`` once, or let this script do it) and are copied next to the decks, so a lecture
hall without internet shows the same slides:

    _build/slides/index.html                        the list of decks
    _build/slides/notebooks/NN_name.slides.html     one deck per notebook
    _build/slides/reveal.js/  vendor/  images/      everything the decks load
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import time
from pathlib import Path

from tools import fileio
from tools.build_html import (
    ensure_node_modules,
    exporter_settings,
    notebook_paths,
    prepare_site,
    read_for_export,
    rewrite_links,
)
from tools.course import COURSE_TITLE, INDEX, ROOT, load_manifest

SUFFIX = ".slides.html"


def copy_reveal(site: Path) -> None:
    """The parts of the reveal.js package that a deck loads: dist/ and plugin/."""
    package = ensure_node_modules() / "reveal.js"
    for part in ("dist", "plugin"):
        shutil.copytree(package / part, site / "reveal.js" / part, dirs_exist_ok=True)
    shutil.copy2(package / "LICENSE", site / "reveal.js" / "LICENSE")


def index_page(decks: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="notebooks/{html.escape(file)}">{html.escape(title)}</a></li>'
        for file, title in decks
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(COURSE_TITLE)}: slides</title>\n"
        "<style>body { font-family: sans-serif; max-width: 40em; margin: 3em auto;"
        " line-height: 1.6; }</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(COURSE_TITLE)}: slides</h1>\n"
        "<p>One deck per notebook. Arrow keys move between slides (down for the details of"
        " a section); <kbd>Esc</kbd> shows an overview; <kbd>s</kbd> opens speaker notes.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def slides_exporter():
    from nbconvert import SlidesExporter

    return SlidesExporter(
        **exporter_settings("course_reveal"),
        reveal_url_prefix="../reveal.js",
        reveal_theme="white",
        reveal_transition="none",  # calmer for a lecture; slides change instantly
        reveal_number="c/t",
        jquery_url="../vendor/jquery.min.js",
    )


def deck_html(path: Path, course, exporter=None) -> str:
    """The deck of one notebook as HTML text (with its links rewritten for the site)."""
    exporter = exporter or slides_exporter()
    notebook = read_for_export(path, course, execute=False)
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem}})
    return rewrite_links(body, course, SUFFIX)


def build(paths: list[Path], site: Path) -> list[Path]:
    """Render ``paths`` as decks into ``site``; return the decks written."""
    course = load_manifest()
    copy_reveal(site)
    decks_dir = prepare_site(site)
    exporter = slides_exporter()
    written = []
    for path in paths:
        start = time.perf_counter()
        deck = decks_dir / f"{path.stem}{SUFFIX}"
        fileio.write_text(deck, deck_html(path, course, exporter))
        written.append(deck)
        print(f"{deck.relative_to(site)}: {deck.stat().st_size / 1e6:.1f} MB"
              f" in {time.perf_counter() - start:.1f} s", flush=True)
    # The front page lists every deck present, including ones built by earlier runs.
    titles = {f"{Path(entry.file).stem}{SUFFIX}": entry.label for entry in course.notebooks}
    titles[f"{Path(INDEX).stem}{SUFFIX}"] = f"00 · {COURSE_TITLE}"
    decks = sorted(deck.name for deck in decks_dir.glob(f"*{SUFFIX}"))
    fileio.write_text(
        site / "index.html", index_page([(name, titles.get(name, name)) for name in decks])
    )
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "slides")
    args = parser.parse_args()
    build(notebook_paths(args.notebooks), args.out.resolve())
    print(f"Open {args.out.resolve() / 'index.html'} in a browser (works offline).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
