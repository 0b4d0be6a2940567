"""A colour legend painted with QPainter: a vertical bar of a colour map, its values at the
ends and the middle, and a title along its side.

For widgets that paint themselves (``network_diagram``, ``image_canvas``, the backprop grids):
``Legend`` is the plain description, ``paint_legends`` draws a row of them into a rectangle,
and ``LegendStrip`` keeps such a row as a pixmap, made again only when something it shows
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPixmap

from . import colors

BAR_WIDTH = 12  # px
SLOT_WIDTH = 74  # px a legend takes: bar, values, title


@dataclass(frozen=True)
class Legend:
    signed: bool  # colors.SIGNED (blue-white-red) or colors.SEQUENTIAL (viridis)
    lo: float
    hi: float
    title: str

    @property
    def cmap(self):
        return colors.SIGNED if self.signed else colors.SEQUENTIAL


_GRADIENTS: dict[int, QImage] = {}


def gradient(cmap) -> QImage:
    """The colour map as a 1 × 256 image, high values at the top (made once per map)."""
    if id(cmap) not in _GRADIENTS:
        rgba = np.ascontiguousarray(colors.to_rgba(np.linspace(1, 0, 256)[:, None], cmap,
                                                   0.0, 1.0))
        _GRADIENTS[id(cmap)] = QImage(rgba.data, 1, 256, 4,
                                      QImage.Format.Format_RGBA8888).copy()
    return _GRADIENTS[id(cmap)]


def paint_legends(painter: QPainter, rect: QRectF, legends: list[Legend], text: QColor) -> None:
    """``legends`` side by side in ``rect`` (each ``SLOT_WIDTH`` wide), bars as tall as it."""
    metrics = QFontMetricsF(painter.font())
    top, bottom = rect.top() + metrics.height() / 2, rect.bottom() - metrics.height() / 2
    for i, legend in enumerate(legends):
        x = rect.left() + i * SLOT_WIDTH
        bar = QRectF(x + metrics.height() + 2, top, BAR_WIDTH, max(bottom - top, 1.0))
        painter.drawImage(bar, gradient(legend.cmap))
        painter.setPen(text)
        painter.drawRect(bar)
        for fraction in (0.0, 0.5, 1.0):
            value = legend.hi + fraction * (legend.lo - legend.hi)
            y = bar.top() + fraction * bar.height()
            painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y))
            painter.drawText(QRectF(bar.right() + 5, y - metrics.height() / 2, 60,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             f"{value:.3g}")
        painter.save()  # the title along the bar, reading upwards
        painter.translate(x + metrics.height() / 2, bar.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-bar.height() / 2, -metrics.height() / 2, bar.height(),
                                metrics.height()),
                         int(Qt.AlignmentFlag.AlignCenter),
                         metrics.elidedText(legend.title, Qt.TextElideMode.ElideRight,
                                            bar.height()))
        painter.restore()


class LegendStrip:
    """A row of legends kept as a pixmap for a widget that paints itself: made again only when
    the legends, the room for their bars, the widget's height or its palette change."""

    def __init__(self) -> None:
        self.legends: list[Legend] = []
        self._pixmap: QPixmap | None = None
        self._key: tuple | None = None

    @property
    def width(self) -> int:
        return SLOT_WIDTH * len(self.legends)

    def set(self, legends: list[Legend]) -> bool:
        """Show ``legends``; whether they changed."""
        if legends == self.legends:
            return False
        self.legends = legends
        self._pixmap = None
        return True

    def pixmap(self, widget, bars: QRectF) -> QPixmap:
        """The strip for ``widget``, its bars spanning ``bars`` (vertically)."""
        text = colors.text_color()
        ratio = widget.devicePixelRatioF()
        key = (widget.height(), ratio, bars.top(), bars.height(), text.rgba(),
               widget.font().key())
        if self._pixmap is None or key != self._key:
            pixmap = QPixmap(round(self.width * ratio), round(widget.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(widget.font())
            paint_legends(painter, QRectF(0, bars.top(), self.width, bars.height()),
                          self.legends, text)
            painter.end()
            self._pixmap, self._key = pixmap, key
        return self._pixmap
