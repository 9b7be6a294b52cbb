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
    [
        "Seven Jupyter notebooks that teach convolutional neural networks",  # what it is
        "make lab",
        "make test",
        "downloads about 0.5 GB",
        "2.3 GB on disk",
        "Windows",
        "environment.yml",
        "conda env create",
        "Colab",
    ],
)
def test_the_first_screen_says_how_to_start_and_what_it_costs(needed):
    assert needed in _first_section()


def test_the_first_screen_opens_notebook_01_in_colab():
    links = re.findall(r"\]\((https://colab\.research\.google\.com/[^)]+)\)", _first_section())
    assert any(link.endswith("/notebooks/01_dense_baseline.ipynb") for link in links), links


def test_the_two_commands_come_before_the_costs_and_the_alternatives():
    first = _first_section()
    commands = first.index("make lab     #")
    assert commands < first.index("What it costs") < first.index("Colab") < first.index("Windows")
    assert "make test    #" in first[commands : commands + 200]


# The costs on the first screen, and where benchmarks/README.md shows how each was measured.
MEASURED = {
    "downloads about 0.5 GB": "**Download: 0.52 GB**",
    "TensorFlow is 274 MB of it": "`tensorflow-cpu` alone 273.8 MB",
    "2.3 GB on disk": "**Disk: 2.3 GB**",
    "under 2 minutes": "**Time: under 2 minutes**",
    "about 7 minutes at 10 Mbit/s": "At 10 Mbit/s that is 7 minutes",
}


@pytest.mark.parametrize("claim, source", MEASURED.items(), ids=MEASURED.keys())
def test_every_cost_on_the_first_screen_is_measured_in_the_benchmarks(claim, source):
    benchmarks = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    assert claim in " ".join(_first_section().split())
    assert source in " ".join(benchmarks.split())


@pytest.mark.skipif(
    bool(os.environ.get("CNN_COURSE_TIMED_MAKE_TEST")),
    reason="this make test is the one being timed: its figure is written after it ends",
)
def test_the_make_test_time_is_the_one_the_reference_run_stored():
    results = (ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    seconds = re.search(r"`make test` took (\d+) s", " ".join(_first_section().split()))
    assert seconds and f"passed: {seconds[1]} s end to end" in results


def test_the_first_screen_is_short():
    words = len(re.findall(r"\w+", _first_section()))
    assert words < 400, f"{words} words before the syllabus: move detail further down"


def test_maintainer_material_lives_in_contributing():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for moved in (
        "make reference",
        "nbval-ignore-output",
        "tools.solutions",
        "make compat",
        "make samples",
    ):
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
