"""The confusion matrix as a heat map: 10×10 cells with their counts, and a colour legend.

True digit down, digit read across. Colour follows ``log(1 + count)`` on a sequential,
colour-blind-safe map (viridis): the diagonal holds about a thousand digits a cell and the
mistakes a handful, and on a linear scale every mistake would look like zero. The legend beside
it is labelled with counts. Clicking a cell emits ``cell_clicked(true, read)``.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QLinearGradient, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_LUT = pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256, alpha=False)  # (256, 3) uint8


def cell_colours(matrix: np.ndarray) -> np.ndarray:
    """uint8 (10, 10, 3): each cell's colour, log(1 + count) scaled to the largest count."""
    top = max(int(matrix.max()), 1)
    level = np.log1p(matrix.astype(float)) / math.log1p(top)
    return _LUT[np.clip((level * 255).round().astype(int), 0, 255)]


class ConfusionMap(QWidget):
    cell_clicked = Signal(int, int)  # true digit, digit read

    LEGEND = 70  # pixels right of the grid: the colour bar and its labels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: np.ndarray | None = None  # int (10, 10), what is drawn
        self.colours: np.ndarray | None = None
        self.selected: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(300, 240)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_matrix(self, matrix: np.ndarray | None) -> None:
        self.matrix = None if matrix is None else np.asarray(matrix).copy()
        self.colours = None if matrix is None else cell_colours(self.matrix)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(520, 440)

    def grid_rect(self) -> QRectF:
        margin = 26  # for the digit labels along the top and the left
        side = max(10.0, min(self.width() - self.LEGEND - margin - 4, self.height() - margin - 4))
        return QRectF(margin, margin, side, side)

    def cell_centre(self, true: int, read: int) -> QPointF:
        g = self.grid_rect()
        k = g.width() / 10
        return QPointF(g.x() + (read + 0.5) * k, g.y() + (true + 0.5) * k)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        g = self.grid_rect()
        if not g.contains(pos):
            return None
        k = g.width() / 10
        return min(int((pos.y() - g.y()) / k), 9), min(int((pos.x() - g.x()) / k), 9)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        cell = self.cell_at(event.position())
        left = event.button() == Qt.MouseButton.LeftButton
        if cell is not None and self.matrix is not None and left:
            self.selected = cell
            self.update()
            self.cell_clicked.emit(*cell)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        g = self.grid_rect()
        k = g.width() / 10
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, min(11.0, k / 4.2)))
        p.setFont(font)
        p.setPen(text)
        for d in range(10):
            p.drawText(QRectF(g.x() + d * k, 0, k, g.y()), Qt.AlignmentFlag.AlignCenter, str(d))
            p.drawText(QRectF(0, g.y() + d * k, g.x() - 4, k),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, str(d))
        if self.matrix is None:
            p.drawText(g, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       "No evaluation yet")
            return
        for t in range(10):
            for r in range(10):
                rect = QRectF(g.x() + r * k, g.y() + t * k, k, k)
                c = QColor(*(int(v) for v in self.colours[t, r]))
                p.fillRect(rect, c)
                light = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue() > 140
                p.setPen(QColor(0, 0, 0) if light else QColor(255, 255, 255))
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(int(self.matrix[t, r])))
        if self.selected is not None:
            t, r = self.selected
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 3))
            p.drawRect(QRectF(g.x() + r * k, g.y() + t * k, k, k).adjusted(1.5, 1.5, -1.5, -1.5))
        self._paint_legend(p, g, text)

    def _paint_legend(self, p: QPainter, g: QRectF, text: QColor) -> None:
        bar = QRectF(g.right() + 12, g.y(), 14, g.height())
        grad = QLinearGradient(bar.bottomLeft(), bar.topLeft())
        for i in range(0, 256, 32):
            grad.setColorAt(i / 255, QColor(*(int(v) for v in _LUT[i])))
        grad.setColorAt(1.0, QColor(*(int(v) for v in _LUT[255])))
        p.fillRect(bar, grad)
        p.setPen(text)
        p.drawRect(bar)
        top = max(int(self.matrix.max()), 1)
        ticks = [0] + [10**e for e in range(int(math.log10(top)) + 1)]
        if top not in ticks:
            ticks.append(top)
        for v in ticks:
            y = bar.bottom() - bar.height() * math.log1p(v) / math.log1p(top)
            if v != top and y - bar.top() < 14:
                continue  # the largest count's label is there
            p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y))
            p.drawText(QRectF(bar.right() + 6, y - 9, self.LEGEND, 18),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, f"{v:,}")
