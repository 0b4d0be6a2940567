"""core.data: round trips of IDX / CSV / NPZ files, and one test per way a file can be broken.

Every broken file must raise DataError whose message names the file and says what is wrong.
"""

import gzip
import os
from pathlib import Path

import numpy as np
import pytest
from helpers import reliability
from helpers.broken import (
    BROKEN_CSV,
    BROKEN_GZ,
    BROKEN_IDX,
    BROKEN_LABELS,
    BROKEN_NPZ,
    csv_text,
    good_images,
    replace_cell,
)
from helpers.datafiles import (
    CSV_HEADER,
    IDX_NAMES,
    fake_mnist,
    kaggle_csv_text,
    write_idx,
    write_kaggle_csv,
    write_keras_npz,
    write_mnist_folder,
)

import core.data as data
from core.data import find, kaggle
from core.data import (
    Dataset,
    MnistData,
    default_data_dir,
    find_mnist,
    load_data,
    load_idx,
    load_idx_folder,
    load_kaggle_csv,
    load_keras_npz,
)
from core.errors import ConfigError, DataError
from core.rows import as_inputs

# Seconds after which a load has hung. How fast loads are is benchmarks/bench_latency.py's business:
# a unit test on a busy 2-core CI machine can only catch a hang.
HANG = 10


def raises_data_error(load, path, *words):
    """Call ``load(path)``; it must raise DataError naming the file and one of ``words``."""
    with pytest.raises(DataError) as info:
        load(path)
    message = str(info.value)
    assert Path(path).name in message, message
    assert any(w.lower() in message.lower() for w in words), message
    assert data.UNFORESEEN not in message, message
    reliability.count("bad_input")
    return message


# ------------------------------------------------------------------------------------ Dataset


def make_dataset(n=20, seed=0, labelled=True):
    images, labels = fake_mnist(n, np.random.default_rng(seed))
    return Dataset(images, labels if labelled else None, "fake")


def test_dataset_images_as_inputs_are_float32_rows_in_unit_range():
    ds = make_dataset(7)
    x = as_inputs(ds.images)
    assert x.shape == (7, 784) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() <= 1
    np.testing.assert_allclose(x * 255, ds.images.reshape(7, 784), atol=1e-4)
    assert x.flags.c_contiguous and x.flags.writeable
    assert len(ds) == 7


def test_dataset_checksum_covers_images_and_labels():
    a, b = make_dataset(seed=1), make_dataset(seed=1)
    assert a.checksum() == b.checksum() and len(a.checksum()) == 64
    labels = a.labels.copy()
    labels[0] = (labels[0] + 1) % 10
    assert Dataset(a.images, labels).checksum() != a.checksum()
    assert make_dataset(seed=1, labelled=False).checksum() != a.checksum()


def test_dataset_split_is_random_disjoint_and_complete():
    ds = make_dataset(50)
    train, valid = ds.split(12, np.random.default_rng(3))
    assert (len(train), len(valid)) == (38, 12)
    rows = {r.tobytes() for r in ds.images}
    got = [r.tobytes() for r in train.images] + [r.tobytes() for r in valid.images]
    assert len(set(got)) == len(got) == 50 and set(got) == rows
    for part in (train, valid):
        assert part.images.flags.c_contiguous and part.labels.flags.c_contiguous
    again, _ = ds.split(12, np.random.default_rng(3))
    assert np.array_equal(again.images, train.images)
    other, _ = ds.split(12, np.random.default_rng(4))
    assert not np.array_equal(other.images, train.images)
    assert make_dataset(10, labelled=False).split(3, np.random.default_rng(0))[1].labels is None


@pytest.mark.parametrize("n_valid", [50, 51, -1, 0.2, "3"])
def test_dataset_split_rejects_impossible_sizes(n_valid):
    with pytest.raises(ConfigError):
        make_dataset(50).split(n_valid, np.random.default_rng(0))


def test_dataset_subset_takes_the_first_n():
    ds = make_dataset(10)
    sub = ds.subset(4)
    assert np.array_equal(sub.images, ds.images[:4]) and np.array_equal(sub.labels, ds.labels[:4])
    assert len(ds.subset(0)) == 0 and len(ds.subset(10)) == 10
    with pytest.raises(ConfigError):
        ds.subset(11)


