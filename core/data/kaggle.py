"""Kaggle's digit-recognizer CSVs: ``train.csv`` (``label,pixel0..pixel783``) and
``test.csv`` (``pixel0..pixel783``), read in chunks with every cell checked."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..errors import ConfigError, DataError
from .dataset import PIXELS, SIDE, Dataset
from .files import only_data_errors, open_binary

_PIXEL_NAMES = [f"pixel{i}" for i in range(PIXELS)]
_CSV_ROWS = 4096
_CSV_LINE = 1 << 20  # a Kaggle line is about 3 KB; a longer first line is not that format


@only_data_errors
def load_kaggle_csv(path: str | os.PathLike, kind: str = "auto") -> Dataset:
    """Kaggle's digit-recognizer CSV: 'train' (label, pixel0..783), 'test' (pixel0..783 only).

    ``kind="auto"`` decides from the header. Cells must be whole numbers 0..255 (labels 0..9);
    ``12.0`` is accepted, ``12.5``, empty cells and text are not.
    """
    path = Path(path)
    if kind not in ("auto", "train", "test"):
        raise ConfigError(f"kind must be 'auto', 'train' or 'test', not {kind!r}")
    with open_binary(path) as f:
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
    try:
        images, labels, row = _read_rows(f, path, columns, labelled)
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


def _read_rows(f: BinaryIO, path: Path, columns: list[str],
               labelled: bool) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """(image chunks, label chunks, rows read) from the data rows after the header, each chunk
    checked; pandas' own errors are left to ``_read_csv`` to translate."""
    images, labels, row = [], [], 0
    # The file is read on from just after the header (checked above): header=None, so pandas
    # never takes a first row with one field too many for an index column (it would drop a
    # column with a warning).
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
    return images, labels, row


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
