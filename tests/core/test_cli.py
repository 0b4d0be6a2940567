"""The `ffn` command line, run in-process through core.cli.main and once as a subprocess."""

import subprocess
import sys

import numpy as np
import pytest
from helpers.datafiles import (
    IDX_NAMES,
    write_blob_folder,
    write_idx,
    write_kaggle_csv,
    write_keras_npz,
)
from helpers.synthetic import blobs
from PIL import Image

from core.cli import main
from core.model_io import load_model


@pytest.fixture
def blob_folder(tmp_path, rng):
    return write_blob_folder(tmp_path / "mnist", rng, 1200, 300)


@pytest.fixture
def trained(blob_folder, tmp_path, capsys):
    out = tmp_path / "m.npz"
    code = main(["train", "--data", str(blob_folder), "--preset", "default", "--epochs", "2",
                 "--validation", "200", "--out", str(out), "--no-augment"])
    assert code == 0
    return out, capsys.readouterr().out


def test_train_prints_an_epoch_line_each_epoch_and_saves(trained):
    out, text = trained
    lines = text.splitlines()
    assert lines[0].startswith("data: 1,000 train · 200 validation · 300 test")
    epochs = [line for line in lines if line.startswith("epoch")]
    assert len(epochs) == 2 and "ETA" in epochs[0] and "valid" in epochs[0]
    assert "test accuracy:" in text
    model = load_model(out)
    assert model.network.sizes == [784, 128, 128, 10]
    # seed-fixed (deterministic): 100% of the 300 test blobs on this machine
    assert model.config.epochs == 2 and model.metrics["test_accuracy"] >= 0.98
    assert len(model.data_checksum) == 64


def test_evaluate_prints_accuracy_and_confusion_matrix(trained, blob_folder, capsys):
    assert main(["evaluate", "--model", str(trained[0]), "--data", str(blob_folder)]) == 0
    text = capsys.readouterr().out
    acc_line = next(line for line in text.splitlines() if line.startswith("test accuracy:"))
    assert float(acc_line.split()[2].rstrip("%")) > 90
    assert "true \\ predicted" in text and len(text.splitlines()) >= 13


