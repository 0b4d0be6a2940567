"""Optimisers: how a mini-batch's summed gradients move the parameters.

Each optimiser writes its rule once, ``rule(g, *state)``: the gradient ``g``, already
multiplied by ``grad_scale(m)`` (m: the examples in the mini-batch, whose gradients were
summed), becomes the change of the parameters; ``state`` is the optimiser's ``slots`` arrays
for the same numbers (velocity, moments), kept between steps; ``g`` is scratch. The base class
applies the rule in one of two places (tinygrad's ``nn/optim.py`` does the same):

- ``step(params, grads, m)``: per array, after ``Network.backprop``. ``params`` are w0, b0, w1,
  b1, ... (updated in place), ``grads`` the summed gradients in the same order.
- ``apply_flat``: once over the fused step's flat buffer of every parameter (``core/step.py``),
  whose gradients come out already multiplied by ``grad_scale(m)`` (the factor is folded into
  δᴸ). A rule that treats each number alone (all of these) may run there (``fused = True``).

Both count the step first (``start_step``: ``t`` = 1 at the first; Adam's bias correction uses
it), then apply L2 weight decay λ (weights only, never biases): each weight is multiplied by
(1 − αλ) and the rule's change is added. For SGD that is exactly the gradient of (λ/2)‖w‖²
added to the mean cost; for momentum and Adam it is the decoupled form (Loshchilov & Hutter's
SGDW and AdamW), which is what makes decay work with adaptive steps.

- ``SGD`` is the notes' rule  w ← w − (α/m) Σ∇w  (full-batch gradient descent when the batch is
  the whole training set).
- ``Momentum``: v ← μv − (α/m) Σ∇w;  w ← w + v.
- ``Adam`` (Kingma & Ba): bias-corrected running means of the gradient and its square.

An optimiser is a class with ``name``, ``label``, ``tooltip`` (what the window and ``ffn train
--help`` show), ``hyperparameters`` (the ``TrainConfig`` fields its constructor takes, beyond
the learning rate and L2), ``slots``, ``grad_scale`` and ``rule``; ``learning_rate`` can be
changed between steps (schedules). ``register_optimizer`` adds one; nothing else needs editing.
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
    slots = 0  # state arrays the rule keeps, each the shape of the parameters
    fused = True  # the rule treats each number alone: it may run over the fused flat buffer
    stateless = False  # the rule returns the scaled gradient itself (plain SGD)

    def __init__(self, learning_rate: float, l2: float = 0.0) -> None:
        self.learning_rate = float(learning_rate)
        self.l2 = float(l2)
        self.t = 0  # steps taken
        self.state: list[tuple[np.ndarray, ...]] = []  # per parameter array, or one: flat

    def grad_scale(self, m: int) -> float:
        """The factor the gradients summed over m examples are multiplied by before ``rule``."""
        return -self.learning_rate / m

    def rule(self, g: np.ndarray, *state: np.ndarray) -> np.ndarray:
        """The change of the parameters from their scaled gradient ``g`` (scratch)."""
        raise NotImplementedError

    def start_step(self) -> None:
        """Count the step about to be applied: ``t`` is 1 during the first."""
        self.t += 1

    def _state(self, arrays: list[np.ndarray]) -> list[tuple[np.ndarray, ...]]:
        if not self.state:
            self.state = [tuple(np.zeros_like(a) for _ in range(self.slots)) for a in arrays]
        return self.state

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], m: int) -> None:
        """One update per array from the gradients summed over m examples (scratch)."""
        self.start_step()
        scale, keep = self.grad_scale(m), 1.0 - self.learning_rate * self.l2
        for i, (p, g, state) in enumerate(zip(params, grads, self._state(params))):
            g *= scale
            change = self.rule(g, *state)
            if self.l2 and i % 2 == 0:  # a weight, not a bias
                p *= keep
            p += change

    def apply_flat(self, p: np.ndarray, g: np.ndarray, out: np.ndarray, n_weights: int) -> None:
        """The fused step's update: ``out`` ← the flat parameters ``p``, decayed, plus the
        rule's change from their scaled gradient ``g`` (scratch). The first ``n_weights``
        numbers are weights, the rest biases. The caller has called ``start_step``."""
        state = self.state[0] if self.state else self._state([g])[0]
        change = self.rule(g, *state)
        if self.l2:
            k = n_weights
            np.multiply(p[:k], 1.0 - self.learning_rate * self.l2, out=out[:k])
            out[:k] += change[:k]
            np.add(p[k:], change[k:], out=out[k:])
        else:
            np.add(p, change, out=out)


class SGD(Optimizer):
    name = "sgd"
    label = "SGD"
    tooltip = "The notes' rule: w ← w − (α/m)Σ∇w."
    stateless = True

    def rule(self, g, *state):
        return g  # the scaled gradient is the change itself


class Momentum(Optimizer):
    name = "momentum"
    label = "SGD + momentum"
    tooltip = ("Adds a running velocity (μ of the last step carries over), which speeds up "
               "along directions the gradient keeps.")
    hyperparameters = ("momentum",)
    slots = 1

    def __init__(self, learning_rate: float, l2: float = 0.0, momentum: float = 0.9) -> None:
        super().__init__(learning_rate, l2)
        self.momentum = float(momentum)

    def rule(self, g, v):
        v *= self.momentum  # v ← μv − (α/m)Σ∇w
        v += g
        return v


class Adam(Optimizer):
    name = "adam"
    label = "Adam"
    tooltip = ("Scales each weight's step by its gradient history (Kingma & Ba); needs little "
               "tuning, α ≈ 0.001.")
    slots = 2

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

    def grad_scale(self, m: int) -> float:
        return (1.0 - self.beta1) / m  # g = (1 − β₁) ∂C/∂w, the mean gradient's share in m₁

    def rule(self, g, m1, v):
        # Kingma & Ba's m₁ ← β₁m₁ + (1 − β₁)∂C/∂w and m₂ ← β₂m₂ + (1 − β₂)(∂C/∂w)², the step
        # −α m̂₁/(√m̂₂ + ε) with m̂ᵢ = mᵢ/(1 − βᵢᵗ). Kept as v = m₂/c, c = (1 − β₂)/(1 − β₁)², so
        # neither update multiplies by (1 − β); the bias corrections fold into the step size
        # and epsilon (their section 2): −α̂ m₁/(√v + ε̂) with α̂ = α√(1 − β₂ᵗ)/((1 − β₁ᵗ)√c)
        # and ε̂ = ε√(1 − β₂ᵗ)/√c. Nine passes, no temporary.
        b1, b2, t = self.beta1, self.beta2, self.t
        root_c = math.sqrt(1 - b2) / (1 - b1)
        step = self.learning_rate * math.sqrt(1 - b2**t) / (1 - b1**t) / root_c
        eps = self.eps * math.sqrt(1 - b2**t) / root_c
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
