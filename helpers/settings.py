"""Course settings: quick mode, the setup call at the top of every notebook, epochs.

Quick mode is the course's one switch for CI and for slow laptops. It is on when the
environment variable ``CNN_COURSE_QUICK`` is ``1`` (``make test`` sets it), or after
``set_quick_mode(True)`` in a notebook. In quick mode the data loaders return small samples
that ship with ``helpers``, and ``training_epochs`` trains for fewer epochs.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .validation import show_value

QUICK_ENV = "CNN_COURSE_QUICK"
"""Environment variable that turns quick mode on (``1``) or off (``0`` or unset)."""

DEFAULT_SEED = 42

_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"", "0", "false", "no", "off"}

# TensorFlow reads these when it is first imported, so they are set before that happens.
# Level 3 hides TensorFlow's C++ info and warning lines; oneDNN kernels trained 1.3-2.4x
# faster on a 2-core CPU than without them (measured while building this course).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


def quick_mode() -> bool:
    """True when quick mode is on (see the module docstring)."""
    value = os.environ.get(QUICK_ENV, "").strip().lower()
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    raise ValueError(
        f"{QUICK_ENV}: got {show_value(value)}, expected 1 (quick mode on) or 0 (quick mode off)"
    )


def set_quick_mode(on: bool) -> None:
    """Turn quick mode on or off for this Python process (and the loaders it calls).

    >>> set_quick_mode(True); quick_mode()
    True

    A NumPy bool (``np.True_``) counts as the bool it holds, as for every flag of the course.
    """
    if not isinstance(on, (bool, np.bool_)):
        raise TypeError(f"on: got {show_value(on)}, expected True or False")
    os.environ[QUICK_ENV] = "1" if on else "0"


def on_colab() -> bool:
    """True when this code runs in a Google Colab kernel."""
    return "google.colab" in sys.modules


@contextlib.contextmanager
def _silence_native_stderr():
    """Hide what native libraries write straight to file descriptor 2.

    TensorFlow prints a few lines about oneDNN and absl logging while it loads, before any
    log level applies. They are noise for a learner, so the import runs with descriptor 2
    pointed at /dev/null. Python-level errors are raised normally, after it is restored.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no real descriptor 2 (some embedded consoles)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow():
    """Import TensorFlow quietly and return the module."""
    if sys.modules.get("tensorflow") is not None:
        return sys.modules["tensorflow"]
    try:
        with _silence_native_stderr():
            import tensorflow
    except ModuleNotFoundError as error:
        if error.name != "tensorflow":
            raise
        # pyproject.toml names TensorFlow through extras (its CPU and GPU builds are separate
        # distributions), so a bare `pip install` of helpers can leave it out.
        linux_x86 = sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")
        wheel = "tensorflow-cpu" if linux_x86 else "tensorflow"
        raise ModuleNotFoundError(
            f"TensorFlow is not installed in this Python ({sys.executable}); the course needs"
            f' TensorFlow 2.16.2 or later. Install it with: pip install "{wheel}>=2.16.2"'
            ' (or: pip install "cnn-course-helpers[cpu]" to get helpers with it).',
            name="tensorflow",
        ) from error

    return tensorflow


@dataclass(frozen=True)
class CourseSettings:
    """What ``setup`` decided, for the notebook to use later."""

    notebook: str
    quick: bool
    seed: int
    on_colab: bool
    images_dir: Path


def _configure_matplotlib() -> None:
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "savefig.bbox": "tight",
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            # Viridis is readable with every common colour-vision deficiency.
            "image.cmap": "viridis",
            "axes.grid": False,
        }
    )


def max_threads() -> int:
    """The most CPU threads ``setup`` accepts: this machine's core count."""
    return os.cpu_count() or 1


def _check_threads(threads: object) -> int | None:
    """``threads`` as an int, or None; raise before TensorFlow sees a bad value.

    TensorFlow accepts any integer here and fails only at its first operation: a negative
    count aborts the process (a dead Jupyter kernel) and a huge one exhausts the memory.
    """
    if threads is None:
        return None
    limit = max_threads()
    if (
        isinstance(threads, (bool, np.bool_))
        or not isinstance(threads, (int, np.integer))
        or not 1 <= threads <= limit
    ):
        raise ValueError(
            f"threads: got {show_value(threads)}, expected a whole number from 1 to {limit} "
            f"(this machine's CPU cores), or None to use them all"
        )
    return int(threads)


