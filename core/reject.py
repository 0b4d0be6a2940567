"""Saying "not a digit": a score over the network's outputs and the threshold below which a
drawing is not read as a digit at all.

A score is a function of the output layer's weighted inputs ``z`` (N, 10), higher for a drawing
that looks more like the digits the network learned (``SCORES``):

    max_probability   max_j softmax(z)_j                   (Hendrycks and Gimpel 2017)
    energy            log Σ_j exp(z_j), the negated free energy (Liu et al. 2020)
    margin            the largest probability minus the second largest

A ``RejectRule`` (a score's name and ``below``) is part of a model: ``model_io`` keeps it in the
header, the loaded network carries it (``network.reject``), and ``read(network, x)`` is the one
place that applies it, for ``ffn predict`` as for the window. A network without a rule reads
every drawing as a digit, as before. ``calibrate`` chooses ``below`` so that a given share of
some digits falls under it.

Shapes: ``x`` is one input as the network reads it, (28, 28) or (784,), or None (nothing drawn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .costs import softmax
from .errors import ConfigError
from .preprocess import INK_THRESHOLD


def max_probability(z: np.ndarray) -> np.ndarray:
    return softmax(np.asarray(z, np.float64)).max(axis=1)


def energy(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, np.float64)
    top = z.max(axis=1)
    return top + np.log(np.exp(z - top[:, None]).sum(axis=1))


def margin(z: np.ndarray) -> np.ndarray:
    p = np.sort(softmax(np.asarray(z, np.float64)), axis=1)
    return p[:, -1] - p[:, -2]


SCORES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "max_probability": max_probability,
    "energy": energy,
    "margin": margin,
}


@dataclass(frozen=True)
class RejectRule:
    """Read a drawing as "not a digit" when ``score`` of the outputs is below ``below``."""

    score: str
    below: float

    def __post_init__(self) -> None:
        if self.score not in SCORES:
            raise ConfigError(f"unknown rejection score {self.score!r}; choose one of "
                              f"{', '.join(SCORES)}")
        if not (isinstance(self.below, int | float) and np.isfinite(self.below)):
            raise ConfigError(f"the rejection threshold must be a finite number, got "
                              f"{self.below!r}")

    def rejects(self, z: np.ndarray) -> np.ndarray:
        """(N,) bool: which rows of outputs ``z`` (N, 10) are not digits."""
        return SCORES[self.score](z) < self.below

    def to_dict(self) -> dict:
        return {"score": self.score, "below": float(self.below)}

    @classmethod
    def from_dict(cls, d) -> RejectRule:
        if not isinstance(d, dict) or set(d) != {"score", "below"}:
            raise ConfigError(f"a rejection rule is {{'score': ..., 'below': ...}}, got {d!r}")
        return cls(d["score"], d["below"])


def read(network, x: np.ndarray | None) -> int | None:
    """The digit ``network`` reads in the input ``x``, or None: for no input, an input with no
    ink, or one its rejection rule (``network.reject``, if any) says is not a digit."""
    return judge(network, x)[0]


def judge(network, x: np.ndarray | None) -> tuple[int | None, float | None]:
    """(``read``'s answer, the score of the network's rule for ``x``): the score says why a
    drawing is "not a digit" (it is below ``network.reject.below``); None without a rule or
    an input."""
    if x is None:
        return None, None
    row = np.asarray(x, network.dtype).reshape(1, -1)
    if not (row > INK_THRESHOLD).any():
        return None, None
    zs, _ = network.forward(row)
    rule = getattr(network, "reject", None)
    if rule is None:
        return int(np.argmax(zs[-1][0])), None
    score = float(SCORES[rule.score](zs[-1])[0])
    return (None if score < rule.below else int(np.argmax(zs[-1][0]))), score


def calibrate(network, rows: np.ndarray, score: str, rate: float) -> RejectRule:
    """The rule on ``score`` whose threshold rejects at most ``rate`` of ``rows`` ((N, 784)
    inputs as the network reads them: digits): the largest such threshold."""
    if not 0 <= rate < 1:
        raise ConfigError(f"the share of digits to reject must be in [0, 1), got {rate}")
    zs, _ = network.forward(rows)
    s = np.sort(SCORES[score](zs[-1]))
    k = int(np.floor(rate * len(s)))
    return RejectRule(score, float(s[min(k, len(s) - 1)]))
