"""Google Colab's package set, read from the runtime description Google publishes.

``compat/colab-pip-freeze.txt`` and ``compat/colab-os-info.txt`` are copies of the files
Colab's team publishes for its default CPU runtime (their first line says which and when).
To follow Colab, replace both with newer copies and run ``make compat``; no code here names
a version.

``make compat``'s Colab environment installs a subset derived from the freeze, not all of it:

- ``COURSE_PACKAGES`` at the freeze's versions: what the notebooks, ``helpers`` and the
  notebook kernel import, and the widget stack Colab's front end talks to;
- everything those depend on, at the freeze's versions too: every ``name==version`` line of
  the freeze goes to pip as a constraint, so any package pip pulls in is Colab's version;
- pip itself at the freeze's version (it is what runs the notebooks' install cell);
- on top, the tools that run the tests (pytest, nbval, nbconvert, hypothesis, setuptools to
  build the wheel, ...) at requirements.txt's pins, as in ``make test``: they are not what a
  learner runs on Colab, and the same harness on every environment means a difference in
  results comes from the libraries, not from the harness (Colab's pytest 8.4.2, for one,
  words its failure summary differently from the pinned 9.2.0). The freeze's version of
  each such tool is not a constraint. The kernel (ipykernel, which requirements.txt pins
  too) stays Colab's: it runs the notebooks; so do the tools in ``KEEP_COLABS``.

The rest of the freeze, most of it (PyTorch, JAX, spaCy, Google's cloud clients, ...), is
left out: the course imports none of it, so it would add gigabytes and build time without
changing what the course runs. ``tools.compat`` checks afterwards that every package the
environment holds and the freeze lists has the freeze's version; a dependency the freeze
does not list at all (IPython's jedi, in the list of 2026-08-19) comes at pip's choice.
``NOT_ON_PYPI`` lists the freeze's lines that name no PyPI release and could not be
installed here at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
FREEZE = ROOT / "compat" / "colab-pip-freeze.txt"
OS_INFO = ROOT / "compat" / "colab-os-info.txt"

# What the course needs from Colab, installed at the freeze's versions. The libraries the
# course is written against, then the notebook kernel (nbval runs the notebooks in it) and
# the widget packages Colab pairs with it.
COURSE_PACKAGES = (
    "tensorflow", "keras", "numpy", "matplotlib", "scikit-learn",
    "ipykernel", "ipython", "jupyter-client", "matplotlib-inline",
    "ipywidgets", "widgetsnbextension", "jupyterlab-widgets",
)

# Lines of the freeze that are not `name==version` from PyPI, and why each is skipped.
NOT_ON_PYPI = {
    "google-colab": "Colab-internal (built from /colabtools on Colab's machines); the compat"
                    " run simulates it with an empty google.colab module instead",
    "jupyter-kernel-gateway": "Colab's own fork, from git at a fixed commit: the service"
                              " between Colab's front end and the kernel, which nbval"
                              " replaces by starting the kernel itself",
    "torch": "PyTorch's CPU build from download.pytorch.org, not PyPI; the course does not"
             " use PyTorch",
    "torchaudio": "from download.pytorch.org, not PyPI; not used by the course",
    "torchcodec": "from download.pytorch.org, not PyPI; not used by the course",
    "torchvision": "from download.pytorch.org, not PyPI; not used by the course",
    "en-core-web-sm": "a spaCy model from GitHub's release files, not PyPI; not used by the"
                      " course",
}

# The freeze's only GPU package, nvidia-nccl-cu13, is needed by nothing installed here.

# Test tools requirements.txt pins that stay at the freeze's version anyway, and why.
KEEP_COLABS = {
    "nbclient": "the pinned nbclient 0.11.0 needs traitlets>=5.13, and Colab's kernel stack"
                " (ipykernel, ipywidgets) runs on traitlets 5.7.1 (list of 2026-08-19)",
}

PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;#]+)\s*$")
DIRECT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*@\s*\S+")
PYTHON_LINE = re.compile(r"^Python (\d+)\.(\d+)\.(\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Freeze:
    source: str  # the file's first line, without "# ": where and when it comes from
    pinned: dict[str, str]  # canonical name -> exact version
    direct: tuple[str, ...]  # canonical names of `name @ url` lines


def _first_line(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0] if path.exists() else ""
    if not first.startswith("# "):
        raise ValueError(
            f"{path}: got first line {first!r}, expected a '# ' comment saying where and"
            " when the copy comes from"
        )
    return first[2:]


def read_freeze(path: Path = FREEZE) -> Freeze:
    source = _first_line(path)
    pinned: dict[str, str] = {}
    direct = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := PINNED.match(line):
            pinned[canonicalize_name(match.group(1))] = match.group(2)
        elif match := DIRECT.match(line):
            direct.append(canonicalize_name(match.group(1)))
        else:
            raise ValueError(
                f"{path}:{number}: got {line!r}, expected `name==version` or `name @ url`"
            )
    return Freeze(source=source, pinned=pinned, direct=tuple(direct))


def python_version(path: Path = OS_INFO) -> tuple[str, str]:
    """("3.13", "3.13.15"): the series to install and the exact version Colab has."""
    _first_line(path)
    found = PYTHON_LINE.findall(path.read_text(encoding="utf-8"))
    if len(found) != 1:
        raise ValueError(f"{path}: got {len(found)} 'Python X.Y.Z' lines, expected 1")
    major, minor, patch = found[0]
    return f"{major}.{minor}", f"{major}.{minor}.{patch}"


def course_versions(freeze: Freeze) -> dict[str, str]:
    """COURSE_PACKAGES -> the freeze's version; every one must be in the freeze."""
    missing = [name for name in COURSE_PACKAGES if name not in freeze.pinned]
    if missing:
        raise ValueError(f"{FREEZE.name}: got no `name==version` line for {missing}")
    return {name: freeze.pinned[name] for name in COURSE_PACKAGES}


