"""Turn a copy of a notebook into the cells of a lecture deck (the notebook is not changed).

- Every heading starts a slide (``#`` and ``##``) or a sub-slide (``###`` and below), wherever
  it sits in a markdown cell: cells are cut at their headings.
- A slide shows the heading, the figures, tables and formulas, and the first sentence of each
  paragraph or list item, up to ``PROSE_BUDGET`` words. The section's whole text goes into the
  slide's speaker notes (a reveal.js ``<aside class="notes">``; press ``s``) when part of it
  is not on the slide, and such a slide carries a ``data-slide-moved`` marker.
- "Key points", "What you will learn" and "Exercises" keep every item on the slides, spread
  over as many sub-slides as the budget needs; exercises appear one by one (fragments). The
  solutions (``<details>`` blocks, see ``tools/solutions.py``) are never shown.
- Code stays on its slide with its outputs shortened (``tools/slides/outputs.py``). What
  does not fit the estimated height of a slide moves to a sub-slide: long code is cut at blank
  lines, a tall output goes under the code, a second figure gets a slide of its own.
- Cells that ``tools/course.py`` marks ``skip`` (the Colab install cell, the navigation)
  are left out.
"""

from __future__ import annotations

import copy
import re

import nbformat

from tools.slides import markdown as md
from tools.slides.outputs import output_height, slide_outputs

PROSE_BUDGET = 50  # words of prose a slide shows (the rest is in the speaker notes)
LIST_BUDGET = 60  # words per slide for the sections that keep every item
CAPACITY = 600  # estimated px of content a 1280x720 slide holds (the template shrinks the rest)
CODE_LINES = 20  # longest piece of code on one slide
HEIGHT = {"heading": 80, "prose_line": 40, "code_line": 27, "output_line": 24,
          "figure": 320, "math": 90, "cell": 30, "table_row": 42}
WORDS_PER_LINE = 12
BIG_TABLE_WORDS = 40  # a table with more words than this gets a slide of its own
COMPLETE = re.compile(r"key points|what you will learn|exercises?\b", re.IGNORECASE)
MOVED = '<span data-slide-moved="1"></span>'
HEADER_MARK = "<!-- course:header -->"


def _markdown_cell(source: str, kind: str, attachments=None):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["slideshow"] = {"slide_type": kind}
    if attachments:
        used = {name: data for name, data in attachments.items() if f"attachment:{name}" in source}
        if used:
            cell["attachments"] = used
    return cell


