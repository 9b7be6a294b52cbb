"""Stored outputs that nbval cannot check must come from the code as it is now.

Cells tagged ``nbval-ignore-output`` keep the outputs of the last full reference run
(``make reference``). Each records a fingerprint of its own source, every code cell before
it and the ``helpers`` package; a fingerprint that no longer matches is a stale output, and
this test names the notebook, the cells and the command that refreshes them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from tools import reference_outputs as ro

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _with_unchecked_cells():
    params = []
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if any(ro.is_unchecked(cell) for cell in notebook["cells"]):
            params.append(pytest.param(path, id=path.name))
    return params or [pytest.param(None, marks=pytest.mark.skip(reason="no unchecked cells"))]


@pytest.mark.parametrize("path", _with_unchecked_cells())
def test_stored_unchecked_outputs_are_not_stale(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    stale = ro.stale_cells(notebook)
    assert not stale, ro.describe_stale(path.name, stale)


# --------------------------------------------------------------------------- the mechanism


def _notebook(*cells) -> dict:
    """A notebook of (kind, source, tagged) cells."""
    made = []
    for kind, source, tagged in cells:
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else (
            nbformat.v4.new_markdown_cell(source)
        )
        if tagged:
            cell.metadata["tags"] = [ro.IGNORE_TAG]
        made.append(cell)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = made
    return notebook


@pytest.fixture
def project(tmp_path):
    """A folder with a copy of helpers/, so that a helper can be edited safely."""
    ignore = shutil.ignore_patterns("samples", "__pycache__")
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers", ignore=ignore)
    return tmp_path


def _fresh(project):
    notebook = _notebook(
        ("markdown", "<!-- course:header -->\n# Title", False),
        ("code", "# course:colab-install\nimport sys", False),
        ("code", "import helpers\nx = 1", False),
        ("code", "model.fit(x)", True),
        ("markdown", "What to look for.", False),
        ("code", "print(x)", False),
        ("code", "plot(history)", True),
    )
    ro.record_fingerprints(notebook, project)
    return notebook


def test_fresh_fingerprints_match_and_sit_in_the_unchecked_cells(project):
    notebook = _fresh(project)
    assert ro.stale_cells(notebook, project) == []
    stored = [cell.metadata.get(ro.FINGERPRINT_KEY) for cell in notebook.cells]
    assert [i for i, value in enumerate(stored) if value] == [3, 6]
    assert stored[3] != stored[6]


def test_a_comment_in_a_training_cell_makes_it_and_later_cells_stale(project):
    notebook = _fresh(project)
    notebook.cells[3].source += "  # a comment"
    stale = ro.stale_cells(notebook, project)
    assert [cell.index for cell in stale] == [3, 6]
    message = ro.describe_stale("07_x.ipynb", stale)
    assert "07_x.ipynb" in message and "cell 3 `model.fit(x)" in message
    assert "make reference" in message


def test_an_earlier_checked_cell_counts_too(project):
    notebook = _fresh(project)
    notebook.cells[5].source = "print(x + 1)"
    assert [cell.index for cell in ro.stale_cells(notebook, project)] == [6]


def test_a_changed_helper_makes_every_unchecked_cell_stale(project):
    notebook = _fresh(project)
    plotting = project / "helpers" / "plotting.py"
    plotting.write_text(plotting.read_text() + "\nSOMETHING = 1\n")
    assert [cell.index for cell in ro.stale_cells(notebook, project)] == [3, 6]


def test_whitespace_markdown_and_the_install_cell_do_not_count(project):
    notebook = _fresh(project)
    notebook.cells[3].source = "\nmodel.fit(x)   \n\n"
    notebook.cells[0].source += "\nProvenance line."
    notebook.cells[4].source = "Something else to look for."
    notebook.cells[1].source += "\n# installs from another repository address"
    assert ro.stale_cells(notebook, project) == []


def test_a_cell_the_reference_run_never_ran_is_reported(project):
    notebook = _fresh(project)
    del notebook.cells[6].metadata[ro.FINGERPRINT_KEY]
    (stale,) = ro.stale_cells(notebook, project)
    assert stale.index == 6 and "never run" in stale.reason


def test_quick_run_keeps_the_reference_outputs_of_unchecked_cells(tmp_path):
    """tools/run_notebooks.py updates checked cells only (one small kernel run)."""
    from tools import run_notebooks

    notebook = _notebook(
        ("code", "value = 6 * 7", False),
        ("code", "print('checked', value)", False),
        ("code", "print('unchecked, quick run')", True),
    )
    ro.record_fingerprints(notebook)
    full_output = nbformat.v4.new_output("stream", name="stdout", text="from the full run\n")
    notebook.cells[2].outputs = [full_output]
    notebook.cells[2].execution_count = 3
    path = tmp_path / "99_try.ipynb"
    nbformat.write(notebook, path)

    run_notebooks.run(path, timeout=120)

    stored = nbformat.read(path, as_version=4)
    assert stored.cells[1].outputs[0]["text"] == "checked 42\n"
    assert stored.cells[2].outputs[0]["text"] == "from the full run\n"
    assert stored.cells[2].metadata[ro.FINGERPRINT_KEY] == notebook.cells[2].metadata[
        ro.FINGERPRINT_KEY
    ]
    assert ro.stale_cells(stored) == []
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file was left behind"