@pytest.mark.parametrize(
    "images, labels",
    [
        (np.zeros((3, 28, 28), np.float32), None),
        (np.zeros((3, 784), np.uint8), None),
        (np.zeros((3, 28, 28), np.uint8), np.zeros(4, np.uint8)),
        (np.zeros((3, 28, 28), np.uint8), np.zeros(3, np.int64)),
        (np.zeros((3, 28, 28), np.uint8)[:, ::-1], None),
        (np.zeros((3, 28, 28), np.uint8), np.array([1, 10, 2], np.uint8)),
    ],
)
def test_dataset_rejects_wrong_arrays(images, labels):
    with pytest.raises(DataError):
        Dataset(images, labels, "x")


# ---------------------------------------------------------------------------------------- IDX


@pytest.mark.parametrize("gz", [True, False])
def test_idx_folder_round_trip(tmp_path, rng, gz):
    arrays = write_mnist_folder(tmp_path, 30, 12, rng, gz=gz)
    mnist = load_idx_folder(tmp_path)
    assert isinstance(mnist, MnistData) and mnist.source == str(tmp_path)
    for split, ds in (("train", mnist.train), ("test", mnist.test)):
        assert ds.images.dtype == np.uint8 and ds.images.flags.c_contiguous
        assert np.array_equal(ds.images, arrays[f"{split}_images"])
        assert np.array_equal(ds.labels, arrays[f"{split}_labels"])
    assert load_data(tmp_path).train.checksum() == mnist.train.checksum()


def test_idx_folder_without_test_files(tmp_path, rng):
    write_mnist_folder(tmp_path, 5, 0, rng)
    mnist = load_idx_folder(tmp_path)
    assert len(mnist.train) == 5 and mnist.test is None


def test_idx_folder_accepts_dot_names_and_sniffs_gzip(tmp_path, rng):
    images, labels = fake_mnist(6, rng)
    # gzip content under a raw name, raw content under a .gz name: the magic bytes decide
    write_idx(tmp_path / "train-images.idx3-ubyte", images, gz=True)
    write_idx(tmp_path / "train-labels.idx1-ubyte.gz", labels, gz=False)
    mnist = load_idx_folder(tmp_path)
    assert np.array_equal(mnist.train.images, images)
    assert np.array_equal(mnist.train.labels, labels)


def test_load_idx_kind_from_name_or_ndim(tmp_path, rng):
    images, labels = fake_mnist(3, rng)
    assert load_idx(write_idx(tmp_path / "a.idx", images)).shape == (3, 28, 28)
    assert load_idx(write_idx(tmp_path / "b.idx", labels)).shape == (3,)
    raises_data_error(load_idx, write_idx(tmp_path / "x-images-idx3", labels), "dimensions")
    raises_data_error(load_idx, write_idx(tmp_path / "c.idx", images[:, :, :4].reshape(3, 112)),
                      "dimensions")


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("case", list(BROKEN_IDX) + list(BROKEN_LABELS))
def test_broken_idx_file(tmp_path, case, gz):
    content, word = {**BROKEN_IDX, **BROKEN_LABELS}[case]
    kind = "labels" if case in BROKEN_LABELS else "images"
    path = tmp_path / (IDX_NAMES["train", kind] + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(content) if gz else content)
    with reliability.time_limit(HANG, "a lying header must be refused before reading"):
        raises_data_error(load_idx, path, word)
    # the same file inside a folder fails the same way
    other = "labels" if kind == "images" else "images"
    n = 4 if case not in ("label 255",) else 1
    write_idx(tmp_path / (IDX_NAMES["train", other] + ".gz"),
              fake_mnist(n, np.random.default_rng(0))[0 if other == "images" else 1])
    raises_data_error(load_idx_folder, tmp_path, word)


@pytest.mark.parametrize("case", BROKEN_GZ)
def test_broken_gzip(tmp_path, case):
    make, words = BROKEN_GZ[case]
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(make())
    raises_data_error(load_idx, path, *words)


