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

Each optimiser writes its rule once (``core/optimizers.py``): this step multiplies δᴸ by its
``grad_scale(m)`` and hands the flat gradient to its ``apply_flat``. One whose rule does not
treat each number alone (``fused = False``) is trained by the readable ``Network.backprop`` and
``Optimizer.step``, which applies the same rule per array, with the same roll back.

Shapes: X (m, 784) float32 rows; Y (m, 10) one-hot rows.
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .optimizers import Optimizer

SPARSE_MAX_BATCH = 1024  # past this, batches light most pixels: no need to look
SPARSE_MAX_FRACTION = 0.8
SMALL_BATCH = 32


class _Params:
    """One flat array holding some layers' (in, out) weights, then their biases, with a view
    per array. Optimisers then update every parameter with one call per pass instead of two
    per layer, and L2 decay touches the weights, a prefix, alone."""

    def __init__(self, shapes_w: list[tuple[int, int]], n_out: list[int], dtype) -> None:
        self.n_weights = sum(i * o for i, o in shapes_w)
        self.flat = np.zeros(self.n_weights + sum(n_out), dtype)
        self.w, self.b, at = [], [], 0
        for i, o in shapes_w:
            self.w.append(self.flat[at : at + i * o].reshape(i, o))
            at += i * o
        for o in n_out:
            self.b.append(self.flat[at : at + o])
            at += o
        self.w_t = [w.T for w in self.w]  # (out, in) views, as Network keeps them


