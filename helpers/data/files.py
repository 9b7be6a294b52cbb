"""Dataset files: reading and checking ``mnist.npz`` and the gzip-compressed IDX files.

Every reader refuses what is not the dataset it expects with a ``CorruptDataError`` (a
damaged file) or an ``UnreadableDataError`` (a file that is there but cannot be opened),
both naming where the file came from, so that the search for a good copy can go on.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ..validation import describe

# SHA-256 of Keras' mnist.npz (the same value keras.datasets.mnist checks).
MNIST_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

# SHA-256 of the *decompressed* Fashion-MNIST files: a copy that was recompressed (as
# Debian's is) still matches, a truncated or altered one does not.
# fmt: off
FASHION_FILES = {
    "train-labels-idx1-ubyte.gz":
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "train-images-idx3-ubyte.gz":
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "t10k-labels-idx1-ubyte.gz":
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz":
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}
# fmt: on

FULL_SIZES = {"train": 60_000, "test": 10_000}
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")

# No array of either dataset holds more values than the 60,000 training images.
MAX_ARRAY_VALUES = FULL_SIZES["train"] * 28 * 28

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class DataError(RuntimeError):
    """A dataset could not be loaded. Jupyter shows only the message, not a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython's hook for custom display
        return [
            f"{type(self).__name__}: {line}" if i == 0 else line
            for i, line in enumerate(str(self).splitlines())
        ]


class CorruptDataError(DataError):
    """A dataset file exists but is damaged, truncated or not the expected dataset."""


class UnreadableDataError(DataError):
    """A dataset file or folder is there but cannot be read: a dangling link, no permission."""


def _not_a_file(path: Path) -> str | None:
    """What sits at ``path`` if it is not a file: a link to nothing, or a folder; else None."""
    if os.path.islink(path) and not os.path.exists(path):
        return f"a link to {os.readlink(path)}, which does not exist"
    if os.path.isdir(path):
        return "a folder, expected a file"
    return None


def _unreadable(path: Path, origin: str, error: OSError) -> UnreadableDataError:
    """The error for a ``path`` that exists but could not be opened (not a damaged file)."""
    why = _not_a_file(path) or f"not readable ({_reason(error)})"
    return UnreadableDataError(f"{origin}: {_show_path(path)} is {why}")


def _show_path(path: Path) -> str:
    """A path as the printed line shows it: home folder as ``~``."""
    home = os.path.expanduser("~").rstrip(os.sep)
    text = str(path)
    if home and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text


def _title(dataset: str) -> str:
    return {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}[dataset]


def _describe_counts(arrays: Arrays) -> str:
    (x_train, _), (x_test, _) = arrays
    text = f"{len(x_train):,} training + {len(x_test):,} test images"
    if len(x_train) < FULL_SIZES["train"] or len(x_test) < FULL_SIZES["test"]:
        text += f" (the complete dataset has {FULL_SIZES['train']:,} + {FULL_SIZES['test']:,})"
    return text


# --------------------------------------------------------------------------- checks


def _sha256(data: bytes | bytearray) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _split_problems(split: str, images: object, labels: object) -> list[str]:
    """What is wrong with one split's arrays (nothing: an empty list)."""
    if not isinstance(images, np.ndarray) or not isinstance(labels, np.ndarray):
        return [f"{describe(images)} and {describe(labels)}, expected NumPy arrays"]
    problems = []
    if images.dtype != np.uint8 or labels.dtype != np.uint8:
        problems.append(f"dtypes {images.dtype}/{labels.dtype}, expected uint8/uint8")
    count = images.shape[0] if images.ndim else 0
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        problems.append(f"images of shape {images.shape}, expected (N, 28, 28)")
    if labels.ndim != 1 or len(labels) != count:
        problems.append(f"labels of shape {labels.shape} for {count} images, expected ({count},)")
    if not 0 < count <= FULL_SIZES[split]:
        problems.append(f"{count} images, expected between 1 and {FULL_SIZES[split]:,}")
    if labels.dtype == np.uint8 and labels.size and labels.max() > 9:
        problems.append(f"a label {int(labels.max())}, expected labels 0 to 9")
    return problems


