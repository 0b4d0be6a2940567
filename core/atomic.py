"""Atomic file writes: a reader (or a crash) sees the old file or the complete new one.

The data goes to a temporary file in the target's own folder (``os.replace`` is atomic only
within one file system), is flushed and fsynced, gets the permissions of an ordinary new file,
and is then renamed over the target, and the folder is fsynced so the rename is on disk too. On any failure the temporary file is removed and the
target is untouched. Model saves, ``ffn predict`` submissions and any user data use this.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_UMASK = os.umask(0o022)  # read once (the only portable way is to set it), then put back
os.umask(_UMASK)


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """``with atomic_open(path) as f: f.write(...)``: ``path`` is replaced when the block ends
    without an exception, and left as it was otherwise. ``mode`` is "wb" or "w" (text; kwargs
    such as ``newline`` and ``encoding`` go to ``open``)."""
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes a whole new file: mode 'wb' or 'w', not {mode!r}")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; this is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
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
