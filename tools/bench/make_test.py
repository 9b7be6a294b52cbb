"""``make test`` timed end to end, and what pytest's closing summary says."""

from __future__ import annotations

import os
import re
import subprocess
import time

from tools.layout import ROOT

TIMED_RUN = "CNN_COURSE_TIMED_MAKE_TEST"
_SUMMARY = re.compile(r"^=+ (.*\bin [\d.]+s.*?) =+$")
_COUNT = re.compile(r"(\d+) (failed|passed|skipped|errors?|xfailed|xpassed|deselected)\b")


def parse_pytest_output(text: str) -> dict:
    """Pass/fail counts from pytest's closing summary line, and the failed tests' ids."""
    summary = next(
        (m.group(1) for line in reversed(text.splitlines()) if (m := _SUMMARY.match(line))),
        None,
    )
    counts = {}
    for number, kind in _COUNT.findall(summary or ""):
        counts["errors" if kind.startswith("error") else kind] = int(number)
    failed = [
        line.split(" - ")[0].split(" ", 1)[1]
        for line in text.splitlines()
        if line.startswith(("FAILED ", "ERROR "))
    ]
    return {"summary": summary, "counts": counts, "failed_tests": failed[:30]}


def time_make_test() -> dict:
    """Run ``make test`` as a newcomer would (no data folder, no quick flag, no PYTHONPATH)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CNN_COURSE_DATA", "CNN_COURSE_QUICK", "PYTHONPATH")
    }
    # The README quotes the time this run is measuring; it is known only afterwards.
    env[TIMED_RUN] = "1"
    start = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True, env=env)
    parsed = parse_pytest_output(result.stdout + "\n" + result.stderr)
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "returncode": result.returncode,
        "passed": result.returncode == 0,
        **parsed,
    }


def make_test_lines(run: dict) -> list[str]:
    """What results.md says about `make test`: exit code and counts, a failure in bold."""
    counts = ", ".join(f"{n} {kind}" for kind, n in run.get("counts", {}).items()) or "no counts"
    if run["returncode"] == 0:
        return [
            f"`make test` passed: {run['seconds']:.0f} s end to end, exit code 0 ({counts}).",
        ]
    lines = [
        f"**`make test` FAILED: exit code {run['returncode']}** after {run['seconds']:.0f} s"
        f" ({counts}). The course's tests did not pass on this run.",
    ]
    if run.get("failed_tests"):
        lines += ["", "Failed:", ""] + [f"- `{test}`" for test in run["failed_tests"]]
    return lines
