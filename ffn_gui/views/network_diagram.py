"""The network view's diagram: columns of cells and the lines between them, one widget that paints
itself from NumPy arrays.

Coordinates are the layout's (``Column``; the input is 28 units tall, y downwards). One
``paintEvent`` draws each layer's cells as one small image scaled up without smoothing, the
contribution lines as one ``drawLines`` per colour, the layer names, the digits by the outputs
and the selected cell's frame; the legends, laid across a band under the diagram, come from a
pixmap made again only when they change. The same picture as a pyqtgraph scene took 5-6 ms a
repaint while you drew; this takes about 1.5 ms (``benchmarks/bench_gui.py``). The wheel zooms
about the cursor, dragging pans, a double click fits the whole network again.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QWidget
from pyqtgraph.Qt.internals import PrimitiveArray  # pyqtgraph's QLineF array over NumPy

from . import colors
from .legend import Legend, LegendStrip, across_height

HEIGHT = 28.0  # every layer's column is as tall as the input image
ALPHAS = (70, 140, 255)  # opacity of the weakest, middle and strongest third of the lines
ALPHAS_DARK = (150, 200, 255)  # on a dark background, where faint lines sink into it
MAX_ZOOM = 40.0
LEGEND_GAP = 8  # px between the diagram and its legends (a band under it)
DRAG_PX = 4  # a press that moves further is a pan, not a click
MARK = QColor("#e69f00")  # the step-through's frames: Okabe-Ito orange, apart from red and blue


class NetworkDiagram(QWidget):
    clicked = Signal(int, int)  # (layer, index) of a neuron, layers as core.inspect's
    hovered = Signal(object)  # (layer, index) under the pointer, or None
    resized = Signal()  # the room for the diagram changed shape (the view lays it out again)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(280, 160)
        self.columns: list = []  # network_view.Column, input first
        self.names: list[str] = []  # each column's title
        self.images: list[np.ndarray] = []  # RGBA uint8 (rows, cols, 4) per column
        self._qimages: list[QImage] = []
        self.segments: list[np.ndarray] = [np.zeros((0, 4))] * (2 * len(ALPHAS))
        self._lines = [PrimitiveArray(QLineF, 4) for _ in self.segments]
        self.strip = LegendStrip(self)
        self.highlight: QRectF | None = None
        self.marks: list[tuple[QRectF, bool]] = []  # the step-through's frames (solid or not)
        self.caption: tuple[int, str] | None = None  # (column, text over it instead of its name)
        self._zoom, self._pan = 1.0, QPointF(0, 0)
        self._press: QPointF | None = None  # where a press began, and the pan then
        self._pan_at_press = QPointF(0, 0)
        self._dragged = False
        self._set_pens()

    # --- what is shown ----------------------------------------------------------------------

    def set_layout(self, columns: list, names: list[str]) -> None:
        self.columns, self.names = columns, names
        self.fit()

    def set_cells(self, rgba: list[np.ndarray]) -> None:
        """Each column's cells, as ``colors.to_rgba`` images in the column's grid shape."""
        self.images = [np.ascontiguousarray(a) for a in rgba]
        self._qimages = [QImage(a.data, a.shape[1], a.shape[0], 4 * a.shape[1],
                                QImage.Format.Format_RGBA8888) for a in self.images]
        self.update()

    def set_lines(self, buckets: list[np.ndarray]) -> None:
        """Line segments (n, 4: x0, y0, x1, y1) per colour: positive then negative, each from
        the weakest opacity to the strongest (``ALPHAS``)."""
        self.segments = [np.asarray(b, float).reshape(-1, 4) for b in buckets]
        for lines, b in zip(self._lines, self.segments):  # written in place: no QLineF objects
            lines.resize(len(b))
            lines.ndarray()[:] = b
        self.update()

    @property
    def legends(self) -> list[Legend]:
        return self.strip.legends

    def set_legends(self, legends: list[Legend]) -> None:
        if self.strip.set(legends):
            self.update()

    def set_highlight(self, rect: QRectF | None) -> None:
        if rect != self.highlight:
            self.highlight = rect
            self.update()

    def set_marks(self, marks: list[tuple[QRectF, bool]], caption: tuple[int, str] | None) -> None:
        """The step-through's frames, in layout units: solid for the layer being computed and
        its neuron, dashed for what it is computed from; ``caption`` over that layer."""
        self.marks, self.caption = marks, caption
        self.update()

    # --- where things are -------------------------------------------------------------------

    def _bounds(self) -> QRectF:
        if not self.columns:
            return QRectF(0, 0, 1, 1)
        out = self.columns[-1]
        return QRectF(-1, -3, out.x + out.width + 9, HEIGHT + 4)  # + room for the labels

    def _band(self) -> float:
        """The height of the legends' band (and the gap above it); 0 without legends."""
        return across_height(QFontMetricsF(self.font())) + LEGEND_GAP if self.legends else 0.0

    def _room(self) -> QRectF:
        """All the room for the diagram: the widget less the legends' band."""
        return QRectF(0, 0, max(self.width(), 1), max(self.height() - self._band(), 1))

    def _layout(self) -> tuple[QRectF, QRectF]:
        """(where the fitted diagram goes, the band of legends laid across right under it):
        the two together centred in the widget."""
        room, band = self._room(), self._band()
        b = self._bounds()
        tall = min(room.width() / b.width(), room.height() / b.height()) * b.height()
        top = max((self.height() - tall - band) / 2, 0.0)
        return (QRectF(0, top, room.width(), max(tall, 1.0)),
                QRectF(0, top + tall + LEGEND_GAP, room.width(), max(band - LEGEND_GAP, 0)))

    def _area(self) -> QRectF:
        return self._layout()[0]

    def aspect(self) -> float:
        """Width over height of the room for the diagram (the view fits its gaps to it)."""
        room = self._room()
        return room.width() / room.height()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.resized.emit()

    def _fit_scale(self) -> float:
        bounds, area = self._bounds(), self._area()
        return max(min(area.width() / bounds.width(), area.height() / bounds.height()), 1e-3)

    def transform(self) -> QTransform:
        """Layout units to widget pixels: the whole network fitted (aspect kept), then the
        user's zoom and pan."""
        bounds, area = self._bounds(), self._area()
        scale = self._fit_scale() * self._zoom
        t = QTransform()
        t.translate(area.center().x() + self._pan.x(), area.center().y() + self._pan.y())
        t.scale(scale, scale)
        t.translate(-bounds.center().x(), -bounds.center().y())
        return t

    def to_widget(self, x: float, y: float) -> QPointF:
        return self.transform().map(QPointF(x, y))

    def to_layout(self, pos: QPointF) -> QPointF:
        return self.transform().inverted()[0].map(QPointF(pos))

    def unit_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the neuron under widget point ``pos``; None over the input."""
        p = self.to_layout(pos)
        for i, column in enumerate(self.columns[1:], start=1):
            k = column.unit_at(p.x(), p.y())
            if k is not None:
                return i - 1, k
        return None

    def fit(self) -> None:
        self._zoom, self._pan = 1.0, QPointF(0, 0)
        self.update()

    # --- painting ---------------------------------------------------------------------------

    def _set_pens(self) -> None:
        self._pens = []
        dark = colors.text_color().lightness() >= 128
        for color in colors.line_colors():
            for alpha in ALPHAS_DARK if dark else ALPHAS:
                pen = QPen(colors.faded(color, alpha))
                pen.setCosmetic(True)  # one pixel wide at any zoom
                self._pens.append(pen)
        self._text = colors.text_color()
        frame = QPen(self._text)
        frame.setWidthF(2)
        frame.setCosmetic(True)
        self._frame_pen = frame
        self._mark_pens = {}
        for solid in (True, False):
            pen = QPen(MARK, 2.5 if solid else 1.5,
                       Qt.PenStyle.SolidLine if solid else Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            self._mark_pens[solid] = pen

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        transform = self.transform()
        painter.save()
        band = self._layout()[1]
        painter.setClipRect(QRectF(0, 0, self.width(), band.top() - 1))  # a zoom ends above it
        painter.setTransform(transform)
        for column, image in zip(self.columns, self._qimages):
            painter.drawImage(QRectF(column.x, column.y, column.width,
                                     column.shape[0] * column.cell), image)
        for pen, lines, b in zip(self._pens, self._lines, self.segments):
            if len(b):
                painter.setPen(pen)
                painter.drawLines(*lines.drawargs())
        if self.highlight is not None:
            painter.setPen(self._frame_pen)
            painter.drawRect(self.highlight)
        for rect, solid in self.marks:
            painter.setPen(self._mark_pens[solid])
            painter.drawRect(rect)
        painter.restore()
        self._paint_labels(painter, transform)
        if self.legends:
            width = min(band.width(), 260 * len(self.legends))  # not stretched over a wide view
            painter.drawPixmap(int(band.center().x() - width / 2), int(band.top()),
                               self.strip.pixmap_across(self, width))
        painter.end()

    def _paint_labels(self, painter: QPainter, transform: QTransform) -> None:
        """Each layer's name over it (kept inside the widget), and the digits by the outputs
        (every other one when the outputs are smaller than a line of text)."""
        painter.setPen(self._text)
        metrics = painter.fontMetrics()
        height = metrics.height()
        left_bottom = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        for i, (column, name) in enumerate(zip(self.columns, self.names)):
            if self.caption is not None:
                mine = self.caption[0] == i
                name = self.caption[1] if mine else name
                painter.setPen(MARK if mine else self._text)
            p = transform.map(QPointF(column.x, column.y - 0.4))
            x = max(min(p.x(), self.width() - metrics.horizontalAdvance(name) - 2), 0)
            painter.drawText(QRectF(x, p.y() - height, 200, height), left_bottom, name)
        painter.setPen(self._text)
        out = self.columns[-1] if self.columns else None
        if out is not None and out.n == 10:
            left_centre = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            step = 1 if out.cell * transform.m22() >= 0.8 * height else 2
            for d in range(0, 10, step):
                p = transform.map(QPointF(out.x + out.width + 0.3, out.y + (d + 0.5) * out.cell))
                painter.drawText(QRectF(p.x(), p.y() - height / 2, 40, height),
                                 left_centre, str(d))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._set_pens()
            self.update()

    # --- the mouse --------------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False
            self._pan_at_press = QPointF(self._pan)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = event.position() - self._press
            if self._dragged or moved.manhattanLength() > DRAG_PX:
                self._dragged = True
                self._pan = self._pan_at_press + moved
                self.update()
            return
        self.hovered.emit(self.unit_at(event.position()))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        self._press = None
        unit = None if self._dragged else self.unit_at(event.position())
        if unit is not None:
            self.clicked.emit(*unit)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.fit()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Zoom about the pointer: the point under it stays put."""
        pos = event.position()
        before = self.to_layout(pos)
        self._zoom = float(np.clip(self._zoom * 1.0015 ** event.angleDelta().y(), 1, MAX_ZOOM))
        after = self.to_widget(before.x(), before.y())
        self._pan += pos - after
        self.update()

    def leaveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.hovered.emit(None)
