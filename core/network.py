"""The feed-forward network of the owner's notes, vectorised over mini-batches.

Shapes: a batch is rows, ``X.shape == (N, sizes[0])`` with values in [0, 1]; targets are one-hot
rows, ``Y.shape == (N, sizes[-1])``. As in the notes, the weights of layer l are
``weights[l].shape == (sizes[l+1], sizes[l])`` (row j holds the weights into neuron j) and
``biases[l].shape == (sizes[l+1],)``. For a batch of rows the notes' z = w·a + b becomes
``Z = A @ w.T + b``.

Backpropagation (the four equations, for a whole mini-batch at once):

    BP1  δᴸ = ∇ₐC ⊙ σ′(zᴸ)                 cost.delta(z, a, y)
    BP2  δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)       delta = (delta @ w[l+1]) * prime(z, a)
    BP3  ∂C/∂bˡ = δˡ                         grad_b[l] = delta.sum(axis=0)
    BP4  ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ                 grad_w[l] = delta.T @ activations[l]

Gradients are summed over the batch, as in the notes' Σ∇w; the optimiser divides by m.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .costs import get_cost
from .errors import ConfigError
from .inits import get_init

MAX_UNITS = 4096


class Network:
    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        cost: str = "quadratic",
        init: str = "scaled",
        rng: np.random.Generator | None = None,
        dtype: type = np.float32,
    ) -> None:
        """Create a network with random weights.

        ``init`` names one of core.inits' registry: ``"normal"`` is the notes' N(0, 1) for
        every weight and bias; ``"scaled"`` draws weights from N(0, gain/fan_in) (the
        activation's gain: 2 for ReLU, He) and zero biases, which keeps zˡ of order one in deep
        layers so sigmoids do not start saturated.
        """
        self._describe(sizes, activation, cost, init, dtype)
        rng = np.random.default_rng() if rng is None else rng
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        draw = get_init(init).draw
        for x, y in zip(self.sizes[:-1], self.sizes[1:]):
            w, b = draw(rng, y, x, self.activation.gain)
            self.weights.append(w.astype(self.dtype))
            self.biases.append(b.astype(self.dtype))

    @classmethod
    def from_params(
        cls,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        activation: str = "sigmoid",
        cost: str = "quadratic",
        init: str = "scaled",
        dtype: type = np.float32,
    ) -> Network:
        """A network around given weights and biases (a loaded model), converted to ``dtype``.
        The layer sizes follow from the shapes; ConfigError if they do not chain."""
        if not weights or len(weights) != len(biases):
            raise ConfigError("a network needs one weight matrix and one bias vector per layer")
        sizes = [np.shape(weights[0])[-1]] + [np.shape(w)[0] for w in weights]
        net = object.__new__(cls)
        net._describe(sizes, activation, cost, init, dtype)
        for l, (w, b) in enumerate(zip(weights, biases)):
            shapes = (sizes[l + 1], sizes[l]), (sizes[l + 1],)
            if (np.shape(w), np.shape(b)) != shapes:
                raise ConfigError(f"layer {l}: weights {np.shape(w)} and biases {np.shape(b)} "
                                  f"do not chain; a {'-'.join(map(str, sizes))} network "
                                  f"needs {shapes[0]} and {shapes[1]}")
        net.weights = [np.ascontiguousarray(w, dtype=net.dtype) for w in weights]
        net.biases = [np.ascontiguousarray(b, dtype=net.dtype) for b in biases]
        return net

    def _describe(self, sizes, activation: str, cost: str, init: str, dtype) -> None:
        self.sizes = validate_sizes(sizes)
        self.activation = get_activation(activation)
        self.cost = get_cost(cost)
        self.init = get_init(init).name
        self.dtype = np.dtype(dtype)
        self.deskew = False  # trained on deskewed digits (core.preprocess.as_read_by)
        self.reject = None  # when it says "not a digit": a core.reject.RejectRule, or None

    # --- forward -----------------------------------------------------------------------------

    def feedforward(self, X: np.ndarray) -> np.ndarray:
        """The output activations aᴸ for a batch ``X`` of shape (N, sizes[0])."""
        a = self._as_input(X)
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w.T
            z += b
            a = self.cost.output(z) if l == last else self.activation.fn(z)
        return a

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, rows summing to 1.

        With a softmax output these are the outputs themselves; with the notes' sigmoid outputs
        they are the outputs divided by their sum (the ten sigmoids are not a distribution).
        """
        a = self.feedforward(X).astype(np.float64)
        if not self.cost.outputs_probabilities:
            a = a / np.maximum(a.sum(axis=1, keepdims=True), 1e-300)
        return a

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The predicted class of each row: argmax of the output layer."""
        return np.argmax(self.feedforward(X), axis=1)

    def total_cost(self, X: np.ndarray, Y: np.ndarray) -> float:
        """The cost summed over the batch (no regularisation term)."""
        zs, acts = self.forward(X)
        return self.cost.value(zs[-1], acts[-1], np.asarray(Y, dtype=self.dtype))

    # --- backward ----------------------------------------------------------------------------

    def forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The forward pass of a batch ``X`` (N, sizes[0]) keeping what backprop needs: ``zs[l]``
        and ``activations[l + 1]``, layer l's weighted inputs and activations (N, sizes[l + 1]);
        ``activations[0]`` is ``X`` in the network's dtype."""
        a = self._as_input(X)
        zs: list[np.ndarray] = []
        activations = [a]
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w.T
            z += b
            zs.append(z)
            a = self.cost.output(z) if l == last else self.activation.fn(z)
            activations.append(a)
        return zs, activations

    def backprop(
        self, X: np.ndarray, Y: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """∂C/∂w and ∂C/∂b for every layer, summed over the mini-batch (X, Y)."""
        grad_w, grad_b, _ = self.backprop_with_cost(X, Y)
        return grad_w, grad_b

    def backprop_with_cost(
        self, X: np.ndarray, Y: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray], float]:
        """Like ``backprop``, also returning the cost summed over the batch (free: the
        forward pass has already been made)."""
        Y = np.asarray(Y, dtype=self.dtype)
        zs, activations = self.forward(X)
        n_layers = len(self.weights)
        grad_w: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        grad_b: list[np.ndarray] = [None] * n_layers  # type: ignore[list-item]
        cost = self.cost.value(zs[-1], activations[-1], Y)
        delta = self.cost.delta(zs[-1], activations[-1], Y)  # BP1
        grad_b[-1] = delta.sum(axis=0)  # BP3
        grad_w[-1] = delta.T @ activations[-2]  # BP4
        prime = self.activation.prime
        for l in range(2, n_layers + 1):
            delta = (delta @ self.weights[-l + 1]) * prime(zs[-l], activations[-l])  # BP2
            grad_b[-l] = delta.sum(axis=0)  # BP3
            grad_w[-l] = delta.T @ activations[-l - 1]  # BP4
        return grad_w, grad_b, cost

    # --- parameters --------------------------------------------------------------------------

    @property
    def params(self) -> list[np.ndarray]:
        """Every parameter array, in the order w0, b0, w1, b1, ... (the arrays themselves)."""
        out: list[np.ndarray] = []
        for w, b in zip(self.weights, self.biases):
            out += [w, b]
        return out

    def copy(self) -> Network:
        """An independent copy (a snapshot the GUI can predict from while training goes on)."""
        clone = object.__new__(Network)
        clone.__dict__.update(self.__dict__)
        clone.weights = [w.copy() for w in self.weights]
        clone.biases = [b.copy() for b in self.biases]
        return clone

    def describe(self) -> str:
        return (
            f"{'-'.join(map(str, self.sizes))} {self.activation.name}, {self.cost.name} cost"
        )

    def _as_input(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"input must have shape (N, {self.sizes[0]}), got {X.shape}")
        return X


def validate_sizes(sizes: Sequence[int]) -> list[int]:
    """Check layer sizes: at least an input and an output layer, each 1..MAX_UNITS units."""
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise ConfigError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(sizes) < 2:
        raise ConfigError("a network needs at least an input and an output layer")
    for s in sizes:
        if s < 1:
            raise ConfigError(f"every layer needs at least 1 unit, got {s}")
        if s > MAX_UNITS and s not in (sizes[0],):
            raise ConfigError(f"a layer of {s} units is more than the {MAX_UNITS} allowed")
    return sizes
