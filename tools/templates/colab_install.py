# course:colab-install
# On Google Colab, install the course's helpers package (with its quick-mode data
# samples) from the course repository. Anywhere else this cell does nothing: there,
# `make lab` has installed helpers already.
import subprocess
import sys

if "google.colab" in sys.modules:
    from importlib.metadata import version

    source = "$install_url"
    command = ["pip", "install", "--quiet", f"$package @ {source}"]
    pip = subprocess.run(
        [sys.executable, "-m", *command], capture_output=True, text=True, check=False
    )
    if pip.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{pip.stdout}{pip.stderr}")
    print(f"Installed $package {version('$package')} from {source}")
