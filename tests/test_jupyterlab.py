"""A learner's real path: JupyterLab in a browser, Run → Run All Cells, no errors.

nbval runs the notebooks through a kernel directly; this test goes through the JupyterLab
front end as a learner does, in headless Chromium. It starts JupyterLab on a free local
port with a random token, serving a temporary copy of the notebooks (so autosave never
touches the repository), with a fresh home, settings and runtime folder, in quick mode.

Opt-in (it takes a minute or two): ``make browser-test``. Set ``CNN_COURSE_LAB_NOTEBOOK``
to run another notebook than the first one of the course.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tools import course as course_tool

ROOT = course_tool.ROOT
STARTUP_SECONDS = 180  # generous: a busy 2-core machine once needed more than 90 s
RUN_SECONDS = 600

# JupyterLab user settings for the test: every cell stays in the page (no virtual
# scrolling, so every output can be inspected) and nothing asks the internet for news.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}

ERROR_OUTPUTS = """() => Array.from(
    document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
        + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'),
    output => output.textContent).filter(
        text => text.includes('Traceback') || /\\w*Error\\b/.test(text))"""

# Done when every code cell shows a number, or when an error stopped the run (Run All
# Cells stops at the first error) and nothing is still queued.
RUN_FINISHED = f"""() => {{
    const prompts = Array.from(
        document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'),
        prompt => prompt.textContent.trim());
    if (prompts.length === 0 || prompts.some(p => p.includes('*'))) return false;
    return prompts.every(p => /^\\[\\d+\\]:?$/.test(p)) || ({ERROR_OUTPUTS})().length > 0;
}}"""

KERNEL_READY = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return bar !== null && /Python 3 \\(ipykernel\\) \\| Idle/.test(bar.textContent);
}"""

CLEARED = """() => Array.from(
    document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'),
    prompt => prompt.textContent.trim()).every(p => !/\\d/.test(p))"""


def _notebook_for_lab() -> str:
    chosen = os.environ.get("CNN_COURSE_LAB_NOTEBOOK")
    if chosen:
        return chosen
    for entry in course_tool.load_manifest().notebooks:
        if (ROOT / "notebooks" / entry.file).exists():
            return entry.file
    pytest.skip("no course notebook exists yet")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            # The server is local: no proxy from the environment may stand in between.
            direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with direct.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def lab(tmp_path):
    """A running JupyterLab on a copy of the course; yields (base URL, token, folder)."""
    served = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", served / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if (ROOT / "images").is_dir():
        shutil.copytree(ROOT / "images", served / "images")
    settings = tmp_path / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "MPL"))
    }
    environment.update(
        CNN_COURSE_QUICK="1",
        HOME=str(tmp_path / "home"),
        IPYTHONDIR=str(tmp_path / "ipython"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
             f"--port={port}", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={served}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             # CI machines run everything as root; JupyterLab refuses that unless told.
             *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
            env=environment, stdout=log_file, stderr=subprocess.STDOUT, cwd=served,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", process, log)
        yield base, token, served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.browser
def test_run_all_cells_through_jupyterlab(chromium, lab, tmp_path, capsys):
    base, token, served = lab
    name = _notebook_for_lab()
    import nbformat

    code_cells = sum(
        cell.cell_type == "code"
        for cell in nbformat.read(served / "notebooks" / name, as_version=4).cells
    )
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    start = time.monotonic()
    try:
        page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=STARTUP_SECONDS * 1000)
        # The toolbar says "idle" before a kernel is attached; the status bar names it.
        page.wait_for_function(KERNEL_READY, timeout=STARTUP_SECONDS * 1000, polling=500)
        opened = time.monotonic()
        # The stored outputs already carry prompts [1], [2]...: clear them first, so that
        # the numbers seen afterwards come from this run.
        page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").first.click()
        page.wait_for_function(CLEARED, timeout=30_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(RUN_FINISHED, timeout=RUN_SECONDS * 1000, polling=1000)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        finished = time.monotonic()
        errors = page.evaluate(ERROR_OUTPUTS)
        prompts = page.evaluate(
            "() => Array.from(document.querySelectorAll("
            "'.jp-Notebook .jp-CodeCell .jp-InputPrompt'), p => p.textContent.trim())"
        )
    finally:
        page.screenshot(path=str(tmp_path / "jupyterlab.png"), full_page=True)
        page.close()
    with capsys.disabled():
        print(
            f"\n{name} in JupyterLab: opened in {opened - start:.0f} s, ran all cells in"
            f" {finished - opened:.0f} s (screenshot: {tmp_path / 'jupyterlab.png'})"
        )
    assert errors == [], "cells show errors:\n" + "\n---\n".join(errors)[:4000]
    assert len(prompts) == code_cells
    numbers = [int(prompt.strip("[]:")) for prompt in prompts]
    assert numbers == list(range(1, code_cells + 1)), prompts


EXPLORER_NOTEBOOK = "03_counting_parameters.ipynb"  # no training: Run All takes seconds
EXPLORER_IMAGE = ".jp-OutputArea-output img.widget-image"


@pytest.mark.browser
def test_an_explorer_redraws_when_its_slider_moves(chromium, lab, tmp_path, capsys):
    """The output-size explorer in JupyterLab: a stride slider moved by keyboard, as a learner
    would after clicking it, changes the figure the widget shows."""
    base, token, _ = lab
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    shots = tmp_path / "explorer-before.png", tmp_path / "explorer-after.png"
    try:
        page.goto(f"{base}/lab/tree/notebooks/{EXPLORER_NOTEBOOK}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=STARTUP_SECONDS * 1000)
        page.wait_for_function(KERNEL_READY, timeout=STARTUP_SECONDS * 1000, polling=500)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        page.wait_for_function(RUN_FINISHED, timeout=RUN_SECONDS * 1000, polling=1000)
        assert page.evaluate(ERROR_OUTPUTS) == []
        image = page.locator(EXPLORER_IMAGE).first
        image.wait_for(state="visible", timeout=60_000)
        image.scroll_into_view_if_needed()
        before = image.get_attribute("src")
        image.screenshot(path=str(shots[0]))
        slider = page.locator(".widget-slider", has_text="stride").first
        handle = slider.locator(".noUi-handle, .ui-slider-handle").first
        handle.click()
        handle.press("ArrowRight")
        page.wait_for_function(
            "([selector, old]) => document.querySelector(selector).getAttribute('src') !== old",
            arg=[EXPLORER_IMAGE, before], timeout=30_000, polling=250,
        )
        page.wait_for_timeout(500)  # let the new image finish loading before the screenshot
        image.screenshot(path=str(shots[1]))
        readout = slider.locator(".widget-readout").first.text_content().strip()
    finally:
        page.close()
    with capsys.disabled():
        print(f"\nexplorer screenshots: {shots[0]} and {shots[1]}")
    assert readout == "3", readout  # the stride moved from 2 to 3
    assert shots[0].read_bytes() != shots[1].read_bytes()