def _check_seed(seed: object) -> int:
    """``seed`` as an int if NumPy's generators can take it (0 to 2**32 - 1), else raise."""
    if (
        isinstance(seed, (bool, np.bool_))
        or not isinstance(seed, (int, np.integer))
        or not 0 <= seed < 2**32
    ):
        raise ValueError(
            f"seed: got {show_value(seed)}, expected a whole number from 0 to 2**32 - 1"
        )
    return int(seed)


def _configure_threads(threads: int | None) -> None:
    tf = import_tensorflow()
    count = threads or max_threads()
    with contextlib.suppress(RuntimeError):  # already set: TensorFlow was used before setup
        tf.config.threading.set_intra_op_parallelism_threads(count)
        tf.config.threading.set_inter_op_parallelism_threads(min(count, 2))


def setup(notebook: str, seed: int = DEFAULT_SEED, threads: int | None = None) -> CourseSettings:
    """Prepare a notebook: seeds, TensorFlow threads, matplotlib defaults; print what runs.

    Call it once, in the first code cell, before building any model::

        import helpers
        course = helpers.setup("01_dense_baseline")

    ``notebook`` names the notebook (used for ``images/<notebook>/``); ``threads`` caps the
    CPU threads TensorFlow uses: a whole number from 1 to the machine's core count
    (``max_threads()``), or None (the default) for every core.
    """
    if not isinstance(notebook, str) or not notebook.strip():
        raise ValueError(f"notebook: got {show_value(notebook)}, expected the notebook's name")
    notebook = str(notebook)  # a NumPy string (np.str_) as the plain one it holds
    seed = _check_seed(seed)
    threads = _check_threads(threads)
    tf = import_tensorflow()
    import keras
    import matplotlib
    import numpy

    _configure_threads(threads)
    keras.utils.set_random_seed(seed)  # Python, NumPy and the backend in one call
    random.seed(seed)
    _configure_matplotlib()

    from . import images  # local import: images imports matplotlib lazily too

    settings = CourseSettings(
        notebook=notebook,
        quick=quick_mode(),
        seed=seed,
        on_colab=on_colab(),
        images_dir=images.images_dir(notebook),
    )
    mode = (
        "QUICK (small data samples, fewer epochs)"
        if settings.quick
        else "full (complete datasets, all epochs)"
    )
    where = "on Google Colab" if settings.on_colab else "locally"
    print(f"Notebook {notebook}: running {where}, mode {mode}, random seed {seed}.")
    print(
        f"Python {platform.python_version_tuple()[0]}.{platform.python_version_tuple()[1]}"
        f" | TensorFlow {tf.__version__} | Keras {keras.__version__}"
        f" | NumPy {numpy.__version__} | Matplotlib {matplotlib.__version__}"
    )
    return settings


def training_epochs(full: int, quick: int = 1) -> int:
    """How many epochs a training cell runs: ``full`` normally, ``quick`` in quick mode.

    Every training cell of the course asks this function, so quick mode changes exactly one
    thing about training, in one visible place. It prints what it chose::

        >>> training_epochs(10, quick=1)  # quick mode on
        Quick mode: training for 1 epoch instead of 10.
        1
    """
    for name, value in (("full", full), ("quick", quick)):
        if (
            isinstance(value, (bool, np.bool_))
            or not isinstance(value, (int, np.integer))
            or value < 1
        ):
            raise ValueError(
                f"{name}: got {show_value(value)}, expected a positive number of epochs"
            )
    full, quick = int(full), int(quick)
    if quick > full:
        raise ValueError(f"quick: got {quick} epochs, expected at most full={full}")
    if quick_mode():
        unit = "epoch" if quick == 1 else "epochs"
        if quick == full:
            print(f"Quick mode: training for {quick} {unit}, as many as the full run.")
        else:
            print(f"Quick mode: training for {quick} {unit} instead of {full}.")
        return quick
    print(f"Training for {full} epochs.")
    return full
