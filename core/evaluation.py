"""Where a model is right and where it is wrong, on a labelled set: one function computes it all.

``evaluate_model(network, images, labels)`` runs the network over the set once and returns an
``Evaluation``: every example's ten probabilities, its predicted digit, the accuracy, the
accuracy per true digit, and the 10×10 confusion matrix ``confusion[true, read]`` (the true digit
down, the digit read across; row sums are the class counts). ``ffn evaluate`` and the window's
evaluation view both use it, so they show the same numbers.

Shapes: images uint8 (N, 28, 28), labels uint8 (N,), probs float32 (N, 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError
from .network import Network
from .preprocess import as_read_by
from .rows import N_CLASSES, as_inputs, mnist_problem


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """int64 (10, 10): how many examples of true digit ``t`` (row) were read as ``p`` (column)."""
    truth, predicted = np.asarray(truth, np.intp), np.asarray(predicted, np.intp)
    flat = np.bincount(truth * N_CLASSES + predicted, minlength=N_CLASSES * N_CLASSES)
    return flat.reshape(N_CLASSES, N_CLASSES).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Evaluation:
    probs: np.ndarray  # float32 (N, 10)
    labels: np.ndarray  # uint8 (N,), the true digits
    predicted: np.ndarray  # intp (N,), the most probable digit
    confusion: np.ndarray  # int64 (10, 10), [true, read]

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def correct(self) -> int:
        return int(np.trace(self.confusion))

    @property
    def accuracy(self) -> float:
        return self.correct / max(len(self), 1)

    @property
    def per_class(self) -> np.ndarray:
        """float64 (10,): accuracy on each true digit (NaN for a digit with no examples)."""
        counts = self.confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, np.diag(self.confusion) / counts, np.nan)

    def confidence(self, index: np.ndarray | None = None) -> np.ndarray:
        """The probability each example gives its predicted digit."""
        rows = np.arange(len(self)) if index is None else np.asarray(index, np.intp)
        return self.probs[rows, self.predicted[rows]]

    def cell(self, true: int, read: int) -> np.ndarray:
        """Indices of the examples of digit ``true`` read as ``read``. Off the diagonal the most
        confidently wrong come first; on it, the least confident correct ones."""
        index = np.flatnonzero((self.labels == true) & (self.predicted == read))
        conf = self.confidence(index)
        order = np.argsort(conf if true == read else -conf, kind="stable")
        return index[order]

    def most_confidently_wrong(self, k: int | None = None) -> np.ndarray:
        """Indices of the misread examples, the most confident mistakes first (at most ``k``)."""
        index = np.flatnonzero(self.labels != self.predicted)
        index = index[np.argsort(-self.confidence(index), kind="stable")]
        return index if k is None else index[:k]

    def top(self, i: int, k: int = 3) -> list[tuple[int, float]]:
        """Example ``i``'s ``k`` most probable digits with their probabilities."""
        order = np.argsort(-self.probs[i], kind="stable")[:k]
        return [(int(d), float(self.probs[i, d])) for d in order]


def evaluate_model(
    network: Network,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    chunk: int = 2000,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Evaluation | None:
    """Run ``network`` over a labelled set, ``chunk`` rows at a time.

    ``progress(done, total)`` is called after each chunk; when ``stop()`` turns true between
    chunks the evaluation is abandoned and None returned (a window's Cancel)."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(labels) != len(images):
        raise ConfigError(f"need (N, 28, 28) images with N labels, got images {images.shape} "
                          f"and {len(labels)} labels")
    problem = mnist_problem(network)
    if problem:
        raise ConfigError(f"cannot evaluate: the network {problem}")
    n = len(labels)
    probs = np.empty((n, N_CLASSES), np.float32)
    predicted = np.empty(n, np.intp)
    for start in range(0, n, chunk):
        if stop is not None and stop():
            return None
        rows = as_inputs(as_read_by(network, images[start : start + chunk]), np.float32)
        p = network.predict_proba(rows)
        probs[start : start + chunk] = p
        predicted[start : start + chunk] = np.argmax(p, axis=1)  # before rounding to float32
        if progress is not None:
            progress(min(start + chunk, n), n)
    labels = labels.astype(np.uint8, copy=False)
    return Evaluation(probs, labels, predicted, confusion_matrix(labels, predicted))


def confusion_text(matrix: np.ndarray) -> str:
    """The confusion matrix as aligned text, true digits down, read digits across."""
    width = max(5, len(str(int(matrix.max()))) + 1)
    lines = ["true \\ predicted " + "".join(f"{d:>{width}}" for d in range(N_CLASSES))]
    for d in range(N_CLASSES):
        lines.append(f"{d:>16} " + "".join(f"{int(v):>{width}}" for v in matrix[d]))
    return "\n".join(lines)
