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
5. a download through Keras into its cache, checked the same way.

From a shell: ``python -m helpers.data where`` tells which source each dataset would come
from, and ``python -m helpers.data prefetch`` downloads and checks both (for a teacher who
prepares an offline classroom).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .settings import QUICK_ENV, quick_mode

DATA_ENV = "CNN_COURSE_DATA"
"""Environment variable naming a folder that holds dataset files in Keras' layout."""

DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

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


@dataclass(frozen=True)
class Source:
    """One place a dataset may come from."""

    kind: str  # "sample", "folder", "cache", "debian" or "download"
    label: str  # how the printed line names it
    path: Path | None = None


# --------------------------------------------------------------------------- checks


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validate_arrays(arrays: Arrays, origin: str) -> Arrays:
    """Check the structure of a loaded dataset; raise ``CorruptDataError`` naming ``origin``.

    Checks dtype uint8, images of shape (N, 28, 28), labels of shape (N,) in 0..9, and
    that no split is empty or larger than the complete dataset.
    """
    (x_train, y_train), (x_test, y_test) = arrays
    for split, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        problems = []
        if images.dtype != np.uint8 or labels.dtype != np.uint8:
            problems.append(f"dtypes {images.dtype}/{labels.dtype}, expected uint8/uint8")
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            problems.append(f"images of shape {images.shape}, expected (N, 28, 28)")
        if labels.ndim != 1 or len(labels) != len(images):
            problems.append(
                f"labels of shape {labels.shape} for {len(images)} images, "
                f"expected ({len(images)},)"
            )
        if not 0 < len(images) <= FULL_SIZES[split]:
            problems.append(f"{len(images)} images, expected between 1 and {FULL_SIZES[split]:,}")
        if labels.size and labels.max() > 9:
            problems.append(f"a label {int(labels.max())}, expected labels 0 to 9")
        if problems:
            raise CorruptDataError(f"{origin}: {split} split has " + "; ".join(problems))
    return arrays


def _read_npz(path: Path, origin: str) -> Arrays:
    try:
        with np.load(path, allow_pickle=False) as content:
            missing = [key for key in NPZ_KEYS if key not in content.files]
            if missing:
                raise CorruptDataError(
                    f"{origin}: {path.name} lacks the arrays {missing}; "
                    f"expected the keys {list(NPZ_KEYS)} of Keras' mnist.npz"
                )
            x_train, y_train, x_test, y_test = (np.array(content[key]) for key in NPZ_KEYS)
    except CorruptDataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise CorruptDataError(
            f"{origin}: {path.name} is corrupt or truncated ({type(error).__name__}: {error})"
        ) from None
    return validate_arrays(((x_train, y_train), (x_test, y_test)), origin)


def _read_idx_gz(path: Path, origin: str, expected_sha256: str | None) -> np.ndarray:
    """Read one gzip-compressed IDX file (images or labels) and check its content."""
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise CorruptDataError(
            f"{origin}: {path.name} is corrupt or truncated ({type(error).__name__}: {error})"
        ) from None
    if expected_sha256 is not None and _sha256(raw) != expected_sha256:
        raise CorruptDataError(
            f"{origin}: {path.name} decompresses to content that is not the published "
            "Fashion-MNIST file (checksum mismatch)"
        )
    is_images = "images" in path.name
    header = 16 if is_images else 8
    magic = 2051 if is_images else 2049
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic:
        raise CorruptDataError(
            f"{origin}: {path.name} is not an IDX {('image' if is_images else 'label')} file"
        )
    count = int.from_bytes(raw[4:8], "big")
    body = np.frombuffer(raw, np.uint8, offset=header)
    per_item = 28 * 28 if is_images else 1
    if body.size != count * per_item:
        raise CorruptDataError(
            f"{origin}: {path.name} announces {count:,} items but holds {body.size // per_item:,}"
            " (truncated?)"
        )
    return body.reshape((count, 28, 28) if is_images else (count,)).copy()


def _fashion_paths(folder: Path) -> dict[str, Path] | None:
    """The four Fashion-MNIST files in ``folder`` or ``folder/fashion-mnist``, if all exist."""
    for candidate in (folder, folder / "fashion-mnist"):
        paths = {name: candidate / name for name in FASHION_FILES}
        if all(path.is_file() for path in paths.values()):
            return paths
    return None


def _read_fashion(folder: Path, origin: str, verify: bool) -> Arrays:
    paths = _fashion_paths(folder)
    if paths is None:
        raise CorruptDataError(f"{origin}: the four Fashion-MNIST files are not all there")
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
    return Path(home) / "datasets"


def _show_path(path: Path) -> str:
    """A path as the printed line shows it: home folder as ``~``."""
    home = os.path.expanduser("~")
    text = str(path)
    return "~" + text[len(home) :] if home not in ("", "/") and text.startswith(home) else text


def _user_folder() -> Path | None:
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
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
    sources.append(Source("download", "a download through Keras"))
    return sources


def _present(dataset: str, source: Source) -> bool:
    """Whether the files of ``dataset`` exist at ``source`` (without reading them)."""
    if source.path is None:
        return source.kind == "download"
    if dataset == "mnist":
        return (source.path / "mnist.npz").is_file()
    return _fashion_paths(source.path) is not None


def _load_from(dataset: str, source: Source) -> Arrays:
    assert source.path is not None
    full_check = source.kind != "folder"  # a named folder may hold a subset
    if dataset == "mnist":
        path = source.path / "mnist.npz"
        if full_check and _file_sha256(path) != MNIST_NPZ_SHA256:
            raise CorruptDataError(
                f"{source.label}: mnist.npz is not the published file (checksum mismatch; "
                "truncated or altered?)"
            )
        return _read_npz(path, source.label)
    return _read_fashion(source.path, source.label, verify=full_check)


def _download(dataset: str) -> Arrays:
    """Download ``dataset`` into the Keras cache with a progress bar, then check it."""
    from .settings import import_tensorflow

    import_tensorflow()  # quietly, before Keras pulls it in
    import keras

    cache_root = keras_cache_dir().parent
    if dataset == "mnist":
        path = keras.utils.get_file(
            "mnist.npz",
            origin=DOWNLOAD_URL + "mnist.npz",
            file_hash=MNIST_NPZ_SHA256,
            cache_dir=str(cache_root),
            cache_subdir="datasets",
        )
        return _load_from(dataset, Source("cache", "the downloaded file", Path(path).parent))
    for name in FASHION_FILES:
        keras.utils.get_file(
            name,
            origin=DOWNLOAD_URL + name,
            cache_dir=str(cache_root),
            cache_subdir=os.path.join("datasets", "fashion-mnist"),
            force_download=True,  # a damaged cached copy would otherwise be kept
        )
    return _load_from(
        dataset, Source("cache", "the downloaded files", keras_cache_dir() / "fashion-mnist")
    )


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
                return report(_download(dataset), "a download through Keras, now in its cache")
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
        except CorruptDataError as error:
            if source.kind == "folder":
                raise  # the user named this folder: its damage is the answer
            print(f"Skipping a damaged copy: {error}", file=sys.stderr)
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


def where(dataset: str) -> str:
    """Say where ``dataset`` would be loaded from now, without reading the files."""
    if quick_mode():
        return f"{_title(dataset)}: the quick-mode sample shipped with helpers ({QUICK_ENV}=1)"
    for source in _sources(dataset):
        if _present(dataset, source):
            note = "" if source.kind == "download" else " (found; checked when loaded)"
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
                except CorruptDataError as error:
                    print(f"{error}; downloading again.")
            arrays = _download(dataset)
            counts = _describe_counts(arrays)
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
    except DataError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
