"""Cost functions: each a small object with its value and its output-layer error δᴸ.

Batches are rows: ``a.shape == y.shape == (N, 10)``; ``y`` is one-hot. Values are summed over
the batch (divide by N for the mean). Swapping the cost never touches backprop.

- ``QuadraticCost`` (the notes): C = ½‖y − aᴸ‖², sigmoid output layer,
  δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)                                   (BP1)
- ``CrossEntropyCost``: softmax output layer and C = −Σ y ln aᴸ, for which δᴸ = aᴸ − y.
  The softmax and its logarithm subtract the row maximum, so no input overflows.
- ``SigmoidCrossEntropyCost`` (Nielsen's chapter 3, ``network2.py``): the notes' sigmoid outputs
  and C = −Σ [y ln aᴸ + (1 − y) ln(1 − aᴸ)], for which σ′ cancels and δᴸ = aᴸ − y. It is not
  registered (training offers softmax + cross-entropy): the backprop view's *What if the cost
  were cross-entropy?* asks it about a sigmoid network's own zᴸ (``core.lesson``).

A cost is a class with ``name``, ``label`` and ``tooltip`` (what the window and ``ffn train
--help`` show), ``outputs_probabilities`` (its outputs sum to 1) and the static methods
``output``, ``value``, ``delta`` and ``fused`` (aᴸ, C and δᴸ from one pass, for the training
step). ``register_cost`` adds one; nothing else needs editing.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid, sigmoid_prime
from .errors import ConfigError


class QuadraticCost:
    name = "quadratic"
    label = "quadratic"
    tooltip = ("The notes' ½‖a − y‖² on sigmoid outputs. It learns slowly when an output is "
               "confidently wrong.")
    outputs_probabilities = False

    @staticmethod
    def output(z: np.ndarray) -> np.ndarray:
        """The output layer's activation aᴸ = σ(zᴸ)."""
        return sigmoid(z)

    @staticmethod
    def value(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """Σ over the batch of ½‖y − aᴸ‖²."""
        diff = (a - y).ravel()
        return 0.5 * float(np.dot(diff, diff))

    @staticmethod
    def delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """BP1: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)."""
        return (a - y) * sigmoid_prime(z, a)

    @staticmethod
    def fused(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """(aᴸ, summed cost, δᴸ) at once, sharing aᴸ − y: the training step's hot path."""
        a = sigmoid(z)
        diff = a - y
        cost = 0.5 * float(np.vdot(diff, diff))
        s = 1.0 - a
        s *= a
        diff *= s
        return a, cost, diff


def log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


class CrossEntropyCost:
    name = "cross_entropy"
    label = "cross-entropy (softmax)"
    tooltip = ("−Σ y ln a on softmax outputs: a large gradient exactly when an output is "
               "confidently wrong, and outputs that are probabilities.")
    outputs_probabilities = True

    @staticmethod
    def output(z: np.ndarray) -> np.ndarray:
        """The output layer's activation aᴸ = softmax(zᴸ)."""
        return softmax(z)

    @staticmethod
    def value(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """Σ over the batch of −Σⱼ yⱼ ln aⱼᴸ, from log-softmax (never log(0))."""
        return -float(np.sum(y * log_softmax(z)))

    @staticmethod
    def delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δᴸ = ∂C/∂zᴸ = aᴸ − y for softmax with cross-entropy."""
        return a - y

    @staticmethod
    def fused(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """(aᴸ, summed cost, δᴸ) at once: one log-softmax gives both aᴸ = e^(log-softmax)
        and the cost."""
        ls = z - z.max(axis=1, keepdims=True)
        ls -= np.log(np.exp(ls).sum(axis=1, keepdims=True))
        cost = -float(np.vdot(y, ls))
        a = np.exp(ls)
        return a, cost, a - y


class SigmoidCrossEntropyCost:
    name = "sigmoid_cross_entropy"
    label = "cross-entropy (sigmoid)"
    tooltip = "−Σ [y ln a + (1 − y) ln(1 − a)] on sigmoid outputs (Nielsen, chapter 3)."
    outputs_probabilities = False

    @staticmethod
    def output(z: np.ndarray) -> np.ndarray:
        """The output layer's activation aᴸ = σ(zᴸ), as for the quadratic cost."""
        return sigmoid(z)

    @staticmethod
    def value(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """Σ over the batch of −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], from zᴸ: ln σ(z) is
        −softplus(−z) and ln(1 − σ(z)) is −softplus(z) (never log(0))."""
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))

    @staticmethod
    def delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """δᴸ = ∂C/∂zᴸ = aᴸ − y: the σ′(zᴸ) of ∂a/∂z cancels against ∂C/∂a."""
        return a - y

    @staticmethod
    def fused(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """(aᴸ, summed cost, δᴸ) at once."""
        a = sigmoid(z)
        return a, SigmoidCrossEntropyCost.value(z, a, y), a - y


COSTS: dict[str, type] = {}


def register_cost(cost: type) -> type:
    """Make the cost class ``cost`` available everywhere by its ``name``; usable as a class
    decorator."""
    COSTS[cost.name] = cost
    return cost


register_cost(QuadraticCost)
register_cost(CrossEntropyCost)


def get_cost(name: str):
    try:
        return COSTS[name]
    except KeyError:
        raise ConfigError(f"unknown cost {name!r}; choose one of {', '.join(COSTS)}") from None
