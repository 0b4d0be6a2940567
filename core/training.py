"""The training loop: plain Python, no Qt, no prints.

``train(network, config, train_set, valid_set, on_progress=..., control=...)`` runs mini-batch
training and reports through ``on_progress`` with frozen dataclasses: ``BatchProgress`` a few
times a second (the mean cost of the batches since the last report: at least
``REPORT_EXAMPLES`` examples, across epoch ends; and at an epoch's end, when it has that many) and ``EpochProgress`` at every epoch end
(train and validation cost and accuracy, elapsed time, ETA). Between batches it checks
``control`` for Stop and Pause. Everything random comes from ``config.seed``, so a run is
reproducible. A non-finite cost stops the run with ``TrainingDiverged`` after restoring the
weights of the last step whose cost was finite. The settings (``TrainConfig``, the presets)
are in ``train_config.py``, the reports and the Stop/Pause flags in ``progress.py``; both are
importable from here.

Data sets are any objects with ``images`` (uint8 (N, 28, 28)) and ``labels`` (uint8 (N,)), or
``prepare.Part``s: rows of a set whose deskewed digits and pen redraws are made on first use
and kept in a cache (``run.train_run`` passes those). Either way the digits are prepared a
chunk at a time as the first epoch reaches them, so the first batch is trained at once.
Inside, a batch is rows: X.shape == (m, 784) float32 in [0, 1], Y.shape == (m, 10) one-hot.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

# Everything a run needs is imported here, never inside it: a module's import holds the GIL
# throughout, and importing augment in a window's training thread stalled the window.
from .augment import augment
from .batches import Batches
from .errors import ConfigError, TrainingDiverged
from .network import Network
from .optimizers import OPTIMIZERS, make_optimizer
from .prepare import Part
from .progress import BatchProgress, EpochProgress, TrainControl, TrainResult
from .rows import NOT_A_DIGIT, as_inputs, mnist_problem, targets
from .schedules import SCHEDULES
from .step import TrainStep
from .train_config import (
    NOTES_PRESET,
    PRESET_HELP,
    PRESETS,
    TrainConfig,
    continue_problem,
    preset,
)

# The settings and the progress reports are defined beside the loop (train_config.py,
# progress.py) and importable from here, where most callers look for them.
__all__ = [
    "AUGMENT_CHUNK", "DIVERGENCE_FACTOR", "GUESSING_COST", "NOTES_PRESET", "PEN_PROBABILITY",
    "PRESETS", "PRESET_HELP", "REPORT_EXAMPLES", "TRAIN_METRIC_SIZE", "BatchProgress",
    "EpochProgress", "TrainConfig", "TrainControl", "TrainResult", "continue_problem", "evaluate",
    "mnist_problem", "preset", "train",
]

TRAIN_METRIC_SIZE = 10_000  # train cost/accuracy at epoch ends are measured on this many rows
# A run has diverged when a batch's mean cost is non-finite or over this many times the larger
# of the first batch's and the cost of guessing (ln 10): a trained network's first cost alone is
# so small that a later batch's can be a hundred times more with nothing wrong.
DIVERGENCE_FACTOR = 50.0
GUESSING_COST = math.log(10)
# With augmentation, this share of the digits that have a uniform-pen redraw (see
# prepare.pen_plan) is shown in that form each epoch: canvas drawings have one stroke width.
PEN_PROBABILITY = 0.75
# With augmentation, an epoch's digits are prepared and distorted this many rows at a time, just
# before their batches: the first batch waits for one chunk (about 0.2 s cold), not the epoch.
AUGMENT_CHUNK = 1024
# A batch report is the mean cost of at least this many examples (or a hundredth of the training
# set, if fewer), however much time has passed: measured on MNIST with the notes' network after
# 3 epochs, stretches of 10 digits cost from 7e-6 (40% of them a tenth of the typical 0.02 or
# less), of 500 from 0.013 up. A report used to follow the clock alone, and a run paused or
# descheduled just after one (the window's run yields the core to the GUI) reported the next
# batch alone: a needle down the log axis.
REPORT_EXAMPLES = 500


# --- the loop ------------------------------------------------------------------------------


def evaluate(
    network: Network, images: np.ndarray, labels: np.ndarray, chunk: int = 10_000
) -> tuple[float, float]:
    """(mean cost per example, accuracy) of ``network`` on a labelled set of MNIST-style digits,
    read as the network reads them (deskewed first for a network trained deskewed)."""
    from .preprocess import as_read_by

    return _evaluate(network, as_read_by(network, images), labels, chunk)


def _evaluate(network: Network, images: np.ndarray, labels: np.ndarray,
              chunk: int = 10_000) -> tuple[float, float]:
    """``evaluate`` on images already as the network reads them. The accuracy is over the
    digits: a non-digit row (outlier exposure) counts in the cost only."""
    total_cost, correct, digits = 0.0, 0, 0
    for i in range(0, len(labels), chunk):
        X = as_inputs(images[i : i + chunk], network.dtype)
        y = np.asarray(labels[i : i + chunk])
        Y = targets(y, network.dtype)
        zs, acts = network.forward(X)
        total_cost += network.cost.value(zs[-1], acts[-1], Y)
        correct += int(np.count_nonzero(np.argmax(acts[-1], axis=1) == y))
        digits += int(np.count_nonzero(y != NOT_A_DIGIT))
    return total_cost / max(len(labels), 1), correct / max(digits, 1)


def train(
    network: Network,
    config: TrainConfig,
    train_set,
    valid_set=None,
    *,
    on_progress: Callable[[BatchProgress | EpochProgress], None] | None = None,
    control: TrainControl | None = None,
    progress_interval: float = 0.25,
    train_metrics: bool = True,
) -> TrainResult:
    """Train ``network`` in place with mini-batch gradient descent as ``config`` says.

    BLAS runs on as many threads as the caller allows (``threadpoolctl``): the window keeps
    training to one, so that a core stays free for drawing. ``train_metrics=False`` skips
    measuring the train cost and accuracy at epoch ends (they are reported as NaN); benchmarks
    use it to time training alone."""
    run = _Run(network, config, train_set, valid_set, on_progress, control, progress_interval)
    return run.train(train_metrics)


def _part(data, config: TrainConfig, pens: bool) -> Part:
    """``data`` as a ``Part`` prepared as ``config`` says (a data set: all of it, no cache)."""
    if not isinstance(data, Part):
        return Part.whole(data, deskewed=config.deskew, pens=pens)
    if data.prepared.deskewed != config.deskew or (pens and not data.prepared.pens):
        raise ConfigError("the prepared digits do not match the settings (deskewing, pen "
                          "redraws)")
    return data


class _Run:
    """One call of ``train``: the step, the data in the form it is read, and the clock."""

    def __init__(self, network, config, train_set, valid_set, on_progress, control,
                 progress_interval) -> None:
        problem = mnist_problem(network)
        if problem:
            raise ConfigError(f"cannot train: the network {problem}")
        n = len(train_set.labels)
        if n < 1:
            raise ConfigError("there are no training examples")
        if config.batch_size > n:
            raise ConfigError(
                f"batch size {config.batch_size} is larger than the {n} training examples"
            )
        network.deskew = config.deskew  # what it is trained on is what it reads (as_read_by)
        self.network, self.config, self.n = network, config, n
        self.train_set = _part(train_set, config, pens=config.augment)
        self.valid_set = None if valid_set is None else _part(valid_set, config, pens=False)
        self.report = on_progress or (lambda p: None)
        self.control = control or TrainControl()
        self.progress_interval = progress_interval
        self.rng = np.random.default_rng([config.seed, 1])
        self.Y = targets(np.asarray(train_set.labels), network.dtype)
        self.metric_rows = np.sort(self.rng.permutation(n)[: min(n, TRAIN_METRIC_SIZE)])
        self.optimizer = make_optimizer(config.optimizer, config.learning_rate, config.l2, **{
            k: getattr(config, k) for k in OPTIMIZERS[config.optimizer].hyperparameters})
        self.step = TrainStep(network, self.optimizer)
        self.batches = None if config.augment else Batches(
            self.train_set.images().reshape(n, -1), config.batch_size, network.dtype)
        self.cost_limit = math.inf
        self.examples = 0
        self.paused_for = 0.0
        # The batches since the last report (their summed cost and examples), kept across
        # epoch boundaries: reset there, each epoch's first report was one batch alone (10
        # digits in the notes' run, a cost anywhere from 1e-5 to 0.1) and the last epoch's
        # tail, up to a fifth of it, was never reported.
        self.cost_sum, self.cost_n, self.last_report = 0.0, 0, -math.inf
        self.report_examples = max(1, min(REPORT_EXAMPLES, n // 100))

    def elapsed(self) -> float:
        """Seconds of training so far, pauses excluded."""
        return time.perf_counter() - self.start - self.paused_for

    def train(self, train_metrics: bool) -> TrainResult:
        config, control = self.config, self.control
        history: list[EpochProgress] = []
        rate = SCHEDULES[config.schedule].rate
        self.start = time.perf_counter()
        for epoch in range(1, config.epochs + 1):
            self.optimizer.learning_rate = rate(config.learning_rate, epoch, config.epochs)
            self._epoch(epoch)
            if control.stopped:
                break
            history.append(self._epoch_end(epoch, train_metrics))
            self.report(history[-1])
            self.train_set.prepared.save()  # what the epoch made, kept for the next run
        self.train_set.prepared.save()
        return TrainResult(tuple(history), control.stopped, self.elapsed())

    def _epoch_batches(self, order: np.ndarray):
        """(Xb, columns) for each mini-batch of the epoch, in ``order``."""
        if self.batches is not None:
            return self.batches.epoch(order)
        return self._augmented(order, self.rng.random(self.n) < PEN_PROBABILITY)

    def _augmented(self, order: np.ndarray, swap: np.ndarray):
        """The augmented batches, a chunk of rows prepared and distorted at a time; a row
        with a pen redraw is shown redrawn where ``swap`` (by position in ``order``) says."""
        m = self.config.batch_size
        chunk = m * max(1, AUGMENT_CHUNK // m)
        for lo in range(0, self.n, chunk):
            rows = order[lo : lo + chunk]
            source = self.train_set.images(rows)
            has, redrawn = self.train_set.pens(rows)
            shown = swap[lo : lo + chunk][has]
            source[np.flatnonzero(has)[shown]] = redrawn[shown]
            X = augment(source, self.rng).astype(self.network.dtype, copy=False)
            for k in range(0, len(rows), m):
                yield X[k : k + m], None

    def _epoch(self, epoch: int) -> None:
        """One pass over the training set, reporting a BatchProgress every progress_interval
        seconds; returns early on Stop."""
        control, step, m = self.control, self.step, self.config.batch_size
        order = self.rng.permutation(self.n)
        Y = self.Y[order]
        batches = -(-self.n // m)
        (stopped, running), clock = control.checks(), time.perf_counter
        for k, (Xb, columns) in enumerate(self._epoch_batches(order)):
            if stopped() or not running():  # two cheap checks; the slow path only if needed
                self.paused_for += control.wait_while_paused()
                if stopped():
                    return
            mb = len(Xb)
            cost = step(Xb, Y[k * m : k * m + mb], self.cost_limit, columns)
            if self.cost_limit == math.inf:
                self.cost_limit = DIVERGENCE_FACTOR * max(cost / mb, GUESSING_COST)
            if not cost / mb <= self.cost_limit:  # also true for NaN
                step.roll_back()
                raise TrainingDiverged(
                    "training diverged (learning rate too high?): the cost rose to "
                    f"{cost / mb:.4g} per example in epoch {epoch}, batch {k + 1}; the weights "
                    "of the last good step were restored"
                )
            self.examples += mb
            self.cost_sum += cost
            self.cost_n += mb
            now = clock()
            if (self.cost_n >= self.report_examples
                    and now - self.last_report >= self.progress_interval):
                self.last_report = now
                self._report_batches(epoch, k + 1, batches)
        if self.cost_n >= self.report_examples:  # each epoch that saw enough examples ends
            self.last_report = clock()  # with a point, even when it took less than a report's
            self._report_batches(epoch, batches, batches)  # interval (a small run)

    def _report_batches(self, epoch: int, batch: int, batches: int) -> None:
        """Report the mean cost of the batches since the last report (some may be the
        previous epoch's) and start a new stretch."""
        self.report(BatchProgress(epoch, self.config.epochs, batch, batches,
                                  self.cost_sum / self.cost_n, self.examples, self.elapsed()))
        self.cost_sum, self.cost_n = 0.0, 0

    def _epoch_end(self, epoch: int, train_metrics: bool) -> EpochProgress:
        network, train_set, valid_set = self.network, self.train_set, self.valid_set
        if not all(np.isfinite(p).all() for p in network.params):
            self.step.roll_back()
            raise TrainingDiverged(
                "training diverged (learning rate too high?): the weights became non-finite; "
                "the weights of the last good step were restored"
            )
        train_cost = train_acc = math.nan
        if train_metrics:
            rows = self.metric_rows
            train_cost, train_acc = _evaluate(network, train_set.images(rows),
                                              train_set.labels[rows])
        val_cost = val_acc = None
        if valid_set is not None and len(valid_set):
            val_cost, val_acc = _evaluate(network, valid_set.images(), valid_set.labels)
        t, epochs = self.elapsed(), self.config.epochs
        return EpochProgress(epoch, epochs, train_cost, train_acc, val_cost, val_acc,
                             self.optimizer.learning_rate, t, t / epoch * (epochs - epoch))
