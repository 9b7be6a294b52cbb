"""Loading MNIST and Fashion-MNIST, online or off, with checks that catch bad files.

``load_mnist()`` and ``load_fashion_mnist()`` return ``((x_train, y_train), (x_test, y_test))``
as uint8 arrays, exactly like ``keras.datasets``. They look for the data in this order and
print one line that says where it came from:

1. quick mode (``CNN_COURSE_QUICK=1``): small samples that ship inside ``helpers``;
2. a folder you name with ``CNN_COURSE_DATA`` (``mnist.npz``, and the four Fashion-MNIST
   ``*.gz`` files either in the folder or in its ``fashion-mnist/`` subfolder). It may hold
   part of a dataset: its structure is checked, and the line says how many images it had;
3. the Keras cache, ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``), checked
   against the published content of the complete dataset;
4. Debian's package ``dataset-fashion-mnist`` (Fashion-MNIST only), checked the same way;
5. a download from the address ``keras.datasets`` uses, checked the same way, then kept in
   the Keras cache.

Nothing here deletes or overwrites a file it did not create: a download goes to a
temporary file beside its target and is renamed into place only after it passed the check,
and only where no file exists yet. A damaged file that is already there is left as it is,
and reported.

From a shell: ``python -m helpers.data where`` tells which source each dataset would come
from, and ``python -m helpers.data prefetch`` downloads and checks both (for a teacher who
prepares an offline classroom).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import secrets
import sys
import time
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .settings import QUICK_ENV, quick_mode
from .validation import describe

DATA_ENV = "CNN_COURSE_DATA"
"""Environment variable naming a folder that holds dataset files in Keras' layout."""

DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
"""Where ``keras.datasets`` downloads both datasets from."""
DOWNLOAD_LABEL = "a download of Keras' dataset files"

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

FASHION_CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

FULL_SIZES = {"train": 60_000, "test": 10_000}
NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")

# No array of either dataset holds more values than the 60,000 training images.
MAX_ARRAY_VALUES = FULL_SIZES["train"] * 28 * 28
# The largest download is Fashion-MNIST's training images, 26 MB compressed.
MAX_DOWNLOAD_BYTES = 64 * 2**20

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


def _unreadable(path: Path, origin: str, error: OSError) -> UnreadableDataError:
    """The error for a ``path`` that exists but could not be opened (not a damaged file)."""
    if os.path.islink(path) and not os.path.exists(path):
        why = f"a link to {os.readlink(path)}, which does not exist"
    elif os.path.isdir(path):
        why = "a folder, expected a file"
    else:
        why = f"not readable ({_reason(error)})"
    return UnreadableDataError(f"{origin}: {_show_path(path)} is {why}")


@dataclass(frozen=True)
class Source:
    """One place a dataset may come from."""

    kind: str  # "sample", "folder", "cache", "debian" or "download"
    label: str  # how the printed line names it
    path: Path | None = None


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
            values = int(np.prod(shape, dtype=np.float64))
            if values > MAX_ARRAY_VALUES:
                size = values * dtype.itemsize / 2**30
                raise CorruptDataError(
                    f"{origin}: {path.name} announces {key} of shape {shape} ({size:,.1f} GiB), "
                    f"expected at most {MAX_ARRAY_VALUES:,} values (the whole dataset)"
                )


def _read_npz(path: Path, origin: str) -> Arrays:
    try:
        with open(path, "rb"):
            pass
    except OSError as error:  # a dangling link, no permission, a folder: not a damaged file
        raise _unreadable(path, origin, error) from None
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


def _read_idx_gz(
    path: Path, origin: str, expected_sha256: str | None, name: str | None = None
) -> np.ndarray:
    """Read one gzip-compressed IDX file (images or labels) and check its content.

    ``name`` is the Fashion-MNIST file name (default: ``path.name``). The file is
    decompressed piece by piece and abandoned as soon as it holds more than the complete
    dataset could: a damaged or hostile file cannot fill the memory.
    """
    name = name or path.name
    header, magic, per_item, most_items = _idx_layout(name)
    most_bytes = header + most_items * per_item
    try:
        with open(path, "rb"):
            pass
    except OSError as error:  # a dangling link, no permission, a folder: not a damaged file
        raise _unreadable(path, origin, error) from None
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
    if expected_sha256 is not None and _sha256(raw) != expected_sha256:
        raise CorruptDataError(
            f"{origin}: {name} decompresses to content that is not the published "
            "Fashion-MNIST file (checksum mismatch)"
        )
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


def _there(path: Path) -> bool:
    """Whether anything, even a dangling link, is at ``path`` (never raises)."""
    return os.path.lexists(path)


