"""Training curves: loss, accuracy and every other metric per epoch, as ``model.fit`` kept them.

``plot_history`` returns the matplotlib Figure it drew on, described for screen readers
(where each curve starts, where it ends and its best epoch; ``alt=`` replaces that).
"""

from __future__ import annotations

import warnings

import numpy as np

from . import plotting_alt as alt_text
from .plotting_common import ACCURACY_KEYS, MAX_METRICS, _check_text, _pyplot, finish
from .validation import describe

SERIES_STYLES = (("", "o-", "training"), ("val_", "s--", "validation"))
"""Training and validation: a key prefix, a line style (marker and dash, not colour alone,
tell them apart) and a legend label."""


def _accuracy_key(curves: dict) -> str | None:
    return next((key for key in ACCURACY_KEYS if key in curves), None)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _curve(key: str, values: object) -> np.ndarray:
    """One metric's values per epoch as floats; raise naming the key if they are not numbers.

    Bools are refused wherever they are, alone or mixed with numbers (``[0.5, True]``):
    NumPy would turn them into 1.0 and 0.0, and True is not a loss.
    """
    name = f"history[{key!r}]"
    expected = "a list of numbers, one per epoch"
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name}: got {describe(values)}, expected {expected}")
    try:
        raw = np.asarray(values)
        if raw.dtype.kind == "O" and raw.ndim == 1:
            raw = np.asarray(values, dtype=np.float64) if all(map(_is_number, raw)) else raw
        elif raw.ndim == 1 and raw.dtype.kind in "iuf":
            if any(isinstance(value, (bool, np.bool_)) for value in values):
                raw = None  # NumPy made [0.5, True] floats: a bool is still not a number here
        array = raw.astype(np.float64) if raw is not None and raw.dtype.kind in "iuf" else None
    except (TypeError, ValueError, OverflowError) as error:
        raise TypeError(f"{name}: got {describe(values)}, expected {expected}") from error
    if array is None:  # bools, strings, objects: "1.0" or True is not a loss
        raise TypeError(f"{name}: got {describe(values)}, expected {expected}")
    if array.ndim != 1:
        raise ValueError(
            f"{name}: got values of shape {array.shape}, expected one number per epoch"
        )
    return array


def _non_finite_note(key: str, values: np.ndarray) -> str | None:
    """A warning text when ``values`` hold NaN or infinity, else None."""
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size == 0:
        return None
    epochs = ", ".join(str(i + 1) for i in bad[:5]) + (", ..." if bad.size > 5 else "")
    return (
        f"history[{key!r}]: NaN or infinite at epoch {epochs} of {len(values)}: training "
        "diverged there (a lower learning rate usually helps); those points are not drawn"
    )


def _panels(arrays: dict) -> tuple[list[str], str | None]:
    """The metric of each panel, loss first, and which of them is the accuracy.

    A panel draws ``name`` and ``val_name``; a ``val_name`` without its ``name`` (only the
    validation series was kept) gets a panel too, so every series is drawn.
    """
    names = dict.fromkeys(key[4:] if key.startswith("val_") else key for key in arrays)
    accuracy = _accuracy_key(names)
    others = [name for name in names if name not in ("loss", accuracy)]
    return ["loss"] + ([accuracy] if accuracy else []) + others, accuracy


def _checked_arrays(history) -> dict[str, np.ndarray]:
    """The history's metrics as float arrays of one length, or an error naming ``history``."""
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict):
        raise TypeError(f"history: got {describe(history)}, expected a Keras History or its dict")
    if not curves:
        raise ValueError("history: got an empty history, expected at least one epoch of metrics")
    if "loss" not in curves:
        raise ValueError(f"history: got keys {sorted(map(str, curves))}, expected at least 'loss'")
    for key in curves:
        if not isinstance(key, str):
            raise TypeError(f"history: got a key {key!r}, expected metric names (strings)")
    arrays = {key: _curve(key, values) for key, values in curves.items()}
    if not any(len(values) for values in arrays.values()):
        raise ValueError("history: got an empty history, expected at least one epoch of metrics")
    epochs_run = len(arrays["loss"])
    for key, values in arrays.items():
        if len(values) != epochs_run:
            raise ValueError(
                f"history[{key!r}]: got {len(values)} values for {epochs_run} epochs of 'loss', "
                "expected one value per epoch (validation_freq=1 in fit)"
            )
    return arrays


