"""Bars in one widget that paints itself: the backprop view's outputs, δᴸ and before/after a step
over the ten digits, and the network view's incoming and outgoing weights of a neuron.

One or more sets of bars side by side over each position (the ten digits, or a neuron's
weights), in Okabe–Ito colours (which colour-blind readers tell apart) or coloured by sign,
under a title, with a value axis, labels under the positions and, for named sets, a legend; a
click over position k emits ``clicked(k)``. ``show_targets`` outlines a target over the bars
(the backprop view's y over aᴸ), labelled. Narrow, it labels every other position. The value
range holds while the values stay within a factor 3 of it (``colors.steady``). The same panel
as a pyqtgraph plot took 1.5-2 ms a repaint while you drew; this takes a few tenths of that.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from . import colors
from .legend import short

OKABE_ITO = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (204, 121, 167)]
GREY = (150, 150, 150)
AXIS_MIN = 30  # px: the value axis's room at least (more for longer labels)
MARGIN = 0.6  # room at both ends of the positions, in bar widths


def ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Round values (a 1-2-5 step) from ``lo`` to ``hi``, at most ``most`` + 1 of them."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / most
    p = 10.0 ** math.floor(math.log10(raw))
    step = next(m * p for m in (1, 2, 5, 10) if m * p >= raw)
    first = math.ceil(lo / step - 1e-9)
    return [k * step for k in range(first, math.floor(hi / step + 1e-9) + 1)]


class BarsPanel(QWidget):
    clicked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(80)
        self.title = title
        self.values: list[np.ndarray] = []  # what each set of bars shows
        self.names: list[str] | None = None
        self.colours: list[list[tuple[int, int, int]]] = []  # each bar's, per set
        self.labels: list[str] | None = None  # under each position (default: 0, 1, 2...)
        self._y_range: tuple[float, float] | None = None
        self.targets: np.ndarray | None = None  # outlined over the bars (show_targets)
        self.target_name = ""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(320, 130)

    # --- what is shown ----------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        if title != self.title:
            self.title = title
            self.update()

    def show_groups(self, groups: list[np.ndarray], names: list[str] | None = None,
                    brushes: list[tuple[int, int, int]] | None = None) -> None:
        """Sets of bars side by side over each digit (``names`` in a legend)."""
        self.values = [np.asarray(g, float) for g in groups]
        self.targets = None
        self.names = names
        self.labels = None
        brushes = brushes or [OKABE_ITO[i % 4] for i in range(len(groups))]
        self.colours = [[b] * len(v) for b, v in zip(brushes, self.values)]
        self._fit_y(self.values)
        self.update()

    def clear(self) -> None:
        """No bars (nothing to show)."""
        self.show_groups([])

    @property
    def n(self) -> int:
        return max((len(v) for v in self.values), default=10)

    @property
    def x_range(self) -> tuple[float, float]:
        return -MARGIN, self.n - 1 + MARGIN

    def show_signed(self, values: np.ndarray, labels: list[str] | None = None) -> None:
        """One set of bars coloured by sign (the diverging map's two ends)."""
        self.show_groups([values])
        self.labels = labels
        pos, neg = (c.getRgb()[:3] for c in colors.sign_colors())
        self.colours = [[pos if v >= 0 else neg for v in self.values[0]]]

    def show_bars(self, values: np.ndarray, highlight: int | None = None) -> None:
        """One set of bars; the ``highlight`` digit's in a colour of its own."""
        self.show_groups([values])
        if highlight is not None:
            self.colours[0][highlight] = OKABE_ITO[1]

    def show_targets(self, targets: np.ndarray, name: str = "y") -> None:
        """Outline ``targets`` (one value a position) over the bars shown, each nonzero one
        labelled ``name`` = its value; the value axis takes them in."""
        self.targets = np.asarray(targets, float)
        self.target_name = name
        self._fit_y(self.values + [self.targets])
        self.update()

    def show_before_after(self, before, after, label: int) -> None:
        self.show_groups([before, after], ["before", "after"], [GREY, OKABE_ITO[1]])
        self.set_title(f"probabilities before and after one step towards {label}")

    @property
    def y_range(self) -> tuple[float, float]:
        """The values the plot spans, bottom to top (5% of room at each end)."""
        lo, hi = self._y_range or (0.0, 1.0)
        pad = 0.05 * (hi - lo)
        return lo - pad, hi + pad

    def _fit_y(self, values: list[np.ndarray]) -> None:
        """From the lowest to the highest value (and 0), each end ``colors.steady``."""
        v = np.concatenate([np.ravel(a) for a in values]) if values else np.zeros(1)
        v = v[np.isfinite(v)]
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        shown_lo, shown_hi = self._y_range or (None, None)
        y_range = (-colors.steady(-shown_lo if shown_lo else None, -lo) if lo < 0 else 0.0,
                   colors.steady(shown_hi or None, hi) if hi > 0 else 0.0)
        self._y_range = y_range if y_range != (0.0, 0.0) else (0.0, 1.0)

    # --- where things are -------------------------------------------------------------------

    def _plot_height(self) -> float:
        return max(self.height() - 2 * self.fontMetrics().height() - 10, 1)

    def _tick_labels(self) -> list[tuple[float, str]]:
        """The value axis's ticks and labels: as many as fit with room between them."""
        most = int(np.clip(self._plot_height() / (1.6 * self.fontMetrics().height()), 1, 5))
        return [(v, short(v)) for v in ticks(*(self._y_range or (0.0, 1.0)), most)]

    def _plot_rect(self) -> QRectF:
        line, metrics = self.fontMetrics().height(), self.fontMetrics()
        axis = max([AXIS_MIN] + [metrics.horizontalAdvance(t) + 12
                                 for _, t in self._tick_labels()])
        return QRectF(axis, line + 6, max(self.width() - axis - 8, 1), self._plot_height())

    def to_widget(self, x: float, y: float) -> QPointF:
        """Digit axis ``x`` and value ``y`` to widget pixels."""
        return self._mapping()(x, y)

    def _mapping(self):
        """``to_widget`` for the current size and range, worked out once (for a paint)."""
        r, (lo, hi), (x0, x1) = self._plot_rect(), self.y_range, self.x_range
        sx, sy = r.width() / (x1 - x0), r.height() / (hi - lo)
        left, bottom = r.left() - x0 * sx, r.bottom() + lo * sy
        return lambda x, y: QPointF(left + x * sx, bottom - y * sy)

    def digit_at(self, pos: QPointF) -> int | None:
        """The position (a digit, for ten bars) under widget point ``pos``, or None."""
        r, (x0, x1) = self._plot_rect(), self.x_range
        if not r.contains(pos):
            return None
        k = int(round(x0 + (pos.x() - r.left()) / r.width() * (x1 - x0)))
        return k if 0 <= k < self.n else None

    # --- painting and the mouse ------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        text = colors.text_color()
        painter.setPen(text)
        line = self.fontMetrics().height()
        painter.drawText(QRectF(0, 2, self.width(), line), int(Qt.AlignmentFlag.AlignCenter),
                         self.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight,
                                                       self.width()))
        to_widget = self._mapping()
        self._paint_axes(painter, text, to_widget)
        self._paint_bars(painter, to_widget)
        if self.targets is not None:
            self._paint_targets(painter, text, to_widget)
        if self.names:
            self._paint_legend(painter, text)
        painter.end()

    def _paint_axes(self, painter: QPainter, text: QColor, to_widget) -> None:
        r, (lo, hi) = self._plot_rect(), self.y_range
        painter.drawLine(QPointF(r.left(), r.top()), QPointF(r.left(), r.bottom()))
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        line = self.fontMetrics().height()
        for value, label in self._tick_labels():
            y = to_widget(0, value).y()
            painter.drawLine(QPointF(r.left() - 4, y), QPointF(r.left(), y))
            painter.drawText(QRectF(0, y - line / 2, r.left() - 6, line), right, label)
        if lo < 0 < hi:
            zero = to_widget(0, 0).y()
            painter.setPen(QPen(colors.faded(text, 90)))
            painter.drawLine(QPointF(r.left(), zero), QPointF(r.right(), zero))
            painter.setPen(text)
        centre = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        labels = self.labels or [str(k) for k in range(self.n)]
        shown = range(self.n) if self.n <= 12 else [int(k) for k in ticks(0, self.n - 1, 6)]
        spacing = to_widget(1, 0).x() - to_widget(0, 0).x()
        if spacing < max(self.fontMetrics().horizontalAdvance(labels[k]) for k in shown) + 3:
            shown = shown[::2]  # narrow: every other label, apart
        for k in shown:
            x = to_widget(k, 0).x()
            painter.drawText(QRectF(x - 15, r.bottom() + 2, 30, line), centre, labels[k])

    def _paint_bars(self, painter: QPainter, to_widget) -> None:
        n = len(self.values)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, (v, colours) in enumerate(zip(self.values, self.colours)):
            offset = (i - (n - 1) / 2) * 0.8 / n
            for d, (value, colour) in enumerate(zip(v, colours)):
                if not math.isfinite(value):
                    continue
                painter.setBrush(QColor(*colour))
                a = to_widget(d + offset - 0.4 / n, max(value, 0.0))
                b = to_widget(d + offset + 0.4 / n, min(value, 0.0))
                painter.drawRect(QRectF(a, b))

    def _paint_targets(self, painter: QPainter, text: QColor, to_widget) -> None:
        """Each nonzero target as a dashed outline the width of a position's bars, its name
        and value over it."""
        painter.setPen(QPen(text, 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        line = self.fontMetrics().height()
        align = int(Qt.AlignmentFlag.AlignCenter)
        for d, value in enumerate(self.targets):
            if value == 0 or not math.isfinite(value):
                continue
            rect = QRectF(to_widget(d - 0.45, max(value, 0.0)),
                          to_widget(d + 0.45, min(value, 0.0)))
            painter.drawRect(rect)
            label = f"{self.target_name} = {short(value)}"
            width = self.fontMetrics().horizontalAdvance(label) + 4
            left = rect.right() + 2 if d < self.n / 2 else rect.left() - width - 2
            painter.drawText(QRectF(left, rect.top(), width, line), align, label)

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        r = self._plot_rect()
        line = self.fontMetrics().height()
        y = r.top() + 4
        for name, colour in zip(self.names, (c[0] for c in self.colours if c)):
            width = self.fontMetrics().horizontalAdvance(name)
            x = r.right() - width - 18
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(*colour))
            painter.drawRect(QRectF(x, y + line / 2 - 5, 10, 10))
            painter.setPen(text)
            painter.drawText(QRectF(x + 14, y, width + 4, line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
            y += line

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            digit = self.digit_at(event.position())
            if digit is not None:
                self.clicked.emit(digit)
