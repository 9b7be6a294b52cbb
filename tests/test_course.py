"""The course around the notebooks: manifest, README syllabus, index, headers, navigation,
links, Colab badges and install cell, and the wheel that carries helpers to Colab."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import types
import zipfile
from pathlib import Path

import nbformat
import pytest

from tools import cells as generated
from tools import consistency, links, manifest
from tools import course as course_tool

ROOT = course_tool.ROOT
COURSE = course_tool.load_manifest()
EXPECTED_FILES = [
    "01_dense_baseline.ipynb",
    "02_first_convnet.ipynb",
    "03_counting_parameters.ipynb",
    "04_lenet5.ipynb",
    "05_handmade_filters.ipynb",
    "06_pooling.ipynb",
    "07_fashion_mnist.ipynb",
]


def _source(cell) -> str:
    return "".join(cell.source) if isinstance(cell.source, list) else cell.source


# ----------------------------------------------------------------------------- manifest


def test_manifest_lists_the_seven_notebooks_in_order():
    assert [entry.file for entry in COURSE.notebooks] == EXPECTED_FILES
    for entry in COURSE.notebooks:
        assert 3 <= len(entry.objectives) <= 5, entry.file
        assert entry.minutes > 0 and entry.title and entry.summary


def test_manifest_errors_name_the_entry_and_key(tmp_path):
    text = (ROOT / "course.toml").read_text(encoding="utf-8")
    second = text.index("[[notebook]]", text.index("[[notebook]]") + 1)  # the 2nd entry
    broken = text[:second] + re.sub(r"minutes = \d+", 'minutes = "soon"', text[second:], count=1)
    (tmp_path / "course.toml").write_text(broken)
    with pytest.raises(manifest.ManifestError, match=r"notebook\[2\]\.minutes: got 'soon'"):
        course_tool.load_manifest(tmp_path)


def test_manifest_and_notebooks_folder_agree():
    assert consistency.inventory_problems(COURSE) == []


# ----------------------------------------------------------------------------- generated


def test_readme_syllabus_is_up_to_date():
    assert consistency.readme_problems(COURSE) == []


def test_index_notebook_is_up_to_date():
    assert consistency.index_problems(COURSE) == []


def test_notebook_headers_navigation_and_slides_are_up_to_date():
    assert consistency.generated_cell_problems(COURSE) == []


def test_every_relative_link_image_and_badge_resolves():
    assert links.link_problems(COURSE) == []


def _course_copy(tmp_path: Path) -> Path:
    shutil.copy2(ROOT / "course.toml", tmp_path / "course.toml")
    (tmp_path / "README.md").write_text(
        "# Course\n\n<!-- syllabus:start -->\n<!-- syllabus:end -->\n\nThe rest.\n"
    )
    (tmp_path / "notebooks").mkdir()
    return tmp_path


def _authors_notebook(name: str):
    """A notebook as an author hands it over: no header, its own objectives section."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("Why this notebook matters."),
        nbformat.v4.new_markdown_cell("## What you will learn\n- one\n- two\n- three"),
        nbformat.v4.new_code_cell(f'import helpers\n\ncourse = helpers.setup("{name}")'),
        nbformat.v4.new_markdown_cell("## Building it\nLook at the shapes."),
        nbformat.v4.new_code_cell("print((28, 28, 1))"),
        nbformat.v4.new_markdown_cell("## Exercises\n**1.** Change the kernel size."),
        nbformat.v4.new_markdown_cell(
            "<details><summary>Show a solution</summary>\n\n```python\nx = 1\n```\n</details>"
        ),
    ]
    return notebook


def test_generate_writes_every_part_and_a_second_run_changes_nothing(tmp_path):
    root = _course_copy(tmp_path)
    first = COURSE.notebooks[0]
    nbformat.write(_authors_notebook(first.name), root / "notebooks" / first.file)

    changed = course_tool.generate(root)
    assert changed == ["README.md", "notebooks/00_index.ipynb", f"notebooks/{first.file}"]
    assert course_tool.generate(root) == []
    assert "The rest." in (root / "README.md").read_text()

    notebook = nbformat.read(root / "notebooks" / first.file, as_version=4)
    header, install, *content, nav = notebook.cells
    assert _source(header).startswith("<!-- course:header -->\n# 01 · ")
    assert _source(install).startswith("# course:colab-install")
    assert _source(nav).startswith("<!-- course:nav -->")
    # The author's objectives were folded into the header: they appear once.
    every_text = "\n".join(_source(cell) for cell in notebook.cells)
    assert every_text.count("## What you will learn") == 1
    assert all(objective in _source(header) for objective in first.objectives)
    slide_types = [cell.metadata.slideshow.slide_type for cell in notebook.cells]
    assert slide_types == ["slide", "skip", "subslide", "-", "slide", "-", "slide",
                           "fragment", "skip"]


