"""Optimisers: how a mini-batch's summed gradients move the parameters.

``step(params, grads, m)`` takes the parameter arrays (w0, b0, w1, b1, ...; updated in place),
the gradients summed over a mini-batch of m examples, in the same order, and may overwrite the
gradient arrays (they are scratch). ``learning_rate`` can be changed between steps (schedules).

- ``SGD`` is the notes' rule  w ← w − (α/m) Σ∇w  (full-batch gradient descent when the batch is
  the whole training set).
- ``Momentum``: v ← μv − (α/m) Σ∇w;  w ← w + v.
- ``Adam`` (Kingma & Ba): bias-corrected running means of the gradient and its square.

L2 weight decay λ (weights only, never biases) multiplies each weight by (1 − αλ) before the
step: for SGD that is exactly the gradient of (λ/2)‖w‖² added to the mean cost; for Adam it is
the decoupled form (AdamW), which is what makes decay work with adaptive steps.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ConfigError


class Optimizer:
    def __init__(self, learning_rate: float, l2: float = 0.0) -> None:
        self.learning_rate = float(learning_rate)
        self.l2 = float(l2)

    def _decay(self, params: list[np.ndarray]) -> None:
        if self.l2:
            keep = 1.0 - self.learning_rate * self.l2
            for w in params[0::2]:
                w *= keep

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], m: int) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    name = "sgd"

    def step(self, params, grads, m):
        self._decay(params)
        scale = -self.learning_rate / m
        for p, g in zip(params, grads):
            g *= scale
            p += g


class Momentum(Optimizer):
    name = "momentum"

    def __init__(self, learning_rate: float, l2: float = 0.0, momentum: float = 0.9) -> None:
        super().__init__(learning_rate, l2)
        self.momentum = float(momentum)
        self.velocity: list[np.ndarray] | None = None

    def step(self, params, grads, m):
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        self._decay(params)
        scale = -self.learning_rate / m
        for p, g, v in zip(params, grads, self.velocity):
            v *= self.momentum
            g *= scale
            v += g
            p += v


class Adam(Optimizer):
    name = "adam"

    def __init__(
        self,
        learning_rate: float,
        l2: float = 0.0,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ) -> None:
        super().__init__(learning_rate, l2)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m1: list[np.ndarray] | None = None
        self.m2: list[np.ndarray] | None = None

    def step(self, params, grads, m):
        if self.m1 is None:
            self.m1 = [np.zeros_like(p) for p in params]
            self.m2 = [np.zeros_like(p) for p in params]
        self._decay(params)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Bias corrections folded into the step size and epsilon (Kingma & Ba, section 2).
        step = self.learning_rate * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        eps = self.eps * math.sqrt(1 - b2**self.t)
        for p, g, m1, m2 in zip(params, grads, self.m1, self.m2):
            g *= 1.0 / m  # the mean gradient
            m1 *= b1
            m1 += (1 - b1) * g
            m2 *= b2
            g *= g
            g *= 1 - b2
            m2 += g
            np.sqrt(m2, out=g)
            g += eps
            np.divide(m1, g, out=g)
            g *= -step
            p += g


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, learning_rate: float, l2: float = 0.0, momentum: float = 0.9):
    if name not in OPTIMIZERS:
        raise ConfigError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    if name == "momentum":
        return Momentum(learning_rate, l2, momentum)
    return OPTIMIZERS[name](learning_rate, l2)
