"""What the views of the network's insides share: the selected neuron, the run's history and
the epoch being looked at.

``Inspection.of(session)`` gives the one ``Inspection`` of a session (made on first use). It
records a ``core.history.RunHistory`` of the last run from the session's signals: at the start
the network the run begins from (epoch 0), then the weight snapshot that follows each epoch's
end. The history belongs to the network the run produced: when another model replaces it (a
file opened, a new network), the history is cleared. ``epoch`` is the epoch the history slider
shows (None: now, the network reading the board); ``network()`` is that network. ``neuron``
is the selected (layer, index), layers numbered as core/inspect.py numbers them (0 = the first
hidden layer).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from core.history import RunHistory
from core.training import EpochProgress


class Inspection(QObject):
    history_changed = Signal()
    epoch_changed = Signal()
    neuron_changed = Signal()

    def __init__(self, session) -> None:
        super().__init__(session)
        self.session = session
        self.history = RunHistory()
        self.epoch: int | None = None
        self.neuron: tuple[int, int] | None = None
        self._pending: int | None = None  # the epoch the next snapshot belongs to
        self._run_network = None  # the network the last run produced (the history's)
        session.run_started.connect(self._on_run_started)
        session.run_progress.connect(self._on_progress)
        session.run_finished.connect(self._on_run_finished)
        session.reader_changed.connect(self._on_reader)
        session.model_changed.connect(self._on_model)

    @staticmethod
    def of(session) -> Inspection:
        found = session.findChild(Inspection)
        return found if found is not None else Inspection(session)

    def network(self):
        """The network the views show: epoch ``epoch`` of the history, or the board's reader."""
        if self.epoch is not None:
            return self.history.network(self.epoch)
        return self.session.reader

    def set_epoch(self, epoch: int | None) -> None:
        if epoch is not None and epoch not in self.history.epochs:
            raise KeyError(f"epoch {epoch} is not in the history {self.history.epochs}")
        if epoch != self.epoch:
            self.epoch = epoch
            self.epoch_changed.emit()

    def select(self, layer: int, index: int) -> None:
        if (layer, index) != self.neuron:
            self.neuron = (layer, index)
            self.neuron_changed.emit()

    def _on_run_started(self, _config) -> None:
        self.history.clear()
        self._pending = 0
        self.set_epoch(None)
        reader = self.session.reader
        model = self.session.model
        if reader is not None and (model is None or reader is not model.network):
            self._record(reader)  # the run's own network is reading already
        self.history_changed.emit()

    def _on_progress(self, items) -> None:
        ends = [p.epoch for p in items if isinstance(p, EpochProgress)]
        if ends:
            self._pending = ends[-1]

    def _on_run_finished(self, outcome) -> None:
        self._run_network = getattr(outcome, "network", None)

    def _on_reader(self, network) -> None:
        if self._pending is not None and network is not None:
            self._record(network)

    def _record(self, network) -> None:
        self.history.add(self._pending, network)
        self._pending = None
        self.history_changed.emit()

    def _on_model(self, model) -> None:
        network = None if model is None else model.network
        if self.history.epochs and not self.session.running and network is not self._run_network:
            self.history.clear()  # another model's history: there is nothing to look back on
            self.set_epoch(None)
            self.history_changed.emit()
        if self.neuron is not None and model is not None:
            layer, index = self.neuron
            sizes = model.network.sizes
            if layer >= len(sizes) - 1 or index >= sizes[layer + 1]:
                self.neuron = None
                self.neuron_changed.emit()


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
