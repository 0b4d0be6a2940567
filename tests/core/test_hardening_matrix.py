"""The hardening matrix: every bad input the issue lists, and a nastier corpus of our own.

Most single cases already have a test with its own expected message (``COVERAGE`` below maps
each case of the issue to it; a test checks that the map still points at real tests). This
module adds the cases nobody covered and, per format, one table-driven test that runs every
broken variant - the other modules' and ours - and asserts only the contract of the loaders:
the engine's own error (DataError / ModelFileError), the file's name in the message, nothing
else raised, no hang (each load runs under a time limit), and never a message saying the
failure was unforeseen. It then tests the download faults and the allocation rule the other
modules leave out.
"""

from __future__ import annotations

import ast
import errno
import gzip
import importlib
import io
import json
import os
import struct
import threading
import tracemalloc
import urllib.error
import urllib.request
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from helpers import broken, mirrors, reliability
from helpers.datafiles import IDX_NAMES, fake_mnist, idx_bytes, kaggle_csv_text, write_idx

import core.download as download
from core.data import (
    UNFORESEEN,
    load_data,
    load_idx,
    load_idx_folder,
    load_kaggle_csv,
    load_keras_npz,
)
from core.errors import DataError, DownloadCancelled, DownloadError, ModelFileError
from core.model_io import load_model, save_model
from core.network import Network

LIMIT = 10.0  # seconds any one load may take; the slowest case here takes about 0.1 s

# ------------------------------------------------------------------ where each case is tested

# the case: where it is tested (module::test, or broken::TABLE[key]: a case of a table in
# helpers/broken.py, which test_data.py or test_model_io.py runs, and this module too)
COVERAGE = {
    "IDX: wrong magic": "broken::BROKEN_IDX[bad magic]",
    "IDX: wrong dtype code": "broken::BROKEN_IDX[float dtype]",
    "IDX: truncated header": "broken::BROKEN_IDX[truncated dims]",
    "IDX: truncated payload": "broken::BROKEN_IDX[truncated payload]",
    "IDX: extra trailing bytes": "broken::BROKEN_IDX[trailing bytes]",
    "IDX: image/label count mismatch": "test_data::test_idx_count_mismatch",
    "IDX: dimensions other than 28x28": "broken::BROKEN_IDX[images 27x28]",
    "IDX: billions of images, refused from the file size": "broken::BROKEN_IDX[billions]",
    "IDX: ... before any allocation": "here::test_refused_before_allocation",
    "IDX: corrupt gzip": "broken::BROKEN_GZ[corrupt deflate]",
    "CSV: empty file": "broken::BROKEN_CSV[empty]",
    "CSV: header only": "broken::BROKEN_CSV[header only]",
    "CSV: missing label column in a train file": "broken::BROKEN_CSV[misspelt label]",
    "CSV: 783 pixel columns": "broken::BROKEN_CSV[783 pixels]",
    "CSV: 786 pixel columns": "broken::BROKEN_CSV[786 pixels]",
    "CSV: non-numeric cells": "broken::BROKEN_CSV[non-numeric]",
    "CSV: NaN": "broken::BROKEN_CSV[NaN cell]",
    "CSV: negative values": "broken::BROKEN_CSV[negative]",
    "CSV: values > 255": "broken::BROKEN_CSV[256]",
    "CSV: floats": "broken::BROKEN_CSV[12.5]",
    "CSV: labels outside 0-9": "broken::BROKEN_CSV[label 10]",
    "CSV: a UTF-8 BOM (accepted)": "test_data::test_csv_accepts_bom_crlf_quotes_and_whole_floats",
    "CSV: semicolon-separated": "broken::BROKEN_CSV[semicolons]",
    "CSV: test.csv opened as train": "test_data::test_csv_test_file",
    "model: truncated archive": "test_model_io::test_truncated_archives",
    "model: not a zip": "test_model_io::test_not_an_archive",
    "model: missing arrays": "broken::BROKEN_MODELS[missing array]",
    "model: shapes that do not chain": "broken::BROKEN_MODELS[shapes do not chain]",
    "model: header from a newer format version": "broken::BROKEN_MODELS[newer format]",
    "model: non-finite weights": "broken::BROKEN_MODELS[non-finite weights]",
    "model: object arrays refused": "test_model_io::test_object_arrays_are_refused_not_unpickled",
    "model: arrays that expand to gigabytes":
        "test_model_io::test_zip_bomb_is_refused_before_reading",
    "model: .npy headers that claim gigabytes": "here::test_refused_before_allocation",
    "fuzz: data files": "test_data_fuzz::test_mutated_idx",
    "fuzz: model files": "test_fuzz_models::test_mutated_model",
    "download: server closes mid-file": "test_download::test_every_mirror_fails",
    "download: stalls past the timeout": "test_download::test_first_mirror_fails_second_works",
    "download: wrong Content-Length": "test_download::test_first_mirror_fails_second_works",
    "download: 500 then success on the next mirror":
        "test_download::test_first_mirror_fails_second_works",
    "download: checksum mismatch on every mirror": "test_download::test_every_mirror_fails",
    "download: disk full while writing": "test_download::test_disk_full",
    "download: disk full at the final sync": "here::test_download_local_failures",
    "download: cancel at any point": "here::test_cancel_at_every_point",
    "download: only the listed mirrors (no redirect away)":
        "here::test_redirect_to_another_host_is_refused",
    "training: divergence restores the last good weights":
        "test_training::test_divergence_restores_last_good_weights",
    "training: 0 or 10^6 hidden units, 0 epochs":
        "test_training::test_absurd_settings_are_refused_as_the_config_is_made",
    "training: batch larger than the data": "test_training::test_batch_larger_than_data_is_refused",
    "atomic writes: SIGKILL mid-save":
        "test_model_io::test_sigkill_mid_save_leaves_old_or_complete_new",
    "security: no pickle, eval, exec; allow_pickle=False":
        "test_security::test_no_code_execution_in_the_source",
    "security: https mirrors only":
        "test_security::test_download_refuses_anything_but_the_https_mirrors",
    "security: no other network access": "test_security::test_engine_paths_make_no_network_access",
}