def test_generate_refreshes_edited_generated_cells_in_place(tmp_path):
    root = _course_copy(tmp_path)
    first = COURSE.notebooks[0]
    path = root / "notebooks" / first.file
    nbformat.write(_authors_notebook(first.name), path)
    course_tool.generate(root)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = "<!-- course:header -->\n# An old title"
    notebook.cells[1].execution_count = 1
    nbformat.write(notebook, path)

    assert consistency.generated_cell_problems(course_tool.load_manifest(root), root) != []
    course_tool.generate(root)
    notebook = nbformat.read(path, as_version=4)
    copied = course_tool.load_manifest(root)  # the copy has no benchmark results
    assert _source(notebook.cells[0]) == generated.header_source(copied, first)
    assert notebook.cells[1].execution_count == 1  # the install cell kept its run
    assert len(notebook.cells) == 9


def test_navigation_links_previous_index_and_next():
    first, second, *_, last = COURSE.notebooks
    index = "](00_index.ipynb)"
    assert index in generated.nav_source(COURSE, first)
    assert "←" not in generated.nav_source(COURSE, first)
    middle = generated.nav_source(COURSE, second)
    assert middle.index(f"]({first.file})") < middle.index(index)
    assert middle.index(index) < middle.index(f"]({COURSE.notebooks[2].file})")
    assert "→" not in generated.nav_source(COURSE, last)


# ----------------------------------------------------------------------------- links


def test_links_in_finds_markdown_reference_and_html_links_outside_code():
    text = (
        "See [the data](../helpers/data.py) and ![a figure](../images/a.png).\n\n"
        '<img src="../images/b.png"> <a href="02_first_convnet.ipynb#top">next</a>\n\n'
        "[ref]: 03_counting_parameters.ipynb\n\n"
        "```python\nmodel.layers[0](inputs)\n```\nand `x[1](y)` in a sentence."
    )
    assert links.links_in(text) == [
        "../helpers/data.py",
        "../images/a.png",
        "03_counting_parameters.ipynb",
        "../images/b.png",
        "02_first_convnet.ipynb#top",
    ]


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("../README.md", None),
        ("../course.toml#repository", None),
        ("#a-heading", None),
        ("https://keras.io/api/", None),
        ("missing.ipynb", "no such file"),
        ("../../outside.txt", "outside the repository"),
        (COURSE.colab_url("01_dense_baseline.ipynb").replace("/main/", "/master/"), "expected"),
        ("https://colab.research.google.com/github/a/b/blob/main/x.ipynb", "expected"),
        ("https://colab.research.google.com/github/just-owner", "malformed"),
        (f"https://github.com/{COURSE.github}/blob/{COURSE.ref}/no/such/file.py", "not in"),
    ],
)
def test_check_link(target, problem):
    reason = links.check_link(target, ROOT / "notebooks" / "x.ipynb", COURSE, ROOT)
    if problem is None:
        assert reason is None
    else:
        assert reason is not None and problem in reason


# ----------------------------------------------------------------------------- Colab


def test_badge_urls_are_well_formed_and_name_existing_notebooks():
    pattern = re.compile(
        r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w./-]+"
        r"/notebooks/\d\d_[a-z0-9_]+\.ipynb"
    )
    for entry in COURSE.notebooks:
        url = COURSE.colab_url(entry.file)
        assert pattern.fullmatch(url), url
        assert f"/github/{COURSE.github}/blob/{COURSE.ref}/" in url
        badge = generated.colab_badge(COURSE, entry.file)
        assert badge == f"[![Open In Colab]({course_tool.BADGE_IMAGE})]({url})"
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", COURSE.github)


def _install_cells() -> list[tuple[str, str]]:
    """(where, source) of the install cell of every notebook, or the generated one."""
    cells = []
    for entry in COURSE.notebooks:
        path = ROOT / "notebooks" / entry.file
        if path.exists():
            notebook = nbformat.read(path, as_version=4)
            cells += [
                (entry.file, _source(cell))
                for cell in notebook.cells
                if _source(cell).startswith(generated.INSTALL_MARKER)
            ]
    return cells or [("generated", generated.install_source(COURSE))]


