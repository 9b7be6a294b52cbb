"""Notebook hygiene: normalised metadata, nothing machine-specific, cells run in order, and
ruff clean everywhere. (Cells whose output is not checked keep the reference run's outputs;
tests/test_staleness.py checks those are not stale.)"""

from __future__ import annotations

import getpass
import json
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Absolute paths as they appear on Linux, macOS and Windows, and in virtual environments.
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.])(/home/|/root/|/Users/|/tmp/|/var/folders/|/private/|/work/|/mnt/"
    r"|[A-Za-z]:\\\\|site-packages)"
)


def _machine_words() -> list[str]:
    """This machine's user and host names, where long enough to be told apart from prose."""
    words = set()
    for name in (getpass.getuser(), socket.gethostname().split(".")[0]):
        if len(name) >= 5 and name.lower() not in {"jovyan", "runner", "localhost"}:
            words.add(name)
    return sorted(words)


def _notebook_params():
    if not NOTEBOOKS:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks yet"))]
    return [pytest.param(path, id=path.name) for path in NOTEBOOKS]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", _notebook_params())
def test_metadata_is_normalised(path):
    notebook = _load(path)
    metadata = notebook["metadata"]
    assert metadata.get("kernelspec", {}).get("name") == "python3"
    assert metadata.get("language_info", {}).get("name") == "python"
    assert "widgets" not in metadata, "widget state is stored; run make notebooks"
    for number, cell in enumerate(notebook["cells"]):
        assert "widgets" not in cell.get("metadata", {}), f"cell {number}"
        assert "execution" not in cell.get("metadata", {}), f"cell {number}: timings stored"


@pytest.mark.parametrize("path", _notebook_params())
def test_no_absolute_paths_user_or_machine_names(path):
    notebook = _load(path)
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for mime in output.get("data", {}):
                if mime.startswith("image/") and mime != "image/svg+xml":
                    output["data"][mime] = ""  # base64 can spell anything, "/tmp/" included
    text = json.dumps(notebook, ensure_ascii=False)
    found = sorted(set(ABSOLUTE_PATH.findall(text)))
    assert not found, f"absolute paths stored in {path.name}: {found}"
    for word in _machine_words():
        assert not re.search(rf"\b{re.escape(word)}\b", text), f"{word!r} in {path.name}"


@pytest.mark.parametrize("path", _notebook_params())
def test_cells_were_executed_in_order(path):
    counts = [
        cell.get("execution_count")
        for cell in _load(path)["cells"]
        if cell["cell_type"] == "code"
    ]
    executed = [count for count in counts if count is not None]
    assert executed == list(range(1, len(executed) + 1)), (
        f"{path.name}: execution counts {counts}; re-run make notebooks"
    )


def test_ruff_is_clean_on_helpers_tools_tests_and_notebooks():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache",
         "helpers", "tools", "tests", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-1000:]


# ----------------------------------------------------------------------------- public CI

WORKFLOW = ROOT / ".github" / "workflows" / "course.yml"


def _actionlint() -> str | None:
    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def test_github_workflow_passes_actionlint():
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip("actionlint not installed (requirements.txt installs it on x86-64 Linux)")
    result = subprocess.run(
        [actionlint, "-no-color", str(WORKFLOW.relative_to(ROOT))],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """The lint above can fail: a workflow with an unknown runner and a bad expression."""
    actionlint = _actionlint()
    if actionlint is None:
        pytest.skip("actionlint not installed (requirements.txt installs it on x86-64 Linux)")
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latst\n"
        "    steps:\n      - run: echo ${{ github.nothing_here }}\n"
    )
    result = subprocess.run(
        [actionlint, "-no-color", str(broken)], cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1 and "ubuntu-latst" in result.stdout, result.stdout


def test_workflow_tests_linux_and_macos_on_push_and_compat_weekly():
    text = WORKFLOW.read_text(encoding="utf-8")
    triggers = text.split("\njobs:", 1)[0]
    for trigger in ("push:", "pull_request:", "schedule:", "workflow_dispatch:"):
        assert f"\n  {trigger}" in triggers, trigger
    assert re.search(r'- cron: "[\d*/, -]+ \* \* \d"', triggers), "weekly cron expected"
    assert "os: [ubuntu-latest, macos-latest]" in text
    assert "run: make test" in text
    assert re.search(r"run: make compat\b", text)


# ----------------------------------------------------------------------------- stray files


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_figures_the_notebooks_save_are_ignored_by_git():
    """Notebooks write figures to images/<notebook>/ in their own folder: never tracked."""
    if shutil.which("git") is None or _git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    figure = "notebooks/images/05_handmade_filters/line_filters.png"
    assert _git("check-ignore", "-q", figure).returncode == 0, f"{figure} is not git-ignored"
    assert _git("ls-files", "notebooks/images").stdout == "", "files tracked under notebooks/images"
