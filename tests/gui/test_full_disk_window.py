"""A full disk in the window: every save (the model, the plots, a submission, my digits) on a
really full file system (a 64 KiB tmpfs, filled) says which file could not be written and why,
leaves the old file as it was, and keeps what was unsaved so the user can save it elsewhere.
Driven as a user does it: the menu actions and buttons, the file dialogs answered."""

import numpy as np
import pytest
from helpers.datafiles import write_kaggle_csv
from helpers.fulldisk import fill, small_tmpfs, snapshot
from helpers.handwriting import replay_strokes
from helpers.synthetic import blobs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.model_io import load_model, save_model
from core.mydigits import MyDigits, default_path
from core.network import Network


def no_space(path) -> str:
    return f"no space left on the device holding {path}: free some space there or save elsewhere"


def answer_save_dialog(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


@pytest.fixture
def full_disk(tmp_path):
    """A filled 64 KiB file system holding ``old.npz`` (a small model) and ``old.csv``."""
    with small_tmpfs(tmp_path / "small") as disk:
        save_model(disk / "old.npz", Network([784, 4, 10], rng=np.random.default_rng(0)))
        (disk / "old.csv").write_text("ImageId,Label\n1,0\n")
        fill(disk)
        yield disk


def test_saving_the_model_keeps_it_unsaved_to_save_elsewhere(window, full_disk, tmp_path,
                                                            monkeypatch):
    before = snapshot(full_disk)
    window.set_model(window.model, modified=True)  # as a run leaves it: training in no file
    model, path = window.model, window.model.path
    answer_save_dialog(monkeypatch, full_disk / "old.npz")
    window.save_as_action.trigger()
    assert window.errors == [("Cannot save the model", no_space(full_disk / "old.npz"))]
    assert snapshot(full_disk) == before  # the old model as it was, no temporary file
    assert load_model(full_disk / "old.npz").network.sizes == [784, 4, 10]
    assert window.model is model and model.unsaved and window.isWindowModified()
    assert model.path == path
    answer_save_dialog(monkeypatch, tmp_path / "elsewhere.npz")
    window.save_action.trigger()  # the bundled model: Save asks where
    assert not model.unsaved and model.path == tmp_path / "elsewhere.npz"
    assert load_model(tmp_path / "elsewhere.npz").network.sizes == model.network.sizes


@pytest.mark.parametrize("kind", ["png", "csv"])
def test_exporting_the_plots(window, full_disk, monkeypatch, kind):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(
        (title, text)))
    exports = window.show_view("plots").plots.exports
    target = full_disk / f"old.{kind}"
    before = snapshot(full_disk)
    answer_save_dialog(monkeypatch, target)
    {"png": exports.png_action, "csv": exports.csv_action}[kind].trigger()
    assert shown == [("Export failed", no_space(target))]
    assert snapshot(full_disk) == before


def test_saving_a_submission(window, qtbot, full_disk, tmp_path, monkeypatch):
    data = blobs(40, np.random.default_rng(3))
    write_kaggle_csv(tmp_path / "test.csv", data.images, None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "test.csv"), ""))
    with qtbot.waitSignal(window.kaggle.finished, timeout=60_000):
        window.open_kaggle_action.trigger()
    before = snapshot(full_disk)
    answer_save_dialog(monkeypatch, full_disk / "old.csv")
    window.save_submission_action.trigger()
    assert window.errors == [("Cannot save the submission", no_space(full_disk / "old.csv"))]
    assert snapshot(full_disk) == before
    answer_save_dialog(monkeypatch, tmp_path / "submission.csv")  # elsewhere: it is all there
    window.save_submission_action.trigger()
    assert len((tmp_path / "submission.csv").read_text().splitlines()) == 41


@pytest.fixture
def full_data_folder(qtbot):
    """The window's own data folder (where my digits live) on a full disk, with one digit."""
    with small_tmpfs(default_path().parent) as folder:
        MyDigits(default_path()).add(np.zeros((28, 28), np.uint8), 5)
        fill(folder)
        yield folder


def test_my_digits(full_data_folder, window, qtbot, monkeypatch):
    before = snapshot(full_data_folder)
    board = window.canvas.board_rect()
    x = board.x() + board.width() / 2
    replay_strokes(window.canvas, [np.array([[x, board.y() + board.height() * t]
                                             for t in np.linspace(0.2, 0.8, 12)])])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.errors == [("My digits", "My digits: " + no_space(default_path()))]
    assert window.statusBar().currentMessage() == ("The drawing could not be added to my digits "
                                                   "(see the message)")
    assert snapshot(full_data_folder) == before
    assert window.my_digits.digits.labels.tolist() == [5, 1]  # kept, to be exported elsewhere
    view = window.show_view("my digits")
    view.flush()
    target = full_data_folder / "export.npz"
    answer_save_dialog(monkeypatch, target)
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert window.errors[1] == ("My digits", "Cannot export my digits: " + no_space(target))
    assert snapshot(full_data_folder) == before
