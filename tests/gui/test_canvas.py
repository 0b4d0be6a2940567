"""The drawing canvas: real widget, real mouse/key events (offscreen), no sleeps."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.mouse import LEFT, NOMOD, RIGHT, at, stroke  # noqa: F401
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ffn_gui.board.canvas import GRID, RESOLUTION, DrawingCanvas


@pytest.fixture
def canvas(qtbot) -> DrawingCanvas:
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(400, 400)
    c.show()
    qtbot.waitExposed(c)
    return c



def ink(canvas, x: float, y: float) -> float:
    """The image's value at input-pixel coordinates (x, y)."""
    s = RESOLUTION / GRID
    return float(canvas.image()[int(y * s), int(x * s)])


def test_starts_empty(canvas):
    img = canvas.image()
    assert img.shape == (RESOLUTION, RESOLUTION) and img.dtype == np.float32
    assert img.max() == 0 and canvas.is_empty()
    assert not canvas.can_undo() and not canvas.can_redo()


def test_stroke_draws_ink_and_emits_changed(canvas, qtbot):
    with qtbot.waitSignal(canvas.stroke_finished, timeout=1000):
        with qtbot.waitSignals([canvas.changed] * 4, timeout=1000):
            stroke(canvas, [(6, 14), (12, 14), (18, 14), (22, 14)])
    assert not canvas.is_empty()
    img = canvas.image()
    assert 0.0 <= img.min() and img.max() <= 1.0
    assert ink(canvas, 14, 14) > 0.9  # on the line
    assert ink(canvas, 14, 4) == 0.0  # far from it
    assert ink(canvas, 3, 14) == 0.0  # beyond its start (plus the round cap)
    assert canvas.can_undo()


def test_fast_stroke_is_one_connected_line(canvas):
    """A long fast diagonal sent as three far-apart points is drawn as segments, not dots."""
    stroke(canvas, [(3, 3), (14, 14), (25, 25)])
    s = RESOLUTION / GRID
    diagonal = [canvas.image()[int(t * s), int(t * s)] for t in np.linspace(3, 25, 200)]
    assert min(diagonal) > 0.9
    # and the ink is one 8-connected component
    assert _components(canvas.image() > 0.5) == 1


def _components(mask: np.ndarray) -> int:
    seen = np.zeros_like(mask)
    count = 0
    for r, c in zip(*np.nonzero(mask)):
        if seen[r, c]:
            continue
        count += 1
        stack = [(r, c)]
        while stack:
            i, j = stack.pop()
            if not (0 <= i < mask.shape[0] and 0 <= j < mask.shape[1]):
                continue
            if seen[i, j] or not mask[i, j]:
                continue
            seen[i, j] = True
            stack += [(i + a, j + b) for a in (-1, 0, 1) for b in (-1, 0, 1)]
    return count


def test_click_draws_a_dot(canvas):
    QTest.mouseClick(canvas, LEFT, NOMOD, at(canvas, 14, 14))
    assert ink(canvas, 14, 14) > 0.9
    assert not canvas.is_empty()


def test_double_click_draws_a_dot_and_one_stroke(canvas):
    QTest.mouseClick(canvas, LEFT, NOMOD, at(canvas, 8, 8))
    QTest.mouseDClick(canvas, LEFT, NOMOD, at(canvas, 20, 20))
    QTest.mouseRelease(canvas, LEFT, NOMOD, at(canvas, 20, 20))
    assert ink(canvas, 8, 8) > 0.9 and ink(canvas, 20, 20) > 0.9
    assert len(canvas.strokes()) == 2


def test_moves_without_press_do_not_draw(canvas):
    for x in range(4, 24, 4):
        QTest.mouseMove(canvas, at(canvas, x, 10))
    assert canvas.is_empty()


