"""Cut a notebook's markdown into blocks, sections and sentences, for slides and notes.

A block is one of: ``heading``, ``paragraph``, ``list`` (with its items), ``figure`` (a
paragraph of images only), ``math`` (a ``$$`` display), ``table``, ``quote``, ``code`` (a fenced
block), ``details`` (a ``<details>`` element: in this course, the exercise solutions) and
``comment`` (an HTML comment alone). Fenced code and ``<details>`` are taken whole, so a ``#``
line inside them is never read as a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
FENCE = re.compile(r"^(```|~~~)")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
# A list that starts inside a paragraph (CommonMark: a bullet, or a numbered list from 1).
INTERRUPTS = re.compile(r"^(?:[-*+]|1[.)])\s+")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A sentence ends at . ! or ? (perhaps closed by ) * _ or a quote) before a space and a capital,
# an opening bracket, emphasis, code or a number.
SENTENCE_END = re.compile(r"(?<=[.!?])([)*_\"”’]*)\s+(?=[A-Z0-9(\[*_`“\"$])")
ENUMERATOR = re.compile(r"(?:^|\s)\(?\d{1,2}\.$")
EXERCISE = re.compile(r"^\*\*\d+\.\*\*")


@dataclass
class Block:
    kind: str
    text: str
    level: int = 0  # headings only
    items: list[str] = field(default_factory=list)  # lists only


def _take_until(lines: list[str], start: int, done) -> int:
    """Index after the line for which ``done(line)`` is true (or the end)."""
    for index in range(start, len(lines)):
        if done(lines[index]):
            return index + 1
    return len(lines)


def _closes(fence: str):
    return lambda text: text.strip().startswith(fence)


def _paragraph_kind(text: str) -> str:
    stripped = text.strip()
    if not COMMENT.sub("", stripped).strip():
        return "comment"
    if stripped.startswith("$$"):
        return "math"
    if stripped.startswith("|"):
        return "table"
    if stripped.startswith(">"):
        return "quote"
    if IMAGE.search(stripped) and not IMAGE.sub("", COMMENT.sub("", stripped)).strip(" \n[]()"):
        return "figure"
    if LIST_ITEM.match(stripped):
        return "list"
    return "paragraph"


def _list_items(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines():
        if LIST_ITEM.match(line):
            items.append(line)
        elif items:
            items[-1] += "\n" + line
        else:
            items.append(line)
    return items


def blocks(source: str) -> list[Block]:
    """The blocks of one markdown cell, in order."""
    lines, found, index = source.splitlines(), [], 0
    paragraph: list[str] = []

    def flush() -> None:
        # "The recipe:" followed by list lines, with no blank line between: two blocks.
        first_item = next((k for k, line in enumerate(paragraph) if k and INTERRUPTS.match(line)
                           and not LIST_ITEM.match(paragraph[0])), None)
        for part in ([paragraph[:first_item], paragraph[first_item:]] if first_item
                     else [paragraph]):
            if part:
                text = "\n".join(part)
                kind = _paragraph_kind(text)
                found.append(Block(kind, text, items=_list_items(text) if kind == "list" else []))
        paragraph.clear()

    while index < len(lines):
        line = lines[index]
        if FENCE.match(line.strip()):
            flush()
            end = _take_until(lines, index + 1, _closes(line.strip()[:3]))
            found.append(Block("code", "\n".join(lines[index:end])))
            index = end
        elif line.strip().startswith("<details"):
            flush()
            end = _take_until(lines, index, lambda text: "</details>" in text)
            found.append(Block("details", "\n".join(lines[index:end])))
            index = end
        elif match := HEADING.match(line):
            flush()
            found.append(Block("heading", match.group(2).strip(), level=len(match.group(1))))
            index += 1
        elif not line.strip():
            flush()
            index += 1
        else:
            paragraph.append(line)
            index += 1
    flush()
    return found


def sections(source: str) -> list[list[Block]]:
    """The blocks cut at every heading: each section starts with its heading (but the first)."""
    cut: list[list[Block]] = [[]]
    for block in blocks(source):
        if block.kind == "heading" and cut[-1]:
            cut.append([])
        cut[-1].append(block)
    return [section for section in cut if section]


def words(text: str) -> int:
    """Words a reader sees: markup, link targets and HTML comments do not count."""
    text = COMMENT.sub(" ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return len([word for word in text.split() if re.search(r"\w", word)])


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a plain cut; good enough to pick the first ones)."""
    flat = " ".join(line.strip() for line in text.splitlines())
    parts, start = [], 0
    for match in SENTENCE_END.finditer(flat):
        if ENUMERATOR.search(flat[start:match.start()]):
            continue  # "…; 2. the loss": a number in a list, not the end of a sentence
        parts.append(flat[start:match.start()] + match.group(1))
        start = match.end()
    parts.append(flat[start:])
    return [part.strip() for part in parts if part.strip()]


def lead(text: str, budget: int) -> str:
    """The first sentences of ``text`` within ``budget`` words; at least one sentence, cut
    at a space with an ellipsis if even that is too long."""
    kept: list[str] = []
    for sentence in sentences(text):
        if kept and words(" ".join([*kept, sentence])) > budget:
            break
        kept.append(sentence)
        if words(" ".join(kept)) > budget:
            return _cut(kept[0], budget)
    return " ".join(kept)


def _cut(sentence: str, budget: int) -> str:
    """A sentence cut after ``budget`` visible words, never inside a word, code or a link."""
    tokens, count, out = sentence.split(" "), 0, []
    for token in tokens:
        out.append(token)
        count += words(token)
        if count >= budget and _balanced(" ".join(out)):
            return " ".join(out).rstrip(",;:") + " …"
    return sentence


def _balanced(text: str) -> bool:
    """No open code span, link, emphasis, math or HTML comment at the end of ``text``."""
    plain = COMMENT.sub("", text)
    return (
        "<!--" not in plain
        and plain.count("`") % 2 == 0
        and plain.count("$") % 2 == 0
        and plain.count("**") % 2 == 0
        and plain.count("[") == plain.count("]")
    )


def is_exercise(block: Block) -> bool:
    return block.kind == "paragraph" and bool(EXERCISE.match(block.text.strip()))