def test_coverage_map_points_at_real_tests():
    """Each entry names a test function of a test module (read from its source, not imported:
    test modules never import one another) or a key of a table in helpers/broken.py."""
    missing = []
    for case, where in COVERAGE.items():
        module, target = where.split("::")
        name, _, key = target.partition("[")
        if module == "broken":
            found = key.rstrip("]") in getattr(broken, name, {})
        else:
            here = Path(__file__)
            source = here if module == "here" else next(here.parents[1].rglob(module + ".py"))
            tree = ast.parse(source.read_text(encoding="utf-8"))
            found = any(isinstance(node, ast.FunctionDef) and node.name == name
                        for node in tree.body)
        if not found:
            missing.append(f"{case}: {module}.{target}")
    assert not missing, "COVERAGE names tests that do not exist:\n" + "\n".join(missing)


# ------------------------------------------------------------------------------- the harness


@dataclass
class Case:
    make: Callable[[Path], Path]  # builds the broken thing in an empty folder; returns its path
    load: Callable[[Path], object]


def write(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def special(name: str, kind: str) -> Callable[[Path], Path]:
    """A path named ``name`` that is not a regular file: a FIFO, a folder, a symlink loop, a
    dangling symlink or a character device (/dev/null)."""

    def make(folder: Path) -> Path:
        path = folder / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "loop":
            os.symlink(folder / ("loop-" + name), path)
            os.symlink(path, folder / ("loop-" + name))
        elif kind == "dangling":
            os.symlink(folder / "nowhere", path)
        elif kind == "device":
            os.symlink(os.devnull, path)
        return path

    return make


SPECIAL = ("fifo", "folder", "loop", "dangling", "device")


def run_matrix(cases: dict[str, Case], tmp_path: Path, error: type[Exception]) -> None:
    """Run every case; fail listing each one that broke the contract."""
    problems = []
    for i, (name, case) in enumerate(cases.items()):
        folder = tmp_path / f"case{i}"
        folder.mkdir()
        path = case.make(folder)
        try:
            with reliability.time_limit(LIMIT, f"loading {path.name}"):
                case.load(path)
        except error as e:
            message = str(e)
            if path.name not in message:
                problems.append(f"{name}: the message does not name {path.name}: {message}")
            elif UNFORESEEN in message:
                problems.append(f"{name}: unforeseen failure: {message}")
            else:
                reliability.count("bad_input")
        except Exception as e:  # noqa: BLE001 - any other exception is the failure we look for
            problems.append(f"{name}: {type(e).__name__}: {e}")
        else:
            problems.append(f"{name}: loaded without an error")
    assert not problems, f"{len(problems)} of {len(cases)} cases:\n" + "\n".join(problems)


def changing(target: str, action: Callable[[Path], None], load: Callable[[Path], object]):
    """``load`` with ``action(path)`` done to the file just after ``core.data.<target>`` (a
    "module.function" of the package) has first run: the file changes size while it is being
    read."""
    module, name = target.split(".")

    def run(path: Path):
        where = importlib.import_module(f"core.data.{module}")
        real = getattr(where, name)
        done = []

        def then_change(*args, **kwargs):
            result = real(*args, **kwargs)
            if not done:
                done.append(action(path))
            return result

        with mock.patch.object(where, name, then_change):
            return load(path)

    return run


def grow(path: Path) -> None:
    with open(path, "ab") as f:
        f.write(b"\0" * 5000)


def shrink(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def npy(array: np.ndarray, version=None) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), version=version, allow_pickle=True)
    return buf.getvalue()


def raw_npy(header: dict, body: bytes = b"") -> bytes:
    """A .npy member with any header at all, and ``body`` after it."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + body


def npy_with_header(text: str, body: bytes = b"") -> bytes:
    """A version 1.0 .npy member whose header is ``text``, padded as numpy pads it."""
    raw = text.encode("latin1")
    raw += b" " * (-(10 + len(raw) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(raw)) + raw + body


CODE_HEADER = "{'descr': __import__('os').getcwd(), 'fortran_order': False, 'shape': (1,)}"


def zip_of(members: list[tuple[str, bytes]], method=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": on purpose
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, content in members:
                zf.writestr(name, content)
    return buf.getvalue()


def set_zip_field(archive: bytes, signature: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite a field at ``offset`` in every zip record that starts with ``signature``."""
    raw, i = bytearray(archive), 0
    while (i := raw.find(signature, i)) != -1:
        raw[i + offset:i + offset + len(value)] = value
        i += 4
    return bytes(raw)


def encrypted(archive: bytes) -> bytes:
    archive = set_zip_field(archive, b"PK\x03\x04", 6, b"\x01")
    return set_zip_field(archive, b"PK\x01\x02", 8, b"\x01")


