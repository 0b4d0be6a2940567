"""The header of a ``.npy`` array (a member of an ``.npz``), read and checked before its data.

Both Keras' ``mnist.npz`` and our model files are zip archives of ``.npy`` members. Before any
array is allocated, ``read_header`` reads the member's magic and header and refuses what must
never be loaded: an unknown format version, a header numpy cannot parse (it is parsed with
``ast``: anything can come out), negative sizes, and Python objects (which would need
unpickling). ``nbytes`` is what the header says the data takes, to compare with limits and with
the member's real size.
"""

from __future__ import annotations

import math
import zipfile
from typing import BinaryIO

import numpy as np

from .errors import FFNError


def read_header(member: BinaryIO, where: object, key: str,
                error: type[FFNError]) -> tuple[tuple[int, ...], bool, np.dtype]:
    """(shape, fortran_order, dtype) of the .npy array at ``member``'s position, which is left
    at the start of the data. Problems raise ``error("<where>: array '<key>' ...")``."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(member)
    except ValueError:
        raise error(f"{where}: array {key!r} is not a .npy array (bad magic string)") from None
    if version not in ((1, 0), (2, 0)):
        raise error(f"{where}: array {key!r} has an unsupported .npy version {version}")
    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    try:
        shape, fortran, dtype = read(member)
    except (OSError, EOFError, zipfile.BadZipFile):
        raise
    except Exception as e:  # noqa: BLE001 - numpy parses the header with ast/tokenize
        raise error(f"{where}: array {key!r} has a corrupt .npy header "
                    f"({type(e).__name__}: {e})") from None
    if any(n < 0 for n in shape):
        raise error(f"{where}: array {key!r} has a corrupt .npy header (negative size {shape})")
    if dtype.hasobject:
        raise error(f"{where}: array {key!r} holds Python objects (pickled data), which are "
                    "never unpickled; save plain numeric arrays")
    return shape, fortran, dtype


def nbytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    """The bytes an array of ``shape`` and ``dtype`` takes (exact, however large)."""
    return math.prod(shape) * dtype.itemsize
