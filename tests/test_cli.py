"""The `ffn` command line, run in-process through core.cli.main and once as a subprocess."""

import subprocess
import sys

import numpy as np
import pytest
from helpers.datafiles import IDX_NAMES, write_idx, write_kaggle_csv
from helpers.synthetic import blobs
from PIL import Image

from core.cli import main
from core.model_io import load_model


@pytest.fixture
def blob_folder(tmp_path, rng):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for split, n in (("train", 1200), ("test", 300)):
        data = blobs(n, rng)
        write_idx(folder / (IDX_NAMES[split, "images"] + ".gz"), data.images)
        write_idx(folder / (IDX_NAMES[split, "labels"] + ".gz"), data.labels)
    return folder


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


def test_import_core_does_not_import_qt():
    code = ("import sys, core, core.network, core.training, core.data, core.model_io, core.cli, "
            "core.preprocess; print([m for m in ('PySide6', 'pyqtgraph', 'ffn_gui') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


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
