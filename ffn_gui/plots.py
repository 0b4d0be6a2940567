"""Live training plots: cost and accuracy, drawn with pyqtgraph.

The curves are created once. Each holds a preallocated buffer (grown by doubling when a run
outlasts it) and is redrawn with ``curve.setData(x[:n], y[:n])``; nothing is cleared and
rebuilt while a run goes on. The x axis is in epochs: a batch report at batch b of B in epoch e
sits at ``e - 1 + b / B``; an epoch-end point sits at ``e``.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QWidget

from core.training import BatchProgress, EpochProgress

BLUE, ORANGE, GREEN, GREY = "#3b82f6", "#f59e0b", "#10b981", "#9ca3af"
SMOOTHING_EPOCHS = 0.05  # time constant of the smoothed batch cost, in epochs


class Series:
    """A growing (x, y) buffer bound to one curve."""

    def __init__(self, curve: pg.PlotDataItem, capacity: int = 512) -> None:
        self.curve = curve
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def reserve(self, capacity: int) -> None:
        if capacity > len(self.x):
            self.x = np.resize(self.x, capacity)
            self.y = np.resize(self.y, capacity)

    def append(self, x: float, y: float, redraw: bool = True) -> None:
        if self.n == len(self.x):
            self.reserve(2 * len(self.x))
        self.x[self.n] = x
        self.y[self.n] = y
        self.n += 1
        if redraw:
            self.redraw()

    def redraw(self) -> None:
        self.curve.setData(self.x[: self.n], self.y[: self.n])

    def clear(self) -> None:
        self.n = 0
        self.redraw()


def _plot(title: str, left: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    widget.setMinimumSize(260, 180)
    item = widget.getPlotItem()
    item.setTitle(title, color="#374151", size="10pt")
    item.setLabel("left", left, color="#4b5563")
    item.setLabel("bottom", "epoch", color="#4b5563")
    item.showGrid(x=True, y=True, alpha=0.18)
    item.setMenuEnabled(False)
    item.setClipToView(True)
    item.hideButtons()
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setPen(pg.mkPen("#9ca3af"))
        axis.setTextPen(pg.mkPen("#4b5563"))
        # Grid lines at the major ticks only: pyqtgraph draws a grid line for every tick level,
        # and the minor ones tripled the cost of a repaint (30 ms -> 10 ms per epoch update).
        axis.setStyle(maxTickLevel=0)
    widget.setMouseEnabled(x=False, y=False)
    return widget


def _epoch_series(widget: pg.PlotWidget, color, symbol: str, name: str) -> Series:
    """A per-epoch curve: a line with a marker at each epoch."""
    return Series(widget.plot(pen=pg.mkPen(color, width=2), symbol=symbol, symbolSize=6,
                              symbolBrush=color, symbolPen=None, name=name))


def _legend(widget: pg.PlotWidget) -> pg.LegendItem:
    legend = widget.getPlotItem().addLegend(offset=(-8, 8), labelTextColor="#374151")
    legend.setBrush(pg.mkBrush(255, 255, 255, 200))
    legend.setPen(pg.mkPen("#e5e7eb"))
    return legend


class TrainingPlots(QWidget):
    """Cost (per batch, smoothed, per epoch) and accuracy (per epoch, test at the end)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.cost_plot = _plot("Cost", "cost per example (log scale)")
        # Costs fall by orders of magnitude (2.3 -> 0.02): on a log axis the late gains and
        # the gap between train and validation stay visible.
        self.cost_plot.setLogMode(x=False, y=True)
        _legend(self.cost_plot)
        faint = QColor(BLUE)
        faint.setAlpha(70)
        c = self.cost_plot
        self.batch_cost = Series(c.plot(pen=pg.mkPen(faint, width=1), name="batches"))
        self.smooth_cost = Series(c.plot(pen=pg.mkPen(BLUE, width=2), name="smoothed"))
        self.train_cost = _epoch_series(c, ORANGE, "o", "train (epoch)")
        self.val_cost = _epoch_series(c, GREEN, "s", "validation (epoch)")

        self.accuracy_plot = _plot("Accuracy", "accuracy (%)")
        _legend(self.accuracy_plot)
        a = self.accuracy_plot
        self.train_accuracy = _epoch_series(a, ORANGE, "o", "train")
        self.val_accuracy = _epoch_series(a, GREEN, "s", "validation")
        self.test_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen("#ef4444", width=1.5, style=Qt.PenStyle.DashLine),
            label="test {value:.2f}%",
            labelOpts={"position": 0.12, "color": "#b91c1c", "anchors": [(0, 1), (0, 1)]},
        )
        self.test_line.setVisible(False)
        a.addItem(self.test_line, ignoreBounds=True)
        self.test_accuracy: float | None = None

        layout.addWidget(self.cost_plot, 1)
        layout.addWidget(self.accuracy_plot, 1)
        self._smoothed: float | None = None
        self.reset(1)

    # --- feeding -----------------------------------------------------------------------------

    def reset(self, epochs: int, reports_per_epoch: int = 64) -> None:
        """Empty every curve for a new run of ``epochs`` epochs and size the buffers for it."""
        for series in self.batch_series + self.epoch_series:
            series.clear()
        for series in self.batch_series:
            series.reserve(epochs * reports_per_epoch)
        for series in self.epoch_series:
            series.reserve(epochs + 1)
        self._smoothed = None
        self.set_test_accuracy(None)
        # Until the first points arrive: costs from 0.01 to 3 (log axis), accuracy 0-100%.
        self.cost_plot.setYRange(math.log10(0.01), math.log10(3), padding=0)
        self.cost_plot.enableAutoRange(axis="y")
        self.accuracy_plot.setYRange(0, 100, padding=0)
        self._fit_x_range()

    def add_progress(self, items) -> None:
        """Add reports (one, or a sequence, oldest first) and redraw each touched curve once."""
        if isinstance(items, BatchProgress | EpochProgress):
            items = (items,)
        batches = epochs = False
        for p in items:
            if isinstance(p, BatchProgress):
                self._add_batch(p)
                batches = True
            else:
                self._add_epoch(p)
                epochs = True
        if batches:
            for series in self.batch_series:
                series.redraw()
        if epochs:
            for series in self.epoch_series:
                series.redraw()
            self._fit_accuracy_range()
        self._fit_x_range()

    def _fit_x_range(self) -> None:
        """Both plots show epochs 0 to now (at least one epoch), so they line up."""
        last = max([s.x[s.n - 1] for s in (self.batch_cost, self.train_cost) if s.n] + [1.0])
        for plot in (self.cost_plot, self.accuracy_plot):
            plot.setXRange(0, last, padding=0.03)

    def _add_batch(self, p: BatchProgress) -> None:
        """A report is already the mean cost of the batches since the last one; the smoothed
        curve is an exponential moving average over about SMOOTHING_EPOCHS of training, so it
        smooths the same however many reports an epoch brings."""
        x = p.epoch - 1 + p.batch / p.batches
        if self._smoothed is None:
            s = p.cost
        else:
            weight = 1.0 - math.exp(-(x - self.batch_cost.x[self.batch_cost.n - 1])
                                    / SMOOTHING_EPOCHS)
            s = weight * p.cost + (1 - weight) * self._smoothed
        self._smoothed = s
        self.batch_cost.append(x, p.cost, redraw=False)
        self.smooth_cost.append(x, s, redraw=False)

    def _add_epoch(self, p: EpochProgress) -> None:
        self.train_cost.append(p.epoch, p.train_cost, redraw=False)
        self.train_accuracy.append(p.epoch, 100 * p.train_accuracy, redraw=False)
        if p.val_cost is not None:
            self.val_cost.append(p.epoch, p.val_cost, redraw=False)
            self.val_accuracy.append(p.epoch, 100 * p.val_accuracy, redraw=False)

    def _fit_accuracy_range(self) -> None:
        """The accuracy axis spans the points (and the test line) with a little room, so a
        single epoch's point does not blow up a 0.1% difference."""
        values = [s.y[: s.n] for s in (self.train_accuracy, self.val_accuracy) if s.n]
        if self.test_accuracy is not None:
            values.append(np.array([100 * self.test_accuracy]))
        if not values:
            return
        lo = min(float(v.min()) for v in values)
        hi = max(float(v.max()) for v in values)
        pad = max(0.5, 0.1 * (hi - lo))
        self.accuracy_plot.setYRange(max(lo - pad, 0.0), min(hi + pad, 100.0), padding=0)

    def set_test_accuracy(self, accuracy: float | None) -> None:
        self.test_accuracy = accuracy
        if accuracy is None:
            self.test_line.setVisible(False)
        else:
            # Shown first: pyqtgraph does not update the label of a hidden line, and setValue
            # with an unchanged value does not update it at all, so the label is told explicitly.
            self.test_line.setVisible(True)
            self.test_line.setValue(100 * accuracy)
            self.test_line.label.valueChanged()
            self._fit_accuracy_range()

    # --- for tests and the window ------------------------------------------------------------

    @property
    def batch_series(self) -> list[Series]:
        return [self.batch_cost, self.smooth_cost]

    @property
    def epoch_series(self) -> list[Series]:
        return [self.train_cost, self.val_cost, self.train_accuracy, self.val_accuracy]

    @property
    def n_batch_points(self) -> int:
        return len(self.batch_cost)

    @property
    def n_epoch_points(self) -> int:
        return len(self.train_cost)
