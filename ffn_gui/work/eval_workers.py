"""Reading many digits off the GUI thread: evaluating a model on a test set, and predicting a
Kaggle test.csv. Both are ``workers.Worker``s (run with ``workers.start``), report
``progress(done, total)`` a few times a second and stop between chunks on ``cancel()``."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal

from core.evaluation import evaluate_model
from core.preprocess import as_read_by
from core.rows import as_inputs

from .workers import Worker


class _ChunkedWorker(Worker):
    progress = Signal(int, int)  # rows done, rows in all
    succeeded = Signal(object)

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._interval = interval
        self._last = -float("inf")

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self._last >= self._interval or done >= total:
            self._last = now
            self.progress.emit(done, total)


class EvaluateWorker(_ChunkedWorker):
    """``core.evaluation.evaluate_model`` on a network the GUI thread no longer touches (a copy).

    Emits ``succeeded(Evaluation)``, or nothing when cancelled."""

    def __init__(self, network, images: np.ndarray, labels: np.ndarray) -> None:
        super().__init__()
        self.network, self.images, self.labels = network, images, labels

    def work(self) -> None:
        result = evaluate_model(self.network, self.images, self.labels,
                                progress=self._progress, stop=self._cancel.is_set)
        if result is not None:
            self.succeeded.emit(result)


class KaggleWorker(_ChunkedWorker):
    """Loads a Kaggle test.csv and reads every row; ``succeeded((path, labels))``, labels an int
    array of N predictions in the file's order."""

    def __init__(self, network, path: Path | str, chunk: int = 1000) -> None:
        super().__init__()
        self.network, self.path, self.chunk = network, Path(path), chunk

    def work(self) -> None:
        from core.data import load_kaggle_csv

        data = load_kaggle_csv(self.path, kind="test")
        n = len(data)
        labels = np.empty(n, np.intp)
        for start in range(0, n, self.chunk):
            if self.cancelled:
                return
            rows = as_inputs(as_read_by(self.network, data.images[start : start + self.chunk]))
            labels[start : start + self.chunk] = self.network.predict(rows)
            self._progress(min(start + self.chunk, n), n)
        self.succeeded.emit((self.path, labels))


def submission_text(labels: np.ndarray) -> str:
    """Kaggle's submission format: a header, then ``ImageId,Label`` from ImageId 1."""
    return "ImageId,Label\n" + "".join(f"{i},{int(d)}\n" for i, d in enumerate(labels, start=1))
