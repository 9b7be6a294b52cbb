"""Visit every slide of built decks in headless Chromium and measure what a lecturer would see.

    python -m tools.slides.walk _build/slides                    # 1280x720, a table per deck
    python -m tools.slides.walk _build/slides --size 1920x1080 --sheets /tmp/sheets

For each slide: does its content go past the slide's edges (below the fold, or sideways in a
code block), how many words of prose it shows, whether it has speaker notes, which headings it
holds, the smallest code or output text in screen pixels, and any broken image. ``--sheets``
also writes contact sheets: the screenshots of 12 slides tiled on one PNG.

``tests/test_slides.py`` runs the same walk on every deck. The deck must expose its reveal.js
instance as ``window.Reveal`` (the course's template does).
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; Playwright never downloads one here
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOAD_MS = 60_000  # generous: the machine may be busy training in another process
SMALL_CODE_PX = 16  # reported: code a back row cannot read at 1280x720
TOLERANCE_PX = 2  # sub-pixel rounding of a scaled slide

# Measures the current slide. Sizes are in screen pixels (after reveal.js scales the canvas).
MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = Reveal.getScale();
  let bottom = frame.top, right = frame.left, top = frame.bottom, left = frame.right;
  const visible = (el) => el.getClientRects().length > 0 && !el.closest('aside.notes');
  for (const el of slide.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    bottom = Math.max(bottom, box.bottom); right = Math.max(right, box.right);
    top = Math.min(top, box.top); left = Math.min(left, box.left);
  }
  const sideways = Array.from(slide.querySelectorAll('pre, .jp-OutputArea-output, table'))
    .filter(el => visible(el) && el.scrollWidth > el.clientWidth + 1).length;
  const prose = Array.from(slide.querySelectorAll('.jp-MarkdownOutput p, .jp-MarkdownOutput li'))
    .filter(el => visible(el) && !el.querySelector('p, li'))
    .map(el => el.textContent).join(' ').split(/\\s+/).filter(w => /\\w/.test(w)).length;
  const fit = slide.querySelector('.course-fit');
  const shrink = parseFloat(fit && fit.dataset.scale) || 1;
  const fonts = Array.from(slide.querySelectorAll('pre'))
    .filter(visible).map(el => parseFloat(getComputedStyle(el).fontSize) * scale * shrink);
  const figures = Array.from(slide.querySelectorAll('img')).filter(visible)
    .map(img => ({broken: img.complete && img.naturalWidth === 0,
                  height: img.getBoundingClientRect().height}));
  const indices = Reveal.getIndices();
  return {
    h: indices.h, v: indices.v || 0,
    below: Math.round(bottom - frame.bottom), above: Math.round(frame.top - top),
    past_right: Math.round(right - frame.right), past_left: Math.round(frame.left - left),
    sideways: sideways, words: prose,
    notes: (Reveal.getSlideNotes(slide) || '').trim().length,
    headings: Array.from(slide.querySelectorAll('h1, h2, h3'))
      .filter(el => !el.closest('aside.notes'))
      .map(el => el.tagName + ' ' + el.textContent.replace(/\\u00b6/g, '').trim()),
    min_code_px: fonts.length ? Math.min(...fonts) : null,
    broken_images: figures.filter(f => f.broken).length,
    figure_px: figures.map(f => Math.round(f.height)),
    fragments: slide.querySelectorAll('.fragment').length,
    moved: slide.querySelectorAll('[data-slide-moved]').length,
  };
}"""


@dataclass
class Slide:
    deck: str
    number: int  # 1-based, as the deck's slide counter shows it
    h: int
    v: int
    measured: dict

    @property
    def where(self) -> str:
        return f"{self.deck} slide {self.number} (#/{self.h}/{self.v})"

    @property
    def overflow(self) -> list[str]:
        m, found = self.measured, []
        for key, label in (("below", "below the slide"), ("above", "above the slide"),
                           ("past_right", "past the right edge"),
                           ("past_left", "past the left edge")):
            if m[key] > TOLERANCE_PX:
                found.append(f"{m[key]} px {label}")
        if m["sideways"]:
            found.append(f"{m['sideways']} block(s) scroll sideways")
        return found


@dataclass
class Deck:
    name: str
    slides: list[Slide] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    screenshots: list[bytes] = field(default_factory=list)


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
    )


