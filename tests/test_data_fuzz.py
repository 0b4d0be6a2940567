"""Fuzzing the loaders: random bytes and mutated valid files either load as well-formed data or
raise DataError. Any other exception (or a wrong dtype/shape on success) is a bug.

Mutations: bit flips, byte overwrites, truncations, deletions, insertions and splices of a valid
IDX (raw and gzip), Kaggle CSV and Keras NPZ (stored and deflated) file; for the CSV also cell
edits with tricky tokens. Each example is written to one reused file in a module temp folder.
FUZZ_EXAMPLES=5000 in the environment runs a longer hunt (default 300 per test, ~10 s in all);
``--hypothesis-show-statistics`` shows how often each outcome (loaded, or which error) came up.
"""

import gzip
import io
import os
import re
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


def check_idx(array: np.ndarray) -> None:
    assert isinstance(array, np.ndarray) and array.dtype == np.uint8
    assert array.shape[1:] == (28, 28) and array.ndim == 3 or array.ndim == 1 and array.max() <= 9
    assert len(array) > 0


def check_dataset(ds: Dataset, labelled: bool | None = None) -> None:
    assert isinstance(ds, Dataset) and len(ds) > 0
    assert ds.images.dtype == np.uint8 and ds.images.shape[1:] == (28, 28)
    assert ds.images.flags.c_contiguous
    if labelled is not None:
        assert (ds.labels is not None) == labelled
    if ds.labels is not None:
        assert ds.labels.dtype == np.uint8 and ds.labels.shape == (len(ds),)
        assert ds.labels.max() <= 9


def check_mnist(m: MnistData) -> None:
    assert isinstance(m, MnistData)
    check_dataset(m.train, labelled=True)
    if m.test is not None:
        check_dataset(m.test, labelled=True)


def load_only_data_error(load, path: Path, content: bytes, check) -> None:
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
    check(result)
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
     else check_dataset)(result)
