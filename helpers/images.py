"""Images: the sample photos, cropping with explicit bounds, saving figures.

Taught in notebook 05 (hand-made filters) and used from there on.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

import numpy as np

from .validation import as_array, describe, show_value

IMAGES_ROOT = Path("images")
"""Where ``images/<notebook>/`` folders go: relative, so inside the CURRENT working folder.

A notebook runs in its own folder, so its figures land in ``notebooks/images/<notebook>/``
wherever ``helpers`` itself is installed (a checkout, a wheel, Colab)."""

SAMPLE_PHOTOS = ("china.jpg", "flower.jpg")


def sample_photos() -> dict[str, np.ndarray]:
    """scikit-learn's two sample photos, ``{"china.jpg": ..., "flower.jpg": ...}``.

    Each is a (427, 640, 3) uint8 array; they ship with scikit-learn, no download.
    """
    from sklearn.datasets import load_sample_image

    return {name: load_sample_image(name) for name in SAMPLE_PHOTOS}


def _bounds(name: str, bounds: object, size: int, axis: str) -> tuple[int, int]:
    if (
        not isinstance(bounds, (tuple, list))
        or len(bounds) != 2
        or not all(isinstance(b, (int, np.integer)) and not isinstance(b, bool) for b in bounds)
    ):
        raise TypeError(
            f"{name}: got {show_value(bounds)}, expected a (start, stop) pair of integers"
        )
    start, stop = int(bounds[0]), int(bounds[1])
    if not 0 <= start < stop <= size:
        raise ValueError(
            f"{name}: got {show_value((start, stop))}, expected 0 <= start < stop <= {size} "
            f"(the image has {size} {axis})"
        )
    return start, stop


def crop(image: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """A copy of ``image`` between ``rows = (top, bottom)`` and ``cols = (left, right)``.

    Rows run down the height (axis 0), columns across the width (axis 1); stops are
    exclusive, as in slicing. Works on (height, width) and (height, width, channels)
    arrays; bounds outside the image raise instead of being clipped silently. The result
    is a copy (unlike ``image[top:bottom, left:right]``, a view): writing into the crop
    leaves the photo as it was.

    >>> crop(np.zeros((427, 640, 3)), rows=(100, 200), cols=(300, 450)).shape
    (100, 150, 3)
    """
    array = as_array("image", image, ndims=(2, 3), expected="a (height, width[, channels]) image")
    top, bottom = _bounds("rows", rows, array.shape[0], "rows")
    left, right = _bounds("cols", cols, array.shape[1], "columns")
    return array[top:bottom, left:right].copy()


def _slug(text: str, name: str) -> str:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", text):
        shown = repr(text) if isinstance(text, str) and len(text) <= 80 else describe(text)
        raise ValueError(
            f"{name}: got {shown}, expected a plain file name "
            "(letters, digits, _ . -; at most 100 characters)"
        )
    return text


def images_dir(notebook: str, root: Path | str | None = None) -> Path:
    """The folder for a notebook's figures, ``<root>/<notebook>/`` (not created here).

    ``root`` defaults to ``IMAGES_ROOT``, ``images`` relative to the current working folder.
    """
    if root is None:
        root = IMAGES_ROOT
    elif not isinstance(root, (str, os.PathLike)) or not str(root).strip():
        raise TypeError(f"root: got {describe(root)}, expected a folder path or None")
    # "~/figures" means the home folder, as in a shell, not a folder named "~".
    return Path(root).expanduser() / _slug(notebook, "notebook")


def _write_atomically(path: Path, write) -> None:
    """Call ``write(temporary_path)``, then rename the result onto ``path`` in one step.

    The temporary file sits in the same folder, so the rename is atomic: a reader sees the
    previous file or the new one, never half of one, and a failed write (a full disk, an
    interrupted kernel) leaves the previous file as it was.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write into a file that already exists; 0o666 lets the umask decide
    # the permissions, as for any file a program creates.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()  # our own temporary file, never the learner's
        raise


FIGURE_FORMATS = ("png", "svg", "pdf")


def _file_stem(name: object, fmt: str) -> str:
    """``name`` without an extension that repeats ``fmt`` ("loss.png" -> "loss" for png).

    An extension naming another format ("loss.svg" with fmt="png") raises: which of the
    two the learner meant cannot be guessed.
    """
    stem = _slug(name, "name")
    base, dot, extension = stem.rpartition(".")
    if not dot or not base or extension.lower() not in FIGURE_FORMATS:
        return stem
    if extension.lower() == fmt:
        return base
    raise ValueError(
        f"name: got {stem!r}, whose extension says {extension.lower()} while fmt is {fmt!r}; "
        f"expected a name without extension (name={base!r}, fmt={extension.lower()!r})"
    )


def _same_error(error: OSError, message: str) -> OSError:
    """``error``'s own class (PermissionError, ...) with a message that says what failed."""
    if error.errno is None:
        return type(error)(f"save_figure: {message}")
    return type(error)(error.errno, f"save_figure: {message}")


def _make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; raise naming ``root`` if a file is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ValueError(
            f"root: the path {str(folder.parent)!r} runs through a file, expected a folder "
            "to save figures in"
        ) from None
    except OSError as error:
        raise _same_error(
            error,
            f"cannot create the folder {folder} ({error.strerror or error}); "
            "expected a folder you can write to (pass root=...)",
        ) from None


def save_figure(
    fig, name: str, notebook: str, root: Path | str | None = None, fmt: str = "png"
) -> Path:
    """Save ``fig`` as ``images/<notebook>/<name>.<fmt>``, creating folders; return the path.

    ``name`` may end in the format's own extension ("loss.png" is saved as ``loss.png``).

    ``images/`` is relative to the current working folder (``root`` names another folder),
    so the path returned is relative too, ready to print. The file is written under a
    temporary name and renamed into place: a failed save leaves the previous file intact.

    >>> save_figure(fig, "feature_maps", notebook="05_handmade_filters")  # doctest: +SKIP
    PosixPath('images/05_handmade_filters/feature_maps.png')
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: got {type(fig).__name__}, expected a matplotlib Figure")
    if not isinstance(fmt, str) or fmt not in FIGURE_FORMATS:
        shown = repr(fmt) if isinstance(fmt, str) else describe(fmt)
        raise ValueError(f"fmt: got {shown}, expected 'png', 'svg' or 'pdf'")
    file_name = f"{_file_stem(name, fmt)}.{fmt}"
    folder = images_dir(notebook, root)
    _make_folder(folder)
    path = folder / file_name
    # Without a timestamp or version string, a re-run writes the same bytes.
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[
        fmt
    ]
    try:
        _write_atomically(path, lambda target: fig.savefig(target, format=fmt, metadata=metadata))
    except OSError as error:  # a full disk, no permission: the old file is still intact
        raise _same_error(
            error,
            f"could not write {path} ({error.strerror or error}); "
            "any previous file of that name is unchanged",
        ) from None
    return path
