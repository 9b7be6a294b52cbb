"""Downloading a dataset into the Keras cache: within a deadline, with progress, checked
before it is kept, and never over a file that is already there."""

from __future__ import annotations

import os
import secrets
import sys
import time
import urllib.request
from pathlib import Path

from . import files
from .files import Arrays, CorruptDataError, DataError, UnreadableDataError, validate_arrays
from .sources import keras_cache_dir

DOWNLOAD_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
"""Where ``keras.datasets`` downloads both datasets from."""
# The largest download is Fashion-MNIST's training images, 26 MB compressed.
MAX_DOWNLOAD_BYTES = 64 * 2**20

DOWNLOAD_DEADLINE = 900.0
"""The most seconds one dataset's download may take, all its files together: Fashion-MNIST's
31 MB at a slow 35 kB/s."""
READ_TIMEOUT = 60.0
"""The most seconds to wait for the server to send anything at all."""
PROGRESS_SECONDS = 5.0
"""How often a download in progress prints how far it got."""


def _too_slow(url: str, copied: int, of_total: str, seconds: float) -> DataError:
    return DataError(
        f"{url}: only {copied / 1e6:.1f} MB{of_total} arrived in {seconds:.0f} s, too slow to "
        "finish; expected the whole download within that time (try again later, or see "
        "`python -m helpers.data prefetch`)"
    )


def _copy_response(response, output, url: str, deadline: float | None = None) -> int:
    """Copy ``response`` into ``output`` within ``deadline`` seconds; return the byte count.

    ``deadline`` defaults to ``DOWNLOAD_DEADLINE``. ``read1`` returns whatever has arrived,
    so a server that trickles bytes cannot hold a read (and the deadline check) for longer
    than the socket's timeout. Prints progress every ``PROGRESS_SECONDS``.
    """
    deadline = DOWNLOAD_DEADLINE if deadline is None else deadline
    read = response.read1 if hasattr(response, "read1") else response.read
    total = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    of_total = f" of {int(total) / 1e6:.1f} MB" if total and total.isdigit() else ""
    start = last_report = time.monotonic()
    copied = 0
    while block := _read_block(read, url, copied, of_total):
        copied += len(block)
        if copied > MAX_DOWNLOAD_BYTES:
            raise CorruptDataError(
                f"{url}: more than {MAX_DOWNLOAD_BYTES:,} bytes, expected a dataset file "
                "(the largest is 26 MB)"
            )
        output.write(block)
        now = time.monotonic()
        if now - start > deadline:
            raise _too_slow(url, copied, of_total, deadline)
        if now - last_report >= PROGRESS_SECONDS:
            print(f"  {copied / 1e6:.1f} MB{of_total} after {now - start:.0f} s", file=sys.stderr)
            last_report = now
    return copied


def _read_block(read, url: str, copied: int, of_total: str) -> bytes:
    """One ``read`` of up to 64 KiB; a server that went silent is named as such."""
    try:
        return read(1 << 16)
    except TimeoutError:
        raise DataError(
            f"{url}: the server stopped sending after {copied / 1e6:.1f} MB{of_total}; "
            "expected data at least once a minute (try again later)"
        ) from None


