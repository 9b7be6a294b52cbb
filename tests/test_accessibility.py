"""Every HTML page and every slide deck passes axe-core's WCAG 2.1 A and AA rules.

The pages (``tools.build_html``) and decks (``tools.build_slides``) are built into a
temporary folder from the stored notebooks, opened offline in headless Chromium, and
checked with axe-core (the npm package, pinned in package.json; Deque's rule engine) for
the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. A deck is opened in reveal.js's
print view (``?print-pdf``), which lays out every slide at once, so no slide is skipped.

Separately, every picture must have a text alternative of its own: nbconvert gives a
picture without one the placeholder "No description has been provided for this image",
which satisfies axe's image-alt rule but tells a screen-reader user nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tools import build_html, build_slides
from tools import course as course_tool

ROOT = course_tool.ROOT
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PLACEHOLDER = "No description has been provided for this image"
LOAD_MS = 120_000  # generous: a big page on a machine busy training in another process

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                            resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")), count: v.nodes.length}));
}"""
FIGURES_WITHOUT_TEXT = """(placeholder) => Array.from(document.querySelectorAll("img"))
    .filter(img => !img.hasAttribute("alt") || img.alt === placeholder
                   || (img.alt.trim() === "" && img.closest(".jp-OutputArea-output")))
    .length"""


def notebooks() -> list[Path]:
    return build_html.notebook_paths([])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core is missing: run `npm ci` in the course folder")
    if not (build_html.NODE_MODULES / "reveal.js" / "dist").is_dir():
        pytest.skip("node_modules/ is missing: run `npm ci` in the course folder")
    folder = tmp_path_factory.mktemp("accessible")
    pages = build_html.build(notebooks(), folder / "html")
    decks = build_slides.build(notebooks(), folder / "slides")
    return {"html": pages, "slides": decks}


def audit(chromium, path: Path) -> dict:
    """axe-core's WCAG 2.1 A/AA violations on one page, and its pictures without text."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        deck = path.name.endswith(".slides.html")
        page.goto(path.as_uri() + ("?print-pdf" if deck else ""), timeout=LOAD_MS)
        if deck:
            page.wait_for_selector(".reveal.ready", timeout=LOAD_MS)
            page.wait_for_function("window.courseFitted !== undefined", timeout=LOAD_MS)
            page.evaluate("window.course_fit_now()")  # the deck is fitted and laid out
        page.add_script_tag(path=str(AXE))
        return {
            "violations": page.evaluate(RUN_AXE, WCAG_TAGS),
            "figures_without_text": page.evaluate(FIGURES_WITHOUT_TEXT, PLACEHOLDER),
        }
    finally:
        page.close()


def summary(reports: dict[str, dict]) -> tuple[Counter, int]:
    """Violations counted by rule (elements affected) and pictures without text, in all."""
    by_rule = Counter()
    for report in reports.values():
        for violation in report["violations"]:
            by_rule[violation["id"]] += violation["count"]
    return by_rule, sum(report["figures_without_text"] for report in reports.values())


def _described(reports: dict[str, dict]) -> str:
    lines = []
    for name, report in reports.items():
        for v in report["violations"]:
            lines.append(
                f"{name}: {v['id']} ({v['impact']}, {v['count']}×): {v['help']}; "
                f"e.g. {', '.join(v['nodes'])}"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["html", "slides"])
def test_no_wcag_21_a_or_aa_violations(chromium, site, kind):
    reports = {path.name: audit(chromium, path) for path in site[kind]}
    by_rule, missing = summary(reports)
    print(
        f"{kind}: {len(reports)} pages, violations by rule {dict(by_rule)}, "
        f"pictures without text {missing}"
    )
    assert not by_rule, "axe-core found WCAG 2.1 A/AA violations:\n" + _described(reports)
    assert missing == 0, {name: r["figures_without_text"] for name, r in reports.items()}


def test_the_audit_finds_what_it_looks_for(chromium, tmp_path):
    """The check can fail: a page with an unlabelled input, a picture without text and
    light-gray text on white gets exactly those three findings."""
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core is missing: run `npm ci` in the course folder")
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main>'
        '<h1>A page</h1><p style="color:#bbbbbb;background:#ffffff">hard to read</p>'
        '<input type="text"><div class="jp-OutputArea-output">'
        f'<img src="data:image/png;base64,iVBORw0KGgo=" alt="{PLACEHOLDER}"></div>'
        "</main></body></html>",
        encoding="utf-8",
    )
    report = audit(chromium, page)
    assert {v["id"] for v in report["violations"]} == {"color-contrast", "label"}
    assert report["figures_without_text"] == 1
