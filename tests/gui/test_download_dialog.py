"""The Download MNIST dialog against a real HTTP server on 127.0.0.1 serving small fake files.

Mirrors and checksums are injected into the dialog (they go straight to
``core.download.download_mnist``); the download runs in a worker thread.
"""

from __future__ import annotations

import hashlib
import http.server
import time

import numpy as np
import pytest
from helpers.datafiles import write_mnist_folder
from helpers.localhttp import LocalServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ffn_gui.widgets.download_dialog import DownloadDialog
from ffn_gui.work import workers


class Server(LocalServer):
    """Serves ``files`` under /m/; ``slow`` names are sent 8 KiB every 10 ms."""

    def __init__(self, files: dict[str, bytes], slow: frozenset = frozenset()):
        self.files, self.slow = files, slow
        super().__init__()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                body = owner.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name not in owner.slow:
                    self.wfile.write(body)
                    return
                for i in range(0, len(body), 8192):
                    if owner.release.wait(0.01):
                        return
                    self.wfile.write(body[i : i + 8192])
                    self.wfile.flush()

            def log_message(self, *args):
                pass


        self.mirror = self.serve(Handler) + "/m/"

    def options(self, files: dict[str, bytes] | None = None) -> dict:
        files = self.files if files is None else files
        return dict(mirrors=[self.mirror], allow_insecure_localhost=True, timeout=5,
                    files={n: hashlib.md5(b).hexdigest() for n, b in files.items()})



@pytest.fixture
def mnist_files(tmp_path) -> dict[str, bytes]:
    folder = tmp_path / "source"
    write_mnist_folder(folder, 300, 60, np.random.default_rng(3))
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def server(mnist_files):
    s = Server(mnist_files)
    yield s
    s.close()


def test_download_then_load_through_the_window(window, qtbot, server, tmp_path):
    dest = tmp_path / "downloaded"
    results = []
    with qtbot.waitSignal(window.data_loaded, timeout=20_000) as blocker:
        dialog = window.download_data(dest, **server.options())
        dialog.finished.connect(results.append)
        assert dialog.isVisible() and dialog.running
    data = blocker.args[0]
    assert len(data.train) == 300 and len(data.test) == 60
    assert sorted(p.name for p in dest.iterdir()) == sorted(server.files)
    assert results == [QDialog.DialogCode.Accepted]
    assert window.download_dialog is None  # closed and deleted
    assert "from " + str(dest) in window.training_panel.data_label.text()
    assert window.errors == []
    qtbot.waitUntil(lambda: not window.loading_data)


def test_progress_is_shown(qtbot, server, tmp_path):
    dialog = DownloadDialog(tmp_path / "d", **server.options())
    qtbot.addWidget(dialog)
    values = []
    dialog.progress_bar.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.downloaded, timeout=20_000) as blocker:
        dialog.open()
        dialog.start()
    assert blocker.args == [tmp_path / "d"]
    assert values and values[-1] == dialog.progress_bar.maximum()
    assert not dialog.isVisible()
    assert workers.running_jobs() == []


def test_cancel_stops_the_download_and_keeps_nothing(qtbot, mnist_files, tmp_path):
    big = {"train-images-idx3-ubyte.gz": np.random.default_rng(4).bytes(4_000_000)}
    server = Server(big, slow=frozenset(big))
    try:
        dest = tmp_path / "d"
        dialog = DownloadDialog(dest, **server.options())
        qtbot.addWidget(dialog)
        dialog.open()
        dialog.start()
        qtbot.waitUntil(lambda: "MB of" in dialog.status.text(), timeout=10_000)
        t0 = time.perf_counter()
        with qtbot.waitSignal(dialog.cancelled, timeout=5000):
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
            assert dialog.status.text() == "Cancelling…"
        assert time.perf_counter() - t0 < 5.0  # a hang; speed: benchmarks/bench_latency.py
        assert dialog.result() == QDialog.DialogCode.Rejected
        assert not dialog.isVisible()
        assert workers.running_jobs() == []
        assert list(dest.iterdir()) == []  # no partial file left behind
    finally:
        server.close()


def test_failure_reaches_the_user(window, qtbot, server, tmp_path):
    options = server.options({"missing-file.gz": b"x"})
    dialog = window.download_data(tmp_path / "d", **options)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        pass
    assert window.errors and window.errors[0][0] == "Download failed"
    assert "missing-file.gz" in window.errors[0][1]
    assert window.data is None


def test_a_refused_mirror_is_explained_in_the_window_as_on_the_command_line(window, qtbot,
                                                                          tmp_path):
    import socket

    from core.download import download_mnist
    from core.download_errors import HEADLINES
    from core.errors import DownloadError

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        mirror = f"http://127.0.0.1:{s.getsockname()[1]}/m/"
    options = dict(mirrors=[mirror], allow_insecure_localhost=True, timeout=5,
                   files={"train-images-idx3-ubyte.gz": "0" * 32})
    dialog = window.download_data(tmp_path / "d", **options)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        pass
    with pytest.raises(DownloadError) as core_error:
        download_mnist(tmp_path / "cli", **options)
    assert window.errors == [("Download failed", str(core_error.value))]
    assert window.errors[0][1].startswith(HEADLINES["refused"] + "\n\nOr download ")
    assert "File → Open MNIST folder…" in window.errors[0][1]


def test_escape_cancels(qtbot, tmp_path):
    big = {"train-images-idx3-ubyte.gz": np.random.default_rng(5).bytes(2_000_000)}
    server = Server(big, slow=frozenset(big))
    try:
        dialog = DownloadDialog(tmp_path / "d", **server.options())
        qtbot.addWidget(dialog)
        dialog.open()
        dialog.start()
        with qtbot.waitSignal(dialog.cancelled, timeout=5000):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert workers.running_jobs() == []
    finally:
        server.close()
