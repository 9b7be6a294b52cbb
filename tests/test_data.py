"""The data loaders: sources in order, checks that catch bad files, the clear failure."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.data import download, files, sources

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
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")

    def no_network(dataset):
        raise OSError("network unreachable")

    monkeypatch.setattr(download, "_download", no_network)
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
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
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
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
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
    assert lines[1] == f"Fashion-MNIST: {data.DOWNLOAD_LABEL}"


def test_prefetch_reports_failure_without_network(offline, capsys):
    assert data.main(["prefetch"]) == 1
    assert "prefetch failed: network unreachable" in capsys.readouterr().err


# ------------------------------------------------ issue 11: no file of the learner is lost


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Full mode, empty sources, and every HTTP(S) request refused (through a dead proxy).

    Unlike ``offline``, the real download code runs: it must fail without touching files.
    """
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    monkeypatch.delenv("CNN_COURSE_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")  # the discard port: refused
    for variable in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("content", ["subset", "garbage"])
def test_failed_download_keeps_the_learners_mnist_file(no_network, content):
    path = data.keras_cache_dir() / "mnist.npz"
    write_npz(path, small_arrays())
    if content == "garbage":
        path.write_bytes(b"not an npz file at all")
    before = folder_snapshot(data.keras_cache_dir())
    with pytest.raises(data.DataError, match="checksum mismatch"):
        data.load_mnist()
    assert folder_snapshot(data.keras_cache_dir()) == before


def test_failed_download_keeps_every_fashion_file(no_network):
    folder = data.keras_cache_dir() / "fashion-mnist"
    write_idx(folder, small_arrays())
    damaged = folder / "t10k-images-idx3-ubyte.gz"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    before = folder_snapshot(folder)
    with pytest.raises(data.DataError):
        data.load_fashion_mnist()
    assert folder_snapshot(folder) == before


@pytest.fixture
def mirror(no_network, monkeypatch):
    """A local copy of the download address (file:// URLs), holding small valid datasets."""
    server = no_network / "server"
    mnist = write_npz(server / "mnist.npz", small_arrays(seed=5))
    monkeypatch.setattr(files, "MNIST_NPZ_SHA256", files._file_sha256(mnist))
    write_idx(server, small_arrays(seed=6))
    hashes = {name: files._sha256(gzip.open(server / name).read()) for name in data.FASHION_FILES}
    monkeypatch.setattr(files, "FASHION_FILES", hashes)
    monkeypatch.setattr(download, "DOWNLOAD_URL", server.as_uri() + "/")
    return server


def test_download_is_checked_then_moved_into_an_empty_cache(mirror, capsys):
    (x_train, _), _ = data.load_mnist()
    assert np.array_equal(x_train, small_arrays(seed=5)[0][0])
    cache = data.keras_cache_dir()
    assert sorted(p.name for p in cache.iterdir()) == ["mnist.npz"]  # no temporary left
    assert (cache / "mnist.npz").read_bytes() == (mirror / "mnist.npz").read_bytes()
    assert data.DOWNLOAD_LABEL in capsys.readouterr().out
    (_, _), (_, y_test) = data.load_fashion_mnist()
    assert np.array_equal(y_test, small_arrays(seed=6)[1][1])
    assert sorted(p.name for p in (cache / "fashion-mnist").iterdir()) == sorted(data.FASHION_FILES)


def test_download_never_replaces_a_damaged_file_of_the_learner(mirror, capsys):
    path = data.keras_cache_dir() / "mnist.npz"
    write_npz(path, small_arrays(seed=9))  # a subset of the learner's: fails the checksum
    before = path.read_bytes()
    (x_train, _), _ = data.load_mnist()
    assert np.array_equal(x_train, small_arrays(seed=5)[0][0])  # the checked download
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["mnist.npz"]
    assert "left as it is" in capsys.readouterr().err


def test_download_that_fails_its_check_leaves_nothing_behind(mirror, monkeypatch):
    monkeypatch.setattr(files, "MNIST_NPZ_SHA256", "0" * 64)
    with pytest.raises(data.DataError, match="checksum mismatch"):
        data.load_mnist()
    assert list(data.keras_cache_dir().iterdir()) == []


def test_fashion_download_keeps_an_intact_file_and_reports_nothing_about_it(mirror, capsys):
    folder = data.keras_cache_dir() / "fashion-mnist"
    folder.mkdir(parents=True)
    labels = folder / "train-labels-idx1-ubyte.gz"
    labels.write_bytes((mirror / labels.name).read_bytes())
    damaged = folder / "t10k-images-idx3-ubyte.gz"
    damaged.write_bytes((mirror / damaged.name).read_bytes()[:-10])
    before = folder_snapshot(folder)
    data.load_fashion_mnist()
    after = folder_snapshot(folder)
    assert {name: after[name] for name in before} == before  # nothing of ours touched
    assert sorted(after) == sorted(data.FASHION_FILES)  # the two missing ones were added
    err = capsys.readouterr().err
    assert "t10k-images-idx3-ubyte.gz is not the published file" in err
    assert "train-labels-idx1-ubyte.gz is not the published file" not in err


