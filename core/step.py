"""The training step, fused: ``Network.backprop`` followed by ``optimizer.step``, fast.

Same math as the readable reference (``Network.backprop`` and ``core.optimizers``; a test
checks the two agree), arranged for speed at the notes' mini-batches of 10:

- Preallocated buffers and in-place NumPy calls: a step of the seed preset is ~40 calls, so
  each avoided allocation counts.
- The scalar of the update is folded into δᴸ. Every gradient is linear in δᴸ (BP2–BP4), so
  scaling δᴸ by −α/m makes ``δ (aˡ⁻¹)ᵀ`` come out as the SGD update itself: w ← w + that.
- Weights are kept transposed in memory (``wT[l] = weights[l].T`` is C-contiguous, (in, out)),
  so the rows of ``wT[0]`` are the 784 input pixels. MNIST digits light about 20% of the pixels,
  a batch of 10 about half of them and a batch of 128 about two thirds: a batch multiplies and
  differentiates only the rows of the pixels it lights (``X[:, nz] @ wT[0][nz]``). The other
  rows' gradients are exactly zero, so this is the same step, not an approximation. Plain SGD
  then updates only those rows; momentum and Adam, which move every weight, get the gradient
  with its zero rows written out.
- New weights are written to spare arrays that then swap with the current ones (plain SGD's
  first layer: only the rows it touched, whose old values are kept), so a diverging run is
  rolled back exactly to the last step whose cost was finite, at no cost.
- At small batches OpenBLAS multiplies a Fortran-ordered δ by ``wT.T`` about twice as fast as
  a C-ordered one, so BP2 first copies δ (a few hundred numbers) to Fortran order.

Shapes: X (m, 784) float32 rows; Y (m, 10) one-hot rows.
"""

from __future__ import annotations

import math

import numpy as np

from .network import Network
from .optimizers import SGD, Adam, Momentum, Optimizer

SPARSE_MAX_BATCH = 256  # above this a batch lights most pixels: the dense product is faster
SPARSE_MAX_FRACTION = 0.8
SMALL_BATCH = 32


