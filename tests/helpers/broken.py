"""Broken inputs, as tables: one entry per way a file can be broken, with the words its error
must contain. test_data.py, test_model_io.py and the hardening matrix run them.

``BROKEN_IDX`` / ``BROKEN_LABELS``: name -> (IDX bytes, word); ``BROKEN_GZ``, ``BROKEN_NPZ``:
name -> (make bytes, words); ``BROKEN_CSV``: name -> (text, words); ``BROKEN_MODELS``: name ->
(path of a valid model file -> path of a broken variant beside it).
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile

import numpy as np

from core.model_io import FORMAT_VERSION
from helpers.datafiles import CSV_HEADER, fake_mnist, idx_bytes, kaggle_csv_text

# ----------------------------------------------------------------------------------------- IDX

def good_images(n=4):
    return idx_bytes(fake_mnist(n, np.random.default_rng(0))[0])


def good_labels(n=4):
    return idx_bytes(fake_mnist(n, np.random.default_rng(0))[1])


BIG = struct.pack(">I", 2_000_000_000)
BROKEN_IDX = {
    "empty": (b"", "empty"),
    "bad magic": (b"\x01\x02" + good_images()[2:], "magic"),
    "text file": (b"hello world, not idx", "magic"),
    "float dtype": (good_images()[:2] + b"\x0d" + good_images()[3:], "unsupported"),
    "unknown dtype": (good_images()[:2] + b"\x42" + good_images()[3:], "unknown"),
    "zero ndim": (b"\0\0\x08\0", "dimensions"),
    "images 2-D": (idx_bytes(np.zeros((4, 784), np.uint8)), "dimensions"),
    "images 4-D": (idx_bytes(np.zeros((4, 1, 28, 28), np.uint8)), "dimensions"),
    "images 27x28": (idx_bytes(np.zeros((4, 27, 28), np.uint8)), "28x28"),
    "no images": (idx_bytes(np.zeros((0, 28, 28), np.uint8)), "no images"),
    "truncated magic": (b"\0\0\x08", "truncated"),
    "truncated dims": (good_images()[:10], "truncated"),
    "truncated payload": (good_images()[:-100], "truncated"),
    "trailing bytes": (good_images() + b"\0", "trailing"),
    "billions": (b"\0\0\x08\x03" + BIG + struct.pack(">II", 28, 28) + b"\0" * 100, "too large"),
    "a million, tiny file": (b"\0\0\x08\x03" + struct.pack(">III", 10**6, 28, 28), "truncated"),
}
BROKEN_LABELS = {
    "label 10": (idx_bytes(np.array([1, 2, 10, 3], np.uint8)), "range"),
    "label 255": (idx_bytes(np.array([255], np.uint8)), "range"),
    "labels 2-D": (idx_bytes(np.zeros((4, 2), np.uint8)), "dimensions"),
    "labels 3-D": (idx_bytes(np.zeros((4, 28, 28), np.uint8)), "dimensions"),
    "labels trailing": (good_labels() + b"\0\0", "trailing"),
    "labels billions": (b"\0\0\x08\x01" + struct.pack(">I", 4_000_000_000), "too large"),
}


def gz_of(data_bytes):
    return bytearray(gzip.compress(data_bytes, mtime=0))


def corrupt_deflate():
    raw = gz_of(good_images(20))
    for i in range(20, 40):
        raw[i] ^= 0xFF
    return bytes(raw)


def bad_crc():
    raw = gz_of(good_images())
    raw[-8] ^= 0x01
    return bytes(raw)


BROKEN_GZ = {
    "truncated gzip": (lambda: bytes(gz_of(good_images(20))[:-30]), ["truncated", "gzip"]),
    "only gzip magic": (lambda: b"\x1f\x8b", ["truncated", "gzip"]),
    "corrupt deflate": (corrupt_deflate, ["corrupt", "gzip", "truncated"]),
    "bad crc": (bad_crc, ["crc", "corrupt"]),
    "garbage after member": (lambda: bytes(gz_of(good_images())) + b"junk", ["gzip", "trailing"]),
    "empty gzip": (lambda: gzip.compress(b""), ["empty"]),
    "gzip of trailing": (lambda: gzip.compress(good_images() + b"x"), ["trailing"]),
}


# ----------------------------------------------------------------------------------------- CSV

def csv_text(n=3, labelled=True):
    images, labels = fake_mnist(n, np.random.default_rng(1))
    return kaggle_csv_text(images, labels if labelled else None)


def replace_cell(text, row, col, value):
    """``text`` with data row ``row`` (0-based), column ``col`` set to ``value``."""
    lines = text.split("\n")
    cells = lines[row + 1].split(",")
    cells[col] = value
    lines[row + 1] = ",".join(cells)
    return "\n".join(lines)


BROKEN_CSV = {
    "empty": ("", ["empty"]),
    "blank lines": ("\n\n", ["empty"]),
    "header only": ("label," + CSV_HEADER + "\n", ["no data rows"]),
    "no header": (csv_text().split("\n", 1)[1], ["no header"]),
    "783 pixels": ("label," + CSV_HEADER.rsplit(",", 1)[0] + "\n1" + ",0" * 783 + "\n", ["783"]),
    "786 pixels": ("label," + CSV_HEADER + ",pixel784,pixel785\n1" + ",0" * 786 + "\n",
                   ["786"]),
    "wrong name": (csv_text().replace("pixel7,", "pixel_7,", 1), ["column name", "pixel7"]),
    "misspelt label": ("lable" + csv_text()[5:], ["column name", "label"]),
    "label last": (CSV_HEADER + ",label\n" + "0," * 784 + "1\n", ["label"]),
    "non-numeric": (replace_cell(csv_text(), 1, 30, "abc"), ["non-numeric"]),
    "boolean": (replace_cell(csv_text(), 0, 3, "True"), ["non-numeric"]),
    "empty cell": (replace_cell(csv_text(), 2, 100, ""), ["missing"]),
    "NaN cell": (replace_cell(csv_text(), 0, 100, "NaN"), ["missing"]),
    "inf cell": (replace_cell(csv_text(), 0, 100, "inf"), ["infinite"]),
    "short row": (csv_text().rstrip("\n").rsplit(",", 5)[0] + "\n", ["missing"]),
    "long row": (replace_cell(csv_text(), 1, 784, "0,0"), ["malformed", "fields"]),
    "negative": (replace_cell(csv_text(), 1, 200, "-1"), ["range"]),
    "256": (replace_cell(csv_text(), 1, 200, "256"), ["range"]),
    "huge": (replace_cell(csv_text(), 1, 200, "9" * 30), ["range"]),
    "12.5": (replace_cell(csv_text(), 1, 200, "12.5"), ["non-integer"]),
    "label 10": (replace_cell(csv_text(), 2, 0, "10"), ["range"]),
    "label -1": (replace_cell(csv_text(), 2, 0, "-1"), ["range"]),
    "label 2.5": (replace_cell(csv_text(), 2, 0, "2.5"), ["non-integer"]),
    "semicolons": (csv_text().replace(",", ";"), ["comma-separated"]),
    "only a BOM": ("\ufeff\n", ["empty"]),
    "blank after header": ("label," + CSV_HEADER + "\n\n\n", ["no data rows"]),
    "tabs": (csv_text().replace(",", "\t"), ["comma-separated"]),
}


# ----------------------------------------------------------------------------------------- NPZ

def npz_bytes(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


X, Y = fake_mnist(4, np.random.default_rng(2))


def huge_npy_member():
    buf = io.BytesIO()
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**6, 28, 28)}
    np.lib.format.write_array_header_1_0(buf, header)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        zf.writestr("x_train.npy", buf.getvalue() + b"\0" * 64)
        zf.writestr("y_train.npy", _npy(Y))
    return zbuf.getvalue()


def _npy(a):
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def flipped_member_byte():
    raw = bytearray(npz_bytes(x_train=X, y_train=Y))
    raw[200] ^= 0xFF  # inside x_train's stored data: the CRC no longer matches
    return bytes(raw)


BROKEN_NPZ = {
    "empty": (lambda: b"", ["empty"]),
    "not a zip": (lambda: b"this is not a zip file at all", ["not an .npz", "zip"]),
    "npy file": (lambda: _npy(X), [".npy"]),
    "truncated": (lambda: npz_bytes(x_train=X, y_train=Y)[:1500], ["corrupt", "truncated"]),
    "only zip magic": (lambda: b"PK\x03\x04", ["corrupt", "truncated"]),
    "bad crc": (flipped_member_byte, ["corrupt", "crc"]),
    "missing y_train": (lambda: npz_bytes(x_train=X), ["missing", "y_train"]),
    "missing x_train": (lambda: npz_bytes(y_train=Y, x_test=X, y_test=Y), ["x_train"]),
    "missing y_test": (lambda: npz_bytes(x_train=X, y_train=Y, x_test=X), ["y_test"]),
    "other keys": (lambda: npz_bytes(images=X, labels=Y), ["missing"]),
    "object array": (lambda: npz_bytes(x_train=np.array([X, None], dtype=object), y_train=Y),
                     ["pickle"]),
    "string array": (lambda: npz_bytes(x_train=np.array(["a"] * 4), y_train=Y), ["dtype"]),
    "complex array": (lambda: npz_bytes(x_train=X.astype(complex), y_train=Y), ["dtype"]),
    "bool labels": (lambda: npz_bytes(x_train=X, y_train=Y > 4), ["boolean"]),
    "x 27x28": (lambda: npz_bytes(x_train=X[:, :27], y_train=Y), ["shape"]),
    "x 1-D": (lambda: npz_bytes(x_train=X.ravel(), y_train=Y), ["shape"]),
    "y 2-D": (lambda: npz_bytes(x_train=X, y_train=Y[:, None]), ["shape"]),
    "count mismatch": (lambda: npz_bytes(x_train=X, y_train=Y[:3]), ["mismatch"]),
    "no images": (lambda: npz_bytes(x_train=X[:0], y_train=Y[:0]), ["no images"]),
    "label 10": (lambda: npz_bytes(x_train=X, y_train=np.array([1, 2, 10, 3])), ["range"]),
    "pixel 256": (lambda: npz_bytes(x_train=X.astype(np.int16) + 256, y_train=Y), ["range"]),
    "pixel -1": (lambda: npz_bytes(x_train=X.astype(np.int8) - 1, y_train=Y), ["range"]),
    "fractions": (lambda: npz_bytes(x_train=X / 255.0, y_train=Y), ["non-integer"]),
    "nan": (lambda: npz_bytes(x_train=X * np.nan, y_train=Y), ["nan"]),
    "gigabytes": (huge_npy_member, ["too large"]),
}


# --------------------------------------------------------------------------------- model files

def rewrite(path, arrays=None, header=None, drop=(), raw=None):
    """Write a variant of a model file: replace arrays or header fields, drop members."""
    with np.load(path, allow_pickle=False) as npz:
        data = {k: npz[k] for k in npz.files}
    h = json.loads(data["header"].tobytes())
    h.update(header or {})
    data["header"] = np.frombuffer(json.dumps(h).encode(), np.uint8)
    data.update(arrays or {})
    for k in drop:
        data.pop(k)
    out = path.with_name("variant.npz")
    np.savez(out, **data)
    return out


BROKEN_MODELS = {  # a valid model file's path -> the path of a broken variant
    "missing array": lambda p: rewrite(p, drop=["w1"]),
    "no header": lambda p: rewrite(p, drop=["header"]),
    "shapes do not chain": lambda p: rewrite(p, arrays={"w1": np.zeros((10, 17), np.float32)}),
    "newer format": lambda p: rewrite(p, header={"format_version": FORMAT_VERSION + 1}),
    "foreign format": lambda p: rewrite(p, header={"format": "keras"}),
    "non-finite weights": lambda p: rewrite(
        p, arrays={"w0": np.full((16, 784), np.nan, np.float32)}),
    "integer weights": lambda p: rewrite(p, arrays={"b0": np.zeros(16, np.int64)}),
    "unknown activation": lambda p: rewrite(p, header={"activation": "gelu"}),
    "bad sizes": lambda p: rewrite(p, header={"sizes": [784, -1, 10]}),
    "extra array": lambda p: rewrite(p, arrays={"w9": np.zeros(3, np.float32)}),
    "checksum mismatch": lambda p: rewrite(p, arrays={"b0": np.ones(16, np.float32)}),
    "bad config": lambda p: rewrite(p, header={"config": {"epochs": 0}}),
}
