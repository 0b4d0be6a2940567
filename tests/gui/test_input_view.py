"""The Input view ("what makes a k?") in the real window, with the bundled model: real strokes
on the board, digit keys and clicks for k, the Nudge and Undo buttons and Ctrl+Z; the map
compared with core.input_grad, the end of a nudge with the window's own prediction_changed."""

from __future__ import annotations

import numpy as np
from helpers.mouse import draw_fractions as draw
from helpers.views import view_shown as shown
from PySide6.QtCore import Qt

from core.input_grad import STEP_SIZE, input_gradient

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SEVEN = [(0.3, 0.25), (0.5, 0.25), (0.7, 0.25), (0.6, 0.5), (0.5, 0.75)]


def drawn_view(window, qtbot):
    draw(window.canvas, SEVEN)
    view = shown(qtbot, window, "input")
    view.setFocus()
    return view


def another_digit(window) -> int:
    """A digit the network does not read the board as."""
    return (int(np.argmax(window.session.drawing.probs)) + 3) % 10


def nudged(window, qtbot, view, k: int) -> list:
    """Choose ``k`` with its key, click Nudge and wait for the nudge to end; the probabilities
    the window announced on the way."""
    qtbot.keyClick(view, Qt.Key(Qt.Key.Key_0 + k))
    view.flush()
    seen = []
    window.prediction_changed.connect(seen.append)
    qtbot.mouseClick(view.nudge_button, LEFT)
    qtbot.waitUntil(lambda: not view.nudging, timeout=10_000)
    return seen


def test_the_map_is_cores_input_gradient_for_the_chosen_k(window, qtbot):
    view = drawn_view(window, qtbot)
    network, x28 = window.session.reader, window.session.drawing.x28
    qtbot.keyClick(view, Qt.Key.Key_3)
    view.flush()
    assert view.target == 3 and view.digits.button(3).isChecked()
    assert np.array_equal(view.grad, input_gradient(network, x28, 3))
    assert np.array_equal(view.map_input, x28)
    assert view.map_canvas.rgba.shape == (28, 28, 4)
    qtbot.mouseClick(view.digits.button(5), LEFT)
    view.flush()
    assert view.target == 5
    assert np.array_equal(view.grad, input_gradient(network, x28, 5))
    assert view.nudge_button.text() == "Nudge toward 5"


def test_nudge_makes_the_network_read_k_and_undo_brings_the_drawing_back(window, qtbot):
    view = drawn_view(window, qtbot)
    before = window.session.drawing
    x_before = before.x28.copy()
    strokes = window.canvas.can_undo()
    k = another_digit(window)
    seen = nudged(window, qtbot, view, k)
    step = view.last_step
    assert step.reads and step.step >= 1
    drawing = window.session.drawing
    assert drawing is not before and np.array_equal(drawing.x28, step.x)
    assert not np.array_equal(drawing.x28, x_before)  # the digit moved ...
    assert np.array_equal(before.x28, x_before)  # ... and the drawing it came from did not
    assert drawing.x28.min() >= 0 and drawing.x28.max() <= 1
    assert np.linalg.norm(drawing.x28 - x_before) <= STEP_SIZE * step.step + 1e-4
    assert f"nudged toward a {k}" in drawing.source
    # the window's prediction followed every frame, and reads k at the end
    assert len(seen) >= 1 and int(np.argmax(seen[-1])) == k
    assert window.prediction_view.pane.predicted_digit() == k
    np.testing.assert_allclose(
        seen[-1], window.session.reader.predict_proba(drawing.x28.reshape(1, -1))[0],
        rtol=1e-6)

    # Undo: the button; the very drawing before the nudge, and the prediction with it
    qtbot.mouseClick(view.undo_button, LEFT)
    assert window.session.drawing is before
    assert window.session.drawing.x28.tobytes() == x_before.tobytes()
    assert np.array_equal(seen[-1], before.probs)
    assert not view.undo_button.isEnabled()

    # Ctrl+Z in the view: the same, and the board's strokes are left alone
    nudged(window, qtbot, view, k)
    assert window.session.drawing is not before
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert window.session.drawing is before
    assert window.session.drawing.x28.tobytes() == x_before.tobytes()
    assert window.canvas.can_undo() == strokes


def test_a_nudge_until_99_percent_sure(window, qtbot):
    view = drawn_view(window, qtbot)
    view.until.setFocus()
    qtbot.keyClick(view.until, Qt.Key.Key_Down)
    qtbot.keyClick(view.until, Qt.Key.Key_Down)
    assert view.until.currentData() == 0.99
    view.setFocus()
    k = another_digit(window)
    seen = nudged(window, qtbot, view, k)
    assert view.last_step.done and seen[-1][k] >= 0.99
    assert window.prediction_view.pane.predicted_digit() == k


def test_the_map_and_the_nudge_on_a_blank_input(window, qtbot):
    """"What is this network looking for?": the gradient at x = 0, and a k grown from nothing."""
    view = drawn_view(window, qtbot)
    before = window.session.drawing
    qtbot.keyClick(view, Qt.Key.Key_8)
    qtbot.mouseClick(view.blank, LEFT, pos=view.blank.rect().center())
    view.flush()
    assert view.blank.isChecked()
    blank = np.zeros((28, 28), np.float32)
    assert np.array_equal(view.map_input, blank)
    assert np.array_equal(view.grad, input_gradient(window.session.reader, blank, 8))
    qtbot.mouseClick(view.nudge_button, LEFT)
    qtbot.waitUntil(lambda: not view.nudging, timeout=10_000)
    assert view.last_step.reads
    assert int(np.argmax(window.session.drawing.probs)) == 8
    assert window.session.drawing.source.startswith("a blank input")
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert window.session.drawing is before and view.blank.isChecked()


def test_a_new_stroke_ends_what_there_was_to_undo(window, qtbot):
    view = drawn_view(window, qtbot)
    nudged(window, qtbot, view, another_digit(window))
    assert view.undo_button.isEnabled()
    draw(window.canvas, [(0.2, 0.6), (0.8, 0.6)])
    view.flush()
    assert window.session.drawing.from_board
    assert not view.undo_stack and not view.undo_button.isEnabled()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # nothing to undo here: the board is untouched
    assert window.session.drawing.from_board
    assert "Nothing to undo" in view.info.text()


def test_alt_7_shows_the_view(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.view_tabs.current_name() == "input")


def test_no_nudge_while_the_network_trains(window, qtbot, small_mnist):
    """During a run the network reading the drawing changes several times a second: Nudge
    waits for the run's end (the map still follows the snapshots)."""
    from helpers.panel import configure

    window.set_data(small_mnist(600, 100))
    configure(window, hidden="32", epochs=2, validation=100, batch_size=32, augment=False,
              optimizer="adam", learning_rate="0.005", cost="cross_entropy",
              activation="relu")
    view = drawn_view(window, qtbot)
    assert view.nudge_button.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        assert window.start_training()
        assert not view.nudge_button.isEnabled()
        qtbot.mouseClick(view.nudge_button, LEFT)
        assert not view.nudge() and not view.nudging and not view.undo_stack
    qtbot.waitUntil(view.nudge_button.isEnabled)
    view.flush()
    assert np.array_equal(view.grad, input_gradient(window.session.reader,
                                                    window.session.drawing.x28,
                                                    view.k(window.session.drawing.probs)))
