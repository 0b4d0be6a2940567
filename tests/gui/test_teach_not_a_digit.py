"""Teaching "not a digit" through the window (issue 21): the bar's button and Ctrl+Shift+D label
the board's drawing 10, My digits groups such drawings under "not a digit" (and relabels to and
from it), the export says what its IDX pair leaves out, and the fine-tune learns them and gives
the model a rule."""

import numpy as np
from helpers.handwriting import replay_strokes
from helpers.synthetic import blobs
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from core.mydigits import MyDigits, default_path
from core.rows import NOT_A_DIGIT


def draw_a_zigzag(canvas):
    board = canvas.board_rect()
    xs = board.x() + board.width() * np.array([0.2, 0.8, 0.2, 0.8, 0.2])
    ys = board.y() + board.height() * np.array([0.2, 0.35, 0.5, 0.65, 0.8])
    replay_strokes(canvas, [np.stack([xs, ys], axis=1)])


def test_the_bar_button_and_the_shortcut_label_a_drawing_not_a_digit(window, qtbot):
    assert window.label_nondigit_action.shortcut() == QKeySequence("Ctrl+Shift+D")
    assert window.label_nondigit_action.isEnabled()
    button = window.label_bar.not_a_digit
    assert button.isVisible() and button.text() == "Not a digit"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # nothing drawn: says what to do
    assert window.statusBar().currentMessage().startswith("Draw something first, then press "
                                                          "Ctrl+Shift+D")
    draw_a_zigzag(window.canvas)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Added “not a digit” to my digits — 1 so far"
    assert window.canvas.is_empty()
    draw_a_zigzag(window.canvas)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Added “not a digit” to my digits — 2 so far"
    stored = MyDigits.open(default_path())[0]
    assert stored.labels.tolist() == [NOT_A_DIGIT, NOT_A_DIGIT]
    assert len(stored.strokes[1]) == 1  # with its strokes, as any digit
    view = window.show_view("my digits")
    view.flush()
    assert len(view.groups[NOT_A_DIGIT]) == 2 and sum(map(len, view.groups)) == 2
    assert view.counts[NOT_A_DIGIT].text() == "<b>not a<br>digit</b>  ×2"
    assert view.galleries[NOT_A_DIGIT].isVisible()


def test_relabel_to_and_from_not_a_digit_and_the_export_says_what_it_leaves_out(
        window, qtbot, tmp_path):
    rng = np.random.default_rng(0)
    for label in (4, 4, NOT_A_DIGIT):
        window.my_digits.add(rng.random((28, 28)).astype(np.float32), label)
    view = window.show_view("my digits")
    view.flush()
    gallery = view.galleries[4]
    qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton,
                     pos=gallery.item_rect(0).center())
    chosen = view.groups[4][0]
    assert view.relabel_box.itemText(NOT_A_DIGIT + 1) == "not a digit"
    view.relabel_box.activated.emit(NOT_A_DIGIT + 1)
    assert chosen in view.groups[NOT_A_DIGIT] and len(view.groups[4]) == 1
    assert MyDigits.open(default_path())[0].digit(chosen).label == NOT_A_DIGIT
    view.select(chosen)
    view.relabel_box.activated.emit(7 + 1)
    assert chosen in view.groups[7] and len(view.groups[NOT_A_DIGIT]) == 1
    view.ask_path = lambda kind: str(tmp_path / "mine.npz")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert "the IDX pair without the 1 “not a digit”" in view.report.text()
    assert MyDigits.read(tmp_path / "mine.npz").labels.tolist() == [7, 4, NOT_A_DIGIT]


def test_the_fine_tune_learns_them_and_the_model_gets_a_rule(window, qtbot, small_mnist):
    window.set_data(small_mnist(1500, 300))
    mine = blobs(200, np.random.default_rng(0))
    for image in mine.images[mine.labels == 2][:6]:
        window.my_digits.add(image, 2)
    for image in np.random.default_rng(1).integers(0, 256, (6, 28, 28), dtype=np.uint8):
        window.my_digits.add(image, NOT_A_DIGIT)
    assert window.model.network.reject is None  # the bundled model has no rule
    with qtbot.waitSignal(window.training_finished, timeout=120_000) as done:
        window.fine_tune_action.trigger()
    assert not isinstance(done.args[0], BaseException)
    report = window.my_digits.last_report
    assert report.held_out == 2 and report.trained_on == 10 and report.left_out == 0
    assert window.model.network.reject is not None  # it can now say "not a digit"
    assert window.model.network.reject.score == "max_probability"
