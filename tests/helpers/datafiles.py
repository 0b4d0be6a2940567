"""Writers of small, valid MNIST-format files for tests (IDX, Kaggle CSV, Keras NPZ).

Images are uint8 (N, 28, 28), labels uint8 (N,) in 0..9. Each writer returns the path it wrote.
``fake_mnist(n, rng)`` makes such arrays: random strokes on a black background, so the files
look like MNIST without being it. Tests then break the files on purpose by editing the bytes.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

IDX_NAMES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}
CSV_HEADER = ",".join(f"pixel{i}" for i in range(784))


def fake_mnist(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (n, 28, 28), labels uint8 (n,)): mostly 0, some ink up to 255."""
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    images[images < 180] = 0
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    return images, labels


def idx_bytes(array: np.ndarray) -> bytes:
    """The raw IDX encoding of a uint8 array: magic 00 00 08 ndim, big-endian sizes, data."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    head = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.tobytes()


def write_idx(path: str | Path, array: np.ndarray, gz: bool = True) -> Path:
    """Write ``array`` as an IDX file, gzip-compressed when ``gz``."""
    path = Path(path)
    data = idx_bytes(array)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def write_mnist_folder(
    folder: str | Path, n_train: int, n_test: int, rng: np.random.Generator, gz: bool = True
) -> dict[str, np.ndarray]:
    """The four IDX files under their usual names (``.gz`` when ``gz``); ``n_test=0`` leaves the
    test files out. Returns the arrays written: train_images, train_labels, test_images, ..."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, n in (("train", n_train), ("test", n_test)):
        if split == "test" and n == 0:
            continue
        images, labels = fake_mnist(n, rng)
        for kind, array in (("images", images), ("labels", labels)):
            name = IDX_NAMES[split, kind] + (".gz" if gz else "")
            write_idx(folder / name, array, gz=gz)
            arrays[f"{split}_{kind}"] = array
    return arrays


def write_blob_folder(folder: str | Path, rng: np.random.Generator, n_train: int,
                      n_test: int) -> Path:
    """An MNIST folder (gzipped IDX) of learnable blob digits (``helpers.synthetic.blobs``)."""
    from helpers.synthetic import blobs

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", n_train), ("test", n_test)):
        data = blobs(n, rng)
        write_idx(folder / (IDX_NAMES[split, "images"] + ".gz"), data.images)
        write_idx(folder / (IDX_NAMES[split, "labels"] + ".gz"), data.labels)
    return folder


def kaggle_csv_text(images: np.ndarray, labels: np.ndarray | None) -> str:
    """Kaggle's digit-recognizer CSV text: train (label first) when ``labels`` is given."""
    rows = np.asarray(images, dtype=np.int64).reshape(len(images), 784)
    header = CSV_HEADER
    if labels is not None:
        rows = np.column_stack([np.asarray(labels, dtype=np.int64), rows])
        header = "label," + header
    body = "\n".join(",".join(map(str, row)) for row in rows.tolist())
    return header + "\n" + body + ("\n" if body else "")


def write_kaggle_csv(path: str | Path, images: np.ndarray, labels: np.ndarray | None) -> Path:
    """Write a Kaggle train.csv (``labels`` given) or test.csv (``labels=None``)."""
    path = Path(path)
    path.write_text(kaggle_csv_text(images, labels), encoding="utf-8", newline="\n")
    return path


def write_keras_npz(
    path: str | Path,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    compressed: bool = False,
) -> Path:
    """Write a Keras-style mnist.npz; the test arrays are left out when ``None``."""
    path = Path(path)
    arrays = {"x_train": x_train, "y_train": y_train}
    if x_test is not None:
        arrays["x_test"] = x_test
    if y_test is not None:
        arrays["y_test"] = y_test
    with open(path, "wb") as f:
        (np.savez_compressed if compressed else np.savez)(f, **arrays)
    return path
