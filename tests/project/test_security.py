"""Security: no code runs from a file a user opens, and the app touches no network but the
MNIST mirrors.

- The source of core/ and ffn_gui/ never unpickles, evals or execs (read token by token, so a
  word in a message or comment does not count and ``app.exec()``, Qt's event loop, is not
  Python's ``exec``), and every ``np.load`` passes ``allow_pickle=False``.
- Files built to run code when loaded (a pickle whose unpickling makes a folder, a .npy header
  holding a call) are refused, and the code does not run.
- Downloads: https only, only from ``core.download.MIRRORS``, no redirect off a mirror's host;
  the only URLs in the source are the mirrors.
- Every socket connection is recorded while the engine's main paths run (load each format,
  train, save, load a model, the command line): there is none. The download against a local
  server shows the recorder works.
"""

from __future__ import annotations

import ast
import re
import http.client
import io
import os
import pickle
import socket
import tokenize
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import mirrors, reliability
from helpers.datafiles import (
    IDX_NAMES,
    fake_mnist,
    write_blob_folder,
    write_kaggle_csv,
    write_keras_npz,
    write_mnist_folder,
)

import core.download as download
from core.cli import main as cli
from core.data import load_data, load_idx, load_kaggle_csv, load_keras_npz
from core.errors import ConfigError, DataError, DownloadError, ModelFileError
from core.model_io import load_model, save_model
from core.network import Network
from core.training import TrainConfig, train

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("core", "ffn_gui") for p in (ROOT / folder).rglob("*.py"))

FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle",
                     "joblib", "pickletools", "copyreg"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "requests", "httpx", "aiohttp",
                   "ftplib", "smtplib", "xmlrpc", "PySide6.QtNetwork", "PySide6.QtWebEngineCore",
                   "PySide6.QtWebEngineWidgets"}


def test_the_source_is_there():
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"core/data/__init__.py", "core/model_io.py", "core/download.py", "core/cli.py"} <= names


def identifiers(path: Path):
    """(name, line, follows a '.') for every identifier token: no strings, no comments."""
    with open(path, "rb") as f:
        tokens = list(tokenize.tokenize(f.readline))
    for before, token in zip([None, *tokens], tokens):
        if token.type == tokenize.NAME:
            dotted = before is not None and before.type == tokenize.OP and before.string == "."
            yield token.string, token.start[0], dotted


def test_no_code_execution_in_the_source():
    problems = []
    for path in SOURCES:
        rel = path.relative_to(ROOT)
        for name, line, dotted in identifiers(path):
            if name in FORBIDDEN_MODULES or name == "read_pickle":
                problems.append(f"{rel}:{line}: uses {name}")
            elif name in FORBIDDEN_CALLS and not dotted:
                problems.append(f"{rel}:{line}: uses {name}")
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            pickle_kw = keywords.get("allow_pickle")
            if pickle_kw is not None and not (isinstance(pickle_kw, ast.Constant)
                                              and pickle_kw.value is False):
                problems.append(f"{rel}:{node.lineno}: allow_pickle is not False")
            if isinstance(node.func, ast.Attribute) and node.func.attr == "load" and \
                    ast.unparse(node.func.value) in ("np", "numpy") and pickle_kw is None:
                problems.append(f"{rel}:{node.lineno}: np.load without allow_pickle=False")
    assert not problems, "\n".join(problems)


def test_the_check_finds_what_it_looks_for(tmp_path):
    """The scan above is not vacuous: planted offences are found, mentions in text are not."""
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nx = eval('1')\napp.exec()\n'eval( in a string'\n"
                   "# exec( in a comment\n")
    found = [(name, dotted) for name, _, dotted in identifiers(bad)
             if name in FORBIDDEN_MODULES | FORBIDDEN_CALLS]
    assert found == [("pickle", False), ("eval", False), ("exec", True)]


def test_np_load_call_sites_pass_allow_pickle_false():
    sites = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "load" and ast.unparse(node.func.value) in ("np", "numpy"):
                value = {k.arg: k.value for k in node.keywords}.get("allow_pickle")
                sites.append((path.name, isinstance(value, ast.Constant) and value.value is False))
    assert sites, "no np.load call found: the check would be vacuous"
    assert all(ok for _, ok in sites), sites


