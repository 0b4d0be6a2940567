"""Downloading MNIST: the four IDX .gz files from https mirrors, each checked against its md5.

A file streams (64 KiB reads) into a temporary ``.partial-*`` file in the destination folder, is
verified, and only then renamed to its final name, so the folder only ever holds complete,
verified files; on any failure or cancel the temporary file is deleted. A mirror that fails for
a file (HTTP error, refused connection, a stall longer than ``timeout`` seconds, a connection cut
before Content-Length bytes, a wrong checksum) hands over to the next mirror; when every mirror
has failed, DownloadError says in a sentence what went wrong and what to do, then why each
mirror failed (``download_errors``). Files already present with the right md5 are kept.
Standard library only (urllib).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .atomic import write_error
from .data import default_data_dir
from .download_errors import BadDownload, explain, network_failure
from .errors import ConfigError, DownloadCancelled, DownloadError

MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
SIZES: dict[str, int] = {  # for progress before a server has sent Content-Length
    "train-images-idx3-ubyte.gz": 9_912_422,
    "train-labels-idx1-ubyte.gz": 28_881,
    "t10k-images-idx3-ubyte.gz": 1_648_877,
    "t10k-labels-idx1-ubyte.gz": 4_542,
}
TOTAL_BYTES: int = sum(SIZES.values())  # 11,594,722
CHUNK = 64 * 1024
MAX_FILE_BYTES = 256 * 2**20  # a server that keeps sending past this is not serving MNIST
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

Cancel = threading.Event | Callable[[], bool] | None


def download_mnist(
    dest: str | os.PathLike | None = None,
    progress: Callable[[int, int], object] | None = None,
    *,
    mirrors: Sequence[str] = MIRRORS,
    files: Mapping[str, str] = FILES,
    timeout: float = 30.0,
    cancel: Cancel = None,
    allow_insecure_localhost: bool = False,
) -> Path:
    """Download ``files`` (name -> md5) into ``dest`` (default ``default_data_dir()``).

    ``progress(done_bytes, total_bytes)`` is called after every chunk of at most 64 KiB.
    ``cancel`` (an Event, or a callable returning True) stops with DownloadCancelled.
    ``timeout`` bounds every connect and every read: a server silent that long fails.
    Returns the folder. Raises DownloadError when a file cannot be had from any mirror.
    """
    mirrors = [_check_mirror(m, allow_insecure_localhost) for m in mirrors]
    if not mirrors:
        raise ConfigError("no download mirrors given")
    for name, md5 in files.items():
        if not re.fullmatch(r"[\w.-]+", name) or name.startswith("."):
            raise ConfigError(f"download file name {name!r} is not a plain file name")
        if not re.fullmatch(r"[0-9a-f]{32}", md5):
            raise ConfigError(f"md5 of {name} must be 32 hex digits, got {md5!r}")
    if not timeout > 0:
        raise ConfigError(f"download timeout must be positive, got {timeout}")
    cancelled = _cancel_test(cancel)
    dest = Path(dest) if dest is not None else default_data_dir()
    _stop_if(cancelled, dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError(f"cannot create the download folder {dest}: "
                            f"{e.strerror or e}") from None
    todo = [name for name, md5 in files.items() if not _verified(dest / name, md5)]
    meter = _Meter(progress, {name: SIZES.get(name, 0) for name in todo})
    for name in todo:
        _stop_if(cancelled, dest)
        meter.start()
        try:
            good = _download_file(name, files[name], dest, mirrors, timeout, meter, cancelled)
        except _AllMirrorsFailed as failed:
            raise DownloadError(explain(failed.name, failed.failures, list(files), timeout)) \
                from None
        if good != mirrors[0]:  # the mirror that worked is tried first for the next file
            mirrors.remove(good)
            mirrors.insert(0, good)
    return dest


class _Meter:
    """Bytes done over bytes expected, across files; sizes improve as Content-Lengths arrive."""

    def __init__(self, callback: Callable[[int, int], object] | None, sizes: dict[str, int]):
        self.callback, self.sizes, self.finished = callback, sizes, 0

    def start(self) -> None:
        self.report(0)

    def report(self, got: int) -> None:
        if self.callback is not None:
            done = self.finished + got
            self.callback(done, max(sum(self.sizes.values()), done))

    def file_done(self, name: str, size: int) -> None:
        self.sizes[name] = size
        self.finished += size


class _AllMirrorsFailed(Exception):
    """Every mirror failed for one file: ``failures`` holds (mirror, kind, detail) each."""

    def __init__(self, name: str, failures: list[tuple[str, str, str]]) -> None:
        super().__init__(name)
        self.name, self.failures = name, failures


def _download_file(name, md5, dest, mirrors, timeout, meter, cancelled) -> str:
    """Fetch one file from the first mirror that serves it intact; return that mirror."""
    failures = []
    for mirror in mirrors:
        try:
            _fetch(mirror + urllib.parse.quote(name), dest / name, md5, timeout, meter, cancelled)
            return mirror
        except DownloadError:  # cancelled, or a local problem (disk full) no mirror can fix
            raise
        except (OSError, http.client.HTTPException, ValueError, BadDownload) as e:
            if isinstance(e, urllib.error.HTTPError):
                e.close()
            failures.append((mirror, *network_failure(e, timeout)))
            meter.report(0)
    raise _AllMirrorsFailed(name, failures)


def _fetch(url, final: Path, md5, timeout, meter: _Meter, cancelled) -> None:
    name = final.name
    request = urllib.request.Request(url, headers={"User-Agent": "ffn-gui"})
    with _opener(url).open(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length", "")
        length = int(length) if length.strip().isdigit() else None
        if length is not None:
            meter.sizes[name] = length
        try:
            tmp = tempfile.NamedTemporaryFile(dir=final.parent, prefix=".partial-", delete=False)
        except OSError as e:
            raise DownloadError(str(write_error(e, final))) from None
        try:
            with tmp:
                digest, got = hashlib.md5(), 0
                while True:
                    _stop_if(cancelled, final.parent)
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    _write(tmp, chunk, final)
                    digest.update(chunk)
                    got += len(chunk)
                    if got > MAX_FILE_BYTES:
                        raise BadDownload(f"sent more than {MAX_FILE_BYTES // 2**20} MiB")
                    meter.report(got)
                _stop_if(cancelled, final.parent)
                if length is not None and got < length:
                    raise BadDownload(f"connection cut: got {got:,} of {length:,} bytes")
                if digest.hexdigest() != md5:
                    raise BadDownload(f"checksum mismatch: md5 {digest.hexdigest()}, "
                                       f"expected {md5}")
                _write(tmp, b"", final, sync=True)
            try:
                os.replace(tmp.name, final)
            except OSError as e:
                raise DownloadError(str(write_error(e, final))) from None
            meter.file_done(name, got)
        except BaseException:
            try:
                os.unlink(tmp.name)
            except OSError:
                pass
            raise


def _write(f, chunk: bytes, final: Path, sync: bool = False) -> None:
    """Write (or flush and sync); a local write failure is a DownloadError, not a mirror's."""
    try:
        if sync:
            f.flush()
            os.fsync(f.fileno())
        else:
            f.write(chunk)
    except OSError as e:
        raise DownloadError(str(write_error(e, final))) from None