def test_gzip_bomb_stops_at_the_declared_size(tmp_path):
    # 4 images declared, 200 MB of zeros following: must stop reading right after the 4th
    with gzip.open(tmp_path / "bomb.gz", "wb", compresslevel=9) as f:
        f.write(good_images(4))
        for _ in range(200):
            f.write(bytes(2**20))
    assert (tmp_path / "bomb.gz").stat().st_size < 400_000
    inflated = []
    read = gzip.GzipFile.read

    def counting(self, size=-1):
        chunk = read(self, size)
        inflated.append(len(chunk))
        return chunk

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gzip.GzipFile, "read", counting)
        raises_data_error(lambda p: load_idx(p, "images"), tmp_path / "bomb.gz", "trailing")
    assert sum(inflated) <= len(good_images(4)) + 1  # the declared bytes and one more, no more


def test_idx_count_mismatch(tmp_path, rng):
    images, labels = fake_mnist(5, rng)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels[:4])
    msg = raises_data_error(load_idx_folder, tmp_path, "mismatch")
    assert "train-labels-idx1-ubyte.gz" in msg


def test_idx_test_files_mismatched(tmp_path, rng):
    write_mnist_folder(tmp_path, 5, 3, rng)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(2, np.uint8))
    raises_data_error(load_idx_folder, tmp_path, "mismatch")


@pytest.mark.parametrize("missing", ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                     "t10k-labels-idx1-ubyte"])
def test_idx_folder_missing_file(tmp_path, rng, missing):
    write_mnist_folder(tmp_path, 5, 3, rng)
    (tmp_path / (missing + ".gz")).unlink()
    msg = raises_data_error(load_idx_folder, tmp_path, "missing")
    assert missing in msg


def test_idx_folder_errors(tmp_path):
    raises_data_error(load_idx_folder, tmp_path / "nope", "not found")
    (tmp_path / "file").write_bytes(b"x")
    raises_data_error(load_idx_folder, tmp_path / "file", "not a folder")
    raises_data_error(load_idx_folder, tmp_path, "missing")


def test_idx_arrays_are_plain_writable_arrays(tmp_path, rng):
    write_mnist_folder(tmp_path, 3, 2, rng)
    mnist = load_idx_folder(tmp_path)
    assert mnist.train.images.flags.writeable and mnist.train.labels.flags.writeable


def test_idx_unreadable_paths(tmp_path, monkeypatch):
    raises_data_error(load_idx, tmp_path / "missing.gz", "not found")
    (tmp_path / "dir.gz").mkdir()
    raises_data_error(load_idx, tmp_path / "dir.gz", "directory")
    locked = write_idx(tmp_path / "locked.gz", np.zeros(3, np.uint8))
    locked.chmod(0)

    real_open = os.open

    def deny(file, *args, **kwargs):  # root ignores file modes: refuse the open as the OS would
        if Path(file) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    raises_data_error(load_idx, locked, "permission")
    raises_data_error(load_kaggle_csv, locked, "permission")
    raises_data_error(load_keras_npz, locked, "permission")


# ---------------------------------------------------------------------------------------- CSV


def test_csv_train_round_trip(tmp_path, rng):
    images, labels = fake_mnist(9, rng)
    path = write_kaggle_csv(tmp_path / "train.csv", images, labels)
    ds = load_kaggle_csv(path)
    assert np.array_equal(ds.images, images) and np.array_equal(ds.labels, labels)
    assert ds.images.flags.c_contiguous and ds.labels.dtype == np.uint8
    assert ds.source == str(path)
    mnist = load_data(path)
    assert mnist.test is None and mnist.train.checksum() == ds.checksum()
    assert load_kaggle_csv(path, kind="train").checksum() == ds.checksum()


def test_csv_test_file(tmp_path, rng):
    images, _ = fake_mnist(5, rng)
    path = write_kaggle_csv(tmp_path / "test.csv", images, None)
    ds = load_kaggle_csv(path)
    assert ds.labels is None and np.array_equal(ds.images, images)
    assert load_kaggle_csv(path, kind="test").labels is None
    raises_data_error(lambda p: load_kaggle_csv(p, kind="train"), path, "test file")
    raises_data_error(load_data, path, "test file")
    train = write_kaggle_csv(tmp_path / "train.csv", images, np.zeros(5, np.uint8))
    raises_data_error(lambda p: load_kaggle_csv(p, kind="test"), train, "label")


