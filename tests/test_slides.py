"""The lecture decks: built from copies of the notebooks, checked slide by slide in Chromium.

Without a browser: headings anywhere in a cell start slides, long text goes to speaker notes
and no sentence of the notebook is lost, training logs are shortened, exercises are
fragments, solutions never reach a deck, and every notebook has a lecturer's page.

In headless Chromium (``tools/slides/walk.py``), every slide of every deck at 1280x720: its
content stays inside the slide (no part below the fold, no code scrolling sideways), no image
is broken, no console error, a slide whose text was moved to the notes has notes, and every
``##`` heading of the notebook starts a slide. A failure names the deck and the slide.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from tools import build_html, build_slides
from tools import course as course_tool
from tools.slides import deck as deck_tool
from tools.slides import markdown as md
from tools.slides import outputs, teaching, walk

ROOT = course_tool.ROOT
COURSE = course_tool.load_manifest()
NOTEBOOKS = [ROOT / "notebooks" / entry.file for entry in COURSE.notebooks]
SOLUTION = re.compile(r"<!-- solution: ")


def _notebook(*cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    return notebook


def _kinds(notebook) -> list[tuple[str, str]]:
    return [(cell.metadata["slideshow"]["slide_type"], cell.source) for cell in notebook.cells]


def test_a_heading_inside_a_cell_starts_a_slide_but_not_one_inside_code():
    source = "## One\nText.\n\n```python\n# not a heading\n```\n\n## Two\nMore.\n\n### Three"
    cut = md.sections(source)
    assert [section[0].text for section in cut] == ["One", "Two", "Three"]
    deck = deck_tool.lecture_notebook(_notebook(nbformat.v4.new_markdown_cell(source)))
    starts = [(kind, text.split("\n")[0]) for kind, text in _kinds(deck)]
    assert starts == [("slide", "## One"), ("slide", "## Two"), ("subslide", "### Three")]


def test_a_list_starts_inside_a_paragraph_only_with_a_bullet_or_1():
    assert [b.kind for b in md.blocks("The recipe:\n- Adam\n- batches of 128")] == [
        "paragraph", "list"]
    assert [b.kind for b in md.blocks("(Loshchilov & Hutter,\n2019) are the remedies.")] == [
        "paragraph"]
    assert md.sentences("For each batch: 1. the forward pass; 2. the loss. Then the update.") == [
        "For each batch: 1. the forward pass; 2. the loss.", "Then the update."]


def test_long_prose_goes_to_the_notes_whole_and_the_slide_says_so():
    long_paragraph = " ".join(f"Sentence number {k} says something." for k in range(40))
    cell = nbformat.v4.new_markdown_cell(f"## Training\n{long_paragraph}")
    kinds = _kinds(deck_tool.lecture_notebook(_notebook(cell)))
    (slide_kind, slide), (notes_kind, notes) = kinds
    assert (slide_kind, notes_kind) == ("slide", "notes")
    assert notes == long_paragraph
    assert deck_tool.MOVED in slide
    assert md.words(slide.replace(deck_tool.MOVED, "")) <= deck_tool.PROSE_BUDGET + 1


def test_exercises_are_fragments_and_solutions_never_reach_the_deck():
    source = (
        "## Exercises\n**1.** Count the weights.\n\n<details><summary>Show a solution</summary>"
        "\n\n<!-- solution: exercise_1 -->\n```python\nprint(640)\n```\n<!-- /solution -->\n"
        "</details>\n\n**2.** Draw the filter."
    )
    deck = deck_tool.lecture_notebook(_notebook(nbformat.v4.new_markdown_cell(source)))
    kinds = _kinds(deck)
    assert [text for kind, text in kinds if kind == "fragment"] == [
        "**1.** Count the weights.", "**2.** Draw the filter."]
    assert not any("print(640)" in text or SOLUTION.search(text) for _, text in kinds)


def test_skipped_cells_stay_out_and_long_code_is_cut_at_a_blank_line():
    install = nbformat.v4.new_code_cell("print('colab')")
    install.metadata["slideshow"] = {"slide_type": "skip"}
    code = "\n".join([f"a{k} = {k}" for k in range(15)] + [""] + [f"b{k} = {k}" for k in range(15)])
    deck = deck_tool.lecture_notebook(_notebook(install, nbformat.v4.new_code_cell(code)))
    sources = [cell.source for cell in deck.cells if cell.cell_type == "code"]
    assert "print('colab')" not in sources
    assert sources == ["\n".join(f"a{k} = {k}" for k in range(15)),
                       "\n".join(f"b{k} = {k}" for k in range(15))]


def test_a_training_log_keeps_its_first_and_last_epoch():
    log = "".join(f"Epoch {k}/6\n430/430 - 16s - loss: 0.{k}\n" for k in range(1, 7)) + "done\n"
    short = outputs.shorten_text(log).splitlines()
    assert short == ["Epoch 1/6", "430/430 - 16s - loss: 0.1",
                     "… 4 more epochs (the notebook shows every one) …",
                     "Epoch 6/6", "430/430 - 16s - loss: 0.6", "done"]
    padded = outputs.shorten_text("10 parameters" + " " * 40 + "\n")
    assert padded == "10 parameters\n"
    assert outputs.shorten_text("saved images/05/maps.png\nmean 0.5\n") == "mean 0.5\n"


def _starts_slide(heading: str, starts: set[str]) -> bool:
    """The heading starts a slide, alone or as the first of several ("Exercises (1/3)")."""
    return heading in starts or any(re.fullmatch(re.escape(heading) + r" \(1/\d+\)", start)
                                    for start in starts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_deck_keeps_every_heading_and_every_paragraph_of_the_notebook(path):
    notebook = nbformat.read(path, as_version=4)
    deck = deck_tool.lecture_notebook(notebook)
    deck_text = "\n".join(cell.source for cell in deck.cells)
    starts = {cell.source.split("\n")[0] for cell in deck.cells
              if cell.metadata["slideshow"]["slide_type"] in ("slide", "subslide")}
    lost = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or deck_tool._slide_type(cell) == "skip":
            continue
        for block in md.blocks(cell.source):
            if block.kind == "heading" and block.level == 2:
                if not _starts_slide(f"## {block.text}", starts):
                    lost.append(f"heading '## {block.text}' does not start a slide")
            elif block.kind in ("paragraph", "list", "quote", "figure", "math", "table"):
                for text in block.items or [block.text]:  # a list item by item
                    if text not in deck_text:
                        lost.append(f"cell {cell.get('id')}: {text[:60]!r}")
    assert not lost, f"{path.name}: the deck lost\n" + "\n".join(lost)
    assert not SOLUTION.search(deck_text), f"{path.name}: a solution reached the deck"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_has_a_lecturers_page_naming_its_sections(path):
    page = teaching.page_path(path.stem)
    assert page.is_file(), f"{page.relative_to(ROOT)} is missing (lecturer's page)"
    text = page.read_text(encoding="utf-8")
    notebook = nbformat.read(path, as_version=4)
    numbered = [block.text for cell in notebook.cells if cell.cell_type == "markdown"
                for block in md.blocks(cell.source)
                if block.kind == "heading" and block.level == 2 and block.text[:1].isdigit()]
    plain = re.sub(r"[*_`]", "", text)
    missing = [title for title in numbered if re.sub(r"[*_`]", "", title) not in plain]
    assert not missing, f"{page.name} does not mention sections {missing}"
    for part in ("Timing", "Run live", "Where learners stumble", "Exercises to set"):
        assert part in text, f"{page.name} has no '{part}' part"


# ------------------------------------------------------------------ in the browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not (build_html.NODE_MODULES / "reveal.js" / "dist").is_dir():
        pytest.skip("node_modules/ is missing: run `npm ci` in the course folder")
    folder = tmp_path_factory.mktemp("slides")
    build_slides.build([path for path in NOTEBOOKS if path.exists()], folder)
    return folder


def _headings(path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [re.sub(r"[*_`]", "", block.text).strip()
            for cell in notebook.cells if cell.cell_type == "markdown"
            for block in md.blocks(cell.source) if block.kind == "heading" and block.level == 2]


def test_the_index_links_every_deck_and_lecturers_page(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f'href="notebooks/{path.stem}.slides.html"' in index
        assert f'href="teaching/{path.stem}.html"' in index
        assert (site / "teaching" / f"{path.stem}.html").is_file()


def test_every_slide_of_every_deck_fits_a_1280x720_screen(chromium, site):
    problems = []
    for path in NOTEBOOKS:
        deck = walk.walk_deck(chromium, site / "notebooks" / f"{path.stem}.slides.html")
        problems += [f"{deck.name}: {error}" for error in deck.errors]
        first_headings = set()
        for slide in deck.slides:
            measured = slide.measured
            problems += [f"{slide.where}: content {what}" for what in slide.overflow]
            if measured["broken_images"]:
                problems.append(f"{slide.where}: {measured['broken_images']} broken image(s)")
            if measured["moved"] and not measured["notes"]:
                problems.append(f"{slide.where}: text moved off the slide but no speaker notes")
            if measured["headings"]:
                first_headings.add(measured["headings"][0])
        for heading in _headings(path):
            if not _starts_slide(f"H2 {heading}", first_headings):
                problems.append(f"{deck.name}: '## {heading}' does not start a slide")
        if len(deck.slides) < 10:
            problems.append(f"{deck.name}: only {len(deck.slides)} slides")
    assert not problems, "\n".join(problems)
