"""Shared pytest set-up: markers.

Tests marked ``browser`` drive JupyterLab in headless Chromium and take a minute or more.
They are opt-in: ``make browser-test`` runs them (``pytest -m browser``), and so does any
run with ``CNN_COURSE_BROWSER_TESTS=1``; a plain ``make test`` skips them.

Tests marked ``grading`` run every notebook again (the student edition top to bottom, and
nbgrader's autograder on the course's solutions and on untouched submissions): 15 minutes
on a busy 2-core machine, so they are opt-in too: ``make grading-test`` (``pytest -m
grading``), meant for the weekly CI run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.slides.walk import CHROMIUM, CHROMIUM_FLAGS  # one launch recipe for every browser test

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives JupyterLab in headless Chromium; opt-in (make browser-test)",
    )
    config.addinivalue_line(
        "markers",
        "grading: re-runs every notebook (student edition, nbgrader); opt-in (make grading-test)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    expression = config.getoption("markexpr", "") or ""
    opt_in = {
        "browser": (
            "browser" in expression or os.environ.get("CNN_COURSE_BROWSER_TESTS") == "1",
            "browser test, opt-in: run `make browser-test`",
        ),
        "grading": (
            "grading" in expression,
            "re-runs every notebook, opt-in: run `make grading-test`",
        ),
    }
    for marker, (chosen, reason) in opt_in.items():
        if chosen:
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)




@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium driven by Playwright, or a skip that says what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
