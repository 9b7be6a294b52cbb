"""The README a learner reads first, CONTRIBUTING.md for maintainers, and the npm check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_section() -> str:
    """From the title to the syllabus: what a newcomer reads before the table."""
    return README[: README.index("<!-- syllabus:start -->")]


@pytest.mark.parametrize(
    "needed",
    ["make lab", "make test", "2.3 GB", "Colab", "Windows", "environment.yml", "conda"],
)
def test_the_first_screen_says_how_to_start_and_what_it_costs(needed):
    assert needed in _first_section()


def test_the_first_screen_is_short():
    words = len(re.findall(r"\w+", _first_section()))
    assert words < 400, f"{words} words before the syllabus: move detail further down"


def test_maintainer_material_lives_in_contributing():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for moved in ("make reference", "nbval-ignore-output", "tools.solutions", "make compat"):
        assert moved in contributing and moved not in README, moved
    assert "(CONTRIBUTING.md)" in README


def test_every_make_target_named_in_the_docs_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    docs = README + (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`make ([a-z-]+)", docs))
    assert named and named <= targets, sorted(named - targets)


@pytest.mark.parametrize("target", ["slides", "html"])
def test_targets_that_need_npm_say_so_when_it_is_missing(tmp_path, target):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    (tmp_path / "sh").symlink_to(shutil.which("sh"))  # a PATH with a shell and no npm
    result = subprocess.run(
        [make, "-s", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode != 0
    assert "need Node.js and npm" in result.stderr and "npm was not found" in result.stderr
