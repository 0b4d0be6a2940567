"""Fine-tuning a trained network on a person's own digits without forgetting MNIST.

A few dozen digits trained on alone would pull the network away from everything else it reads.
So a fine-tune is a short run of the model's own recipe (same cost, optimiser and augmentation)
that *continues* from its weights with a small learning rate, on a mix: ``MNIST_ROWS`` MNIST
training digits drawn at random, and the person's digits repeated until they are about
``MINE_SHARE`` of the mix (each is seen many times, each time augmented differently).

``held_out(labels, rng)`` first sets part of the person's digits aside to measure the fine-tune
on digits it did not train on: a fifth of each digit's examples, for digits with at least
``HOLD_OUT_FROM`` of them. ``ffn train --extra FILE`` mixes a my-digits file into a full run in
the same way (``oversampled``).

A drawing the person labelled "not a digit" (``NOT_A_DIGIT``) is trained on like any row, with
the outlier target (the uniform distribution over the ten outputs, as ``core.outliers`` teaches
generated non-digits). A model without a rejection rule then gets one: the fine-tune mixes in
``NONDIGITS`` × its rows of generated non-digits and calibrates the rule as ``ffn train
--nondigits`` does. A cost that has no such target (the quadratic cost of the ``seed`` preset,
the notes' network) cannot learn them: ``plan_fine_tune`` leaves them out and says how many.

Shapes as in core.data: images uint8 (N, 28, 28), labels uint8 (N,).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .data import Dataset, MnistData
from .errors import ConfigError
from .network import Network
from .rows import NOT_A_DIGIT, as_inputs
from .train_config import PRESETS, TrainConfig

MNIST_ROWS = 30_000  # with 12,000 the bundled model lost 0.44 points of MNIST; 30,000: 0.14
MINE_SHARE = 0.2
HOLD_OUT_FROM = 5
EPOCHS = 3
LEARNING_RATE_SCALE = 0.1  # of the recipe's own learning rate
NONDIGITS = 0.01  # generated non-digits mixed in when "not a digit" drawings give a model a rule


def held_out(labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(rows to train on, rows held out): a fifth of each label's rows (a digit's, or "not a
    digit"), for labels with at least HOLD_OUT_FROM examples; nothing held out of the others."""
    labels = np.asarray(labels)
    keep, hold = [], []
    for d in range(NOT_A_DIGIT + 1):
        rows = rng.permutation(np.flatnonzero(labels == d))
        k = len(rows) // 5 if len(rows) >= HOLD_OUT_FROM else 0
        hold.append(rows[:k])
        keep.append(rows[k:])
    return np.sort(np.concatenate(keep)).astype(np.intp), np.sort(np.concatenate(hold)).astype(
        np.intp)


