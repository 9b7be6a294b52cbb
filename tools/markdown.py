"""Markdown the tools read and write: cell sources, links, and tables built one way."""

from __future__ import annotations

import re

FENCED = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_PATTERNS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)"),  # [text](target) and ![alt](target)
    re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", re.MULTILINE),  # [label]: target
    re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']"""),  # HTML
)


def text(source) -> str:
    """A cell's source as one string (nbformat allows a list of lines too)."""
    return "".join(source) if isinstance(source, list) else source


def source(cell) -> str:
    return text(cell.get("source", ""))


def without_code(markdown: str) -> str:
    """``markdown`` without fenced blocks and inline code."""
    return INLINE_CODE.sub("", FENCED.sub("", markdown))


def links_in(markdown: str) -> list[str]:
    """Every link and image target in a markdown text, outside code."""
    plain = without_code(markdown)
    return [match for pattern in _LINK_PATTERNS for match in pattern.findall(plain)]


def table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """A markdown table as lines; ``align`` has one letter per column: l(eft) or r(ight)."""
    if len(align) != len(header):
        raise ValueError(f"align: got {align!r}, expected one letter per column ({len(header)})")
    rules = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(row) + " |" for row in [header, *rows]]
    return [lines[0], "|" + "|".join(rules) + "|", *lines[1:]]