def _prose_height(text: str) -> int:
    return (md.words(text) // WORDS_PER_LINE + 1) * HEIGHT["prose_line"] + 12


class DeckBuilder:
    """Collects the deck's cells and an estimate of how full the current slide is."""

    def __init__(self) -> None:
        self.cells: list = []
        self.height = 0
        self.words = 0  # words of prose on the current slide
        self.title = ""  # the heading of the current section, for continuation slides
        self.last = None  # "markdown" or "code": what the current slide ended with

    def add(self, cell, kind: str, height: int) -> None:
        """Append a cell; ``kind`` "-" continues the slide unless it is too full."""
        if kind == "-" and self.cells and self.height + height > CAPACITY:
            self.continuation()
        elif kind in ("slide", "subslide") or not self.cells:
            self.height = self.words = 0
            kind = kind if kind != "-" else "slide"
        cell.metadata.setdefault("slideshow", {})["slide_type"] = kind
        self.cells.append(cell)
        self.height += height
        self.last = cell.cell_type

    def continuation(self) -> None:
        text = f'<p class="course-continued">{self.title} (continued)</p>' if self.title else ""
        self.cells.append(_markdown_cell(text or "&nbsp;", "subslide"))
        self.height = HEIGHT["heading"] // 2
        self.words = md.words(self.title)

    def notes(self, text: str) -> None:
        if text.strip():
            self.cells.append(_markdown_cell(text, "notes"))

    # ------------------------------------------------------------------ markdown
    def section(self, section: list[md.Block], attachments, header: bool,
                introduces: bool) -> None:
        """One heading and what follows it; ``introduces``: code comes next."""
        heading = section[0] if section[0].kind == "heading" else None
        body = section[1:] if heading else section
        if heading:
            self.title = re.sub(r"[*_`]", "", heading.text)
            kind = "slide" if heading.level <= 2 else "subslide"
            if COMPLETE.match(self.title) and not header:
                self.complete_section(heading, body, kind)
                return
        else:  # text after code starts a sub-slide with the code it introduces
            kind = "subslide" if self.last == "complete" or (
                self.last == "code" and introduces) else "-"
        shown, notes, moved, figures, after_table = [], [], False, 0, False
        if heading:
            shown.append("#" * heading.level + " " + heading.text)
        elif kind == "subslide":  # a new slide without a heading says where it belongs
            self.continuation_heading(shown)
        budget = PROSE_BUDGET - (self.words if kind == "-" else 0)
        if budget < 15:  # the slide has its share of text already: the rest goes on the next
            kind, budget = "subslide", PROSE_BUDGET
            if not shown:
                self.continuation_heading(shown)
        for block in body:
            if header and block.kind == "figure" and "colab" in block.text.lower():
                continue  # the Colab badge is for learners
            big_table = block.kind == "table" and md.words(block.text) > BIG_TABLE_WORDS
            if (big_table and len(shown) > 1) or (after_table and block.kind != "details"):
                # A table full of text gets a slide to itself, so it is not shrunk to fit.
                self.emit(shown, notes, moved, kind, attachments)
                shown, notes, moved, kind = [], [], False, "subslide"
                self.continuation_heading(shown)
                budget, figures = PROSE_BUDGET, 0
            after_table = big_table
            if block.kind in ("figure", "math", "table", "code"):
                figures += block.kind == "figure"
                if figures > 1:  # one figure per slide: the next one gets its own
                    self.emit(shown, notes, moved, kind, attachments)
                    shown, notes, moved, kind = [], [], False, "subslide"
                    self.continuation_heading(shown)
                    figures = 1
                shown.append(block.text)
            elif block.kind == "details":
                moved = True
            elif block.kind in ("quote", "paragraph", "list"):
                notes.append(block.text)
                # The title slide keeps the one-line summary only; a quote is an aside.
                aside = block.kind == "quote" or header and not _summary_line(block.text)
                text, used = (None, 0) if aside else _digest(block, budget)
                moved |= text != block.text
                budget -= used
                if text:
                    shown.append(text)
        self.emit(shown, notes, moved, kind, attachments)

    def continuation_heading(self, shown: list[str]) -> None:
        """A small "(continued)" line naming the section, for a slide that carries on."""
        if self.title:
            shown.append(f'<p class="course-continued">{self.title} (continued)</p>')

    def emit(self, shown, notes, moved, kind, attachments) -> None:
        text = "\n\n".join(shown)
        if not text.strip() and not moved:
            return
        if moved:
            text += "\n\n" + MOVED
        height = sum(
            HEIGHT["figure"] if md.IMAGE.search(part) else
            HEIGHT["math"] if part.startswith("$$") else
            HEIGHT["table_row"] * part.count("\n") if part.startswith("|") else
            HEIGHT["heading"] if part.startswith("#") else _prose_height(part)
            for part in shown
        )
        self.add(_markdown_cell(text, kind, attachments), kind, height)
        self.words += sum(md.words(part) for part in shown if not part.startswith("#"))
        if moved:
            self.notes("\n\n".join(notes) or "(The notebook has more here.)")

    def complete_section(self, heading: md.Block, body: list[md.Block], kind: str) -> None:
        """Key points, objectives, exercises: every item on a slide, spread over sub-slides."""
        exercises = "exercise" in self.title.lower()
        items, notes = [], []
        for block in body:
            if block.kind == "list":
                items += block.items
                notes.append(block.text)
            elif block.kind in ("paragraph", "quote"):
                notes.append(block.text)
                if not exercises or md.is_exercise(block):
                    items.append(block.text)
        title = "#" * heading.level + " " + heading.text
        groups: list[list[str]] = [[]]
        for item in items:
            short = md.lead(item, LIST_BUDGET if exercises else 30)
            short = item if md.words(short) == md.words(item) else short
            if groups[-1] and md.words(" ".join([*groups[-1], short])) > LIST_BUDGET:
                groups.append([])
            groups[-1].append(short)
        left_out = any(block.kind == "quote" or exercises and block.kind == "paragraph"
                       and not md.is_exercise(block) for block in body)
        moved = left_out or any(short not in items for group in groups for short in group)
        for number, group in enumerate(groups):
            label = title if len(groups) == 1 else f"{title} ({number + 1}/{len(groups)})"
            head = label + ("\n\n" + MOVED if moved else "")
            self.add(_markdown_cell(head, kind if number == 0 else "subslide"),
                     kind if number == 0 else "subslide", HEIGHT["heading"])
            if moved:
                self.notes("\n\n".join(notes))
            if exercises:
                for item in group:
                    self.cells.append(_markdown_cell(item, "fragment"))
            else:
                self.cells.append(_markdown_cell("\n".join(group), "-"))
        self.last = "complete"

    # ------------------------------------------------------------------ code
    def code(self, cell) -> None:
        cell = copy.deepcopy(cell)
        outputs = slide_outputs(cell.get("outputs", []))
        lines = cell.source.splitlines()
        pieces = _code_pieces(lines)
        for piece in pieces[:-1]:
            part = copy.deepcopy(cell)
            part.source, part.outputs = "\n".join(piece), []
            self.add(part, "-", len(piece) * HEIGHT["code_line"] + HEIGHT["cell"])
        cell.source = "\n".join(pieces[-1])
        code_height = len(pieces[-1]) * HEIGHT["code_line"] + HEIGHT["cell"]
        groups = _output_groups(outputs, CAPACITY - HEIGHT["heading"])
        first = groups[0] if groups else ([], 0)
        if code_height + first[1] <= CAPACITY:  # the code with its (first) output
            cell.outputs = first[0]
            self.add(cell, "-", code_height + first[1])
            groups = groups[1:]
        else:
            cell.outputs = []
            self.add(cell, "-", code_height)
        for shown, height in groups:  # the rest under the code, or on the next slides
            part = copy.deepcopy(cell)
            part.source, part.outputs = "", shown
            part.metadata["transient"] = {"remove_source": True}
            self.add(part, "-", height)


def _output_groups(outputs: list, limit: int) -> list[tuple[list, int]]:
    """Consecutive outputs packed into groups of at most ``limit`` estimated pixels."""
    groups: list[tuple[list, int]] = []
    for output in outputs:
        height = output_height(output)
        if groups and groups[-1][1] + height <= limit:
            groups[-1] = (groups[-1][0] + [output], groups[-1][1] + height)
        else:
            groups.append(([output], height))
    return groups


def _summary_line(text: str) -> bool:
    """The header's one-line summary: in italics (not bold), with no Colab badge."""
    return text.startswith("*") and not text.startswith("**") and "colab" not in text.lower()


def _digest(block: md.Block, budget: int) -> tuple[str | None, int]:
    """What a slide shows of a paragraph or list within ``budget`` words, and the words used:
    the block itself if it fits whole, else the first sentence(s) of each item in turn."""
    items = block.items if block.kind == "list" else [block.text]
    if md.words(block.text) <= min(budget, 30):
        return block.text, md.words(block.text)
    kept, used = [], 0
    for item in items:
        short = md.lead(item, min(budget - used, 30))
        if budget - used < 12 or not short or used + md.words(short) > budget:
            break
        kept.append(short)
        used += md.words(short)
    return ("\n".join(kept) or None), used


def _code_pieces(lines: list[str]) -> list[list[str]]:
    """Code cut into pieces of at most about ``CODE_LINES`` lines, each as long as it can be:
    at a blank line in the second half of a piece, else where a top-level statement starts."""
    if len(lines) <= CODE_LINES + 2:
        return [lines]
    longest = CODE_LINES + 2
    def usable(i: int) -> bool:  # not too long a piece, and no stub of a few lines after it
        return i <= longest and len(lines) - i >= 4

    blanks = [i for i, text in enumerate(lines) if not text.strip() and CODE_LINES // 2 <= i]
    cuts = [i for i in blanks if usable(i)] or [i for i in _statement_starts(lines) if usable(i)]
    if not cuts:
        return [lines]
    rest = lines[cuts[-1]:]
    while rest and not rest[0].strip():
        rest = rest[1:]
    return [lines[: cuts[-1]], *_code_pieces(rest)]


CLOSERS = (")", "]", "}", "else", "elif", "except", "finally")


def _statement_starts(lines: list[str]) -> list[int]:
    """Indices (4 or more) where a top-level statement starts: column 0, brackets closed."""
    starts, depth = [], 0
    for index, line in enumerate(lines):
        if (index >= 4 and depth == 0 and line[:1].strip() and not line.startswith(CLOSERS)
                and not lines[index - 1].startswith("#")):  # a comment stays with its code
            starts.append(index)
        code = re.sub(r"(\"[^\"]*\"|'[^']*')", "", line.split("#")[0])
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
    return starts


def _slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def lecture_notebook(notebook):
    """A new notebook whose cells are the deck's: slides, notes, fragments."""
    deck = copy.deepcopy(notebook)
    builder = DeckBuilder()
    shown = [cell for cell in notebook.cells if _slide_type(cell) != "skip"]
    next_kind = {id(cell): after.cell_type for cell, after in zip(shown, shown[1:], strict=False)}
    for cell in shown:
        if cell.cell_type == "markdown":
            header = HEADER_MARK in cell.source
            cut = md.sections(cell.source)
            for number, section in enumerate(cut):
                introduces = number == len(cut) - 1 and next_kind.get(id(cell)) == "code"
                builder.section(section, cell.get("attachments"), header, introduces)
                if section[0].kind == "heading":
                    header = False  # the header's "## What you will learn" is a section
        elif cell.cell_type == "code":
            builder.code(cell)
    for number, cell in enumerate(builder.cells):
        cell["id"] = f"slide-cell-{number}"  # unique, and the same at every build
    deck.cells = builder.cells
    return deck
