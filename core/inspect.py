"""Looking inside a Network: what each neuron does with one input, and one step of backprop.

Everything here is computed by ``Network``'s own code (its forward pass, ``Network.backprop``
and the ``SGD`` optimiser); the window's views only map these arrays to colours.

Shapes follow core/network.py: ``weights[l].shape == (sizes[l+1], sizes[l])``; one input ``x``
is a flat row of ``sizes[0]`` values (a 28×28 image is reshaped). Layers are numbered as the
weights are: ``layer`` l is the layer fed by ``weights[l]`` (l = 0 is the first hidden layer,
``len(weights) - 1`` the output layer). For one example, BP3 says ∂C/∂bˡ = δˡ, so the δ of every
layer is ``Network.backprop``'s own ∂C/∂b.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .optimizers import SGD
from .rows import one_hot

TOP_CONTRIBUTIONS = 150  # lines drawn between two layers (300 hid the first hidden layer)


@dataclass(frozen=True)
class Forward:
    """One input's pass: ``activations[0]`` is the input, ``zs[l]`` and ``activations[l+1]``
    the weighted inputs and activations of layer l (1-D arrays)."""

    zs: list[np.ndarray]
    activations: list[np.ndarray]


def forward(network: Network, x: np.ndarray) -> Forward:
    """The network's own forward pass for one input (any shape with sizes[0] values)."""
    row = np.asarray(x).reshape(1, -1)
    zs, activations = network.forward(row)
    return Forward([z[0] for z in zs], [a[0] for a in activations])


@dataclass(frozen=True)
class Contributions:
    """The strongest terms wⱼₖ aₖ of the sums zⱼ = Σₖ wⱼₖ aₖ + bⱼ into a layer: ``target[i]``
    (neuron j of the layer), ``source[i]`` (unit k of the layer below) and their ``value``,
    strongest first."""

    target: np.ndarray
    source: np.ndarray
    value: np.ndarray


def contributions(w: np.ndarray, a: np.ndarray, k: int = TOP_CONTRIBUTIONS) -> Contributions:
    """The ``k`` largest |wⱼₖ aₖ| of a weight matrix ``w`` (n_out, n_in) fed by ``a`` (n_in,).

    A unit that is off (aₖ = 0: most input pixels, many ReLUs) contributes nothing and is never
    listed; only the lit columns are multiplied and searched."""
    lit = np.flatnonzero(a)
    terms = w[:, lit] * a[lit][None, :]
    flat = np.abs(terms).ravel()
    k = min(k, flat.size)
    top = np.argpartition(flat, flat.size - k)[flat.size - k :] if k else flat[:0].astype(int)
    top = top[np.argsort(flat[top], kind="stable")[::-1]]
    top = top[flat[top] > 0]
    target, column = np.divmod(top, len(lit))
    return Contributions(target, lit[column], terms.ravel()[top])


def all_contributions(network: Network, fwd: Forward, k: int = TOP_CONTRIBUTIONS):
    """``contributions`` into every layer, for the pass ``fwd``."""
    return [contributions(w, a, k) for w, a in zip(network.weights, fwd.activations[:-1])]


@dataclass(frozen=True)
class Neuron:
    """Neuron ``index`` of ``layer``: its z, a and b; its incoming weights (and, for the
    first hidden layer, weight × input: which input pixels push z up or down); its outgoing
    weights into the next layer and the strongest of them (``targets``, strongest first)."""

    layer: int
    index: int
    z: float
    a: float
    b: float
    incoming: np.ndarray  # (sizes[layer],)
    weight_x_input: np.ndarray  # incoming * a of the layer below
    outgoing: np.ndarray | None  # (sizes[layer + 2],); None for an output neuron
    targets: np.ndarray | None


