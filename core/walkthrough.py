"""The notes' algorithm for one example, as the stages a student works through by hand.

For one input x and its label y, and a step size α: the forward pass layer by layer
(zˡ = wˡaˡ⁻¹ + bˡ, aˡ = σ(zˡ)), BP1 at the output, BP2 back layer by layer, BP3 and BP4 for
each layer, then the update w ← w − α∇w, b ← b − α∇b (one example, m = 1). Each stage is a
frozen ``Stage`` holding the arrays of its layer that are known once it is done.

Numbering is the notes' (and Nielsen's): layer 1 is the input (a¹ = x), wˡ and bˡ feed layer
l, L = len(sizes) is the output. Core's arrays are indexed from the first weights:
``network.weights[l - 2]`` is wˡ, ``zs[l - 2]`` is zˡ, ``activations[l - 1]`` is aˡ.

Shapes, for layer l with n = sizes[l-1] neurons fed by m = sizes[l-2] units: ``w`` (n, m),
``b``, ``z``, ``a``, ``prime``, ``delta``, ``grad_b``, ``b_new`` (n,); ``a_prev`` (m,);
``grad_w`` and ``w_new`` (n, m); for BP2, ``w_next`` (sizes[l], n) and ``delta_next``
(sizes[l],). ``y`` is the one-hot target (sizes[-1],).

Every number is core's own: the pass is ``Network.forward``, δ and the gradients are
``Network.backprop`` (through ``core.inspect.backprop``; for one example δˡ = ∂C/∂bˡ, BP3),
the updated parameters are the ``SGD`` optimiser's step on a copy (the network is not changed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import inspect
from .network import Network
from .optimizers import SGD
from .rows import one_hot

KINDS = ("forward", "BP1", "BP2", "BP3-4", "update")


@dataclass(frozen=True)
class Stage:
    """One step of the walk: ``kind`` (one of KINDS) computed for the notes' ``layer`` l.
    Arrays not yet known at this stage are None (δ in the forward pass, the gradients before
    BP3-4, the new parameters before the update); ``prime`` is σ′(zˡ) (None for a softmax
    output, whose σ′ cancels: δᴸ = aᴸ − y)."""

    kind: str
    layer: int
    w: np.ndarray
    b: np.ndarray
    a_prev: np.ndarray
    z: np.ndarray
    a: np.ndarray
    y: np.ndarray
    prime: np.ndarray | None = None
    delta: np.ndarray | None = None
    w_next: np.ndarray | None = None
    delta_next: np.ndarray | None = None
    grad_w: np.ndarray | None = None
    grad_b: np.ndarray | None = None
    w_new: np.ndarray | None = None
    b_new: np.ndarray | None = None


@dataclass(frozen=True)
class Walkthrough:
    """Every stage for one example, in order: forward 2..L, BP1 (L), BP2 L−1..2, BP3-4 L..2,
    update 2..L. ``cost`` is C for this example before the update."""

    label: int
    alpha: float
    cost: float
    cost_name: str
    activation_name: str
    n_layers: int
    stages: tuple[Stage, ...]


def walkthrough(network: Network, x: np.ndarray, label: int, alpha: float) -> Walkthrough:
    """The stages of the notes' algorithm for input ``x`` (sizes[0] values, any shape) with
    true digit ``label`` and step size ``alpha``."""
    if not 0 <= int(label) < network.sizes[-1]:
        raise ValueError(f"label must be 0 to {network.sizes[-1] - 1}, got {label}")
    if not alpha > 0:
        raise ValueError(f"the step size α must be positive, got {alpha}")
    fwd = inspect.forward(network, x)
    rec = inspect.backprop(network, x, int(label))
    new = network.copy()
    grads: list[np.ndarray] = []
    for gw, gb in zip(rec.grad_w, rec.grad_b):
        grads += [gw.copy(), gb.copy()]
    SGD(alpha).step(new.params, grads, 1)
    y = one_hot([int(label)], network.dtype, network.sizes[-1])[0]
    L = len(network.sizes)

    def stage(kind: str, l: int, **known) -> Stage:
        i = l - 2
        return Stage(kind, l, network.weights[i], network.biases[i], fwd.activations[i],
                     fwd.zs[i], fwd.activations[i + 1], y, **known)

    def primes(l: int) -> np.ndarray | None:
        if l == L:
            return rec.sigma_prime
        return network.activation.prime(fwd.zs[l - 2], fwd.activations[l - 1])

    def grads_of(l: int) -> dict:
        return dict(prime=primes(l), delta=rec.delta[l - 2], grad_w=rec.grad_w[l - 2],
                    grad_b=rec.grad_b[l - 2])

    stages = [stage("forward", l) for l in range(2, L + 1)]
    stages.append(stage("BP1", L, prime=primes(L), delta=rec.delta[-1]))
    stages += [stage("BP2", l, prime=primes(l), delta=rec.delta[l - 2],
                     w_next=network.weights[l - 1], delta_next=rec.delta[l - 1])
               for l in range(L - 1, 1, -1)]
    stages += [stage("BP3-4", l, **grads_of(l)) for l in range(L, 1, -1)]
    stages += [stage("update", l, **grads_of(l), w_new=new.weights[l - 2],
                     b_new=new.biases[l - 2]) for l in range(2, L + 1)]
    return Walkthrough(int(label), float(alpha), float(rec.cost), rec.cost_name,
                       rec.activation_name, L, tuple(stages))


def focus(stage: Stage, selected: int | None = None) -> tuple[int, int | None]:
    """(j, k): the neuron j of the stage's layer to work by hand, and for BP3-4 and the update
    the weight w_jk. j is ``selected`` when given (a neuron the user chose), else the most
    active neuron (forward) or the one with the largest |δⱼ| (backward); k is the input unit
    with the largest |∂C/∂wⱼₖ| (None before BP3-4)."""
    if selected is not None and 0 <= selected < len(stage.z):
        j = int(selected)
    elif stage.delta is None:
        j = int(np.argmax(stage.a))
    else:
        j = int(np.argmax(np.abs(stage.delta)))
    k = None if stage.grad_w is None else int(np.argmax(np.abs(stage.grad_w[j])))
    return j, k


def top_terms(weights: np.ndarray, values: np.ndarray, n: int = 3) -> np.ndarray:
    """The indices k of the ``n`` largest |weights[k] · values[k]|, largest first (ties by k):
    the terms of a sum Σₖ wₖ vₖ worth writing out."""
    terms = np.abs(np.asarray(weights, np.float64) * np.asarray(values, np.float64))
    return np.argsort(-terms, kind="stable")[:n]
