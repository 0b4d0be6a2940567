"""Issue 11 through the window, as a user does it: Ctrl+digit labels the board and the digit is
still there in a new window; a damaged my-digits file is set aside and the user told; a
fine-tune ends with training_finished, changes the model and shows its held-out numbers; the
evaluation view matches the model; a Kaggle test.csv becomes N rows of ImageId,Label; a dropped
PNG is read like a drawing."""

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from core.mydigits import MyDigits, default_path
from core.preprocess import to_mnist
from helpers.datafiles import write_kaggle_csv
from helpers.handwriting import replay_strokes
from helpers.synthetic import blobs


def draw_a_one(canvas):
    board = canvas.board_rect()
    x = board.x() + board.width() / 2
    replay_strokes(canvas, [np.array([[x, board.y() + board.height() * t] for t in
                                      np.linspace(0.2, 0.8, 12)])])


def test_ctrl_digit_labels_the_drawing_and_it_survives_a_restart(window, qtbot):
    from ffn_gui import MainWindow

    draw_a_one(window.canvas)
    assert not window.session.drawing.empty
    x28 = window.session.drawing.x28.copy()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Added a 1 to my digits — 1 so far"
    assert window.canvas.is_empty()
    draw_a_one(window.canvas)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Added a 7 to my digits — 2 so far"
    stored = MyDigits.open(default_path())[0]
    assert stored.labels.tolist() == [1, 7]
    np.testing.assert_allclose(stored.images[0] / 255, x28, atol=1 / 255)

    again = MainWindow()
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: not again.loading_data, timeout=10_000)
    again.show()
    qtbot.waitExposed(again)
    view = again.show_view("my digits")
    view.flush()
    assert len(view.groups[1]) == 1 and len(view.groups[7]) == 1
    assert "×1" in view.counts[7].text()
    again.close()


def test_the_its_a_bar_labels_too(window, qtbot):
    draw_a_one(window.canvas)
    qtbot.mouseClick(window.label_bar.buttons[4], Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Added a 4 to my digits — 1 so far"


def test_a_damaged_file_is_set_aside_and_the_user_told(qtbot, monkeypatch):
    from ffn_gui import MainWindow

    default_path().parent.mkdir(parents=True, exist_ok=True)
    default_path().write_bytes(b"\x00broken")
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    w = MainWindow(search_data=False)
    qtbot.addWidget(w)
    assert "set aside" in w.statusBar().currentMessage()
    view = w.show_view("my digits")
    assert view.problem.isVisibleTo(view) and "set aside" in view.problem.text()
    aside = list(default_path().parent.glob("my-digits.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"\x00broken"
    w.close()


def read_as_the_model_does(network, images):
    """The network's digit for each image, read as core reads a model's input (deskewed when
    the network was trained deskewed, as the bundled model was)."""
    from core.preprocess import as_read_by

    rows = as_read_by(network, images).reshape(len(images), -1).astype(np.float32) / 255
    return network.predict(rows)


@pytest.fixture
def with_data(window, qtbot, small_mnist):
    window.set_data(small_mnist(1500, 300))
    return window


def test_fine_tune_ends_with_training_finished_changes_the_model_and_shows_held_out(
        with_data, qtbot):
    window = with_data
    rng = np.random.default_rng(0)
    mine = blobs(200, rng)
    for label in (2, 5):  # 6 of each: a fifth (one of each) is held out
        for image in mine.images[mine.labels == label][:6]:
            window.my_digits.add(image, int(label))
    before = [p.copy() for p in window.model.network.params]
    assert window.fine_tune_action.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=120_000) as done:
        window.fine_tune_action.trigger()
        assert window.training
    assert not isinstance(done.args[0], BaseException)
    assert any(not np.array_equal(a, b) for a, b in zip(before, window.model.network.params))
    assert window.model.unsaved
    report = window.my_digits.last_report
    assert report.held_out == 2 and report.trained_on == 10
    assert report.held_after is not None and report.mnist_after is not None
    view = window.show_view("my digits")
    assert "2 held-out digits" in view.report.text() and "→" in view.report.text()
    from core.prepare import cache_folder

    assert not list(cache_folder().glob("*.npz"))  # a one-off mix: nothing kept


def test_the_evaluation_view_matches_the_model(with_data, qtbot):
    window = with_data
    view = window.show_view("evaluation")
    qtbot.waitUntil(lambda: view.result is not None, timeout=20_000)
    test = window.data.test
    predicted = read_as_the_model_does(window.model.network, test.images)
    expected = np.zeros((10, 10), int)
    np.add.at(expected, (test.labels, predicted), 1)
    np.testing.assert_array_equal(view.map.matrix, expected)


def test_kaggle_csv_to_a_submission_of_n_rows(window, qtbot, tmp_path, monkeypatch):
    data = blobs(1234, np.random.default_rng(3))
    write_kaggle_csv(tmp_path / "test.csv", data.images, None)
    monkeypatch.setattr(type(window), "ask_kaggle_path", lambda self: str(tmp_path / "test.csv"))
    assert not window.save_submission_action.isEnabled()
    with qtbot.waitSignal(window.kaggle.finished, timeout=60_000):
        window.open_kaggle_action.trigger()
    assert window.save_submission_action.isEnabled()
    out = tmp_path / "submission.csv"
    monkeypatch.setattr(type(window), "ask_submission_path", lambda self: str(out))
    window.save_submission_action.trigger()
    rows = out.read_text().splitlines()
    assert rows[0] == "ImageId,Label" and len(rows) == 1235
    assert [r.split(",")[0] for r in rows[1:]] == [str(i) for i in range(1, 1235)]
    expected = read_as_the_model_does(window.model.network, data.images)
    assert [int(r.split(",")[1]) for r in rows[1:]] == expected.tolist()


def dark_on_light_seven(path):
    a = np.full((120, 100), 255, np.uint8)
    a[20:30, 20:80] = 0
    for y in range(30, 100):
        x = 80 - (y - 30) * 40 // 70
        a[y, x - 5 : x + 5] = 0
    Image.fromarray(a).save(path)


def test_a_dropped_png_is_read_like_a_drawing(window, qtbot, tmp_path):
    from core.images import read_image

    path = tmp_path / "seven.png"
    dark_on_light_seven(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    canvas = window.canvas
    centre = QPointF(canvas.width() / 2, canvas.height() / 2)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre.toPoint(), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(canvas, enter)  # a drop always follows the drag's entering
    assert enter.isAccepted()
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, buttons, keys)
    with qtbot.waitSignal(window.prediction_changed, timeout=5000):
        QApplication.sendEvent(canvas, drop)
    assert drop.isAccepted() and not canvas.is_empty()
    x28 = window.session.drawing.x28
    want = to_mnist(read_image(path))
    assert np.abs(x28 - want).mean() < 0.02  # the same digit, resampled once more
    probs = window.session.drawing.probs
    expected = window.model.network.predict_proba(want.reshape(1, 784))[0]
    assert int(np.argmax(probs)) == int(np.argmax(expected))


def test_a_broken_image_is_the_engines_error(window, tmp_path, monkeypatch):
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    monkeypatch.setattr(type(window), "ask_image_path", lambda self: str(tmp_path / "bad.png"))
    window.open_image_action.trigger()
    title, text = window.errors[-1]
    assert title == "Cannot open the image" and "bad.png" in text