def _run_install_cell(source: str, colab: bool) -> tuple[str, list]:
    """Run the cell as IPython would; return what it printed and the magics it called."""
    from IPython.core.inputtransformer2 import TransformerManager

    python = TransformerManager().transform_cell(source)
    magics = []
    fake_shell = types.SimpleNamespace(
        run_line_magic=lambda name, line: magics.append((name, line)),
        system=lambda command: magics.append(("!", command)),
    )
    namespace = {"get_ipython": lambda: fake_shell}
    saved = sys.modules.get("google.colab")
    if colab:
        sys.modules["google.colab"] = types.ModuleType("google.colab")
    else:
        sys.modules.pop("google.colab", None)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(compile(python, "<install cell>", "exec"), namespace)
    finally:
        sys.modules.pop("google.colab", None)
        if saved is not None:
            sys.modules["google.colab"] = saved
    return printed.getvalue(), magics


@pytest.mark.parametrize(("where", "source"), _install_cells())
def test_install_cell_does_nothing_outside_colab(where, source):
    assert source == generated.install_source(COURSE), where
    assert _run_install_cell(source, colab=False) == ("", [])


def _fake_pip(monkeypatch, returncode: int = 0, stderr: str = "") -> list:
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, returncode, stdout="", stderr=stderr)

    monkeypatch.setattr(subprocess, "run", run)
    return calls


def test_install_cell_on_colab_installs_helpers_from_the_manifest_repository(monkeypatch):
    calls = _fake_pip(monkeypatch)
    printed, magics = _run_install_cell(generated.install_source(COURSE), colab=True)
    url = f"git+https://github.com/{COURSE.github}@{COURSE.ref}"
    assert calls == [
        [sys.executable, "-m", "pip", "install", "--quiet", f"cnn-course-helpers @ {url}"]
    ]
    # No IPython magic (%pip adds "you may need to restart the kernel"), one line of output.
    assert magics == []
    from importlib.metadata import version

    assert printed == f"Installed cnn-course-helpers {version('cnn-course-helpers')} from {url}\n"
    assert "restart" not in printed.lower()


def test_install_cell_shows_pip_output_when_the_install_fails(monkeypatch):
    _fake_pip(monkeypatch, returncode=1, stderr="ERROR: Could not find a version")
    with pytest.raises(RuntimeError, match="pip install --quiet cnn-course-helpers @ git"
                       r".*\n.*ERROR: Could not find a version"):
        _run_install_cell(generated.install_source(COURSE), colab=True)


