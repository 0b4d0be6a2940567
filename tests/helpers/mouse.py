"""Mouse strokes on the drawing canvas, sent as real Qt mouse events."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ffn_gui.board.canvas import GRID

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
NOMOD = Qt.KeyboardModifier.NoModifier


def at(canvas, x: float, y: float) -> QPoint:
    """The widget point at input-pixel coordinates (x, y) of the 28×28 grid."""
    board = canvas.board_rect()
    k = board.width() / GRID
    return QPoint(round(board.x() + x * k), round(board.y() + y * k))


def stroke(canvas, points, button=LEFT) -> None:
    """Press at the first point, move (events without button state) through the rest, release."""
    QTest.mousePress(canvas, button, NOMOD, at(canvas, *points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, at(canvas, *p))
    QTest.mouseRelease(canvas, button, NOMOD, at(canvas, *points[-1]))


def draw_fractions(canvas, points) -> None:
    """A left-button stroke through ``points`` given in fractions of the board (0..1)."""
    stroke(canvas, [(fx * GRID, fy * GRID) for fx, fy in points])
