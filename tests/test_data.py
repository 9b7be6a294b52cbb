"""The data loaders: sources in order, checks that catch bad files, the clear failure."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import data

FASHION_DEBIAN = data.DEBIAN_FASHION_DIR
needs_debian = pytest.mark.skipif(
    data._fashion_paths(FASHION_DEBIAN) is None,
    reason="Debian's dataset-fashion-mnist not installed",
)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """Full mode, an empty Keras cache, no data folder, no Debian files, and no network."""
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    monkeypatch.delenv("CNN_COURSE_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")

    def no_network(dataset):
        raise OSError("network unreachable")

    monkeypatch.setattr(data, "_download", no_network)
    return tmp_path


def small_arrays(train=30, test=10, seed=0):
    rng = np.random.default_rng(seed)
    return (
        (
            rng.integers(0, 256, (train, 28, 28), dtype=np.uint8),
            rng.integers(0, 10, train, dtype=np.uint8),
        ),
        (
            rng.integers(0, 256, (test, 28, 28), dtype=np.uint8),
            rng.integers(0, 10, test, dtype=np.uint8),
        ),
    )


def write_npz(path: Path, arrays, **overrides):
    (x_train, y_train), (x_test, y_test) = arrays
    content = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    content.update(overrides)
    content = {k: v for k, v in content.items() if v is not None}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **content)
    return path


def write_idx(folder: Path, arrays):
    """Write arrays as the four gzip-compressed IDX files of Fashion-MNIST."""
    folder.mkdir(parents=True, exist_ok=True)
    (x_train, y_train), (x_test, y_test) = arrays
    for name, array in {
        "train-images-idx3-ubyte.gz": x_train,
        "train-labels-idx1-ubyte.gz": y_train,
        "t10k-images-idx3-ubyte.gz": x_test,
        "t10k-labels-idx1-ubyte.gz": y_test,
    }.items():
        magic = 2051 if array.ndim == 3 else 2049
        header = magic.to_bytes(4, "big") + len(array).to_bytes(4, "big")
        if array.ndim == 3:
            header += (28).to_bytes(4, "big") * 2
        with gzip.open(folder / name, "wb") as handle:
            handle.write(header + array.tobytes())


# ---------------------------------------------------------------- quick mode


@pytest.mark.parametrize("loader", [data.load_mnist, data.load_fashion_mnist])
def test_quick_mode_returns_balanced_packaged_samples(monkeypatch, capsys, loader):
    monkeypatch.setenv("CNN_COURSE_QUICK", "1")
    (x_train, y_train), (x_test, y_test) = loader()
    assert x_train.shape == (2000, 28, 28) and x_test.shape == (500, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [200] * 10
    assert np.bincount(y_test).tolist() == [50] * 10
    assert "quick-mode sample" in capsys.readouterr().out


def test_quick_samples_are_small_and_disjoint():
    total = sum(
        p.stat().st_size for p in Path(data.__file__).parent.joinpath("samples").glob("*.npz")
    )
    assert total <= 3_000_000
    (x_train, _), (x_test, _) = data._read_npz(data._sample_path("mnist"), "sample")
    train_rows = {row.tobytes() for row in x_train}
    assert not any(row.tobytes() in train_rows for row in x_test)


def test_quick_mode_switch_rejects_unknown_values(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_QUICK", "maybe")
    with pytest.raises(ValueError, match="CNN_COURSE_QUICK: got 'maybe'"):
        data.load_mnist()


# ----------------------------------------------------------- the user's folder


def test_folder_subset_is_validated_and_counted(offline, monkeypatch, capsys):
    folder = offline / "mine"
    arrays = small_arrays()
    write_npz(folder / "mnist.npz", arrays)
    monkeypatch.setenv("CNN_COURSE_DATA", str(folder))
    (x_train, y_train), (x_test, _) = data.load_mnist()
    assert np.array_equal(x_train, arrays[0][0]) and np.array_equal(y_train, arrays[0][1])
    out = capsys.readouterr().out
    assert "30 training + 10 test images" in out and "CNN_COURSE_DATA" in out


def test_folder_fashion_files_in_subfolder(offline, monkeypatch, capsys):
    arrays = small_arrays(seed=1)
    write_idx(offline / "mine" / "fashion-mnist", arrays)
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    (x_train, _), (_, y_test) = data.load_fashion_mnist()
    assert np.array_equal(x_train, arrays[0][0]) and np.array_equal(y_test, arrays[1][1])


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"y_test": None}, r"lacks the arrays \['y_test'\]"),
        ({"x_train": np.zeros((30, 28, 28), np.float32)}, "dtypes float32/uint8, expected uint8"),
        (
            {"x_train": np.zeros((30, 32, 32), np.uint8)},
            r"shape \(30, 32, 32\), expected \(N, 28, 28\)",
        ),
        ({"y_train": np.full(30, 12, np.uint8)}, "a label 12, expected labels 0 to 9"),
        ({"y_train": np.zeros(29, np.uint8)}, r"labels of shape \(29,\) for 30 images"),
    ],
)
def test_folder_with_bad_structure_is_refused(offline, monkeypatch, override, message):
    write_npz(offline / "mine" / "mnist.npz", small_arrays(), **override)
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    with pytest.raises(data.CorruptDataError, match=message):
        data.load_mnist()


def test_truncated_npz_in_folder_is_reported(offline, monkeypatch):
    path = write_npz(offline / "mine" / "mnist.npz", small_arrays())
    path.write_bytes(path.read_bytes()[:500])
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    with pytest.raises(data.CorruptDataError, match="mnist.npz is corrupt or truncated"):
        data.load_mnist()


def test_truncated_gzip_in_folder_is_reported(offline, monkeypatch):
    write_idx(offline / "mine", small_arrays())
    target = offline / "mine" / "train-images-idx3-ubyte.gz"
    target.write_bytes(target.read_bytes()[:-40])
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    with pytest.raises(
        data.CorruptDataError, match="train-images-idx3-ubyte.gz is corrupt or truncated"
    ):
        data.load_fashion_mnist()


def test_data_folder_that_does_not_exist(offline, monkeypatch):
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "nowhere"))
    with pytest.raises(data.DataError, match="not a folder"):
        data.load_mnist()


# ----------------------------------------------------- cache, Debian, failure


def test_everything_missing_gives_one_clear_message(offline):
    with pytest.raises(data.DataError) as caught:
        data.load_mnist()
    message = str(caught.value)
    assert "MNIST could not be loaded from any source" in message
    assert (
        "Keras cache" in message
        and "no files there" in message
        and "network unreachable" in message
    )
    for way_out in ("helpers.data prefetch", "CNN_COURSE_DATA", "CNN_COURSE_QUICK=1"):
        assert way_out in message
    # Jupyter shows the message alone, without a traceback.
    assert caught.value._render_traceback_()[0].startswith("DataError: MNIST could not")


def test_subset_in_cache_fails_the_full_checksum(offline, capsys):
    write_npz(data.keras_cache_dir() / "mnist.npz", small_arrays())
    with pytest.raises(data.DataError, match="checksum mismatch"):
        data.load_mnist()
    assert "Skipping a damaged copy" in capsys.readouterr().err


def test_fashion_cache_with_wrong_content_is_skipped(offline):
    write_idx(data.keras_cache_dir() / "fashion-mnist", small_arrays())
    with pytest.raises(data.DataError, match="not the published Fashion-MNIST file"):
        data.load_fashion_mnist()


@needs_debian
def test_recompressed_fashion_copy_passes_the_content_check(offline, monkeypatch, capsys):
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
    cache = data.keras_cache_dir() / "fashion-mnist"
    cache.mkdir(parents=True)
    for name in data.FASHION_FILES:  # recompress at another level: new bytes, same content
        raw = gzip.open(FASHION_DEBIAN / name).read()
        (cache / name).write_bytes(gzip.compress(raw, compresslevel=1))
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert (
        np.bincount(y_train).tolist() == [6000] * 10 and np.bincount(y_test).tolist() == [1000] * 10
    )
    assert "Keras cache" in capsys.readouterr().out


@needs_debian
def test_truncated_fashion_copy_in_cache_falls_back_to_debian(offline, monkeypatch, capsys):
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
    cache = data.keras_cache_dir() / "fashion-mnist"
    shutil.copytree(FASHION_DEBIAN, cache)
    target = cache / "t10k-labels-idx1-ubyte.gz"
    os.chmod(target, 0o644)
    target.write_bytes(target.read_bytes()[:2000])
    (_, _), (_, y_test) = data.load_fashion_mnist()
    captured = capsys.readouterr()
    assert "t10k-labels-idx1-ubyte.gz is corrupt or truncated" in captured.err
    assert "Debian" in captured.out and len(y_test) == 10000


# ---------------------------------------------------------------- command line


def test_where_names_each_source_without_loading(offline, monkeypatch, capsys):
    write_npz(offline / "mine" / "mnist.npz", small_arrays())
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    assert data.main(["where"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("MNIST: the folder in CNN_COURSE_DATA")
    assert lines[1] == "Fashion-MNIST: a download through Keras"


def test_prefetch_reports_failure_without_network(offline, capsys):
    assert data.main(["prefetch"]) == 1
    assert "prefetch failed: network unreachable" in capsys.readouterr().err