def test_wheel_carries_the_quick_mode_samples(tmp_path):
    """Colab installs helpers from git as a wheel: the samples must be inside it."""
    samples = sorted(path.name for path in (ROOT / "helpers" / "samples").glob("*.npz"))
    assert samples, "helpers/samples/ holds no .npz files"
    # Built without isolation (offline), so the environment's own build tools must satisfy
    # pyproject's [build-system] requires; say so plainly rather than in a setuptools trace.
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    with open(ROOT / "pyproject.toml", "rb") as handle:
        build_requires = tomllib.load(handle)["build-system"]["requires"]
    for requirement in map(Requirement, build_requires):
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            installed = None
        assert installed is not None and requirement.specifier.contains(installed), (
            f"pyproject.toml needs {requirement} to build helpers, this environment has"
            f" {requirement.name} {installed}: pin a matching version in requirements.txt"
        )
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "helpers",
        source / "helpers",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    shutil.copy2(ROOT / "pyproject.toml", source / "pyproject.toml")
    readme = ROOT / "README.md"
    (source / "README.md").write_text(readme.read_text() if readme.exists() else "# helpers\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", str(source), "-w", str(tmp_path / "dist")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("cnn_course_helpers-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for sample in samples:
        assert f"helpers/samples/{sample}" in names
    # Every module too: a subpackage missing from pyproject's `packages` would be left out.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    assert "helpers/__init__.py" in names


def test_run_minutes_come_from_the_benchmark_projected_to_full_data(tmp_path):
    results = tmp_path / "results.json"
    assert manifest.benchmark_run_minutes(results) == ()
    rows = [
        {"notebook": "02_first_convnet", "wall_seconds": 30.0, "training_seconds": 18.0,
         "projected_full_training_seconds": 108.0, "error": None},
        {"notebook": "05_handmade_filters", "wall_seconds": 9.0, "training_seconds": 0,
         "projected_full_training_seconds": None, "error": None},
        {"notebook": "07_fashion_mnist", "wall_seconds": None, "error": "timeout"},
    ]
    results.write_text(json.dumps({"notebooks": rows}))
    minutes = manifest.benchmark_run_minutes(results)
    assert minutes == (("02_first_convnet", 2.0), ("05_handmade_filters", 0.1))

    course = dataclasses.replace(course_tool.load_manifest(), run_minutes=minutes)
    second, fifth, seventh = (course.notebooks[i] for i in (1, 4, 6))
    assert generated.run_time_note(course, second).startswith(
        ", of which about 2 minutes of computing in full mode"
    )
    assert generated.run_time_note(course, fifth).startswith(", of which under 1 minute")
    assert generated.run_time_note(course, seventh) == ""


# ----------------------------------------------------------------------------- standalone
# Colab opens a single .ipynb from GitHub: what a notebook shows must travel inside it.


def test_no_notebook_needs_the_repository_beside_it():
    assert consistency.standalone_problems() == []


def test_standalone_check_reports_relative_links_and_images():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "![a figure](../images/02_first_convnet/convolution.png) [next](03_x.ipynb)"
            " [results](../benchmarks/results.md) <img src='images/x.png'>"
        ),
        nbformat.v4.new_markdown_cell(
            "![ok](attachment:convolution.png) [ok](https://example.org/) [ok](#exercises)"
            " `[not a link](in/code.md)`"
        ),
        nbformat.v4.new_code_cell("show()"),
    ]
    notebook.cells[2].outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": '<img src="images/y.png">'})
    ]
    problems = links.standalone_problems(notebook)
    targets = [problem.split("'")[1] for problem in problems]
    assert targets == [
        "../images/02_first_convnet/convolution.png", "03_x.ipynb",
        "../benchmarks/results.md", "images/x.png", "images/y.png",
    ]
    assert problems[-1].startswith("cell 2: ")


def test_generated_links_are_relative_with_the_colab_route_beside_each():
    second = COURSE.notebooks[1]
    header = generated.header_source(COURSE, second)
    nav = generated.nav_source(COURSE, second)
    colab = f"https://colab.research.google.com/github/{COURSE.github}/blob/{COURSE.ref}/notebooks/"
    for file, text in (("01_dense_baseline.ipynb", header), ("01_dense_baseline.ipynb", nav),
                       ("00_index.ipynb", nav), ("03_counting_parameters.ipynb", nav)):
        # JupyterLab stays in the lab; the badge right after the link opens it on Colab.
        assert f"]({file}) [![Open In Colab]({course_tool.BADGE_IMAGE})]({colab}{file})" in text
    assert "https://github.com/" not in nav
    index = generated.index_sources(COURSE)[1]
    assert "](01_dense_baseline.ipynb)" in index and f"({colab}01_dense_baseline.ipynb)" in index
    manifest = dataclasses.replace(COURSE, run_minutes=(("02_first_convnet", 2.0),))
    note = generated.run_time_note(manifest, second)
    assert f"(https://github.com/{COURSE.github}/blob/{COURSE.ref}/benchmarks/results.md)" in note


def test_a_relative_notebook_link_needs_its_colab_link_beside_it():
    colab = f"{course_tool.COLAB_PREFIX}{COURSE.github}/blob/{COURSE.ref}/notebooks/"
    badge = f"[![Colab]({course_tool.BADGE_IMAGE})]"
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"[next](03_x.ipynb) {badge}({colab}03_x.ipynb)"),
        nbformat.v4.new_markdown_cell(f"[next](03_x.ipynb) {badge}({colab}04_y.ipynb)"),
        nbformat.v4.new_markdown_cell(f"[data](data/03_x.ipynb) [Colab]({colab}data/03_x.ipynb)"),
    ]
    problems = links.standalone_problems(notebook)
    assert [problem.split(":")[0] for problem in problems] == ["cell 1", "cell 2"]


# A 1×1 PNG, so that the attachment tests need no figure of the course.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000020001e221bc330000000049454e44ae426082"
)


