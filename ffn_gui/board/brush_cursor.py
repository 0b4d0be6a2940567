"""The board's cursor: a circle as wide as the pen (or the eraser) draws.

A white ring inside a dark one, so it shows on the dark board and on light surroundings; the
eraser's ring is dashed. A dot marks the centre when the circle is small. Drawn at the screen's
device pixel ratio, so it is crisp on HiDPI screens.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen, QPixmap

MIN_DIAMETER = 3.0  # screen pixels: below this the ring is drawn this wide


def brush_cursor(diameter: float, erase: bool = False, ratio: float = 1.0) -> QCursor:
    """A cursor showing a circle ``diameter`` logical pixels wide, hot spot at its centre."""
    d = max(float(diameter), MIN_DIAMETER)
    side = math.ceil(d) + 5  # room for the outer ring
    side += side % 2 == 0  # odd: the centre falls on a pixel
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    centre = QPointF(side / 2, side / 2)
    style = Qt.PenStyle.DashLine if erase else Qt.PenStyle.SolidLine
    r = d / 2
    painter.setPen(QPen(QColor(0, 0, 0, 160), 3.0))  # the dark ring under the white one
    painter.drawEllipse(centre, r, r)
    painter.setPen(QPen(QColor(255, 255, 255), 1.2, style))
    painter.drawEllipse(centre, r, r)
    if d < 12:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255))
        painter.drawEllipse(centre, 0.8, 0.8)
    painter.end()
    return QCursor(pixmap, side // 2, side // 2)
