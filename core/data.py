"""MNIST data: the ``Dataset`` the trainer reads, and loaders for the three common file formats.

Shapes: ``images.shape == (N, 28, 28)`` uint8 (0 = background, 255 = ink), ``labels.shape == (N,)``
uint8 in 0..9 (or ``None`` for an unlabelled set). ``Dataset.inputs()`` gives the batch-as-rows
view the network takes: ``X.shape == (N, 784)`` float32 in [0, 1].

Formats:

- a folder of IDX files (``train-images-idx3-ubyte[.gz]`` and friends, as LeCun published them
  and ``download.py`` fetches them), gzip detected by its magic bytes, not by the file name;
- Kaggle's ``train.csv`` (``label,pixel0..pixel783``) and ``test.csv`` (``pixel0..pixel783``);
- Keras' ``mnist.npz`` (``x_train, y_train, x_test, y_test``), read without unpickling.

Every loader checks what it reads: a malformed, truncated, oversized or unreadable file raises
``DataError`` with the file's path and the problem, never a numpy/pandas/zlib traceback. Declared
sizes are checked against a limit before anything of that size is allocated.
"""

from __future__ import annotations

import errno
import functools
import gzip
import hashlib
import operator
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

import numpy as np
import pandas as pd
import platformdirs

from . import npy
from .errors import ConfigError, DataError, FFNError

T = TypeVar("T")

SIDE = 28
PIXELS = SIDE * SIDE
MAX_BYTES = 2**30  # largest array a file may declare (MNIST's training images are 47 MB)
_CHUNK = 2**20


@dataclass(frozen=True, eq=False)
class Dataset:
    images: np.ndarray
    labels: np.ndarray | None
    source: str = ""

    def __post_init__(self) -> None:
        im, lab = self.images, self.labels
        if not (isinstance(im, np.ndarray) and im.dtype == np.uint8 and im.shape[1:] == (28, 28)
                and im.ndim == 3 and im.flags.c_contiguous):
            raise DataError(f"{self.source or 'dataset'}: images must be a C-contiguous uint8 "
                            f"(N, 28, 28) array, got {getattr(im, 'dtype', type(im))} "
                            f"{getattr(im, 'shape', '')}")
        if lab is not None and not (isinstance(lab, np.ndarray) and lab.dtype == np.uint8
                                    and lab.shape == (len(im),)):
            raise DataError(f"{self.source or 'dataset'}: labels must be a uint8 array of shape "
                            f"({len(im)},), got {getattr(lab, 'dtype', type(lab))} "
                            f"{getattr(lab, 'shape', '')}")
        if lab is not None and len(lab) and lab.max() > 9:
            _check_labels(lab, self.source or "dataset")

    def __len__(self) -> int:
        return len(self.images)

    def inputs(self) -> np.ndarray:
        """X.shape == (N, 784) float32 in [0, 1] (a new array on every call)."""
        x = self.images.reshape(len(self), PIXELS).astype(np.float32)
        x /= np.float32(255)
        return x

    def checksum(self) -> str:
        """sha256 of the image bytes followed by the label bytes (what a model was trained on)."""
        h = hashlib.sha256(memoryview(np.ascontiguousarray(self.images)).cast("B"))  # no copy
        if self.labels is not None:
            h.update(memoryview(np.ascontiguousarray(self.labels)).cast("B"))
        return h.hexdigest()

    def split(self, n_valid: int, rng: np.random.Generator) -> tuple[Dataset, Dataset]:
        """A random disjoint (train, valid) split with ``n_valid`` examples in valid.

        Both halves keep the original order of their examples.
        """
        n_valid = _count(n_valid, "validation size")
        if not 0 <= n_valid < len(self):
            raise ConfigError(f"validation size must be in 0..{len(self) - 1} for a data set "
                              f"of {len(self)} examples, got {n_valid}")
        order = rng.permutation(len(self))
        valid, train = np.sort(order[:n_valid]), np.sort(order[n_valid:])
        return self._take(train, "train part"), self._take(valid, "validation part")

    def subset(self, n: int) -> Dataset:
        """The first ``n`` examples (ConfigError if there are fewer)."""
        n = _count(n, "subset size")
        if not 0 <= n <= len(self):
            raise ConfigError(f"cannot take {n} examples from a data set of {len(self)}")
        return self._take(slice(0, n), f"first {n}")

    def _take(self, index, what: str) -> Dataset:
        labels = None if self.labels is None else np.ascontiguousarray(self.labels[index])
        return Dataset(np.ascontiguousarray(self.images[index]), labels, f"{self.source} ({what})")