def neuron(network: Network, fwd: Forward, layer: int, index: int, n_targets: int = 5):
    """The details of one neuron for the pass ``fwd``."""
    if not 0 <= layer < len(network.weights):
        raise IndexError(f"layer {layer} is not one of the network's {len(network.weights)}")
    if not 0 <= index < network.sizes[layer + 1]:
        raise IndexError(f"layer {layer} has {network.sizes[layer + 1]} neurons, not {index + 1}")
    incoming = network.weights[layer][index]
    outgoing = targets = None
    if layer + 1 < len(network.weights):
        outgoing = network.weights[layer + 1][:, index]
        targets = np.argsort(-np.abs(outgoing), kind="stable")[:n_targets]
    return Neuron(
        layer, index,
        z=float(fwd.zs[layer][index]),
        a=float(fwd.activations[layer + 1][index]),
        b=float(network.biases[layer][index]),
        incoming=incoming,
        weight_x_input=incoming * fwd.activations[layer],
        outgoing=outgoing,
        targets=targets,
    )


@dataclass(frozen=True)
class Backprop:
    """``Network.backprop`` for one example (x, label), with what BP1 is made of.

    ``delta[l]`` is δ of layer l (equal to ``grad_b[l]``, BP3); ``grad_w[l]`` is ∂C/∂wˡ (BP4).
    ``a_minus_y`` is aᴸ − y; ``sigma_prime`` is σ′(zᴸ) for the quadratic cost (δᴸ = (aᴸ − y) ⊙
    σ′(zᴸ)) and None for softmax + cross-entropy (δᴸ = aᴸ − y)."""

    label: int
    cost_name: str
    activation_name: str
    cost: float
    output: np.ndarray
    a_minus_y: np.ndarray
    sigma_prime: np.ndarray | None
    delta: list[np.ndarray]
    grad_b: list[np.ndarray]
    grad_w: list[np.ndarray]


def backprop(network: Network, x: np.ndarray, label: int) -> Backprop:
    """Backpropagation of one example, by ``Network.backprop_with_cost``."""
    row = np.asarray(x).reshape(1, -1)
    y = one_hot([int(label)], np.float64, network.sizes[-1])
    grad_w, grad_b, cost = network.backprop_with_cost(row, y)
    fwd = forward(network, row)
    a, z = fwd.activations[-1], fwd.zs[-1]
    sigma_prime = None
    if network.cost.name == "quadratic":
        from .activations import sigmoid_prime

        sigma_prime = sigmoid_prime(z, a)
    return Backprop(
        int(label), network.cost.name, network.activation.name, cost,
        output=a,
        a_minus_y=a - y[0].astype(a.dtype),
        sigma_prime=sigma_prime,
        delta=[g.copy() for g in grad_b],
        grad_b=grad_b,
        grad_w=grad_w,
    )


@dataclass(frozen=True)
class Step:
    """One step of the notes' rule on one example, and what is needed to take it back."""

    learning_rate: float
    label: int
    probs_before: np.ndarray
    probs_after: np.ndarray
    saved: list[np.ndarray]  # copies of every parameter before the step (w0, b0, w1, ...)


def take_step(network: Network, x: np.ndarray, label: int, learning_rate: float) -> Step:
    """w ← w − α ∇w and b ← b − α ∇b for this one example (m = 1), by the ``SGD`` optimiser
    (no weight decay), in place. ``undo(network, step)`` restores every parameter bit for bit."""
    row = np.asarray(x).reshape(1, -1)
    saved = [p.copy() for p in network.params]
    before = network.predict_proba(row)[0]
    grad_w, grad_b = network.backprop(row, one_hot([int(label)], np.float64, network.sizes[-1]))
    grads: list[np.ndarray] = []
    for gw, gb in zip(grad_w, grad_b):
        grads += [gw, gb]
    SGD(learning_rate).step(network.params, grads, 1)
    after = network.predict_proba(row)[0]
    return Step(float(learning_rate), int(label), before, after, saved)


def undo(network: Network, step: Step) -> None:
    """Put back the parameters saved by ``take_step``, bit for bit, in the same arrays."""
    for mine, saved in zip(network.params, step.saved):
        np.copyto(mine, saved)
