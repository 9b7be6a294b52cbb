"""Images: the sample photos, cropping with explicit bounds, saving figures.

Taught in notebook 05 (hand-made filters) and used from there on.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .validation import as_array


def _images_root() -> Path:
    """The course's ``images/`` folder: in the repository checkout that holds this package,
    or, when ``helpers`` was installed from a wheel (as on Colab), in the working folder."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "notebooks").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout / "images"
    return Path.cwd() / "images"


IMAGES_ROOT = _images_root()
"""Where ``images/<notebook>/`` folders go (see ``_images_root``)."""

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
        raise TypeError(f"{name}: got {bounds!r}, expected a (start, stop) pair of integers")
    start, stop = int(bounds[0]), int(bounds[1])
    if not 0 <= start < stop <= size:
        raise ValueError(
            f"{name}: got ({start}, {stop}), expected 0 <= start < stop <= {size} "
            f"(the image has {size} {axis})"
        )
    return start, stop


def crop(image: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> np.ndarray:
    """The part of ``image`` between ``rows = (top, bottom)`` and ``cols = (left, right)``.

    Rows run down the height (axis 0), columns across the width (axis 1); stops are
    exclusive, as in slicing. Works on (height, width) and (height, width, channels)
    arrays; bounds outside the image raise instead of being clipped silently.

    >>> crop(np.zeros((427, 640, 3)), rows=(100, 200), cols=(300, 450)).shape
    (100, 150, 3)
    """
    array = as_array("image", image, ndims=(2, 3), expected="a (height, width[, channels]) image")
    top, bottom = _bounds("rows", rows, array.shape[0], "rows")
    left, right = _bounds("cols", cols, array.shape[1], "columns")
    return array[top:bottom, left:right]


def _slug(text: str, name: str) -> str:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        raise ValueError(
            f"{name}: got {text!r}, expected a plain file name (letters, digits, _ . -)"
        )
    return text


def images_dir(notebook: str, root: Path | None = None) -> Path:
    """The folder for a notebook's figures, ``images/<notebook>/`` (not created here)."""
    return (root or IMAGES_ROOT) / _slug(notebook, "notebook")


def save_figure(fig, name: str, notebook: str, root: Path | None = None, fmt: str = "png") -> Path:
    """Save ``fig`` as ``images/<notebook>/<name>.<fmt>``, creating folders; return the path.

    >>> path = save_figure(fig, "feature_maps", notebook="05_filters")  # doctest: +SKIP
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: got {type(fig).__name__}, expected a matplotlib Figure")
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"fmt: got {fmt!r}, expected 'png', 'svg' or 'pdf'")
    folder = images_dir(notebook, root)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_slug(name, 'name')}.{fmt}"
    # Without a timestamp or version string, a re-run writes the same bytes.
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[
        fmt
    ]
    fig.savefig(path, format=fmt, metadata=metadata)
    return path
