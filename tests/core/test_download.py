"""core.download against a real HTTP server on 127.0.0.1 with scripted failures.

The server holds two "mirrors" (/m1/ and /m2/) serving small fake files. Each test scripts what
a mirror does with a file (serve it, 404, 500, cut the connection, lie about Content-Length,
stall, serve wrong bytes) and checks the outcome and that the destination folder never holds
anything but complete, verified files.
"""

import errno
import os
import socket
import tempfile
import threading
import time

import pytest
from helpers import reliability
from helpers.mirrors import CONTENT, MD5, Server, assert_complete, assert_only_verified, fetch

import core.download as download
from core.download import FILES, MIRRORS, TOTAL_BYTES, download_mnist
from core.errors import ConfigError, DownloadCancelled, DownloadError, FFNError

# Seconds after which a download test has hung. Timeouts here are 0.5 s and a stalled response
# ends at 10 s; how fast a fault is survived is not a unit test's business.
HANG = 8


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def test_success_and_progress(server, tmp_path):
    calls = []
    dest = tmp_path / "new" / "mnist"
    assert fetch(server, dest, progress=lambda d, t: calls.append((d, t))) == dest
    assert_complete(dest)
    total = sum(map(len, CONTENT.values()))
    assert calls[-1] == (total, total)
    assert all(d <= t for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) <= total // 65536 + 2 * len(CONTENT) + 2  # at most one per 64 KiB chunk
    assert server.requests == [("m1", "a.gz"), ("m1", "b.gz")]
    # a second run finds both files verified and downloads nothing
    fetch(server, dest)
    assert len(server.requests) == 2


def test_corrupt_existing_file_is_replaced(server, tmp_path):
    (tmp_path / "a.gz").write_bytes(b"half a file")
    (tmp_path / "b.gz").write_bytes(CONTENT["b.gz"])
    fetch(server, tmp_path)
    assert_complete(tmp_path)
    assert server.requests == [("m1", "a.gz")]
    reliability.count("download_faults")


@pytest.mark.parametrize(
    "failure, words",
    [
        (("status", 404), "HTTP error 404"),
        (("status", 500), "HTTP error 500"),
        (("cut", 100_000), "connection cut"),
        (("length", len(CONTENT["a.gz"]) + 5000), "connection cut"),
        (("length", len(CONTENT["a.gz"]) - 5000), "checksum mismatch"),
        (("wrong",), "checksum mismatch"),
        (("stall", 70_000), "timed out"),
    ],
    ids=["404", "500", "cut", "long content-length", "short content-length", "wrong bytes",
         "stall"],
)
def test_first_mirror_fails_second_works(server, tmp_path, failure, words):
    server.script[("m1", "a.gz")] = failure
    start = time.perf_counter()
    fetch(server, tmp_path / "both", timeout=0.5)
    assert time.perf_counter() - start < HANG  # the stall ends at the 0.5 s timeout
    assert_complete(tmp_path / "both")
    assert ("m2", "a.gz") in server.requests
    # the mirror that worked is tried first for the next file
    assert server.requests[-1] == ("m2", "b.gz")
    # the same fault with no other mirror to fall back on: its own words in the error
    with pytest.raises(DownloadError) as info:
        fetch(server, tmp_path / "alone", mirrors=server.mirrors[:1], timeout=0.5)
    message = str(info.value)
    assert "a.gz" in message and server.mirrors[0] in message, message
    assert words in message, message
    assert not (tmp_path / "alone").exists() or list((tmp_path / "alone").iterdir()) == []
    reliability.count("download_faults")


@pytest.mark.parametrize(
    "failure, words",
    [(("wrong",), "checksum mismatch"), (("cut", 70_000), "connection cut"),
     (("status", 404), "HTTP error 404"), (("stall", 1000), "timed out")],
    ids=["checksum", "cut", "404", "stall"],
)
def test_every_mirror_fails(server, tmp_path, failure, words):
    for m in ("m1", "m2"):
        server.script[(m, "a.gz")] = failure
    start = time.perf_counter()
    with pytest.raises(DownloadError) as info:
        fetch(server, tmp_path, timeout=0.5)
    assert time.perf_counter() - start < HANG
    message = str(info.value)
    assert "a.gz" in message and message.count(words) == 2, message
    assert server.mirrors[0] in message and server.mirrors[1] in message
    assert list(tmp_path.iterdir()) == []  # nothing partial, and b.gz was never started
    server.script.clear()
    fetch(server, tmp_path)  # a retry works
    assert_complete(tmp_path)
    reliability.count("download_faults")


