"""Where a dataset may come from: a named folder, the Keras cache, Debian's package, a
download; which of them hold files, and reading a dataset from one of them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..validation import show_value
from . import files
from .files import (
    Arrays,
    CorruptDataError,
    DataError,
    UnreadableDataError,
    _file_sha256,
    _read_idx_gz,
    _read_npz,
    _show_path,
    _unreadable,
    validate_arrays,
)

DATA_ENV = "CNN_COURSE_DATA"
"""Environment variable naming a folder that holds dataset files in Keras' layout."""

DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_LABEL = "a download of Keras' dataset files"


@dataclass(frozen=True)
class Source:
    """One place a dataset may come from."""

    kind: str  # "sample", "folder", "cache", "debian" or "download"
    label: str  # how the printed line names it
    path: Path | None = None


def _there(path: Path) -> bool:
    """Whether anything, even a dangling link, is at ``path`` (never raises)."""
    return os.path.lexists(path)


def _fashion_paths(folder: Path) -> dict[str, Path] | None:
    """The four Fashion-MNIST files in ``folder`` or ``folder/fashion-mnist``, if all exist."""
    for candidate in (folder, folder / "fashion-mnist"):
        paths = {name: candidate / name for name in files.FASHION_FILES}
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
        missing = [name for name in files.FASHION_FILES if not _there(candidate / name)]
        if len(missing) < len(files.FASHION_FILES):
            return candidate, missing
    return None


def _read_fashion(folder: Path, origin: str, verify: bool) -> Arrays:
    paths = _fashion_paths(folder)
    if paths is None:
        incomplete = _fashion_incomplete(folder)
        where = _show_path(incomplete[0]) if incomplete else _show_path(folder)
        missing = incomplete[1] if incomplete else list(files.FASHION_FILES)
        raise CorruptDataError(
            f"{origin}: {where} holds only some of the four Fashion-MNIST files; missing: "
            f"{', '.join(missing)}"
        )
    arrays = {
        name: _read_idx_gz(path, origin, files.FASHION_FILES[name] if verify else None)
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


def _user_folder() -> Path | None:
    value = os.environ.get(DATA_ENV, "").strip()
    if not value:
        return None
    folder = Path(value).expanduser()
    if not os.path.isdir(folder):  # never raises, unlike Path.is_dir on a closed parent
        raise DataError(f"{DATA_ENV}: got {show_value(value)}, which is not a folder")
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
    if _folder_unreadable(source.path) or _not_a_folder(source.path):
        return True  # loading says so, instead of "no files there"
    if dataset == "mnist":
        return _there(source.path / "mnist.npz")
    # An incomplete set counts as present: loading it names the missing files.
    return _fashion_paths(source.path) is not None or _fashion_incomplete(source.path) is not None


def _folder_unreadable(folder: Path) -> bool:
    """Whether ``folder`` exists but its files cannot be listed or opened."""
    return os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK)


def _unusable(folder: Path) -> str | None:
    """Why nothing can be read from ``folder`` (not a folder, no permission), or None."""
    if _not_a_folder(folder):
        return "not a folder"
    if _folder_unreadable(folder):
        return "a folder that cannot be read"
    return None


def _not_a_folder(path: Path) -> bool:
    """Whether something other than a folder (a file, a dangling link) is at ``path``."""
    return _there(path) and not os.path.isdir(path)


def _load_from(dataset: str, source: Source) -> Arrays:
    assert source.path is not None
    if _not_a_folder(source.path):
        raise UnreadableDataError(
            f"{source.label}: {_show_path(source.path)} is a file or a broken link, "
            "expected a folder (move it away)"
        )
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
        if full_check and digest != files.MNIST_NPZ_SHA256:
            raise CorruptDataError(
                f"{source.label}: mnist.npz is not the published file (checksum mismatch; "
                "truncated or altered?)"
            )
        return _read_npz(path, source.label)
    return _read_fashion(source.path, source.label, verify=full_check)