def _check_mirror(mirror: str, allow_insecure_localhost: bool) -> str:
    parts = urllib.parse.urlsplit(mirror)
    secure = parts.scheme == "https" and parts.hostname
    local = parts.scheme == "http" and parts.hostname in _LOOPBACK and allow_insecure_localhost
    if not (secure or local):
        raise ConfigError(f"download mirror {mirror!r} refused: only https mirrors are allowed")
    return mirror if mirror.endswith("/") else mirror + "/"


class _SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects within a mirror's host only, never from https down to plain http: a
    download touches no host but the listed mirrors."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.full_url.startswith("https:") and not newurl.startswith("https:"):
            raise urllib.error.HTTPError(newurl, code, "redirect to non-https refused",
                                         headers, fp)
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (new.hostname, new.port) != (old.hostname, old.port):
            raise urllib.error.HTTPError(newurl, code, f"redirect to another host "
                                         f"({new.hostname}) refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers = [_SameSchemeRedirects()]
    if urllib.parse.urlsplit(url).hostname in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send loopback to a proxy
    return urllib.request.build_opener(*handlers)


def _cancel_test(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    if callable(cancel):
        return cancel
    raise ConfigError(f"cancel must be a threading.Event or a callable, not {type(cancel)}")


def _stop_if(cancelled: Callable[[], bool], dest: Path) -> None:
    if cancelled():
        raise DownloadCancelled(f"download cancelled; nothing partial was kept in {dest}")


def _verified(path: Path, md5: str) -> bool:
    """Whether ``path`` is a file with this md5 (an unreadable one is downloaded again)."""
    try:
        digest = hashlib.md5()
        with open(path, "rb") as f:
            while chunk := f.read(2**20):
                digest.update(chunk)
        return digest.hexdigest() == md5
    except OSError:
        return False
