"""The conda environment and the pip requirements pin the same versions."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^;\s]+)\s*(;.*)?$")


def pins(lines):
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        match = PIN.match(line)
        if match:
            found[(match.group(1).lower(), (match.group(3) or "").strip())] = match.group(2)
    return found


def test_environment_yml_repeats_the_pip_pins():
    requirements = pins((ROOT / "requirements.txt").read_text().splitlines())
    environment_text = (ROOT / "environment.yml").read_text()
    environment = pins(environment_text.splitlines())
    assert requirements, "requirements.txt pins nothing"
    assert environment == requirements
    assert re.search(r"^\s*- python=3\.11\s*$", environment_text, re.M)


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert PIN.match(line), f"requirements.txt: {line!r} is not pinned with =="


def test_tensorflow_choice_covers_every_platform():
    text = (ROOT / "requirements.txt").read_text()
    assert (
        'tensorflow-cpu==2.21.0; sys_platform == "linux" and platform_machine == "x86_64"' in text
    )
    assert 'tensorflow==2.21.0; sys_platform != "linux" or platform_machine != "x86_64"' in text


# ------------------------------------------------------------------ the supported range
# pyproject.toml declares lower bounds; tools/compat.py's "floor" environment installs
# exactly those (and `make compat` runs the whole suite there), requirements.txt pins the
# newest tested versions (what `make test` runs on).

import subprocess  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
from importlib.metadata import PackageNotFoundError, version  # noqa: E402

import pytest  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402
from packaging.version import Version  # noqa: E402

from tools import compat  # noqa: E402

TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tensorflow-cpu", "tensorflow-macos", "tensorflow-intel")


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def declared_ranges() -> dict:
    """library -> SpecifierSet, TensorFlow's from the extras (every one must agree)."""
    project = _pyproject()
    ranges = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        ranges[requirement.name.lower()] = requirement.specifier
    tensorflow = set()
    for extra, lines in project["optional-dependencies"].items():
        for line in lines:
            requirement = Requirement(line)
            assert requirement.name in ("tensorflow", "tensorflow-cpu"), (extra, line)
            tensorflow.add(str(requirement.specifier))
    assert len(tensorflow) == 1, f"the TensorFlow extras declare different ranges: {tensorflow}"
    ranges["tensorflow"] = Requirement(f"tensorflow{tensorflow.pop()}").specifier
    return ranges


def lower_bound(specifier) -> str:
    (bound,) = [spec.version for spec in specifier if spec.operator == ">="]
    return bound


def test_pyproject_declares_every_library_with_a_lower_bound():
    ranges = declared_ranges()
    assert sorted(ranges) == sorted(compat.LIBRARIES)
    for name, specifier in ranges.items():
        assert lower_bound(specifier), name
        # Upper bounds would make pip replace the TensorFlow/Keras that Colab ships.
        assert all(spec.operator == ">=" for spec in specifier), (name, str(specifier))


def test_declared_floor_is_what_make_compat_tests():
    ranges = declared_ranges()
    (floor,) = [env for env in compat.ENVIRONMENTS if env.name == "floor"]
    assert {name: lower_bound(spec) for name, spec in ranges.items()} == floor.versions
    # TensorFlow 2.15 and older bring Keras 2: the course is Keras 3 only.
    assert Version(floor.versions["tensorflow"]) >= Version("2.16")
    assert floor.tensorflow_package == "tensorflow-cpu"
    cpu_extra = _pyproject()["optional-dependencies"]["cpu"]
    assert any(line.startswith(f"{floor.tensorflow_package}>=") for line in cpu_extra)


def test_every_compat_environment_and_the_pins_lie_inside_the_declared_range():
    ranges = declared_ranges()
    sets = {env.name: env.versions for env in compat.ENVIRONMENTS}
    requirements = pins((ROOT / "requirements.txt").read_text().splitlines())
    sets["requirements.txt"] = {
        ("tensorflow" if name.startswith("tensorflow") else name): pinned
        for (name, _marker), pinned in requirements.items()
        if name.startswith("tensorflow") or name in ranges
    }
    assert set(sets) >= {"floor", "colab", "requirements.txt"}
    for where, versions in sets.items():
        assert sorted(versions) == sorted(ranges), where
        for name, pinned in versions.items():
            assert ranges[name].contains(pinned), f"{where}: {name} {pinned} not in {ranges[name]}"


def test_compat_environments_install_the_requirements_tools_and_their_own_libraries():
    (floor,) = [env for env in compat.ENVIRONMENTS if env.name == "floor"]
    lines = compat.requirements(floor)
    assert lines[0] == f"tensorflow-cpu=={floor.versions['tensorflow']}"
    pinned = pins((ROOT / "requirements.txt").read_text().splitlines())
    for (name, _marker), exact in pinned.items():
        if name in compat.LIBRARIES or name.startswith("tensorflow"):
            assert f"{name}=={exact}" not in lines, name  # replaced by the floor's version
        else:
            assert any(line.startswith(f"{name}=={exact}") for line in lines), name
    for name in compat.LIBRARIES[1:]:
        assert f"{name}=={floor.versions[name]}" in lines


def _installed(name: str) -> tuple[str, str] | None:
    candidates = TENSORFLOW_DISTRIBUTIONS if name == "tensorflow" else (name,)
    for distribution in candidates:
        try:
            return distribution, version(distribution)
        except PackageNotFoundError:
            continue
    return None


