"""Painting the drawing board: the dark square, the ink screen-blended on it, the optional
28×28 grid, the hint text ("Draw a digit") and the focus frame. Plain functions of a
``QPainter`` and the board's square in widget coordinates.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

from .ink import GRID

BOARD = QColor(18, 20, 24)
GRID_COLOUR = QColor(255, 255, 255, 26)
HINT_COLOUR = QColor(255, 255, 255, 90)
VEIL = QColor(18, 20, 24, 200)  # over ink the views are not showing: the note stays readable
NOTE_COLOUR = QColor(255, 255, 255, 215)


def paint_ink(painter: QPainter, board: QRectF, ink: QImage) -> None:
    """The board and the ink: screen blending lightens the dark board and keeps the
    antialiased edges smooth."""
    painter.fillRect(board, BOARD)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Screen)
    painter.drawImage(board, ink)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)


def paint_grid(painter: QPainter, board: QRectF) -> None:
    """Thin lines between the input pixels."""
    painter.setPen(QPen(GRID_COLOUR, 1))
    k = board.width() / GRID
    for i in range(1, GRID):
        x = round(board.x() + i * k) + 0.5
        y = round(board.y() + i * k) + 0.5
        painter.drawLine(QPointF(x, board.top()), QPointF(x, board.bottom()))
        painter.drawLine(QPointF(board.left(), y), QPointF(board.right(), y))


def paint_hint(painter: QPainter, board: QRectF, font: QFont, text: str, small: bool,
               veiled: bool = False) -> None:
    """``text`` centred and wrapped on the board, in a size that follows the board's (smaller
    when ``small``: a note longer than the hint). ``veiled``: the board's ink is not what the
    views show, so it is dimmed under a veil and the text drawn brighter over it."""
    font = QFont(font)
    font.setPixelSize(max(12, round(board.width() / (20 if small else 14))))
    painter.setFont(font)
    if veiled:
        painter.fillRect(board, VEIL)
    painter.setPen(NOTE_COLOUR if veiled else HINT_COLOUR)
    painter.drawText(board.adjusted(8, 8, -8, -8),
                     Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


def paint_focus(painter: QPainter, board: QRectF, colour: QColor) -> None:
    """A frame inside the board's edge: the board has the keyboard focus."""
    painter.setPen(QPen(colour, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(board.adjusted(1, 1, -1, -1))
