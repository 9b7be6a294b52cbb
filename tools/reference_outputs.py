"""What the reference run stores beside the outputs it cannot check, and how tests check it.

Cells tagged ``nbval-ignore-output`` (training, timing, anything that depends on the amount of
data) keep the outputs of the last full run (``make reference``), which strict nbval cannot
compare. Two things keep those outputs honest:

Fingerprints
    Each such cell records in its metadata (``metadata.fingerprint``) a hash of what produced
    its output: its own source, the source of every code cell before it, and the sources of
    the ``helpers`` package (``helpers/**/*.py``). Sources are compared with trailing
    whitespace and surrounding blank lines removed, so re-formatting whitespace is not a
    change but a new comment is. Markdown does not count, and neither does the generated
    Colab install cell (``# course:colab-install``): it does nothing outside Colab, and its
    text changes with the repository's address, which changes no result. ``stale_cells``
    lists the cells whose fingerprint no longer matches.

Numbers in prose (convention 6)
    ``<!-- from-output: LABEL -->VALUE<!-- /from-output -->`` in a markdown cell quotes a
    value that a code cell of the same notebook prints on a line of the form ``LABEL: VALUE``
    (VALUE is the first whitespace-separated token after the colon, without a trailing comma
    or semicolon). ``fill_prose`` writes the printed values into the prose; ``prose_problems``
    says where prose and outputs disagree.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from tools import results_quotes
from tools.cells import HEADER_MARKER, INSTALL_MARKER, NAV_MARKER
from tools.layout import ROOT
from tools.markdown import FENCED, INLINE_CODE
from tools.markdown import text as _text
from tools.notebook_io import FINGERPRINT_KEY

IGNORE_TAG = "nbval-ignore-output"
REFRESH_COMMAND = "make reference"
# The notebooks that train and quote their results (issue 9): their prose is checked for
# run-dependent figures outside markers.
QUOTING_RESULTS = ("01_dense_baseline", "02_first_convnet", "04_lenet5", "07_fashion_mnist")

MARKER = re.compile(
    r"<!--\s*from-output:\s*(?P<label>.+?)\s*-->(?P<value>.*?)<!--\s*/from-output\s*-->",
    re.DOTALL,
)


# --------------------------------------------------------------------------- fingerprints


def normalised_source(source) -> str:
    """A cell's source without trailing whitespace on any line or blank lines around it."""
    lines = [line.rstrip() for line in _text(source).strip("\n").splitlines()]
    return "\n".join(lines).strip("\n")


def helpers_digest(root: Path = ROOT) -> str:
    """One hash of every ``helpers/**/*.py`` file: its path and its normalised text."""
    digest = hashlib.sha256()
    package = root / "helpers"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        digest.update(relative.encode() + b"\0")
        digest.update(normalised_source(path.read_text(encoding="utf-8")).encode() + b"\0")
    return digest.hexdigest()


def counts_for_fingerprint(cell) -> bool:
    """Whether a cell's source can change the outputs of the cells after it."""
    if cell.get("cell_type") != "code":
        return False
    return not normalised_source(cell.get("source", "")).startswith(INSTALL_MARKER)


def is_unchecked(cell) -> bool:
    """A code cell whose output nbval does not compare: it keeps the reference run's."""
    tags = cell.get("metadata", {}).get("tags", [])
    return cell.get("cell_type") == "code" and IGNORE_TAG in tags


def fingerprints(notebook, root: Path = ROOT) -> dict[int, str]:
    """For each unchecked code cell (by index), the fingerprint its output should carry."""
    helpers = helpers_digest(root)
    running = hashlib.sha256(helpers.encode())
    result = {}
    for index, cell in enumerate(notebook["cells"]):
        if not counts_for_fingerprint(cell):
            continue
        running.update(normalised_source(cell["source"]).encode() + b"\0")
        if is_unchecked(cell):
            result[index] = "sha256:" + running.copy().hexdigest()[:32]
    return result


def record_fingerprints(notebook, root: Path = ROOT) -> None:
    """Write the current fingerprints into the unchecked cells' metadata."""
    for index, value in fingerprints(notebook, root).items():
        notebook["cells"][index]["metadata"][FINGERPRINT_KEY] = value


@dataclass(frozen=True)
class StaleCell:
    index: int
    first_line: str
    reason: str  # "changed since it ran" or "never run by the reference run"


def stale_cells(notebook, root: Path = ROOT) -> list[StaleCell]:
    """Unchecked cells whose stored output no longer matches what would produce it."""
    stale = []
    for index, expected in fingerprints(notebook, root).items():
        cell = notebook["cells"][index]
        stored = cell["metadata"].get(FINGERPRINT_KEY)
        if stored == expected:
            continue
        first = normalised_source(cell["source"]).splitlines()[:1] or [""]
        reason = "never run by the reference run" if stored is None else "changed since it ran"
        stale.append(StaleCell(index, first[0][:60], reason))
    return stale