def validate_arrays(arrays: Arrays, origin: str) -> Arrays:
    """Check the structure of a loaded dataset; raise ``CorruptDataError`` naming ``origin``.

    Checks dtype uint8, images of shape (N, 28, 28), labels of shape (N,) in 0..9, and
    that no split is empty or larger than the complete dataset.
    """
    if not isinstance(origin, str):
        raise TypeError(f"origin: got {describe(origin)}, expected a string naming the source")
    try:
        (x_train, y_train), (x_test, y_test) = arrays
    except (TypeError, ValueError):
        raise TypeError(
            f"arrays: got {describe(arrays)}, expected ((x_train, y_train), (x_test, y_test))"
        ) from None
    for split, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        problems = _split_problems(split, images, labels)
        if problems:
            raise CorruptDataError(f"{origin}: {split} split has " + "; ".join(problems))
    return arrays


def _npy_header(archive: zipfile.ZipFile, key: str, origin: str, name: str) -> tuple:
    """The (shape, dtype) an .npz member announces, read without loading its data."""
    with archive.open(f"{key}.npy") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise CorruptDataError(
                f"{origin}: {name} stores {key} in .npy format {version}, expected a plain "
                "array (format 1.0 or 2.0)"
            )
    return shape, dtype


def _check_npz_members(path: Path, origin: str) -> None:
    """Refuse an .npz whose arrays are missing, hold Python objects, or are too large.

    Reading only the headers first means a file that announces a 730 GiB array, or one
    that would need unpickling, is reported instead of exhausting the memory or running
    code from the file.
    """
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        missing = [key for key in NPZ_KEYS if f"{key}.npy" not in members]
        if missing:
            raise CorruptDataError(
                f"{origin}: {path.name} lacks the arrays {missing}; "
                f"expected the keys {list(NPZ_KEYS)} of Keras' mnist.npz"
            )
        for key in NPZ_KEYS:
            shape, dtype = _npy_header(archive, key, origin, path.name)
            if dtype.hasobject:
                raise CorruptDataError(
                    f"{origin}: {path.name} stores {key} as Python objects, which the course "
                    "never loads (unpickling can run code); expected an array of uint8 numbers"
                )
            values = math.prod(shape)  # exact: Python integers cannot overflow
            if values > MAX_ARRAY_VALUES:
                nbytes = values * dtype.itemsize
                size = f"{nbytes / 2**30:,.1f} GiB" if nbytes < 2**100 else "over 2**100 bytes"
                raise CorruptDataError(
                    f"{origin}: {path.name} announces {key} of shape {shape} ({size}), "
                    f"expected at most {MAX_ARRAY_VALUES:,} values (the whole dataset)"
                )


def _read_npz(path: Path, origin: str) -> Arrays:
    _require_readable(path, origin)
    try:
        _check_npz_members(path, origin)
        with np.load(path, allow_pickle=False) as content:
            x_train, y_train, x_test, y_test = (np.array(content[key]) for key in NPZ_KEYS)
    except CorruptDataError:
        raise
    except (
        OSError,
        ValueError,
        EOFError,
        KeyError,
        RuntimeError,
        NotImplementedError,
        zipfile.BadZipFile,
        zlib.error,
    ) as error:  # RuntimeError: an encrypted member; NotImplementedError: odd compression
        raise CorruptDataError(
            f"{origin}: {path.name} is corrupt or truncated ({_reason(error)})"
        ) from None
    return validate_arrays(((x_train, y_train), (x_test, y_test)), f"{origin}: {path.name}")