def _count(n: object, what: str) -> int:
    try:
        return operator.index(n)
    except TypeError:
        raise ConfigError(f"{what} must be a whole number, got {n!r}") from None


@dataclass(frozen=True, eq=False)
class MnistData:
    train: Dataset
    test: Dataset | None
    source: str


# ---------------------------------------------------------------------------------------- files


UNFORESEEN = "unforeseen error"  # in the message of a failure no check below anticipated


def _only_data_errors(load: Callable[..., T]) -> Callable[..., T]:
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


def _open_binary(path: Path) -> BinaryIO:
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


def _read_upto(stream: BinaryIO, n: int) -> bytearray:
    """Read at most ``n`` bytes, growing the buffer only as data arrives."""
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(min(n - len(buf), _CHUNK))
        if not chunk:
            break
        buf += chunk
    return buf


# ------------------------------------------------------------------------------------------ IDX

_IDX_TYPES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short (int16)",
              0x0C: "int (int32)", 0x0D: "float (float32)", 0x0E: "double (float64)"}


@_only_data_errors
def load_idx(path: str | os.PathLike, kind: str = "auto") -> np.ndarray:
    """One IDX file, gzipped or raw: uint8 images (N, 28, 28) or labels (N,) in 0..9.

    ``kind`` is "images", "labels" or "auto" (from the file name when it says "images"/"idx3"
    or "labels"/"idx1", else from the number of dimensions).
    """
    path = Path(path)
    if kind not in ("auto", "images", "labels"):
        raise ConfigError(f"kind must be 'auto', 'images' or 'labels', not {kind!r}")
    with _open_binary(path) as f:
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
    head = _read_upto(stream, 4)
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
    raw_dims = _read_upto(stream, 4 * ndim)
    if len(raw_dims) < 4 * ndim:
        raise DataError(f"{path}: truncated header (declares {ndim} dimensions, but the file "
                        "ends inside the list of sizes)")
    dims = struct.unpack(f">{ndim}I", raw_dims)
    kind = _idx_kind(kind, path, ndim)
    what = "images" if kind == "images" else "labels"
    if kind == "images" and ndim != 3:
        raise DataError(f"{path}: wrong number of dimensions for images: {ndim} "
                        f"(shape {dims}); images must be 3-D, N x 28 x 28")
    if kind == "images" and dims[1:] != (SIDE, SIDE):
        raise DataError(f"{path}: images are {dims[1]}x{dims[2]}; MNIST images must be 28x28")
    if kind == "labels" and ndim != 1:
        raise DataError(f"{path}: wrong number of dimensions for labels: {ndim} "
                        f"(shape {dims}); labels must be 1-D")
    if dims[0] == 0:
        raise DataError(f"{path}: contains no {what} (the header declares 0)")
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
    payload = _read_upto(stream, size)
    if len(payload) < size:
        raise DataError(f"{path}: truncated: the header declares {dims[0]:,} {what} "
                        f"({size:,} bytes) but the data ends after {len(payload):,} bytes")
    if stream.read(1):
        raise DataError(f"{path}: extra trailing bytes after the {dims[0]:,} {what} the header "
                        "declares")
    array = np.frombuffer(payload, dtype=np.uint8).reshape(dims)
    if kind == "labels":
        _check_labels(array, path)
    return array


def _check_labels(labels: np.ndarray, where: object) -> None:
    bad = np.flatnonzero(labels > 9)
    if bad.size:
        i = bad[0]
        raise DataError(f"{where}: label {labels[i]} at index {i} is out of range (labels must "
                        f"be digits 0..9; {bad.size} bad)")


def _idx_candidates(split: str, kind: str) -> list[str]:
    n = 3 if kind == "images" else 1
    names = [f"{split}-{kind}-idx{n}-ubyte", f"{split}-{kind}.idx{n}-ubyte"]
    return [name + ext for name in names for ext in (".gz", "")]


def _find_idx(folder: Path, split: str, kind: str) -> Path | None:
    for name in _idx_candidates(split, kind):
        if _exists(folder / name):
            return folder / name
    return None


