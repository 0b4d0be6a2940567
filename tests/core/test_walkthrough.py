"""core.walkthrough against the notes' one-example algorithm written out plainly here (Nielsen's
network.py: feedforward keeping zs and activations, then the backward loop), in float64 with
column vectors, and the update w ← w − α∇w."""

import itertools

import numpy as np
import pytest

from core.network import Network
from core.walkthrough import KINDS, focus, top_terms, walkthrough

COMBOS = list(itertools.product(["sigmoid", "relu", "tanh"], ["quadratic", "cross_entropy"]))


def reference(weights, biases, x, y, alpha, activation, cost):
    """Nielsen's backprop for one (x, y), float64 column vectors; returns the notes'
    numbering as dicts keyed by layer l = 2..L."""
    fn, prime = {
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
        "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0),
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    }[activation]
    weights = [np.array(w, np.float64) for w in weights]
    biases = [np.array(b, np.float64).reshape(-1, 1) for b in biases]
    activation_ = np.array(x, np.float64).reshape(-1, 1)
    activations, zs = [activation_], []
    for i, (b, w) in enumerate(zip(biases, weights)):
        z = np.dot(w, activation_) + b
        zs.append(z)
        if i == len(weights) - 1 and cost == "cross_entropy":
            e = np.exp(z - z.max())
            activation_ = e / e.sum()
        elif i == len(weights) - 1:
            activation_ = 1 / (1 + np.exp(-z))
        else:
            activation_ = fn(z)
        activations.append(activation_)
    y = np.array(y, np.float64).reshape(-1, 1)
    if cost == "quadratic":
        sp_out = np.exp(-zs[-1]) / (1 + np.exp(-zs[-1])) ** 2
        delta = (activations[-1] - y) * sp_out
    else:
        delta = activations[-1] - y
    L = len(weights) + 1
    nabla_b, nabla_w, deltas = [None] * len(weights), [None] * len(weights), {L: delta}
    nabla_b[-1], nabla_w[-1] = delta, np.dot(delta, activations[-2].T)
    for l in range(2, L):
        sp = prime(zs[-l])
        delta = np.dot(weights[-l + 1].T, delta) * sp
        deltas[L - l + 1] = delta
        nabla_b[-l], nabla_w[-l] = delta, np.dot(delta, activations[-l - 1].T)
    out = {"z": {}, "a": {}, "delta": {}, "grad_w": {}, "grad_b": {}, "w_new": {}, "b_new": {}}
    for l in range(2, L + 1):
        i = l - 2
        out["z"][l], out["a"][l] = zs[i].ravel(), activations[i + 1].ravel()
        out["delta"][l] = deltas[l].ravel()
        out["grad_w"][l], out["grad_b"][l] = nabla_w[i], nabla_b[i].ravel()
        out["w_new"][l] = weights[i] - alpha * nabla_w[i]
        out["b_new"][l] = (biases[i] - alpha * nabla_b[i]).ravel()
    return out


