"""The side panel of the network view: one neuron's numbers (``core.inspect.Neuron``).

For a first-hidden-layer neuron: its 784 incoming weights as a 28×28 image and, beside it,
weight × input for the digit on the board (which pixels of this digit push its z up, red, or
down, blue). For a deeper neuron: its incoming weights as bars. Then what it votes for: its
outgoing weights into the output digits, or its strongest targets in the next layer. The
pictures paint themselves (``ImageCanvas``, ``BarsPanel``): as pyqtgraph scenes they made
each switch to the network view, and each stroke with a neuron selected, milliseconds slower.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ffn_gui.widgets.labels import OneLine

from . import colors
from .bars_panel import BarsPanel
from .image_canvas import ImageCanvas
from .legend import Legend

GAP = 3  # image columns between the weights and weight × input


class NeuronPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.neuron = None  # core.inspect.Neuron shown
        self.weights_image: np.ndarray | None = None  # (28, 28) or None
        self.weight_x_input_image: np.ndarray | None = None
        self.title = OneLine("Click a neuron to see what it does")  # "…" in a narrow view
        self.numbers = QLabel()
        for label in (self.title, self.numbers):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.images = ImageCanvas()  # the two 28×28 images side by side, and their legend
        self.images.setMinimumSize(240, 120)
        self.incoming_plot = BarsPanel("incoming weights")
        self.incoming_plot.setMinimumSize(160, 100)
        self.outgoing_plot = BarsPanel("")
        self.outgoing_plot.setMinimumSize(160, 100)
        self.words = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.words.addWidget(self.title, 1)
        self.words.addWidget(self.numbers, 2)
        self.pictures = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.pictures.addWidget(self.images, 3)
        self.pictures.addWidget(self.incoming_plot, 2)
        self.pictures.addWidget(self.outgoing_plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.words)
        layout.addLayout(self.pictures, 1)
        self.show_neuron(None, [])

    def set_beside(self, beside: bool) -> None:
        """Laid out for a place beside the diagram (one column) or under it (one row)."""
        direction = (QBoxLayout.Direction.TopToBottom if beside
                     else QBoxLayout.Direction.LeftToRight)
        self.words.setDirection(direction)
        self.pictures.setDirection(direction)
        self.setMinimumWidth(300 if beside else 0)  # beside: room for z, a and b on a line

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # the same with or without a neuron: a click never moves the diagram under the pointer
        beside = self.pictures.direction() == QBoxLayout.Direction.TopToBottom
        return QSize(300, 480) if beside else QSize(640, 170)

    def _changed(self, which: str, neuron, values: np.ndarray) -> bool:
        """Whether the bars ``which`` would show something new (a drawing does not change a
        neuron's weights)."""
        key = (neuron.layer, neuron.index, values.size, values.tobytes())
        if getattr(self, "_" + which, None) == key:
            return False
        setattr(self, "_" + which, key)
        return True

    def show_neuron(self, neuron, layer_names: list[str], output_names=None) -> None:
        """Show ``neuron`` (a core.inspect.Neuron, or None); ``layer_names[l]`` names layer l."""
        self.neuron = neuron
        first = neuron is not None and neuron.layer == 0 and neuron.incoming.size == 784
        self.images.setVisible(first)
        self.incoming_plot.setVisible(neuron is not None and not first)
        self.outgoing_plot.setVisible(neuron is not None and neuron.outgoing is not None)
        if neuron is None:
            self.title.setText("Click a neuron to see what it does")
            self.numbers.setText("")
            self.weights_image = self.weight_x_input_image = None
            return
        self.title.setText(f"Neuron {neuron.index} of {layer_names[neuron.layer]}:")
        self.numbers.setText(
            f"z = w·a + b = {neuron.z:.3f}    a = {neuron.a:.3f}    b = {neuron.b:.3f}")
        if first:
            self._show_images(neuron)
        else:
            self.weights_image = self.weight_x_input_image = None
            if self._changed("incoming", neuron, neuron.incoming):
                self.incoming_plot.show_signed(neuron.incoming)
            self.incoming_plot.set_title(f"incoming weights from {layer_names[neuron.layer - 1]}"
                                         if neuron.layer else "incoming weights")
        if neuron.outgoing is not None and self._changed("outgoing", neuron, neuron.outgoing):
            self._show_outgoing(neuron, layer_names, output_names)

    def _show_images(self, neuron) -> None:
        """The weights and weight × input side by side, each in its own ±limit."""
        self.weights_image = neuron.incoming.reshape(28, 28)
        self.weight_x_input_image = neuron.weight_x_input.reshape(28, 28)
        limit = colors.symmetric_limit(self.weights_image)
        wx_limit = colors.symmetric_limit(self.weight_x_input_image)
        both = np.zeros((28, 2 * 28 + GAP, 4), np.uint8)  # transparent between the two
        both[:, :28] = colors.signed_rgba(self.weights_image, limit)
        both[:, 28 + GAP:] = colors.signed_rgba(self.weight_x_input_image, wx_limit)
        self.images.set_image(both)
        self.images.set_captions([(0, "weights w"), (28 + GAP, f"w × input, ±{wx_limit:.2g}")])
        self.images.set_legends([Legend(True, -limit, limit, "weights w")])

    def _show_outgoing(self, neuron, layer_names: list[str], output_names) -> None:
        nxt = layer_names[neuron.layer + 1]
        if output_names is not None and neuron.layer + 1 == len(layer_names) - 1:
            self.outgoing_plot.show_signed(neuron.outgoing, list(output_names))
            self.outgoing_plot.set_title("votes for each digit (outgoing weights)")
        else:
            self.outgoing_plot.show_signed(neuron.outgoing)
            strongest = ", ".join(str(int(t)) for t in neuron.targets)
            self.outgoing_plot.set_title(f"into {nxt} (strongest: {strongest})")