@_only_data_errors
def load_idx_folder(folder: str | os.PathLike) -> MnistData:
    """The IDX files in ``folder``: train images and labels required, t10k (test) optional."""
    folder = Path(folder)
    if not _exists(folder):
        raise DataError(f"{folder}: folder not found (no such folder)")
    if not folder.is_dir():
        raise DataError(f"{folder}: is a file, not a folder of IDX files")
    sets = {}
    for split in ("train", "t10k"):
        paths = {kind: _find_idx(folder, split, kind) for kind in ("images", "labels")}
        if None in paths.values():
            if split == "t10k" and paths["images"] is paths["labels"] is None:
                sets[split] = None
                continue
            missing = [_idx_candidates(split, k)[0] for k, p in paths.items() if p is None]
            raise DataError(f"{folder}: missing MNIST file {' and '.join(missing)} (also looked "
                            "for the names without .gz and with '.idx' instead of '-idx')")
        images = load_idx(paths["images"], "images")
        labels = load_idx(paths["labels"], "labels")
        if len(images) != len(labels):
            raise DataError(f"{folder}: count mismatch: {paths['images'].name} holds "
                            f"{len(images):,} images but {paths['labels'].name} holds "
                            f"{len(labels):,} labels")
        sets[split] = Dataset(images, labels, str(paths["images"]))
    return MnistData(sets["train"], sets["t10k"], str(folder))


# ------------------------------------------------------------------------------------------ CSV

_PIXEL_NAMES = [f"pixel{i}" for i in range(PIXELS)]
_CSV_ROWS = 4096
_CSV_LINE = 1 << 20  # a Kaggle line is about 3 KB; a longer first line is not that format


@_only_data_errors
def load_kaggle_csv(path: str | os.PathLike, kind: str = "auto") -> Dataset:
    """Kaggle's digit-recognizer CSV: 'train' (label, pixel0..783), 'test' (pixel0..783 only).

    ``kind="auto"`` decides from the header. Cells must be whole numbers 0..255 (labels 0..9);
    ``12.0`` is accepted, ``12.5``, empty cells and text are not.
    """
    path = Path(path)
    if kind not in ("auto", "train", "test"):
        raise ConfigError(f"kind must be 'auto', 'train' or 'test', not {kind!r}")
    with _open_binary(path) as f:
        return _read_csv(f, path, kind)


