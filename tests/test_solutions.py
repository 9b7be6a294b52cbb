"""Exercise solutions: solutions/ and the notebooks agree, and nbval runs every solution."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools import solutions

ROOT = solutions.ROOT
STEM = "01_tiny"
DETAILS = (
    "**1.** Add one.\n\n<details><summary>Show a solution</summary>\n\n"
    "Use the notebook's `x`:\n\n<!-- solution: exercise_1 -->\n<!-- /solution -->\n\n</details>"
)


def test_every_solution_is_rendered_into_its_notebook():
    assert solutions.check() == []


def make_course(root: Path, solution_code: dict[str, str], details: str = DETAILS) -> Path:
    """A one-notebook course: notebooks/01_tiny.ipynb (x = 41) and its solution files."""
    (root / "notebooks").mkdir(parents=True)
    notebook = new_notebook(cells=[new_code_cell("x = 41"), new_markdown_cell(details)])
    notebook.cells[0].execution_count = 1
    path = root / "notebooks" / f"{STEM}.ipynb"
    nbformat.write(notebook, path)
    (root / "solutions" / STEM).mkdir(parents=True)
    for name, code in solution_code.items():
        (root / "solutions" / STEM / f"{name}.py").write_text(code, encoding="utf-8")
    return path


def test_render_writes_the_code_between_the_markers_once(tmp_path):
    path = make_course(tmp_path, {"exercise_1": "\nprint(x + 1)\n\n"})
    assert solutions.check(tmp_path) == [
        f"notebooks/{STEM}.ipynb: rendered solution code is stale; {solutions.RENDER}"
    ]
    assert solutions.render(tmp_path) == [f"notebooks/{STEM}.ipynb"]
    markdown = nbformat.read(path, as_version=4).cells[1].source
    expected = "<!-- solution: exercise_1 -->\n```python\nprint(x + 1)\n```\n<!-- /solution -->"
    assert expected in markdown
    assert markdown.startswith("**1.** Add one.") and markdown.endswith("\n\n</details>")
    assert solutions.render(tmp_path) == []
    assert solutions.check(tmp_path) == []


def test_check_names_a_marker_without_file_and_a_file_without_marker(tmp_path):
    details = DETAILS.replace("exercise_1", "exercise_2")
    make_course(tmp_path, {"exercise_1": "print(x)\n"}, details)
    where = f"notebooks/{STEM}.ipynb"
    assert solutions.check(tmp_path) == [
        f"{where}: marker 'exercise_2' has no file solutions/{STEM}/exercise_2.py",
        f"solutions/{STEM}/exercise_1.py: no '<!-- solution: exercise_1 -->' in {where}",
    ]


def test_check_names_an_unclosed_marker(tmp_path):
    make_course(tmp_path, {}, DETAILS.replace("<!-- /solution -->", ""))
    [problem] = solutions.check(tmp_path)
    assert "1 '<!-- solution: … -->' line(s) but 0 complete block(s)" in problem


def test_a_failing_solution_fails_its_notebook_under_nbval(tmp_path):
    """The real conftest.py, on a tiny course: solutions run after the last cell."""
    make_course(
        tmp_path,
        {
            "exercise_1": "assert x == 41, x\n",  # the notebook's variable is there
            "exercise_2": "raise RuntimeError('broken solution')\n",
        },
    )
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval",
         "--nbval-current-env", "--color=no", "-rA", "notebooks"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    notebook = f"notebooks/{STEM}.ipynb"
    assert f"PASSED {notebook}::Cell 0\n" in output
    assert f"PASSED {notebook}::solution exercise_1\n" in output
    assert f"FAILED {notebook}::solution exercise_2 - " in output
    assert "1 failed, 2 passed" in output
    assert f"solutions/{STEM}/exercise_2.py failed, run after the last cell" in output
    assert "RuntimeError" in output and "broken solution" in output  # IPython colours it