def requirement_name(line: str) -> str:
    return canonicalize_name(re.split(r"[=<>!~;\[\s@]", line.strip(), maxsplit=1)[0])


def on_top(tool_pins: list[str]) -> list[str]:
    """requirements.txt's test-tool lines installed over the freeze (not the kernel's)."""
    kept = set(COURSE_PACKAGES) | set(KEEP_COLABS)
    return [pin for pin in tool_pins if requirement_name(pin) not in kept]


def requirements(freeze: Freeze, tool_pins: list[str]) -> tuple[list[str], list[str]]:
    """(what to install, what to constrain it with) for the Colab environment.

    ``tool_pins`` are requirements.txt's lines for the test tools (see on_top()).
    """
    lines = [f"{name}=={version}" for name, version in course_versions(freeze).items()]
    lines += [f"{name}=={freeze.pinned[name]}" for name in KEEP_COLABS]
    lines += on_top(tool_pins)
    exempt = {requirement_name(pin) for pin in on_top(tool_pins)}
    constraints = [
        f"{name}=={version}" for name, version in sorted(freeze.pinned.items())
        if name not in exempt
    ]
    return lines, constraints


def drift(freeze: Freeze, installed: dict[str, str], tool_pins: list[str]) -> list[str]:
    """Installed packages the freeze lists at another version, the tools on top excepted."""
    exempt = {requirement_name(pin) for pin in on_top(tool_pins)}
    problems = []
    for name, version in sorted((canonicalize_name(n), v) for n, v in installed.items()):
        wanted = freeze.pinned.get(name)
        if wanted is not None and version != wanted and name not in exempt:
            problems.append(f"{name}: got {version}, expected Colab's {wanted}")
    return problems


def replaced(freeze: Freeze, tool_pins: list[str]) -> list[str]:
    """The tools on top that the freeze lists at another version: "pytest 9.2.0 (Colab 8.4.2)"."""
    found = []
    for pin in on_top(tool_pins):
        name, exact = requirement_name(pin), pin.split("==", 1)[1].split(";")[0].strip()
        if freeze.pinned.get(name, exact) != exact:
            found.append(f"{name} {exact} (Colab {freeze.pinned[name]})")
    return found


def matching(freeze: Freeze, installed: dict[str, str]) -> int:
    """How many installed packages have exactly the freeze's version."""
    return sum(
        freeze.pinned.get(canonicalize_name(name)) == version
        for name, version in installed.items()
    )
