"""My digits: the user's own labelled drawings, kept in one file in the per-user data folder.

The file (``my-digits.npz`` in ``platformdirs.user_data_dir("ffn-gui")``) is a NumPy ``.npz``
archive, rewritten atomically after every change (a temporary file in the same folder, flushed
and fsynced, then ``os.replace``d over the old one: a crash or a kill leaves the old file or the
new one, never a mix). Its members:

- ``images``: uint8 (N, 28, 28), each digit as the network read it (MNIST style, white on black)
- ``labels``: uint8 (N,), the digit the user said it is, or 10 (``NOT_A_DIGIT``) for a drawing
  the user said is not a digit (a letter, a scribble: the fine-tune teaches the network to
  doubt such drawings)
- ``times``: float64 (N,), when it was added, in seconds since 1970-01-01 UTC
- ``ids``: int64 (N,), a number that identifies the digit while it exists, unique in the file
  (a new digit gets one more than the largest: the newest digit's id, once it is deleted, is
  given again)
- ``header``: uint8, the bytes of a UTF-8 JSON object ``{"format": "ffn-gui my digits",
  "version": 1, "strokes": [...]}`` (version 2 when it holds a "not a digit": a program that
  reads only version 1 then refuses the file by its version, instead of by its labels), one entry a digit: ``null`` (e.g. an opened image) or the
  board's strokes, each ``{"width": w, "erase": false, "points": [[x, y], ...]}`` in
  input pixels of the 28×28 board (x right, y down, 0..28).

A file that cannot be read is set aside (renamed ``my-digits.damaged-<time>.npz``) and a new,
empty collection started, with a notice saying so; it is never overwritten. ``export`` writes a
copy of the file and the MNIST IDX pair (``<name>-images-idx3-ubyte``, ``<name>-labels-idx1-ubyte``)
that ``core.data.load_idx`` and other tools read. The pair holds the digits only: MNIST's labels
are 0-9, so the "not a digit" drawings are left out of it (the ``.npz`` copy keeps them).
"""

from __future__ import annotations

import io
import json
import os
import struct
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import platformdirs

from .atomic import write_atomic, write_error
from .errors import DataError
from .rows import NOT_A_DIGIT

if TYPE_CHECKING:
    from .data import Dataset

FORMAT, VERSION = "ffn-gui my digits", 2  # the highest this reads; 2 = has a "not a digit"
FILE_NAME = "my-digits.npz"
MAX_DIGITS = 100_000
MAX_FILE_BYTES = 512 * 2**20
_MEMBERS = {"images", "labels", "times", "ids", "header"}


def default_path() -> Path:
    """Where the window keeps my digits: the per-user data folder (XDG_DATA_HOME on Linux)."""
    return Path(platformdirs.user_data_dir("ffn-gui")) / FILE_NAME


@dataclass(frozen=True)
class Digit:
    id: int
    image: np.ndarray  # uint8 (28, 28)
    label: int
    time: float
    strokes: list | None