class TrainStep:
    def __init__(self, network: Network, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):  # no rule to apply
            raise TypeError(f"no fused step for {type(optimizer).__name__}")
        self.net, self.opt = network, optimizer
        self._saved: tuple | None = None  # what the last step overwrote, to roll it back
        if not optimizer.fused:
            self.rows_only = False
            return
        # Plain SGD updates only the first-layer rows a sparse batch lights, in place, so that
        # layer's weights live apart; the other optimisers move every weight, so they get the
        # gradient with its zero rows written out.
        self.rows_only = optimizer.stateless and not optimizer.l2
        self.first = 1 if self.rows_only else 0  # the first layer whose weights are in _Params
        shapes = [w.T.shape for w in network.weights]
        make = lambda: _Params(shapes[self.first :], [len(b) for b in network.biases],  # noqa: E731
                               network.dtype)
        # Updates write w + Δw to the spare parameters and the two swap: the old weights stay
        # intact for roll_back at no cost.
        self.params, self.spare, self.grad = make(), make(), make()
        for dst, w in zip(self.params.w, network.weights[self.first :]):
            dst[...] = w.T
        for dst, bias in zip(self.params.b, network.biases):
            dst[...] = bias
        if self.rows_only:
            self.w0 = np.ascontiguousarray(network.weights[0].T)
            self.spare_w0 = np.zeros_like(self.w0)
        self.wT: list[np.ndarray] = []
        self.b = network.biases
        self._bind()

    def _bind(self) -> None:
        """Point the network (weights[l] = wT[l].T, Fortran-ordered) at the current arrays."""
        p = self.params
        if self.rows_only:
            self.wT[:] = [self.w0, *p.w]
            self.net.weights[:] = [self.w0.T, *p.w_t]
        else:
            self.wT[:] = p.w
            self.net.weights[:] = p.w_t
        self.b[:] = p.b

    # --- one step ------------------------------------------------------------------------

    @staticmethod
    def lit_columns(lit: np.ndarray) -> np.ndarray | None:
        """The indices of the input columns a batch lights (``lit``: nonzero where some example
        of the batch is nonzero), or None when there are too many for skipping the others to
        pay. Batches of more than ``SPARSE_MAX_BATCH`` examples are always dense."""
        nz = lit.nonzero()[0]
        return nz if len(nz) <= SPARSE_MAX_FRACTION * len(lit) else None

    def __call__(self, X: np.ndarray, Y: np.ndarray, max_cost: float = np.inf,
                 columns: np.ndarray | None = None) -> float:
        """Apply one update from the mini-batch (X, Y); return its cost summed over the batch
        (the cost of the weights *before* the update). When that cost per example is not
        finite or above ``max_cost``, change nothing: the caller can ``roll_back()`` the
        previous step.

        ``columns``: when given (from ``lit_columns``), X holds only those input columns; the
        caller has dropped the columns that are zero in every example of the batch."""
        if not self.opt.fused:
            return self._readable(X, Y, max_cost, columns)
        net, wT = self.net, self.wT
        m = len(X)
        L = len(wT)
        act = net.activation
        nz, x0 = columns, X
        if nz is None and m <= SPARSE_MAX_BATCH:
            nz = self.lit_columns(X.any(axis=0))
            if nz is not None:
                x0 = np.take(X, nz, axis=1)
        zs, acts, w0 = self._forward(x0, nz)
        _, cost, delta = net.cost.fused(zs[-1], Y)  # aᴸ, C, BP1
        if not cost / m <= max_cost:  # also true for NaN
            return cost
        small = m <= SMALL_BATCH
        self.opt.start_step()
        delta *= self.opt.grad_scale(m)  # every gradient below comes out scaled
        grad_w, grad_b = self.grad.w, self.grad.b
        rows = None
        for l in range(L - 1, -1, -1):
            a_prev = acts[l]
            np.add.reduce(delta, axis=0, out=grad_b[l])  # BP3
            if l > 0:
                np.matmul(a_prev.T, delta, out=grad_w[l - self.first])  # BP4, (in, out)
                if small:  # OpenBLAS's small-matrix path is ~2x faster on a Fortran-ordered δ
                    delta = np.asfortranarray(delta)
                new_delta = delta @ wT[l].T  # BP2, with the weights before this update
                new_delta *= act.prime(zs[l - 1], acts[l])
                delta = new_delta
            else:
                rows = self._first_layer(a_prev, delta, nz, w0)
        self._update()
        self._saved = (self.spare, rows)
        self._bind()
        return cost

    def _first_layer(self, a_prev: np.ndarray, delta: np.ndarray, nz: np.ndarray | None,
                     w0: np.ndarray | None):
        """BP4 for the first layer (its weights transposed, rows = input pixels; only the lit
        rows ``nz`` when given). Plain SGD (``rows_only``) writes the new weights at once and
        returns what ``roll_back`` needs to undo that: (the old array, None), or (the rows, their
        old values ``w0``). Otherwise the gradient goes to ``grad.w`` and this returns None."""
        wT, grad_w = self.wT, self.grad.w
        if self.rows_only:
            g_w = a_prev.T @ delta
            if nz is None:
                new_w0 = np.add(wT[0], g_w, out=self.spare_w0)
                rows = (self.w0, None)
                self.spare_w0, self.w0 = self.w0, new_w0
                return rows
            g_w += w0
            wT[0][nz] = g_w
            return (nz, w0)
        if nz is None:
            np.matmul(a_prev.T, delta, out=grad_w[0])
        else:
            grad_w[0].fill(0.0)  # unlit pixels' rows are exactly zero
            grad_w[0][nz] = a_prev.T @ delta
        return None

    def _forward(self, x0: np.ndarray, nz: np.ndarray | None):
        """The forward pass, keeping zs and activations (BP needs both), and the first layer's
        weights it used (only the lit rows ``nz`` when given: a copy, also the rows SGD
        overwrites)."""
        wT, b, fn = self.wT, self.b, self.net.activation.fn
        w0 = wT[0] if nz is None else np.take(wT[0], nz, axis=0)
        z = x0 @ w0
        z += b[0]
        zs, acts = [z], [x0]
        for l in range(1, len(wT)):
            a = fn(z)
            acts.append(a)
            z = a @ wT[l]
            z += b[l]
            zs.append(z)
        return zs, acts, w0

    def _update(self) -> None:
        """Write the new parameters to the spare ones and swap them in. The gradient is
        scratch."""
        self.opt.apply_flat(self.params.flat, self.grad.flat, self.spare.flat,
                            self.params.n_weights)
        self.params, self.spare = self.spare, self.params

    def _readable(self, X: np.ndarray, Y: np.ndarray, max_cost: float,
                  columns: np.ndarray | None) -> float:
        """The step of an optimiser without a fused form: backprop, then its own ``step``."""
        if columns is not None:  # put back the unlit columns, which are zero
            full = np.zeros((len(X), self.net.sizes[0]), X.dtype)
            full[:, columns] = X
            X = full
        grad_w, grad_b, cost = self.net.backprop_with_cost(X, Y)
        if not cost / len(X) <= max_cost:  # also true for NaN
            return cost
        params = self.net.params
        self._saved = ([p.copy() for p in params], None)
        grads = [g for pair in zip(grad_w, grad_b) for g in pair]
        self.opt.step(params, grads, len(X))
        return cost

    def roll_back(self) -> None:
        """Restore the weights and biases the last step overwrote."""
        if self._saved is None:
            return
        old, rows = self._saved
        if not self.opt.fused:
            for p, kept in zip(self.net.params, old):
                np.copyto(p, kept)
            self._saved = None
            return
        self.spare, self.params = self.params, old
        if rows is not None:
            where, w0 = rows
            if w0 is None:  # the dense first layer: swap back
                self.spare_w0, self.w0 = self.w0, where
            else:
                self.w0[where] = w0
        self._saved = None
        self._bind()