def _make_cache_folder(folder: Path) -> None:
    """Create the Keras cache folder ``folder``; a file in the way or no permission is said so."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataError(
            f"the Keras cache: cannot create the folder {files._show_path(folder)} to keep the "
            f"download in ({type(error).__name__}: {error.strerror or error}); expected a "
            "folder you can write to (move what is in the way, or set KERAS_HOME to another "
            "folder)"
        ) from None


def _fetch(url: str, target: Path, ends_at: float | None = None) -> Path:
    """Download ``url`` into a new temporary file beside ``target``; return its path.

    ``target`` itself is never opened. On any failure the temporary file is removed (it
    is this call's own) and the error raised. The download must end by ``ends_at`` (a
    ``time.monotonic()`` value; default ``DOWNLOAD_DEADLINE`` from now).
    """
    now = time.monotonic()
    ends_at = now + DOWNLOAD_DEADLINE if ends_at is None else ends_at
    if ends_at <= now:
        raise _too_slow(url, 0, "", DOWNLOAD_DEADLINE)
    _make_cache_folder(target.parent)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.download")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with (
            os.fdopen(descriptor, "wb") as output,
            # A fresh opener reads the proxy settings of this moment; urlopen() would keep
            # the ones of its first call for the rest of the process.
            urllib.request.build_opener().open(
                url, timeout=min(READ_TIMEOUT, max(ends_at - now, 1.0))
            ) as response,
        ):
            print(f"Downloading {url} ...", file=sys.stderr)
            _copy_response(response, output, url, ends_at - time.monotonic())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _install(temporary: Path, target: Path, intact) -> None:
    """Move a checked download onto ``target`` unless a file is already there.

    A file already at ``target`` is the learner's: it is left exactly as it is, and the
    checked download is dropped after use. ``intact(path)`` tells whether that file is a
    good copy; if it is not, the learner is told.
    """
    try:
        try:
            os.link(temporary, target)  # fails, instead of replacing, if target exists
        except FileExistsError:
            if not intact(target):
                what = files._not_a_file(target) or "not the published file"
                print(
                    f"Keras cache: {files._show_path(target)} is {what} and was left as it is; "
                    "the checked download was used this time only. Move it away to keep the "
                    "next download.",
                    file=sys.stderr,
                )
        except OSError:  # no hard links on this file system
            if not target.exists():
                os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _intact_mnist(path: Path) -> bool:
    try:
        return files._file_sha256(path) == files.MNIST_NPZ_SHA256
    except OSError:  # unreadable: not a copy the course can use
        return False


def _intact_fashion(name: str):
    def intact(path: Path) -> bool:
        try:
            files._read_idx_gz(path, "check", files.FASHION_FILES[name], name=name)
        except (CorruptDataError, UnreadableDataError, OSError):
            return False
        return True

    return intact


def _download_mnist(label: str, ends_at: float) -> Arrays:
    target = keras_cache_dir() / "mnist.npz"
    temporary = _fetch(DOWNLOAD_URL + "mnist.npz", target, ends_at)
    try:
        if files._file_sha256(temporary) != files.MNIST_NPZ_SHA256:
            raise CorruptDataError(
                f"{label}: mnist.npz is not the published file (checksum mismatch)"
            )
        arrays = files._read_npz(temporary, label)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _install(temporary, target, _intact_mnist)
    return arrays


def _download_fashion(label: str, ends_at: float) -> Arrays:
    folder = keras_cache_dir() / "fashion-mnist"
    downloaded: dict[str, Path] = {}
    try:
        content = {}
        for name, sha256 in files.FASHION_FILES.items():
            downloaded[name] = _fetch(DOWNLOAD_URL + name, folder / name, ends_at)
            content[name] = files._read_idx_gz(downloaded[name], label, sha256, name=name)
        arrays = (
            (content["train-images-idx3-ubyte.gz"], content["train-labels-idx1-ubyte.gz"]),
            (content["t10k-images-idx3-ubyte.gz"], content["t10k-labels-idx1-ubyte.gz"]),
        )
        validate_arrays(arrays, label)
    except BaseException:
        for temporary in downloaded.values():
            temporary.unlink(missing_ok=True)
        raise
    for name, temporary in downloaded.items():
        _install(temporary, folder / name, _intact_fashion(name))
    return arrays


def _download(dataset: str) -> Arrays:
    """Download ``dataset``, check it, and keep it in the Keras cache where nothing was.

    All of a dataset's files share one deadline, ``DOWNLOAD_DEADLINE`` seconds from now.
    """
    ends_at = time.monotonic() + DOWNLOAD_DEADLINE
    if dataset == "mnist":
        return _download_mnist("the downloaded file", ends_at)
    return _download_fashion("the downloaded files", ends_at)
