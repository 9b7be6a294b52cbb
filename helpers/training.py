"""Training recipes shared by the notebooks: a 1cycle-style learning-rate schedule.

Taught in notebook 04 (LeNet-5) and used in notebooks 02, 04 and 07. On a 2-core CPU the
schedule reached the accuracy of the plain recipes (constant learning rate, more epochs) in
about half their training time: `benchmarks/results.md` holds the measurements.
"""

from __future__ import annotations

import numpy as np

from .validation import positive_int, positive_number, show_value


def steps_per_epoch(training_images: int, batch_size: int) -> int:
    """How many batches one epoch has: the last, smaller batch counts too.

    >>> steps_per_epoch(54_000, 32)
    1688
    """
    images = positive_int("training_images", training_images)
    batch = positive_int("batch_size", batch_size)
    # Whole-number division: a float quotient is wrong from 2**53 images on and overflows later.
    return -(-images // batch)


MAX_STEPS = 2**31 - 1
"""The most training steps a schedule accepts: a year at 60 steps a second is 1.9e9. From
2**63 steps on, TensorFlow failed with "Can't convert Python sequence with out-of-range
integer to Tensor" at the first step instead."""

# Keras computes the rate in float32: below this, peak_rate / 10 rounds to 0 (no learning)
# or to a number with few significant digits; above the largest float32 it becomes inf.
SMALLEST_RATE = float(np.finfo(np.float32).tiny) * 10
LARGEST_RATE = float(np.finfo(np.float32).max)


def _check_peak_rate(peak_rate: object) -> float:
    """``peak_rate`` as a float, if float32 can hold it and a tenth of it; else raise."""
    expected = "a positive learning rate (a finite number such as 1e-3)"
    rate = positive_number("peak_rate", peak_rate, expected=expected)
    if rate < SMALLEST_RATE:
        raise ValueError(
            f"peak_rate: got {show_value(peak_rate)}, expected {expected} of at least "
            f"{SMALLEST_RATE:.3g}: Keras computes the rate in float32, where a tenth of a "
            "smaller one rounds to 0 or loses its precision (the network would not learn)"
        )
    if rate > LARGEST_RATE:
        raise ValueError(
            f"peak_rate: got {show_value(peak_rate)}, expected {expected} of at most "
            f"{LARGEST_RATE:.3g}, the largest float32 (Keras would compute with infinity)"
        )
    return rate


def one_cycle_schedule(
    peak_rate: float,
    epochs: int,
    training_images: int,
    batch_size: int,
    warmup_fraction: float = 0.2,
):
    """A learning rate that warms up to ``peak_rate``, then decays to zero along a cosine.

    For the first ``warmup_fraction`` of all training steps the rate rises linearly from
    ``peak_rate / 10`` to ``peak_rate``; for the rest it follows half a cosine down to 0.
    The warm-up keeps the first updates, taken while the weights are still random, small;
    the largest steps come once training is under way, the smallest at the end, where
    they let the weights settle. Numbers may be NumPy scalars (``np.float32(1e-3)``).

    >>> schedule = one_cycle_schedule(2e-3, epochs=2, training_images=54_000, batch_size=32)
    >>> optimizer = keras.optimizers.Adam(learning_rate=schedule)  # doctest: +SKIP
    """
    from .settings import import_tensorflow

    import_tensorflow()  # quietly, before Keras imports it
    import keras

    peak_rate = _check_peak_rate(peak_rate)
    if isinstance(warmup_fraction, (bool, np.bool_)) or not (
        isinstance(warmup_fraction, (int, float, np.integer, np.floating))
        and 0 <= warmup_fraction < 1
    ):
        raise ValueError(
            f"warmup_fraction: got {show_value(warmup_fraction)}, expected a number in [0, 1)"
        )
    warmup_fraction = float(warmup_fraction)
    epochs = positive_int("epochs", epochs, maximum=MAX_STEPS)
    per_epoch = steps_per_epoch(training_images, batch_size)
    if per_epoch > MAX_STEPS // epochs:
        raise ValueError(
            f"epochs: got {epochs:,} epochs of {show_value(per_epoch)} steps each; expected "
            f"at most {MAX_STEPS:,} steps in all (fewer epochs, fewer images or larger batches)"
        )
    total_steps = epochs * per_epoch
    warmup_steps = int(warmup_fraction * total_steps)
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_rate / 10,
        decay_steps=total_steps - warmup_steps,
        warmup_target=peak_rate,
        warmup_steps=warmup_steps,
    )
