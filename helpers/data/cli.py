"""``python -m helpers.data where`` and ``python -m helpers.data prefetch``."""

from __future__ import annotations

import argparse
import sys

from ..settings import QUICK_ENV, quick_mode
from ..validation import describe
from . import download
from .files import CorruptDataError, DataError, UnreadableDataError, _describe_counts, _title
from .sources import _fashion_incomplete, _load_from, _present, _sources, _unusable

DATASETS = ("mnist", "fashion_mnist")


def where(dataset: str) -> str:
    """Say where ``dataset`` (``"mnist"`` or ``"fashion_mnist"``) would be loaded from now,
    without reading the files."""
    if not isinstance(dataset, str) or dataset not in DATASETS:
        raise ValueError(f"dataset: got {describe(dataset)}, expected one of {list(DATASETS)}")
    if quick_mode():
        return f"{_title(dataset)}: the quick-mode sample shipped with helpers ({QUICK_ENV}=1)"
    skipped = []
    for source in _sources(dataset):
        if not _present(dataset, source):
            continue
        if source.kind != "folder" and source.path is not None and _unusable(source.path):
            skipped.append(f"{source.label} is {_unusable(source.path)}")
            continue  # loading skips it too
        note = "" if source.kind == "download" else " (found; checked when loaded)"
        incomplete = (
            _fashion_incomplete(source.path)
            if dataset != "mnist" and source.path is not None
            else None
        )
        if incomplete:
            note = f" (incomplete: {', '.join(incomplete[1])} missing)"
        if skipped:
            note += f"; skipped: {'; '.join(skipped)}"
        return f"{_title(dataset)}: {source.label}{note}"
    raise AssertionError("the download source is always present")  # pragma: no cover


def prefetch() -> int:
    """Download both datasets into the Keras cache and check them; return an exit status."""
    status = 0
    for dataset in ("mnist", "fashion_mnist"):
        cache = next(s for s in _sources(dataset) if s.kind == "cache")
        try:
            if _present(dataset, cache):
                try:
                    arrays = _load_from(dataset, cache)
                    counts = _describe_counts(arrays)
                    print(f"{_title(dataset)}: already in {cache.label}, checked: {counts}.")
                    continue
                except (CorruptDataError, UnreadableDataError) as error:
                    print(f"{error}; downloading again.")
            arrays = download._download(dataset)
            counts = _describe_counts(arrays)
            try:
                _load_from(dataset, cache)
            except (CorruptDataError, UnreadableDataError, OSError) as error:
                print(
                    f"{_title(dataset)}: downloaded and checked ({counts}), but {cache.label} "
                    f"still holds a damaged copy, left as it is: {error}",
                    file=sys.stderr,
                )
                status = 1
                continue
            print(f"{_title(dataset)}: downloaded into {cache.label}, checked: {counts}.")
        except Exception as error:
            print(f"{_title(dataset)}: prefetch failed: {error}", file=sys.stderr)
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data", description="Where the course's datasets come from."
    )
    parser.add_argument("command", choices=["where", "prefetch"])
    args = parser.parse_args(argv)
    try:
        if args.command == "where":
            for dataset in ("mnist", "fashion_mnist"):
                print(where(dataset))
            return 0
        return prefetch()
    except (DataError, ValueError) as error:  # e.g. a bad CNN_COURSE_QUICK
        print(error, file=sys.stderr)
        return 2
