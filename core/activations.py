"""Activation functions, each a function with its derivative, and the registry of them.

Arrays are batches of rows: ``z.shape == (N, units)``. ``prime(z, a)`` takes both the weighted
input ``z`` and the activation ``a = fn(z)`` so that each derivative can use whichever is
cheaper (σ′(z) = a(1 − a) needs no second exponential).

An activation also carries what the rest of the program shows of it: its label and tooltip
(the window's menu, ``ffn train --help``) and its initialisation gain (the "scaled" init draws
weights from N(0, gain/fan_in)). ``register_activation`` adds one; nothing else needs editing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


@dataclass(frozen=True)
class Activation:
    name: str  # as in configs, model files and on the command line
    fn: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray, np.ndarray], np.ndarray]
    label: str = ""  # as the window shows it (default: the name)
    tooltip: str = ""
    gain: float = 1.0  # the "scaled" init's variance is gain / fan_in

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


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


ACTIVATIONS: dict[str, Activation] = {}


def register_activation(activation: Activation) -> Activation:
    """Make ``activation`` available everywhere by its name (configs, models, CLI, window)."""
    ACTIVATIONS[activation.name] = activation
    return activation


register_activation(Activation(
    "sigmoid", sigmoid, sigmoid_prime,
    tooltip="σ(z) = 1/(1 + e^−z), the notes' neuron. It saturates, so its gradients vanish in "
    "deep or large networks."))
register_activation(Activation(
    "tanh", tanh, tanh_prime, tooltip="A sigmoid stretched to (−1, 1), centred on 0."))
register_activation(Activation(
    "relu", relu, relu_prime, label="ReLU", gain=2.0,
    tooltip="max(0, z): keeps gradients alive and usually learns fastest. Its scaled "
    "initialisation is He's, N(0, 2/fan_in)."))


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ConfigError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
