"""The training view: the live cost and accuracy plots (``plots.TrainingPlots``) as a view.

It follows runs through the ``Session``. Progress that comes while the view is hidden is only
kept (a dirty mark): the curves are fed in one go, at most once a frame, while it is visible.
When another model replaces the one the last run made, a line above the plots says that they
show the previous run.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ffn_gui.plots.live import TrainingPlots
from ffn_gui.state.runs import run_label

from .base import View


class PlotsView(View):
    name = "plots"
    title = "Training"
    help_text = (
        "<p><b>Cost</b> (left, log scale) is what training minimises, per example. The faint "
        "line is each stretch of mini-batches as they are learned, the bold one its smoothed "
        "trend; the dots are measured at each epoch's end on training (orange) and validation "
        "(green) digits. With augmentation the batches are shifted, rotated and redrawn "
        "digits, harder than the plain ones, and the epoch's dots are measured after the "
        "epoch's learning: that is why the per-epoch train cost sits below the batch curve.</p>"
        "<p><b>Accuracy</b> (right): the share of training and validation digits read right "
        "at each epoch's end; the dashed line is the test set, measured once the run ends.</p>"
        "<p>A <b>plateau</b> (the curves flatten) means more epochs of the same learning rate "
        "add little; validation falling while train still rises means the network is "
        "starting to memorise (overfit).</p>"
        "<p><b>Compare with previous run</b> draws the run before this one dashed. A cost is "
        "a measure of one cost function (a guess costs 0.45 by the quadratic cost, 2.30 by "
        "cross-entropy), so a run that minimised another cost is compared on accuracy only, "
        "and a note under the cost plot says so.</p>"
    )

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.plots = TrainingPlots()
        self.previous_label = QLabel("These plots show the previous run, not the model shown.")
        self.previous_label.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.previous_label)
        layout.addWidget(self.plots, 1)
        self._reset: tuple[int, str, str] | None = None  # a new run's (epochs, label, cost)
        self._pending: list = []  # progress not drawn yet
        self._test: tuple[float | None] | None = None  # the test accuracy to show, when set
        self._run_network = None  # the network the last run made
        self.previous = False  # the plots show another model's run
        session.run_started.connect(self._on_started)
        session.run_progress.connect(self._on_progress)
        session.run_finished.connect(self._on_finished)
        session.model_changed.connect(self._on_model)

    def _on_started(self, config) -> None:
        self._reset = (config.epochs, run_label(config), config.cost)
        self._pending.clear()
        self._test = (None,)
        self._run_network = None
        self.previous = False
        self.request_refresh()

    def _on_progress(self, items) -> None:
        self._pending.extend(items)
        self.request_refresh()

    def _on_finished(self, value) -> None:
        if not isinstance(value, BaseException):
            self._test = (value.test_accuracy,)
            self._run_network = value.network
        self.request_refresh()
        self.flush()  # the end of a run is shown at once (one refresh)

    def _on_model(self, model) -> None:
        self.previous = self._run_network is not None and model.network is not self._run_network
        self.request_refresh()

    def refresh(self) -> None:
        if self._reset is not None:
            epochs, label, cost = self._reset
            self.plots.reset(epochs, label=label, cost=cost)
            self._reset = None
        if self._pending:
            self.plots.add_progress(tuple(self._pending))
            self._pending.clear()
        if self._test is not None:
            self.plots.set_test_accuracy(self._test[0])
            self._test = None
        self.previous_label.setVisible(self.previous)
