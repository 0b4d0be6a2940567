"""Backprop turned on the input: ∂C/∂x for a target digit k, and steps on the pixels toward k.

Shapes follow core/network.py: one input ``x`` is ``sizes[0]`` values in [0, 1] (a 28×28 image
of any shape with 784 values); a batch is rows, ``X.shape == (N, sizes[0])``, with one target
per row, ``ks.shape == (N,)``. C is the network's own cost for y = one-hot(k), summed over the
rows (each row's gradient is its own: rows do not interact).

In the notes' numbering (layer 1 is the input, a¹ = x; w² feeds layer 2) backprop stops at δ²,
the error of the first hidden layer. One more step of BP2 reaches the pixels; the input has no
z and no σ′, so the step is only the transpose of the first weights:

    ∂C/∂x = (w²)ᵀ δ²                    grad_x = delta2 @ weights[0]          (N, sizes[0])

``nudge`` moves a drawing's pixels (never the weights) down that gradient until the network
reads k. Each step is a projected, L2-normalised gradient step (the L2 form of the iterative
gradient method of Kurakin, Goodfellow & Bengio 2016 and the projected gradient descent of
Madry et al. 2018):

    g  = ∂C/∂x with the pixels that cannot move zeroed (0 told to darken, 1 told to brighten)
    x ← clip(x − size · g / ‖g‖, 0, 1)

Why normalised: ‖∂C/∂x‖ spans orders of magnitude (a saturated sigmoid network's is ~1e-4, a
softmax network's near a decision ~1), so a fixed η either freezes the drawing or throws it
around; a step of fixed length moves the image the same distance every step, which makes the
budget a distance (``budget × size`` in L2) and the animation steady. Why not the sign of g
(FGSM): it changes every pixel by ±size, filling the black background with grey noise; the L2
step spends its length where the gradient is, on strokes a student can see appear and fade.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .network import Network

STEP_SIZE = 0.1  # L2 length of one step (an MNIST digit's own L2 norm is about 9)
BUDGET = 200  # steps at most: the drawing moves at most 20 in L2


def _rows(network: Network, x: np.ndarray, ks) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(x, dtype=network.dtype).reshape(-1, network.sizes[0])
    ks = np.broadcast_to(np.asarray(ks, dtype=int), (len(X),))
    n_out = network.sizes[-1]
    if np.any((ks < 0) | (ks >= n_out)):
        raise ValueError(f"target digits must be 0 to {n_out - 1}, got {np.unique(ks)}")
    return X, ks


def input_gradient(network: Network, x: np.ndarray, k) -> np.ndarray:
    """∂C/∂x for target digit ``k``: for one input (any shape with sizes[0] values) an array of
    that shape; for a batch (N, sizes[0]) with ``k`` an int or (N,) targets, (N, sizes[0])."""
    grad, _ = gradient_and_output(network, x, k)
    return grad.reshape(np.shape(x))


def gradient_and_output(network: Network, x: np.ndarray, k) -> tuple[np.ndarray, np.ndarray]:
    """(∂C/∂x (N, sizes[0]), the outputs aᴸ (N, sizes[-1])) from one forward and backward
    pass: BP1, BP2 down to δ², then ∂C/∂x = (w²)ᵀ δ²."""
    X, ks = _rows(network, x, k)
    Y = np.eye(network.sizes[-1], dtype=network.dtype)[ks]
    zs, activations = network.forward(X)
    delta = network.cost.delta(zs[-1], activations[-1], Y)  # BP1
    prime = network.activation.prime
    for l in range(2, len(network.weights) + 1):
        delta = (delta @ network.weights[-l + 1]) * prime(zs[-l], activations[-l])  # BP2
    return delta @ network.weights[0], activations[-1]  # ∂C/∂x = (w²)ᵀ δ²


def nudge_step(network: Network, X: np.ndarray, ks, size: float = STEP_SIZE,
               ) -> tuple[np.ndarray, np.ndarray]:
    """One projected, normalised step of every row of ``X`` (N, sizes[0]) toward its ``ks``:
    (the new rows, the outputs aᴸ at the old rows). A row with nothing to move (‖g‖ = 0)
    stays as it is."""
    X = np.asarray(X, dtype=network.dtype).reshape(-1, network.sizes[0])
    g, out = gradient_and_output(network, X, ks)
    g[((X <= 0) & (g > 0)) | ((X >= 1) & (g < 0))] = 0  # pixels at the box's walls
    norm = np.sqrt(np.einsum("ij,ij->i", g, g, dtype=np.float64))[:, None]
    scale = np.divide(size, norm, out=np.zeros_like(norm), where=norm > 0)
    return np.clip(X - scale.astype(X.dtype) * g, 0, 1), out


@dataclass(frozen=True)
class NudgeStep:
    """The drawing after ``step`` steps toward ``target``: ``x`` (the shape it came in), the
    probabilities the network gives it, and whether it ``reads`` the target now."""

    step: int
    x: np.ndarray
    probs: np.ndarray
    target: int

    sure: float = 0.0  # the probability of the target the nudge asks for besides reading it

    @property
    def reads(self) -> bool:
        return int(np.argmax(self.probs)) == self.target

    @property
    def done(self) -> bool:
        """The network reads the target, with at least the asked-for probability."""
        return self.reads and self.probs[self.target] >= self.sure


def nudge(network: Network, x: np.ndarray, k: int, size: float = STEP_SIZE,
          budget: int = BUDGET, sure: float = 0.0) -> Iterator[NudgeStep]:
    """The drawing ``x`` stepped toward digit ``k``: yields step 0 (``x`` itself) and each step
    after it, stopping when the network reads ``k`` (with P(k) ≥ ``sure``, if asked) or after
    ``budget`` steps (or earlier, when the gradient is zero and nothing can move). ``x`` itself
    is never changed."""
    if not 0 <= int(k) < network.sizes[-1]:
        raise ValueError(f"the target digit must be 0 to {network.sizes[-1] - 1}, got {k}")
    if size <= 0 or budget < 0 or not 0 <= sure < 1:
        raise ValueError(f"a nudge needs a step size > 0, a budget ≥ 0 and 0 ≤ sure < 1, "
                         f"got {size}, {budget}, {sure}")
    shape = np.shape(x)
    row = np.asarray(x, dtype=network.dtype).reshape(1, -1).copy()
    for i in range(budget + 1):
        step = NudgeStep(i, row.reshape(shape).copy(), network.predict_proba(row)[0], int(k),
                         sure)
        yield step
        if step.done or i == budget:
            return
        new, _ = nudge_step(network, row, k, size)
        if np.array_equal(new, row):
            return
        row = new


@dataclass(frozen=True)
class NudgeOutcome:
    """Many drawings nudged at once: the final rows, how many steps each took, and whether
    the network reads each one's target at the end."""

    X: np.ndarray
    steps: np.ndarray
    reached: np.ndarray


def nudge_all(network: Network, X: np.ndarray, ks, size: float = STEP_SIZE,
              budget: int = BUDGET, sure: float = 0.0) -> NudgeOutcome:
    """``nudge`` for a batch: each row (N, sizes[0]) stepped toward its own target, a row
    stopping when it reads its target (with P ≥ ``sure``); the same steps as ``nudge`` row by
    row. ``reached``: the network reads the target at the end (whatever its probability)."""
    X, ks = _rows(network, X, ks)
    X = X.copy()
    steps = np.zeros(len(X), int)
    going = np.arange(len(X))
    for _ in range(budget):
        if not going.size:
            break
        probs = network.predict_proba(X[going])
        target = probs[np.arange(len(going)), ks[going]]
        done = (probs.argmax(axis=1) == ks[going]) & (target >= sure)
        going = going[~done]
        if not going.size:
            break
        X[going], _ = nudge_step(network, X[going], ks[going], size)
        steps[going] += 1
    reached = network.predict(X) == ks
    return NudgeOutcome(X, steps, reached)