def test_network_libraries_only_in_core_download():
    users = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES:
                    users.add((path.relative_to(ROOT).as_posix(), name.split(".")[0]))
    # core/download_errors.py imports them only to name their exception types in words
    assert {p for p, _ in users} <= {"core/download.py", "core/download_errors.py"}, users
    words = (ROOT / "core/download_errors.py").read_text()
    assert not any(call in words for call in ("urlopen", "create_connection", "socket(",
                                              "build_opener", "HTTPConnection(", ".connect("))


# ------------------------------------------------------------ files that try to run code


class MakeFolder:
    """Unpickling this makes a folder: proof that code ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (str(self.path),)


def npy_with_header(text: str) -> bytes:
    raw = text.encode("latin1")
    raw += b" " * (-(10 + len(raw) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(raw).to_bytes(2, "little") + raw


def test_files_built_to_run_code_are_refused_and_run_nothing(tmp_path, rng):
    marker = tmp_path / "code-ran"
    payload = np.empty(1, dtype=object)
    payload[0] = MakeFolder(marker)
    buf = io.BytesIO()
    np.save(buf, payload, allow_pickle=True)
    pickled = buf.getvalue()
    assert pickle.loads(pickle.dumps(MakeFolder(tmp_path / "probe"))) is None
    assert (tmp_path / "probe").is_dir()  # the payload does work when unpickled
    code = npy_with_header(f"{{'descr': __import__('os').mkdir({str(marker)!r}), "
                           "'fortran_order': False, 'shape': (1,)}")
    net = Network([784, 4, 10], rng=rng)
    model = save_model(tmp_path / "m.npz", net).read_bytes()
    with zipfile.ZipFile(io.BytesIO(model)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    x, y = fake_mnist(3, rng)
    cases = []
    for name, member in (("pickle", pickled), ("header code", code)):
        for target in ("w0.npy", "header.npy"):
            cases.append((f"model {target}: {name}", "m.npz", load_model,
                          zip_bytes(members | {target: member})))
        keras = {"x_train.npy": npy_bytes(x), "y_train.npy": npy_bytes(y)}
        cases.append((f"npz x_train: {name}", "mnist.npz", load_keras_npz,
                      zip_bytes(keras | {"x_train.npy": member})))
        cases.append((f"model, bare .npy: {name}", "bare.npz", load_model, member))
    for case, name, load, content in cases:
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises((ModelFileError, DataError)) as info:
            load(path)
        assert name in str(info.value), case
        assert not marker.exists(), f"{case}: the file's code ran"
        reliability.count("bad_input")


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def npy_bytes(array) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


# -------------------------------------------------------------------------------- downloads


def test_download_refuses_anything_but_the_https_mirrors(tmp_path, monkeypatch):
    assert download.MIRRORS and all(
        urllib.parse.urlsplit(m).scheme == "https" for m in download.MIRRORS)
    # non-https mirrors are refused; plain http only for loopback, and only in test mode
    for mirror in ("http://ossci-datasets.s3.amazonaws.com/mnist/", "ftp://127.0.0.1/",
                   "file:///tmp/", "http://127.0.0.1:8000/", "http://10.0.0.1/",
                   "//example.com/", "example.com/mnist/"):
        with pytest.raises(ConfigError):
            download.download_mnist(tmp_path, mirrors=(mirror,))
    with pytest.raises(ConfigError):
        download.download_mnist(tmp_path, mirrors=("http://10.0.0.1/",),
                                allow_insecure_localhost=True)
    # by default: exactly the listed mirrors, each over https, nothing else
    asked = []

    class Recorder:
        def open(self, request, timeout=None):
            asked.append(request.full_url)
            raise urllib.error.URLError("offline (test)")

    monkeypatch.setattr(download, "_opener", lambda url: Recorder())
    with pytest.raises(DownloadError):
        download.download_mnist(tmp_path / "d")
    first = next(iter(download.FILES))
    assert asked == [m + first for m in download.MIRRORS]
    # the only URLs written in the source are the mirrors, and the links of the window's help
    # pages (an <a href> the user's browser opens; the app never fetches them)
    urls = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if "ffn_gui" in path.parts:
                    text = re.sub(r'<a href="https?://[^"]*">', "", text)
                if "://" in text:
                    urls.add(node.value)
    assert urls <= set(download.MIRRORS), urls - set(download.MIRRORS)


# ------------------------------------------------------------------ no other network access


class NetworkRecorder:
    """Records every outgoing connection (and name lookup); refuses them unless allowed."""

    def __init__(self, monkeypatch, allow: bool):
        self.seen: list[str] = []
        self.allow = allow
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_getaddrinfo, real_create = socket.getaddrinfo, socket.create_connection

        def record(what):
            self.seen.append(str(what))
            if not self.allow:
                raise OSError(f"network access in a test: {what}")

        def connect(sock, address):
            record(address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            record(address)
            return real_connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            record(("lookup", host))
            return real_getaddrinfo(host, *args, **kwargs)

        def create_connection(address, *args, **kwargs):
            record(address)
            return real_create(address, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture
def offline(monkeypatch):
    return NetworkRecorder(monkeypatch, allow=False)


def engine_paths(tmp_path: Path, rng) -> dict:
    """The engine's main paths, each a function; none of them should touch the network."""
    folder = write_blob_folder(tmp_path / "mnist", rng, 300, 100)
    images, labels = fake_mnist(5, rng)
    csv = write_kaggle_csv(tmp_path / "train.csv", images, labels)
    test_csv = write_kaggle_csv(tmp_path / "test.csv", images, None)
    npz = write_keras_npz(tmp_path / "mnist.npz", images, labels)
    write_mnist_folder(tmp_path / "raw", 5, 0, rng, gz=False)
    model = tmp_path / "m.npz"

    def train_and_save():
        mnist = load_data(folder)
        config = TrainConfig(hidden=(8,), epochs=1, batch_size=20, validation=0)
        net = config.make_network()
        train(net, config, mnist.train)
        save_model(model, net, config=config)

    return {
        "load IDX folder": lambda: load_data(folder),
        "load raw IDX": lambda: load_idx(tmp_path / "raw" / IDX_NAMES["train", "images"]),
        "load Kaggle CSV": lambda: load_kaggle_csv(csv),
        "load Keras NPZ": lambda: load_keras_npz(npz),
        "train and save": train_and_save,
        "load model": lambda: load_model(model),
        "cli train": lambda: cli(["train", "--data", str(folder), "--preset", "default",
                                  "--epochs", "1", "--hidden", "8", "--validation", "0",
                                  "--out", str(tmp_path / "cli.npz"), "--no-augment"]),
        "cli evaluate": lambda: cli(["evaluate", "--model", str(tmp_path / "cli.npz"),
                                     "--data", str(folder)]),
        "cli predict": lambda: cli(["predict", "--model", str(tmp_path / "cli.npz"),
                                    str(test_csv), "--out", str(tmp_path / "submission.csv")]),
    }