def test_csv_larger_than_one_chunk(tmp_path, rng):
    images, labels = fake_mnist(kaggle._CSV_ROWS + 7, rng)
    ds = load_kaggle_csv(write_kaggle_csv(tmp_path / "train.csv", images, labels))
    assert np.array_equal(ds.images, images) and np.array_equal(ds.labels, labels)


def test_csv_accepts_bom_crlf_quotes_and_whole_floats(tmp_path):
    text = csv_text()
    expected = load_kaggle_csv(write_text(tmp_path / "plain.csv", text))
    variants = {
        "bom.csv": "\ufeff" + text,
        "crlf.csv": text.replace("\n", "\r\n"),
        "quoted.csv": ",".join(f'"{n}"' for n in text.split("\n")[0].split(",")) + "\n"
        + text.split("\n", 1)[1],
        "floats.csv": replace_cell(replace_cell(text, 0, 5, f"{expected.images[0, 0, 4]}.0"),
                                   1, 0, f"{expected.labels[1]}.0"),
    }
    for name, variant in variants.items():
        ds = load_kaggle_csv(write_text(tmp_path / name, variant))
        assert ds.checksum() == expected.checksum(), name


def write_text(path, text):
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("case", BROKEN_CSV)
def test_broken_csv(tmp_path, case):
    text, words = BROKEN_CSV[case]
    path = write_text(tmp_path / "train.csv", text)
    raises_data_error(load_kaggle_csv, path, *words)
    raises_data_error(load_data, path, *words)


def test_csv_error_names_row_and_column(tmp_path):
    path = write_text(tmp_path / "train.csv", replace_cell(csv_text(), 1, 31, "300"))
    msg = raises_data_error(load_kaggle_csv, path, "range")
    assert "row 2" in msg and "pixel30" in msg and "300" in msg


@pytest.mark.parametrize(
    "content, word",
    [
        (bytes(range(256)) * 40, "binary"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(3000).replace(b"\0", b"\1"), "utf-8"),
        (csv_text().encode()[:-20] + "é,".encode("latin-1") + b"0\n", "utf-8"),
        (gzip.compress(csv_text().encode()), "binary"),
        (csv_text().encode("utf-16"), "utf-16"),
    ],
    ids=["bytes", "png-like", "latin-1 cell", "gzipped", "utf-16"],
)
def test_csv_binary_or_not_utf8(tmp_path, content, word):
    path = tmp_path / "train.csv"
    path.write_bytes(content)
    raises_data_error(load_kaggle_csv, path, word, "not a text")


def test_csv_unreadable_paths(tmp_path):
    raises_data_error(load_kaggle_csv, tmp_path / "none.csv", "not found")
    raises_data_error(load_data, tmp_path / "none.csv", "not found")
    (tmp_path / "dir.csv").mkdir()
    raises_data_error(load_kaggle_csv, tmp_path / "dir.csv", "directory")


def test_csv_full_kaggle_size_loads_in_seconds(tmp_path, rng):
    images, labels = fake_mnist(100, rng)
    body = kaggle_csv_text(images, labels).split("\n", 1)[1]
    path = write_text(tmp_path / "train.csv", "label," + CSV_HEADER + "\n" + body * 420)
    images, labels = np.tile(images, (420, 1, 1)), np.tile(labels, 420)
    with reliability.time_limit(60, "loading a 42,000-row CSV"):  # a hang; speed: bench_latency
        ds = load_kaggle_csv(path)
    assert len(ds) == 42_000 and np.array_equal(ds.images, images)
    assert np.array_equal(ds.labels, labels)


# ---------------------------------------------------------------------------------------- NPZ


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_round_trip(tmp_path, rng, compressed):
    (xa, ya), (xb, yb) = fake_mnist(8, rng), fake_mnist(3, rng)
    path = write_keras_npz(tmp_path / "mnist.npz", xa, ya, xb, yb, compressed=compressed)
    mnist = load_keras_npz(path)
    assert np.array_equal(mnist.train.images, xa) and np.array_equal(mnist.train.labels, ya)
    assert np.array_equal(mnist.test.images, xb) and np.array_equal(mnist.test.labels, yb)
    assert load_data(path).train.checksum() == mnist.train.checksum()


