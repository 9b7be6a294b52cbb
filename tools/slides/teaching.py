"""The lecturer's pages (``teaching/<stem>.md``) as HTML beside the decks, for the slides index.

Each page says how long each section takes, which cells to run live, where learners stumble
and which exercises to set. They are markdown in the repository (readable on GitHub too);
``make slides`` renders them into ``_build/slides/teaching/<stem>.html``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from tools import fileio
from tools.course import ROOT

TEACHING = ROOT / "teaching"
STYLE = (
    "body { font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.55;"
    " padding: 0 1em; } table { border-collapse: collapse; } td, th { border: 1px solid #bbb;"
    " padding: 0.2em 0.5em; vertical-align: top; } code { background: #f2f2f2; }"
)


def page_path(stem: str, folder: Path = TEACHING) -> Path:
    return folder / f"{stem}.md"


def render(markdown_text: str, title: str) -> str:
    """A standalone HTML page of one lecturer's page."""
    from nbconvert.filters.markdown import markdown2html_mistune

    body = markdown2html_mistune(markdown_text)
    # Links to notebooks and decks: from the site's teaching/ folder to its decks.
    body = re.sub(
        r'href="\.\./notebooks/([^"/]+)\.ipynb"', r'href="../notebooks/\1.slides.html"', body
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<p><a href="../index.html">← all decks</a></p>\n{body}\n</body>\n</html>\n'
    )


def build(stems: list[str], site: Path, folder: Path = TEACHING) -> dict[str, str]:
    """Render the lecturer's page of every stem that has one; {stem: link from the index}."""
    links = {}
    for stem in stems:
        source = page_path(stem, folder)
        if not source.is_file():
            continue
        text = source.read_text(encoding="utf-8")
        match = re.search(r"^# (.+)$", text, re.MULTILINE)
        title = match.group(1) if match else stem
        fileio.write_text(site / "teaching" / f"{stem}.html", render(text, title))
        links[stem] = f"teaching/{stem}.html"
    return links
