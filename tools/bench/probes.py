"""Measurement probes for the benchmark: training time, images per second, accuracy.

A maintainer tool, not part of the learner's ``helpers`` package: the notebooks never call
it. When the benchmark runs a notebook, it first runs ``install_probes(path)`` in the
notebook's kernel (the repository is on the kernel's PYTHONPATH). From then on
every ``Model.fit`` and ``Model.evaluate`` call is timed and counted, and ``write_report()``
(run by the benchmark after the notebook's last cell) saves what was seen, with the kernel's
peak memory, as JSON::

    {"fits": [{"model": "lenet5", "seconds": 41.2, "epoch_seconds": [6.1, 5.0, ...], ...}],
     "evaluations": [{"model": "lenet5", "split": "test", "accuracy": 0.9871, ...}],
     "peak_memory_mb": 1234.5}

An evaluation counts as a *test* evaluation when its labels are the test labels that the
course's loaders returned (compared by content, so scaling or reshaping the images and
one-hot encoding the labels do not hide it).

Nothing here changes what a notebook computes or prints.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from tools import fileio

_state: dict[str, Any] = {"fits": [], "evaluations": [], "test_labels": {}, "path": None}


def _label_fingerprint(labels: Any) -> str | None:
    """A content hash of integer labels (one-hot rows are turned back into integers)."""
    try:
        array = np.asarray(labels)
    except Exception:  # a tf.data pipeline or something else without a plain array
        return None
    if array.ndim == 2 and array.shape[1] > 1:
        array = array.argmax(axis=1)
    array = array.reshape(-1)
    if array.size == 0 or not np.issubdtype(array.dtype, np.number):
        return None
    return hashlib.sha256(array.astype(np.int64).tobytes()).hexdigest()


def _count(data: Any) -> int | None:
    """How many examples ``data`` holds, when that can be known without reading it."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return _count(data[0]) if data else None
    if isinstance(data, dict):
        return _count(next(iter(data.values()), None))
    shape = getattr(data, "shape", None)
    if shape is not None and len(shape) > 0 and shape[0] is not None:
        return int(shape[0])
    return None


def _labels_of(args: tuple, kwargs: dict) -> Any:
    if "y" in kwargs:
        return kwargs["y"]
    return args[1] if len(args) > 1 else None


def _images_of(args: tuple, kwargs: dict) -> Any:
    if "x" in kwargs:
        return kwargs["x"]
    return args[0] if args else None


def _wrap_loader(module: Any, name: str, dataset: str) -> None:
    original = getattr(module, name)
    if getattr(original, "_benchmark_probe", False):
        return

    @functools.wraps(original)
    def loader(*args, **kwargs):
        arrays = original(*args, **kwargs)
        (train_images, _), (_, test_labels) = arrays
        fingerprint = _label_fingerprint(test_labels)
        if fingerprint is not None:
            _state["test_labels"][fingerprint] = dataset
        _state.setdefault("datasets", {})[dataset] = {
            "train_images": int(len(train_images)),
            "test_images": int(len(test_labels)),
        }
        return arrays

    loader._benchmark_probe = True
    setattr(module, name, loader)


