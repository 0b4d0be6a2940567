"""One training run, the same for the command line and the window.

``train_run(config, data, network)`` holds out the validation split, trains (``training.train``),
evaluates on the test split, takes the checksum of the training data and gathers the metrics a
model file keeps, and hands all of it back as one ``RunOutcome``. ``ffn train`` prints from it
and the window's worker emits it, so a model trained either way carries the same header.

``data`` is an ``MnistData`` (train, test, source) or a bare ``Dataset`` (no test split).
``extra`` is a ``Dataset`` mixed into the training part after the validation split (the
validation and test splits stay MNIST's), e.g. a user's own digits. With ``config.nondigits``
the generated non-digits of ``outliers.nondigit_set`` are mixed in the same way (that share of
the training digits, ``extra`` included), and the trained network gets the rejection rule
``outliers.calibrated_rule`` sets (without, a network's rule is dropped: it held for weights
that have changed).

The digits are prepared (deskewed, pen-redrawn) as ``prepare.Prepared`` says: row by row as the
first epoch reaches them, kept in the user's cache folder (``cache`` True, the default) keyed
by the training data's checksum and the recipe, so a run starts training at once whether the
cache is cold or warm, and gives the same bits either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .data import Dataset
from .errors import ConfigError
from .network import Network
from .outliers import calibrated_rule, nondigit_set
from .prepare import Part, Prepared, cache_folder
from .training import (
    BatchProgress,
    EpochProgress,
    TrainConfig,
    TrainControl,
    TrainResult,
    continue_problem,
    evaluate,
    mnist_problem,
    train,
)

__all__ = ["RunOutcome", "continue_problem", "mnist_problem", "run_metrics", "split",
           "split_rows", "train_run"]


@dataclass(frozen=True)
class RunOutcome:
    """What a finished (or stopped) run leaves: the trained network and what is known of it."""

    network: Network
    config: TrainConfig
    result: TrainResult
    test_cost: float | None
    test_accuracy: float | None
    data_source: str
    data_checksum: str | None
    metrics: dict = field(default_factory=dict)  # what a model file's header keeps


def split(config: TrainConfig, data) -> tuple[Dataset, Dataset | None]:
    """The (train, validation) parts of ``data``'s training split that ``config`` asks for
    (validation None when ``config.validation`` is 0); the same split for the same seed."""
    train_all = getattr(data, "train", data)
    if not config.validation:
        return train_all, None
    return train_all.split(config.validation, np.random.default_rng([config.seed, 2]))


def split_rows(config: TrainConfig, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The rows of ``split``'s (train, validation) parts of a training split of ``n``."""
    if not config.validation:
        return np.arange(n), None
    return Dataset.split_rows(n, config.validation, np.random.default_rng([config.seed, 2]))


def train_run(
    config: TrainConfig,
    data,
    network: Network | None = None,
    *,
    extra: Dataset | None = None,
    on_progress: Callable[[BatchProgress | EpochProgress], None] | None = None,
    control: TrainControl | None = None,
    progress_interval: float = 0.25,
    cache: bool = True,
) -> RunOutcome:
    """Train ``network`` in place (default: a fresh one from ``config``) on ``data``.

    A given network must fit the config (``continue_problem``); ``ConfigError`` otherwise.
    Progress and Stop/Pause are ``training.train``'s. ``TrainingDiverged`` propagates.
    ``cache=False`` neither reads nor writes the prepared digits' cache file."""
    train_all = getattr(data, "train", data)
    config.validate(n_examples=len(train_all))
    if network is None:
        network = config.make_network()
    problem = mnist_problem(network) or continue_problem(network, config)
    if problem:
        raise ConfigError(f"cannot train: {problem}")
    train_rows, valid_rows = split_rows(config, len(train_all))
    trained_on = train_all  # the examples, the validation part's among them
    for more in (extra, nondigit_set(config, len(train_rows) + len(extra or ()))):
        if more is not None and len(more):
            train_rows = np.concatenate([train_rows, len(trained_on) + np.arange(len(more))])
            trained_on = _mixed(trained_on, more)
    checksum = trained_on.checksum()
    prepared = Prepared(trained_on.images, trained_on.labels, deskewed=config.deskew,
                        pens=config.augment, checksum=checksum,
                        folder=cache_folder() if cache else None)
    valid_set = None if valid_rows is None else Part(prepared, valid_rows)
    train_part = Part(prepared, train_rows)
    result = train(network, config, train_part, valid_set, on_progress=on_progress,
                   control=control, progress_interval=progress_interval)
    # a rule holds for the weights it was calibrated on: a run without non-digits drops it
    network.reject = calibrated_rule(network, train_part, config) if config.nondigits else None
    test_cost = test_accuracy = None
    test_set = getattr(data, "test", None)
    if test_set is not None and test_set.labels is not None and len(test_set):
        test_cost, test_accuracy = evaluate(network, test_set.images, test_set.labels)
    source = str(getattr(data, "source", "") or getattr(train_all, "source", ""))
    return RunOutcome(network, config, result, test_cost, test_accuracy, source, checksum,
                      run_metrics(result, test_cost, test_accuracy))


def run_metrics(result: TrainResult, test_cost: float | None,
                test_accuracy: float | None) -> dict:
    """The metrics of a run, always the same keys (None where there is nothing to say)."""
    last = result.history[-1] if result.history else None
    return {
        "epochs": result.epochs_completed,
        "stopped": result.stopped,
        "seconds": round(result.elapsed, 2),
        "train_accuracy": last.train_accuracy if last else None,
        "val_accuracy": last.val_accuracy if last else None,
        "test_cost": test_cost,
        "test_accuracy": test_accuracy,
    }


def _mixed(first: Dataset, second: Dataset) -> Dataset:
    if first.labels is None or second.labels is None:
        raise ConfigError("only labelled examples can be trained on")
    return Dataset(np.concatenate([first.images, second.images]),
                   np.concatenate([first.labels, second.labels]),
                   f"{first.source} + {second.source}", first.not_a_digit or second.not_a_digit)
