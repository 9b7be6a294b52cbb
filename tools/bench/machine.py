"""Where and when a measurement was taken: the one place for the machine's provenance."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from tools.layout import ROOT


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def cpu_model() -> str:
    """The CPU's model name, with its family and model numbers where Linux lists them.

    A virtual machine may report only a vendor's brand ("AMD EPYC"); the family and model
    numbers still say which generation it is.
    """
    try:
        fields = {}
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
        if "model name" in fields:
            numbers = [f"{k} {fields[k]}" for k in ("cpu family", "model") if fields.get(k)]
            return fields["model name"] + (f" ({', '.join(numbers)})" if numbers else "")
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def onednn_on() -> bool:
    """Whether oneDNN is on (``helpers.settings`` sets TF_ENABLE_ONEDNN_OPTS=1 by default)."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip() not in {"0", "false"}


def library_versions() -> dict[str, str]:
    """TensorFlow, Keras and Python versions as the notebooks' interpreter sees them."""
    code = textwrap.dedent(
        """
        import json, platform
        from helpers.settings import import_tensorflow
        tf = import_tensorflow()
        import keras
        print(json.dumps({"python": platform.python_version(), "tensorflow": tf.__version__,
                          "keras": keras.__version__}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> dict:
    """The benchmark's machine: CPU, cores, system, oneDNN and the libraries' versions."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "onednn": "on" if onednn_on() else "off",
        **library_versions(),
    }


def training_provenance(tf, keras, np, dataset: str) -> dict:
    """The machine and libraries of an experiment run in this process, and its data's origin."""
    import helpers

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "onednn": onednn_on(),
        "data": helpers.data.where(dataset),
    }


def run_record(tf, keras) -> dict:
    """What each line of an experiment log records about when and where it ran."""
    return {
        "when": now(),
        "load_average": load_average(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "versions": f"TensorFlow {tf.__version__}, Keras {keras.__version__}",
    }
