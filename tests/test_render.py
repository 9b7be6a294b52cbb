"""The slides and the static HTML pages render in a real browser, offline.

One deck and one page are built into a temporary folder with tools/build_slides.py and
tools/build_html.py, then opened in headless Chromium: the screenshot must show something,
the notebook's title must be there, and nothing may fail to load or come from the network.

The decks of the notebooks that train must show their results: each holds at least one
image (a stored figure from the reference run, ``make reference``), checked without a browser.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from tools import build_html, build_slides
from tools import course as course_tool

ROOT = course_tool.ROOT
COURSE = course_tool.load_manifest()
LOAD_MS = 60_000  # generous: the machine may be busy training in another process
# Resolves once MathJax has typeset the page (at once on a page without it).
MATH_TYPESET = """() => window.MathJax && MathJax.startup && MathJax.startup.promise
    ? MathJax.startup.promise.then(() => true) : true"""


def _notebook_to_render() -> tuple[Path, str]:
    """The first course notebook that exists (else the index), and the title it must show."""
    for entry in COURSE.notebooks:
        path = ROOT / "notebooks" / entry.file
        if path.exists():
            return path, entry.label
    return ROOT / "notebooks" / course_tool.INDEX, course_tool.COURSE_TITLE


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not (build_html.NODE_MODULES / "reveal.js" / "dist").is_dir():
        pytest.skip("node_modules/ is missing: run `npm ci` in the course folder")
    notebook, title = _notebook_to_render()
    if not notebook.exists():
        pytest.skip("no notebook to render yet")
    site = tmp_path_factory.mktemp("site")
    (deck,) = build_slides.build([notebook], site / "slides")
    (page,) = build_html.build([notebook], site / "html")
    return {"slides": deck, "html": page, "title": title}


def _open(chromium, path: Path) -> dict:
    """Load a local file; report its title, heading, screenshot and anything that went wrong."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    failed, remote, errors = [], [], []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on(
        "request",
        lambda request: None
        if request.url.startswith(("file:", "data:", "blob:"))
        else remote.append(request.url),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=LOAD_MS)
        if path.name.endswith(".slides.html"):
            page.wait_for_selector(".reveal.ready", timeout=LOAD_MS)
        page.wait_for_function("document.fonts.status === 'loaded'", timeout=LOAD_MS)
        page.evaluate(MATH_TYPESET)
        report = {
            "title": page.title(),
            "headings": page.evaluate(
                "Array.from(document.querySelectorAll('h1'), h => h.textContent).join(' | ')"
            ),
            "screenshot": page.screenshot(),
            "failed": failed,
            "remote": remote,
            "errors": errors,
        }
    finally:
        page.close()
    return report


def _looks_rendered(png: bytes) -> bool:
    """More than a blank page: a decodable image with a real spread of pixel values."""
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    return len(png) > 10_000 and pixels.shape[0] > 100 and float(pixels.std()) > 0.05


@pytest.mark.parametrize("kind", ["slides", "html"])
def test_page_renders_offline_with_its_title(chromium, built, kind):
    report = _open(chromium, built[kind])
    assert built["title"] in report["title"]
    assert built["title"] in report["headings"]
    assert _looks_rendered(report["screenshot"])
    assert report["failed"] == [], "local files failed to load"
    assert report["remote"] == [], "the page asked the network for something"
    assert report["errors"] == [], "JavaScript errors"


def test_slides_are_a_reveal_deck(chromium, built):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(built["slides"].as_uri(), timeout=LOAD_MS)
        # reveal.js is loaded through require.js, so it is not a global: ask the page.
        page.wait_for_selector(".reveal.ready", timeout=LOAD_MS)
        total = page.locator(".reveal .slides > section").count()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("location.hash.startsWith('#/1')", timeout=5_000)
    finally:
        page.close()
    assert total > 3


def test_html_links_between_notebooks_point_at_pages(built):
    text = built["html"].read_text(encoding="utf-8")
    notebook_links = re.findall(r'href="([^"]+\.ipynb)"', text)
    assert all(link.startswith(course_tool.COLAB_PREFIX) for link in notebook_links)
    assert 'href="00_index.html"' in text


# The notebooks whose lecture deck must show figures of their results (issue 9).
DECKS_WITH_RESULTS = ["01_dense_baseline", "02_first_convnet", "04_lenet5", "07_fashion_mnist"]
# An image in a cell's output area (a figure a code cell drew), not one in the prose.
_OUTPUT_IMAGE = re.compile(
    r"""<div\s[^>]*?class="[^"]*\bjp-OutputArea-output\b[^"]*"[^>]*>\s*"""
    r"""<img\b[^>]*?\bsrc\s*=\s*(["'])(.*?)\1""",
    re.IGNORECASE | re.DOTALL,
)


def shown_images(page: str, folder: Path) -> list[str]:
    """The output images a page shows: inline data: images, and local files that exist."""
    found = []
    for _, source in _OUTPUT_IMAGE.findall(page):
        source = html.unescape(source)
        if source.startswith("data:image/"):
            found.append(source[:40])
        elif not re.match(r"^[a-z]+:", source) and (folder / source.split("#")[0]).is_file():
            found.append(source)
    return found


def test_shown_images_counts_inline_and_existing_files_only(tmp_path):
    (tmp_path / "curve.png").write_bytes(b"png")
    output = '<div class="jp-RenderedImage jp-OutputArea-output" tabindex="0">\n{}</div>'
    page = "".join(
        [
            output.format('<img alt="" class="" src="data:image/png;base64,iVBORw0KGgo=">'),
            output.format("<img alt='x' src='curve.png'>"),
            output.format('<img src="missing.png">'),
            output.format('<img src="https://example.org/a.png">'),
            '<p><img alt="a figure in the prose" src="curve.png"/></p>',
        ]
    )
    assert shown_images(page, tmp_path) == ["data:image/png;base64,iVBORw0KGgo=", "curve.png"]


@pytest.mark.parametrize("name", DECKS_WITH_RESULTS)
def test_lecture_deck_shows_output_figures(name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    if not path.exists():
        pytest.skip(f"{path.name} does not exist")
    deck = build_slides.deck_html(path, COURSE)
    assert shown_images(deck, path.parent), (
        f"the slides of {path.name} show no image: its stored outputs hold no figure."
        " Store the reference run's outputs with `make reference`."
    )
