"""The backprop view's two kinds of panel: bars over the ten digits, and grids of cells.

``BarsPanel`` draws one or more sets of ten bars (Okabe–Ito colours, which colour-blind readers
tell apart) and emits ``clicked(digit)``. ``GridsPanel`` draws signed arrays (δ per layer, a
neuron's ∂C/∂w) as grids of cells in CET-D1 with one symmetric legend, and emits
``clicked(layer, index)`` for a cell.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from . import colors

AXIS_WIDTH = 52  # px: room for a label such as "-0.0054"
OKABE_ITO = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (204, 121, 167)]


class BarsPanel(QWidget):
    clicked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background=None)
        self.plot.setMinimumHeight(140)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.item = self.plot.getPlotItem()
        self.item.getAxis("bottom").setTicks([[(d, str(d)) for d in range(10)]])
        # A fixed width: labels from "0" to "-0.0054" would otherwise re-lay out the plot
        # as the values change in size.
        self.item.getAxis("left").setWidth(AXIS_WIDTH)
        # The ranges are set, not followed: an axis redraws its ticks whenever its range moves,
        # which for a live view was most of the window's drawing time.
        self.item.disableAutoRange()
        self.item.setXRange(-0.6, 9.6, padding=0)
        self._y_range: tuple[float, float] | None = None
        self.legend = self.item.addLegend(offset=(-5, 5), labelTextColor=colors.text_color())
        self.bars: list[pg.BarGraphItem] = []
        self.values: list[np.ndarray] = []
        self.set_title(title)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_title(self, title: str) -> None:
        if getattr(self, "_title", None) != title:
            self._title = title
            self.item.setTitle(title)

    def _groups(self, n: int, names: list[str] | None) -> None:
        if len(self.bars) == n and getattr(self, "_names", None) == names:
            return
        for bar in self.bars:
            self.item.removeItem(bar)
        self.legend.clear()
        self.bars = []
        for i in range(n):
            bar = pg.BarGraphItem(x=[], height=[], width=0.8 / n, brush=OKABE_ITO[i % 4],
                                  pen=None)
            self.item.addItem(bar)
            if names:
                self.legend.addItem(bar, names[i])
            self.bars.append(bar)
        self._names = names

    def show_groups(self, groups: list[np.ndarray], names: list[str] | None = None) -> None:
        """Sets of bars side by side over each digit."""
        self._groups(len(groups), names)
        n = len(groups)
        self.values = [np.asarray(g, float) for g in groups]
        for i, (bar, v) in enumerate(zip(self.bars, self.values)):
            offset = (i - (n - 1) / 2) * 0.8 / n
            bar.setOpts(x=np.arange(len(v)) + offset, height=v, width=0.8 / n)
        self._fit_y(self.values)

    def _fit_y(self, values: list[np.ndarray]) -> None:
        """The y range: from the lowest to the highest value (and 0), each end ``colors.steady``,
        so it changes only when the values change severalfold in size."""
        v = np.concatenate([np.ravel(a) for a in values]) if values else np.zeros(1)
        v = v[np.isfinite(v)]
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        shown_lo, shown_hi = self._y_range or (None, None)
        y_range = (-colors.steady(-shown_lo if shown_lo else None, -lo) if lo < 0 else 0.0,
                   colors.steady(shown_hi or None, hi) if hi > 0 else 0.0)
        if y_range == (0.0, 0.0):
            y_range = (0.0, 1.0)
        if y_range != self._y_range:
            self._y_range = y_range
            self.item.setYRange(*y_range, padding=0.05)

    def show_bars(self, values: np.ndarray, highlight: int | None = None) -> None:
        """One set of bars; the ``highlight`` digit's in a colour of its own."""
        v = np.asarray(values, float)
        others = v.copy()
        mark = np.zeros_like(v)
        if highlight is not None:
            others[highlight] = 0
            mark[highlight] = v[highlight]
        self.show_groups([others, mark], None)
        for i, bar in enumerate(self.bars):
            bar.setOpts(x=np.arange(len(v)), width=0.8)
        self.values = [v]
        self._fit_y(self.values)

    def show_before_after(self, before, after, label: int) -> None:
        self._groups(2, ["before", "after"])
        self.bars[0].setOpts(brush=(150, 150, 150))
        self.show_groups([before, after], ["before", "after"])
        self.set_title(f"probabilities before and after one step towards {label}")

    def _on_click(self, event) -> None:
        vb = self.item.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        x = vb.mapSceneToView(event.scenePos()).x()
        digit = int(round(x))
        if 0 <= digit <= 9:
            self.clicked.emit(digit)


class GridsPanel(QWidget):
    clicked = Signal(int, int)  # layer, index

    def __init__(self, single: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(None)
        self.view.setMinimumHeight(150)
        self.boxes: list[pg.ViewBox] = []
        self.arrays: list[np.ndarray] = []  # what each grid shows
        self.shapes: list[tuple[int, int]] = []
        self.limit = 1.0
        self.bar = colors.colorbar(colors.SIGNED, (-1, 1), "")
        self.single = single
        self.view.scene().sigMouseClicked.connect(self._on_click)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def _boxes(self, n: int) -> None:
        if len(self.boxes) == n:
            return
        self.view.clear()
        self.boxes = []
        for i in range(n):
            box = self.view.addViewBox(row=0, col=i, lockAspect=True, invertY=True,
                                       enableMouse=False)
            box.img = colors.image_item()
            box.addItem(box.img)
            box.title = pg.TextItem("", color=colors.text_color(), anchor=(0, 1))
            box.addItem(box.title)
            self.boxes.append(box)
        self.view.addItem(self.bar, row=0, col=n)

    def show_grids(self, arrays: list[np.ndarray], names: list[str], shapes=None) -> None:
        """Each array as a grid of cells (``shapes[i]``, default ``colors.grid_shape``)."""
        self._boxes(len(arrays))
        self.arrays = [np.asarray(a) for a in arrays]
        self.shapes = shapes or [colors.grid_shape(a.size) for a in self.arrays]
        values = [a.ravel() for a in self.arrays]
        needed = colors.symmetric_limit(np.concatenate(values)) if values else 1.0
        self.limit = colors.steady(self.limit, needed)
        for box, a, shape, name in zip(self.boxes, self.arrays, self.shapes, names):
            grid = colors.as_grid(a.ravel(), shape)
            box.img.setImage(colors.signed_rgba(grid, self.limit), levels=None)
            if getattr(box, "shown", None) != (shape, name):  # text and ranges: only on change
                box.shown = (shape, name)
                box.img.setRect(0, 0, shape[1], shape[0])
                box.title.setText(name)
                box.title.setPos(0, 0)
                box.setRange(xRange=(0, shape[1]), yRange=(-0.12 * shape[0], shape[0]),
                             padding=0.02)
        colors.set_levels(self.bar, (-self.limit, self.limit))

    def _on_click(self, event) -> None:
        if self.single:
            return
        for layer, (box, shape) in enumerate(zip(self.boxes, self.shapes)):
            if box.sceneBoundingRect().contains(event.scenePos()):
                p = box.mapSceneToView(event.scenePos())
                r, c = int(p.y()), int(p.x())
                index = r * shape[1] + c
                if 0 <= r < shape[0] and 0 <= c < shape[1] and index < self.arrays[layer].size:
                    self.clicked.emit(layer, index)
                return
