"""Download failures in words, against real conditions on this machine: a port nobody listens on
(refused), a server that never answers (timeout), a name that cannot exist (DNS), a mirror that
answers 403/404/5xx, and no network at all (a process in its own empty network namespace, where
nothing can leave the machine). No traffic goes anywhere but 127.0.0.1 and, for the name, the
machine's own resolver.
"""

import os
import shutil
import socket
import subprocess
import sys
import time

from pathlib import Path

import pytest
from helpers.mirrors import Server, fetch

import core
from core.download import FILES, MIRRORS
from core.download_errors import HEADLINES, MIXED
from core.errors import DownloadError

HANG = 8  # seconds after which a test has hung; its timeouts are 0.5 s


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then closed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def failure(server, tmp_path, mirrors, **kwargs) -> str:
    with pytest.raises(DownloadError) as info:
        fetch(server, tmp_path / "d", mirrors=mirrors, **kwargs)
    assert not (tmp_path / "d").exists() or list((tmp_path / "d").iterdir()) == []
    return str(info.value)


def assert_explained(message: str, headline: str, mirror: str) -> None:
    """The sentence first, then the way round it naming the folder commands, then details."""
    assert message.startswith(headline + "\n\nOr download a.gz and b.gz by hand"), message
    assert "File → Open MNIST folder…" in message and "--data FOLDER" in message
    assert f"\n  {mirror}: " in message and "[Errno" not in message


def test_a_refused_connection(server, tmp_path):
    mirror = f"http://127.0.0.1:{closed_port()}/m/"
    message = failure(server, tmp_path, (mirror,))
    assert_explained(message, HEADLINES["refused"], mirror)
    assert message.endswith("connection refused (nothing accepts connections there)")


def test_a_server_that_never_answers(server, tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel does), never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        mirror = f"http://127.0.0.1:{silent.getsockname()[1]}/m/"
        start = time.perf_counter()
        message = failure(server, tmp_path, (mirror,), timeout=0.5)
        assert time.perf_counter() - start < HANG
    assert_explained(message, HEADLINES["timeout"].format(timeout=0.5), mirror)
    assert "did not answer within 0.5 s" in message


def test_a_name_that_cannot_be_looked_up(server, tmp_path):
    try:
        socket.getaddrinfo("nonexistent.invalid", 443)
        pytest.fail("nonexistent.invalid resolved: this machine's resolver lies")
    except socket.gaierror as e:
        # on a machine with no resolver at hand the lookup fails as "no connection"
        kind = "offline" if e.errno == socket.EAI_AGAIN else "dns"
    mirror = "https://nonexistent.invalid/mnist/"
    message = failure(server, tmp_path, (mirror,))
    assert_explained(message, HEADLINES[kind], mirror)
    assert "cannot look up the server's name (" in message
    if kind == "dns":
        assert "names could not be looked up (DNS)" in message


@pytest.mark.parametrize("code, words", [(403, "HTTP 403 Forbidden"),
                                         (404, "HTTP 404 Not Found"),
                                         (503, "HTTP 503 Service Unavailable")])
def test_a_mirror_that_refuses_the_file(server, tmp_path, code, words):
    server.script[("m1", "a.gz")] = ("status", code)
    message = failure(server, tmp_path, server.mirrors[:1])
    assert_explained(message, HEADLINES["http"].format(codes=words), server.mirrors[0])
    assert f"would not send the file ({words})" in message


def test_mirrors_failing_differently_get_the_general_sentence(server, tmp_path):
    server.script[("m1", "a.gz")] = ("status", 404)
    refused = f"http://127.0.0.1:{closed_port()}/m/"
    message = failure(server, tmp_path, (server.mirrors[0], refused))
    assert_explained(message, MIXED, server.mirrors[0])
    assert "HTTP error 404 Not Found" in message and "connection refused" in message


def _no_network(*argv: str) -> subprocess.CompletedProcess:
    """Run this Python in a new, empty network namespace: no interface is up, so nothing can
    leave the machine (lookups and connections fail as on a computer that is offline)."""
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to make a network namespace with no network")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, text=True)
    if probe.returncode:
        pytest.skip(f"cannot make a network namespace: {probe.stderr.strip()}")
    return subprocess.run([unshare, "-n", sys.executable, *argv], capture_output=True,
                          text=True, timeout=60, cwd=Path(core.__file__).parent.parent)


def test_ffn_download_with_no_network_says_so(tmp_path):
    run = _no_network("-m", "core.cli", "download", "--dest", str(tmp_path / "mnist"))
    assert run.returncode == 2, run.stderr
    err = run.stderr[run.stderr.index("ffn: error:"):]
    assert err.startswith("ffn: error: " + HEADLINES["offline"]), err
    assert "Traceback" not in run.stderr and "[Errno" not in err
    for mirror in MIRRORS:
        assert f"\n  {mirror}: cannot look up the server's name" in err
    assert " and ".join([", ".join(list(FILES)[:-1]), list(FILES)[-1]]) in err
    assert list((tmp_path / "mnist").iterdir()) == []


def test_a_loopback_mirror_with_no_network_is_unreachable(tmp_path):
    code = ("from core.download import download_mnist\n"
            "try:\n"
            f"    download_mnist({str(tmp_path)!r}, mirrors=('http://127.0.0.1:9/m/',),\n"
            "                   files={'a.gz': '0' * 32}, allow_insecure_localhost=True)\n"
            "except Exception as e:\n"
            "    print(e)\n")
    run = _no_network("-c", code)
    assert run.stdout.startswith(HEADLINES["offline"]), run.stdout + run.stderr
    assert "cannot connect: Network is unreachable" in run.stdout
