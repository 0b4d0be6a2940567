"""Fuzzing the loaders: random bytes and mutated valid files either load as well-formed data or
raise DataError. Any other exception, or a load that returns other numbers than the file holds
(read independently, the plain way), is a bug.

Mutations: bit flips, byte overwrites, truncations, deletions, insertions and splices of a valid
IDX (raw and gzip), Kaggle CSV and Keras NPZ (stored and deflated) file; for the CSV also cell
edits with tricky tokens. Each example is written to one reused file in a module temp folder.
FUZZ_EXAMPLES=5000 in the environment runs a longer hunt (default 300 per test, ~10 s in all);
``--hypothesis-show-statistics`` shows how often each outcome (loaded, or which error) came up.
"""

import csv
import gzip
import io
import os
import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import reliability
from helpers.datafiles import fake_mnist, idx_bytes, kaggle_csv_text
from helpers.fuzz import mutated
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.data import (
    UNFORESEEN,
    Dataset,
    MnistData,
    load_data,
    load_idx,
    load_kaggle_csv,
    load_keras_npz,
)
from core.errors import DataError

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 300)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

IMAGES, LABELS = fake_mnist(3, np.random.default_rng(7))


def _npz(compressed: bool) -> bytes:
    buf = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(buf, x_train=IMAGES, y_train=LABELS, x_test=IMAGES[:2], y_test=LABELS[:2])
    return buf.getvalue()


SEEDS = {
    "images.idx": idx_bytes(IMAGES),
    "labels.idx": idx_bytes(LABELS),
    "images.idx.gz": gzip.compress(idx_bytes(IMAGES), mtime=0),
    "labels.idx.gz": gzip.compress(idx_bytes(LABELS), mtime=0),
    "train.csv": kaggle_csv_text(IMAGES, LABELS).encode(),
    "test.csv": kaggle_csv_text(IMAGES, None).encode(),
    "stored.npz": _npz(False),
    "deflated.npz": _npz(True),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# What a file that loads holds, read the plain way, independently of core.data: a successful
# load must return exactly these numbers (a loader that read 256 as 0, or dropped a row, fails).


def idx_numbers(content: bytes) -> np.ndarray:
    """An IDX file's array: gunzipped when it starts with gzip's magic, then magic, sizes, data."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    ndim = content[3]
    dims = struct.unpack(f">{ndim}I", content[4 : 4 + 4 * ndim])
    return np.frombuffer(content, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def csv_numbers(content: bytes) -> tuple[list[str], np.ndarray]:
    """A CSV file's header and its data rows as float64 (n, columns); blank lines skipped."""
    text = content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text, newline=""))
            if any(cell.strip() for cell in row)]
    values = np.array([[float(cell) for cell in row] for row in rows[1:]], np.float64)
    return [cell.strip().strip('"') for cell in rows[0]], values.reshape(len(rows) - 1, -1)