def oversampled(mine: Dataset, n_other: int, rng: np.random.Generator,
                share: float | None = None) -> Dataset:
    """``mine`` repeated (whole copies, then a random part) to about ``share`` (default
    MINE_SHARE) of a mix with ``n_other`` other examples; at least once each."""
    share = MINE_SHARE if share is None else share
    n = len(mine)
    if n == 0:
        return mine
    want = max(n, int(round(share / (1 - share) * n_other)))
    rows = np.concatenate([np.tile(np.arange(n), want // n), rng.choice(n, want % n, False)])
    return Dataset(np.ascontiguousarray(mine.images[rows]),
                   np.ascontiguousarray(mine.labels[rows]), mine.source, mine.not_a_digit)


def recipe_of(network: Network, config: TrainConfig | None) -> TrainConfig:
    """The config a network was trained with, or the default preset's shaped like it."""
    if config is not None and config.sizes == network.sizes and (
            config.activation, config.cost) == (network.activation.name, network.cost.name):
        return config
    base = PRESETS["default"]
    return replace(base, hidden=tuple(network.sizes[1:-1]), activation=network.activation.name,
                   cost=network.cost.name)


def fine_tune_config(network: Network, config: TrainConfig | None = None, *,
                     epochs: int = EPOCHS, seed: int = 0,
                     nondigits: bool = False) -> TrainConfig:
    """A short run of the network's own recipe at a tenth of its learning rate, no
    validation split (the held-out digits and MNIST's test split measure it). With
    ``nondigits`` (the person's "not a digit" drawings are in the mix) a recipe without
    generated non-digits gets ``NONDIGITS`` of them, and so a rejection rule."""
    recipe = recipe_of(network, config)
    share = NONDIGITS if nondigits and not recipe.nondigits else recipe.nondigits
    return replace(recipe, epochs=epochs, learning_rate=recipe.learning_rate *
                   LEARNING_RATE_SCALE, validation=0, seed=seed, schedule="cosine",
                   batch_size=min(recipe.batch_size, 64), nondigits=share)


def fine_tune_data(mnist: MnistData, mine: Dataset, rng: np.random.Generator,
                   mnist_rows: int = MNIST_ROWS) -> MnistData:
    """The mix to fine-tune on: ``mnist_rows`` random MNIST training digits plus ``mine``
    oversampled; MNIST's test split kept as the test split."""
    if mine.labels is None or not len(mine):
        raise ConfigError("there are no digits of your own to fine-tune on: label some first")
    train_all = mnist.train
    rows = np.sort(rng.choice(len(train_all), min(mnist_rows, len(train_all)), replace=False))
    extra = oversampled(mine, len(rows), rng)
    images = np.concatenate([train_all.images[rows], extra.images])
    labels = np.concatenate([train_all.labels[rows], extra.labels])
    return MnistData(Dataset(images, labels, f"{len(rows):,} MNIST + {len(mine)} of my digits",
                             mine.not_a_digit), mnist.test, mnist.source)


@dataclass(frozen=True)
class FineTunePlan:
    """What a fine-tune trains on and how it is measured."""

    config: TrainConfig
    data: MnistData  # the mix, with MNIST's test split
    trained_on: Dataset  # my digits in the mix
    held_out: Dataset | None  # my digits set aside (None when too few)
    left_out: int = 0  # "not a digit" drawings the network's cost cannot learn


def plan_fine_tune(network: Network, config: TrainConfig | None, mnist: MnistData,
                   mine: Dataset, *, seed: int = 0, mnist_rows: int = MNIST_ROWS) -> FineTunePlan:
    """Hold part of ``mine`` out, mix the rest with MNIST, and pick the run's config ("not a
    digit" drawings left out for a cost without a target for them)."""
    others = mine.labels == NOT_A_DIGIT
    left_out = 0
    if others.any() and network.cost.name != "cross_entropy":
        left_out = int(others.sum())
        mine = Dataset(mine.images[~others], mine.labels[~others], mine.source)
        others = others[~others]
    rng = np.random.default_rng([seed, 11])
    keep, hold = held_out(mine.labels, rng)
    trained_on = Dataset(np.ascontiguousarray(mine.images[keep]),
                         np.ascontiguousarray(mine.labels[keep]), "my digits", mine.not_a_digit)
    held = None if not len(hold) else Dataset(np.ascontiguousarray(mine.images[hold]),
                                              np.ascontiguousarray(mine.labels[hold]),
                                              "my digits (held out)", mine.not_a_digit)
    data = fine_tune_data(mnist, trained_on, rng, mnist_rows)
    config = fine_tune_config(network, config, seed=seed, nondigits=bool(others.any()))
    return FineTunePlan(config, data, trained_on, held, left_out)


def accuracy(network: Network, dataset: Dataset | None, *, rule: bool = False) -> float | None:
    """The share of ``dataset`` that ``network`` reads right (None for no data). With ``rule``
    it reads as the window does: a drawing its rejection rule rejects is read as "not a digit"
    (right for a ``NOT_A_DIGIT`` row, wrong for a digit); without, it names a digit for each."""
    if dataset is None or dataset.labels is None or not len(dataset):
        return None
    from .preprocess import as_read_by

    x = as_inputs(as_read_by(network, dataset.images), network.dtype)
    z = network.forward(x)[0][-1]
    read = np.argmax(z, axis=1)
    if rule and network.reject is not None:
        read[network.reject.rejects(z)] = NOT_A_DIGIT
    return float((read == dataset.labels).mean())


@dataclass(frozen=True)
class FineTuneReport:
    """Before and after: on the held-out digits of my own, and on MNIST's test set."""

    trained_on: int  # my digits trained on
    held_out: int  # my digits set aside
    held_before: float | None
    held_after: float | None
    mnist_before: float | None
    mnist_after: float | None
    seconds: float
    stopped: bool = False
    left_out: int = 0  # "not a digit" drawings left out (the cost cannot learn them)

    def describe(self) -> str:
        def pct(a: float | None) -> str:
            return "–" if a is None else f"{a:.1%}"

        held = (f"your {self.held_out} held-out digits: {pct(self.held_before)} → "
                f"{pct(self.held_after)}" if self.held_out else
                "too few digits to hold any out (5 of a digit are needed)")
        return (f"Fine-tuned on {self.trained_on} of your digits in {self.seconds:.1f} s"
                f"{' (stopped)' if self.stopped else ''}. Accuracy on {held}; on the MNIST "
                f"test set: {pct(self.mnist_before)} → {pct(self.mnist_after)}.{self._left_out()}")

    def _left_out(self) -> str:
        if not self.left_out:
            return ""
        n = self.left_out
        return (f" Your {n} “not a digit” {'drawing was' if n == 1 else 'drawings were'} left "
                "out: this model's quadratic cost has no target for such drawings (the "
                "cross-entropy cost has: train a model with it to teach them).")
