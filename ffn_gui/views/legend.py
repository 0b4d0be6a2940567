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
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import QApplication

from . import colors

BAR_WIDTH = 12  # px
SLOT_WIDTH = 74  # px a legend takes at least: bar, values, title (wider for long values)


@dataclass(frozen=True)
class Legend:
    signed: bool  # colors.SIGNED (blue-white-red) or colors.SEQUENTIAL (viridis)
    lo: float
    hi: float
    title: str

    @property
    def cmap(self):
        return colors.SIGNED if self.signed else colors.SEQUENTIAL

    @property
    def values(self) -> tuple[float, float, float]:
        """The values written by the bar: top, middle, bottom."""
        return self.hi, (self.hi + self.lo) / 2, self.lo


def short(value: float) -> str:
    """``value`` in at most three significant digits and few characters: 0.25, -1.5, 120,
    7e-5, -1.5e-5 (not 7e-05 or -0.00015, which a legend or an axis would cut short)."""
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else str(value)
    a = abs(value)
    if 1e-3 <= a < 1e4:
        return f"{value:.3g}" if a < 100 else f"{value:.0f}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def slot_width(legend: Legend, metrics: QFontMetricsF) -> int:
    """The room ``legend`` takes in a row: its title, bar, and its longest value."""
    values = max(metrics.horizontalAdvance(short(v)) for v in legend.values)
    return max(SLOT_WIDTH, round(metrics.height() + 2 + BAR_WIDTH + 5 + values + 6))


_GRADIENTS: dict[int, QImage] = {}


def gradient(cmap, across: bool = False) -> QImage:
    """The colour map as a 1 × 256 image, high values at the top, or ``across`` as a 256 × 1
    image, high values on the right (made once per map)."""
    key = (id(cmap), across)
    if key not in _GRADIENTS:
        rgba = np.ascontiguousarray(colors.to_rgba(np.linspace(1, 0, 256)[:, None], cmap,
                                                   0.0, 1.0))
        image = QImage(rgba.data, 1, 256, 4, QImage.Format.Format_RGBA8888).copy()
        _GRADIENTS[key] = image.transformed(QTransform().rotate(90)) if across else image
    return _GRADIENTS[key]


def across_height(metrics: QFontMetricsF) -> int:
    """The height of a row of legends laid across (``paint_legends_across``)."""
    return round(BAR_WIDTH + metrics.height() + 6)


def paint_legends_across(painter: QPainter, rect: QRectF, legends: list[Legend],
                         text: QColor) -> None:
    """``legends`` side by side along ``rect``, each a title then a horizontal bar with its
    values under it (low on the left): a band one bar and one line of text tall."""
    metrics = QFontMetricsF(painter.font())
    share = rect.width() / max(len(legends), 1)
    line = metrics.height()
    for i, legend in enumerate(legends):
        x = rect.left() + i * share
        title = metrics.horizontalAdvance(legend.title) + 8 if legend.title else 0
        ends = max(metrics.horizontalAdvance(short(v)) for v in legend.values) / 2 + 2
        bar = QRectF(x + title + ends, rect.top() + 2, max(share - title - 2 * ends - 16, 8),
                     BAR_WIDTH)
        painter.setPen(text)
        painter.drawText(QRectF(x, bar.top() - line / 2 + BAR_WIDTH / 2, title, line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         legend.title)
        painter.drawImage(bar, gradient(legend.cmap, across=True))
        painter.drawRect(bar)
        for fraction, value in zip((1.0, 0.5, 0.0), legend.values):
            cx = bar.left() + fraction * bar.width()
            painter.drawLine(QPointF(cx, bar.bottom()), QPointF(cx, bar.bottom() + 3))
            painter.drawText(QRectF(cx - 40, bar.bottom() + 3, 80, line),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                             short(value))


def paint_legends(painter: QPainter, rect: QRectF, legends: list[Legend], text: QColor) -> None:
    """``legends`` side by side in ``rect`` (each ``SLOT_WIDTH`` wide), bars as tall as it."""
    metrics = QFontMetricsF(painter.font())
    top, bottom = rect.top() + metrics.height() / 2, rect.bottom() - metrics.height() / 2
    x = rect.left()
    for legend in legends:
        bar = QRectF(x + metrics.height() + 2, top, BAR_WIDTH, max(bottom - top, 1.0))
        painter.drawImage(bar, gradient(legend.cmap))
        painter.setPen(text)
        painter.drawRect(bar)
        for fraction, value in zip((0.0, 0.5, 1.0), legend.values):
            y = bar.top() + fraction * bar.height()
            painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y))
            painter.drawText(QRectF(bar.right() + 5, y - metrics.height() / 2, 80,
                                    metrics.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             short(value))
        painter.save()  # the title along the bar, reading upwards
        painter.translate(x + metrics.height() / 2, bar.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-bar.height() / 2, -metrics.height() / 2, bar.height(),
                                metrics.height()),
                         int(Qt.AlignmentFlag.AlignCenter),
                         metrics.elidedText(legend.title, Qt.TextElideMode.ElideRight,
                                            bar.height()))
        painter.restore()
        x += slot_width(legend, metrics)


class LegendStrip:
    """A row of legends kept as a pixmap for a widget that paints itself: made again only when
    the legends, the room for their bars, the widget's height or its palette change."""

    def __init__(self, owner=None) -> None:
        self.owner = owner  # the widget that paints the strip (its font sets the width)
        self.legends: list[Legend] = []
        self._pixmap: QPixmap | None = None
        self._key: tuple | None = None

    @property
    def width(self) -> int:
        """The strip's width in its owner's font (the application's, without an owner)."""
        metrics = QFontMetricsF(self.owner.font() if self.owner is not None
                                else QApplication.font())
        return sum(slot_width(legend, metrics) for legend in self.legends)

    def set(self, legends: list[Legend]) -> bool:
        """Show ``legends``; whether they changed."""
        if legends == self.legends:
            return False
        self.legends = legends
        self._pixmap = None
        return True

    def pixmap(self, widget, bars: QRectF) -> QPixmap:
        """The strip for ``widget``, its bars spanning ``bars`` (vertically)."""
        return self._made(widget, ("up", widget.height(), bars.top(), bars.height()),
                          self.width, widget.height(),
                          lambda p: paint_legends(p, QRectF(0, bars.top(), self.width,
                                                            bars.height()), self.legends,
                                                  colors.text_color()))

    def pixmap_across(self, widget, width: float) -> QPixmap:
        """The legends laid across a band ``width`` wide (``paint_legends_across``)."""
        height = across_height(QFontMetricsF(widget.font()))
        return self._made(widget, ("across", round(width)), round(width), height,
                          lambda p: paint_legends_across(p, QRectF(0, 0, width, height),
                                                         self.legends, colors.text_color()))

    def _made(self, widget, key: tuple, width: int, height: int, paint) -> QPixmap:
        ratio = widget.devicePixelRatioF()
        key = (*key, ratio, colors.text_color().rgba(), widget.font().key())
        if self._pixmap is None or key != self._key:
            pixmap = QPixmap(max(round(width * ratio), 1), max(round(height * ratio), 1))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(widget.font())
            paint(painter)
            painter.end()
            self._pixmap, self._key = pixmap, key
        return self._pixmap