def test_failure_on_second_file_keeps_the_first(server, tmp_path):
    server.script[("m1", "b.gz")] = server.script[("m2", "b.gz")] = ("status", 503)
    with pytest.raises(DownloadError):
        fetch(server, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.gz"]
    assert_only_verified(tmp_path)
    reliability.count("download_faults")


def test_unreachable_mirror(server, tmp_path):
    with socket.socket() as s:  # a loopback port nobody listens on: bound, then closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fetch(server, tmp_path, mirrors=(f"http://127.0.0.1:{port}/m1/", server.mirrors[1]))
    assert_complete(tmp_path)
    reliability.count("download_faults")


def test_disk_full(server, tmp_path, monkeypatch):
    real = tempfile.NamedTemporaryFile

    class FullDisk:
        def __init__(self, f):
            self.f, self.name, self.written = f, f.name, 0

        def write(self, data):
            if self.written + len(data) > 100_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.written += len(data)
            return self.f.write(data)

        def __getattr__(self, attr):
            return getattr(self.f, attr)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    monkeypatch.setattr(download.tempfile, "NamedTemporaryFile",
                        lambda *a, **k: FullDisk(real(*a, **k)))
    with pytest.raises(DownloadError) as info:
        fetch(server, tmp_path)
    assert str(info.value) == (f"no space left on the device holding {tmp_path / 'a.gz'}: free "
                               "some space there or save elsewhere")
    assert list(tmp_path.iterdir()) == []
    assert server.requests == [("m1", "a.gz")]  # no other mirror can fix a full disk
    monkeypatch.undo()
    fetch(server, tmp_path)
    assert_complete(tmp_path)
    reliability.count("download_faults")


def test_cancel_before_start(server, tmp_path):
    event = threading.Event()
    event.set()
    with pytest.raises(DownloadCancelled):
        fetch(server, tmp_path / "d", cancel=event)
    assert not (tmp_path / "d").exists() and server.requests == []
    with pytest.raises(DownloadCancelled):
        fetch(server, tmp_path, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []
    reliability.count("download_faults")


@pytest.mark.parametrize("after_calls", [1, 2, 4, 7])
def test_cancel_mid_download(server, tmp_path, after_calls):
    event = threading.Event()
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) >= after_calls:
            event.set()

    with pytest.raises(DownloadCancelled) as info:
        fetch(server, tmp_path, progress=progress, cancel=event)
    assert isinstance(info.value, DownloadError) and isinstance(info.value, FFNError)
    assert_only_verified(tmp_path)
    fetch(server, tmp_path)
    assert_complete(tmp_path)
    reliability.count("download_faults")


def test_cancel_while_stalled_server_times_out(server, tmp_path):
    # cancel is checked between reads: a stalled read ends at the timeout, then the cancel wins
    server.script[("m1", "a.gz")] = ("stall", 70_000)
    event = threading.Event()

    def progress(done, total):
        if done >= 65536:
            event.set()

    start = time.perf_counter()
    with pytest.raises(DownloadCancelled):
        fetch(server, tmp_path, progress=progress, cancel=event, timeout=0.5)
    assert time.perf_counter() - start < HANG
    assert list(tmp_path.iterdir()) == []
    reliability.count("download_faults")


@pytest.mark.parametrize(
    "mirror",
    ["http://example.com/mnist/", "ftp://127.0.0.1/", "file:///tmp/", "https:///nohost/",
     "http://10.0.0.1/", "http://127.0.0.1.example.com/"],
)
def test_insecure_mirror_refused(tmp_path, mirror):
    with pytest.raises(ConfigError) as info:
        download_mnist(tmp_path, mirrors=(mirror,), files=MD5, allow_insecure_localhost=True)
    assert isinstance(info.value, ValueError) and "https" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_localhost_needs_the_flag(server, tmp_path):
    with pytest.raises(ConfigError):
        download_mnist(tmp_path, mirrors=server.mirrors, files=MD5)
    for host in ("localhost", "[::1]"):
        download_mnist(tmp_path, mirrors=(f"http://{host}:1/",), files={},
                       allow_insecure_localhost=True)


@pytest.mark.parametrize("files", [{"../evil.gz": "0" * 32}, {"a.gz": "not-an-md5"},
                                   {".partial-x": "0" * 32}])
def test_bad_file_table_refused(tmp_path, files):
    with pytest.raises(ConfigError):
        download_mnist(tmp_path, mirrors=MIRRORS, files=files)


def test_dest_that_is_a_file(server, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DownloadError) as info:
        fetch(server, blocker / "mnist")
    assert "folder" in str(info.value)
    reliability.count("download_faults")


def test_default_dest(server, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "default_data_dir", lambda: tmp_path / "cache" / "mnist")
    assert fetch(server, None) == tmp_path / "cache" / "mnist"
    assert_complete(tmp_path / "cache" / "mnist")


def test_published_table():
    assert all(m.startswith("https://") and m.endswith("/") for m in MIRRORS)
    assert set(FILES) == set(download.SIZES)
    assert 11_000_000 < TOTAL_BYTES < 12_000_000


@pytest.mark.mnist
def test_size_table_matches_the_original_files(mnist_dir):
    # The shared copy was re-gzipped (a newer gzip time stamp), so its md5s are not the
    # published ones, but three of its files are the originals, byte for byte inside the gzip
    # wrapper; its training images are a reconstruction of a different size.
    for name in ("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                 "t10k-labels-idx1-ubyte.gz"):
        assert (mnist_dir / name).stat().st_size == download.SIZES[name]


def test_no_partial_files_after_keyboard_interrupt(server, tmp_path):
    def progress(done, total):
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch(server, tmp_path, progress=progress)
    assert list(tmp_path.iterdir()) == []
    assert os.listdir(tmp_path) == []
    reliability.count("download_faults")
