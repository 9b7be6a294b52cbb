"""Cropping with validated bounds, the sample photos, figure saving."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests draw off-screen

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import images


def test_crop_takes_rows_from_height_and_columns_from_width():
    image = np.arange(6 * 8).reshape(6, 8)
    part = images.crop(image, rows=(1, 3), cols=(2, 7))
    assert part.shape == (2, 5)
    assert part[0, 0] == image[1, 2] and part[-1, -1] == image[2, 6]


def test_crop_keeps_channels():
    photo = np.zeros((427, 640, 3), np.uint8)
    assert images.crop(photo, rows=(100, 200), cols=(300, 450)).shape == (100, 150, 3)


@pytest.mark.parametrize(
    ("rows", "cols", "error", "message"),
    [
        (
            (0, 11),
            (0, 5),
            ValueError,
            r"rows: got \(0, 11\), expected 0 <= start < stop <= 10 \(the image has 10 rows\)",
        ),
        ((0, 5), (-1, 5), ValueError, r"cols: got \(-1, 5\), expected 0 <= start < stop <= 20"),
        ((5, 5), (0, 5), ValueError, r"rows: got \(5, 5\)"),
        ((0, 5), (0, 5.5), TypeError, "cols: got .*expected a \\(start, stop\\) pair of integers"),
        ((0, 5, 6), (0, 5), TypeError, "rows: got"),
    ],
)
def test_crop_rejects_bad_bounds(rows, cols, error, message):
    with pytest.raises(error, match=message):
        images.crop(np.zeros((10, 20)), rows=rows, cols=cols)


def test_crop_rejects_wrong_rank():
    with pytest.raises(ValueError, match=r"image: got an array of shape \(4,\) \(1 dimensions\)"):
        images.crop(np.zeros(4), rows=(0, 1), cols=(0, 1))


def test_sample_photos_ship_with_scikit_learn():
    photos = images.sample_photos()
    assert sorted(photos) == ["china.jpg", "flower.jpg"]
    assert all(p.shape == (427, 640, 3) and p.dtype == np.uint8 for p in photos.values())


def test_save_figure_creates_folders_and_repeats_bytes(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    first = images.save_figure(fig, "line", notebook="05_handmade_filters", root=tmp_path)
    content = first.read_bytes()
    second = images.save_figure(fig, "line", notebook="05_handmade_filters", root=tmp_path)
    plt.close(fig)
    assert first == tmp_path / "05_handmade_filters" / "line.png"
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and second.read_bytes() == content


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "../escape"}, ValueError, "name: got '../escape', expected a plain file name"),
        ({"notebook": ""}, ValueError, "notebook: got ''"),
        ({"fmt": "jpg"}, ValueError, "fmt: got 'jpg'"),
    ],
)
def test_save_figure_rejects_bad_names(tmp_path, kwargs, error, message):
    fig = plt.figure()
    arguments = {"name": "x", "notebook": "01_dense_baseline", "root": tmp_path, **kwargs}
    with pytest.raises(error, match=message):
        images.save_figure(fig, **arguments)
    plt.close(fig)


def test_save_figure_needs_a_figure(tmp_path):
    with pytest.raises(TypeError, match="fig: got ndarray, expected a matplotlib Figure"):
        images.save_figure(np.zeros(3), "x", notebook="n", root=tmp_path)