def _epoch_times(keras):
    """A callback that keeps the wall time of each epoch, its validation pass included."""

    class EpochTimes(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(round(time.perf_counter() - self.start, 3))

    return EpochTimes()


def _fit_record(model, history, seconds: float, images, split: float, batch_size, epochs):
    """What the report keeps of one fit."""
    epochs_run = len(getattr(history, "epoch", []) or [])
    per_epoch = None if images is None else int(round(images * (1.0 - split)))
    trained = None if per_epoch is None else per_epoch * epochs_run
    return {
        "model": model.name,
        "parameters": int(model.count_params()),
        "seconds": round(seconds, 3),
        "epochs": epochs_run,
        "epoch_seconds": None if epochs is None else epochs.seconds,
        "batch_size": batch_size,
        "images_per_epoch": per_epoch,
        "images": trained,
        "images_per_second": None if not trained else round(trained / seconds, 1),
        "final": {
            key: round(float(values[-1]), 5)
            for key, values in getattr(history, "history", {}).items()
            if values
        },
    }


def _probed_fit(fit, keras):
    """``Model.fit`` that records its time, epochs and images (and changes nothing else)."""

    @functools.wraps(fit)
    def timed_fit(self, *args, **kwargs):
        images = _count(_images_of(args, kwargs))
        split = kwargs.get("validation_split") or 0.0
        batch_size = kwargs.get("batch_size", args[2] if len(args) > 2 else None)
        epochs = None
        if len(args) <= 5:  # callbacks (the sixth argument) not given by position
            epochs = _epoch_times(keras)
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), epochs]
        start = time.perf_counter()
        _state["fitting"] = True  # fit evaluates on validation data: not an evaluation to record
        try:
            history = fit(self, *args, **kwargs)
        finally:
            _state["fitting"] = False
        seconds = time.perf_counter() - start
        _state["fits"].append(_fit_record(self, history, seconds, images, split, batch_size,
                                          epochs))
        _save()
        return history

    timed_fit._benchmark_probe = True
    return timed_fit


def _scores(model, result) -> dict[str, float]:
    if isinstance(result, dict):
        return {key: float(value) for key, value in result.items()}
    # Keras 3 keeps the metrics of the evaluation just run; ask it for names and values.
    try:
        return {key: float(value) for key, value in model.get_metrics_result().items()}
    except Exception:
        return {}


def _probed_evaluate(evaluate):
    """``Model.evaluate`` that records the accuracy, and whether the labels were the test set."""

    @functools.wraps(evaluate)
    def recorded_evaluate(self, *args, **kwargs):
        result = evaluate(self, *args, **kwargs)
        if _state.get("fitting"):
            return result
        dataset = _state["test_labels"].get(_label_fingerprint(_labels_of(args, kwargs)))
        accuracy = next((v for k, v in _scores(self, result).items() if "acc" in k), None)
        fitted = [i for i, fit in enumerate(_state["fits"]) if fit["model"] == self.name]
        _state["evaluations"].append(
            {
                "model": self.name,
                "after_fit": fitted[-1] if fitted else None,  # the model's latest fit
                "split": "test" if dataset else "other",
                "dataset": dataset,
                "images": _count(_images_of(args, kwargs)),
                "accuracy": None if accuracy is None else round(accuracy, 5),
            }
        )
        _save()
        return result

    recorded_evaluate._benchmark_probe = True
    return recorded_evaluate


def install_probes(path: str | os.PathLike) -> None:
    """Start recording fits and evaluations of this Python process into ``path`` (JSON)."""
    _state["path"] = Path(path)
    from helpers import data  # the wrappers below replace its real loaders
    from helpers.settings import import_tensorflow

    import_tensorflow()  # the quiet import, before Keras pulls TensorFlow in noisily
    import keras

    import helpers

    _wrap_loader(data, "load_mnist", "mnist")
    _wrap_loader(data, "load_fashion_mnist", "fashion_mnist")
    # ``helpers`` hands out ``data``'s loaders lazily; if it ever binds them eagerly, rebind.
    for name in ("load_mnist", "load_fashion_mnist"):
        if name in vars(helpers):
            setattr(helpers, name, getattr(data, name))
    if not getattr(keras.Model.fit, "_benchmark_probe", False):
        keras.Model.fit = _probed_fit(keras.Model.fit, keras)
        keras.Model.evaluate = _probed_evaluate(keras.Model.evaluate)
    _save()


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux: VmHWM; else ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return round(peak / (1024 * 1024) if os.uname().sysname == "Darwin" else peak / 1024, 1)


def _save() -> None:
    path = _state["path"]
    if path is None:
        return
    report = {
        "fits": _state["fits"],
        "evaluations": _state["evaluations"],
        "datasets": _state.get("datasets", {}),
        "peak_memory_mb": peak_memory_mb(),
    }
    fileio.write_text(path, json.dumps(report, indent=1))


def write_report() -> None:
    """Save what the probes saw, with the peak memory measured now."""
    _save()