def as_uint8(image: np.ndarray) -> np.ndarray:
    """A 28×28 input (float in [0, 1], or uint8) as uint8 (28, 28)."""
    a = np.asarray(image)
    if a.shape != (28, 28):
        raise DataError(f"a digit is a 28×28 image, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.copy()
    return (np.clip(np.nan_to_num(a.astype(np.float64)), 0, 1) * 255 + 0.5).astype(np.uint8)


def strokes_to_json(strokes) -> list | None:
    """The canvas's ``Stroke`` objects (width, erase, points) as plain JSON data."""
    if strokes is None:
        return None
    return [{"width": float(s.width), "erase": bool(s.erase),
             "points": [[round(float(x), 3), round(float(y), 3)] for x, y in s.points]}
            for s in strokes]


class MyDigits:
    """The collection in memory, saved to ``path`` after every change (unless ``path`` is None)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.images = np.zeros((0, 28, 28), np.uint8)
        self.labels = np.zeros(0, np.uint8)
        self.times = np.zeros(0, np.float64)
        self.ids = np.zeros(0, np.int64)
        self.strokes: list = []

    # --- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None) -> tuple[MyDigits, str | None]:
        """The collection in ``path`` (default: ``default_path()``), and a notice or None.

        A missing file is an empty collection. A damaged one is renamed aside (the notice says
        where) and an empty collection is returned."""
        path = Path(path) if path is not None else default_path()
        digits = cls(path)
        if not path.exists():
            return digits, None
        try:
            digits._load(path)
            return digits, None
        except DataError as error:
            problem = str(error)
        try:
            aside = set_aside(path)
        except (OSError, DataError) as e:  # then it stays where it is, and is never written to
            return cls(None), (f"Your digits file could not be read ({problem}), nor moved "
                               f"aside ({e}). Digits you add now will not be saved.")
        return cls(path), (f"Your digits file could not be read ({problem}). It was set aside "
                           f"as {aside.name} in {aside.parent}, and a new, empty collection "
                           "was started.")

    @classmethod
    def read(cls, path: Path | str) -> MyDigits:
        """A my-digits file read for importing (DataError if it cannot be); not bound to it."""
        digits = cls(None)
        digits._load(Path(path))
        return digits

    def _load(self, path: Path) -> None:
        from .data import open_regular  # here: core.data brings pandas, slow to import

        try:
            with open_regular(path) as f:
                size = os.fstat(f.fileno()).st_size
                if size > MAX_FILE_BYTES:
                    raise DataError(f"{path}: {size:,} bytes is too large for a my-digits file")
                arrays = _read_members(f, path)
        except DataError:
            raise
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
            raise DataError(f"{path}: not a readable my-digits file ({e})") from None
        self.images, self.labels = arrays["images"], arrays["labels"]
        self.times, self.ids, self.strokes = arrays["times"], arrays["ids"], arrays["strokes"]

    # --- what it holds -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.labels)

    def counts(self) -> np.ndarray:
        """int (11,): how many drawings of each label, 0-9 and then "not a digit"."""
        return np.bincount(self.labels, minlength=NOT_A_DIGIT + 1)

    def digit(self, digit_id: int) -> Digit:
        i = self._row(digit_id)
        return Digit(int(self.ids[i]), self.images[i], int(self.labels[i]), float(self.times[i]),
                     self.strokes[i])

    def dataset(self, rows: np.ndarray | None = None) -> Dataset:
        """The digits (all, or ``rows``) as a ``core.data.Dataset`` for training or testing."""
        from .data import Dataset

        rows = np.arange(len(self)) if rows is None else np.asarray(rows, np.intp)
        labels = np.ascontiguousarray(self.labels[rows])
        return Dataset(np.ascontiguousarray(self.images[rows]), labels, "my digits",
                       not_a_digit=bool((labels == NOT_A_DIGIT).any()))

    def _row(self, digit_id: int) -> int:
        rows = np.flatnonzero(self.ids == digit_id)
        if not len(rows):
            raise KeyError(f"no digit with id {digit_id}")
        return int(rows[0])

    # --- changing (each change is saved) -------------------------------------------------------

    def add(self, image: np.ndarray, label: int, strokes: list | None = None,
            when: float | None = None) -> Digit:
        """Add a 28×28 drawing labelled ``label``, a digit or ``NOT_A_DIGIT`` (strokes: JSON
        data, see strokes_to_json)."""
        check_label(label)
        if len(self) >= MAX_DIGITS:
            raise DataError(f"my digits holds at most {MAX_DIGITS:,} digits")
        new_id = int(self.ids.max()) + 1 if len(self) else 1
        self.images = np.concatenate([self.images, as_uint8(image)[None]])
        self.labels = np.append(self.labels, np.uint8(label))
        self.times = np.append(self.times, time.time() if when is None else float(when))
        self.ids = np.append(self.ids, np.int64(new_id))
        self.strokes = [*self.strokes, strokes]
        self.save()
        return self.digit(new_id)

    def merge(self, other: MyDigits) -> int:
        """Add every digit of ``other`` (an import); returns how many."""
        start = int(self.ids.max()) + 1 if len(self) else 1
        self.images = np.concatenate([self.images, other.images])
        self.labels = np.concatenate([self.labels, other.labels])
        self.times = np.concatenate([self.times, other.times])
        self.ids = np.concatenate([self.ids, start + np.arange(len(other), dtype=np.int64)])
        self.strokes = [*self.strokes, *other.strokes]
        self.save()
        return len(other)

    def delete(self, digit_id: int) -> None:
        keep = self.ids != digit_id
        i = self._row(digit_id)
        self.images, self.labels = self.images[keep], self.labels[keep]
        self.times, self.ids = self.times[keep], self.ids[keep]
        self.strokes = self.strokes[:i] + self.strokes[i + 1 :]
        self.save()

    def relabel(self, digit_id: int, label: int) -> None:
        check_label(label)
        self.labels[self._row(digit_id)] = label
        self.save()

    # --- writing -------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        version = 2 if (self.labels == NOT_A_DIGIT).any() else 1
        header = {"format": FORMAT, "version": version, "strokes": self.strokes}
        buf = io.BytesIO()
        np.savez_compressed(buf, images=self.images, labels=self.labels, times=self.times,
                            ids=self.ids, header=np.frombuffer(json.dumps(header).encode(),
                                                               np.uint8))
        return buf.getvalue()

    def save(self) -> None:
        """Write the file atomically (nothing to do for a collection with no path)."""
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise write_error(e, self.path) from None
            write_atomic(self.path, self.to_bytes())

    def export(self, path: Path | str) -> list[Path]:
        """Write a my-digits file at ``path`` and the IDX pair beside it; the files written."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_name(path.name + ".npz")
        stem = path.with_suffix("")
        images = Path(f"{stem}-images-idx3-ubyte")
        labels = Path(f"{stem}-labels-idx1-ubyte")
        write_atomic(path, self.to_bytes())
        digits = self.labels != NOT_A_DIGIT  # MNIST's labels are 0-9: the pair has no others
        write_atomic(images, idx_bytes(self.images[digits]))
        write_atomic(labels, idx_bytes(self.labels[digits]))
        return [path, images, labels]


def _read_members(f, path: Path) -> dict:
    with zipfile.ZipFile(f) as zf:
        infos = {i.filename.removesuffix(".npy"): i for i in zf.infolist()}
        if set(infos) != _MEMBERS:
            raise DataError(f"{path}: not a my-digits file (it holds {sorted(infos)})")
        for name, info in infos.items():
            if info.file_size > MAX_DIGITS * 28 * 28 + 2**20 or (
                    name == "header" and info.file_size > 64 * 2**20):
                raise DataError(f"{path}: member {name} declares {info.file_size:,} bytes, "
                                "too many for a my-digits file")
        a = {name: np.load(io.BytesIO(zf.read(info)), allow_pickle=False)
             for name, info in infos.items()}
    try:
        header = json.loads(bytes(a["header"].astype(np.uint8)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataError(f"{path}: its header is not JSON ({e})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise DataError(f"{path}: not a my-digits file (format {header.get('format')!r})"
                        if isinstance(header, dict) else f"{path}: not a my-digits file")
    if header.get("version") not in (1, VERSION):
        raise DataError(f"{path}: my-digits version {header.get('version')!r}; this program "
                        f"reads versions 1 to {VERSION}")
    images, labels, times, ids = a["images"], a["labels"], a["times"], a["ids"]
    n = len(labels) if labels.ndim == 1 else -1
    strokes = header.get("strokes")
    if (images.dtype != np.uint8 or images.shape != (n, 28, 28) or labels.dtype != np.uint8
            or times.shape != (n,) or ids.shape != (n,) or ids.dtype != np.int64
            or times.dtype != np.float64 or not isinstance(strokes, list) or len(strokes) != n):
        raise DataError(f"{path}: its arrays do not fit together (images {images.shape}, "
                        f"labels {labels.shape}, times {times.shape}, ids {ids.shape})")
    top = NOT_A_DIGIT if header["version"] >= 2 else 9
    if n and (labels.max() > top or len(np.unique(ids)) != n):
        raise DataError(f"{path}: labels beyond {top} or repeated ids")
    return {"images": images, "labels": labels, "times": times, "ids": ids, "strokes": strokes}


def check_label(label) -> None:
    """A label is a digit 0-9 or ``NOT_A_DIGIT`` (10); DataError otherwise."""
    if not (isinstance(label, int | np.integer) and 0 <= int(label) <= NOT_A_DIGIT):
        raise DataError(f"a label is a digit 0-9 or {NOT_A_DIGIT} (not a digit), got {label!r}")


def idx_bytes(array: np.ndarray) -> bytes:
    """uint8 images (N, 28, 28) or labels (N,) in the MNIST IDX format (big-endian sizes)."""
    a = np.ascontiguousarray(array, np.uint8)
    return struct.pack(">HBB", 0, 0x08, a.ndim) + struct.pack(f">{a.ndim}I", *a.shape) + \
        a.tobytes()


def set_aside(path: Path) -> Path:
    """Rename a damaged ``path`` to ``<stem>.damaged-<UTC time>[-k]<suffix>``; the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    for k in range(1000):
        aside = path.with_name(f"{path.stem}.damaged-{stamp}{f'-{k}' if k else ''}{path.suffix}")
        if not aside.exists():
            os.rename(path, aside)  # an OSError here leaves the file where it was, untouched
            return aside
    raise DataError(f"{path}: too many damaged copies beside it; move some away")
