"""Notebook hygiene: normalised metadata, nothing machine-specific, cells run in order,
nothing stored from cells whose output is not checked, and ruff clean everywhere."""

from __future__ import annotations

import getpass
import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"

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
    assert "widgets" not in metadata, "widget state is stored; run tools/run_notebooks.py"
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
        f"{path.name}: execution counts {counts}; re-run tools/run_notebooks.py"
    )


@pytest.mark.parametrize("path", _notebook_params())
def test_cells_with_unchecked_output_store_none(path):
    for number, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "code" and IGNORE_TAG in cell["metadata"].get("tags", []):
            assert cell["outputs"] == [], f"{path.name}: cell {number} stores unchecked output"


def test_ruff_is_clean_on_helpers_tools_tests_and_notebooks():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache",
         "helpers", "tools", "tests", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-1000:]
