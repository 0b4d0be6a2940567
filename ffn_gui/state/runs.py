"""The session's runs: every run's reports kept as columns, and written out as one CSV.

A ``Run`` keeps what the plots drew: one row per batch report (``epoch``, ``batch`` of
``batches``, its x in epochs, the mean cost since the last report and the smoothed cost) and
one row per epoch end (train and validation cost and accuracy), plus the test accuracy when the
run ended. Columns are preallocated NumPy arrays grown by doubling, so a run of any length costs
an append per report. No Qt here: the plots feed a ``Run``, the tests read it.

The CSV (``runs_csv``) is tidy: one row per report, ``kind`` saying which (``batch``,
``epoch``, ``test``), blank cells for what a row does not have; accuracies are fractions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

BATCH_COLUMNS = ("epoch", "batch", "batches", "x", "cost", "smoothed")
EPOCH_COLUMNS = ("epoch", "train_cost", "validation_cost", "train_accuracy",
                 "validation_accuracy")
CSV_HEADER = ("run", "label", "kind", "epoch", "batch", "batches", "batch_cost", "smoothed_cost",
              "train_cost", "validation_cost", "train_accuracy", "validation_accuracy",
              "test_accuracy")


class Table:
    """Named float columns of one length, preallocated and grown by doubling."""

    def __init__(self, names: tuple[str, ...], capacity: int = 64) -> None:
        self.names = names
        self._data = np.full((len(names), max(capacity, 1)), np.nan)
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def reserve(self, capacity: int) -> None:
        if capacity > self._data.shape[1]:
            grown = np.full((len(self.names), capacity), np.nan)
            grown[:, : self.n] = self._data[:, : self.n]
            self._data = grown

    def append(self, *values: float | None) -> None:
        if self.n == self._data.shape[1]:
            self.reserve(2 * self.n)
        self._data[:, self.n] = [np.nan if v is None else v for v in values]
        self.n += 1

    def __getitem__(self, name: str) -> np.ndarray:
        """The column's values so far (a view: valid until the next append)."""
        return self._data[self.names.index(name), : self.n]


@dataclass
class Run:
    """One training run as the plots saw it."""

    number: int  # 1, 2, ... in the session
    label: str = ""  # what the run was, e.g. its preset or sizes
    cost: str = ""  # the cost function it minimised ("quadratic", "cross_entropy"); "" unknown
    batches: Table = field(default_factory=lambda: Table(BATCH_COLUMNS, 512))
    epochs: Table = field(default_factory=lambda: Table(EPOCH_COLUMNS, 16))
    test_accuracy: float | None = None

    @property
    def empty(self) -> bool:
        return not (self.batches.n or self.epochs.n or self.test_accuracy is not None)


def run_label(config) -> str:
    """A run's settings in a few words, e.g. "784-128-10 relu/cross-entropy, adam lr 0.001,
    batch 64, 10 epochs, augmented" (``config`` a ``core.training.TrainConfig``)."""
    sizes = "-".join(str(n) for n in config.sizes)
    augmented = ", augmented" if config.augment else ""
    return (f"{sizes} {config.activation}/{config.cost}, {config.optimizer} "
            f"lr {config.learning_rate:g}, batch {config.batch_size}, {config.epochs} epochs"
            f"{augmented}")


def _cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return format(float(value), ".6g")


def _rows(run: Run) -> Iterable[tuple]:
    """The run's rows in the order they were reported: an epoch's batches, then its end."""
    b, e = run.batches, run.epochs
    i = 0
    for k in range(e.n):
        epoch = e["epoch"][k]
        while i < b.n and b["x"][i] <= epoch:
            yield _batch_row(b, i)
            i += 1
        yield ("epoch", epoch, None, None, None, None,
               *(e[name][k] for name in EPOCH_COLUMNS[1:]), None)
    for j in range(i, b.n):
        yield _batch_row(b, j)
    if run.test_accuracy is not None:
        yield ("test", None, None, None, None, None, None, None, None, None, run.test_accuracy)


def _batch_row(b: Table, i: int) -> tuple:
    return ("batch", b["epoch"][i], b["batch"][i], b["batches"][i], b["cost"][i],
            b["smoothed"][i], None, None, None, None, None)


def _quote(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def runs_csv(runs: Iterable[Run]) -> str:
    """The runs as CSV text (header ``CSV_HEADER``), oldest run first."""
    lines = [",".join(CSV_HEADER)]
    for run in runs:
        head = f"{run.number},{_quote(run.label)},"
        for kind, *values in _rows(run):
            lines.append(head + kind + "," + ",".join(_cell(v) for v in values))
    return "\n".join(lines) + "\n"

