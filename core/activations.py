"""Activation functions, each a function with its derivative.

Arrays are batches of rows: ``z.shape == (N, units)``. ``prime(z, a)`` takes both the weighted
input ``z`` and the activation ``a = fn(z)`` so that each derivative can use whichever is
cheaper (σ′(z) = a(1 − a) needs no second exponential).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


@dataclass(frozen=True)
class Activation:
    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray, np.ndarray], np.ndarray]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed as ½(1 + tanh(z/2)).

    The two are equal; the tanh form never overflows for large |z| and takes three cheap
    NumPy calls, which matters at the notes' mini-batches of 10.
    """
    a = np.tanh(z * 0.5)
    a += 1.0
    a *= 0.5
    return a


def sigmoid_prime(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """σ′(z) = σ(z)(1 − σ(z))."""
    return a * (1.0 - a)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z)


def tanh_prime(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """tanh′(z) = 1 − tanh²(z)."""
    return 1.0 - a * a


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_prime(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """ReLU′(z) = 1 where z > 0, else 0 (0 at the kink)."""
    return (z > 0).astype(z.dtype)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ConfigError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
