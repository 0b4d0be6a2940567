"""IDX files, as LeCun published MNIST (``train-images-idx3-ubyte[.gz]`` and friends).

gzip is detected by its magic bytes, not by the file name. A header's declared sizes are
checked against the file's size and ``MAX_BYTES`` before anything of that size is read.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import ConfigError, DataError
from .dataset import SIDE, Dataset, MnistData, check_labels
from .files import MAX_BYTES, only_data_errors, open_binary, path_exists, read_upto

_IDX_TYPES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short (int16)",
              0x0C: "int (int32)", 0x0D: "float (float32)", 0x0E: "double (float64)"}


@only_data_errors
def load_idx(path: str | os.PathLike, kind: str = "auto") -> np.ndarray:
    """One IDX file, gzipped or raw: uint8 images (N, 28, 28) or labels (N,) in 0..9.

    ``kind`` is "images", "labels" or "auto" (from the file name when it says "images"/"idx3"
    or "labels"/"idx1", else from the number of dimensions).
    """
    path = Path(path)
    if kind not in ("auto", "images", "labels"):
        raise ConfigError(f"kind must be 'auto', 'images' or 'labels', not {kind!r}")
    with open_binary(path) as f:
        try:
            gz = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            if not gz:
                return _read_idx(f, path, kind, os.fstat(f.fileno()).st_size)
            with gzip.GzipFile(fileobj=f, mode="rb") as g:
                return _read_idx(g, path, kind, None)
        except DataError:
            raise
        except EOFError:
            raise DataError(f"{path}: truncated gzip data (the compressed stream ends "
                            "early)") from None
        except (OSError, zlib.error) as e:  # BadGzipFile is an OSError
            what = "corrupt gzip data" if gz else "read error"
            raise DataError(f"{path}: {what} ({e})") from None


def _idx_kind(kind: str, path: Path, ndim: int) -> str:
    if kind != "auto":
        return kind
    name = path.name.lower()
    if "labels" in name or "idx1" in name:
        return "labels"
    if "images" in name or "idx3" in name:
        return "images"
    if ndim in (1, 3):
        return "labels" if ndim == 1 else "images"
    raise DataError(f"{path}: wrong number of dimensions: {ndim}; MNIST IDX files hold images "
                    "(3-D, N x 28 x 28) or labels (1-D)")


def _read_idx(stream: BinaryIO, path: Path, kind: str, file_size: int | None) -> np.ndarray:
    ndim, dims = _read_header(stream, path)
    kind = _idx_kind(kind, path, ndim)
    what = "images" if kind == "images" else "labels"
    _check_shape(path, kind, ndim, dims)
    size = int(np.prod(dims, dtype=object))
    if size > MAX_BYTES:
        raise DataError(f"{path}: header declares {dims[0]:,} {what} ({size / 2**30:.1f} GiB), "
                        f"too large (the limit is {MAX_BYTES // 2**30} GiB); refused unread")
    header_size = 4 + 4 * ndim
    if file_size is not None and file_size != header_size + size:
        have = file_size - header_size
        if have < size:
            raise DataError(f"{path}: truncated: the header declares {dims[0]:,} {what} "
                            f"({size:,} bytes) but the file holds {have:,} bytes of data")
        raise DataError(f"{path}: extra trailing bytes: {have - size:,} bytes after the "
                        f"{dims[0]:,} {what} the header declares")
    payload = read_upto(stream, size)
    if len(payload) < size:
        raise DataError(f"{path}: truncated: the header declares {dims[0]:,} {what} "
                        f"({size:,} bytes) but the data ends after {len(payload):,} bytes")
    if stream.read(1):
        raise DataError(f"{path}: extra trailing bytes after the {dims[0]:,} {what} the header "
                        "declares")
    array = np.frombuffer(payload, dtype=np.uint8).reshape(dims)
    if kind == "labels":
        check_labels(array, path)
    return array


def _read_header(stream: BinaryIO, path: Path) -> tuple[int, tuple[int, ...]]:
    """(ndim, dims) from an IDX header of unsigned bytes; DataError for anything else."""
    head = read_upto(stream, 4)
    if not head:
        raise DataError(f"{path}: is empty (0 bytes of data)")
    if len(head) < 4:
        raise DataError(f"{path}: truncated header ({len(head)} bytes; an IDX header needs at "
                        "least 4)")
    if head[:2] != b"\0\0":
        raise DataError(f"{path}: bad magic number 0x{head.hex()}: not an IDX file")
    code, ndim = head[2], head[3]
    if code != 0x08:
        if code in _IDX_TYPES:
            raise DataError(f"{path}: unsupported data type {_IDX_TYPES[code]} (0x{code:02x}); "
                            "only unsigned bytes (0x08) are supported")
        raise DataError(f"{path}: bad magic number: unknown IDX data type code 0x{code:02x}")
    if ndim == 0:
        raise DataError(f"{path}: bad header: declares 0 dimensions")
    raw_dims = read_upto(stream, 4 * ndim)
    if len(raw_dims) < 4 * ndim:
        raise DataError(f"{path}: truncated header (declares {ndim} dimensions, but the file "
                        "ends inside the list of sizes)")
    return ndim, struct.unpack(f">{ndim}I", raw_dims)


def _check_shape(path: Path, kind: str, ndim: int, dims: tuple[int, ...]) -> None:
    """DataError unless ``dims`` are MNIST's for ``kind``: N x 28 x 28 images or N labels,
    N > 0."""
    if kind == "images" and ndim != 3:
        raise DataError(f"{path}: wrong number of dimensions for images: {ndim} "
                        f"(shape {dims}); images must be 3-D, N x 28 x 28")
    if kind == "images" and dims[1:] != (SIDE, SIDE):
        raise DataError(f"{path}: images are {dims[1]}x{dims[2]}; MNIST images must be 28x28")
    if kind == "labels" and ndim != 1:
        raise DataError(f"{path}: wrong number of dimensions for labels: {ndim} "
                        f"(shape {dims}); labels must be 1-D")
    if dims[0] == 0:
        what = "images" if kind == "images" else "labels"
        raise DataError(f"{path}: contains no {what} (the header declares 0)")


def idx_candidates(split: str, kind: str) -> list[str]:
    n = 3 if kind == "images" else 1
    names = [f"{split}-{kind}-idx{n}-ubyte", f"{split}-{kind}.idx{n}-ubyte"]
    return [name + ext for name in names for ext in (".gz", "")]


def find_idx(folder: Path, split: str, kind: str) -> Path | None:
    for name in idx_candidates(split, kind):
        if path_exists(folder / name):
            return folder / name
    return None


@only_data_errors
def load_idx_folder(folder: str | os.PathLike) -> MnistData:
    """The IDX files in ``folder``: train images and labels required, t10k (test) optional."""
    folder = _idx_folder(folder)
    train = load_idx_split(folder, "train")
    test = load_idx_split(folder, "t10k", required=False)
    return MnistData(train, test, str(folder))


@only_data_errors
def load_idx_split(folder: str | os.PathLike, split: str, required: bool = True) -> Dataset | None:
    """One split's pair of IDX files in ``folder`` ("train" or "t10k"): a labelled Dataset, or
    None when neither file is there and the split is not ``required``."""
    folder = _idx_folder(folder)
    paths = {kind: find_idx(folder, split, kind) for kind in ("images", "labels")}
    if None in paths.values():
        if not required and paths["images"] is paths["labels"] is None:
            return None
        missing = [idx_candidates(split, k)[0] for k, p in paths.items() if p is None]
        raise DataError(f"{folder}: missing MNIST file {' and '.join(missing)} (also looked "
                        "for the names without .gz and with '.idx' instead of '-idx')")
    images = load_idx(paths["images"], "images")
    labels = load_idx(paths["labels"], "labels")
    if len(images) != len(labels):
        raise DataError(f"{folder}: count mismatch: {paths['images'].name} holds "
                        f"{len(images):,} images but {paths['labels'].name} holds "
                        f"{len(labels):,} labels")
    return Dataset(images, labels, str(paths["images"]))


def _idx_folder(folder: str | os.PathLike) -> Path:
    folder = Path(folder)
    if not path_exists(folder):
        raise DataError(f"{folder}: folder not found (no such folder)")
    if not folder.is_dir():
        raise DataError(f"{folder}: is a file, not a folder of IDX files")
    return folder
