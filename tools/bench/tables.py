"""How the benchmark's reports write numbers; the tables are ``tools.markdown.table``."""

from __future__ import annotations

from tools.markdown import table

__all__ = ["fmt", "goal", "minutes", "percent", "percent_sd", "spread", "table"]


def fmt(value, pattern="{:,.1f}", empty="–") -> str:
    """``pattern`` filled with ``value``, or a dash when there is no value."""
    return empty if value is None else pattern.format(value)


def minutes(seconds) -> str:
    return fmt(None if seconds is None else seconds / 60, "{:.1f} min")


def goal(met) -> str:
    return {True: "met", False: "NOT met", None: "–"}[met]


def percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def percent_sd(mean, sd) -> str:
    """A mean accuracy and its standard deviation in points: "97.40% ± 0.12"."""
    return f"{mean:.2%}" + ("" if sd is None else f" ± {100 * sd:.2f}")


def spread(sd: float, seeds: list) -> str:
    return f" ± {100 * sd:.2f}" if len(seeds) > 1 else " (one seed)"
