"""``make compat``'s reports: what an environment holds, its pytest runs, the summary.

tools/compat.py builds the environments and calls these; see its docstring.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

# pytest's last line, with or without its "=====" frame: "3 failed, 219 passed in 387.90s ..."
SUMMARY_LINE = re.compile(
    r"^=*\s*(\d+ (?:passed|failed|error|errors|skipped)\b.*? in [0-9.]+s\b.*?)\s*=*$",
    re.MULTILINE,
)


def child_environ(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a command in a compat environment, minus PYTHONPATH:
    a caller's PYTHONPATH (e.g. a checkout) would shadow the ``helpers`` installed there."""
    environ = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return {**environ, **(extra_env or {})}


def installed_versions(python: Path, folder: Path) -> dict[str, str]:
    program = (
        "import importlib.metadata as m, json, platform\n"
        "import helpers\n"
        "names = ['tensorflow', 'tensorflow-cpu', 'keras', 'numpy', 'matplotlib',\n"
        "         'scikit-learn', 'scipy', 'ipykernel', 'ipython', 'ipywidgets', 'pip',\n"
        "         'pytest', 'cnn-course-helpers']\n"
        "found = {}\n"
        "for name in names:\n"
        "    try:\n"
        "        found[name] = m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        pass\n"
        "found['helpers imported from'] = helpers.__file__\n"
        "found['python'] = platform.python_version()\n"
        "found['all'] = {d.metadata['Name']: d.version for d in m.distributions()}\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run(
        [str(python), "-c", program], cwd=folder, capture_output=True, text=True, check=True,
        env=child_environ(),
    )
    return json.loads(result.stdout)


def pytest_run(python: Path, paths: list[str], extra_env: dict[str, str], cwd: Path) -> dict:
    pytest = python.parent / "pytest"
    environ = child_environ(extra_env)
    started = time.monotonic()
    result = subprocess.run(
        [str(pytest), "-q", "-rfE", *paths],
        cwd=cwd, env=environ, capture_output=True, text=True, check=False,
    )
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    print(output[-6000:], flush=True)
    summary = SUMMARY_LINE.findall(output)
    return {
        "paths": paths,
        "passed": result.returncode == 0,
        "result": summary[-1] if summary else f"no summary (exit status {result.returncode})",
        "minutes": round(seconds / 60, 1),
    }


def print_summary(reports: list[dict]) -> None:
    print("\n==== compatibility summary ====")
    for report in reports:
        installed = report["installed"]
        versions = ", ".join(
            f"{name} {installed[name]}" for name in installed if name != "helpers imported from"
        )
        verdict = "PASS" if report["passed"] else "FAIL"
        print(f"{report['environment']} ({report['about']}): {verdict}, {report['minutes']} min")
        print(f"  Python {report['python']}: {versions}")
        print(f"  {report['packages']} packages installed", end="")
        if report["from the freeze"] is not None:
            print(f", {report['from the freeze']} of them at the freeze's version", end="")
        print()
        if report["tools over the freeze"]:
            print(f"  test tools over the freeze: {', '.join(report['tools over the freeze'])}")
        print(f"  helpers: {report['helpers install']}")
        for problem in report["problems"]:
            print(f"  problem: {problem}")
        for run_ in report["runs"]:
            print(f"  pytest {' '.join(run_['paths'])}: {run_['result']} ({run_['minutes']} min)")