def _fashion_paths(folder: Path) -> dict[str, Path] | None:
    """The four Fashion-MNIST files in ``folder`` or ``folder/fashion-mnist``, if all exist."""
    for candidate in (folder, folder / "fashion-mnist"):
        paths = {name: candidate / name for name in FASHION_FILES}
        if all(map(_there, paths.values())):
            return paths
    return None


def _fashion_incomplete(folder: Path) -> tuple[Path, list[str]] | None:
    """Where some but not all four Fashion-MNIST files are, and which ones are missing.

    None when the four are complete somewhere or absent everywhere.
    """
    if _fashion_paths(folder) is not None:
        return None
    for candidate in (folder, folder / "fashion-mnist"):
        missing = [name for name in FASHION_FILES if not _there(candidate / name)]
        if len(missing) < len(FASHION_FILES):
            return candidate, missing
    return None


def _read_fashion(folder: Path, origin: str, verify: bool) -> Arrays:
    paths = _fashion_paths(folder)
    if paths is None:
        incomplete = _fashion_incomplete(folder)
        where = _show_path(incomplete[0]) if incomplete else _show_path(folder)
        missing = incomplete[1] if incomplete else list(FASHION_FILES)
        raise CorruptDataError(
            f"{origin}: {where} holds only some of the four Fashion-MNIST files; missing: "
            f"{', '.join(missing)}"
        )
    arrays = {
        name: _read_idx_gz(path, origin, FASHION_FILES[name] if verify else None)
        for name, path in paths.items()
    }
    result = (
        (arrays["train-images-idx3-ubyte.gz"], arrays["train-labels-idx1-ubyte.gz"]),
        (arrays["t10k-images-idx3-ubyte.gz"], arrays["t10k-labels-idx1-ubyte.gz"]),
    )
    return validate_arrays(result, origin)


# -------------------------------------------------------------------------- sources


def keras_cache_dir() -> Path:
    """The folder where Keras keeps downloaded datasets (``$KERAS_HOME/datasets``)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home).expanduser() / "datasets"  # KERAS_HOME=~/keras means the home folder


def _show_path(path: Path) -> str:
    """A path as the printed line shows it: home folder as ``~``."""
    home = os.path.expanduser("~").rstrip(os.sep)
    text = str(path)
    if home and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text


def _user_folder() -> Path | None:
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser()
    if not os.path.isdir(folder):  # never raises, unlike Path.is_dir on a closed parent
        raise DataError(f"{DATA_ENV}: got {value!r}, which is not a folder")
    return folder


def _sources(dataset: str) -> list[Source]:
    """Every place ``dataset`` may come from, in the order they are tried (quick mode aside)."""
    sources = []
    folder = _user_folder()
    if folder is not None:
        sources.append(Source("folder", f"the folder in {DATA_ENV} ({_show_path(folder)})", folder))
    cache = keras_cache_dir()
    if dataset == "mnist":
        sources.append(
            Source("cache", f"the Keras cache ({_show_path(cache / 'mnist.npz')})", cache)
        )
    else:
        sub = cache / "fashion-mnist"
        sources.append(Source("cache", f"the Keras cache ({_show_path(sub)})", sub))
        sources.append(
            Source(
                "debian",
                f"Debian's dataset-fashion-mnist ({DEBIAN_FASHION_DIR})",
                DEBIAN_FASHION_DIR,
            )
        )
    sources.append(Source("download", DOWNLOAD_LABEL))
    return sources


def _present(dataset: str, source: Source) -> bool:
    """Whether the files of ``dataset`` exist at ``source`` (without reading them)."""
    if source.path is None:
        return source.kind == "download"
    if _folder_unreadable(source.path):
        return True  # loading says so, instead of "no files there"
    if dataset == "mnist":
        return _there(source.path / "mnist.npz")
    # An incomplete set counts as present: loading it names the missing files.
    return _fashion_paths(source.path) is not None or _fashion_incomplete(source.path) is not None


def _folder_unreadable(folder: Path) -> bool:
    """Whether ``folder`` exists but its files cannot be listed or opened."""
    return os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK)


def _load_from(dataset: str, source: Source) -> Arrays:
    assert source.path is not None
    if _folder_unreadable(source.path):
        raise UnreadableDataError(
            f"{source.label}: the folder {_show_path(source.path)} is not readable "
            "(no permission to list or open its files)"
        )
    full_check = source.kind != "folder"  # a named folder may hold a subset
    if dataset == "mnist":
        path = source.path / "mnist.npz"
        try:
            digest = _file_sha256(path) if full_check else None
        except OSError as error:
            raise _unreadable(path, source.label, error) from None
        if full_check and digest != MNIST_NPZ_SHA256:
            raise CorruptDataError(
                f"{source.label}: mnist.npz is not the published file (checksum mismatch; "
                "truncated or altered?)"
            )
        return _read_npz(path, source.label)
    return _read_fashion(source.path, source.label, verify=full_check)


DOWNLOAD_DEADLINE = 600.0
"""The most seconds one file's download may take: 26 MB at a slow 50 kB/s, with room to spare."""
READ_TIMEOUT = 60.0
"""The most seconds to wait for the server to send anything at all."""
PROGRESS_SECONDS = 5.0
"""How often a download in progress prints how far it got."""