def plot_history(history, title: str | None = None, alt: str | None = None):
    """Loss and accuracy per epoch, for training and (when present) validation data.

    ``history`` is what ``model.fit`` returns, or its ``.history`` dict. Accuracy is found
    under any of the names Keras gives it (``accuracy``, ``acc``,
    ``sparse_categorical_accuracy``, ...) and drawn in a panel called "Accuracy"; every
    other metric gets a panel of its own, so nothing in the history is left out.

    A loss or metric that became NaN or infinite (training diverged) is not an error: the
    finite epochs are drawn, the panel says from which epoch the values are missing, and
    a ``UserWarning`` names the metric and the epochs. ``alt`` replaces the description
    for screen readers (by default: each curve's first, last and best value).
    """
    arrays = _checked_arrays(history)
    _check_text("title", title)
    alt = alt_text.check_alt(alt)
    metrics, accuracy = _panels(arrays)
    if len(metrics) > MAX_METRICS:
        raise ValueError(
            f"history: got {len(metrics)} metrics ({', '.join(metrics)}), expected at most "
            f"{MAX_METRICS} (pass a dict with the ones to draw)"
        )
    plt = _pyplot()
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(5 * len(metrics), 3.4), squeeze=False, layout="constrained"
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        panel_title = "Accuracy" if metric == accuracy else metric.capitalize()
        _draw_panel(ax, arrays, metric, panel_title)
    if title:
        fig.suptitle(title)
    return finish(fig, alt, _history_description(arrays, metrics, accuracy, title))


def _draw_panel(ax, arrays: dict, metric: str, panel_title: str) -> None:
    """One metric's training and validation curves on ``ax``, noting diverged epochs."""
    epochs = np.arange(1, len(arrays["loss"]) + 1)
    diverged = False
    for prefix, style, label in SERIES_STYLES:
        key = prefix + metric
        if key not in arrays:
            continue
        values = arrays[key]
        note = _non_finite_note(key, values)
        if note:
            diverged = True
            warnings.warn(note, UserWarning, stacklevel=3)
        ax.plot(epochs, np.where(np.isfinite(values), values, np.nan), style, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(panel_title)
    ax.set_xticks(epochs if len(epochs) <= 20 else epochs[:: len(epochs) // 10])
    ax.grid(True, alpha=0.3)
    ax.legend()
    if diverged:
        ax.text(
            0.5,
            0.5,
            "NaN or infinite values\n(training diverged)",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="tab:red",
        )


def _series_description(label: str, values: np.ndarray, higher_is_better: bool) -> str:
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size == 0:
        return f"{label}: no finite values (training diverged)"
    if finite.size == 1:
        return f"{label} {alt_text.number(values[finite[0]])}"
    first, last = values[finite[0]], values[finite[-1]]
    best = (
        finite[np.argmax(values[finite])] if higher_is_better else finite[np.argmin(values[finite])]
    )
    text = f"{label} from {alt_text.number(first)} to {alt_text.number(last)}"
    if finite.size > 2:
        kind = "highest" if higher_is_better else "lowest"
        text += f" ({kind} {alt_text.number(values[best])} at epoch {best + 1})"
    return text


def _history_description(arrays: dict, metrics: list[str], accuracy, title) -> str:
    epochs = len(arrays["loss"])
    parts = []
    for metric in metrics:
        higher = metric == accuracy
        series = [
            _series_description(label, arrays[prefix + metric], higher)
            for prefix, _, label in SERIES_STYLES
            if prefix + metric in arrays
        ]
        parts.append(f"{'accuracy' if higher else metric}: {'; '.join(series)}")
    heading = f"{title}: training" if title else "Training"
    return (
        f"{heading} curves over {epochs} epoch{'s' if epochs != 1 else ''}. "
        + ". ".join(part[0].upper() + part[1:] for part in parts)
        + "."
    )