def test_engine_paths_make_no_network_access(tmp_path, rng, offline, capsys):
    for name, run in engine_paths(tmp_path, rng).items():
        result = run()
        assert offline.seen == [], f"{name} opened a network connection: {offline.seen}"
        if isinstance(result, int):  # the command line's exit status
            assert result == 0, f"{name} failed: {capsys.readouterr()}"
        reliability.count("network_checks")
    capsys.readouterr()


def test_the_recorder_sees_a_download(tmp_path, monkeypatch):
    """The recorder is not blind: a download to a local server is seen, and only it."""
    server = mirrors.Server()
    try:
        recorder = NetworkRecorder(monkeypatch, allow=True)
        mirrors.fetch(server, tmp_path)
        port = server.httpd.server_address[1]
        assert recorder.seen and all(str(port) in s or "127.0.0.1" in s for s in recorder.seen)
        recorder.allow = False
        with pytest.raises(DownloadError):  # refused by the recorder: every mirror fails
            mirrors.fetch(server, tmp_path / "again")
    finally:
        server.close()
    reliability.count("network_checks")


def test_the_recorder_catches_a_direct_connection(offline):
    """The recorder works at the socket level, below urllib and http.client."""
    with pytest.raises(OSError, match="network access"):
        http.client.HTTPConnection("example.invalid", 80, timeout=1).connect()
    assert offline.seen == ["('example.invalid', 80)"]
