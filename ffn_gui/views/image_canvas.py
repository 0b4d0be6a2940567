"""One RGBA image fitted into a widget that paints itself, with a frame, legends and clicks.

For the weights view's mosaic of tiles: the image is drawn scaled without smoothing (each
value a crisp block), its aspect kept and centred, beside a strip of ``legend`` legends made
into a pixmap only when they change; ``frame`` outlines a rectangle of the image (the selected
tile); a click emits ``clicked(x, y)`` in image coordinates (x a column, y a row). The same
picture as a pyqtgraph scene took 8-18 ms to paint when the view was shown.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from . import colors
from .legend import Legend, LegendStrip

LEGEND_GAP = 12  # px


class ImageCanvas(QWidget):
    clicked = Signal(float, float)  # (x, y) in image coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(200, 160)
        self.rgba: np.ndarray | None = None  # (rows, cols, 4) uint8
        self._image: QImage | None = None
        self.frame: QRectF | None = None
        self.captions: list[tuple[float, str]] = []  # (image x, text) above the image
        self.strip = LegendStrip(self)

    def set_image(self, rgba: np.ndarray) -> None:
        self.rgba = np.ascontiguousarray(rgba)
        rows, cols = self.rgba.shape[:2]
        self._image = QImage(self.rgba.data, cols, rows, 4 * cols,
                             QImage.Format.Format_RGBA8888)
        self.update()

    def set_frame(self, rect: QRectF | None) -> None:
        if rect != self.frame:
            self.frame = rect
            self.update()

    def set_captions(self, captions: list[tuple[float, str]]) -> None:
        if captions != self.captions:
            self.captions = captions
            self.update()

    @property
    def legends(self) -> list[Legend]:
        return self.strip.legends

    def set_legends(self, legends: list[Legend]) -> None:
        if self.strip.set(legends):
            self.update()

    # --- where things are -------------------------------------------------------------------

    def image_rect(self) -> QRectF:
        """Where the image is painted: fitted into the room left of the legends, centred."""
        strip = self.strip.width + (LEGEND_GAP if self.legends else 0)
        top = self.fontMetrics().height() + 4 if self.captions else 0
        width, height = max(self.width() - strip, 1), max(self.height() - top, 1)
        if self.rgba is None:
            return QRectF(0, top, width, height)
        rows, cols = self.rgba.shape[:2]
        scale = min(width / cols, height / rows)
        return QRectF((width - cols * scale) / 2, top + (height - rows * scale) / 2,
                      cols * scale, rows * scale)

    def to_widget(self, x: float, y: float) -> QPointF:
        r = self.image_rect()
        rows, cols = self.rgba.shape[:2] if self.rgba is not None else (1, 1)
        return QPointF(r.left() + x * r.width() / cols, r.top() + y * r.height() / rows)

    def to_image(self, pos: QPointF) -> QPointF:
        r = self.image_rect()
        rows, cols = self.rgba.shape[:2] if self.rgba is not None else (1, 1)
        return QPointF((pos.x() - r.left()) * cols / r.width(),
                       (pos.y() - r.top()) * rows / r.height())

    # --- painting and the mouse ------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = self.image_rect()
        if self._image is not None:
            painter.drawImage(rect, self._image)
        if self.captions:
            painter.setPen(colors.text_color())
            line = self.fontMetrics().height()
            for x, text in self.captions:
                p = self.to_widget(x, 0)
                painter.drawText(QRectF(p.x(), p.y() - line - 2, 200, line),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                                 text)
        if self.frame is not None:
            a = self.to_widget(self.frame.left(), self.frame.top())
            b = self.to_widget(self.frame.right(), self.frame.bottom())
            pen = QPen(colors.text_color())
            pen.setWidthF(2)
            painter.setPen(pen)
            painter.drawRect(QRectF(a, b))
        if self.legends:
            painter.drawPixmap(self.width() - self.strip.width, 0,
                               self.strip.pixmap(self, rect))  # as tall as the image
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rgba is not None:
            if self.image_rect().contains(event.position()):
                p = self.to_image(event.position())
                self.clicked.emit(p.x(), p.y())
