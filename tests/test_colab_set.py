"""make compat's Colab environment against Colab's published list (compat/).

compat/colab-pip-freeze.txt is Google's list; the Colab environment must take every version
it installs from there (tools/colab_set.py says which packages and why). The list is read
here independently of tools/colab_set.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tools import colab_set, compat

ROOT = Path(__file__).resolve().parents[1]

FREEZE_FILE = ROOT / "compat" / "colab-pip-freeze.txt"
OS_INFO_FILE = ROOT / "compat" / "colab-os-info.txt"


def _colab():
    (colab,) = [env for env in compat.ENVIRONMENTS if env.name == "colab"]
    return colab


def _freeze_lines(kind: str) -> dict[str, str]:
    """The freeze read independently of tools/colab_set.py: name -> version (or URL)."""
    found = {}
    for line in FREEZE_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        separator = "==" if kind == "pinned" else " @ "
        if separator in line:
            name, value = line.split(separator, 1)
            found[canonicalize_name(name)] = value.strip()
    return found


def test_colab_copies_say_where_and_when_they_come_from():
    for path in (FREEZE_FILE, OS_INFO_FILE):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and "googlecolab/backend-info" in first, path
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", first), f"{path}: no date in {first!r}"


def test_colab_environment_installs_the_freeze_versions_on_its_python():
    colab, pinned = _colab(), _freeze_lines("pinned")
    python_line = re.search(r"^Python (\d+\.\d+)\.\d+$", OS_INFO_FILE.read_text(), re.M)
    assert colab.python == python_line.group(1)
    assert colab.versions == {name: pinned[name] for name in compat.LIBRARIES}
    assert colab.tensorflow_package == "tensorflow"  # Colab has the standard wheel
    lines = compat.requirements(colab)
    assert len({colab_set.requirement_name(line) for line in lines}) == len(lines), lines
    for name in colab_set.COURSE_PACKAGES:
        assert f"{name}=={pinned[name]}" in lines, name
    assert compat.pip_requirement(colab) == f"pip=={pinned['pip']}"


def test_colab_test_tools_come_on_top_but_the_kernel_stays_colabs():
    pinned = _freeze_lines("pinned")
    tools = {colab_set.requirement_name(line): line for line in compat.tool_pins()}
    lines = compat.requirements(_colab())
    assert "ipykernel" in tools  # requirements.txt pins a kernel too...
    assert f"ipykernel=={pinned['ipykernel']}" in lines  # ...but Colab's runs the notebooks
    for name, pin in tools.items():
        if name in colab_set.KEEP_COLABS:
            assert f"{name}=={pinned[name]}" in lines, name
        elif name not in colab_set.COURSE_PACKAGES:
            assert pin in lines, name
    for name, reason in colab_set.KEEP_COLABS.items():  # no stale exception
        assert name in tools and name in pinned and len(reason) > 40, name
    exact = {colab_set.requirement_name(pin): pin.split("==")[1].split(";")[0].strip()
             for pin in compat.tool_pins()}
    over = colab_set.replaced(compat.COLAB_FREEZE, compat.tool_pins())
    assert over == [f"{name} {exact[name]} (Colab {pinned[name]})" for name in sorted(exact)
                    if name in pinned and pinned[name] != exact[name]
                    and name not in {*colab_set.COURSE_PACKAGES, *colab_set.KEEP_COLABS}]


def test_colab_constraints_are_the_whole_freeze_but_the_tools_on_top():
    pinned = _freeze_lines("pinned")
    tools = {colab_set.requirement_name(line) for line in compat.tool_pins()}
    on_top = tools - set(colab_set.COURSE_PACKAGES) - set(colab_set.KEEP_COLABS)
    wanted = {f"{name}=={version}" for name, version in pinned.items() if name not in on_top}
    constraints = compat.constraints(_colab())
    assert set(constraints) == wanted and len(constraints) == len(wanted)
    assert f"ipykernel=={pinned['ipykernel']}" in constraints
    assert compat.constraints(next(e for e in compat.ENVIRONMENTS if e.name == "floor")) == []


def test_every_freeze_line_outside_pypi_is_skipped_with_a_reason():
    direct = _freeze_lines("direct")
    assert direct, "the freeze names no `name @ url` line: is it the right file?"
    assert sorted(direct) == sorted(colab_set.NOT_ON_PYPI)
    assert compat.COLAB_FREEZE.direct == tuple(direct)


def test_colab_drift_names_each_package_away_from_the_freeze():
    freeze = colab_set.Freeze(
        source="test", pinned={"keras": "3.13.2", "pytest": "8.4.2", "ipykernel": "6.17.1"},
        direct=(),
    )
    tools = ["pytest==9.2.0", "ipykernel==7.4.0", "ruff==0.17.6"]
    installed = {"Keras": "3.15.1", "pytest": "9.2.0", "ipykernel": "7.4.0", "ruff": "0.17.6"}
    assert colab_set.drift(freeze, installed, tools) == [
        "ipykernel: got 7.4.0, expected Colab's 6.17.1",  # the kernel is never a tool on top
        "keras: got 3.15.1, expected Colab's 3.13.2",
    ]
    assert colab_set.drift(freeze, {"keras": "3.13.2", "pytest": "9.2.0"}, tools) == []
    assert colab_set.matching(freeze, {"keras": "3.13.2", "pytest": "9.2.0"}) == 1
    assert colab_set.replaced(freeze, tools) == ["pytest 9.2.0 (Colab 8.4.2)"]


def test_colab_freeze_reader_refuses_what_it_cannot_read(tmp_path):
    bad = tmp_path / "freeze.txt"
    bad.write_text("# copied from somewhere, 2026-08-19\nkeras>=3.0\n")
    with pytest.raises(ValueError, match=r"freeze.txt:2: got 'keras>=3.0', expected"):
        colab_set.read_freeze(bad)
    bad.write_text("keras==3.13.2\n")
    with pytest.raises(ValueError, match="expected a '# ' comment saying where and when"):
        colab_set.read_freeze(bad)
    bad.write_text("# copied, 2026-08-19\nUbuntu 22.04.5 LTS\n")
    with pytest.raises(ValueError, match="got 0 'Python X.Y.Z' lines, expected 1"):
        colab_set.python_version(bad)
    bad.write_text("# copied, 2026-08-19\nnumpy==2.1.3\n")
    with pytest.raises(ValueError, match=r"got no `name==version` line for \['tensorflow'"):
        colab_set.course_versions(colab_set.read_freeze(bad))