def unknown_method(archive: bytes) -> bytes:
    return set_zip_field(archive, b"PK\x01\x02", 10, b"\x63")  # compression method 99


# ---------------------------------------------------------------------------------------- IDX

IMAGES, LABELS = fake_mnist(5, np.random.default_rng(4))
TRAIN_IMAGES, TRAIN_LABELS = IDX_NAMES["train", "images"], IDX_NAMES["train", "labels"]


def idx_header(*dims: int, code: int = 0x08) -> bytes:
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


def mnist_folder(images: np.ndarray, labels: np.ndarray) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        write_idx(folder / (TRAIN_IMAGES + ".gz"), images)
        write_idx(folder / (TRAIN_LABELS + ".gz"), labels)
        return folder

    return make


def gzip_bomb() -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(idx_bytes(IMAGES))
        for _ in range(50):
            f.write(bytes(2**20))
    return buf.getvalue()


def idx_cases() -> dict[str, Case]:
    cases = {}
    for name, (content, _) in {**broken.BROKEN_IDX, **broken.BROKEN_LABELS}.items():
        base = TRAIN_LABELS if name in broken.BROKEN_LABELS else TRAIN_IMAGES
        cases[f"{name} (raw)"] = Case(write(base, content), load_idx)
        cases[f"{name} (gz)"] = Case(write(base + ".gz", gzip.compress(content)), load_idx)
    for name, (make, _) in broken.BROKEN_GZ.items():
        cases[f"gzip: {name}"] = Case(write(TRAIN_IMAGES + ".gz", make()), load_idx)
    valid = idx_bytes(IMAGES)
    big = np.random.default_rng(0).bytes(300 * 784)
    big = idx_header(300, 28, 28) + big
    ours = {
        "count mismatch (folder)": Case(mnist_folder(IMAGES, LABELS[:4]), load_idx_folder),
        "count mismatch (load_data)": Case(mnist_folder(IMAGES[:2], LABELS), load_data),
        "0-byte .gz": Case(write(TRAIN_IMAGES + ".gz", b""), load_idx),
        "gzip of a gzip": Case(write(TRAIN_IMAGES + ".gz", gzip.compress(gzip.compress(valid))),
                               load_idx),
        "gzip bomb past the declared size": Case(write("bomb.gz", gzip_bomb()),
                                                 lambda p: load_idx(p, "images")),
        "ndim 255 (images)": Case(write(TRAIN_IMAGES, idx_header(*[28] * 255)), load_idx),
        "ndim 255 (auto)": Case(write("blob.idx", idx_header(*[5] * 255)), load_idx),
        "ndim 2 (auto)": Case(write("blob.idx", idx_header(5, 784) + bytes(5 * 784)), load_idx),
        "N = 2^31 + 5, past int32": Case(write(TRAIN_IMAGES, idx_header(2**31 + 5, 28, 28)),
                                         load_idx),
        "N = 2^32 - 1": Case(write(TRAIN_IMAGES, idx_header(2**32 - 1, 28, 28)), load_idx),
        "28 x (2^32 - 1) images": Case(write(TRAIN_IMAGES, idx_header(3, 2**32 - 1, 28)),
                                       load_idx),
        "5-D, sizes past 2^64 in product": Case(write("blob.idx", idx_header(*[2**32 - 1] * 5)),
                                                load_idx),
        "labels 2^32 - 1 (gz)": Case(write(TRAIN_LABELS + ".gz",
                                           gzip.compress(idx_header(2**32 - 1))), load_idx),
        "int32 data (code 0x0c)": Case(write(TRAIN_IMAGES, idx_header(5, 28, 28, code=0x0C)
                                             + bytes(4 * 5 * 784)), load_idx),
        "images named as labels": Case(write(TRAIN_LABELS, valid), load_idx),
        "labels named as images": Case(write(TRAIN_IMAGES, idx_bytes(LABELS)), load_idx),
        "a zip named .gz": Case(write(TRAIN_IMAGES + ".gz", zip_of([("x", valid)])), load_idx),
        # (larger than a read buffer, so that the change is not read around)
        "grows while read": Case(write(TRAIN_IMAGES, big),
                                 changing("idx.read_upto", grow, load_idx)),
        "shrinks while read": Case(write(TRAIN_IMAGES, big),
                                   changing("idx.read_upto", shrink, load_idx)),
        "gz shrinks while read": Case(write(TRAIN_IMAGES + ".gz", gzip.compress(big)),
                                      changing("idx.read_upto", shrink, load_idx)),
    }
    for kind in SPECIAL:
        ours[f"{kind} named as an IDX file"] = Case(special(TRAIN_IMAGES + ".gz", kind),
                                                    load_idx)
        ours[f"{kind} in an IDX folder"] = Case(folder_with_special(kind), load_idx_folder)
    return cases | ours


