"""The sentence a lecturer's page (``teaching/<stem>.md``) gives on its notebook's computing time.

Each page says, near its top, how long its notebook computed in the last reference run, so a
lecturer knows what can run live. The page quotes it like any other figure of that run
(``tools.results_quotes``), under the label ``computing time of <stem>``:

    <!-- from-results: computing time of 02_first_convnet -->In the reference ...
    <!-- /from-results -->

and ``make course`` rewrites it from ``benchmarks/results.json``. This module words it.
"""

from __future__ import annotations

FULL_IMAGES = {"mnist": 60_000, "fashion_mnist": 60_000}  # each dataset's training images
NAMES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}
SOURCE = "([`benchmarks/results.md`](../benchmarks/results.md))"


def _minutes(seconds: float) -> str:
    """Seconds as the results page rounds them: "0.4 minute", "1.7 minutes", "under 0.1 minute"."""
    value = round(seconds / 60, 1)
    if value < 0.1:
        return "under 0.1 minute"
    return f"{value:.1f} minute" + ("" if value <= 1 else "s")


def sentence(row: dict) -> str:
    """What one notebook (its row of the results) computed in the reference run."""
    wall = _minutes(row["wall_seconds"])
    training = row.get("training_seconds") or 0
    if not row.get("data"):  # no dataset: at most a demonstration fit on a few images
        trains = "" if training == 0 else f", {_minutes(training)} of it training"
        return f"In the reference run the whole notebook computed in {wall}{trains} {SOURCE}."
    ((dataset, sizes),) = row["data"].items()
    loaded, full = sizes["train_images"], FULL_IMAGES[dataset]
    text = (f"In the reference run the whole notebook computed in {wall}, "
            f"{_minutes(training)} of it training")
    if loaded >= full:
        return f"{text} on all {full:,} {NAMES[dataset]} training images {SOURCE}."
    projected = _minutes(row["projected_full_training_seconds"])
    return (f"{text} on the first {loaded:,} of the {full:,} {NAMES[dataset]} training images; "
            f"on all of them the training would take about {projected} {SOURCE}.")
