"""Render every notebook as reveal.js slides for a lecture room, offline, into _build/slides.

    python -m tools.build_slides                      # every notebook
    python -m tools.build_slides notebooks/02_*.ipynb --out /tmp/slides

The notebooks are not changed: a copy of each becomes the deck's cells at build time
(``tools/slides/deck.py``). Every heading starts a slide, wherever it sits in a cell; a
slide shows the heading, the figures, the code and the first sentences of the prose, and
the rest of the text goes into the slide's speaker notes (press ``s``); long outputs are
shortened; exercises come in as fragments; solutions are never shown; the Colab install and
navigation cells (``slide_type`` "skip", set by ``tools/course.py generate``) are left out.
The template (``tools/templates/course_reveal/``) draws a 16:9 canvas of 1280x720 and fits
every slide to it, so nothing lies below the fold (``python -m tools.slides.walk`` checks).

reveal.js (with its notes plugin), require.js, jQuery and MathJax come from the npm packages
in package.json (run ``npm ci`` once, or let this script do it) and are copied next to the
decks, so a lecture hall without internet shows the same slides:

    _build/slides/index.html                        the list of decks and lecturer's pages
    _build/slides/notebooks/NN_name.slides.html     one deck per notebook
    _build/slides/teaching/NN_name.html             the lecturer's page (teaching/NN_name.md)
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
from tools.slides import teaching
from tools.slides.deck import lecture_notebook

SUFFIX = ".slides.html"


def copy_reveal(site: Path) -> None:
    """The parts of the reveal.js package that a deck loads: dist/ and plugin/."""
    package = ensure_node_modules() / "reveal.js"
    for part in ("dist", "plugin"):
        shutil.copytree(package / part, site / "reveal.js" / part, dirs_exist_ok=True)
    shutil.copy2(package / "LICENSE", site / "reveal.js" / "LICENSE")


def index_page(decks: list[tuple[str, str]], teaching: dict[str, str] | None = None) -> str:
    """The front page: every deck, with its lecturer's page beside it when there is one."""
    teaching = teaching or {}
    items = []
    for file, title in decks:
        stem = file.removesuffix(SUFFIX)
        page = teaching.get(stem)
        extra = f' · <a href="{html.escape(page)}">lecturer\'s page</a>' if page else ""
        items.append(f'<li><a href="notebooks/{html.escape(file)}">{html.escape(title)}</a>'
                     f"{extra}</li>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(COURSE_TITLE)}: slides</title>\n"
        "<style>body { font-family: sans-serif; max-width: 40em; margin: 3em auto;"
        " line-height: 1.6; }</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(COURSE_TITLE)}: slides</h1>\n"
        "<p>One deck per notebook, and for each notebook a lecturer's page: timing, cells to"
        " run live, where learners stumble, exercises to set. In a deck, arrow keys move"
        " between slides (down for the details of a section); <kbd>Esc</kbd> shows an"
        " overview; <kbd>s</kbd> opens the speaker view with the notes (the notebook's text"
        " that is not on the slide); <kbd>f</kbd> goes full screen.</p>\n"
        f"<ul>\n{chr(10).join(items)}\n</ul>\n</body>\n</html>\n"
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
    notebook = lecture_notebook(read_for_export(path, course, execute=False))
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
    pages = teaching.build([name.removesuffix(SUFFIX) for name in decks], site)
    fileio.write_text(
        site / "index.html",
        index_page([(name, titles.get(name, name)) for name in decks], pages),
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
