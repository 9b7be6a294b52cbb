"""Writes that never harm a file: every tool on a full disk, and tools/fileio itself.

A full disk is simulated with a file-size limit (``ulimit -f``) on the process that runs
``python -m tools.course generate`` (and, in a copy of the repository, every other tool that
writes without running a notebook or training): every write past the limit fails with EFBIG,
as a write to a full disk fails with ENOSPC. Afterwards each file must be either exactly what
it was or exactly what a run without limit writes, never a cut copy, and no temporary file is
left.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import fileio

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("README.md", "course.toml", "notebooks", "benchmarks")  # 02's diagrams: helpers/diagrams


def _stale_copy(destination: Path) -> Path:
    """The course's generated files, copied, then made stale so generate rewrites them all."""
    destination.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("images"))
        else:
            shutil.copy2(source, destination / name)
    readme = destination / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index("<!-- syllabus:start -->"), text.index("<!-- syllabus:end -->")
    readme.write_text(text[:start] + "<!-- syllabus:start -->\nold\n" + text[end:], "utf-8")
    for path in sorted((destination / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells[0].source = "<!-- course:header -->\n# An old title"
        nbformat.write(notebook, path)
    return destination


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _limited(file_size_limit: int):
    def limit() -> None:
        # Without SIG_IGN the kernel kills the writer (SIGXFSZ); ignored, the write fails
        # with an error the program sees, as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return limit


def _assert_whole(before: dict, after: dict, now: dict) -> None:
    """Every file as it was or as a run with room writes it; the limit stopped something."""
    assert sorted(now) == sorted(before), "a temporary file was left behind"
    for name, content in now.items():
        assert content in (before[name], after[name]), f"{name} was cut to {len(content):,} bytes"
    assert any(now[name] == before[name] != after[name] for name in now)  # the limit did bite


def _generate(root: Path, file_size_limit: int | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools.course", "generate", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited(file_size_limit) if file_size_limit else None,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(the stale files, what generate makes of them without a limit)."""
    root = _stale_copy(tmp_path_factory.mktemp("course") / "reference")
    before = _snapshot(root)
    result = _generate(root, None)
    assert result.returncode == 0, result.stderr
    after = _snapshot(root)
    assert after["README.md"] != before["README.md"]  # the run had real work to do
    assert after["notebooks/02_first_convnet.ipynb"] != before["notebooks/02_first_convnet.ipynb"]
    return before, after


# 8 KiB stops the first write (README.md); 64 KiB lets README.md and small notebooks
# through and stops notebook 02 (hundreds of KB, figures included) half-way.
@pytest.mark.parametrize("limit", [8 * 1024, 64 * 1024])
def test_generate_on_a_full_disk_leaves_every_file_whole(tmp_path, generated, limit):
    before, after = generated
    root = _stale_copy(tmp_path / "course")
    assert _snapshot(root) == before
    result = _generate(root, limit)
    assert result.returncode != 0, "the limit was meant to stop generate"
    _assert_whole(before, after, _snapshot(root))
    # And the next run, with room, finishes the job.
    assert _generate(root, None).returncode == 0 and _snapshot(root) == after


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "results.json"
    path.write_text('{"old": true}\n')

    def half_then_fail(target: Path) -> None:
        target.write_text('{"new": ')
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        fileio.write_atomically(path, half_then_fail)
    assert json.loads(path.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_write_helpers_replace_the_file_in_one_step(tmp_path):
    fileio.write_text(tmp_path / "a" / "note.md", "über\n")
    fileio.write_bytes(tmp_path / "a" / "data.bin", b"\0\1")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("hi")])
    fileio.write_notebook(notebook, tmp_path / "a" / "n.ipynb")
    assert (tmp_path / "a" / "note.md").read_text(encoding="utf-8") == "über\n"
    assert (tmp_path / "a" / "data.bin").read_bytes() == b"\0\1"
    assert nbformat.read(tmp_path / "a" / "n.ipynb", as_version=4).cells[0].source == "hi"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["data.bin", "n.ipynb", "note.md"]


def test_no_tool_writes_a_file_in_place():
    """Every write in tools/ goes through fileio (the one place that may call these)."""
    in_place = ("write_text(", "write_bytes(", "nbformat.write(", 'open("w', ".savefig(", "savez")
    offenders = []
    for path in sorted((ROOT / "tools").rglob("*.py")):
        if path.name == "fileio.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if any(call in code for call in in_place) and "fileio." not in code:
                if "lambda target" not in code:  # the write inside fileio.write_atomically(...)
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


# --------------------------------------------------------------------------- the other tools

# Each writer as (command, how to make its output stale in a copy of the repository).
WRITERS = {
    "solutions render": (
        ["tools.solutions", "render"],
        lambda root: _append(root / "solutions" / "04_lenet5" / "exercise_1.py", "# edited\n"),
    ),
    "bench --render": (["tools.bench", "--render"], lambda root: _stale(root, "results.md")),
    "mnist_experiments report": (
        ["tools.bench.mnist_experiments", "report"],
        lambda root: _stale(root, "mnist_experiments.md"),
    ),
    "fashion_experiments render": (
        ["tools.bench.fashion_experiments", "render"],
        lambda root: _stale(root, "recipe_experiments.md"),
    ),
    "make_figures": (
        ["tools.make_figures"],
        lambda root: _stale(root, "../helpers/diagrams/max_pooling.png"),
    ),
}
REPOSITORY_PARTS = ("tools", "course.toml", "notebooks", "helpers", "benchmarks", "solutions")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _stale(root: Path, name: str) -> None:
    (root / "benchmarks" / name).write_text("stale\n", encoding="utf-8")


def _repository_copy(destination: Path, make_stale) -> Path:
    destination.mkdir()
    for name in REPOSITORY_PARTS:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    make_stale(destination)
    return destination


def _run_tool(root: Path, command: list[str], file_size_limit: int | None):
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited(file_size_limit) if file_size_limit else None,
    )


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_other_writer_on_a_full_disk_leaves_every_file_whole(tmp_path, writer):
    command, make_stale = WRITERS[writer]
    reference = _repository_copy(tmp_path / "reference", make_stale)
    before = _snapshot(reference)
    result = _run_tool(reference, command, None)
    assert result.returncode == 0, result.stderr
    after = _snapshot(reference)
    changed = [name for name in after if after[name] != before.get(name)]
    assert changed, f"{writer} had nothing to write"
    # Smaller than the smallest file it changes: the limit stops that write half-way.
    limit = max(512, min(len(after[name]) for name in changed) // 2)
    root = _repository_copy(tmp_path / "course", make_stale)
    assert _snapshot(root) == before
    result = _run_tool(root, command, limit)
    assert result.returncode != 0, "the limit was meant to stop the tool"
    _assert_whole(before, after, _snapshot(root))
