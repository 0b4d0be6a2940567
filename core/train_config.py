"""The settings of a training run: ``TrainConfig`` (checked where it is made: one that exists is
valid), the named presets (``seed``, the notes' network; ``default``, the best found) and whether
a network can go on training under a config.

``config.sizes`` is the layer sizes, 784 inputs first and 10 outputs last.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np

from .errors import ConfigError
from .inits import INITS
from .network import MAX_UNITS, Network
from .optimizers import OPTIMIZERS
from .rows import N_CLASSES, N_INPUTS
from .schedules import SCHEDULES


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
    # generated non-digits added to the training rows, as a share of the training digits, each
    # with the uniform target; the model then says "not a digit" (core.outliers)
    nondigits: float = 0.0
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
        if not (isinstance(self.nondigits, int | float) and math.isfinite(self.nondigits)
                and 0 <= self.nondigits <= 1):
            raise bad(f"non-digits must be a share of the training digits in [0, 1], got "
                      f"{self.nondigits!r}")
        if self.nondigits and self.cost != "cross_entropy":
            raise bad("non-digit examples need the cross-entropy (softmax) cost: their target "
                      "is the uniform distribution over the ten digits")
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
