"""The training plots' curves: a growing (x, y) buffer bound to one pyqtgraph curve, and the
plot item they are drawn in.

A ``Series`` is preallocated and grown by doubling when a run outlasts it; it is redrawn with
``curve.setData(x[:n], y[:n])``, so nothing is cleared and rebuilt while a run goes on.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


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


def plot_item(graphics: pg.GraphicsLayoutWidget, col: int, axis=None) -> pg.PlotItem:
    """A fixed (no mouse, no menu) plot in column ``col`` of the first row of ``graphics``."""
    item = graphics.addPlot(row=0, col=col, axisItems={"left": axis} if axis else None)
    item.setMenuEnabled(False)
    item.setClipToView(True)
    item.hideButtons()
    item.setMouseEnabled(x=False, y=False)
    for side in ("left", "bottom"):
        # Grid lines at the major ticks only: pyqtgraph draws a grid line for every tick level,
        # and the minor ones tripled the cost of a repaint (30 ms -> 10 ms per epoch update).
        item.getAxis(side).setStyle(maxTickLevel=0)
    return item
