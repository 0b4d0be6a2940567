"""Kaggle's digit recognizer in the window: read every row of a test.csv off the GUI thread, then
write the submission (``ImageId,Label``, ImageId from 1) atomically.

``KaggleController.predict(network, path)`` loads and reads the file in a ``KaggleWorker`` on a
copy of the network, reporting ``progress(done, total)``; ``finished`` carries the predicted
labels, or the exception that stopped it (e.g. the engine's DataError naming the file).
``save(path)`` writes the submission for the last predictions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from core.atomic import write_atomic

from . import workers
from .eval_workers import KaggleWorker, submission_text


class KaggleController(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # int array of labels, or the exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: workers.Job | None = None
        self.labels: np.ndarray | None = None
        self.source: Path | None = None
        self._outcome = None

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def has_predictions(self) -> bool:
        return self.labels is not None and not self.running

    def predict(self, network, path: Path | str) -> bool:
        """Start reading ``path`` (a Kaggle test.csv); False if a reading is going on."""
        if self.running:
            return False
        self.labels, self.source, self._outcome = None, Path(path), None
        worker = KaggleWorker(network.copy(), path)
        worker.progress.connect(self.progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        self.job = workers.start(worker, self)
        self.job.done.connect(self._on_done)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def shut_down(self, msecs: int = 5000) -> bool:
        if self.job is None:
            return True
        self.job.cancel()
        return self.job.wait(msecs)

    def _on_succeeded(self, result) -> None:
        self._outcome = result

    def _on_failed(self, error: BaseException) -> None:
        self._outcome = error

    def _on_done(self) -> None:
        outcome, self.job = self._outcome, None
        if isinstance(outcome, tuple):
            self.labels = outcome[1]
            self.finished.emit(self.labels)
        elif isinstance(outcome, BaseException):
            self.finished.emit(outcome)
        else:
            self.finished.emit(RuntimeError("cancelled"))

    def save(self, path: Path | str) -> int:
        """Write the submission to ``path`` atomically; the number of rows (OSError on a
        problem; the old file, if any, is kept)."""
        if self.labels is None:
            raise RuntimeError("no predictions to save: open a Kaggle test.csv first")
        write_atomic(Path(path), submission_text(self.labels).encode())
        return len(self.labels)
