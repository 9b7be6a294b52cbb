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


# ---------------------------------------------------------------- issue 11


def test_crop_is_a_copy():
    photo = np.zeros((10, 20, 3), np.uint8)
    part = images.crop(photo, rows=(2, 5), cols=(3, 9))
    part[:] = 255
    assert photo.max() == 0


def test_save_figure_goes_to_images_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    path = images.save_figure(fig, "curve", notebook="issue11_check")
    plt.close(fig)
    assert path.as_posix() == "images/issue11_check/curve.png"  # relative, ready to print
    assert (tmp_path / "images" / "issue11_check" / "curve.png").read_bytes()[:4] == b"\x89PNG"


def test_failed_save_keeps_the_previous_file_and_leaves_no_partial_one(tmp_path, monkeypatch):
    import errno

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    path = images.save_figure(fig, "curve", notebook="nb", root=tmp_path)
    good = path.read_bytes()

    def disk_full(target, **kwargs):
        with open(target, "wb") as handle:
            handle.write(good[:100])  # what a full disk leaves: the start of a PNG
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fig, "savefig", disk_full)
    with pytest.raises(OSError, match="No space left"):
        images.save_figure(fig, "curve", notebook="nb", root=tmp_path)
    plt.close(fig)
    assert path.read_bytes() == good
    assert [p.name for p in path.parent.iterdir()] == ["curve.png"]


def test_saved_file_gets_the_usual_permissions(tmp_path):
    import os

    fig = plt.figure()
    path = images.save_figure(fig, "x", notebook="nb", root=tmp_path)
    plt.close(fig)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_save_figure_name_with_its_own_extension_is_not_doubled(tmp_path):
    fig = plt.figure(figsize=(1, 1))
    assert images.save_figure(fig, "loss.png", "nb", root=tmp_path).name == "loss.png"
    assert images.save_figure(fig, "loss.PDF", "nb", root=tmp_path, fmt="pdf").name == "loss.pdf"
    assert sorted(p.name for p in (tmp_path / "nb").iterdir()) == ["loss.pdf", "loss.png"]


def test_save_figure_name_with_another_format_says_which_to_pass(tmp_path):
    fig = plt.figure(figsize=(1, 1))
    with pytest.raises(ValueError, match=r"name: got 'loss.svg'.*name='loss', fmt='svg'"):
        images.save_figure(fig, "loss.svg", "nb", root=tmp_path)
    assert not (tmp_path / "nb").exists() or not any((tmp_path / "nb").iterdir())


def test_a_tilde_in_the_root_folder_means_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert images.images_dir("nb", root="~/figures") == tmp_path / "figures" / "nb"
    fig = plt.figure(figsize=(1, 1))
    path = images.save_figure(fig, "curve", "nb", root="~/figures")
    assert path == tmp_path / "figures" / "nb" / "curve.png" and path.is_file()


def test_a_file_in_the_way_of_the_folder_names_root(tmp_path):
    blocker = tmp_path / "figures"
    blocker.write_text("not a folder")
    fig = plt.figure(figsize=(1, 1))
    with pytest.raises(ValueError, match="root: the path .*figures' runs through a file"):
        images.save_figure(fig, "curve", "nb", root=blocker)
    assert blocker.read_text() == "not a folder"


def test_a_failed_write_says_what_failed_and_keeps_its_class(tmp_path, monkeypatch):
    import errno

    fig = plt.figure(figsize=(1, 1))

    def disk_full(target, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fig, "savefig", disk_full)
    with pytest.raises(OSError, match=r"save_figure: could not write .*curve.png \(No space"):
        images.save_figure(fig, "curve", "nb", root=tmp_path)