def _copy_response(response, output, url: str, deadline: float = DOWNLOAD_DEADLINE) -> int:
    """Copy ``response`` into ``output`` within ``deadline`` seconds; return the byte count.

    ``read1`` returns whatever has arrived, so a server that trickles bytes cannot hold a
    read (and the deadline check) for longer than ``READ_TIMEOUT``. Prints progress.
    """
    read = response.read1 if hasattr(response, "read1") else response.read
    total = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    of_total = f" of {int(total) / 1e6:.1f} MB" if total and total.isdigit() else ""
    start = last_report = time.monotonic()
    copied = 0
    while block := read(1 << 16):
        copied += len(block)
        if copied > MAX_DOWNLOAD_BYTES:
            raise CorruptDataError(
                f"{url}: more than {MAX_DOWNLOAD_BYTES:,} bytes, expected a dataset file "
                "(the largest is 26 MB)"
            )
        output.write(block)
        now = time.monotonic()
        if now - start > deadline:
            raise DataError(
                f"{url}: only {copied / 1e6:.1f} MB{of_total} arrived in {deadline:.0f} s, "
                "too slow to finish; expected the whole file within that time (try again "
                "later, or see `python -m helpers.data prefetch`)"
            )
        if now - last_report >= PROGRESS_SECONDS:
            print(f"  {copied / 1e6:.1f} MB{of_total} after {now - start:.0f} s", file=sys.stderr)
            last_report = now
    return copied


