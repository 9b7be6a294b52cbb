"""Downloads from a real HTTP server on 127.0.0.1 (in a thread; no internet): a server that
trickles, one that goes silent, one deadline for all of a dataset's files, and a Keras cache
that cannot be created."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.data import download, files, sources


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the files of ``server.folder``, ``server.step`` bytes every ``server.pause`` s
    (after ``server.silence`` s of nothing); counts the requests it answered."""

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        server = self.server
        server.requests.append(self.path)
        path = server.folder / self.path.lstrip("/")
        body = path.read_bytes() if path.is_file() else b"x" * server.size
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        time.sleep(server.silence)
        try:
            for start in range(0, len(body), server.step):
                self.wfile.write(body[start : start + server.step])
                self.wfile.flush()
                time.sleep(server.pause)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: expected
            pass

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def server(tmp_path, monkeypatch):
    """An HTTP server on 127.0.0.1 in a thread, reached without any proxy."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.folder, httpd.requests = tmp_path / "served", []
    httpd.size, httpd.step, httpd.pause, httpd.silence = 10**6, 100, 0.02, 0.0
    httpd.folder.mkdir()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(download, "DOWNLOAD_URL", f"http://127.0.0.1:{httpd.server_port}/")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_trickling_server_is_given_up_at_the_deadline_with_progress_shown(
    server, monkeypatch, capsys
):
    monkeypatch.setattr(download, "PROGRESS_SECONDS", 0.1)
    target = data.keras_cache_dir() / "mnist.npz"
    with pytest.raises(data.DataError, match=r"only 0\.0 MB of 1\.0 MB arrived in \d+ s"):
        download._fetch(download.DOWNLOAD_URL + "mnist.npz", target, time.monotonic() + 0.6)
    err = capsys.readouterr().err
    assert "Downloading http://127.0.0.1" in err
    assert "MB of 1.0 MB after" in err  # progress while it trickled
    assert _leftovers(target.parent) == []  # no temporary file left, no target


def test_a_server_that_goes_silent_is_named_as_such(server, monkeypatch):
    server.silence = 2.0
    monkeypatch.setattr(download, "READ_TIMEOUT", 0.3)
    target = data.keras_cache_dir() / "mnist.npz"
    with pytest.raises(data.DataError, match="the server stopped sending after 0.0 MB"):
        download._fetch(download.DOWNLOAD_URL + "mnist.npz", target)
    assert _leftovers(target.parent) == []


def _serve_small_fashion(server, monkeypatch) -> None:
    """Four small valid Fashion-MNIST files, with their checksums made the published ones."""
    rng = np.random.default_rng(0)
    hashes = {}
    for name in files.FASHION_FILES:
        is_images = "images" in name
        array = rng.integers(0, 256 if is_images else 10, (3, 28, 28) if is_images else 3)
        header = (2051 if is_images else 2049).to_bytes(4, "big") + (3).to_bytes(4, "big")
        header += (28).to_bytes(4, "big") * 2 if is_images else b""
        raw = header + array.astype(np.uint8).tobytes()
        (server.folder / name).write_bytes(gzip.compress(raw))
        hashes[name] = files._sha256(raw)
    monkeypatch.setattr(files, "FASHION_FILES", hashes)


def test_one_deadline_holds_for_all_of_a_datasets_files(server, monkeypatch):
    """Each file alone arrives well within the deadline; the four together do not."""
    _serve_small_fashion(server, monkeypatch)
    server.step, server.pause = 200, 0.1  # about 0.3 s for each file
    monkeypatch.setattr(download, "DOWNLOAD_DEADLINE", 0.5)
    with pytest.raises(data.DataError, match="too slow to finish"):
        download._download("fashion_mnist")
    assert 1 < len(server.requests) < 4  # stopped part-way, not at the first file
    assert _leftovers(data.keras_cache_dir() / "fashion-mnist") == []


def test_a_dataset_within_its_deadline_is_kept(server, monkeypatch):
    _serve_small_fashion(server, monkeypatch)
    server.step, server.pause = 10**6, 0.0
    (_, _), (_, y_test) = download._download("fashion_mnist")
    assert len(y_test) == 3 and len(server.requests) == 4
    assert _leftovers(data.keras_cache_dir() / "fashion-mnist") == sorted(files.FASHION_FILES)


@pytest.mark.parametrize("in_the_way", ["file", "dangling link"])
def test_a_cache_folder_that_cannot_be_made_is_named_not_blamed_on_the_network(
    server, monkeypatch, tmp_path, capsys, in_the_way
):
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    monkeypatch.delenv("CNN_COURSE_DATA", raising=False)
    monkeypatch.setattr(sources, "DEBIAN_FASHION_DIR", tmp_path / "no-debian")
    home = tmp_path / "keras-home"
    home.mkdir()
    if in_the_way == "file":
        (home / "datasets").write_text("not a folder")
    else:
        (home / "datasets").symlink_to(tmp_path / "gone")
    with pytest.raises(data.DataError) as raised:
        data.load_mnist()
    message = str(raised.value)
    assert "expected a folder" in message
    assert "cannot create the folder" in message and "set KERAS_HOME" in message
    assert server.requests == []  # nothing was downloaded only to be thrown away
    assert "Skipping an unreadable copy" in capsys.readouterr().err


@pytest.mark.parametrize("what", ["dangling link", "folder"])
def test_a_download_beside_what_is_not_a_file_says_what_is_there(
    server, monkeypatch, tmp_path, capsys, what
):
    """A checked download never replaces what the learner has at the cache's file name; the
    message says what that is (before: "is not the published file" for a link to nothing)."""
    arrays = {k: np.zeros((2, 28, 28) if k[0] == "x" else 2, np.uint8) for k in files.NPZ_KEYS}
    np.savez(server.folder / "mnist.npz", **arrays)
    monkeypatch.setattr(files, "MNIST_NPZ_SHA256", files._file_sha256(server.folder / "mnist.npz"))
    server.step, server.pause = 10**6, 0.0
    target = data.keras_cache_dir() / "mnist.npz"
    target.parent.mkdir(parents=True)
    if what == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "moved-away.npz")
    (x_train, _), _ = download._download("mnist")
    assert x_train.shape == (2, 28, 28)
    err = capsys.readouterr().err
    expected = "a folder, expected a file" if what == "folder" else "which does not exist"
    assert expected in err and "left as it is" in err
    assert target.is_dir() if what == "folder" else target.is_symlink()
    assert _leftovers(target.parent) == ["mnist.npz"]  # no temporary left beside it


def test_where_passes_over_a_cache_that_is_not_a_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CNN_COURSE_QUICK", "0")
    monkeypatch.delenv("CNN_COURSE_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").write_text("not a folder")
    line = data.where("mnist")
    assert line.startswith("MNIST: a download of Keras' dataset files; skipped: the Keras cache")
    assert line.endswith("is not a folder")
