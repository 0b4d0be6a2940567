"""The prediction view: the network's guess for the board, and which network is guessing.

It shows the ``Session``'s drawing (the probabilities and the 28×28 input the window computed)
and a model line: the current model, or during a run the network being trained and how far it
is ("as of epoch 0.4"). The pane is cheap and the time from a stroke to its answer is the app's
headline number, so a change is drawn at once while the view is visible (hidden, it only
marks itself dirty, as every view does).
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ffn_gui.state.session import epochs_done
from ffn_gui.widgets.prediction import PredictionPane

from .base import View


class PredictionView(View):
    name = "prediction"
    title = "Prediction"
    help_text = (
        "<p><b>The digit the network reads</b>, its confidence, and all ten probabilities "
        "(the bars). They change as you draw: each stroke is one forward pass.</p>"
        "<p><b>Network input (28×28)</b> is what the network really sees: your drawing cropped "
        "to the ink, fitted into 20×20 and centred by its centre of mass, as MNIST's digits "
        "were made (View → MNIST-style centring turns that off).</p>"
        "<p>The line under the bars names the network: the current model, or, during a run, "
        "the network being trained as of its last snapshot (“epoch 0.4”: four tenths into "
        "the first epoch). Watch your own digit's answer change as it learns.</p>"
    )

    def __init__(self, session, parent=None) -> None:
        super().__init__(session, parent)
        self.pane = PredictionPane()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pane)
        self.note: str | None = None  # said instead of the model line until the model changes
        self._progress = 0.0  # epochs done, from the latest progress report
        self._snapshot_epochs: float | None = None  # epochs done when the reader was taken
        session.drawing_changed.connect(self._changed)
        session.model_changed.connect(self._on_model)
        session.reader_changed.connect(self._on_reader)
        session.run_started.connect(self._on_run_started)
        session.run_progress.connect(self._on_progress)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.flush()  # shown with its answer, not a frame later

    def _changed(self, *_) -> None:
        self.request_refresh()
        self.flush()

    def _on_model(self, model) -> None:
        self.note = None
        self._changed()

    def _on_run_started(self, config) -> None:
        self._progress = 0.0
        self._snapshot_epochs = None

    def _on_progress(self, items) -> None:
        if items:
            self._progress = epochs_done(items[-1])

    def _on_reader(self, network) -> None:
        self._snapshot_epochs = self._progress if self.session.running else None
        self._changed()

    def status_text(self) -> str:
        run, epochs = self.session.run, self._snapshot_epochs
        if run is not None and epochs is not None:
            if run.fine_tune:
                return f"Live: the model being fine-tuned on your digits, as of epoch {epochs:.1f}"
            if run.continued:
                return f"Live: the model being trained further, as of epoch {epochs:.1f}"
            if epochs == 0:
                return "Live: the network being trained, not trained yet (epoch 0)"
            return f"Live: the network being trained, as of epoch {epochs:.1f}"
        if self.note:
            return self.note
        model = self.session.model
        return model.model_line() if model is not None else ""

    def refresh(self) -> None:
        drawing = self.session.drawing
        self.pane.set_probabilities(drawing.probs)
        self.pane.set_input_image(drawing.x28)
        self.pane.set_status(self.status_text())
