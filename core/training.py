"""The training loop: plain Python, no Qt, no prints.

``train(network, config, train_set, valid_set, on_progress=..., control=...)`` runs mini-batch
training and reports through ``on_progress`` with frozen dataclasses: ``BatchProgress`` a few
times a second (the mean cost of the batches since the last report) and ``EpochProgress`` at
every epoch end (train and validation cost and accuracy, elapsed time, ETA). Between batches it
checks ``control`` for Stop and Pause. Everything random comes from ``config.seed``, so a run is
reproducible. A non-finite cost stops the run with ``TrainingDiverged`` after restoring the
weights of the last step whose cost was finite.

Data sets are any objects with ``images`` (uint8 (N, 28, 28)) and ``labels`` (uint8 (N,)), or
``prepare.Part``s: rows of a set whose deskewed digits and pen redraws are made on first use
and kept in a cache (``run.train_run`` passes those). Either way the digits are prepared a
chunk at a time as the first epoch reaches them, so the first batch is trained at once.
Inside, a batch is rows: X.shape == (m, 784) float32 in [0, 1], Y.shape == (m, 10) one-hot.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

# Everything a run needs is imported here, never inside it: a module's import holds the GIL
# throughout, and importing augment in a window's training thread stalled the window.
from .augment import augment
from .batches import Batches
from .errors import ConfigError, TrainingDiverged
from .inits import INITS
from .network import MAX_UNITS, Network
from .optimizers import OPTIMIZERS, make_optimizer
from .prepare import Part
from .rows import N_CLASSES, N_INPUTS, as_inputs, mnist_problem, one_hot
from .schedules import SCHEDULES
from .step import TrainStep

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


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run (and so a model)."""

    hidden: tuple[int, ...] = (128, 128)
    activation: str = "sigmoid"
    cost: str = "quadratic"
    init: str = "scaled"
    optimizer: str = "sgd"
    learning_rate: float = 3.0
    batch_size: int = 10
    epochs: int = 30
    l2: float = 0.0
    momentum: float = 0.9
    schedule: str = "constant"
    augment: bool = False
    deskew: bool = False  # train (and read) on digits sheared upright: core.preprocess.deskew
    validation: int = 10_000
    seed: int = 0

    @property
    def sizes(self) -> list[int]:
        return [N_INPUTS, *self.hidden, N_CLASSES]

    def __post_init__(self) -> None:
        self._check()  # once, where a config is made: a TrainConfig that exists is valid

    def validate(self, n_examples: int | None = None) -> TrainConfig:
        """Raise ConfigError when ``n_examples`` labelled examples (if known) cannot hold the
        validation split and a batch; return self. The settings themselves were checked when
        the config was made: making an invalid one raises ConfigError naming the setting."""
        if n_examples is not None:
            n_train = n_examples - self.validation
            if n_train < 1:
                raise ConfigError(
                    f"validation size {self.validation} leaves no training examples "
                    f"out of {n_examples}"
                )
            if self.batch_size > n_train:
                raise ConfigError(
                    f"batch size {self.batch_size} is larger than the {n_train} training examples"
                )
        return self

    def _check(self) -> None:
        """Raise ConfigError naming the first invalid setting."""
        from .activations import ACTIVATIONS
        from .costs import COSTS

        def bad(msg: str) -> ConfigError:
            return ConfigError(msg)

        if not isinstance(self.hidden, tuple) or not all(
            isinstance(h, int | np.integer) and not isinstance(h, bool) for h in self.hidden
        ):
            raise bad(f"hidden layers must be whole numbers, got {self.hidden!r}")
        if len(self.hidden) > 8:
            raise bad(f"at most 8 hidden layers, got {len(self.hidden)}")
        for h in self.hidden:
            if not 1 <= h <= MAX_UNITS:
                raise bad(f"a hidden layer needs 1 to {MAX_UNITS} units, got {h}")
        if self.activation not in ACTIVATIONS:
            raise bad(f"unknown activation {self.activation!r}")
        if self.cost not in COSTS:
            raise bad(f"unknown cost {self.cost!r}")
        if self.init not in INITS:
            raise bad(f"unknown initialisation {self.init!r}")
        if self.optimizer not in OPTIMIZERS:
            raise bad(f"unknown optimiser {self.optimizer!r}")
        if self.schedule not in SCHEDULES:
            raise bad(f"unknown learning-rate schedule {self.schedule!r}")
        if not (math.isfinite(self.learning_rate) and 0 < self.learning_rate <= 1000):
            raise bad(f"learning rate must be in (0, 1000], got {self.learning_rate}")
        if not (isinstance(self.batch_size, int) and self.batch_size >= 1):
            raise bad(f"batch size must be at least 1, got {self.batch_size}")
        if not (isinstance(self.epochs, int) and 1 <= self.epochs <= 10_000):
            raise bad(f"epochs must be 1 to 10000, got {self.epochs}")
        if not (math.isfinite(self.l2) and 0 <= self.l2 < 1):
            raise bad(f"L2 weight decay must be in [0, 1), got {self.l2}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise bad(f"momentum must be in [0, 1), got {self.momentum}")
        if not (isinstance(self.validation, int) and self.validation >= 0):
            raise bad(f"validation size must be 0 or more, got {self.validation}")
        if not (isinstance(self.seed, int) and 0 <= self.seed < 2**63):
            raise bad(f"seed must be a non-negative whole number, got {self.seed}")

    def make_network(self) -> Network:
        """A fresh network for this config, its weights drawn from the seed (and reading
        deskewed digits if the config deskews)."""
        rng = np.random.default_rng([self.seed, 0])
        network = Network(self.sizes, self.activation, self.cost, self.init, rng=rng)
        network.deskew = self.deskew
        return network

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ConfigError(f"unknown training settings: {', '.join(sorted(unknown))}")
        d = dict(d)
        if "hidden" in d:
            try:
                d["hidden"] = tuple(int(h) for h in d["hidden"])
            except (TypeError, ValueError):
                raise ConfigError(
                    f"hidden layers must be whole numbers, got {d['hidden']!r}"
                ) from None
        return replace(cls(), **d)


# The notes' preset is called "seed" (the network the project grew from; users type
# --preset seed). It has nothing to do with TrainConfig.seed, the random seed.
NOTES_PRESET = "seed"

PRESETS: dict[str, TrainConfig] = {
    # The owner's notes: 784-128-128-10 sigmoid neurons, quadratic cost, the plain update rule
    # w ← w − (α/m)Σ∇w with mini-batches of 10 and α = 3.0. Weights start scaled by 1/√fan_in
    # (see docs/math.md: with the notes' N(0, 1) the 784-input layer starts saturated).
    NOTES_PRESET: TrainConfig(),
    # The best configuration found for the same 784-128-128-10 shape (see docs/math.md).
    "default": TrainConfig(
        activation="relu",
        cost="cross_entropy",
        optimizer="adam",
        learning_rate=2e-3,
        batch_size=128,
        epochs=15,
        l2=1e-4,
        schedule="cosine",
        augment=True,
        deskew=True,
    ),
}
PRESET_HELP = {
    NOTES_PRESET: "the notes: sigmoid, quadratic cost, SGD, batch 10, α = 3.0",
    "default": "ReLU, softmax + cross-entropy, Adam, batch 128, cosine schedule, augmentation, "
               "deskewing",
}


def preset(name: str, **overrides) -> TrainConfig:
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return replace(PRESETS[name], **overrides)


def continue_problem(network: Network, config: TrainConfig) -> str | None:
    """Why training with ``config`` cannot go on from ``network``'s weights, or None: the
    layer sizes, the activation and the cost must be the config's."""
    if (network.sizes == list(config.sizes) and network.activation.name == config.activation
            and network.cost.name == config.cost):
        return None
    return (f"the network ({network.describe()}) does not match the settings "
            f"({'-'.join(map(str, config.sizes))} {config.activation}, {config.cost} cost)")


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    epoch: int  # 1-based
    epochs: int
    batch: int  # batches done in this epoch
    batches: int  # batches per epoch
    cost: float  # mean cost per example over the batches since the last report
    examples: int  # examples seen since the run started
    elapsed: float  # seconds of training, pauses excluded


@dataclass(frozen=True)
class EpochProgress:
    epoch: int
    epochs: int
    train_cost: float
    train_accuracy: float
    val_cost: float | None
    val_accuracy: float | None
    learning_rate: float
    elapsed: float
    eta: float  # seconds left at the mean epoch time so far


@dataclass(frozen=True)
class TrainResult:
    history: tuple[EpochProgress, ...]
    stopped: bool  # True when Stop ended the run early
    elapsed: float
    epochs_completed: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "epochs_completed", len(self.history))


