"""Keras' ``mnist.npz`` (``x_train, y_train, x_test, y_test``), read without unpickling: each
member's .npy header is checked (``core.npy``) and its size bounded before it is read."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .. import npy
from ..errors import DataError
from .dataset import PIXELS, SIDE, Dataset, MnistData
from .files import MAX_BYTES, only_data_errors, open_binary, read_upto

_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


@only_data_errors
def load_keras_npz(path: str | os.PathLike) -> MnistData:
    """Keras' mnist.npz: x_train (N, 28, 28) or (N, 784) in 0..255, y_train (N,) in 0..9, and
    optionally x_test, y_test. Never unpickles; refuses oversized arrays before reading them."""
    path = Path(path)
    with open_binary(path) as f:
        try:
            magic = f.read(4)
            if not magic:
                raise DataError(f"{path}: is empty (0 bytes)")
            if magic.startswith(b"\x93NUM"):
                raise DataError(f"{path}: is a single .npy array, not an .npz archive "
                                "(expected x_train, y_train, x_test, y_test)")
            if magic[:2] != b"PK":
                raise DataError(f"{path}: not an .npz file (not a zip archive)")
            f.seek(0)
            with zipfile.ZipFile(f) as zf:
                arrays = _read_npz(zf, path)
        except DataError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
            raise DataError(f"{path}: corrupt or truncated .npz (zip) archive ({e})") from None
        except (OSError, ValueError, zlib.error, struct.error, NotImplementedError,
                RuntimeError, KeyError, UnicodeError) as e:
            raise DataError(f"{path}: corrupt or unreadable .npz archive ({e})") from None
    sets = {}
    for split in ("train", "test"):
        x, y = arrays.get(f"x_{split}"), arrays.get(f"y_{split}")
        if x is None and y is None and split == "test":
            sets[split] = None
            continue
        if x is None or y is None:
            missing = f"x_{split}" if x is None else f"y_{split}"
            raise DataError(f"{path}: missing key (array) {missing!r}; a Keras MNIST .npz holds "
                            "x_train, y_train, x_test, y_test")
        sets[split] = _npz_dataset(x, y, path, split)
    return MnistData(sets["train"], sets["test"], str(path))


def _read_npz(zf: zipfile.ZipFile, path: Path) -> dict[str, np.ndarray]:
    arrays = {}
    for info in zf.infolist():
        key = info.filename.removesuffix(".npy")
        if key not in _NPZ_KEYS:
            continue
        if key in arrays:
            raise DataError(f"{path}: array {key!r} is in the archive twice (a damaged or "
                            "tampered .npz)")
        if info.file_size > MAX_BYTES + 4096:
            raise DataError(f"{path}: array {key!r} would expand to "
                            f"{info.file_size / 2**30:.1f} GiB, too large (the limit is "
                            f"{MAX_BYTES // 2**30} GiB); refused unread")
        with zf.open(info) as member:
            arrays[key] = _read_npy(member, path, key)
    return arrays


def _read_npy(fp: BinaryIO, path: Path, key: str) -> np.ndarray:
    shape, fortran, dtype = npy.read_header(fp, path, key, DataError)
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise DataError(f"{path}: array {key!r} has unsupported dtype {dtype}; expected "
                        "integers or floats")
    size = npy.nbytes(shape, dtype)
    if size > MAX_BYTES:
        raise DataError(f"{path}: array {key!r} of shape {shape} would take "
                        f"{size / 2**30:.1f} GiB, too large (the limit is "
                        f"{MAX_BYTES // 2**30} GiB); refused unread")
    data = read_upto(fp, size)
    if len(data) < size:
        raise DataError(f"{path}: array {key!r} is truncated ({len(data):,} of {size:,} bytes)")
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _npz_dataset(x: np.ndarray, y: np.ndarray, path: Path, split: str) -> Dataset:
    xk, yk = f"x_{split}", f"y_{split}"
    if not (x.ndim == 3 and x.shape[1:] == (SIDE, SIDE) or x.ndim == 2 and x.shape[1] == PIXELS):
        raise DataError(f"{path}: {xk} has wrong shape {x.shape}; expected (N, 28, 28) or "
                        "(N, 784)")
    if y.ndim != 1:
        raise DataError(f"{path}: {yk} has wrong shape {y.shape}; expected (N,)")
    if len(x) != len(y):
        raise DataError(f"{path}: count mismatch: {xk} holds {len(x):,} images but {yk} holds "
                        f"{len(y):,} labels")
    if len(x) == 0:
        raise DataError(f"{path}: {xk} contains no images")
    images = _as_uint8(x, path, xk, 255).reshape(len(x), SIDE, SIDE)
    labels = _as_uint8(y, path, yk, 9)
    return Dataset(np.ascontiguousarray(images), np.ascontiguousarray(labels), f"{path} {split}")


def _as_uint8(a: np.ndarray, path: Path, key: str, top: int) -> np.ndarray:
    if a.dtype == np.bool_:
        raise DataError(f"{path}: {key} holds booleans; expected numbers 0..{top}")
    if a.dtype.kind == "f":
        if not np.isfinite(a).all():
            raise DataError(f"{path}: {key} holds NaN or infinite values")
        if (a != np.round(a)).any():
            raise DataError(f"{path}: {key} holds non-integer values; expected whole numbers "
                            f"0..{top}")
    if a.min() < 0 or a.max() > top:
        raise DataError(f"{path}: {key} holds values out of range (from {a.min():g} to "
                        f"{a.max():g}); expected whole numbers 0..{top}")
    return a.astype(np.uint8)
