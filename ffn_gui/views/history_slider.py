"""The history slider: scrubs through the epochs of the session's ``Inspection``
(``ffn_gui.state.inspection``: the selected neuron, the run's history, the epoch looked at)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from ffn_gui.state.inspection import Inspection


class HistorySlider(QWidget):
    """Scrubs through the last run's epochs; the right end is now. Shows what the network at
    the chosen epoch reads on the board."""

    def __init__(self, inspection: Inspection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inspection = inspection
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("The last run kept the network of every epoch: drag to look back")
        self.label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("History:"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._on_slider)
        inspection.history_changed.connect(self._sync)
        inspection.epoch_changed.connect(self._sync)
        inspection.session.drawing_changed.connect(self._show_reading)
        inspection.session.reader_changed.connect(self._show_reading)
        self._sync()

    def _sync(self) -> None:
        epochs = self.inspection.history.epochs
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(epochs), 1))  # no history: one step, its right end now
        e = self.inspection.epoch
        self.slider.setValue(self.slider.maximum() if e is None else epochs.index(e))
        self.slider.blockSignals(False)
        self.slider.setEnabled(bool(epochs))
        self._show_reading()

    def _on_slider(self, value: int) -> None:
        epochs = self.inspection.history.epochs
        self.inspection.set_epoch(None if value >= len(epochs) else epochs[value])

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._show_reading()

    def _show_reading(self, *_args) -> None:
        if not self.isVisible():  # a hidden view does no work; shown, it catches up
            return
        e, epochs = self.inspection.epoch, self.inspection.history.epochs
        if not epochs:
            when = "now (no run of this model to look back on)"
        else:
            when = "now" if e is None else f"epoch {e} of {epochs[-1]}"
        network = self.inspection.network()
        x28 = self.inspection.session.drawing.x28
        if network is None or x28 is None:
            self.label.setText(when)
            return
        probs = network.predict_proba(np.asarray(x28).reshape(1, -1))[0]
        k = int(np.argmax(probs))
        self.label.setText(f"{when}: reads {k} ({100 * probs[k]:.0f}%)")