def folder_with_special(kind: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        write_idx(folder / (TRAIN_LABELS + ".gz"), LABELS)
        special(TRAIN_IMAGES + ".gz", kind)(folder)
        return folder

    return make


def test_idx_matrix(tmp_path):
    run_matrix(idx_cases(), tmp_path, DataError)


def test_idx_that_looks_odd_but_is_valid(tmp_path):
    valid = idx_bytes(IMAGES)
    parts = gzip.compress(valid[:100], mtime=0) + gzip.compress(valid[100:], mtime=0)
    path = tmp_path / (TRAIN_IMAGES + ".gz")
    path.write_bytes(parts)  # two gzip members: one stream, as gzip(1) reads it
    assert np.array_equal(load_idx(path), IMAGES)


# ---------------------------------------------------------------------------------------- CSV

CSV = kaggle_csv_text(IMAGES, LABELS)
HEADER, BODY = CSV.split("\n", 1)


def cell(text: str, row: int, col: int, value: str) -> str:
    return broken.replace_cell(text, row, col, value)


def csv_cases() -> dict[str, Case]:
    cases = {f"{name}": Case(write("train.csv", text.encode()), load_kaggle_csv)
             for name, (text, _) in broken.BROKEN_CSV.items()}
    cases |= {f"{name} (load_data)": Case(write("train.csv", text.encode()), load_data)
              for name, (text, _) in broken.BROKEN_CSV.items()}
    test_csv = kaggle_csv_text(IMAGES, None).encode()
    wide = ",".join(f"pixel{i}" for i in range(10**6))
    ours = {
        "test.csv opened as train": Case(write("test.csv", test_csv),
                                         lambda p: load_kaggle_csv(p, kind="train")),
        "test.csv given to load_data": Case(write("test.csv", test_csv), load_data),
        "train.csv opened as test": Case(write("train.csv", CSV.encode()),
                                         lambda p: load_kaggle_csv(p, kind="test")),
        "10^6-column header": Case(write("wide.csv", f"label,{wide}\n1{',0' * 10**6}\n".encode()),
                                   load_kaggle_csv),
        "first line over 1 MiB, no newline": Case(write("long.csv", b"a" * (3 << 20)),
                                                  load_kaggle_csv),
        "first data row of 10^5 fields": Case(write("train.csv", (
            f"{HEADER}\n1{',0' * 10**5}\n{BODY}").encode()), load_kaggle_csv),
        "third data row of 10^6 fields": Case(write("train.csv", (
            CSV + f"1{',0' * 10**6}\n").encode()), load_kaggle_csv),
        "CR-only line endings": Case(write("train.csv", CSV.replace("\n", "\r").encode()),
                                     load_kaggle_csv),
        "quoted non-numeric cell": Case(write("train.csv", cell(CSV, 1, 9, '"abc"').encode()),
                                        load_kaggle_csv),
        "unterminated quote": Case(write("train.csv", cell(CSV, 1, 9, '"7').encode()),
                                   load_kaggle_csv),
        "quoted newline in a cell": Case(write("train.csv", cell(CSV, 1, 9, '"7\n8"').encode()),
                                         load_kaggle_csv),
        "NUL byte in a cell": Case(write("train.csv", cell(CSV, 1, 9, "\0").encode()),
                                   load_kaggle_csv),
        "400-digit number": Case(write("train.csv", cell(CSV, 1, 9, "9" * 400).encode()),
                                 load_kaggle_csv),
        "1e400 (infinite)": Case(write("train.csv", cell(CSV, 1, 9, "1e400").encode()),
                                 load_kaggle_csv),
        "hex number": Case(write("train.csv", cell(CSV, 1, 9, "0x10").encode()), load_kaggle_csv),
        "label 9.5": Case(write("train.csv", cell(CSV, 0, 0, "9.5").encode()), load_kaggle_csv),
        "label text": Case(write("train.csv", cell(CSV, 0, 0, "seven").encode()),
                           load_kaggle_csv),
        "duplicate pixel column": Case(write("train.csv", CSV.replace("pixel1,", "pixel0,", 1)
                                             .encode()), load_kaggle_csv),
        "trailing comma on every row": Case(write("train.csv", CSV.replace("\n", ",\n").encode()),
                                            load_kaggle_csv),
        "trailing comma on data rows": Case(write("train.csv", (HEADER + "\n" + BODY.replace(
            "\n", ",\n")).encode()), load_kaggle_csv),
        "BOM and semicolons": Case(write("train.csv", ("\ufeff" + CSV.replace(",", ";"))
                                         .encode()), load_kaggle_csv),
        "UTF-16 with BOM": Case(write("train.csv", CSV.encode("utf-16")), load_kaggle_csv),
        "gzip named .csv": Case(write("train.csv", gzip.compress(CSV.encode())),
                                load_kaggle_csv),
        "shrinks while read": Case(write("train.csv", CSV.encode()),
                                   changing("kaggle._check_csv_header", shrink, load_kaggle_csv)),
        "grows garbage while read": Case(write("train.csv", CSV.encode()), changing(
            "kaggle._check_csv_header", lambda p: p.open("ab").write(b"\xff\xfe" * 3000),
            load_kaggle_csv)),
        "unknown extension": Case(write("digits.txt", CSV.encode()), load_data),
    }
    for kind in SPECIAL:
        ours[f"{kind} named train.csv"] = Case(special("train.csv", kind), load_kaggle_csv)
        ours[f"{kind} named train.csv (load_data)"] = Case(special("train.csv", kind), load_data)
    return cases | ours


def test_csv_matrix(tmp_path):
    run_matrix(csv_cases(), tmp_path, DataError)


def test_csv_that_looks_odd_but_is_valid(tmp_path):
    expected = load_kaggle_csv(write("plain.csv", CSV.encode())(tmp_path))
    quoted = "\n".join([HEADER] + [",".join(f'"{c}"' for c in line.split(","))
                                   for line in BODY.splitlines()]) + "\n"
    variants = {
        "quoted.csv": quoted,
        "crlf-bom.csv": "\ufeff" + CSV.replace("\n", "\r\n"),
        "blank-lines.csv": CSV.replace("\n", "\n\n"),
        "spaces.csv": cell(CSV, 1, 9, f" {IMAGES[1, 0, 8]} "),
        "exponent.csv": cell(CSV, 1, 9, f"{IMAGES[1, 0, 8]}e0"),
        "no-final-newline.csv": CSV.rstrip("\n"),
    }
    for name, text in variants.items():
        ds = load_kaggle_csv(write(name, text.encode())(tmp_path))
        assert ds.checksum() == expected.checksum(), name


# ---------------------------------------------------------------------------------------- NPZ


def npz_members(**override: bytes) -> list[tuple[str, bytes]]:
    members = {"x_train.npy": npy(IMAGES), "y_train.npy": npy(LABELS)}
    members.update({k + ".npy": v for k, v in override.items()})
    return list(members.items())


def npz_cases() -> dict[str, Case]:
    cases = {name: Case(write("mnist.npz", make()), load_keras_npz)
             for name, (make, _) in broken.BROKEN_NPZ.items()}
    cases |= {f"{name} (load_data)": Case(write("mnist.npz", make()), load_data)
              for name, (make, _) in broken.BROKEN_NPZ.items()}
    good = zip_of(npz_members())
    ours = {
        "x_train twice": Case(write("mnist.npz", zip_of(npz_members() + [(
            "x_train.npy", npy(IMAGES[:1]))])), load_keras_npz),
        "x_train and x_train.npy": Case(write("mnist.npz", zip_of(npz_members() + [(
            "x_train", npy(IMAGES))])), load_keras_npz),
        ".npy version 3": Case(write("mnist.npz", zip_of(npz_members(
            x_train=npy(IMAGES, version=(3, 0))))), load_keras_npz),
        "x_train claims 200 MB": Case(write("mnist.npz", zip_of(npz_members(x_train=raw_npy(
            {"descr": "|u1", "fortran_order": False, "shape": (255_000, 28, 28)}, b"\0" * 64)))),
            load_keras_npz),
        "x_train claims 2^70 elements": Case(write("mnist.npz", zip_of(npz_members(
            x_train=raw_npy({"descr": "|u1", "fortran_order": False,
                             "shape": (2**35, 2**35, 1)})))), load_keras_npz),
        "x_train 0-d": Case(write("mnist.npz", zip_of(npz_members(x_train=npy(np.uint8(3))))),
                            load_keras_npz),
        "header that calls a function": Case(write("mnist.npz", zip_of(npz_members(
            x_train=npy_with_header(CODE_HEADER)))), load_keras_npz),
        "encrypted member": Case(write("mnist.npz", encrypted(good)), load_keras_npz),
        "compression method 99": Case(write("mnist.npz", unknown_method(good)), load_keras_npz),
        "deflated, then cut": Case(write("mnist.npz", zip_of(
            npz_members(), zipfile.ZIP_DEFLATED)[:700]), load_keras_npz),
        "gzip named .npz": Case(write("mnist.npz", gzip.compress(good)), load_keras_npz),
        "shrinks while read": Case(write("mnist.npz", good),
                                   changing("keras._read_npy", shrink, load_keras_npz)),
    }
    for kind in SPECIAL:
        ours[f"{kind} named mnist.npz"] = Case(special("mnist.npz", kind), load_keras_npz)
    return cases | ours


def test_npz_matrix(tmp_path):
    run_matrix(npz_cases(), tmp_path, DataError)


# -------------------------------------------------------------------------------------- model

NET = Network([784, 16, 10], rng=np.random.default_rng(5))


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory) -> bytes:
    path = save_model(tmp_path_factory.mktemp("model") / "m.npz", NET, metrics={"a": 0.5})
    return path.read_bytes()


