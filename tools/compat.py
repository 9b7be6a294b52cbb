"""Compatibility run: the course's tests on the oldest versions it declares and on Colab's.

    python -m tools.compat                 # build (or reuse) both environments, run everything
    python -m tools.compat --only floor    # one environment
    python -m tools.compat --committed     # colab: install helpers from the clone's HEAD
    python -m tools.compat --fresh         # delete and rebuild the environments first

``make compat`` runs this. For each environment in ``ENVIRONMENTS`` it

1. creates a virtual environment OUTSIDE the repository (``~/.cache/cnn-course/compat/<name>``,
   or under ``$CNN_COURSE_COMPAT_DIR``), reused while what it should hold is unchanged;
2. installs the environment's library versions plus the test tools pinned in requirements.txt
   (``colab``: the set tools/colab_set.py derives from Colab's published pip freeze,
   compat/colab-pip-freeze.txt, with the freeze as pip constraints), and ``helpers`` the way
   that environment would get it: ``floor`` as ``make lab`` does
   (editable, here with the ``[cpu]`` extra so that pip checks the declared ranges admit the
   floor); ``colab`` by running the notebooks' Colab install cell (from tools/course.py) with
   ``google.colab`` simulated and the GitHub URL replaced by a ``git+file://`` URL. By default
   that URL is a throwaway git snapshot of the working tree (so uncommitted changes are
   tested); ``--committed`` uses the clone itself, i.e. its last commit, as Colab would;
3. checks the installed versions are the ones asked for (``colab``: every installed package
   the freeze lists has the freeze's version, but the test tools on top) and that
   ``helpers`` is imported from where that install put it;
4. runs the unit tests, then strict nbval over every notebook in quick mode, with the
   environment's own ``pytest`` (not ``python -m pytest``, which would put the checkout's
   ``helpers`` first on the import path) and without the caller's ``PYTHONPATH``.

It prints a summary (versions, pass counts, minutes) and writes it to ``summary.json`` beside
the environments. The whole run takes tens of minutes, so it is not part of ``make test``; the
course's CI runs it weekly. ``pyproject.toml`` declares the lower bounds that ``floor`` uses
(tests/test_environment.py checks the two agree).
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools import colab_set, compat_report, fileio
from tools import course as course_tool

ROOT = Path(__file__).resolve().parents[1]

COMPAT_DIR_ENV = "CNN_COURSE_COMPAT_DIR"
PACKAGE = course_tool.PACKAGE
# The libraries whose versions the course depends on; requirements.txt pins the newest
# versions tested, pyproject.toml declares the oldest (the floor below).
LIBRARIES = ("tensorflow", "keras", "numpy", "matplotlib", "scikit-learn")
# The TensorFlow the floor installs: pyproject's [cpu] extra names it on x86-64 Linux.
FLOOR_TENSORFLOW_PACKAGE = "tensorflow-cpu"


@dataclass(frozen=True)
class Environment:
    name: str
    about: str
    python: str  # "3.11"
    tensorflow_package: str  # the distribution that provides TensorFlow there
    versions: dict[str, str] = field(default_factory=dict)  # library -> exact version
    helpers_install: str = "editable"  # "editable" or "colab-cell"
    freeze: colab_set.Freeze | None = None  # a published pip freeze the set is taken from


COLAB_FREEZE = colab_set.read_freeze()
COLAB_PYTHON, COLAB_PYTHON_EXACT = colab_set.python_version()


ENVIRONMENTS = (
    Environment(
        name="floor",
        about="the lowest versions pyproject.toml allows",
        python="3.11",
        tensorflow_package=FLOOR_TENSORFLOW_PACKAGE,
        versions={
            "tensorflow": "2.16.2",
            "keras": "3.5.0",
            "numpy": "1.26.4",
            "matplotlib": "3.8.4",
            "scikit-learn": "1.3.2",
        },
        helpers_install="editable",
    ),
    Environment(
        name="colab",
        about=(
            "Google Colab's published runtime, compat/colab-pip-freeze.txt"
            f" (Python {COLAB_PYTHON_EXACT} on Colab)"
        ),
        python=COLAB_PYTHON,
        tensorflow_package="tensorflow",
        versions={
            name: version
            for name, version in colab_set.course_versions(COLAB_FREEZE).items()
            if name in LIBRARIES
        },
        helpers_install="colab-cell",
        freeze=COLAB_FREEZE,
    ),
)

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==")


def compat_dir() -> Path:
    folder = os.environ.get(COMPAT_DIR_ENV)
    path = Path(folder) if folder else Path.home() / ".cache" / "cnn-course" / "compat"
    path = path.expanduser().resolve()
    if path.is_relative_to(ROOT):
        raise SystemExit(f"{COMPAT_DIR_ENV}: got {path}, expected a folder outside {ROOT}")
    return path


def find_python(version: str) -> str:
    """An interpreter for ``version`` ("3.12"): on PATH, else one that pyenv installed."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(str(Path.home() / f".pyenv/versions/{version}.*/bin/python")))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    raise SystemExit(f"Python {version} not found: install it (e.g. `pyenv install {version}`)")


