"""The fused training step against the readable reference: Network.backprop + optimiser."""

import itertools

import numpy as np
import pytest

from core.network import Network
from core.optimizers import make_optimizer
from core.step import SPARSE_MAX_BATCH, TrainStep


def batch(rng, m, n_in=30, n_out=10, sparse=False):
    X = rng.random((m, n_in))
    if sparse:
        X[:, rng.random(n_in) < 0.6] = 0  # columns no example lights, as at MNIST's edges
    Y = np.eye(n_out)[rng.integers(0, n_out, m)]
    return X, Y


CASES = list(itertools.product(["sgd", "momentum", "adam"], ["sigmoid", "tanh", "relu"],
                               ["quadratic", "cross_entropy"], [0.0, 1e-3], [False, True]))


@pytest.mark.parametrize("opt,act,cost,l2,sparse", CASES)
def test_fused_step_equals_backprop_plus_optimiser(opt, act, cost, l2, sparse, rng):
    check_against_reference(opt, act, cost, l2, sparse, rng, m=10)


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("m,layout", [(10, "F"), (40, "C"), (40, "F"), (SPARSE_MAX_BATCH + 1, "C")])
def test_batch_sizes_and_memory_layouts(opt, m, layout, rng):
    """Small batches (Fortran-ordered δ for BP2), batches past SMALL_BATCH, past
    SPARSE_MAX_BATCH (always dense), and X in either memory order."""
    check_against_reference(opt, "sigmoid", "quadratic", 1e-3, True, rng, m=m, layout=layout)


def check_against_reference(opt, act, cost, l2, sparse, rng, m, layout="C"):
    sizes = [30, 12, 8, 10]
    ref = Network(sizes, act, cost, init="normal", rng=np.random.default_rng(3), dtype=np.float64)
    fused = ref.copy()
    lr = {"sgd": 0.5, "momentum": 0.1, "adam": 0.01}[opt]
    ref_opt = make_optimizer(opt, lr, l2)
    step = TrainStep(fused, make_optimizer(opt, lr, l2))
    for _ in range(3):
        X, Y = batch(rng, m, sparse=sparse)
        grad_w, grad_b, ref_cost = ref.backprop_with_cost(X, Y)
        ref_opt.step(ref.params, [g for pair in zip(grad_w, grad_b) for g in pair], len(X))
        X = np.asfortranarray(X) if layout == "F" else X
        assert step(X, Y) == pytest.approx(ref_cost, rel=1e-12)
    for p, q in zip(fused.params, ref.params):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


OPTIMISERS = [("sgd", 3.0, 0.0), ("sgd", 3.0, 1e-3), ("momentum", 0.1, 0.0), ("adam", 0.01, 1e-3)]


@pytest.mark.parametrize("script", ["s K s R", "s s R s K s R", "s K s x x x R"],
                         ids=["one step", "a second roll back", "after refused steps"])
@pytest.mark.parametrize("opt,lr,l2", OPTIMISERS)
@pytest.mark.parametrize("sparse", [False, True])
def test_roll_back_restores_the_weights_before_the_last_step_taken(script, opt, lr, l2, sparse,
                                                                   rng):
    """s: a step; x: a step refused (its cost is over the limit: it changes nothing); K: keep
    the weights; R: roll back, which must restore exactly the weights kept. The arrays a roll
    back restores are not reused as scratch afterwards, and refused steps touch nothing."""
    net = Network([30, 12, 10], rng=rng, dtype=np.float32)
    step = TrainStep(net, make_optimizer(opt, lr, l2))
    kept = None
    for action in script.split():
        if action in "sx":
            step(*batch(rng, 10, sparse=sparse), max_cost=np.inf if action == "s" else 0.0)
        elif action == "K":
            kept = [p.copy() for p in net.params]
        else:
            if kept is not None:
                assert not any(np.array_equal(p, q) for p, q in zip(net.params, kept))
            step.roll_back()
    for p, q in zip(net.params, kept):
        np.testing.assert_array_equal(p, q)
    for w, wT in zip(net.weights, step.wT):  # the network and the step hold the same arrays
        assert np.shares_memory(w, wT)


def test_a_cost_over_the_limit_changes_nothing(rng):
    net = Network([30, 12, 10], rng=rng)
    step = TrainStep(net, make_optimizer("sgd", 3.0))
    before = [p.copy() for p in net.params]
    step(*batch(rng, 10), max_cost=0.0)
    for p, q in zip(net.params, before):
        np.testing.assert_array_equal(p, q)