def _fetch(url: str, target: Path) -> Path:
    """Download ``url`` into a new temporary file beside ``target``; return its path.

    ``target`` itself is never opened. On any failure the temporary file is removed (it
    is this call's own) and the error raised. The download is given ``DOWNLOAD_DEADLINE``
    seconds in all, and prints its progress every ``PROGRESS_SECONDS``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.download")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with (
            os.fdopen(descriptor, "wb") as output,
            # A fresh opener reads the proxy settings of this moment; urlopen() would keep
            # the ones of its first call for the rest of the process.
            urllib.request.build_opener().open(url, timeout=READ_TIMEOUT) as response,
        ):
            print(f"Downloading {url} ...", file=sys.stderr)
            _copy_response(response, output, url)
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
                print(
                    f"Keras cache: {_show_path(target)} is not the published file and was left "
                    "as it is; the checked download was used this time only. Move that file "
                    "away to keep the next download.",
                    file=sys.stderr,
                )
        except OSError:  # no hard links on this file system
            if not target.exists():
                os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _intact_mnist(path: Path) -> bool:
    try:
        return _file_sha256(path) == MNIST_NPZ_SHA256
    except OSError:  # unreadable: not a copy the course can use
        return False


def _intact_fashion(name: str):
    def intact(path: Path) -> bool:
        try:
            _read_idx_gz(path, "check", FASHION_FILES[name], name=name)
        except (CorruptDataError, UnreadableDataError, OSError):
            return False
        return True

    return intact


def _download(dataset: str) -> Arrays:
    """Download ``dataset``, check it, and keep it in the Keras cache where nothing was."""
    label = "the downloaded file" if dataset == "mnist" else "the downloaded files"
    if dataset == "mnist":
        target = keras_cache_dir() / "mnist.npz"
        temporary = _fetch(DOWNLOAD_URL + "mnist.npz", target)
        try:
            if _file_sha256(temporary) != MNIST_NPZ_SHA256:
                raise CorruptDataError(
                    f"{label}: mnist.npz is not the published file (checksum mismatch)"
                )
            arrays = _read_npz(temporary, label)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        _install(temporary, target, _intact_mnist)
        return arrays
    folder = keras_cache_dir() / "fashion-mnist"
    downloaded: dict[str, Path] = {}
    try:
        content = {}
        for name, sha256 in FASHION_FILES.items():
            downloaded[name] = _fetch(DOWNLOAD_URL + name, folder / name)
            content[name] = _read_idx_gz(downloaded[name], label, sha256, name=name)
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


def _sample_path(dataset: str) -> Path:
    return Path(str(resources.files("helpers") / "samples" / f"{dataset}_sample.npz"))


def _title(dataset: str) -> str:
    return {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}[dataset]


def _describe_counts(arrays: Arrays) -> str:
    (x_train, _), (x_test, _) = arrays
    text = f"{len(x_train):,} training + {len(x_test):,} test images"
    if len(x_train) < FULL_SIZES["train"] or len(x_test) < FULL_SIZES["test"]:
        text += f" (the complete dataset has {FULL_SIZES['train']:,} + {FULL_SIZES['test']:,})"
    return text


def _failure_message(dataset: str, attempts: list[str]) -> str:
    title = _title(dataset)
    tried = "\n".join(f"  - {line}" for line in attempts)
    return (
        f"{title} could not be loaded from any source.\nTried, in order:\n{tried}\n"
        "Three ways out:\n"
        "  1. On a machine with internet access, run `python -m helpers.data prefetch`, then\n"
        f"     copy its Keras cache ({_show_path(keras_cache_dir())}) to the same place here.\n"
        f"  2. Copy the dataset files into a folder and point {DATA_ENV} at it\n"
        "     (mnist.npz; the four Fashion-MNIST *-ubyte.gz files).\n"
        f"  3. Use quick mode: set {QUICK_ENV}=1, or call helpers.set_quick_mode(True)\n"
        "     in the notebook, to train on the small samples that ship with the course."
    )


def _load(dataset: str, verbose: bool) -> Arrays:
    if not isinstance(verbose, (bool, np.bool_)):
        raise TypeError(f"verbose: got {describe(verbose)}, expected True or False")

    def report(arrays: Arrays, where: str) -> Arrays:
        if verbose:
            print(f"{_title(dataset)}: {_describe_counts(arrays)} from {where}.")
        return arrays

    if quick_mode():
        arrays = _read_npz(_sample_path(dataset), "the quick-mode sample")
        return report(arrays, "the quick-mode sample shipped with helpers")

    attempts: list[str] = []
    for source in _sources(dataset):
        if source.kind == "download":
            try:
                return report(_download(dataset), DOWNLOAD_LABEL)
            except CorruptDataError as error:
                attempts.append(str(error))
            except Exception as error:  # network errors come in many types
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                attempts.append(f"{source.label}: failed ({reason[:200]})")
            continue
        if not _present(dataset, source):
            attempts.append(f"{source.label}: no files there")
            continue
        try:
            return report(_load_from(dataset, source), source.label)
        except (CorruptDataError, UnreadableDataError) as error:
            if source.kind == "folder":
                raise  # the user named this folder: its damage is the answer
            what = "a damaged" if isinstance(error, CorruptDataError) else "an unreadable"
            print(f"Skipping {what} copy: {error}", file=sys.stderr)
            attempts.append(str(error))
    raise DataError(_failure_message(dataset, attempts))


def load_mnist(verbose: bool = True) -> Arrays:
    """Load MNIST as ``((x_train, y_train), (x_test, y_test))``, uint8, Keras' layout.

    >>> (train_images, train_labels), (test_images, test_labels) = load_mnist()  # doctest: +SKIP
    MNIST: 60,000 training + 10,000 test images from the Keras cache (~/.keras/datasets/mnist.npz).
    """
    return _load("mnist", verbose)


def load_fashion_mnist(verbose: bool = True) -> Arrays:
    """Load Fashion-MNIST as ``((x_train, y_train), (x_test, y_test))``, uint8.

    Class names, in label order, are in ``FASHION_CLASS_NAMES``.
    """
    return _load("fashion_mnist", verbose)


# ------------------------------------------------------------------ command line


DATASETS = ("mnist", "fashion_mnist")


def where(dataset: str) -> str:
    """Say where ``dataset`` (``"mnist"`` or ``"fashion_mnist"``) would be loaded from now,
    without reading the files."""
    if not isinstance(dataset, str) or dataset not in DATASETS:
        raise ValueError(f"dataset: got {describe(dataset)}, expected one of {list(DATASETS)}")
    if quick_mode():
        return f"{_title(dataset)}: the quick-mode sample shipped with helpers ({QUICK_ENV}=1)"
    for source in _sources(dataset):
        if _present(dataset, source):
            note = "" if source.kind == "download" else " (found; checked when loaded)"
            incomplete = (
                _fashion_incomplete(source.path)
                if dataset != "mnist" and source.path is not None
                else None
            )
            if incomplete:
                note = f" (incomplete: {', '.join(incomplete[1])} missing)"
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
            arrays = _download(dataset)
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


if __name__ == "__main__":
    sys.exit(main())