def walk_deck(browser, path: Path, width: int = 1280, height: int = 720,
              screenshots: bool = False) -> Deck:
    """Open one deck at ``width`` x ``height`` and measure every slide, in order."""
    deck = Deck(path.name.removesuffix(".slides.html"))
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("pageerror", lambda error: deck.errors.append(f"page error: {error}"))
    page.on("console", lambda message: deck.errors.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("requestfailed", lambda request: deck.errors.append(
        f"failed to load {request.url}: {request.failure}"))
    try:
        page.goto(path.as_uri(), wait_until="load", timeout=LOAD_MS)
        page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=LOAD_MS)
        page.evaluate("""() => window.MathJax && MathJax.startup && MathJax.startup.promise
            ? MathJax.startup.promise : null""")
        page.evaluate("document.fonts.ready.then(() => true)")
        positions = page.evaluate("""() => Reveal.getSlides().map(s => Reveal.getIndices(s))""")
        for number, position in enumerate(positions, start=1):
            h, v = position["h"], position.get("v") or 0
            page.evaluate(f"() => {{ Reveal.slide({h}, {v}, -1); return course_fit_now(); }}")
            measured = page.evaluate(MEASURE)
            deck.slides.append(Slide(deck.name, number, h, v, measured))
            if screenshots:
                page.evaluate("() => { Reveal.slide(Reveal.getIndices().h, "
                              "Reveal.getIndices().v, 99); return course_fit_now(); }")
                deck.screenshots.append(page.screenshot())
    finally:
        page.close()
    return deck


def contact_sheets(deck: Deck, folder: Path, per_sheet: int = 12, columns: int = 3) -> list[Path]:
    """Tile the screenshots of a deck, 12 to a PNG, each labelled with its slide number."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    shots = [Image.open(io.BytesIO(png)).convert("RGB") for png in deck.screenshots]
    for start in range(0, len(shots), per_sheet):
        group = shots[start:start + per_sheet]
        w, h = group[0].size
        thumb = (w // 2, h // 2)
        rows = (len(group) + columns - 1) // columns
        sheet = Image.new("RGB", (columns * (thumb[0] + 8), rows * (thumb[1] + 8)), "gray")
        for offset, shot in enumerate(group):
            x, y = (offset % columns) * (thumb[0] + 8), (offset // columns) * (thumb[1] + 8)
            sheet.paste(shot.resize(thumb), (x + 4, y + 4))
            ImageDraw.Draw(sheet).text((x + 8, y + 8), str(start + offset + 1), fill="red")
        path = folder / f"{deck.name}_sheet{start // per_sheet + 1:02d}.png"
        tmp = path.with_suffix(".tmp.png")
        sheet.save(tmp)
        tmp.replace(path)
        written.append(path)
    return written


def summary(deck: Deck, words: int = 60) -> str:
    slides = deck.slides
    over = [s for s in slides if s.overflow]
    wordy = [s for s in slides if s.measured["words"] > words]
    codes = [s.measured["min_code_px"] for s in slides if s.measured["min_code_px"]]
    line = (f"{deck.name}: {len(slides)} slides, {len(over)} overflow, {len(wordy)} with over"
            f" {words} words of prose, smallest code {min(codes, default=0):.1f} px,"
            f" {sum(1 for s in slides if s.measured['notes'])} with notes,"
            f" {len(deck.errors)} errors")
    details = [f"  {s.where}: {', '.join(s.overflow)}" for s in over]
    details += [f"  {s.where}: {s.measured['words']} words" for s in wordy]
    details += [f"  {s.where}: code at {s.measured['min_code_px']:.1f} px" for s in slides
                if (s.measured["min_code_px"] or 99) < SMALL_CODE_PX]
    details += [f"  {error}" for error in deck.errors]
    return "\n".join([line, *details])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a folder holding notebooks/*.slides.html")
    parser.add_argument("--size", default="1280x720", help="viewport, e.g. 1920x1080")
    parser.add_argument("--sheets", type=Path, help="write contact sheets into this folder")
    parser.add_argument("--deck", action="append", default=[], help="only decks with this stem")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.lower().split("x"))
    from playwright.sync_api import sync_playwright

    paths = sorted((args.site.resolve() / "notebooks").glob("*.slides.html"))
    if args.deck:
        paths = [p for p in paths if any(p.name.startswith(stem) for stem in args.deck)]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for path in paths:
                deck = walk_deck(browser, path, width, height, screenshots=bool(args.sheets))
                print(summary(deck), flush=True)
                if args.sheets:
                    contact_sheets(deck, args.sheets / args.size)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