def _read_csv(f: BinaryIO, path: Path, kind: str) -> Dataset:
    try:
        first = f.readline(_CSV_LINE)
        start = f.tell()
        second = f.readline(_CSV_LINE)
        f.seek(start)
    except OSError as e:
        raise DataError(f"{path}: read error ({e.strerror or e})") from None
    labelled = _check_csv_header(first, path, kind)
    columns = (["label"] if labelled else []) + _PIXEL_NAMES
    _check_first_row(second, path, len(columns))
    images, labels, row = [], [], 0
    try:
        # The file is read on from just after the header (checked above): header=None, so
        # pandas never takes a first row with one field too many for an index column (it would
        # drop a column with a warning).
        reader = pd.read_csv(f, engine="c", encoding="utf-8", header=None, index_col=False,
                             chunksize=_CSV_ROWS)
        with reader:
            for chunk in reader:
                if chunk.shape[1] != len(columns):
                    raise DataError(f"{path}: malformed CSV rows: the data has {chunk.shape[1]} "
                                    f"fields per row but the header names {len(columns)}")
                chunk.columns = columns
                values = _csv_values(chunk, path, row)
                if labelled:
                    _check_cells(values[:, 0], path, row, "label", 9)
                    labels.append(np.ascontiguousarray(values[:, 0], dtype=np.uint8))
                pixels = values[:, 1:] if labelled else values
                _check_cells(pixels, path, row, "pixel", 255)
                images.append(np.ascontiguousarray(pixels, dtype=np.uint8).reshape(-1, SIDE, SIDE))
                row += len(chunk)
    except DataError:
        raise
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not a text CSV file: it holds bytes that are not UTF-8 "
                        f"(binary data?) at byte {e.start}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: has a header but no data rows (no images)") from None
    except pd.errors.ParserError as e:
        msg = str(e).strip().removeprefix("Error tokenizing data. C error: ")
        fields = re.match(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if fields:  # pandas counts the lines it was given: the data rows
            want, line, got = fields.groups()
            msg = f"data row {line} has {int(got):,} fields but the header names {want}"
        raise DataError(f"{path}: malformed CSV row: {msg}") from None
    except (ValueError, OSError, OverflowError) as e:
        raise DataError(f"{path}: cannot be read as a CSV file ({e})") from None
    if row == 0:
        raise DataError(f"{path}: has a header but no data rows (no images)")
    return Dataset(np.concatenate(images), np.concatenate(labels) if labelled else None,
                   str(path))


def _check_csv_header(first: bytes, path: Path, kind: str) -> bool:
    """Check the header line; return whether the file has a label column."""
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(f"{path}: is UTF-16 text; save it as UTF-8 (comma-separated) CSV")
    if not first.removeprefix(b"\xef\xbb\xbf").strip():
        raise DataError(f"{path}: is empty (no header, no rows)")
    if len(first) >= _CSV_LINE and not first.endswith(b"\n"):
        raise DataError(f"{path}: its first line is longer than {_CSV_LINE // 2**20} MiB: not a "
                        "Kaggle CSV header ('label,pixel0,...,pixel783')")
    if b"\r" in first.rstrip(b"\r\n"):
        raise DataError(f"{path}: has CR-only (classic Mac) line endings; save it with LF or CRLF "
                        "line endings")
    if b"\0" in first:
        raise DataError(f"{path}: not a text CSV file (binary data: it holds NUL bytes)")
    try:
        text = first.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text CSV file: its first line is not UTF-8 "
                        "(binary data?)") from None
    names = [n.strip().strip('"').strip() for n in text.split(",")]
    if len(names) == 1:
        sep = next((s for s, c in ((";", "semicolons"), ("\t", "tabs")) if s in text), None)
        if sep:
            what = "semicolon-separated" if sep == ";" else "tab-separated"
            raise DataError(f"{path}: looks {what}; the file must be comma-separated "
                            "(as Kaggle's train.csv)")
    if names[0].lstrip("-").replace(".", "", 1).isdigit():
        raise DataError(f"{path}: has no header row; the first line must be "
                        "'label,pixel0,...,pixel783' (train) or 'pixel0,...,pixel783' (test)")
    labelled = names[0] == "label"
    if not labelled and len(names) == PIXELS + 1 and not names[0].startswith("pixel"):
        raise DataError(f"{path}: wrong column name {names[0][:40]!r} in column 1, expected "
                        "'label'")
    pixels = names[1:] if labelled else names
    if "label" in pixels:
        raise DataError(f"{path}: wrong column names: 'label' must be the first column")
    if len(pixels) != PIXELS:
        raise DataError(f"{path}: has {len(pixels)} pixel columns, expected 784 "
                        "(pixel0..pixel783)")
    for i, (got, want) in enumerate(zip(pixels, _PIXEL_NAMES)):
        if got != want:
            raise DataError(f"{path}: wrong column name {got[:40]!r} in column "
                            f"{i + 1 + labelled}, expected {want!r}")
    if kind == "train" and not labelled:
        raise DataError(f"{path}: has no 'label' column: it looks like a Kaggle test file "
                        "(test.csv), which has no labels and cannot be trained on")
    if kind == "test" and labelled:
        raise DataError(f"{path}: has a 'label' column: it is a training file, not a test file")
    return labelled


def _check_first_row(line: bytes, path: Path, n_columns: int) -> None:
    """Refuse a first data row of the wrong width before pandas builds a column for each of its
    fields (a row of 10^6 fields would take minutes). Quoted rows are left to pandas."""
    if len(line) >= _CSV_LINE and not line.endswith(b"\n"):
        raise DataError(f"{path}: data row 1 is longer than {_CSV_LINE // 2**20} MiB: not a "
                        "Kaggle CSV row")
    line = line.rstrip(b"\r\n")
    if line.strip() and b'"' not in line and b"\r" not in line:
        n = line.count(b",") + 1
        if n != n_columns:
            raise DataError(f"{path}: malformed CSV rows: data row 1 has {n:,} fields but the "
                            f"header names {n_columns}")