def test_installed_versions_are_inside_the_declared_range():
    """Run on every environment the suite runs in (pins, floor, Colab)."""
    problems = []
    for name, specifier in sorted(declared_ranges().items()):
        found = _installed(name)
        if found is None:
            problems.append(f"{name}: not installed")
            continue
        distribution, installed = found
        verdict = "ok" if specifier.contains(installed) else "OUTSIDE the declared range"
        print(f"{distribution} {installed} (declared {name}{specifier}): {verdict}")
        if not specifier.contains(installed):
            problems.append(f"{distribution} {installed} not in {specifier}")
    assert not problems, problems


def test_setup_without_tensorflow_says_what_to_install():
    floor = lower_bound(declared_ranges()["tensorflow"])
    program = (
        "import sys\n"
        "sys.modules['tensorflow'] = None  # what an environment without TensorFlow sees\n"
        "import helpers\n"
        "helpers.setup('01_dense_baseline')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ModuleNotFoundError: TensorFlow is not installed"), last_line
    wheel = "tensorflow-cpu" if sys.platform == "linux" else "tensorflow"
    assert f'pip install "{wheel}>={floor}"' in last_line
    assert 'pip install "cnn-course-helpers[cpu]"' in last_line


# ------------------------------------------------------------------ the nbval sanitiser

SANITISER = ROOT / "tools" / "nbval_sanitize.cfg"


def sanitiser_patterns() -> list[tuple[str, str]]:
    from nbval.plugin import get_sanitize_patterns  # the parser nbval itself uses

    return get_sanitize_patterns(SANITISER.read_text(encoding="utf-8"))


def _stored_text_outputs() -> list[str]:
    import json

    texts = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                text = output.get("text") or output.get("data", {}).get("text/plain") or ""
                texts.append("".join(text) if isinstance(text, list) else text)
    return texts


def test_pytest_runs_nbval_with_the_sanitiser():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        addopts = tomllib.load(handle)["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert "--nbval" in addopts
    position = addopts.index("--nbval-sanitize-with")
    assert (ROOT / addopts[position + 1]).resolve() == SANITISER


def test_every_sanitiser_pattern_still_matches_a_stored_output():
    patterns = sanitiser_patterns()
    assert len(patterns) == SANITISER.read_text().count("\nregex: ") >= 2
    outputs = _stored_text_outputs()
    for regex, _replace in patterns:
        assert any(re.search(regex, text) for text in outputs), f"stale pattern: {regex}"


@pytest.mark.parametrize(
    ("printed", "same_as"),
    [
        # setup()'s version line on the pins and on the floor: compared equal...
        ("Python 3.11 | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.4.6 | Matplotlib 3.11.2\n",
         "Python 3.11 | TensorFlow 2.16.2 | Keras 3.5.0 | NumPy 1.26.4 | Matplotlib 3.8.4\n"),
        # ...and Keras's two wordings of the output-size error, with the same input shape.
        ("ValueError: Computed output size would be zero or negative. Received `inputs shape="
         "(None, 1, 28, 28)`, `kernel shape=(3, 3, 28, 64)`, `dilation_rate=[1 1]`.\n",
         "ValueError: Computed output size would be negative. Received `inputs shape="
         "(None, 1, 28, 28)`, `kernel shape=(3, 3, 28, 64)`, `dilation_rate=[1 1]`.\n"),
    ],
)
def test_sanitiser_equates_version_dependent_wording(printed, same_as):
    def sanitise(text):
        for regex, replace in sanitiser_patterns():
            text = re.sub(regex, replace, text)
        return text

    assert printed != same_as
    assert sanitise(printed) == sanitise(same_as)


@pytest.mark.parametrize(
    ("printed", "different"),
    [
        # What the course teaches stays compared: a different shape, count or message.
        ("ValueError: Computed output size would be negative. Received `inputs shape="
         "(None, 1, 28, 28)`.\n",
         "ValueError: Computed output size would be negative. Received `inputs shape="
         "(None, 28, 28, 1)`.\n"),
        ("Notebook 01_dense_baseline: running locally, mode QUICK\n",
         "Notebook 01_dense_baseline: running locally, mode full\n"),
        ("Total params: 112,074\n", "Total params: 112,075\n"),
        ("ValueError: channels: got 5, expected a multiple of 2\n",
         "ValueError: channels: got 6, expected a multiple of 2\n"),
    ],
)
def test_sanitiser_keeps_everything_else_compared(printed, different):
    def sanitise(text):
        for regex, replace in sanitiser_patterns():
            text = re.sub(regex, replace, text)
        return text

    assert sanitise(printed) != sanitise(different)
    if "Computed output size" not in printed:
        assert sanitise(printed) == printed  # untouched, not merely still different


# ------------------------------------------------------------------ the Python series
# (Colab's published set itself: tests/test_colab_set.py)


def test_pyproject_declares_the_python_series_the_course_is_tested_on():
    classifiers = _pyproject()["classifiers"]
    declared = {line.rsplit(" :: ", 1)[1] for line in classifiers
                if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", line)}
    conda = re.search(r"^\s*- python=(3\.\d+)\s*$", (ROOT / "environment.yml").read_text(), re.M)
    tested = {env.python for env in compat.ENVIRONMENTS} | {conda.group(1)}
    assert declared == tested
    floor = min(tested, key=Version)
    assert _pyproject()["requires-python"] == f">={floor}"


def test_weekly_workflow_sets_up_each_compat_python():
    workflow = (ROOT / ".github" / "workflows" / "course.yml").read_text()
    block = re.search(r"python-version: \|\n((?:\s+3\.\d+\n)+)", workflow)
    assert block, "no multi-line python-version in the workflow"
    assert set(block.group(1).split()) == {env.python for env in compat.ENVIRONMENTS}
