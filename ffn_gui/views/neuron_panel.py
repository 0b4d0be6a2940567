"""The side panel of the network view: one neuron's numbers (``core.inspect.Neuron``).

For a first-hidden-layer neuron: its 784 incoming weights as a 28×28 image and, beside it,
weight × input for the digit on the board (which pixels of this digit push its z up, red, or
down, blue). For a deeper neuron: its incoming weights as bars. Then what it votes for: its
outgoing weights into the output digits, or its strongest targets in the next layer.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from . import colors


class NeuronPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.neuron = None  # core.inspect.Neuron shown
        self.weights_image: np.ndarray | None = None  # (28, 28) or None
        self.weight_x_input_image: np.ndarray | None = None
        self.title = QLabel("Click a neuron to see what it does")
        self.title.setWordWrap(True)
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()  # the two 28×28 images and their legend
        self.plots.setBackground(None)
        self.plots.setMinimumHeight(170)
        self._w_box = self._image_box("weights w")
        self._wx_box = self._image_box("w × input")
        self._w_img, self._wx_img = self._w_box.img, self._wx_box.img
        self.bar = colors.colorbar(colors.SIGNED, (-1, 1), "")
        self.plots.addItem(self.bar, row=0, col=2)
        self.incoming_plot = self._bar_plot()
        self.incoming_bars = self._bar_items(self.incoming_plot)
        self.outgoing_plot = self._bar_plot()
        self.outgoing_bars = self._bar_items(self.outgoing_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.numbers)
        layout.addWidget(self.plots, 2)
        layout.addWidget(self.incoming_plot, 1)
        layout.addWidget(self.outgoing_plot, 1)
        layout.addStretch(0)
        self.show_neuron(None, [])

    def _changed(self, which: str, neuron, values: np.ndarray) -> bool:
        """Whether the bars ``which`` would show something new (redrawing bars and their
        axes costs milliseconds; a drawing does not change a neuron's weights)."""
        key = (neuron.layer, neuron.index, values.size, values.tobytes())
        if getattr(self, "_" + which, None) == key:
            return False
        setattr(self, "_" + which, key)
        return True

    @staticmethod
    def _bar_plot() -> pg.PlotWidget:
        plot = pg.PlotWidget(background=None)
        plot.setMinimumHeight(120)
        return plot

    @staticmethod
    def _title(plot, text: str) -> None:
        if getattr(plot, "_text", None) != text:
            plot._text = text
            plot.getPlotItem().setTitle(text)

    def _set_label(self, text: str) -> None:
        if text != getattr(self, "_label", None):
            self._label = text
            self.bar.setLabel("left", text)

    def _image_box(self, title: str):
        box = self.plots.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        box.img = colors.image_item()
        box.addItem(box.img)
        label = pg.TextItem(title, color=colors.text_color(), anchor=(0, 1))
        label.setPos(0, 0)
        box.addItem(label)
        box.setRange(xRange=(0, 28), yRange=(-4, 28), padding=0)
        return box

    def show_neuron(self, neuron, layer_names: list[str], output_names=None) -> None:
        """Show ``neuron`` (a core.inspect.Neuron, or None); ``layer_names[l]`` names layer l."""
        self.neuron = neuron
        first = neuron is not None and neuron.layer == 0 and neuron.incoming.size == 784
        self.plots.setVisible(first)
        self.incoming_plot.setVisible(neuron is not None and not first)
        self.outgoing_plot.setVisible(neuron is not None and neuron.outgoing is not None)
        if neuron is None:
            self.title.setText("Click a neuron to see what it does")
            self.numbers.setText("")
            self.weights_image = self.weight_x_input_image = None
            return
        self.title.setText(f"Neuron {neuron.index} of {layer_names[neuron.layer]}")
        self.numbers.setText(
            f"z = w·a + b = {neuron.z:.3f}    a = {neuron.a:.3f}    b = {neuron.b:.3f}")
        if first:
            self.weights_image = neuron.incoming.reshape(28, 28)
            self.weight_x_input_image = neuron.weight_x_input.reshape(28, 28)
            limit = colors.symmetric_limit(self.weights_image)
            wx_limit = colors.symmetric_limit(self.weight_x_input_image)
            self._w_img.setImage(colors.signed_rgba(self.weights_image, limit), levels=None)
            self._wx_img.setImage(colors.signed_rgba(self.weight_x_input_image, wx_limit),
                                  levels=None)
            self._w_img.setRect(0, 0, 28, 28)
            self._wx_img.setRect(0, 0, 28, 28)
            colors.set_levels(self.bar, (-limit, limit))
            self._set_label(f"w (w × input: ±{wx_limit:.2g})")
        else:
            self.weights_image = self.weight_x_input_image = None
            if self._changed("incoming", neuron, neuron.incoming):
                self._bars(self.incoming_bars, neuron.incoming)
            self._title(self.incoming_plot, f"incoming weights from {layer_names[neuron.layer - 1]}"
                                        if neuron.layer else "incoming weights")
        if neuron.outgoing is not None and self._changed("outgoing", neuron, neuron.outgoing):
            self._bars(self.outgoing_bars, neuron.outgoing)
            nxt = layer_names[neuron.layer + 1]
            if output_names is not None and neuron.layer + 1 == len(layer_names) - 1:
                self._title(self.outgoing_plot, "votes for each digit (outgoing weights)")
                ticks = [(i, output_names[i]) for i in range(len(neuron.outgoing))]
                self.outgoing_plot.getPlotItem().getAxis("bottom").setTicks([ticks])
            else:
                strongest = ", ".join(str(int(t)) for t in neuron.targets)
                self._title(self.outgoing_plot, f"into {nxt} (strongest: {strongest})")
                self.outgoing_plot.getPlotItem().getAxis("bottom").setTicks(None)

    @staticmethod
    def _bar_items(plot) -> tuple[pg.BarGraphItem, pg.BarGraphItem]:
        """Two bar items, one per sign (one brush each is much cheaper than a brush per bar)."""
        items = []
        for color in colors.sign_colors():
            item = pg.BarGraphItem(x=[], height=[], width=0.8, brush=color, pen=None)
            plot.addItem(item)
            items.append(item)
        return tuple(items)

    @staticmethod
    def _bars(items, values: np.ndarray) -> None:
        values = np.asarray(values, float)
        x = np.arange(len(values))
        for item, keep in zip(items, (values >= 0, values < 0)):
            item.setOpts(x=x[keep], height=values[keep], width=0.8)