def test_predict_reads_a_png_dark_on_light(trained, tmp_path, capsys, rng):
    digit = blobs(200, rng)
    k = int(np.flatnonzero(digit.labels == 3)[0])
    img = Image.fromarray(255 - digit.images[k]).resize((140, 140), Image.NEAREST)
    img.save(tmp_path / "three.png")
    assert main(["predict", "--model", str(trained[0]), str(tmp_path / "three.png"),
                 "--raw"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("digit: 3")
    assert len([line for line in text.splitlines() if line.strip()[:2].rstrip(":").isdigit()]) \
        == 10


def test_predict_writes_a_kaggle_submission(trained, tmp_path, capsys, rng):
    data = blobs(50, rng)
    write_kaggle_csv(tmp_path / "test.csv", data.images, None)
    out = tmp_path / "sub.csv"
    assert main(["predict", "--model", str(trained[0]), str(tmp_path / "test.csv"),
                 "--out", str(out)]) == 0
    rows = out.read_text().splitlines()
    assert rows[0] == "ImageId,Label" and len(rows) == 51
    labels = np.array([int(r.split(",")[1]) for r in rows[1:]])
    assert rows[1].startswith("1,") and (labels == data.labels).mean() > 0.9


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["train", "--data", "/nonexistent/folder", "--epochs", "1"], "not found"),
        (["evaluate", "--model", "/nonexistent.npz"], "does not exist"),
        (["train", "--epochs", "0", "--data", "/x"], "epochs"),
        (["train", "--batch-size", "0", "--data", "/x"], "batch size"),
        (["train", "--hidden", "0", "--data", "/x"], "hidden layer"),
    ],
)
def test_errors_are_one_clear_line(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ffn: error:") and needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_corrupt_model_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert main(["predict", "--model", str(bad), "x.png"]) == 2
    err = capsys.readouterr().err
    assert "bad.npz" in err and "Traceback" not in err


def test_an_empty_png_is_reported_as_empty(trained, tmp_path, capsys):
    Image.new("L", (50, 50), 255).save(tmp_path / "blank.png")
    assert main(["predict", "--model", str(trained[0]), str(tmp_path / "blank.png")]) == 2
    assert "empty" in capsys.readouterr().err


def test_help_is_instant_and_imports_no_numpy():
    code = ("import sys; from core import cli\n"
            "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('numpy' in sys.modules, 'PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("False False")


def _unseen_pattern(n, rng):
    """Digits unlike any blob class: a patch where no class has one."""
    images = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    images[:, 18:25, 22:27] = 230
    return images


def test_train_extra_mixes_a_my_digits_file_into_the_training_digits(blob_folder, tmp_path,
                                                                       capsys, rng):
    from core.mydigits import MyDigits
    from core.preprocess import as_read_by

    mine = MyDigits(tmp_path / "mine.npz")
    for image in _unseen_pattern(12, rng):
        mine.add(image, 0)
    mine.save()
    out = tmp_path / "m.npz"
    assert main(["train", "--data", str(blob_folder), "--epochs", "2", "--validation", "200",
                 "--out", str(out), "--no-augment", "--extra", str(mine.path)]) == 0
    text = capsys.readouterr().out
    assert "extra: 12 digits from" in text and "repeated to 250 (20% of the training" in text
    model = load_model(out)
    fresh = as_read_by(model.network, _unseen_pattern(50, rng)).reshape(50, -1) / 255
    assert (model.network.predict(fresh) == 0).mean() >= 0.9  # without --extra: 0%
    assert model.metrics["test_accuracy"] >= 0.98  # the blobs are still read


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not a zip", None])
def test_a_bad_extra_file_is_one_clear_error_before_any_training(blob_folder, tmp_path, capsys,
                                                                 content):
    from core.mydigits import MyDigits

    path = tmp_path / "mine.npz"
    if content is None:
        MyDigits(path).save()  # a valid file with no digits
    else:
        path.write_bytes(content)
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--out",
                 str(tmp_path / "m.npz"), "--extra", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("ffn: error:") and "mine.npz" in captured.err
    assert len(captured.err.strip().splitlines()) == 1 and "epoch" not in captured.out
    assert not (tmp_path / "m.npz").exists()


# ---------------------------------------------------------- the command line matches the window


def _bar_one(path):
    """A thick dark vertical bar on white, the simplest "1"."""
    page = np.full((140, 140), 255, np.uint8)
    page[20:120, 62:78] = 0
    Image.fromarray(page).save(path)
    return path


def test_predict_uses_the_bundled_model_and_says_so_on_one_line(tmp_path, capsys):
    from core.package import bundled_model_path

    assert main(["predict", str(_bar_one(tmp_path / "one.png"))]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("digit: 1")
    assert captured.err.strip() == (f"ffn: using the bundled model {bundled_model_path()} "
                                    "(--model chooses another)")


def test_evaluate_needs_only_the_test_files_and_uses_the_bundled_model(tmp_path, capsys, rng):
    folder = tmp_path / "t10k"
    data = blobs(60, rng)
    folder.mkdir()
    write_idx(folder / (IDX_NAMES["test", "images"] + ".gz"), data.images)
    write_idx(folder / (IDX_NAMES["test", "labels"] + ".gz"), data.labels)
    assert main(["evaluate", "--data", str(folder)]) == 0  # no train-* files in the folder
    captured = capsys.readouterr()
    assert "of 60 from" in captured.out and "using the bundled model" in captured.err


def test_evaluate_reads_a_keras_npz_and_refuses_a_kaggle_csv_by_name(tmp_path, capsys, rng):
    train, test = blobs(30, rng), blobs(20, rng)
    write_keras_npz(tmp_path / "mnist.npz", train.images, train.labels, test.images,
                    test.labels)
    assert main(["evaluate", "--data", str(tmp_path / "mnist.npz")]) == 0
    assert "of 20 from" in capsys.readouterr().out
    write_kaggle_csv(tmp_path / "train.csv", train.images, train.labels)
    assert main(["evaluate", "--data", str(tmp_path / "train.csv")]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert "train.csv: has no labelled test split" in err


def test_evaluate_finds_test_files_in_mnist_dir(tmp_path, capsys, rng, monkeypatch):
    data = blobs(40, rng)
    write_idx(tmp_path / (IDX_NAMES["test", "images"] + ".gz"), data.images)
    write_idx(tmp_path / (IDX_NAMES["test", "labels"] + ".gz"), data.labels)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    assert main(["evaluate"]) == 0
    assert "of 40 from" in capsys.readouterr().out


def test_evaluate_without_data_names_data_mnist_dir_and_ffn_download(tmp_path, capsys,
                                                                     monkeypatch):
    import core.data.find as find

    monkeypatch.setattr(find, "default_data_dir", lambda: tmp_path / "cache" / "mnist")
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "elsewhere"))
    assert main(["evaluate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("ffn: using the bundled model") and len(err) == 2
    assert err[1].startswith("ffn: error: MNIST not found: no t10k-images-idx3-ubyte.gz and "
                             "t10k-labels-idx1-ubyte.gz in ")
    for words in ("--data", "MNIST_DIR", "`ffn download`", str(tmp_path / "cache" / "mnist")):
        assert words in err[1], err[1]
    assert "train-" not in err[1] and "open a file" not in err[1]


def test_train_without_data_names_the_same_ways_to_give_it(tmp_path, capsys, monkeypatch):
    import core.data.find as find

    monkeypatch.setattr(find, "default_data_dir", lambda: tmp_path / "cache" / "mnist")
    monkeypatch.delenv("MNIST_DIR", raising=False)
    assert main(["train", "--epochs", "1", "--out", str(tmp_path / "m.npz")]) == 2
    err = capsys.readouterr().err
    assert err == ("ffn: error: MNIST not found: no train-images-idx3-ubyte.gz and "
                   f"train-labels-idx1-ubyte.gz in {tmp_path / 'cache' / 'mnist'} (the download "
                   "folder); give --data PATH, set MNIST_DIR, or run `ffn download`\n")


def test_a_missing_bundled_model_is_one_clear_error(tmp_path, capsys, monkeypatch):
    import core.package

    monkeypatch.setattr(core.package, "assets_dir", lambda: tmp_path)
    assert main(["predict", str(_bar_one(tmp_path / "one.png"))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ffn: error: no --model given") and "--model MODEL.npz" in err
    assert len(err.strip().splitlines()) == 1


def test_version_in_a_subprocess():
    import tomllib
    from pathlib import Path

    import core

    pyproject = Path(core.__file__).parent.parent / "pyproject.toml"
    expected = tomllib.loads(pyproject.read_text())["project"]["version"]
    run = subprocess.run([sys.executable, "-m", "core.cli", "--version"], capture_output=True,
                         text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"ffn {expected}\n", "")


def test_version_falls_back_to_the_metadata_then_says_unknown(monkeypatch):
    from importlib import metadata

    import core.package as package

    monkeypatch.setattr(package, "checkout", lambda: None)
    assert package.version() == metadata.version("ffn-gui")  # the venv has it installed

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(package.metadata, "version", not_installed)
    assert package.version() == "unknown (not installed)"


def test_the_bundled_model_is_used_without_loading_qt_or_ffn_gui(tmp_path):
    png = _bar_one(tmp_path / "one.png")
    code = ("import sys; from core import cli\n"
            f"assert cli.main(['predict', {str(png)!r}]) == 0\n"
            "print([m for m in ('PySide6', 'pyqtgraph', 'ffn_gui') if m in sys.modules])")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.splitlines()[0].startswith("digit: 1")
    assert run.stdout.splitlines()[-1] == "[]"


def test_train_has_an_option_for_every_setting_of_the_window():
    from dataclasses import fields

    from core.cli import build_parser
    from core.training import TrainConfig

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    options = {a.dest for a in train._actions}
    assert {f.name for f in fields(TrainConfig)} - options == set()


def test_train_momentum_and_deskew_reach_the_model(blob_folder, tmp_path, capsys):
    out = tmp_path / "m.npz"
    assert main(["train", "--data", str(blob_folder), "--preset", "seed", "--epochs", "1",
                 "--validation", "0", "--optimizer", "momentum", "--lr", "0.5",
                 "--momentum", "0.5", "--deskew", "--out", str(out)]) == 0
    config = load_model(out).config
    assert (config.optimizer, config.momentum, config.deskew) == ("momentum", 0.5, True)
    assert load_model(out).network.deskew
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--validation", "0",
                 "--no-deskew", "--no-augment", "--out", str(out)]) == 0
    assert load_model(out).config.deskew is False  # the default preset deskews


def test_a_bad_momentum_is_one_clear_error(capsys):
    assert main(["train", "--momentum", "1.5", "--data", "/x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ffn: error: momentum must be in [0, 1)") and len(err.splitlines()) == 1