def example(rng, n=784):
    x = np.zeros(n)
    x[rng.choice(n, n // 4, replace=False)] = rng.uniform(0.2, 1, n // 4)
    return x


@pytest.mark.parametrize("activation, cost", COMBOS)
@pytest.mark.parametrize("sizes", [[784, 30, 10], [784, 32, 16, 10], [20, 7, 6, 5, 4], [6, 4]])
def test_every_stage_equals_the_notes_algorithm(activation, cost, sizes):
    rng = np.random.default_rng(sum(sizes))
    net = Network(sizes, activation, cost, init="normal", rng=rng, dtype=np.float64)
    x, label, alpha = example(rng, sizes[0]), 3, 0.7
    ref = reference(net.weights, net.biases, x, np.eye(sizes[-1])[label], alpha,
                    activation, cost)
    walk = walkthrough(net, x, label, alpha)
    L = len(sizes)
    assert walk.n_layers == L and walk.label == label and walk.alpha == alpha
    order = [(s.kind, s.layer) for s in walk.stages]
    assert order == ([("forward", l) for l in range(2, L + 1)] + [("BP1", L)]
                     + [("BP2", l) for l in range(L - 1, 1, -1)]
                     + [("BP3-4", l) for l in range(L, 1, -1)]
                     + [("update", l) for l in range(2, L + 1)])
    close = dict(rtol=1e-10, atol=1e-12)
    for s in walk.stages:
        l = s.layer
        np.testing.assert_allclose(s.z, ref["z"][l], **close)
        np.testing.assert_allclose(s.a, ref["a"][l], **close)
        np.testing.assert_allclose(s.a_prev, ref["a"][l - 1] if l > 2 else x, **close)
        np.testing.assert_array_equal(s.w, net.weights[l - 2])
        if s.kind == "forward":
            assert s.delta is None and s.grad_w is None and s.w_new is None
            continue
        np.testing.assert_allclose(s.delta, ref["delta"][l], **close)
        if s.prime is not None and s.kind in ("BP1", "BP2"):  # δ = (incoming error) ⊙ σ′(z)
            incoming = (s.a - s.y) if s.kind == "BP1" else s.w_next.T @ s.delta_next
            np.testing.assert_allclose(incoming * s.prime, s.delta, **close)
        if s.kind == "BP2":
            np.testing.assert_allclose(s.delta_next, ref["delta"][l + 1], **close)
        if s.kind in ("BP3-4", "update"):
            np.testing.assert_allclose(s.grad_w, ref["grad_w"][l], **close)
            np.testing.assert_allclose(s.grad_b, ref["grad_b"][l], **close)
        if s.kind == "update":
            np.testing.assert_allclose(s.w_new, ref["w_new"][l], **close)
            np.testing.assert_allclose(s.b_new, ref["b_new"][l], **close)
    assert {s.kind for s in walk.stages} == set(KINDS) - ({"BP2"} if L == 2 else set())


def test_the_network_is_not_changed_and_float32_agrees_loosely():
    rng = np.random.default_rng(5)
    net = Network([784, 30, 10], "sigmoid", "quadratic", init="normal", rng=rng)
    before = [p.copy() for p in net.params]
    x = example(rng)
    walk = walkthrough(net, x, 7, 3.0)
    assert all(np.array_equal(p, q) for p, q in zip(before, net.params))
    ref = reference(net.weights, net.biases, x, np.eye(10)[7], 3.0, "sigmoid", "quadratic")
    last = walk.stages[-1]
    assert last.z.dtype == np.float32
    np.testing.assert_allclose(last.w_new, ref["w_new"][3], rtol=1e-4, atol=1e-5)


def test_focus_and_top_terms():
    rng = np.random.default_rng(2)
    net = Network([12, 5, 4], "relu", "cross_entropy", rng=rng, dtype=np.float64)
    walk = walkthrough(net, rng.uniform(0, 1, 12), 1, 0.5)
    fwd, bp1, upd = walk.stages[0], walk.stages[2], walk.stages[-1]
    assert focus(fwd) == (int(np.argmax(fwd.a)), None)
    assert focus(fwd, selected=3) == (3, None)
    assert focus(fwd, selected=99)[0] == int(np.argmax(fwd.a))  # not in this layer
    assert focus(bp1)[0] == int(np.argmax(np.abs(bp1.delta)))
    j, k = focus(upd)
    assert k == int(np.argmax(np.abs(upd.grad_w[j])))
    assert list(top_terms([1, -5, 2, 0.5], [1, 1, -3, 0], 3)) == [2, 1, 0]


def test_bad_label_or_step_size_is_a_clear_error():
    net = Network([4, 3, 2], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="label must be 0 to 1"):
        walkthrough(net, np.zeros(4), 2, 0.5)
    with pytest.raises(ValueError, match="step size"):
        walkthrough(net, np.zeros(4), 1, 0.0)