def describe_stale(name: str, stale: list[StaleCell]) -> str:
    cells = "; ".join(f"cell {c.index} `{c.first_line}` ({c.reason})" for c in stale)
    return (
        f"{name}: {len(stale)} stored output(s) no longer match their code or helpers/: {cells}."
        f" Refresh them with `{REFRESH_COMMAND}` (full run of every notebook)."
    )


# --------------------------------------------------------------------------- prose numbers


def printed_lines(notebook) -> list[tuple[int, str]]:
    """(cell index, line) for every line a code cell printed (stream outputs)."""
    lines = []
    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines += [(index, line) for line in _text(output.get("text", "")).splitlines()]
    return lines


def _label_pattern(label: str) -> re.Pattern:
    # The label, not glued to a word before it, then a colon and the value's first token.
    return re.compile(r"(?<![\w-])" + re.escape(label) + r":\s*(\S+)")


def printed_value(notebook, label: str) -> tuple[str | None, str | None]:
    """(value, None) if exactly one printed line says ``LABEL: VALUE``, else (None, why)."""
    pattern = _label_pattern(label)
    found = [(index, m.group(1)) for index, line in printed_lines(notebook)
             for m in [pattern.search(line)] if m]
    if not found:
        return None, f"no printed line says '{label}: …' (has the reference run stored it?)"
    if len(found) > 1:
        cells = ", ".join(str(index) for index, _ in found)
        return None, f"'{label}:' is printed {len(found)} times (cells {cells}); make it unique"
    return found[0][1].rstrip(",;"), None


def markers(notebook) -> list[tuple[int, str, str]]:
    """(cell index, label, value) for every from-output marker in markdown cells."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") == "markdown":
            for match in MARKER.finditer(_text(cell["source"])):
                found.append((index, match.group("label"), match.group("value")))
    return found


def prose_problems(notebook) -> list[str]:
    """Each marked value in prose that differs from the stored output it names."""
    problems = []
    for index, label, value in markers(notebook):
        printed, why = printed_value(notebook, label)
        if why:
            problems.append(f"cell {index}, '{label}': {why}")
        elif value != printed:
            problems.append(f"cell {index}, '{label}': prose says {value!r}, output {printed!r}")
    return problems


def fill_prose(notebook) -> list[str]:
    """Write each printed value between its markers; return the problems left (unfilled)."""
    problems = []
    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") != "markdown":
            continue

        def replace(match: re.Match, index=index) -> str:
            label = match.group("label")
            printed, why = printed_value(notebook, label)
            if why:
                problems.append(f"cell {index}, '{label}': {why}")
                return match.group(0)
            start, end = match.span("value")
            whole = match.group(0)
            offset = match.start()
            return whole[: start - offset] + printed + whole[end - offset :]

        text = _text(cell["source"])
        new = MARKER.sub(replace, text)
        if new != text:
            cell["source"] = new
    return problems


# Figures of a notebook's own run quoted in prose without markers (issue 9, item 4): a
# percentage with two decimals (97.71%), a time with decimals (4.7 min, 2.9 minutes, 41.2 s) or
# a whole number of seconds (280 s). Allowed outside markers only in a paragraph or table that
# names its source: a benchmarks/ file, or a publication by its year ("LeCun et al., 1998"),
# "et al.", an arXiv number or a section sign ("the paper's 0.95% error (§III-C)").
UNMARKED_FIGURE = re.compile(
    r"(?<![\w.])(?:\d+\.\d\d ?%|\d+\.\d+ ?(?:min|minutes?|s|seconds?)\b|\d+ (?:s|seconds?)\b)"
)
CITES_A_SOURCE = re.compile(r"benchmarks/|\b(?:19|20)\d\d[a-z]?\b|et al\.|arXiv|§")
_GENERATED = (HEADER_MARKER, NAV_MARKER)


def unmarked_figures(notebook) -> list[str]:
    """Run-dependent-looking figures in prose that are neither marked nor cited."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        text = _text(cell.get("source", ""))
        if cell.get("cell_type") != "markdown" or text.lstrip().startswith(_GENERATED):
            continue
        for block in re.split(r"\n\s*\n", FENCED.sub("", text)):
            # A source named (in a link or in `code` too) allows figures, except results.md:
            # the reference run rewrites it, so its figures are quoted between markers.
            if CITES_A_SOURCE.search(block) and "results.md" not in block:
                continue
            block = MARKER.sub("", INLINE_CODE.sub("", block))
            block = results_quotes.MARKER.sub("", block)
            for match in UNMARKED_FIGURE.finditer(block):
                line = next(ln for ln in block.splitlines() if match.group(0) in ln)
                found.append(f"cell {index}: {match.group(0)!r} in {line.strip()[:80]!r}")
    return found
