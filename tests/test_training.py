"""The one-cycle schedule: its shape and its argument checks."""

from __future__ import annotations

import pytest

from helpers.training import one_cycle_schedule, steps_per_epoch


def test_steps_per_epoch_counts_the_last_partial_batch():
    assert steps_per_epoch(100, 32) == 4 and steps_per_epoch(96, 32) == 3


def test_schedule_warms_up_to_the_peak_then_decays_to_zero():
    schedule = one_cycle_schedule(1e-2, epochs=2, training_images=500, batch_size=10)
    total = 2 * 50
    rates = [float(schedule(step)) for step in range(total + 1)]
    assert rates[0] == pytest.approx(1e-3)
    assert max(rates) == pytest.approx(1e-2) and rates.index(max(rates)) == 20
    assert rates[-1] == pytest.approx(0.0, abs=1e-9)
    assert all(a <= b for a, b in zip(rates[:20], rates[1:21], strict=True))
    assert all(a >= b for a, b in zip(rates[20:-1], rates[21:], strict=True))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"peak_rate": 0}, "peak_rate: got 0, expected a positive learning rate"),
        ({"epochs": 0}, "epochs: got 0, expected a positive integer"),
        ({"batch_size": 2.5}, "batch_size: got 2.5"),
        ({"warmup_fraction": 1.0}, r"warmup_fraction: got 1.0, expected a number in \[0, 1\)"),
    ],
)
def test_schedule_rejects_bad_arguments(kwargs, message):
    arguments = {"peak_rate": 1e-3, "epochs": 1, "training_images": 100, "batch_size": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        one_cycle_schedule(**arguments)


@pytest.mark.parametrize("peak_rate", [float("nan"), float("inf"), -float("inf")])
def test_schedule_refuses_rates_that_are_not_finite(peak_rate):
    with pytest.raises(ValueError, match="peak_rate: got .*, expected a positive learning rate"):
        one_cycle_schedule(peak_rate, epochs=1, training_images=100, batch_size=10)


def test_schedule_accepts_numpy_numbers():
    import numpy as np

    schedule = one_cycle_schedule(
        np.float32(1e-2), np.int64(2), np.int64(500), np.int32(10), warmup_fraction=np.float64(0.2)
    )
    assert float(schedule(0)) == pytest.approx(1e-3)
    assert float(schedule(20)) == pytest.approx(1e-2)


def test_schedule_message_shows_the_plain_number():
    import numpy as np

    with pytest.raises(ValueError, match=r"peak_rate: got -0\.5, expected"):
        one_cycle_schedule(np.float64(-0.5), epochs=1, training_images=100, batch_size=10)


@pytest.mark.parametrize("rate", [1e-38, 1e-45, 5e-324])
def test_a_rate_whose_tenth_underflows_in_float32_is_refused(rate):
    with pytest.raises(ValueError, match="peak_rate: got .* of at least 1.18e-37"):
        one_cycle_schedule(rate, epochs=1, training_images=100, batch_size=10)


@pytest.mark.parametrize("rate", [1e39, 10**400])
def test_a_rate_float32_cannot_hold_is_refused(rate):
    with pytest.raises(ValueError, match="peak_rate: got"):
        one_cycle_schedule(rate, epochs=1, training_images=100, batch_size=10)


def test_a_step_count_tensorflow_cannot_convert_is_refused():
    with pytest.raises(ValueError, match="epochs: got .* expected at most 2,147,483,647 steps"):
        one_cycle_schedule(1e-3, epochs=2**20, training_images=10_000, batch_size=1)
    with pytest.raises(ValueError, match=r"epochs: got 9223372036854775808, expected .*<= 2,1"):
        one_cycle_schedule(1e-3, epochs=2**63, training_images=100, batch_size=10)


def test_a_huge_epoch_count_gets_a_message_a_learner_can_read():
    with pytest.raises(ValueError) as raised:
        one_cycle_schedule(1e-3, epochs=10**400, training_images=100, batch_size=10)
    assert str(raised.value).startswith("epochs: got 1000") and len(str(raised.value)) < 200


@pytest.mark.parametrize("images", [2**53 + 1, 10**400 + 1])
def test_steps_per_epoch_is_exact_past_what_a_float_holds(images):
    # Before: 2**53 for 2**53 + 1 images (a float quotient), an OverflowError for 10**400 + 1.
    assert steps_per_epoch(images, 1) == images
    assert steps_per_epoch(images, 2) == images // 2 + 1