def npz_numbers(content: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(content), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def same_numbers(loaded: np.ndarray, expected: np.ndarray, what: str) -> None:
    expected = np.asarray(expected)
    assert loaded.size == expected.size, f"{what}: {loaded.size} values, the file {expected.size}"
    assert np.array_equal(loaded.reshape(-1).astype(np.float64),
                          expected.reshape(-1).astype(np.float64)), \
        f"{what}: the values loaded are not the file's"


def check_idx(array: np.ndarray, content: bytes) -> None:
    assert isinstance(array, np.ndarray) and array.dtype == np.uint8
    assert array.shape[1:] == (28, 28) and array.ndim == 3 or array.ndim == 1 and array.max() <= 9
    assert len(array) > 0
    expected = idx_numbers(content)
    assert array.shape == expected.shape
    same_numbers(array, expected, "IDX")


def check_dataset(ds: Dataset, content: bytes | None = None, labelled: bool | None = None) -> None:
    """A well-formed Dataset; with ``content`` (a CSV file's bytes) holding exactly its numbers."""
    assert isinstance(ds, Dataset) and len(ds) > 0
    assert ds.images.dtype == np.uint8 and ds.images.shape[1:] == (28, 28)
    assert ds.images.flags.c_contiguous
    if labelled is not None:
        assert (ds.labels is not None) == labelled
    if ds.labels is not None:
        assert ds.labels.dtype == np.uint8 and ds.labels.shape == (len(ds),)
        assert ds.labels.max() <= 9
    if content is not None:
        header, values = csv_numbers(content)
        assert (header[0] == "label") == (ds.labels is not None), header[0]
        if ds.labels is not None:
            same_numbers(ds.labels, values[:, 0], "CSV labels")
            values = values[:, 1:]
        same_numbers(ds.images, values, "CSV pixels")


def check_mnist(m: MnistData, content: bytes) -> None:
    """A well-formed MnistData holding exactly the numbers of the CSV or NPZ file ``content``."""
    assert isinstance(m, MnistData)
    if content[:2] != b"PK":  # a Kaggle CSV: one labelled training set
        check_dataset(m.train, content, labelled=True)
        assert m.test is None
        return
    arrays = npz_numbers(content)
    for split, ds in (("train", m.train), ("test", m.test)):
        if ds is None:
            assert split == "test" and "x_test" not in arrays and "y_test" not in arrays
            continue
        check_dataset(ds, labelled=True)
        same_numbers(ds.images, arrays[f"x_{split}"], f"x_{split}")
        same_numbers(ds.labels, arrays[f"y_{split}"], f"y_{split}")


def load_only_data_error(load, path: Path, content: bytes, check) -> None:
    """``load(path)`` of a file holding ``content`` raises DataError naming the file, or returns
    what ``check(result, content)`` accepts."""
    path.write_bytes(content)
    try:
        result = load(path)
    except DataError as e:
        message = str(e)
        assert path.name in message
        assert UNFORESEEN not in message, message  # a failure no check of the loader foresaw
        outcome = message.replace(str(path), "").split(";")[0].split("(")[0].strip(" :")
        event(re.sub(r"0x[0-9a-f]+|'[^']*'|-?\d[\d,.e+]*", "#", outcome)[:60])
        return
    check(result, content)
    event("loaded")


def load_any(path: Path):
    """The loader the app would use for this file name."""
    if path.suffix in (".csv", ".npz"):
        return load_data(path)
    return load_idx(path)


@FUZZ
@given(content=st.binary(max_size=4000), name=st.sampled_from(
    ["train-images-idx3-ubyte", "train-labels-idx1-ubyte.gz", "blob.idx", "t.csv", "k.npz"]))
def test_random_bytes(folder, content, name):
    reliability.count("fuzz_examples")
    check = {".csv": check_mnist, ".npz": check_mnist}.get(Path(name).suffix, check_idx)
    load_only_data_error(load_any, folder / name, content, check)


@FUZZ
@given(data=st.data(), seed=st.sampled_from(["images.idx", "labels.idx", "images.idx.gz",
                                              "labels.idx.gz"]))
def test_mutated_idx(folder, data, seed):
    reliability.count("fuzz_examples")
    content = data.draw(mutated(SEEDS[seed]))
    kind = seed.split(".")[0]
    load_only_data_error(lambda p: load_idx(p, kind), folder / seed, content, check_idx)
    load_only_data_error(load_idx, folder / "auto.idx", content, check_idx)


@FUZZ
@given(data=st.data(), seed=st.sampled_from(["stored.npz", "deflated.npz"]))
def test_mutated_npz(folder, data, seed):
    reliability.count("fuzz_examples")
    content = data.draw(mutated(SEEDS[seed]))
    load_only_data_error(load_keras_npz, folder / seed, content, check_mnist)


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


MEMBERS = {"x_train": _npy(IMAGES), "y_train": _npy(LABELS), "x_test": _npy(IMAGES[:2]),
           "y_test": _npy(LABELS[:2])}


@FUZZ
@given(data=st.data(), key=st.sampled_from(sorted(MEMBERS)), deflate=st.booleans())
def test_mutated_npy_member(folder, data, key, deflate):
    """A well-formed zip around one mutated .npy member reaches the array checks."""
    reliability.count("fuzz_examples")
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, npy in MEMBERS.items():
            zf.writestr(name + ".npy", data.draw(mutated(npy)) if name == key else npy)
    load_only_data_error(load_keras_npz, folder / "member.npz", buf.getvalue(), check_mnist)


@FUZZ
@given(data=st.data(), seed=st.sampled_from(["train.csv", "test.csv"]))
def test_mutated_csv_bytes(folder, data, seed):
    reliability.count("fuzz_examples")
    content = data.draw(mutated(SEEDS[seed]))
    load_only_data_error(load_kaggle_csv, folder / seed, content, check_dataset)


TOKENS = ["", " ", "nan", "NA", "null", "inf", "-inf", "1e5", "1e-5", "-0", "0.0", "12.5",
          "255.0000001", "256", "-1", "0x10", "1_0", "+3", " 7 ", '"5"', '"', '""', "'", ",",
          ";", "\n", "\r", "\t", "\0", "\ufeff", "é", "\udcff", "True", "label", "pixel0",
          "9" * 40, "#", "\\", "=1+1"]


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 785),
                                st.one_of(st.sampled_from(TOKENS), st.text(max_size=6))),
                      min_size=1, max_size=4),
       labelled=st.booleans())
def test_mutated_csv_cells(folder, edits, labelled):
    """Cell-level edits (row 0 is the header) with values a spreadsheet might produce."""
    reliability.count("fuzz_examples")
    lines = kaggle_csv_text(IMAGES, LABELS if labelled else None).split("\n")
    for row, col, token in edits:
        cells = lines[row].split(",")
        cells[min(col, len(cells) - 1)] = token
        lines[row] = ",".join(cells)
    content = "\n".join(lines).encode("utf-8", "surrogateescape")
    path = folder / "cells.csv"
    load_only_data_error(load_kaggle_csv, path, content, check_dataset)


@pytest.mark.parametrize("name", SEEDS)
def test_seeds_are_valid(folder, name):
    """The mutations start from files that load."""
    path = folder / name
    path.write_bytes(SEEDS[name])
    result = load_any(path) if name != "test.csv" else load_kaggle_csv(path)
    (check_idx if "idx" in name else check_mnist if "npz" in name or name == "train.csv"
     else check_dataset)(result, SEEDS[name])