class TrainControl:
    """Stop and Pause flags the loop checks between batches (thread-safe)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def checks(self) -> tuple[Callable[[], bool], Callable[[], bool]]:
        """(stopped, running): the flags' own checks, the cheapest a loop can call per batch."""
        return self._stop.is_set, self._running.is_set

    def share(self, context) -> None:
        """Swap in flags made by the multiprocessing ``context``, in the same state, so that a
        child process forked afterwards sees Stop and Pause."""
        stop, running = context.Event(), context.Event()
        if self._stop.is_set():
            stop.set()
        if self._running.is_set():
            running.set()
        self._stop, self._running = stop, running

    def wait_while_paused(self) -> float:
        """Block while paused; return the seconds spent waiting."""
        if self._running.is_set():
            return 0.0
        t0 = time.perf_counter()
        self._running.wait()
        return time.perf_counter() - t0


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
    """``evaluate`` on images already as the network reads them."""
    total_cost, correct = 0.0, 0
    for i in range(0, len(labels), chunk):
        X = as_inputs(images[i : i + chunk], network.dtype)
        y = np.asarray(labels[i : i + chunk])
        Y = one_hot(y, network.dtype)
        zs, acts = network.forward(X)
        total_cost += network.cost.value(zs[-1], acts[-1], Y)
        correct += int(np.count_nonzero(np.argmax(acts[-1], axis=1) == y))
    n = max(len(labels), 1)
    return total_cost / n, correct / n


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
        self.Y = one_hot(np.asarray(train_set.labels), network.dtype)
        self.metric_rows = np.sort(self.rng.permutation(n)[: min(n, TRAIN_METRIC_SIZE)])
        self.optimizer = make_optimizer(config.optimizer, config.learning_rate, config.l2, **{
            k: getattr(config, k) for k in OPTIMIZERS[config.optimizer].hyperparameters})
        self.step = TrainStep(network, self.optimizer)
        self.batches = None if config.augment else Batches(
            self.train_set.images().reshape(n, -1), config.batch_size, network.dtype)
        self.cost_limit = math.inf
        self.examples = 0
        self.paused_for = 0.0

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
        cost_sum, cost_n, last_report = 0.0, 0, -math.inf
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
            cost_sum += cost
            cost_n += mb
            now = clock()
            if now - last_report >= self.progress_interval:
                last_report = now
                self.report(BatchProgress(epoch, self.config.epochs, k + 1, batches,
                                          cost_sum / cost_n, self.examples, self.elapsed()))
                cost_sum, cost_n = 0.0, 0

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