class TrainStep:
    def __init__(self, network: Network, optimizer: Optimizer) -> None:
        self.net, self.opt = network, optimizer
        # Weights live in Fortran order, so that their transposes are C-contiguous (in, out).
        for l, w in enumerate(network.weights):
            network.weights[l] = np.asfortranarray(w)
        self.wT = [w.T for w in network.weights]
        self.b = network.biases
        self.kind = type(optimizer)
        if self.kind not in (SGD, Momentum, Adam):
            raise TypeError(f"no fused step for {type(optimizer).__name__}")
        zeros = lambda arrays: [np.zeros_like(a) for a in arrays]  # noqa: E731
        if self.kind is Momentum:
            self.vel_w, self.vel_b = zeros(self.wT), zeros(self.b)
        if self.kind is Adam:
            self.t = 0
            self.m1_w, self.m1_b = zeros(self.wT), zeros(self.b)
            self.m2_w, self.m2_b = zeros(self.wT), zeros(self.b)
        # Updates write w + Δw to these spare arrays and the two swap: the old weights stay
        # intact for roll_back at no cost.
        self.spare_w, self.spare_b = zeros(self.wT), zeros(self.b)
        # Plain SGD updates only the first-layer rows a sparse batch lights; the other
        # optimisers move every weight, so they get the gradient with its zero rows written out.
        self.rows_only = self.kind is SGD and not optimizer.l2
        self.grad0 = None if self.rows_only else np.zeros_like(self.wT[0])
        self._saved: list = []  # what the last step overwrote, to roll it back

    # --- one step ------------------------------------------------------------------------

    def __call__(self, X: np.ndarray, Y: np.ndarray, max_cost: float = np.inf) -> float:
        """Apply one update from the mini-batch (X, Y); return its cost summed over the batch
        (the cost of the weights *before* the update). When that cost per example is not
        finite or above ``max_cost``, change nothing: the caller can ``roll_back()`` the
        previous step."""
        net, wT, b = self.net, self.wT, self.b
        m = len(X)
        L = len(wT)
        act = net.activation
        nz = None
        if m <= SPARSE_MAX_BATCH:
            lit = X.any(axis=0)
            nz = lit.nonzero()[0]
            if len(nz) > SPARSE_MAX_FRACTION * X.shape[1]:
                nz = None
        # Forward pass, keeping zs and activations (BP needs both).
        if nz is not None:
            x0 = np.take(X, nz, axis=1)
            w0 = np.take(wT[0], nz, axis=0)  # a copy: also the rows SGD overwrites
            z = x0 @ w0
        else:
            x0, w0 = X, wT[0]
            z = X @ w0
        z += b[0]
        zs, acts = [z], [x0]
        for l in range(1, L):
            a = act.fn(z)
            acts.append(a)
            z = a @ wT[l]
            z += b[l]
            zs.append(z)
        _, cost, delta = net.cost.fused(z, Y)  # aᴸ, C, BP1
        if not cost / m <= max_cost:  # also true for NaN
            return cost
        self._saved = []
        small = m <= SMALL_BATCH
        if self.kind is Adam:
            self.t += 1
            delta *= (1.0 - self.opt.beta1) / m  # gradients come out as (1 − β₁) ∂C/∂w
        else:
            delta *= -self.opt.learning_rate / m  # every gradient below is now an update
        for l in range(L - 1, -1, -1):
            a_prev = acts[l]
            g_b = delta.sum(axis=0)  # BP3
            if l > 0:
                g_w = a_prev.T @ delta  # BP4, (in, out) like wT[l]
                if small:  # OpenBLAS's small-matrix path is ~2x faster on a Fortran-ordered δ
                    delta = np.asfortranarray(delta)
                new_delta = delta @ wT[l].T  # BP2, with the weights before this update
                new_delta *= act.prime(zs[l - 1], acts[l])
                self._update(l, g_w, g_b)
                delta = new_delta
            elif nz is None:
                self._update(0, a_prev.T @ delta, g_b)
            elif self.rows_only:
                self._saved.append((0, nz, w0, b[0].copy()))
                g_w = a_prev.T @ delta
                g_w += w0
                wT[0][nz] = g_w
                b[0] += g_b
            else:
                g_w = self.grad0  # unlit pixels' rows are exactly zero
                g_w[nz] = a_prev.T @ delta
                g_w[~lit] = 0.0
                self._update(0, g_w, g_b)
        return cost

    def _update(self, l: int, g_w: np.ndarray, g_b: np.ndarray) -> None:
        """Write layer l's new weights and biases to the spare arrays and swap them in.
        g_w and g_b are scratch."""
        w, b, opt = self.wT[l], self.b[l], self.opt
        new_w, new_b = self.spare_w[l], self.spare_b[l]
        if self.kind is SGD:
            dw, db = g_w, g_b
        elif self.kind is Momentum:
            dw, db = self.vel_w[l], self.vel_b[l]
            for v, g in ((dw, g_w), (db, g_b)):
                v *= opt.momentum
                v += g
        else:
            # Adam with g' = (1 − β₁)ḡ (folded into δᴸ) and v = m₂/c, c = (1 − β₂)/(1 − β₁)²,
            # so that m₁ ← β₁m₁ + g' and v ← β₂v + g'² need no multiply by (1 − β), and the step
            # −α̂ m₁/(√m₂ + ε̂) = −(α̂/√c) m₁/(√v + ε̂/√c). Ten passes over each array, no temporary.
            b1, b2, t = opt.beta1, opt.beta2, self.t
            root_c = math.sqrt(1 - b2) / (1 - b1)
            step = opt.learning_rate * math.sqrt(1 - b2**t) / (1 - b1**t) / root_c
            eps = opt.eps * math.sqrt(1 - b2**t) / root_c
            for g, m1, v in ((g_w, self.m1_w[l], self.m2_w[l]),
                             (g_b, self.m1_b[l], self.m2_b[l])):
                m1 *= b1
                m1 += g
                g *= g
                v *= b2
                v += g
                np.sqrt(v, out=g)
                g += eps
                g *= -1.0 / step
                np.divide(m1, g, out=g)
            dw, db = g_w, g_b
        if opt.l2:
            np.multiply(w, 1.0 - opt.learning_rate * opt.l2, out=new_w)
            new_w += dw
        else:
            np.add(w, dw, out=new_w)
        np.add(b, db, out=new_b)
        self._saved.append((l, None, w, b))
        self.spare_w[l], self.spare_b[l] = w, b
        self.wT[l], self.b[l] = new_w, new_b
        self.net.weights[l] = new_w.T

    def roll_back(self) -> None:
        """Restore the weights and biases the last step overwrote."""
        for l, nz, w, bias in self._saved:
            if nz is None:  # the old arrays themselves were kept
                self.spare_w[l], self.spare_b[l] = self.wT[l], self.b[l]
                self.wT[l], self.b[l] = w, bias
                self.net.weights[l] = w.T
            else:
                self.wT[0][nz] = w
                self.b[0][...] = bias
        self._saved = []
