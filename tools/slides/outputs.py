"""Shorten a code cell's text outputs so that they fit a slide; the notebook keeps them whole.

- A Keras training log (``Epoch k/n`` followed by a progress line) keeps its first and last
  epoch, with one line saying how many epochs were left out in between.
- Any other text longer than ``MAX_LINES`` keeps its first and last lines around such a line.
- Trailing spaces (text padded with ``ljust``) are dropped, so a line never wraps on them,
  and so are the lines that name a saved figure file (the figure itself is on the slide).
"""

from __future__ import annotations

import base64
import copy
import io
import re

MAX_LINES = 22
EPOCH = re.compile(r"^Epoch (\d+)/(\d+)\s*$")
SAVED = re.compile(r"^saved \S+\.(?:png|jpe?g|svg|pdf)\s*$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _epoch_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line index of every ``Epoch k/n`` block (the header and what follows)."""
    starts = [index for index, line in enumerate(lines) if EPOCH.match(line)]
    spans = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else start + 2
        spans.append((start, min(end, start + 2, len(lines))))
    return spans


def shorten_training_log(lines: list[str]) -> list[str]:
    """First and last epoch of a log of three or more epochs, the rest summarised."""
    spans = _epoch_spans(lines)
    if len(spans) < 3:
        return lines
    first, last = spans[0], spans[-1]
    skipped = len(spans) - 2
    return [
        *lines[: first[1]],
        f"… {skipped} more epoch{'s' if skipped > 1 else ''} (the notebook shows every one) …",
        *lines[last[0]:],
    ]


def shorten_text(text: str, max_lines: int = MAX_LINES) -> str:
    """The text a slide shows for one stream or text/plain output."""
    lines = [line.rstrip() for line in ANSI.sub("", text).splitlines()
             if not SAVED.match(line)]  # "saved images/…png": for the learner's files
    lines = shorten_training_log(lines)
    if len(lines) > max_lines:
        head = max_lines // 2
        tail = max_lines - head - 1
        left_out = len(lines) - head - tail
        lines = [*lines[:head], f"… {left_out} more lines in the notebook …", *lines[-tail:]]
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def slide_outputs(outputs: list) -> list:
    """Copies of ``outputs`` with every text shortened for a slide."""
    shortened = []
    for output in outputs:
        output = copy.deepcopy(output)
        if output.get("output_type") == "stream":
            output["text"] = shorten_text(output.get("text", ""))
        elif output.get("output_type") == "error":
            output["traceback"] = output.get("traceback", [])[-1:]  # the error line
        elif "text/plain" in output.get("data", {}) and len(output["data"]) == 1:
            output["data"]["text/plain"] = shorten_text(output["data"]["text/plain"])
        shortened.append(output)
    return shortened


LINE_PX, FIGURE_MAX_PX, SLIDE_WIDTH_PX = 24, 420, 1250


def image_size(output) -> tuple[int, int] | None:
    """(width, height) in pixels of an output's PNG or JPEG image, or None."""
    from PIL import Image

    for kind in ("image/png", "image/jpeg"):
        data = output.get("data", {}).get(kind)
        if data:
            with Image.open(io.BytesIO(base64.b64decode(data))) as image:
                return image.size
    return None


def output_height(output) -> int:
    """Estimated height on a 1280x720 slide: text by lines, a figure as large as it will
    be drawn (up to twice its size, the slide's width, ``FIGURE_MAX_PX``)."""
    kind = output.get("output_type")
    if kind == "stream":
        return len(output.get("text", "").splitlines()) * LINE_PX + 10
    if kind == "error":
        return 3 * LINE_PX
    size = image_size(output)
    if size:
        width, height = size
        return int(min(height * min(2.0, SLIDE_WIDTH_PX / width), FIGURE_MAX_PX)) + 10
    data = output.get("data", {})
    if set(data) == {"text/plain"}:
        return len(data["text/plain"].splitlines()) * LINE_PX + 10
    return 6 * LINE_PX