def test_npz_accepts_flat_float_and_wide_int_arrays(tmp_path, rng):
    x, y = fake_mnist(6, rng)
    path = write_keras_npz(tmp_path / "a.npz", x.reshape(6, 784).astype(np.float64),
                           y.astype(np.int64))
    mnist = load_keras_npz(path)
    assert mnist.test is None
    assert mnist.train.images.dtype == np.uint8 and np.array_equal(mnist.train.images, x)
    assert mnist.train.labels.dtype == np.uint8 and np.array_equal(mnist.train.labels, y)
    fortran = write_keras_npz(tmp_path / "f.npz", np.asfortranarray(x.astype(">i4")), y)
    assert np.array_equal(load_keras_npz(fortran).train.images, x)


@pytest.mark.parametrize("case", BROKEN_NPZ)
def test_broken_npz(tmp_path, case):
    make, words = BROKEN_NPZ[case]
    path = tmp_path / "mnist.npz"
    path.write_bytes(make())
    raises_data_error(load_keras_npz, path, *words)
    raises_data_error(load_data, path, *words)


def test_npz_unreadable_paths(tmp_path):
    raises_data_error(load_keras_npz, tmp_path / "none.npz", "not found")
    (tmp_path / "dir.npz").mkdir()
    raises_data_error(load_keras_npz, tmp_path / "dir.npz", "directory")


# ------------------------------------------------------------------------ finding and dispatch


def test_default_data_dir():
    path = default_data_dir()
    assert path.name == "mnist" and path.parent.name == "ffn-gui" and path.is_absolute()


def test_find_mnist_order(tmp_path, rng, monkeypatch):
    explicit, env, default = tmp_path / "explicit", tmp_path / "env", tmp_path / "default"
    monkeypatch.setattr(find, "default_data_dir", lambda: default)
    monkeypatch.setenv("MNIST_DIR", str(env))
    with pytest.raises(DataError) as info:
        find_mnist()
    assert str(env) in str(info.value) and str(default) in str(info.value)
    write_mnist_folder(default, 3, 0, rng)
    assert find_mnist() == default
    write_mnist_folder(env, 3, 0, rng)
    assert find_mnist() == env
    monkeypatch.delenv("MNIST_DIR")
    assert find_mnist() == default
    write_mnist_folder(explicit, 3, 0, rng)
    assert find_mnist(explicit) == explicit
    assert len(load_data().train) == 3


def test_find_mnist_explicit_path_is_not_second_guessed(tmp_path, rng, monkeypatch):
    monkeypatch.setattr(find, "default_data_dir", lambda: tmp_path / "default")
    write_mnist_folder(tmp_path / "default", 3, 0, rng)
    raises_data_error(find_mnist, tmp_path / "nowhere", "does not exist")
    (tmp_path / "empty").mkdir()
    raises_data_error(find_mnist, tmp_path / "empty", "no mnist")
    csv = write_kaggle_csv(tmp_path / "t.csv", *fake_mnist(2, rng))
    assert find_mnist(csv) == csv


def test_load_data_dispatch(tmp_path, rng):
    write_mnist_folder(tmp_path, 4, 2, rng)
    idx_file = tmp_path / "train-images-idx3-ubyte.gz"
    assert len(load_data(idx_file).train) == 4  # an IDX file's path loads its folder
    other = tmp_path / "digits.png"
    other.write_bytes(b"\x89PNG")
    raises_data_error(load_data, other, "format")
    raises_data_error(load_data, tmp_path / "none", "not found")
    (tmp_path / "empty").mkdir()
    raises_data_error(load_data, tmp_path / "empty", "missing")


# ----------------------------------------------------------------------------------- real data


@pytest.mark.mnist
def test_real_mnist_folder(mnist_dir):
    mnist = load_idx_folder(mnist_dir)
    assert (len(mnist.train), len(mnist.test)) == (60_000, 10_000)
    assert mnist.train.images.shape == (60_000, 28, 28) and mnist.train.images.dtype == np.uint8
    assert np.bincount(mnist.train.labels).tolist() == [
        5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(mnist.test.labels).tolist() == [
        980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    x = as_inputs(mnist.test.images)
    assert x.shape == (10_000, 784) and 0.1 < x.mean() < 0.15
