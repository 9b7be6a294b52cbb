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