def _csv_values(chunk: pd.DataFrame, path: Path, row0: int) -> np.ndarray:
    """The chunk as float64, or DataError naming the first cell that is not a number."""
    for name, col in chunk.items():
        numeric = pd.api.types.is_numeric_dtype(col.dtype) and not \
            pd.api.types.is_bool_dtype(col.dtype)
        if numeric:
            continue
        for i, v in enumerate(col.to_numpy(dtype=object)):
            ok = not isinstance(v, bool | np.bool_)
            if ok and not isinstance(v, int | float):
                try:
                    float(v)
                except (TypeError, ValueError, OverflowError):
                    ok = False
            if not ok:
                raise DataError(f"{path}: non-numeric value {str(v)[:20]!r} in data row "
                                f"{row0 + i + 1}, column {name!r}")
    try:
        return chunk.to_numpy(dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as e:
        raise DataError(f"{path}: non-numeric value near data row {row0 + 1} ({e})") from None


def _check_cells(values: np.ndarray, path: Path, row0: int, what: str, top: int) -> None:
    """Every cell a whole number in 0..top; else DataError naming the first bad cell."""
    problems = (
        (np.isnan(values), "empty or missing (NaN) value"),
        (~np.isfinite(values), "infinite value {}"),
        (values != np.round(values), "non-integer value {}"),
        ((values < 0) | (values > top), "value {} is out of range"),
    )
    for mask, problem in problems:
        if mask.any():
            where = np.argwhere(mask)[0]
            column = what if values.ndim == 1 else f"pixel{where[1]}"
            raise DataError(f"{path}: data row {row0 + where[0] + 1}, column {column!r}: "
                            f"{problem.format(f'{values[tuple(where)]:g}')}; {what}s must be "
                            f"whole numbers 0..{top}")


# ------------------------------------------------------------------------------------------ NPZ

_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


@_only_data_errors
def load_keras_npz(path: str | os.PathLike) -> MnistData:
    """Keras' mnist.npz: x_train (N, 28, 28) or (N, 784) in 0..255, y_train (N,) in 0..9, and
    optionally x_test, y_test. Never unpickles; refuses oversized arrays before reading them."""
    path = Path(path)
    with _open_binary(path) as f:
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
    data = _read_upto(fp, size)
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


# -------------------------------------------------------------------------- finding and dispatch


def default_data_dir() -> Path:
    """Where the app downloads MNIST: the user's cache folder, ``.../ffn-gui/mnist``."""
    return Path(platformdirs.user_cache_dir("ffn-gui")) / "mnist"


def _has_mnist(folder: Path) -> bool:
    try:
        return folder.is_dir() and all(_find_idx(folder, "train", k) for k in ("images", "labels"))
    except (OSError, DataError):
        return False


def find_mnist(path: str | os.PathLike | None = None) -> Path:
    """Where MNIST is: ``path`` if given (a folder of IDX files, a .csv or an .npz), else
    $MNIST_DIR, else ``default_data_dir()``, whichever first holds the training IDX files."""
    if path is not None:
        path = Path(path)
        if _exists(path) and (path.is_file() or _has_mnist(path)):
            return path
        problem = "does not exist" if not _exists(path) else "holds no MNIST training files"
        raise DataError(f"{path}: {problem} (expected a folder with train-images-idx3-ubyte.gz "
                        "and train-labels-idx1-ubyte.gz, a Kaggle .csv or a Keras .npz)")
    looked = []
    env = os.environ.get("MNIST_DIR")
    candidates = ([(Path(env), "$MNIST_DIR")] if env else []) + \
                 [(default_data_dir(), "the download folder")]
    for folder, what in candidates:
        if _has_mnist(folder):
            return folder
        looked.append(f"{folder} ({what})")
    raise DataError("MNIST not found: no train-images-idx3-ubyte.gz and "
                    f"train-labels-idx1-ubyte.gz in {' or '.join(looked)}; download it or "
                    "open a file")


def _exists(path: Path) -> bool:
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


@_only_data_errors
def load_data(path: str | os.PathLike | None = None) -> MnistData:
    """Load training data from a folder of IDX files, a Kaggle train.csv or a Keras .npz.

    ``path=None`` finds MNIST with ``find_mnist()``. An IDX file's path loads its folder.
    """
    path = find_mnist() if path is None else Path(path)
    if not _exists(path):
        raise DataError(f"{path}: file or folder not found (no such file)")
    if path.is_dir():
        return load_idx_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = load_kaggle_csv(path)
        if data.labels is None:
            raise DataError(f"{path}: is a Kaggle test file (no 'label' column): it has no "
                            "labels and cannot be trained on; open train.csv instead")
        return MnistData(data, None, str(path))
    if suffix == ".npz":
        return load_keras_npz(path)
    if path.name.startswith(("train-", "t10k-")) and "ubyte" in path.name:
        return load_idx_folder(path.parent)
    raise DataError(f"{path}: unknown data format {suffix or '(no extension)'!r}; open a folder "
                    "of MNIST IDX files, a Kaggle .csv or a Keras .npz")
