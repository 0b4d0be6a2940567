"""The run bar: Train, Pause and Stop, "continue this model", progress, ETA and result, in one
row that stays in sight above the views (a long message is cut with "…", whole in its tooltip).

It follows a run through the ``Session`` (``run_started``, ``run_progress``, ``run_finished``)
and the current model (``model_changed``): once another model replaces the one a run made, its
result is labelled as the previous run's. The ETA comes from the measured rate of progress
(``EtaEstimator``), "estimating…" until there is enough of it to measure.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from core.text import capitalised, format_duration
from core.training import BatchProgress, EpochProgress, TrainConfig
from ffn_gui.shell.theme import secondary_text

from .labels import OneLine

PAUSED = "Paused – "


def fraction_done(p: BatchProgress | EpochProgress) -> float:
    if isinstance(p, BatchProgress):
        return (p.epoch - 1 + p.batch / p.batches) / p.epochs
    return p.epoch / p.epochs


class EtaEstimator:
    """Seconds left, from the rate measured between progress reports. The first report is
    only the start of the measurement (it carries the run's warm-up); there is no estimate
    until ``min_reports`` more have come over at least ``min_seconds``."""

    def __init__(self, min_reports: int = 3, min_seconds: float = 1.0) -> None:
        self.min_reports = min_reports
        self.min_seconds = min_seconds
        self.reset()

    def reset(self) -> None:
        self._first: tuple[float, float] | None = None  # (elapsed, fraction done)
        self._last: tuple[float, float] | None = None
        self._n = 0

    def add(self, p: BatchProgress | EpochProgress) -> None:
        point = (p.elapsed, fraction_done(p))
        if self._first is None:
            self._first = point
        else:
            self._n += 1
        self._last = point

    def eta(self) -> float | None:
        if self._first is None or self._n < self.min_reports:
            return None
        (t0, d0), (t1, d1) = self._first, self._last
        if t1 - t0 < self.min_seconds or d1 <= d0:
            return None
        return (1.0 - d1) * (t1 - t0) / (d1 - d0)


class RunBar(QWidget):
    train_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.eta = EtaEstimator()
        self._paused = False
        self._run_network = None  # the network the last finished run made
        self._result = ""  # the last run's result line, as shown
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._build_buttons(layout)
        self.continue_box = QCheckBox("Continue")
        self.continue_box.setToolTip(
            "Continue from the current model: train the model in the window further instead of "
            "a fresh network. Possible when its layers, activation and cost match the settings."
        )
        layout.addWidget(self.continue_box)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("Not started")
        self.progress_bar.setMaximumWidth(240)
        layout.addWidget(self.progress_bar, 1)
        self._fit_buttons()
        self.progress_label = OneLine(" ", min_width=40)  # elapsed · ETA, or what it is doing
        secondary_text(self.progress_label)
        layout.addWidget(self.progress_label, 1)
        self.result_label = OneLine(min_width=140)  # the last epoch's line, then the result
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.result_label, 2)

    def _build_buttons(self, layout: QHBoxLayout) -> None:
        self.train_button = QPushButton("Train")
        self.train_button.setDefault(True)
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        for button in (self.train_button, self.pause_button, self.stop_button):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            layout.addWidget(button)
        self.train_button.clicked.connect(self.train_clicked)
        self.pause_button.clicked.connect(self.pause_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.pause_button.setToolTip("Pause the run between two mini-batches (Space)")
        self.stop_button.setToolTip("Stop the run and keep the network as it is now (Esc)")

    def _fit_buttons(self) -> None:
        """Buttons may shrink below the style's usual 80 pixels to their text's width (a
        narrow window), never below "Resume"'s; the progress bar keeps room for its text."""
        fm = self.fontMetrics()
        width = max(fm.horizontalAdvance(t) for t in ("Train", "Resume", "Stop")) + 16
        for button in (self.train_button, self.pause_button, self.stop_button):
            button.setMinimumWidth(width)
        self.progress_bar.setMinimumWidth(fm.horizontalAdvance("Epoch 30/30") + 20)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_buttons()

    # --- a run -------------------------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setToolTip(
            ("Resume the run" if paused else "Pause the run between two mini-batches")
            + " (Space)"
        )
        text = self.progress_bar.format().removeprefix(PAUSED)
        self.progress_bar.setFormat(PAUSED + text if paused else text)

    def start_run(self, config: TrainConfig) -> None:
        """Reset the progress for a new run."""
        self.eta.reset()
        self._run_network = None
        self._paused = False
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(f"Epoch 1/{config.epochs}")
        self.progress_label.setText("Preparing augmented digits…" if config.augment
                                    else "Starting…")
        self._result = ""
        self.result_label.setText("")

    def show_progress(self, items) -> None:
        """Show progress reports (one, or a sequence oldest first)."""
        if isinstance(items, BatchProgress | EpochProgress):
            items = (items,)
        if not items:
            return
        for p in items:
            self.eta.add(p)
        epochs = [p for p in items if isinstance(p, EpochProgress)]
        if epochs:
            e = epochs[-1]
            val = f" · validation {100 * e.val_accuracy:.2f}%" if e.val_accuracy is not None else ""
            self.result_label.setText(f"Epoch {e.epoch}: train {100 * e.train_accuracy:.2f}%{val}")
        p = items[-1]
        epoch = p.epoch if isinstance(p, BatchProgress) else min(p.epoch + 1, p.epochs)
        self.progress_bar.setValue(int(round(1000 * fraction_done(p))))
        paused = PAUSED if self._paused else ""
        self.progress_bar.setFormat(f"{paused}Epoch {epoch}/{p.epochs}")
        eta = self.eta.eta()
        left = "estimating…" if eta is None else format_duration(eta)
        self.progress_label.setText(f"{format_duration(p.elapsed)} elapsed · ETA {left}")

    def finish_run(self, outcome=None, error: BaseException | None = None) -> None:
        """Show the end of a run: the test accuracy, or that it stopped or failed."""
        self._paused = False
        self.pause_button.setText("Pause")
        if error is not None:
            self.progress_bar.setFormat("Failed")
            text = str(error)
            self.progress_label.setText(capitalised(text))
            return
        result = outcome.result
        epochs = outcome.config.epochs
        self.progress_bar.setFormat(
            f"Stopped after {result.epochs_completed}/{epochs} epochs"
            if result.stopped
            else f"Done: {result.epochs_completed}/{epochs} epochs"
        )
        if not result.stopped:
            self.progress_bar.setValue(self.progress_bar.maximum())
        self.progress_label.setText(f"{format_duration(result.elapsed)} of training")
        parts = []
        if outcome.test_accuracy is not None:
            parts.append(f"<b>Test accuracy {100 * outcome.test_accuracy:.2f}%</b>")
        if result.history:
            last = result.history[-1]
            parts.append(f"train {100 * last.train_accuracy:.2f}%")
            if last.val_accuracy is not None:
                parts.append(f"validation {100 * last.val_accuracy:.2f}%")
        self._result = " · ".join(parts)
        self._run_network = outcome.network
        self.result_label.setText(self._result)

    def model_changed(self, model) -> None:
        """Another model than the last run's: its result is labelled as the previous run's."""
        if self._run_network is None or not self._result:
            return
        if model.network is self._run_network:
            self.result_label.setText(self._result)
        else:
            self.result_label.setText(f"<i>Previous run (not the model shown):</i> {self._result}")
            self.progress_bar.setFormat("Previous run")
