"""The backprop lesson's numbers for one example: BP1 under either cost, one step predicted and
measured, and a gradient check of one weight.

Shapes follow core/network.py: ``weights[l].shape == (sizes[l+1], sizes[l])``, ``biases[l].shape
== (sizes[l+1],)``; one input ``x`` is ``sizes[0]`` values in any shape (a 28×28 image is
reshaped to a row); ``label`` is the true digit, y its one-hot (sizes[-1],). Every vector
returned is 1-D. ``layer`` l is numbered as core.inspect numbers it, by its weights: l is fed by
``weights[l]`` (0 = the first hidden layer, ``len(weights) - 1`` the output). In the notes'
numbering, where the input is layer 1, that is layer l + 2, and wˡ⁺² = ``weights[l]``.

- ``output_delta``: δᴸ = ∂C/∂zᴸ of the network's own zᴸ under a cost named ``cost_name``: its
  own, or, for sigmoid outputs, cross-entropy (``costs.SigmoidCrossEntropyCost``, δᴸ = aᴸ − y).
- ``saturated``: the outputs that are wrong but whose σ′(zᴸ) ≈ 0 makes δᴸ ≈ 0 (the learning
  slowdown of Nielsen's chapter 3).
- ``step_prediction``: C before and after one step w ← w − α∇w (m = 1, by
  ``inspect.take_step``, on a copy) and the first-order prediction ΔC ≈ −α‖∇C‖², ∇ over every
  weight and bias.
- ``gradient_check``: ∂C/∂wˡⱼₖ by backprop beside the central difference
  (C(w + ε) − C(w − ε)) / 2ε, both in float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import inspect
from .costs import SigmoidCrossEntropyCost
from .network import Network
from .rows import one_hot

FLAT = 0.01  # σ′(zᴸ) at most this (its peak is 0.25): the sigmoid is within ~1% of 0 or 1
WRONG = 0.5  # |aⱼ − yⱼ| at least this: the output is on the wrong side
EPS = 1e-5  # the gradient check's ε: rounding ≈ u·C/ε against truncation ≈ ε²·C‴/6
UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2


def _row_and_y(network: Network, x: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(x).reshape(1, -1), one_hot([int(label)], np.float64, network.sizes[-1])


def cost_named(network: Network, cost_name: str):
    """The cost object ``cost_name`` for ``network``'s output layer: its own cost, or
    cross-entropy for sigmoid outputs (Nielsen's, on the same aᴸ = σ(zᴸ)). ValueError for a
    pairing that would change the output layer (the quadratic cost of softmax outputs)."""
    if cost_name == network.cost.name:
        return network.cost
    if cost_name == "cross_entropy" and not network.cost.outputs_probabilities:
        return SigmoidCrossEntropyCost
    raise ValueError(f"a {network.describe()} network has no {cost_name!r} cost for its outputs; "
                     f"ask for {network.cost.name!r} or, with sigmoid outputs, 'cross_entropy'")


def output_delta(network: Network, x: np.ndarray, label: int, cost_name: str) -> np.ndarray:
    """BP1, δᴸ = ∂C/∂zᴸ (sizes[-1],), for ``network``'s zᴸ on ``x`` under the cost
    ``cost_name`` (see ``cost_named``), by that cost object's own ``delta``, in the network's
    dtype (for its own cost, bit for bit ``inspect.backprop``'s δᴸ)."""
    row, y = _row_and_y(network, x, label)
    zs, _ = network.forward(row)
    cost = cost_named(network, cost_name)
    z = zs[-1]  # in the network's dtype, as its own backprop computes it
    return cost.delta(z, cost.output(z), y.astype(z.dtype))[0]


def saturated(record: inspect.Backprop) -> np.ndarray:
    """The outputs j (ascending) that are wrong (|aⱼ − yⱼ| ≥ WRONG) while σ′(zⱼᴸ) ≤ FLAT, for
    a quadratic-cost record (``inspect.backprop``); none for a cost without σ′ in δᴸ. Their
    δⱼᴸ = (aⱼ − yⱼ) σ′(zⱼᴸ) is small although the output is badly wrong."""
    if record.sigma_prime is None:
        return np.zeros(0, int)
    wrong = np.abs(record.a_minus_y) >= WRONG
    return np.flatnonzero(wrong & (record.sigma_prime <= FLAT))


@dataclass(frozen=True)
class StepPrediction:
    """One step of size ``learning_rate`` on one example: the cost before and after, and the
    first-order prediction ``predicted`` = −α‖∇C‖² (``grad_norm_sq`` = ‖∇C‖²)."""

    learning_rate: float
    cost_before: float
    cost_after: float
    grad_norm_sq: float
    predicted: float

    @property
    def measured(self) -> float:
        """The change the step made: C after − C before."""
        return self.cost_after - self.cost_before

    @property
    def raised(self) -> bool:
        """The step made the cost larger (α too large for this example)."""
        return self.cost_after > self.cost_before


def grad_norm_sq(network: Network, x: np.ndarray, label: int) -> float:
    """‖∇C‖², the squared gradient over every weight and bias, for the example (m = 1)."""
    row, y = _row_and_y(network, x, label)
    grad_w, grad_b = network.backprop(row, y)
    return float(sum(np.vdot(g, g) for g in (*grad_w, *grad_b)))


def step_prediction(network: Network, x: np.ndarray, label: int,
                    learning_rate: float) -> StepPrediction:
    """C before and after ``inspect.take_step`` with α = ``learning_rate`` (on a copy:
    ``network`` is left as it was), and the first-order prediction ΔC ≈ ∇C · (−α∇C)."""
    row, y = _row_and_y(network, x, label)
    trial = network.copy()
    before = trial.total_cost(row, y)
    norm_sq = grad_norm_sq(trial, row, label)
    inspect.take_step(trial, row, label, learning_rate)
    after = trial.total_cost(row, y)
    alpha = float(learning_rate)
    return StepPrediction(alpha, before, after, norm_sq, -alpha * norm_sq)


@dataclass(frozen=True)
class GradientCheck:
    """∂C/∂wⱼₖ of ``weights[layer]`` by backprop and by the central difference with step
    ``eps``, both in float64. ``rounding`` ≈ u·C/ε is what rounding the two costs can put into
    the difference; a gradient not far above it cannot be checked this way."""

    layer: int
    j: int
    k: int
    eps: float
    weight: float
    backprop: float
    numeric: float
    cost: float
    rounding: float

    @property
    def relative_error(self) -> float:
        """|backprop − numeric| / max(|backprop|, |numeric|); 0 when both are 0."""
        scale = max(abs(self.backprop), abs(self.numeric))
        return abs(self.backprop - self.numeric) / scale if scale > 0 else 0.0

    @property
    def below_rounding(self) -> bool:
        """The gradient is too small for a difference of costs to check to 1e-6."""
        return self.rounding > 1e-7 * max(abs(self.backprop), abs(self.numeric))


def as_float64(network: Network) -> Network:
    """A float64 copy of ``network`` (the same activation and cost)."""
    return Network.from_params(network.weights, network.biases, network.activation.name,
                               network.cost.name, network.init, dtype=np.float64)


def gradient_check(network: Network, x: np.ndarray, label: int, layer: int, j: int, k: int,
                   eps: float = EPS) -> GradientCheck:
    """Check ∂C/∂wⱼₖ of ``weights[layer]`` (the weight from unit k of the layer below into
    neuron j) on the example: backprop's value beside (C(w + ε) − C(w − ε)) / 2ε, both on a
    float64 copy of ``network``. IndexError for a weight the network does not have."""
    if not 0 <= layer < len(network.weights):
        raise IndexError(f"layer {layer} is not one of the network's {len(network.weights)}")
    rows, cols = network.weights[layer].shape
    if not (0 <= j < rows and 0 <= k < cols):
        raise IndexError(f"weights[{layer}] is {rows}×{cols}; it has no weight ({j}, {k})")
    net = as_float64(network)
    row, y = _row_and_y(net, x, label)
    grad_w, _ = net.backprop(row, y)
    w = net.weights[layer]
    weight = float(w[j, k])
    up, down = weight + eps, weight - eps  # 2ε as stored: up − down, exactly
    w[j, k] = up
    plus = net.total_cost(row, y)
    w[j, k] = down
    minus = net.total_cost(row, y)
    w[j, k] = weight
    cost = net.total_cost(row, y)
    rounding = UNIT_ROUNDOFF * max(abs(plus), abs(minus), abs(cost)) / eps
    return GradientCheck(layer, j, k, float(eps), weight, float(grad_w[layer][j, k]),
                         (plus - minus) / (up - down), cost, rounding)