def model_arrays(model: bytes) -> tuple[dict, dict]:
    with np.load(io.BytesIO(model), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return arrays, json.loads(arrays.pop("header").tobytes())


def model_zip(arrays: dict, header: dict | bytes | np.ndarray, extra=(), **members: bytes):
    """A model archive: ``header`` (a dict, raw JSON bytes or an array), the arrays as .npy,
    ``members`` replacing some of them with raw bytes, then ``extra`` (name, bytes) pairs."""
    if isinstance(header, dict):
        header = json.dumps(header).encode()
    if isinstance(header, bytes):
        header = np.frombuffer(header, np.uint8)
    out = {"header.npy": npy(header)} | {k + ".npy": npy(v) for k, v in arrays.items()}
    out |= {k + ".npy": v for k, v in members.items()}
    return zip_of(list(out.items()) + list(extra))


def model_cases(model: bytes) -> dict[str, Case]:
    arrays, h = model_arrays(model)
    cases = {}
    for name, variant in broken.BROKEN_MODELS.items():
        def make(folder, variant=variant):
            (folder / "m.npz").write_bytes(model)
            return variant(folder / "m.npz")

        cases[name] = Case(make, load_model)
    for content in (b"", b"hello", b"PK\x03\x04garbage", b"\x93NUMPY"):
        cases[f"not an archive: {content[:8]!r}"] = Case(write("x.npz", content), load_model)
    for cut in (10, 100, len(model) // 3, len(model) // 2, len(model) - 30, len(model) - 1):
        cases[f"cut at {cut}"] = Case(write("cut.npz", model[:cut]), load_model)
    dumped = json.dumps(h)
    bomb = zip_of([("header.npy", b""), ("w0.npy", bytes(300 * 2**20))], zipfile.ZIP_DEFLATED)

    def hv(**changes):
        return h | changes

    def m(name: str, *args, **kwargs) -> Case:
        return Case(write(name, model_zip(arrays, *args, **kwargs)), load_model)

    ours = {
        "zip bomb (300 MiB of zeros)": Case(write("bomb.npz", bomb), load_model),
        "header: JSON array": m("m.npz", b"[1, 2, 3]"),
        "header: JSON string": m("m.npz", b'"ffn-gui-model"'),
        "header: nested 100,000 deep": m("m.npz", b"[" * 100_000 + b"]" * 100_000),
        "header: nested deep inside": m("m.npz", dumped[:-1].encode() + b', "x": '
                                        + b"{\"a\": " * 50_000 + b"1" + b"}" * 50_001),
        "header: over 1 MiB": m("m.npz", hv(name="x" * (2**20 + 10))),
        "header: 5000-digit version": m("m.npz", dumped.replace(
            '"format_version": 1', '"format_version": ' + "9" * 5000).encode()),
        "header: NaN version": m("m.npz", dumped.replace(
            '"format_version": 1', '"format_version": NaN').encode()),
        "header: Infinity in sizes": m("m.npz", dumped.replace("[784,", "[Infinity,").encode()),
        "header: NaN learning rate": m("m.npz", json.dumps(hv(config={
            "learning_rate": float("nan")})).encode()),
        "header: version 1.0": m("m.npz", hv(format_version=1.0)),
        "header: version true": m("m.npz", hv(format_version=True)),
        "header: version 0": m("m.npz", hv(format_version=0)),
        "header: newer version as a string": m("m.npz", hv(format_version="2")),
        "header: sizes a string": m("m.npz", hv(sizes="784,16,10")),
        "header: 100,000 layers": m("m.npz", hv(sizes=[784] + [1] * 100_000 + [10])),
        "header: layer of 10^6 units": m("m.npz", hv(sizes=[784, 10**6, 10])),
        "header: activation a list": m("m.npz", hv(activation=["relu"])),
        "header: cost a dict": m("m.npz", hv(cost={})),
        "header: dtype float16": m("m.npz", hv(dtype="float16")),
        "header: config a list": m("m.npz", hv(config=[1, 2])),
        "header: config 10^30 units": m("m.npz", hv(config={"hidden": [10**30]})),
        "header: metrics a list": m("m.npz", hv(metrics=[1])),
        "header: data checksum a number": m("m.npz", hv(data_checksum=5)),
        "header: not UTF-8": m("m.npz", b"\xff\xfe{}"),
        "header: int8": m("m.npz", np.frombuffer(dumped.encode(), np.int8)),
        "header: 2-D": m("m.npz", np.frombuffer(dumped.encode(), np.uint8).reshape(1, -1)),
        "header: object array": m("m.npz", np.array([h], dtype=object)),
        "w0 holds objects": m("m.npz", h, w0=npy(np.array([1, None], dtype=object))),
        "w0 complex": m("m.npz", h, w0=npy(arrays["w0"].astype(np.complex64))),
        "w0 strings": m("m.npz", h, w0=npy(np.full((16, 784), "a"))),
        "w0 datetimes": m("m.npz", h, w0=npy(np.zeros((16, 784), "M8[s]"))),
        "w0 structured": m("m.npz", h, w0=npy(np.zeros((16, 784), [("a", "<f4")]))),
        "w0 float16 (checksum)": m("m.npz", h, w0=npy(arrays["w0"].astype(np.float16))),
        "w0 .npy version 3": m("m.npz", h, w0=npy(arrays["w0"], version=(3, 0))),
        "w0 claims 10^12 floats": m("m.npz", h, w0=raw_npy(
            {"descr": "<f4", "fortran_order": False, "shape": (10**12,)}, b"\0" * 64)),
        "w0 claims 2 GiB": m("m.npz", h, w0=raw_npy(
            {"descr": "<f4", "fortran_order": False, "shape": (2**29,)}, b"\0" * 64)),
        "w0 claims 2^124 floats": m("m.npz", h, w0=raw_npy(
            {"descr": "<f4", "fortran_order": False, "shape": (2**62, 2**62)})),
        "w0 negative shape": m("m.npz", h, w0=raw_npy(
            {"descr": "<f4", "fortran_order": False, "shape": (-1, 784)}, b"\0" * 64)),
        "w0 header length 10^8": m("m.npz", h, w0=b"\x93NUMPY\x02\x00" + struct.pack(
            "<I", 10**8) + b" " * 1000),
        "w0 header that calls a function": m("m.npz", h, w0=npy_with_header(CODE_HEADER)),
        "w0 not a .npy member": Case(write("m.npz", zip_of(
            [("header.npy", npy(np.frombuffer(dumped.encode(), np.uint8))),
             ("w0", npy(arrays["w0"]))] + [(k + ".npy", npy(v)) for k, v in arrays.items()
                                           if k != "w0"])), load_model),
        "w0 twice": m("m.npz", h, extra=[("w0.npy", npy(np.zeros((16, 784), np.float32)))]),
        "header twice": m("m.npz", h, extra=[("header.npy", npy(np.frombuffer(
            json.dumps(hv(format_version=9)).encode(), np.uint8)))]),
        "members in a folder": Case(write("m.npz", zip_of(
            [("sub/" + n, b) for n, b in zipfile_members(model)])), load_model),
        "members named ../": Case(write("m.npz", zip_of(
            [("../" + n, b) for n, b in zipfile_members(model)])), load_model),
        "100,000 members": m("m.npz", h, extra=[(f"x{i}.npy", b"") for i in range(100_000)]),
        "empty zip": Case(write("m.npz", zip_of([])), load_model),
        "encrypted": Case(write("m.npz", encrypted(model)), load_model),
        "compression method 99": Case(write("m.npz", unknown_method(model)), load_model),
        "central directory sizes forged": Case(write("m.npz", set_zip_field(
            model, b"PK\x01\x02", 24, struct.pack("<I", 10))), load_model),
        "a Keras mnist.npz": Case(write("mnist.npz", zip_of(npz_members())), load_model),
        "shrinks while read": Case(write("m.npz", model), changing_model(shrink)),
        "overwritten while read": Case(write("m.npz", model), changing_model(
            lambda p: p.write_bytes(b"PK" + bytes(len(model))))),
    }
    for kind in SPECIAL:
        ours[f"{kind} named m.npz"] = Case(special("m.npz", kind), load_model)
    return cases | ours


def zipfile_members(archive: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def changing_model(action: Callable[[Path], None]) -> Callable[[Path], object]:
    """load_model with ``action(path)`` done between the member checks and reading the arrays;
    the loader holds one open file, so the change is seen through it or not at all."""
    import core.model_io as model_io

    def run(path: Path):
        real = model_io._check_members

        def then_change(*args):
            names = real(*args)
            action(path)
            return names

        with mock.patch.object(model_io, "_check_members", then_change):
            return load_model(path)

    return run


def test_model_matrix(tmp_path, model_bytes):
    run_matrix(model_cases(model_bytes), tmp_path, ModelFileError)


def test_models_that_look_odd_but_are_valid(tmp_path, model_bytes):
    arrays, h = model_arrays(model_bytes)
    X = np.random.default_rng(0).random((3, 784))
    expected = NET.feedforward(X)
    variants = {
        "fortran-order weights": model_zip(arrays, h, w0=npy(np.asfortranarray(arrays["w0"]))),
        "big-endian weights": model_zip(arrays, h, w0=npy(arrays["w0"].astype(">f4"))),
        "float64 weights": model_zip(arrays, h, w0=npy(arrays["w0"].astype(np.float64))),
        ".npy version 2": model_zip(arrays, h, w0=npy(arrays["w0"], version=(2, 0))),
        "deflated": zip_of(zipfile_members(model_bytes), zipfile.ZIP_DEFLATED),
        "stored": zip_of(zipfile_members(model_bytes), zipfile.ZIP_STORED),
        # json.dumps writes NaN for a float nan, so a metric may be NaN (nowhere else)
        "NaN metric": model_zip(arrays, json.dumps(h | {"metrics": {"a": float("nan")}})
                                .encode()),
    }
    for name, content in variants.items():
        path = tmp_path / "odd.npz"
        path.write_bytes(content)
        model = load_model(path)
        np.testing.assert_allclose(model.network.feedforward(X), expected, rtol=1e-6,
                                   err_msg=name)


# ------------------------------------------------------------- refused before any allocation


def model_claiming(model: bytes, nbytes: int) -> bytes:
    """The model with w0's .npy header claiming ``nbytes`` of floats, and 64 bytes of data."""
    arrays, h = model_arrays(model)
    return model_zip(arrays, h, w0=raw_npy(
        {"descr": "<f4", "fortran_order": False, "shape": (nbytes // 4,)}, b"\0" * 64))


ALLOCATION = {  # case: (file name, make(a valid model's bytes) -> content, loader)
    "IDX raw: 2 billion images": (TRAIN_IMAGES, lambda m: idx_header(2 * 10**9, 28, 28)
                                  + bytes(100), load_idx),
    "IDX raw: a million images, tiny file": (TRAIN_IMAGES, lambda m: idx_header(10**6, 28, 28),
                                             load_idx),
    "IDX gz: 2 billion images": (TRAIN_IMAGES + ".gz", lambda m: gzip.compress(
        idx_header(2 * 10**9, 28, 28) + bytes(100)), load_idx),
    "IDX gz: a million images, tiny file": (TRAIN_IMAGES + ".gz", lambda m: gzip.compress(
        idx_header(10**6, 28, 28) + bytes(100)), load_idx),
    "NPZ: x_train claims 6 GB": ("mnist.npz", lambda m: broken.huge_npy_member(), load_keras_npz),
    "NPZ: x_train claims 200 MB, holds 64 bytes": ("mnist.npz", lambda m: zip_of(npz_members(
        x_train=raw_npy({"descr": "|u1", "fortran_order": False, "shape": (255_000, 28, 28)},
                        b"\0" * 64))), load_keras_npz),
    "model: w0 claims 2 GiB": ("m.npz", lambda m: model_claiming(m, 2**31), load_model),
    "model: w0 claims 200 MiB": ("m.npz", lambda m: model_claiming(m, 200 * 2**20), load_model),
    "model: 300 MiB of zeros in 300 KiB": ("bomb.npz", lambda m: zip_of(
        [("header.npy", b""), ("w0.npy", bytes(300 * 2**20))], zipfile.ZIP_DEFLATED),
        load_model),
}


@pytest.mark.parametrize("case", ALLOCATION)
def test_refused_before_allocation(tmp_path, case, model_bytes):
    """A file that claims a huge array is refused from what it claims (against the file's or
    the archive member's size and the limits), before anything of that size is allocated."""
    name, make, load = ALLOCATION[case]
    path = tmp_path / name
    path.write_bytes(make(model_bytes))
    tracemalloc.start()
    try:
        with pytest.raises((DataError, ModelFileError)) as info:
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert name in str(info.value)
    assert peak < 4 * 2**20, f"{case}: {peak / 2**20:.1f} MiB allocated before refusing"
    reliability.count("bad_input")


# ----------------------------------------------------------------------------------- download


@pytest.fixture
def server():
    s = mirrors.Server()
    yield s
    s.close()


def polls_in_a_download(server, dest) -> int:
    """How many times a whole download asks whether it is cancelled."""
    polls = []
    mirrors.fetch(server, dest, cancel=lambda: polls.append(1) and False)
    return len(polls)


def test_cancel_at_every_point(server, tmp_path):
    """Cancel at each point where the download looks: before the folder is made, before each
    file, before and after each chunk, after the checksum. Every time: DownloadCancelled with
    a clear message, only complete verified files in the folder, and a retry that works."""
    n = polls_in_a_download(server, tmp_path / "probe")
    assert n >= 8
    for k in range(1, n + 1):
        dest = tmp_path / f"cancel{k}"
        polls = []

        def cancel(polls=polls, k=k):
            polls.append(1)
            return len(polls) >= k

        with pytest.raises(DownloadCancelled) as info:
            mirrors.fetch(server, dest, cancel=cancel)
        assert "cancelled" in str(info.value) and "nothing partial" in str(info.value)
        if dest.exists():
            mirrors.assert_only_verified(dest)
        mirrors.fetch(server, dest)
        mirrors.assert_complete(dest)
        reliability.count("download_faults")


def test_redirect_to_another_host_is_refused(server, tmp_path):
    port = server.httpd.server_address[1]
    server.script[("m1", "a.gz")] = ("redirect", f"http://localhost:{port}/m2/a.gz")
    mirrors.fetch(server, tmp_path)
    mirrors.assert_complete(tmp_path)
    # m1's redirect was refused, not followed: a.gz came from m2 by its own request
    assert server.requests[:2] == [("m1", "a.gz"), ("m2", "a.gz")]
    # every mirror redirecting away: a clear error, nothing kept
    dest = tmp_path / "all"
    for m in ("m1", "m2"):
        server.script[(m, "b.gz")] = ("redirect", f"http://localhost:{port}/{m}/b.gz")
    with pytest.raises(DownloadError, match="another host"):
        mirrors.fetch(server, dest)
    assert [p.name for p in dest.iterdir()] == ["a.gz"]
    reliability.count("download_faults", 2)


def test_redirect_within_the_mirror_is_followed(server, tmp_path):
    server.script[("m1", "a.gz")] = ("redirect", "/m1/b.gz")  # same host, other path
    server.script[("m1", "b.gz")] = ("ok",)
    with pytest.raises(DownloadError, match="checksum"):  # b.gz's bytes under a.gz's md5
        mirrors.fetch(server, tmp_path, mirrors=server.mirrors[:1])
    assert server.requests == [("m1", "a.gz"), ("m1", "b.gz")]
    assert list(tmp_path.iterdir()) == []
    reliability.count("download_faults")


def test_redirect_from_https_to_http_is_refused():
    handler = download._SameSchemeRedirects()
    request = urllib.request.Request(download.MIRRORS[0] + "a.gz")
    with pytest.raises(urllib.error.HTTPError, match="non-https"):
        handler.redirect_request(request, None, 302, "Found", {},
                                 "http://" + request.full_url.removeprefix("https://"))
    with pytest.raises(urllib.error.HTTPError, match="another host"):
        handler.redirect_request(request, None, 302, "Found", {}, "https://example.com/a.gz")
    same = handler.redirect_request(request, None, 302, "Found", {},
                                    download.MIRRORS[0] + "b.gz")
    assert same.full_url == download.MIRRORS[0] + "b.gz"


def oserror(code: int) -> Callable:
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("where, words", [
    ("fsync", "no space left on the device holding"),
    ("replace", "permission denied"),
    ("tempfile", "the device holding it is read-only"),
])
def test_download_local_failures(server, tmp_path, monkeypatch, where, words):
    """A local failure (disk full at the final sync, a rename refused, a folder that cannot be
    written) is a clear DownloadError at once - no mirror can fix it - and leaves nothing."""
    if where == "tempfile":
        monkeypatch.setattr(download.tempfile, "NamedTemporaryFile", oserror(errno.EROFS))
    else:
        code = errno.ENOSPC if where == "fsync" else errno.EACCES
        monkeypatch.setattr(download.os, where, oserror(code))
    with pytest.raises(DownloadError) as info:
        mirrors.fetch(server, tmp_path)
    message = str(info.value)
    assert words in message and "a.gz" in message, message  # core.atomic.write_error's words
    assert server.requests == [("m1", "a.gz")]
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    mirrors.fetch(server, tmp_path)  # a retry works
    mirrors.assert_complete(tmp_path)
    reliability.count("download_faults")


def test_download_while_another_thread_cancels(server, tmp_path):
    """Cancel from another thread (as the window's Cancel button does) during a slow mirror."""
    server.script[("m1", "a.gz")] = ("stall", 70_000)
    event = threading.Event()
    timer = threading.Timer(0.2, event.set)
    timer.start()
    try:
        with pytest.raises(DownloadCancelled):
            mirrors.fetch(server, tmp_path, cancel=event, timeout=0.5)
    finally:
        timer.cancel()
    assert list(tmp_path.iterdir()) == []
    reliability.count("download_faults")
