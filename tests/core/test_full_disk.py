"""A full disk in words, before it costs a run: on a really full file system (a 64 KiB tmpfs,
filled) every writer of core and the command line says which file could not be written and
why, leaves the old file as it was and no temporary file behind; ``ffn train`` finds out before
it trains."""

import errno

import numpy as np
import pytest
from helpers.datafiles import write_blob_folder, write_kaggle_csv
from helpers.fulldisk import fill, small_tmpfs, snapshot
from helpers.mirrors import Server, fetch
from helpers.synthetic import blobs

from core.atomic import check_writable, write_atomic
from core.cli import main
from core.errors import DownloadError, WriteError
from core.model_io import load_model, model_file_bytes, save_model
from core.mydigits import MyDigits
from core.network import Network


def no_space(path) -> str:
    return f"no space left on the device holding {path}: free some space there or save elsewhere"


@pytest.fixture
def disk(tmp_path):
    """A 64 KiB file system, empty."""
    with small_tmpfs(tmp_path / "small") as folder:
        yield folder


@pytest.fixture
def old_model(disk):
    """A small model saved on the disk, which is then filled."""
    path = disk / "m.npz"
    save_model(path, Network([784, 4, 10], rng=np.random.default_rng(0)))
    fill(disk)
    return path


def test_save_model_names_the_file_and_keeps_the_old_one(old_model):
    before = snapshot(old_model.parent)
    with pytest.raises(WriteError) as info:
        save_model(old_model, Network([784, 32, 10], rng=np.random.default_rng(1)))
    assert str(info.value) == no_space(old_model) and info.value.errno == errno.ENOSPC
    assert isinstance(info.value, OSError)  # old handlers of OSError still catch it
    assert snapshot(old_model.parent) == before  # the old model, and no temporary file
    assert load_model(old_model).network.sizes == [784, 4, 10]


def test_write_atomic_and_my_digits_say_the_same(disk):
    (disk / "sub.csv").write_text("ImageId,Label\n1,7\n")
    fill(disk)
    before = snapshot(disk)
    with pytest.raises(WriteError, match="^" + no_space(disk / "sub.csv") + "$"):
        write_atomic(disk / "sub.csv", "ImageId,Label\n" * 1000)
    mine = MyDigits(disk / "mine.npz")
    with pytest.raises(WriteError, match="^" + no_space(disk / "mine.npz") + "$"):
        mine.add(np.zeros((28, 28), np.uint8), 3)
    assert len(mine) == 1  # kept in memory, to be saved elsewhere
    assert snapshot(disk) == before


def test_check_writable_probes_the_size_and_leaves_nothing(disk):
    check_writable(disk / "m.npz", 40_000)  # fits in 64 KiB
    with pytest.raises(WriteError, match="^" + no_space(disk / "m.npz") + "$"):
        check_writable(disk / "m.npz", 80_000)
    assert list(disk.iterdir()) == []
    with pytest.raises(WriteError, match="the folder .*nowhere does not exist"):
        check_writable(disk / "nowhere" / "m.npz", 10)


def test_model_file_bytes_bounds_what_save_model_writes(tmp_path):
    for sizes in ([784, 10], [784, 128, 128, 10], [784, 300, 100, 10]):
        path = save_model(tmp_path / "m.npz", Network(sizes, rng=np.random.default_rng(0)))
        written = path.stat().st_size
        assert written <= model_file_bytes(sizes) <= 1.25 * written + 65_536  # not far above


@pytest.fixture
def blob_folder(tmp_path, rng):
    return write_blob_folder(tmp_path / "mnist", rng, 300, 100)


def test_ffn_train_finds_out_before_it_trains(disk, blob_folder, capsys):
    # an empty 64 KiB disk: no room for a 784-128-128-10 model (465 KiB), room for a small one
    out = disk / "m.npz"
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--validation", "0",
                 "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no data read, no epoch run
    assert captured.err == f"ffn: error: {no_space(out)}\n"
    assert list(disk.iterdir()) == []
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--validation", "0",
                 "--hidden", "8", "--out", str(out)]) == 0
    assert load_model(out).network.sizes == [784, 8, 10]


def test_ffn_train_saves_the_run_elsewhere_if_the_disk_fills_during_it(
        disk, blob_folder, tmp_path, capsys, monkeypatch):
    import tempfile

    import core.atomic

    monkeypatch.setattr(core.atomic, "check_writable", lambda path, nbytes: None)  # it passed
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    out = disk / "m.npz"
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--validation", "0",
                 "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "epoch   1/1" in captured.out
    message = captured.err.removeprefix(f"ffn: error: {no_space(out)}; the trained model was "
                                        "saved to ")
    spare = tmp_path / message.removesuffix(" instead\n").rsplit("/", 1)[-1]
    assert message == f"{spare} instead\n" and spare.name.startswith("m-")
    assert load_model(spare).name == "m" and load_model(spare).config.epochs == 1


def test_ffn_predict_out_on_a_full_disk(disk, tmp_path, capsys, rng):
    data = blobs(30, rng)
    write_kaggle_csv(tmp_path / "test.csv", data.images, None)
    out = disk / "submission.csv"
    out.write_text("ImageId,Label\n1,0\n")
    fill(disk)
    before = snapshot(disk)
    assert main(["predict", str(tmp_path / "test.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"ffn: error: {no_space(out)}" and len(err) == 2  # and the bundled line
    assert snapshot(disk) == before


def test_download_on_a_full_disk(disk):
    server = Server()
    try:
        with pytest.raises(DownloadError) as info:
            fill(disk)
            fetch(server, disk)
    finally:
        server.close()
    assert str(info.value) == no_space(disk / "a.gz")
    assert [p.name for p in disk.iterdir()] == ["filler"]