def _reason(error: BaseException) -> str:
    """An exception as "Type: message", minus any advice to unpickle the file."""
    message = str(error).splitlines()[0] if str(error) else ""
    if not message or "pickle" in message.lower():
        return type(error).__name__
    return f"{type(error).__name__}: {message[:200]}"


def _idx_layout(name: str) -> tuple[int, int, int, int]:
    """(header bytes, magic number, bytes per item, most items) of a Fashion-MNIST file."""
    is_images = "images" in name
    split = "train" if name.startswith("train") else "test"
    return (16, 2051, 28 * 28, FULL_SIZES[split]) if is_images else (8, 2049, 1, FULL_SIZES[split])


def _require_readable(path: Path, origin: str) -> None:
    """Raise ``UnreadableDataError`` if ``path`` cannot be opened (not a damaged file)."""
    try:
        with open(path, "rb"):
            pass
    except OSError as error:  # a dangling link, no permission, a folder
        raise _unreadable(path, origin, error) from None


def _decompress_idx(path: Path, origin: str, name: str, most_bytes: int) -> bytearray:
    """The decompressed bytes of ``path``, abandoned beyond ``most_bytes``."""
    try:
        # Compressed data is at most a little larger than the raw bytes it holds.
        if path.stat().st_size > most_bytes + most_bytes // 100 + 1024:
            raise CorruptDataError(
                f"{origin}: {name} is {path.stat().st_size:,} bytes, more than the complete "
                f"file needs ({most_bytes:,} bytes uncompressed)"
            )
        raw = bytearray()
        with gzip.open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                raw += block
                if len(raw) > most_bytes:
                    raise CorruptDataError(
                        f"{origin}: {name} decompresses to more than {most_bytes:,} bytes, "
                        "more than the complete Fashion-MNIST file holds"
                    )
    except CorruptDataError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        raise CorruptDataError(
            f"{origin}: {name} is corrupt or truncated ({_reason(error)})"
        ) from None
    return raw


def _parse_idx(raw: bytearray, origin: str, name: str) -> np.ndarray:
    """The array an IDX file's bytes hold, after its header (magic, count, rows × columns)."""
    header, magic, per_item, _ = _idx_layout(name)
    kind = "image" if per_item > 1 else "label"
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic:
        raise CorruptDataError(f"{origin}: {name} is not an IDX {kind} file")
    count = int.from_bytes(raw[4:8], "big")
    if per_item > 1:
        rows, cols = int.from_bytes(raw[8:12], "big"), int.from_bytes(raw[12:16], "big")
        if (rows, cols) != (28, 28):
            raise CorruptDataError(
                f"{origin}: {name} announces images of {rows} × {cols} pixels, "
                "expected 28 × 28 (Fashion-MNIST's size)"
            )
    body = np.frombuffer(raw, np.uint8, offset=header)
    if body.size != count * per_item:
        raise CorruptDataError(
            f"{origin}: {name} announces {count:,} items but holds {body.size // per_item:,}"
            " (truncated?)"
        )
    return body.reshape((count, 28, 28) if per_item > 1 else (count,)).copy()


def _read_idx_gz(
    path: Path, origin: str, expected_sha256: str | None, name: str | None = None
) -> np.ndarray:
    """Read one gzip-compressed IDX file (images or labels) and check its content.

    ``name`` is the Fashion-MNIST file name (default: ``path.name``). The file is
    decompressed piece by piece and abandoned as soon as it holds more than the complete
    dataset could: a damaged or hostile file cannot fill the memory.
    """
    name = name or path.name
    header, _, per_item, most_items = _idx_layout(name)
    _require_readable(path, origin)
    raw = _decompress_idx(path, origin, name, header + most_items * per_item)
    if expected_sha256 is not None and _sha256(raw) != expected_sha256:
        raise CorruptDataError(
            f"{origin}: {name} decompresses to content that is not the published "
            "Fashion-MNIST file (checksum mismatch)"
        )
    return _parse_idx(raw, origin, name)
