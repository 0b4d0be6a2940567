"""The prediction view: the network's guess for the board, and which network is guessing.

It shows the ``Session``'s drawing (the probabilities and the 28×28 input the window computed)
and a model line: the current model, or during a run the network being trained and how far it
is ("as of epoch 0.4"). The pane is cheap and the time from a stroke to its answer is the app's
headline number, so a change is drawn at once while the view is visible (hidden, it only
marks itself dirty, as every view does).

A model with a rejection rule (``network.reject``) may not believe its own answer: ``verdict``
asks ``core.reject.judge`` (the one place the rule is applied) and the pane then says "not a
digit", still with the ten bars, and ``doubt`` says why in a line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QVBoxLayout

from core.reject import judge

from ffn_gui.state.session import epochs_done
from ffn_gui.widgets.prediction import PredictionPane

from .base import View


@dataclass(frozen=True)
class Verdict:
    """What the pane says about a drawing: the digit read (None: empty board or not a digit),
    and, for a model with a rule, the rule and the drawing's score under it."""

    digit: int | None
    rule: object = None  # core.reject.RejectRule
    score: float | None = None

    @property
    def rejected(self) -> bool:
        return self.rule is not None and self.score is not None and self.digit is None


def verdict(drawing) -> Verdict:
    """The answer for ``drawing`` (a ``Session`` drawing) as ``core.reject.judge`` gives it."""
    if drawing.empty or drawing.network is None:
        return Verdict(None)
    digit, score = judge(drawing.network, drawing.x28)
    return Verdict(digit, getattr(drawing.network, "reject", None), score)


def _share(p: float, other: float) -> str:
    """``p`` as a percentage, with a decimal when whole percents would show it equal to
    ``other``."""
    return f"{p:.1%}" if f"{p:.0%}" == f"{other:.0%}" else f"{p:.0%}"


def doubt(probs: np.ndarray, said: Verdict) -> str:
    """Why the pane does not believe the probabilities (for a rejected drawing), in one line."""
    guess = int(np.argmax(probs))
    p, rule, score = float(probs[guess]), said.rule, said.score
    if rule.score == "max_probability":
        return (f"Its best guess, {guess}, is only {_share(p, rule.below)}: below this model's "
                f"threshold of {_share(rule.below, p)} for a digit.")
    if rule.score == "margin":
        return (f"Its best guess, {guess} ({p:.0%}), leads the next by only "
                f"{_share(score, rule.below)}: below this model's threshold of "
                f"{_share(rule.below, score)} for a digit.")
    return (f"Its best guess, {guess} ({p:.0%}), has an energy of only {score:.2f}: below "
            f"this model's threshold of {rule.below:.2f} for a digit.")


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
        "<p><b>Not a digit</b>: a model trained with non-digit examples (<i>ffn train "
        "--nondigits</i>) keeps a threshold in its file. When a drawing scores below it, the "
        "pane says “not a digit” and why; the bars still show what it would have guessed.</p>"
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
        said = verdict(drawing)
        doubted = drawing.probs is not None and said.rejected
        self.pane.set_probabilities(drawing.probs,
                                    doubt(drawing.probs, said) if doubted else None)
        self.pane.set_input_image(drawing.x28)
        self.pane.set_status(self.status_text())
