"""The weights view: every first-layer neuron's 784 incoming weights as a 28×28 tile.

All the tiles are one mosaic image (a reshape and a transpose of the first weight matrix), in
CET-D1 with levels symmetric about 0 (red: ink there pushes the neuron on; blue: holds it back).
While the network trains the tiles follow the weight snapshots, so strokes and blobs form out
of the first epoch's noise; the history slider goes back to any epoch of the last run. "Sort by
activation" orders the tiles by how strongly each neuron responds to the digit on the board.
Clicking a tile selects that neuron in the network view. Kept as attributes for tests:
``tiles`` ((n, 28, 28), in display order), ``order`` (neuron index of each tile), ``mosaic``
(the values image, NaN between tiles) and ``limit`` (the colour levels are ±limit).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QRectF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from core import inspect
from ffn_gui.widgets.labels import OneLine

from . import colors
from .base import View
from .history_slider import HistorySlider
from .image_canvas import LEGEND_GAP, ImageCanvas
from .legend import Legend, short

SIDE = 28
PITCH = SIDE + 1  # a tile and the one-pixel gap after it
LIMIT_PERCENTILE = 99.5  # a few outlying weights should not wash every tile out


def mosaic(tiles: np.ndarray, cols: int) -> np.ndarray:
    """(n, 28, 28) tiles as one image of ``cols`` tiles a row, NaN in the gaps."""
    n = len(tiles)
    rows = max(1, math.ceil(n / cols))
    out = np.full((rows, PITCH, cols, PITCH), np.nan, np.float32)
    padded = np.full((rows * cols, SIDE, SIDE), np.nan, np.float32)
    padded[:n] = tiles
    out[:, :SIDE, :, :SIDE] = padded.reshape(rows, cols, SIDE, SIDE).transpose(0, 2, 1, 3)
    return out.reshape(rows * PITCH, cols * PITCH)[:-1, :-1]


def best_columns(n: int, width: float, height: float) -> int:
    """How many tiles a row makes ``n`` tiles largest in a ``width`` × ``height`` room."""
    def side(cols: int) -> float:
        rows = math.ceil(n / cols)
        return min(width / (cols * PITCH), height / (rows * PITCH))
    return max(range(1, max(n, 1) + 1), key=lambda cols: (side(cols), -cols))


class WeightsView(View):
    name = "weights"
    title = "Weights"
    help_text = (
        "Each tile is one neuron of layer 2, the first hidden layer: its 784 incoming weights w², "
        "laid out "
        "as the 28×28 image they multiply. Red pixels of ink push the neuron on, blue ones hold "
        "it back. A new network's tiles are noise; watch them form strokes and blobs while it "
        "trains, or drag the history slider through the last run's epochs. Sort by activation "
        "puts the neurons your digit excites most first; click a tile to inspect that neuron.")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.inspection = session.inspection
        self.tiles: np.ndarray | None = None
        self.order: np.ndarray | None = None
        self.mosaic: np.ndarray | None = None
        self.limit = 1.0
        self.cols = 1
        self.network = None
        self.canvas = ImageCanvas()
        self.canvas.clicked.connect(self._on_click)
        self.canvas.installEventFilter(self)
        self.sort = QCheckBox("Sort by activation on the board")
        self.sort.setToolTip("Most active neuron first, for the digit you drew")
        self.sort.toggled.connect(self.request_refresh)
        self.info = OneLine()  # ends in "…" in a narrow view (the whole in its tooltip)
        self.history = HistorySlider(self.inspection)
        top = QHBoxLayout()
        top.addWidget(self.sort)
        top.addWidget(self.info, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.history)
        for signal in (session.reader_changed, session.model_changed,
                       self.inspection.epoch_changed, self.inspection.neuron_changed):
            signal.connect(self.request_refresh)
        session.drawing_changed.connect(self._on_drawing)

    def _room(self) -> tuple[float, float]:
        """The canvas's room for the mosaic (left of its legend, under nothing)."""
        legend = self.canvas.strip.width + LEGEND_GAP if self.canvas.legends else 90
        return max(self.canvas.width() - legend, 1), max(self.canvas.height(), 1)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # a new shape of room may want another number of tiles a row
        if watched is self.canvas and event.type() == QEvent.Type.Resize and \
                self.tiles is not None and \
                best_columns(len(self.tiles), *self._room()) != self.cols:
            self.request_refresh()
        return False

    def _on_drawing(self, _drawing) -> None:
        if self.sort.isChecked():
            self.request_refresh()

    def refresh(self) -> None:
        network = self.inspection.network()
        if network is None:
            return
        self.network = network
        w = network.weights[0]
        n = w.shape[0]
        if w.shape[1] != SIDE * SIDE:
            self.info.setText(f"Layer 2 reads {w.shape[1]} inputs, not a 28×28 image")
            return
        x28 = self.session.drawing.x28
        if self.sort.isChecked() and x28 is not None:
            a = inspect.forward(network, x28).activations[1]
            self.order = np.argsort(-a, kind="stable")
        else:
            self.order = np.arange(n)
        self.tiles = w[self.order].reshape(n, SIDE, SIDE)
        self.cols = best_columns(n, *self._room())
        self.mosaic = mosaic(self.tiles, self.cols)
        self.limit = colors.symmetric_limit(w, LIMIT_PERCENTILE)
        self.canvas.set_image(colors.signed_rgba(self.mosaic, self.limit))
        self.canvas.set_legends([Legend(True, -self.limit, self.limit, "weight w")])
        self.info.setText(f"{n} neurons of layer 2 (the first hidden layer); colours "
                          f"±{short(self.limit)}")
        self._highlight()

    def tile_at(self, x: float, y: float) -> int | None:
        """The neuron whose tile is under the image point (x, y), or None."""
        if self.order is None or x < 0 or y < 0:
            return None
        c, r = int(x // PITCH), int(y // PITCH)
        i = r * self.cols + c
        if c < self.cols and i < len(self.order) and x % PITCH < SIDE and y % PITCH < SIDE:
            return int(self.order[i])
        return None

    def _highlight(self) -> None:
        selected = self.inspection.neuron
        if selected is None or selected[0] != 0 or self.order is None:
            self.canvas.set_frame(None)
            return
        i = int(np.flatnonzero(self.order == selected[1])[0])
        x, y = (i % self.cols) * PITCH - 0.5, (i // self.cols) * PITCH - 0.5
        self.canvas.set_frame(QRectF(x, y, SIDE + 1, SIDE + 1))

    def select_tile(self, neuron: int) -> None:
        """Select first-layer ``neuron`` and show it in the network view (as a click does)."""
        self.inspection.select(0, neuron)
        self.show_requested.emit("network")

    def _on_click(self, x: float, y: float) -> None:
        neuron = self.tile_at(x, y)
        if neuron is not None:
            self.select_tile(neuron)
