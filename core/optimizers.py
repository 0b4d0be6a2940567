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

An optimiser is a class with ``name``, ``label``, ``tooltip`` (what the window and ``ffn train
--help`` show), ``hyperparameters`` (the ``TrainConfig`` fields its constructor takes, beyond
the learning rate and L2) and ``step``, the readable update. It may also give the fused step
(``core/step.py``) its form of the update: ``fused_scale(m)``, the factor δᴸ is multiplied by
so that the gradients come out already scaled, and ``fused_direction(g)``, which turns that
flat scaled gradient into the change of the flat parameters (before L2 decay). Without them
(``fused = False``) the training step runs ``Network.backprop`` and ``step``: slower, the same
training. ``register_optimizer`` adds one; nothing else needs editing.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ConfigError


class Optimizer:
    name = ""
    label = ""
    tooltip = ""
    hyperparameters: tuple[str, ...] = ()  # TrainConfig fields passed to __init__ by name
    fused = False  # has fused_scale and fused_direction
    stateless = False  # the fused change is the scaled gradient itself (plain SGD)

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
    label = "SGD"
    tooltip = "The notes' rule: w ← w − (α/m)Σ∇w."
    fused = stateless = True

    def step(self, params, grads, m):
        self._decay(params)
        scale = -self.learning_rate / m
        for p, g in zip(params, grads):
            g *= scale
            p += g

    def fused_scale(self, m: int) -> float:
        return -self.learning_rate / m  # the gradients come out as the update itself

    def fused_direction(self, g: np.ndarray) -> np.ndarray:
        return g


class Momentum(Optimizer):
    name = "momentum"
    label = "SGD + momentum"
    tooltip = ("Adds a running velocity (μ of the last step carries over), which speeds up "
               "along directions the gradient keeps.")
    hyperparameters = ("momentum",)
    fused = True

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

    def fused_scale(self, m: int) -> float:
        return -self.learning_rate / m

    def fused_direction(self, g: np.ndarray) -> np.ndarray:
        if getattr(self, "_flat_velocity", None) is None:
            self._flat_velocity = np.zeros_like(g)
        v = self._flat_velocity
        v *= self.momentum
        v += g
        return v


class Adam(Optimizer):
    name = "adam"
    label = "Adam"
    tooltip = ("Scales each weight's step by its gradient history (Kingma & Ba); needs little "
               "tuning, α ≈ 0.001.")
    fused = True

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

    def fused_scale(self, m: int) -> float:
        self.t += 1
        return (1.0 - self.beta1) / m  # gradients come out as (1 − β₁) ∂C/∂w

    def fused_direction(self, g: np.ndarray) -> np.ndarray:
        # With g' = (1 − β₁)ḡ and v = m₂/c, c = (1 − β₂)/(1 − β₁)², m₁ ← β₁m₁ + g' and
        # v ← β₂v + g'² need no multiply by (1 − β), and the step −α̂ m₁/(√m₂ + ε̂) is
        # −(α̂/√c) m₁/(√v + ε̂/√c). Nine passes, no temporary.
        if getattr(self, "_flat_m1", None) is None:
            self._flat_m1, self._flat_v = np.zeros_like(g), np.zeros_like(g)
        b1, b2, t = self.beta1, self.beta2, self.t
        root_c = math.sqrt(1 - b2) / (1 - b1)
        step = self.learning_rate * math.sqrt(1 - b2**t) / (1 - b1**t) / root_c
        eps = self.eps * math.sqrt(1 - b2**t) / root_c
        m1, v = self._flat_m1, self._flat_v
        m1 *= b1
        m1 += g
        g *= g
        v *= b2
        v += g
        np.sqrt(v, out=g)
        g += eps
        g *= -1.0 / step
        np.divide(m1, g, out=g)
        return g


OPTIMIZERS: dict[str, type[Optimizer]] = {}


def register_optimizer(cls: type[Optimizer]) -> type[Optimizer]:
    """Make the optimiser class ``cls`` available everywhere by its ``name``; usable as a class
    decorator."""
    OPTIMIZERS[cls.name] = cls
    return cls


for _cls in (SGD, Momentum, Adam):
    register_optimizer(_cls)


def make_optimizer(name: str, learning_rate: float, l2: float = 0.0, **hyperparameters):
    """The optimiser ``name`` with its ``hyperparameters`` (only those it takes are used)."""
    if name not in OPTIMIZERS:
        raise ConfigError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    cls = OPTIMIZERS[name]
    return cls(learning_rate, l2, **{k: hyperparameters[k] for k in cls.hyperparameters
                                     if k in hyperparameters})