def test_moves_that_carry_no_button_state_draw(canvas):
    """A press, then moves whose buttons() is NoButton (as some event sources send them)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    QTest.mousePress(canvas, LEFT, NOMOD, at(canvas, 4, 14))
    for x in (10, 16, 22):
        pos = QPointF(at(canvas, x, 14))
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            pos,
            canvas.mapToGlobal(pos),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            NOMOD,
        )
        QApplication.sendEvent(canvas, move)
    QTest.mouseRelease(canvas, LEFT, NOMOD, at(canvas, 22, 14))
    assert min(ink(canvas, x, 14) for x in range(4, 23)) > 0.9


def test_right_button_erases(canvas):
    stroke(canvas, [(4, 14), (24, 14)])
    stroke(canvas, [(14, 6), (14, 22)], button=RIGHT)
    assert ink(canvas, 14, 14) == 0.0  # erased where the strokes cross
    assert ink(canvas, 6, 14) > 0.9  # kept elsewhere


def test_eraser_toggle(canvas):
    stroke(canvas, [(4, 14), (24, 14)])
    canvas.set_eraser(True)
    assert canvas.eraser
    stroke(canvas, [(2, 14), (26, 14)])
    assert canvas.is_empty()
    canvas.set_eraser(False)
    stroke(canvas, [(14, 4), (14, 24)])
    assert ink(canvas, 14, 10) > 0.9


def test_undo_redo_per_stroke(canvas, qtbot):
    stroke(canvas, [(4, 8), (24, 8)])
    first = canvas.image().copy()
    stroke(canvas, [(4, 20), (24, 20)])
    both = canvas.image().copy()
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        canvas.undo()
    np.testing.assert_array_equal(canvas.image(), first)
    assert canvas.can_redo()
    canvas.undo()
    assert canvas.is_empty() and not canvas.can_undo()
    canvas.redo()
    canvas.redo()
    np.testing.assert_array_equal(canvas.image(), both)
    assert not canvas.can_redo()
    # a new stroke after an undo drops the redo history
    canvas.undo()
    stroke(canvas, [(14, 2), (14, 26)])
    assert not canvas.can_redo()


def test_clear_is_undoable(canvas, qtbot):
    stroke(canvas, [(4, 8), (24, 20)])
    drawn = canvas.image().copy()
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        canvas.clear()
    assert canvas.is_empty()
    canvas.undo()
    np.testing.assert_array_equal(canvas.image(), drawn)
    canvas.redo()
    assert canvas.is_empty()
    n = len(canvas._history)
    canvas.clear()  # clearing an empty board is no step
    assert len(canvas._history) == n


def test_brush_size_sets_width(canvas):
    def width(size: float) -> int:
        canvas.clear()
        canvas.set_brush_size(size)
        stroke(canvas, [(4, 14), (24, 14)])
        column = canvas.image()[:, RESOLUTION // 2]
        return int(np.count_nonzero(column > 0.5))

    thin, thick = width(1.0), width(4.0)
    s = RESOLUTION / GRID
    assert thin == pytest.approx(1.0 * s, abs=2)
    assert thick == pytest.approx(4.0 * s, abs=2)
    canvas.brush_size = 2.5
    assert canvas.brush_size == 2.5
    with pytest.raises(ValueError):
        canvas.set_brush_size(float("nan"))


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_key_clears(canvas, qtbot, key):
    stroke(canvas, [(4, 14), (24, 14)])
    canvas.setFocus()
    with qtbot.waitSignal(canvas.changed, timeout=1000):
        QTest.keyClick(canvas, key)
    assert canvas.is_empty()
    canvas.undo()
    assert not canvas.is_empty()


def test_resize_keeps_the_drawing(canvas, qtbot):
    stroke(canvas, [(4, 4), (24, 24)])
    before = canvas.image().copy()
    canvas.resize(700, 520)
    qtbot.waitUntil(lambda: canvas.width() == 700)
    np.testing.assert_array_equal(canvas.image(), before)
    board = canvas.board_rect()
    assert board.width() == board.height() == 520  # square, centred
    assert board.x() == (700 - 520) / 2
    # a stroke at the same input position lands on the same image pixels after the resize
    canvas.clear()
    stroke(canvas, [(4, 4), (24, 24)])
    overlap = np.minimum(canvas.image(), before).sum() / before.sum()
    assert overlap > 0.9


def test_magnified_at_least_ten_screen_pixels_per_input_pixel(canvas):
    assert canvas.minimumSizeHint().width() >= GRID * 10
    assert canvas.minimumSize().height() >= GRID * 10
    assert canvas.heightForWidth(500) == 500


def test_tablet_pen_draws_and_its_eraser_erases(canvas):
    pen = QPointingDevice.primaryPointingDevice()  # the event's device: any will do offscreen

    def send(kind, x, y, buttons=LEFT, button=LEFT):
        pos = QPointF(at(canvas, x, y))
        event = QTabletEvent(
            kind,
            pen,
            pos,
            canvas.mapToGlobal(pos),
            0.8,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            NOMOD,
            button,
            buttons,
        )
        QApplication.sendEvent(canvas, event)
        return event

    press = send(QTabletEvent.Type.TabletPress, 4, 14)
    assert press.isAccepted()
    send(QTabletEvent.Type.TabletMove, 14, 14)
    send(QTabletEvent.Type.TabletRelease, 24, 14, buttons=Qt.MouseButton.NoButton)
    assert ink(canvas, 10, 14) > 0.9 and ink(canvas, 20, 14) > 0.9
    assert canvas.can_undo()
    # hovering (a move with no press) draws nothing
    send(QTabletEvent.Type.TabletMove, 14, 4, buttons=Qt.MouseButton.NoButton)
    assert ink(canvas, 14, 4) == 0.0


def test_grid_toggle_repaints_without_touching_the_image(canvas, qtbot):
    stroke(canvas, [(4, 14), (24, 14)])
    before = canvas.image().copy()
    canvas.set_grid_visible(True)
    shot = canvas.grab().toImage()
    canvas.set_grid_visible(False)
    plain = canvas.grab().toImage()
    assert shot != plain  # the grid is visible on screen
    np.testing.assert_array_equal(canvas.image(), before)  # and not in the network's input


def test_hint_text_when_empty(canvas):
    def brightest_in_the_middle() -> int:
        shot = canvas.grab().toImage()
        board = canvas.board_rect().toRect()
        c = board.center()
        return max(
            shot.pixelColor(x, y).lightness()
            for x in range(board.left() + 10, board.right() - 10, 2)
            for y in range(c.y() - 6, c.y() + 7, 2)
        )

    assert brightest_in_the_middle() > 40  # "Draw a digit" on the dark board
    stroke(canvas, [(4, 24), (6, 24)])  # ink away from the middle
    assert brightest_in_the_middle() < 30  # the hint is gone


def test_a_note_over_ink_veils_the_ink_the_views_are_not_showing(canvas):
    """The views show something else (a nudged drawing, a test digit) while the board keeps
    its strokes: the strokes are dimmed under the note, so the note reads and the board does
    not pass for what the network reads; the image the network reads is untouched."""
    stroke(canvas, [(4, 26), (24, 26)])  # ink low on the board, under no line of the note
    board = canvas.board_rect().toRect()
    x, y = board.center().x(), round(board.top() + board.height() * 26 / 28)

    def lightness() -> int:
        return canvas.grab().toImage().pixelColor(x, y).lightness()

    before, image = lightness(), canvas.image().copy()
    canvas.show_note("The views show test digit #3, a 1. Draw to replace it.")
    veiled = lightness()
    canvas.show_note(None)
    assert before > 200 and veiled < 90 and lightness() == before
    np.testing.assert_array_equal(canvas.image(), image)


def test_image_is_a_cached_read_only_array(canvas):
    stroke(canvas, [(4, 14), (24, 14)])
    a = canvas.image()
    assert a is canvas.image()  # no work twice between changes
    assert not a.flags.writeable
    stroke(canvas, [(14, 4), (14, 24)])
    assert canvas.image() is not a


def test_history_is_bounded_and_undo_still_works(canvas, monkeypatch):
    monkeypatch.setattr("ffn_gui.board.canvas.HISTORY_LIMIT", 10)
    for i in range(20):
        stroke(canvas, [(4, 4 + i), (20, 4 + i)])
        canvas.clear()
    assert len(canvas._history) <= 10
    stroke(canvas, [(14, 2), (14, 26)])
    drawn = canvas.image().copy()
    while canvas.can_undo():
        canvas.undo()
    assert canvas.is_empty()  # the oldest state kept is the board a clear left
    while canvas.can_redo():
        canvas.redo()
    np.testing.assert_array_equal(canvas.image(), drawn)