def test_generate_embeds_figures_as_attachments_and_check_finds_stale_ones(tmp_path):
    root = _course_copy(tmp_path)
    first = COURSE.notebooks[0]
    figures = root / "images" / first.name
    figures.mkdir(parents=True)
    (figures / "sketch.png").write_bytes(TINY_PNG)
    notebook = _authors_notebook(first.name)
    notebook.cells.insert(
        1, nbformat.v4.new_markdown_cell(f"![A sketch](../images/{first.name}/sketch.png)")
    )
    path = root / "notebooks" / first.file
    nbformat.write(notebook, path)

    course_tool.generate(root)
    assert course_tool.generate(root) == []  # idempotent
    cells = nbformat.read(path, as_version=4).cells
    (figure_cell,) = [cell for cell in cells if "attachments" in cell]
    assert _source(figure_cell) == "![A sketch](attachment:sketch.png)"
    import base64

    assert base64.b64decode(figure_cell.attachments["sketch.png"]["image/png"]) == TINY_PNG
    course = course_tool.load_manifest(root)
    assert consistency.embedding_problems(course, root) == []
    assert consistency.standalone_problems(root) == []

    (figures / "sketch.png").write_bytes(TINY_PNG + b"redrawn")  # the figure was re-drawn
    (problem,) = consistency.embedding_problems(course, root)
    assert "attachment 'sketch.png' differs from images/01_dense_baseline/sketch.png" in problem
    assert course_tool.generate(root) == [f"notebooks/{first.file}"]
    assert consistency.embedding_problems(course, root) == []


def test_no_notebook_relies_on_attachments():
    """Notebook 02's diagrams are outputs now (tests/test_plotting_figures.py): GitHub and
    nbviewer do not render attachments, so none may come back."""
    assert consistency.embedding_problems(COURSE) == []
    for entry in COURSE.notebooks:
        notebook = nbformat.read(ROOT / "notebooks" / entry.file, as_version=4)
        assert not any(cell.get("attachments") for cell in notebook.cells), entry.file


STANDALONE_NOTEBOOK = "06_pooling.ipynb"


def test_a_notebook_runs_alone_with_helpers_from_the_wheel(tmp_path):
    """As on Colab: one .ipynb in an empty folder, helpers installed from a wheel.

    The wheel goes into a target folder put first on PYTHONPATH, ahead of any editable
    install; the kernel checks it imported helpers from there. Afterwards the folder may
    hold only the notebook and what it saved under images/, and the figures are sound.
    """
    source, dist, site, home, alone = (tmp_path / name for name in
                                       ("source", "dist", "site", "home", "alone"))
    for folder in (home, alone):
        folder.mkdir()
    # Built from a copy: building in the checkout would leave build/ behind in it.
    shutil.copytree(ROOT / "helpers", source / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         str(source), "-w", str(dist)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("cnn_course_helpers-*.whl")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
         str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]

    notebook = nbformat.read(ROOT / "notebooks" / STANDALONE_NOTEBOOK, as_version=4)
    probe = nbformat.v4.new_code_cell(
        "import helpers, pathlib\nprint('helpers from:', pathlib.Path(helpers.__file__).parent)"
    )
    notebook.cells.append(probe)
    nbformat.write(notebook, alone / STANDALONE_NOTEBOOK)

    environ = {**os.environ, "PYTHONPATH": str(site), "HOME": str(home),
               "CNN_COURSE_QUICK": "1"}
    environ.pop("MPLBACKEND", None)  # the kernel's own inline backend, as in a notebook
    from nbclient import NotebookClient

    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(alone)}})
    started = time.monotonic()
    client.execute(cwd=str(alone), env=environ)
    print(f"{STANDALONE_NOTEBOOK} ran alone in {time.monotonic() - started:.0f} s")

    printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    assert f"helpers from: {site / 'helpers'}" in printed, printed
    written = sorted(path.relative_to(alone).as_posix() for path in alone.rglob("*")
                     if path.is_file())
    assert STANDALONE_NOTEBOOK in written
    strays = [name for name in written if name != STANDALONE_NOTEBOOK
              and not name.startswith("images/")]
    assert strays == [], f"written outside images/: {strays}"
    figures = [alone / name for name in written if name.endswith(".png")]
    assert figures, "the notebook saved no figure"
    import matplotlib.image

    for figure in figures:
        pixels = matplotlib.image.imread(figure)
        assert pixels.shape[0] > 50 and pixels.shape[1] > 50 and pixels.std() > 0, figure
    shown = [output for cell in notebook.cells for output in cell.get("outputs", [])
             if any(mime.startswith("image/") for mime in output.get("data", {}))]
    assert shown, "the notebook showed no figure"