def test_compressed_file_is_not_decompressed_beyond_the_dataset_size(offline):
    import tracemalloc

    folder = data.keras_cache_dir() / "fashion-mnist"
    write_idx(folder, small_arrays())
    bomb = folder / "train-labels-idx1-ubyte.gz"  # 60,008 bytes when intact; read first
    header = (2049).to_bytes(4, "big") + (60_000).to_bytes(4, "big")
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(header)
        zeros = bytes(1 << 20)
        for _ in range(32):  # 32 MiB of zeros in 32 kB: smaller than the intact file
            handle.write(zeros)
    tracemalloc.start()
    try:
        with pytest.raises(data.DataError, match="train-labels-idx1-ubyte.gz decompresses to more"):
            data.load_fashion_mnist()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20


# ------------------------------------------------- issue 11: clear errors for bad files


def write_raw_npz(path: Path, members: dict[str, bytes]):
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def npy_bytes(array) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def valid_members() -> dict[str, bytes]:
    (x_train, y_train), (x_test, y_test) = small_arrays()
    return {
        "x_train.npy": npy_bytes(x_train),
        "y_train.npy": npy_bytes(y_train),
        "x_test.npy": npy_bytes(x_test),
        "y_test.npy": npy_bytes(y_test),
    }


def huge_header(shape) -> bytes:
    """A .npy file that announces ``shape`` of uint8 but holds no data."""
    header = {"descr": "|u1", "fortran_order": False, "shape": shape}
    text = repr(header).encode("latin1")
    text += b" " * (-(len(text) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text


@pytest.mark.parametrize(
    ("member", "content", "message"),
    [
        ("y_train.npy", npy_bytes(np.uint8(3)), r"labels of shape \(\)"),
        ("x_train.npy", npy_bytes(np.uint8(3)), r"images of shape \(\)"),
        ("y_train.npy", npy_bytes(np.array(list("0123456789" * 3))), "dtypes uint8/<U1"),
        ("x_train.npy", huge_header((1_000_000, 28_000, 28)), r"announces x_train .* GiB"),
        (
            "y_test.npy",
            npy_bytes(np.array([{"a": 1}] * 10, dtype=object)),
            "stores y_test as Python objects",
        ),
        ("x_test.npy", npy_bytes(np.zeros(3, np.uint8))[:12], "mnist.npz is corrupt or trunc"),
    ],
)
def test_damaged_npz_gives_a_clear_error(offline, monkeypatch, member, content, message):
    members = valid_members()
    members[member] = content
    write_raw_npz(offline / "mine" / "mnist.npz", members)
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    with pytest.raises(data.CorruptDataError, match=message) as caught:
        data.load_mnist()
    assert "allow_pickle" not in str(caught.value)


def test_an_npy_file_named_npz_is_reported(offline, monkeypatch):
    path = offline / "mine" / "mnist.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(npy_bytes(np.zeros(3, np.uint8)))
    monkeypatch.setenv("CNN_COURSE_DATA", str(offline / "mine"))
    with pytest.raises(data.CorruptDataError, match="mnist.npz is corrupt or truncated"):
        data.load_mnist()


@pytest.mark.parametrize("where", ["folder", "cache"])
def test_incomplete_fashion_folder_names_the_missing_file(offline, monkeypatch, capsys, where):
    folder = offline / "mine" if where == "folder" else data.keras_cache_dir() / "fashion-mnist"
    write_idx(folder, small_arrays())
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    if where == "folder":
        monkeypatch.setenv("CNN_COURSE_DATA", str(folder))
    with pytest.raises(data.DataError, match="missing: t10k-labels-idx1-ubyte.gz"):
        data.load_fashion_mnist()
    assert data.where("fashion_mnist").endswith("(incomplete: t10k-labels-idx1-ubyte.gz missing)")


def test_where_with_a_bad_quick_switch_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("CNN_COURSE_QUICK", "perhaps")
    assert data.main(["where"]) == 2
    assert capsys.readouterr().err.strip() == (
        "CNN_COURSE_QUICK: got 'perhaps', expected 1 (quick mode on) or 0 (quick mode off)"
    )


def test_home_folder_is_shortened_only_at_a_separator(monkeypatch, tmp_path):
    home = tmp_path / "learner"
    monkeypatch.setenv("HOME", str(home))
    assert data._show_path(home / ".keras" / "datasets") == "~/.keras/datasets"
    assert data._show_path(home) == "~"
    sibling = tmp_path / "learner2" / "data"
    assert data._show_path(sibling) == str(sibling)


def test_validate_arrays_refuses_what_is_not_a_dataset():
    with pytest.raises(TypeError, match=r"arrays: got int 3, expected \(\(x_train"):
        data.validate_arrays(3, "test")
    with pytest.raises(data.CorruptDataError, match="test: train split has .*expected NumPy"):
        data.validate_arrays(((1, 2), (3, 4)), "test")


@pytest.mark.parametrize("loader", [data.load_mnist, data.load_fashion_mnist])
def test_verbose_must_be_true_or_false(loader):
    with pytest.raises(TypeError, match="verbose: got str 'no', expected True or False"):
        loader(verbose="no")


# ------------------------------------------- links, permissions, slow servers (issue 22)


def test_dangling_link_in_the_cache_is_named_as_such(offline, capsys):
    cache = data.keras_cache_dir()
    cache.mkdir(parents=True)
    (cache / "mnist.npz").symlink_to(cache / "moved-away.npz")
    with pytest.raises(data.DataError, match="is a link to .*moved-away.npz, which does not exist"):
        data.load_mnist()
    assert "Skipping an unreadable copy" in capsys.readouterr().err


def test_dangling_link_in_a_named_folder_is_the_answer(offline, monkeypatch):
    folder = offline / "mine"
    folder.mkdir()
    (folder / "mnist.npz").symlink_to(folder / "nowhere.npz")
    monkeypatch.setenv("CNN_COURSE_DATA", str(folder))
    with pytest.raises(data.UnreadableDataError, match="which does not exist"):
        data.load_mnist()


@needs_debian
def test_dangling_fashion_links_in_the_cache_fall_back_to_debian(offline, monkeypatch, capsys):
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
    cache = data.keras_cache_dir() / "fashion-mnist"
    cache.mkdir(parents=True)
    for name in data.FASHION_FILES:
        (cache / name).symlink_to(offline / "gone" / name)
    (_, _), (_, y_test) = data.load_fashion_mnist()
    captured = capsys.readouterr()
    assert "which does not exist" in captured.err and "missing" not in captured.err
    assert "Debian" in captured.out and len(y_test) == 10_000


@needs_debian
def test_unreadable_cache_folder_falls_back_to_debian(offline, monkeypatch, capsys):
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", FASHION_DEBIAN)
    cache = data.keras_cache_dir() / "fashion-mnist"
    cache.mkdir(parents=True)
    # As root, chmod 000 does not stop reading: stand in for the permission check instead.
    monkeypatch.setattr(sources, "_folder_unreadable", lambda folder: Path(folder) == cache)
    (_, _), (_, y_test) = data.load_fashion_mnist()
    captured = capsys.readouterr()
    assert f"the folder {cache} is not readable" in captured.err
    assert "Debian" in captured.out and len(y_test) == 10_000


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_cache_file_is_not_called_corrupt(offline, capsys):
    path = write_npz(data.keras_cache_dir() / "mnist.npz", small_arrays())
    path.chmod(0)
    with pytest.raises(data.DataError, match="not readable \\(PermissionError"):
        data.load_mnist()
    assert "corrupt" not in capsys.readouterr().err


def test_keras_home_with_a_tilde_means_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", "~/keras")
    assert data.keras_cache_dir() == tmp_path / "keras" / "datasets"


def test_where_names_an_unknown_dataset():
    with pytest.raises(ValueError, match="dataset: got str 'cifar', expected one of"):
        data.where("cifar")


class TrickleResponse:
    """A response that sends ``size`` bytes ``step`` at a time, ``pause`` seconds apart."""

    def __init__(self, size: int, step: int, pause: float):
        self.left, self.step, self.pause = size, step, pause
        self.headers = {"Content-Length": str(size)}

    def read1(self, amount: int) -> bytes:
        import time

        time.sleep(self.pause)
        block = b"x" * min(self.step, self.left, amount)
        self.left -= len(block)
        return block


def test_a_trickling_download_stops_at_its_deadline(tmp_path):
    response = TrickleResponse(size=10**6, step=100, pause=0.01)
    with (
        open(tmp_path / "part", "wb") as output,
        pytest.raises(data.DataError, match="too slow to finish"),
    ):
        download._copy_response(response, output, "https://example.org/x.gz", deadline=0.3)
    assert response.left > 0  # gave up long before the end


def test_a_download_prints_its_progress(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(download, "PROGRESS_SECONDS", 0.0)
    response = TrickleResponse(size=3_000_000, step=1_000_000, pause=0.0)
    with open(tmp_path / "part", "wb") as output:
        copied = download._copy_response(response, output, "https://example.org/x.gz")
    assert copied == 3_000_000 and (tmp_path / "part").stat().st_size == 3_000_000
    assert "3.0 MB of 3.0 MB" in capsys.readouterr().err


def test_idx_images_of_another_size_are_refused(offline, monkeypatch):
    folder = offline / "mine"
    write_idx(folder, small_arrays())
    path = folder / "train-images-idx3-ubyte.gz"
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[8:16] = (14).to_bytes(4, "big") + (56).to_bytes(4, "big")  # same bytes, 14 × 56
    path.write_bytes(gzip.compress(bytes(raw)))
    monkeypatch.setenv("CNN_COURSE_DATA", str(folder))
    with pytest.raises(data.CorruptDataError, match="images of 14 × 56 pixels, expected 28 × 28"):
        data.load_fashion_mnist()
