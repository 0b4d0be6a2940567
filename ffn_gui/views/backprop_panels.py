"""The backprop view's grids of cells, in one widget that paints itself (its bars are
``bars_panel.BarsPanel``).

``GridsPanel`` draws signed arrays (δ per layer, a neuron's ∂C/∂w) side by side as grids of
square cells in CET-D1, each under its name, with one symmetric legend (``legend``) whose
limit holds while the values stay within a factor 3 of it (``colors.steady``); a click on a
cell emits ``clicked(layer, index)``; on a ``single`` grid (a neuron's ∂C/∂w) it emits
``picked(index)`` instead (the weight to check), and ``mark(index)`` outlines that cell. As a
pyqtgraph scene the panel took 2.5 ms a repaint while you drew; this takes a fraction of that.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from . import colors
from .legend import Legend, LegendStrip

GAP = 16  # px between two grids


class GridsPanel(QWidget):
    clicked = Signal(int, int)  # layer, index
    picked = Signal(int)  # a cell of a single grid

    def __init__(self, single: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(110)
        self.single = single  # one grid: a click picks a cell of it
        self.marked: int | None = None  # the cell outlined (mark)
        self.arrays: list[np.ndarray] = []  # what each grid shows
        self.shapes: list[tuple[int, int]] = []
        self.names: list[str] = []
        self.images: list[np.ndarray] = []  # RGBA uint8, one per grid
        self._qimages: list[QImage] = []
        self.limit = 1.0
        self.strip = LegendStrip(self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, 200)

    def show_grids(self, arrays: list[np.ndarray], names: list[str], shapes=None) -> None:
        """Each array as a grid of cells (``shapes[i]``, default ``colors.grid_shape``)."""
        self.arrays = [np.asarray(a) for a in arrays]
        self.shapes = shapes or [colors.grid_shape(a.size) for a in self.arrays]
        self.names = list(names)
        values = [a.ravel() for a in self.arrays]
        needed = colors.symmetric_limit(np.concatenate(values)) if values else 1.0
        self.limit = colors.steady(self.limit, needed)
        self.images = [np.ascontiguousarray(colors.signed_rgba(
            colors.as_grid(a.ravel(), shape), self.limit)) for a, shape in zip(self.arrays,
                                                                             self.shapes)]
        self._qimages = [QImage(a.data, a.shape[1], a.shape[0], 4 * a.shape[1],
                                QImage.Format.Format_RGBA8888) for a in self.images]
        self.strip.set([self.legend])
        self.update()

    def clear(self) -> None:
        """No grids (nothing to show)."""
        self.marked = None
        self.show_grids([], [])

    def mark(self, index: int | None) -> None:
        """Outline cell ``index`` of the first grid (None: no outline)."""
        if index != self.marked:
            self.marked = index
            self.update()

    @property
    def legend(self) -> Legend:
        return Legend(True, -self.limit, self.limit, "")

    # --- where things are -------------------------------------------------------------------

    def _share(self) -> float:
        """Each grid's share of the width left of the legend."""
        n = max(len(self.shapes), 1)
        return max((self.width() - self.strip.width - GAP * (n - 1)) / n, 1.0)

    def cell_rects(self) -> list[QRectF]:
        """Where each grid's cells are painted, in widget pixels (square cells, centred in
        its share of the width, under its name)."""
        line = self.fontMetrics().height()
        width = self._share()
        height = self.height() - line - 8
        rects = []
        for i, (rows, cols) in enumerate(self.shapes):
            cell = max(min(width / cols, height / rows), 0.1)
            left = i * (width + GAP) + (width - cols * cell) / 2
            top = line + 6 + (height - rows * cell) / 2
            rects.append(QRectF(left, top, cols * cell, rows * cell))
        return rects

    def to_widget(self, layer: int, index: int) -> QPointF:
        """The centre of cell ``index`` of grid ``layer``, in widget pixels."""
        rows, cols = self.shapes[layer]
        r = self.cell_rects()[layer]
        return QPointF(r.left() + (index % cols + 0.5) * r.width() / cols,
                       r.top() + (index // cols + 0.5) * r.height() / rows)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        for layer, (rect, (rows, cols)) in enumerate(zip(self.cell_rects(), self.shapes)):
            if rect.contains(pos):
                r = int((pos.y() - rect.top()) / rect.height() * rows)
                c = int((pos.x() - rect.left()) / rect.width() * cols)
                index = min(r, rows - 1) * cols + min(c, cols - 1)
                return (layer, index) if index < self.arrays[layer].size else None
        return None

    # --- painting and the mouse ------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        text = colors.text_color()
        line = self.fontMetrics().height()
        bottom = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        share = self._share()
        for rect, image, name in zip(self.cell_rects(), self._qimages, self.names):
            painter.drawImage(rect, image)
            painter.setPen(text)
            # the name over its grid, within the grid's share of the width
            left = max(rect.center().x() - share / 2, 0)
            painter.drawText(QRectF(left, rect.top() - line - 2, share, line), bottom,
                             self.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                                           int(share)))
        if self.marked is not None and self.arrays and self.marked < self.arrays[0].size:
            rows, cols = self.shapes[0]
            r = self.cell_rects()[0]
            c = self.to_widget(0, self.marked)
            w, h = r.width() / cols, r.height() / rows
            painter.setPen(QPen(text, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(c.x() - w / 2 - 1, c.y() - h / 2 - 1, w + 2, h + 2))
        if self.arrays:
            painter.drawPixmap(self.width() - self.strip.width, 0,
                               self.strip.pixmap(self, QRectF(0, 8, 0, self.height() - 16)))
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.position())
        if cell is not None and self.single:
            self.picked.emit(cell[1])
        elif cell is not None:
            self.clicked.emit(*cell)
