"""The network view: every neuron reading the digit on the board, live.

Left to right: the 28×28 input as the network receives it, each hidden layer as a grid of cells
coloured by activation (128 units: 16 rows of 8), the ten outputs labelled 0–9; between layers
the strongest contributions |wⱼₖ aₖ| to each sum zⱼ as lines (red adds to z, blue takes away;
the stronger, the more opaque). The gaps between layers stretch so that the diagram fills its
room (``fitting_gap``). Click a cell for that neuron's details in the neuron panel, under the
diagram (or beside it in a very wide view); the wheel zooms and dragging pans, for wide layers.
The picture is ``NetworkDiagram``'s; the numbers come from ``core.inspect``, and this view keeps
them as plain attributes: ``activations`` and ``zs`` (one 1-D array per layer, as
``core.inspect.forward``), ``contributions`` (``core.inspect.Contributions`` per layer) and the
neuron panel's ``neuron``, ``weights_image`` and ``weight_x_input_image``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QSplitter,
                               QVBoxLayout, QWidget)

from core import inspect

from . import colors, numbering
from .base import View
from .history_slider import HistorySlider
from .legend import Legend
from .network_diagram import ALPHAS, HEIGHT, NetworkDiagram
from .neuron_panel import NeuronPanel
from .walkthrough_panel import WalkthroughPanel

GAP = 16.0  # room between columns for the lines, at first
MIN_GAP, MAX_GAP = 10.0, 48.0  # the gaps stretch between these to fill the diagram's room
RIGHT = 10.0  # room right of the outputs for their digits
WIDE = 1.9  # a view wider than this × its height has the neuron panel beside the diagram


class Column:
    """Where a layer sits: cell ``k`` is at row k // cols, column k % cols of a grid of square
    cells of side ``cell`` whose top left corner is (x, y)."""

    def __init__(self, n: int, shape: tuple[int, int], x: float, max_cell: float) -> None:
        self.n, self.shape = n, shape
        rows, cols = shape
        self.cell = min(HEIGHT / rows, max_cell)
        self.x, self.y = x, (HEIGHT - rows * self.cell) / 2
        self.width = cols * self.cell

    def centres(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = self.shape
        return (self.x + (k % cols + 0.5) * self.cell, self.y + (k // cols + 0.5) * self.cell)

    def unit_at(self, x: float, y: float) -> int | None:
        rows, cols = self.shape
        c, r = int((x - self.x) // self.cell), int((y - self.y) // self.cell)
        if 0 <= c < cols and 0 <= r < rows and r * cols + c < self.n:
            return r * cols + c
        return None


def fitting_gap(sizes: list[int], aspect: float) -> float:
    """The gap between columns that makes the diagram's shape width/height ≈ ``aspect`` (so
    that it fills its room: the cells as large as the height allows), within MIN_GAP-MAX_GAP."""
    widths = sum(c.width for c in layout_columns(sizes, 0.0))
    wanted = aspect * (HEIGHT + 4) - widths - RIGHT
    return float(np.clip(wanted / max(len(sizes) - 1, 1), MIN_GAP, MAX_GAP))


def layout_columns(sizes: list[int], gap: float = GAP) -> list[Column]:
    columns, x = [], 0.0
    for i, n in enumerate(sizes):
        if i == 0 and n == 784:
            shape, max_cell = (28, 28), 1.0
        elif i == len(sizes) - 1:
            shape, max_cell = (n, 1), 2.8
        else:
            shape, max_cell = colors.grid_shape(n), 2.8
        column = Column(n, shape, x, max_cell)
        columns.append(column)
        x += column.width + gap
    return columns


class NetworkView(View):
    name = "network"
    title = "Network"
    help_text = (
        "Every neuron of the network reading your digit. Left: the 28×28 input the network "
        "receives. Then each hidden layer, one cell per neuron, brighter = more active. Right: "
        "the ten outputs. The lines are the strongest terms wⱼₖaₖ of each sum zⱼ = Σₖ wⱼₖaₖ + bⱼ: "
        "red pushes the neuron on, blue holds it back. Click a neuron to see its weights and "
        "what it votes for; use the history slider to see the network of an earlier epoch. "
        "The wheel zooms, dragging pans, a double click fits it again. Layers are numbered as "
        "in the notes: the input is layer 1, the output layer L. ▶ Step through works "
        "the algorithm for your digit a layer at a time, as by hand: forward, BP1, BP2, BP3 "
        "and BP4, the update (→ and ← step, Home or Esc stops).")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.inspection = session.inspection
        self.activations: list[np.ndarray] | None = None
        self.zs: list[np.ndarray] | None = None
        self.contributions: list[inspect.Contributions] | None = None
        self.network = None  # the Network shown
        self.columns: list[Column] = []
        self.gap = GAP
        self._act_limit: tuple[str, float] | None = None  # (activation, limit): steady
        self._line_limit: float | None = None
        self._build()
        for signal in (session.drawing_changed, session.reader_changed, session.model_changed,
                       self.inspection.epoch_changed, self.inspection.neuron_changed):
            signal.connect(self.request_refresh)

    def _build(self) -> None:
        self.diagram = NetworkDiagram()
        self.diagram.clicked.connect(self.inspection.select)
        self.diagram.hovered.connect(self._on_hover)
        self.diagram.resized.connect(self._fit_gap)
        self.show_lines = QCheckBox("Contributions")
        self.show_lines.setChecked(True)
        self.show_lines.setToolTip("The strongest terms wⱼₖaₖ between layers, as lines")
        self.show_lines.toggled.connect(self.request_refresh)
        self.hover = QLabel()
        self.hover.setMinimumWidth(0)
        self.hover.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.panel = NeuronPanel()
        self.history = HistorySlider(self.inspection)
        self.walk = WalkthroughPanel(self)  # the step-through: its bar, and its text
        top = QHBoxLayout()
        top.addWidget(self.show_lines)
        top.addWidget(self.hover, 1)
        top.addWidget(self.walk.bar)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.diagram, 1)
        lv.addWidget(self.history)
        lv.addWidget(self.walk.text)  # the neuron panel is hidden while stepping
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(left)
        self.split.addWidget(self.panel)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.split)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """The neuron panel under the diagram (a network is wide and short), or beside it in
        a view more than WIDE times as wide as tall."""
        super().resizeEvent(event)
        wide = self.width() > WIDE * self.height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != orientation:
            self.split.setOrientation(orientation)
            self.panel.set_beside(wide)

    def _fit_gap(self) -> None:
        """Stretch the gaps between layers so that the diagram fills its room."""
        if self.network is None:
            return
        gap = fitting_gap(self.network.sizes, self.diagram.aspect())
        if abs(gap - self.gap) > 0.25:
            self.gap = gap
            self._lay_out(self.network.sizes)
            self.request_refresh()

    # --- drawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        network = self.inspection.network()
        x28 = self.session.drawing.x28
        if network is None:
            return
        if network.sizes != getattr(self.network, "sizes", None) or not self.columns:
            self.gap = fitting_gap(network.sizes, self.diagram.aspect())
            self._lay_out(network.sizes)
        self.network = network
        x = np.zeros(network.sizes[0], np.float32) if x28 is None else np.asarray(x28).ravel()
        fwd = inspect.forward(network, x)
        self.activations, self.zs = fwd.activations, fwd.zs
        self.contributions = inspect.all_contributions(network, fwd)
        self._draw_cells()
        self._draw_lines()
        self._show_neuron(fwd)
        self.walk.refresh()

    def _lay_out(self, sizes: list[int]) -> None:
        self.columns = layout_columns(sizes, self.gap)
        self.diagram.set_layout(self.columns, [self._layer_name(i, len(sizes))
                                               for i in range(len(sizes))])

    @staticmethod
    def _layer_name(i: int, n_layers: int) -> str:
        return numbering.column_label(i, n_layers)  # the notes': the input is layer 1

    def _draw_cells(self) -> None:
        acts = self.activations
        hidden = np.concatenate(acts[1:-1]) if len(acts) > 2 else np.zeros(1)
        name = self.network.activation.name
        signed = name == "tanh"
        shown = self._act_limit[1] if self._act_limit and self._act_limit[0] == name else None
        if name == "sigmoid":
            lo, hi = 0.0, 1.0
        elif signed:
            hi = colors.steady(shown, colors.symmetric_limit(hidden))
            lo = -hi
        else:
            lo, hi = 0.0, colors.steady(shown, max(float(hidden.max()), 1e-6))
        self._act_limit = (name, hi)
        images = []
        for i, (column, a) in enumerate(zip(self.columns, acts)):
            grid = colors.as_grid(a, column.shape)
            if 0 < i < len(acts) - 1:
                images.append(colors.signed_rgba(grid, hi) if signed
                              else colors.sequential_rgba(grid, lo, hi))
            else:  # the input and the outputs are in [0, 1]
                images.append(colors.sequential_rgba(grid, 0.0, 1.0))
        self.diagram.set_cells(images)
        self._act_legend = Legend(signed, lo, hi,
                                  "activation a")

    def _draw_lines(self) -> None:
        on = self.show_lines.isChecked()
        values = np.concatenate([c.value for c in self.contributions]) if on else np.zeros(0)
        limit = self._line_limit = colors.steady(self._line_limit, colors.symmetric_limit(values))
        legends = [self._act_legend]
        if on:
            legends.append(Legend(True, -limit, limit, "contribution w·a"))
        self.diagram.set_legends(legends)
        segments = []
        for l, c in enumerate(self.contributions):
            if on and len(c.value):
                x0, y0 = self.columns[l].centres(c.source)
                x1, y1 = self.columns[l + 1].centres(c.target)
                segments.append(np.stack([x0, y0, x1, y1], 1))
        segments = np.concatenate(segments) if segments else np.zeros((0, 4))
        bucket = np.minimum((np.abs(values) / limit * len(ALPHAS)).astype(int), len(ALPHAS) - 1)
        self.diagram.set_lines([segments[sign & (bucket == b)]
                                for sign in (values > 0, values < 0) for b in range(len(ALPHAS))])

    # --- one neuron --------------------------------------------------------------------------

    def _show_neuron(self, fwd: inspect.Forward) -> None:
        selected = self.inspection.neuron
        names = [numbering.column_name(i, len(self.columns)) for i in range(len(self.columns))]
        if selected is None or selected[0] >= len(self.columns) - 1 or \
                selected[1] >= self.columns[selected[0] + 1].n:
            self.panel.show_neuron(None, names[1:])
            self.diagram.set_highlight(None)
            return
        layer, index = selected
        detail = inspect.neuron(self.network, fwd, layer, index)
        out_names = [str(d) for d in range(10)] if self.columns[-1].n == 10 else None
        self.panel.show_neuron(detail, names[1:], out_names)
        column = self.columns[layer + 1]
        cx, cy = column.centres(np.array([index]))
        h = column.cell / 2
        self.diagram.set_highlight(QRectF(float(cx[0]) - h, float(cy[0]) - h, 2 * h, 2 * h))

    @property
    def neuron(self):
        return self.panel.neuron

    @property
    def weights_image(self):
        return self.panel.weights_image

    @property
    def weight_x_input_image(self):
        return self.panel.weight_x_input_image

    def unit_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, index) of the neuron at layout point (x, y), layers as core.inspect
        numbers them; None over the input or empty space."""
        return self.diagram.unit_at(self.diagram.to_widget(x, y))

    def _on_hover(self, unit) -> None:
        if unit is None or self.activations is None:
            self.hover.setText("")
            return
        layer, k = unit
        name = numbering.layer_name(layer, len(self.zs))
        self.hover.setText(f"neuron {k} of {name}: z = {self.zs[layer][k]:.3f}, "
                           f"a = {self.activations[layer + 1][k]:.3f} (click for details)")
