"""What the views of the network's insides share: the selected neuron, the run's history and
the epoch being looked at.

The ``Session`` owns one ``Inspection`` (``session.inspection``, made with the session so it
hears a run from its start). It records a ``core.history.RunHistory`` of the last run from the
session's signals: at the start the network the run begins from (epoch 0), then the weight
snapshot that follows each epoch's end. The history belongs to the network the run produced:
when another model replaces it (a file opened, a new network), the history is cleared.
``epoch`` is the epoch the history slider shows (None: now, the network reading the board);
``network()`` is that network. ``neuron`` is the selected (layer, index), layers numbered as
core/inspect.py numbers them (0 = the first hidden layer). ``true_digit`` is the digit the user
said the drawing really is, in the Backprop view (None: not given); the Backprop view owns the
rule (a new drawing after a test digit forgets it) and announces each change here, so that the
Network view's step-through uses the same y.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.history import RunHistory
from core.training import EpochProgress


class Inspection(QObject):
    history_changed = Signal()
    epoch_changed = Signal()
    neuron_changed = Signal()
    true_digit_changed = Signal()

    def __init__(self, session) -> None:
        super().__init__(session)
        self.session = session
        self.history = RunHistory()
        self.epoch: int | None = None
        self.neuron: tuple[int, int] | None = None
        self.true_digit: int | None = None
        self._pending: int | None = None  # the epoch the next snapshot belongs to
        self._run_network = None  # the network the last run produced (the history's)
        session.run_started.connect(self._on_run_started)
        session.run_progress.connect(self._on_progress)
        session.run_finished.connect(self._on_run_finished)
        session.reader_changed.connect(self._on_reader)
        session.model_changed.connect(self._on_model)

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

    def set_true_digit(self, digit: int | None) -> None:
        if digit != self.true_digit:
            self.true_digit = digit
            self.true_digit_changed.emit()

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
