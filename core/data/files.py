"""Opening data files safely, and the loaders' contract: every failure is a ``DataError``
naming the file.

Only regular files are opened (a FIFO would block the reader for ever), checked on the open
handle; reads grow their buffer only as data arrives, so no size a file merely claims is
allocated. ``MAX_BYTES`` bounds any array a file may declare.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from ..errors import DataError, FFNError

T = TypeVar("T")
MAX_BYTES = 2**30  # largest array a file may declare (MNIST's training images are 47 MB)
_CHUNK = 2**20


UNFORESEEN = "unforeseen error"  # in the message of a failure no check below anticipated


def only_data_errors(load: Callable[..., T]) -> Callable[..., T]:
    """The loaders' contract, kept even for a failure no check anticipated: whatever goes wrong
    reading ``path`` is a DataError that names it. (Tests fail on messages with UNFORESEEN in
    them, so such a failure is still found and given its own check and message.)"""

    @functools.wraps(load)
    def guarded(*args, **kwargs):
        try:
            return load(*args, **kwargs)
        except FFNError:
            raise
        except Exception as e:
            path = next(iter((*args, *kwargs.values())), None) or "MNIST data"
            if isinstance(e, MemoryError):
                raise DataError(f"{path}: too large to load (out of memory)") from None
            raise DataError(f"{path}: cannot be read ({UNFORESEEN}: {type(e).__name__}: "
                            f"{e})") from None

    return guarded


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """Open a regular file for binary reading; any other kind of path is an OSError.

    The check is made on the opened file (fstat), so what is read is what was checked, and the
    open does not block, so a FIFO (named pipe) is refused instead of waiting for a writer.
    A folder raises IsADirectoryError; a pipe, device or socket an OSError with errno EINVAL.
    """
    fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory (folder), not a file", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, device or socket)", str(path))
        if _O_NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def open_binary(path: Path) -> BinaryIO:
    """``open_regular(path)``, or DataError saying why the file cannot be opened."""
    try:
        return open_regular(path)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found (no such file)") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory (folder), not a file") from None
    except PermissionError:
        raise DataError(f"{path}: cannot be read: permission denied") from None
    except OSError as e:
        raise DataError(f"{path}: cannot be opened: {e.strerror or e}") from None
    except ValueError:  # a NUL character in the path
        raise DataError(f"{path!r}: is not a valid file name") from None


def read_upto(stream: BinaryIO, n: int) -> bytearray:
    """Read at most ``n`` bytes, growing the buffer only as data arrives."""
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(min(n - len(buf), _CHUNK))
        if not chunk:
            break
        buf += chunk
    return buf


def path_exists(path: Path) -> bool:
    """Whether ``path`` exists; DataError when it cannot be told (e.g. permission denied)."""
    try:
        os.stat(path)
        return True
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as e:
        raise DataError(f"{path}: cannot be accessed: {e.strerror or e}") from None
    except ValueError:  # a NUL character in the path
        raise DataError(f"{path!r}: is not a valid path") from None
