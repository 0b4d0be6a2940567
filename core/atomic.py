"""Atomic file writes: a reader (or a crash) sees the old file or the complete new one.

The data goes to a temporary file in the target's own folder (``os.replace`` is atomic only
within one file system), is flushed and fsynced, gets the permissions of an ordinary new file,
and is then renamed over the target, and the folder is fsynced so the rename is on disk too. On
any failure the temporary file is removed and the target is untouched. Model saves, ``ffn
predict`` submissions, plot exports and my digits use this.

A failed write is a ``WriteError`` whose message names the file and says why in words
(``write_error``: the one place that turns an errno into a sentence, used by every writer, the
download too). ``check_writable`` writes and removes a probe file of a given size, so a long
run can learn before it starts that its result will not fit.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import WriteError

_UMASK = os.umask(0o022)  # read once (the only portable way is to set it), then put back
os.umask(_UMASK)


def _temp_beside(path: Path, suffix: str) -> tuple[int, str]:
    """A new hidden file in ``path``'s folder (fd, name); a WriteError naming ``path`` if not."""
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as e:
        raise write_error(e, path) from None


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """``with atomic_open(path) as f: f.write(...)``: ``path`` is replaced when the block ends
    without an exception, and left as it was otherwise. ``mode`` is "wb" or "w" (text; kwargs
    such as ``newline`` and ``encoding`` go to ``open``)."""
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes a whole new file: mode 'wb' or 'w', not {mode!r}")
    path = Path(path)
    fd, tmp = _temp_beside(path, ".tmp")
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; this is an ordinary file
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, WriteError) and e.errno is not None:
            raise write_error(e, path) from None
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the rename to disk too (where the platform can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``data`` (text is written with ``encoding``, newlines as given)."""
    if isinstance(data, str):
        with atomic_open(path, "w", encoding=encoding, newline="") as f:
            f.write(data)
    else:
        with atomic_open(path, "wb") as f:
            f.write(data)
    return Path(path)


_REASONS = {  # errno -> why, in words; {path} is the file, {folder} its folder (Windows has no
    # EDQUOT: its key is then a string no errno matches)
    errno.ENOSPC: "no space left on the device holding {path}: free some space there or save "
                  "elsewhere",
    getattr(errno, "EDQUOT", "EDQUOT"): "the disk quota is used up on the device holding "
                                        "{path}: free some space or save elsewhere",
    errno.EACCES: "cannot write {path}: permission denied (choose a folder you may write to)",
    errno.EPERM: "cannot write {path}: operation not permitted (choose a folder you may write "
                 "to)",
    errno.EROFS: "cannot write {path}: the device holding it is read-only",
    errno.ENOENT: "cannot write {path}: the folder {folder} does not exist",
    errno.ENOTDIR: "cannot write {path}: part of the folder path {folder} is a file",
    errno.EISDIR: "cannot write {path}: it is a folder",
    errno.ENAMETOOLONG: "cannot write {path}: the file name is too long",
    errno.EFBIG: "cannot write {path}: the file is too large for the device holding it",
    errno.EIO: "cannot write {path}: input/output error on the device holding it (is it "
               "failing, or was it removed?)",
}


def write_error(e: OSError, path: str | os.PathLike) -> WriteError:
    """A WriteError for ``e`` (raised writing ``path``) that names the file and says why."""
    path = Path(path)
    template = _REASONS.get(e.errno, "cannot write {path}: {why}")
    error = WriteError(template.format(path=path, folder=path.parent,
                                       why=e.strerror or e))
    error.errno = e.errno
    return error


def check_writable(path: str | os.PathLike, nbytes: int) -> None:
    """Raise WriteError unless ``path``'s folder exists and takes a new file of ``nbytes``
    beside what is there: a probe file of that size is written, synced and removed."""
    path = Path(path)
    fd, probe = _temp_beside(path, ".probe")
    try:
        with os.fdopen(fd, "wb") as f:
            block, left = bytes(min(nbytes, 2**20)), nbytes
            while left > 0:
                left -= f.write(block[:left])
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise write_error(e, path) from None
    finally:
        try:
            os.unlink(probe)
        except OSError:
            pass