def tool_pins() -> list[str]:
    """requirements.txt without the libraries (the environment brings its own versions)."""
    kept = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = PIN.match(line)
        if not match:
            continue
        name = match.group(1).lower()
        if name in LIBRARIES or name.startswith("tensorflow"):
            continue
        kept.append(line)
    return kept


def requirements(env: Environment) -> list[str]:
    if env.freeze is not None:
        return colab_set.requirements(env.freeze, tool_pins())[0]
    lines = [f"{env.tensorflow_package}=={env.versions['tensorflow']}"]
    lines += [f"{name}=={env.versions[name]}" for name in LIBRARIES if name != "tensorflow"]
    return lines + tool_pins()


def constraints(env: Environment) -> list[str]:
    """pip constraints: the published freeze's versions for whatever pip pulls in."""
    return [] if env.freeze is None else colab_set.requirements(env.freeze, tool_pins())[1]


def pip_requirement(env: Environment) -> str:
    """The pip to install first: the freeze's (it runs the install cell), else the newest."""
    if env.freeze is not None and "pip" in env.freeze.pinned:
        return f"pip=={env.freeze.pinned['pip']}"
    return "pip"


def log(message: str) -> None:
    print(f"[compat {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    shown = [str(part) if "\n" not in str(part) else "<program>" for part in command]
    log("$ " + " ".join(shown))
    kwargs.setdefault("env", compat_report.child_environ())
    return subprocess.run(command, check=True, **kwargs)


def build(env: Environment, folder: Path) -> Path:
    """Create or reuse the environment's venv with its libraries and test tools; its python."""
    python = folder / "bin" / "python"
    wanted = "\n".join(requirements(env)) + "\n"
    constrained = "\n".join(constraints(env)) + "\n"
    stamp = folder / "compat-requirements.txt"
    stamped = f"{pip_requirement(env)}\n{wanted}# constraints\n{constrained}"
    if python.exists() and stamp.exists() and stamp.read_text() == stamped:
        log(f"{env.name}: reusing {folder}")
        return python
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    if not python.exists():  # otherwise pip brings the existing one to the new list
        run([find_python(env.python), "-m", "venv", str(folder)])
    run([*pip, "install", "--quiet", "--upgrade", pip_requirement(env)])
    requirements_file = folder / "requirements-wanted.txt"
    constraints_file = folder / "constraints-wanted.txt"
    fileio.write_text(requirements_file, wanted)
    fileio.write_text(constraints_file, constrained)
    run([*pip, "install", "--quiet", "-r", str(requirements_file), "-c", str(constraints_file)])
    fileio.write_text(stamp, stamped)
    return python


def worktree_snapshot(target: Path) -> Path:
    """A one-commit git repository holding the working tree's files (tracked and new)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listing):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-C", str(target), "-c", "user.name=compat", "-c", "user.email=compat@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "working tree snapshot"], check=True)
    return target


def colab_cell_program(url: str) -> str:
    """The Colab install cell as plain Python, google.colab simulated, installing from ``url``."""
    course = course_tool.load_manifest()
    cell = course_tool.install_source(course)
    if f'"{course.install_url()}"' not in cell:
        raise SystemExit("tools/course.py install_source no longer names install_url()")
    return (
        "import sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        + cell.replace(f'"{course.install_url()}"', json.dumps(url))
        + "\n"
    )


def install_helpers(env: Environment, python: Path, folder: Path, committed: bool) -> str:
    """Install helpers as the environment would; return the one line the install printed."""
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "uninstall", "--quiet", "--yes", PACKAGE])
    if env.helpers_install == "editable":
        # With its dependencies, so pip refuses if pyproject's ranges exclude this floor.
        run([*pip, "install", "--quiet", "-e", f"{ROOT}[cpu]"])
        return f"pip install -e .[cpu] (editable, {ROOT})"
    source = ROOT if committed else worktree_snapshot(folder.parent / "helpers-snapshot")
    result = run(
        [str(python), "-c", colab_cell_program(f"git+file://{source}")],
        cwd=folder, capture_output=True, text=True,
    )
    printed = (result.stdout + result.stderr).strip()
    print(printed, flush=True)
    if "restart" in printed.lower():
        raise SystemExit(f"{env.name}: the install cell still mentions a restart: {printed!r}")
    return printed


def check_versions(env: Environment, found: dict[str, str], folder: Path) -> list[str]:
    problems = []
    for name in LIBRARIES:
        distribution = env.tensorflow_package if name == "tensorflow" else name
        if found.get(distribution) != env.versions[name]:
            problems.append(
                f"{distribution}: got {found.get(distribution)}, expected {env.versions[name]}"
            )
    origin = Path(found["helpers imported from"]).resolve()
    if env.helpers_install == "editable" and not origin.is_relative_to(ROOT):
        problems.append(f"helpers imported from {origin}, expected the editable checkout")
    if env.helpers_install == "colab-cell" and not origin.is_relative_to(folder):
        problems.append(f"helpers imported from {origin}, expected {folder}'s site-packages")
    if env.freeze is not None:
        problems += colab_set.drift(env.freeze, found["all"], tool_pins())
    return problems


def run_environment(env: Environment, committed: bool, skip_tests: bool) -> dict:
    folder = compat_dir() / env.name
    started = time.monotonic()
    python = build(env, folder)
    install_line = install_helpers(env, python, folder, committed)
    found = compat_report.installed_versions(python, folder)
    problems = check_versions(env, found, folder)
    everything = found.pop("all")
    report = {
        "environment": env.name,
        "about": env.about,
        "python": found.pop("python"),
        "installed": found,
        "packages": len(everything),
        "from the freeze": (
            None if env.freeze is None else colab_set.matching(env.freeze, everything)
        ),
        "tools over the freeze": (
            [] if env.freeze is None else colab_set.replaced(env.freeze, tool_pins())
        ),
        "helpers install": install_line,
        "problems": problems,
        "runs": [],
    }
    if not skip_tests:
        quick = {"CNN_COURSE_QUICK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        report["runs"].append(compat_report.pytest_run(python, ["tests"], quick, ROOT))
        report["runs"].append(compat_report.pytest_run(python, ["notebooks"], quick, ROOT))
    report["minutes"] = round((time.monotonic() - started) / 60, 1)
    report["passed"] = not problems and all(run["passed"] for run in report["runs"])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [env.name for env in ENVIRONMENTS]
    parser.add_argument("--only", choices=names, action="append", help="run only these")
    parser.add_argument(
        "--committed", action="store_true",
        help="colab: install helpers from the clone's last commit, not the working tree",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build and install, run no tests"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="delete the environments first, build them anew"
    )
    args = parser.parse_args(argv)
    chosen = [env for env in ENVIRONMENTS if not args.only or env.name in args.only]
    if args.fresh:
        for env in chosen:
            shutil.rmtree(compat_dir() / env.name, ignore_errors=True)
    reports = [run_environment(env, args.committed, args.build_only) for env in chosen]
    compat_report.print_summary(reports)
    summary = compat_dir() / "summary.json"
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()[:12]
    fileio.write_text(
        summary, json.dumps({"requirements.txt": digest, "reports": reports}, indent=1) + "\n"
    )
    print(f"summary written to {summary}")
    return 0 if all(report["passed"] for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
