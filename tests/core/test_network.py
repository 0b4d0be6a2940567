"""The vectorised network against references: the notes' per-example algorithm and central
finite differences, in float64."""

import itertools

import numpy as np
import pytest

from core.costs import CrossEntropyCost, QuadraticCost, log_softmax, softmax
from core.errors import ConfigError
from core.network import Network
from core.optimizers import SGD

ARCHITECTURES = [[784, 128, 128, 10], [5, 3, 2], [7, 6, 5, 4, 3], [4, 10]]
ACTS = ["sigmoid", "tanh", "relu"]
COSTS = ["quadratic", "cross_entropy"]


# --- the notes' algorithm, one column vector at a time ----------------------------------------
# Written independently of core: every derivative is taken from z, as in the notes.

def _act(name, z):
    return {"sigmoid": lambda: 1 / (1 + np.exp(-z)), "tanh": lambda: np.tanh(z),
            "relu": lambda: np.maximum(z, 0)}[name]()


def _act_prime(name, z):
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    return (z > 0).astype(float)


@np.errstate(over="ignore")  # 1 / (1 + e^1000) = 0 is the right sigmoid; the warning is noise
def notes_backprop(net, x, y):
    """The notes' backprop for one example; x and y are column vectors."""
    weights = [w.astype(np.float64) for w in net.weights]
    biases = [b.astype(np.float64)[:, None] for b in net.biases]
    act = net.activation.name
    activation, activations, zs = x, [x], []
    for l, (b, w) in enumerate(zip(biases, weights)):
        z = np.dot(w, activation) + b
        zs.append(z)
        if l == len(weights) - 1:
            if net.cost.name == "quadratic":
                activation = 1 / (1 + np.exp(-z))
            else:
                e = np.exp(z - z.max())
                activation = e / e.sum()
        else:
            activation = _act(act, z)
        activations.append(activation)
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    if net.cost.name == "quadratic":
        delta = (activations[-1] - y) * _act_prime("sigmoid", zs[-1])  # BP1
    else:
        delta = activations[-1] - y
    nabla_b[-1] = delta  # BP3
    nabla_w[-1] = np.dot(delta, activations[-2].T)  # BP4
    for l in range(2, len(weights) + 1):
        delta = np.dot(weights[-l + 1].T, delta) * _act_prime(act, zs[-l])  # BP2
        nabla_b[-l] = delta
        nabla_w[-l] = np.dot(delta, activations[-l - 1].T)
    return nabla_w, [b[:, 0] for b in nabla_b]


def make_batch(sizes, n, rng, dtype=np.float64):
    X = rng.random((n, sizes[0])).astype(dtype)
    labels = rng.integers(0, sizes[-1], n)
    Y = np.eye(sizes[-1], dtype=dtype)[labels]
    return X, Y


@pytest.mark.parametrize("sizes", ARCHITECTURES)
@pytest.mark.parametrize("activation,cost", list(itertools.product(ACTS, COSTS)))
def test_vectorised_equals_sum_of_per_example_gradients(sizes, activation, cost, rng):
    net = Network(sizes, activation, cost, init="normal", rng=rng, dtype=np.float64)
    X, Y = make_batch(sizes, 13, rng)
    grad_w, grad_b = net.backprop(X, Y)
    ref_w = [np.zeros_like(w) for w in net.weights]
    ref_b = [np.zeros_like(b) for b in net.biases]
    for x, y in zip(X, Y):
        nw, nb = notes_backprop(net, x[:, None], y[:, None])
        ref_w = [a + d for a, d in zip(ref_w, nw)]
        ref_b = [a + d for a, d in zip(ref_b, nb)]
    for g, r in zip(grad_w + grad_b, ref_w + ref_b):
        assert g.shape == r.shape
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("activation,cost", list(itertools.product(ACTS, COSTS)))
def test_backprop_matches_central_finite_differences(activation, cost, rng):
    sizes = [6, 5, 4, 3]
    net = Network(sizes, activation, cost, init="normal", rng=rng, dtype=np.float64)
    X, Y = make_batch(sizes, 7, rng)
    grad_w, grad_b = net.backprop(X, Y)
    eps = 1e-6
    for param, grad in zip(net.weights + net.biases, grad_w + grad_b):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + eps
            up = net.total_cost(X, Y)
            param[idx] = old - eps
            down = net.total_cost(X, Y)
            param[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_quadratic_cost_is_half_squared_error():
    a = np.array([[0.2, 0.7, 0.1]])
    y = np.array([[0.0, 1.0, 0.0]])
    assert QuadraticCost.value(None, a, y) == pytest.approx(0.5 * (0.04 + 0.09 + 0.01))


def test_softmax_and_cross_entropy_are_stable_for_huge_inputs():
    z = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]])
    p = softmax(z)
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1)
    assert np.isfinite(log_softmax(z)).all()
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert CrossEntropyCost.value(z, p, y) == pytest.approx(2000 + np.log(3), rel=1e-9)


def test_sigmoid_never_overflows():
    from core.activations import sigmoid

    with np.errstate(all="raise"):
        s = sigmoid(np.array([-1e6, -50.0, 0.0, 50.0, 1e6], dtype=np.float32))
    np.testing.assert_allclose(s, [0, 0, 0.5, 1, 1], atol=1e-7)


def test_shapes_follow_the_notes(rng):
    net = Network([784, 128, 128, 10], rng=rng)
    assert [w.shape for w in net.weights] == [(128, 784), (128, 128), (10, 128)]
    assert [b.shape for b in net.biases] == [(128,), (128,), (10,)]
    X = rng.random((5, 784))
    assert net.feedforward(X).shape == (5, 10)
    p = net.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert net.predict(X).shape == (5,)
    assert sum(p.size for p in net.params) == 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10


def test_initialisations(rng):
    normal = Network([784, 128, 10], init="normal", rng=rng, dtype=np.float64)
    assert abs(normal.weights[0].std() - 1) < 0.01 and abs(normal.biases[0].std() - 1) < 0.2
    scaled = Network([784, 128, 10], init="scaled", rng=rng, dtype=np.float64)
    assert abs(scaled.weights[0].std() - 1 / np.sqrt(784)) < 0.001
    assert not scaled.biases[0].any()
    he = Network([784, 128, 10], "relu", init="scaled", rng=rng, dtype=np.float64)
    assert abs(he.weights[0].std() - np.sqrt(2 / 784)) < 0.001


def test_same_rng_same_network():
    a = Network([10, 4, 3], rng=np.random.default_rng(1))
    b = Network([10, 4, 3], rng=np.random.default_rng(1))
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("sizes", [[784], [784, 0, 10], [784, -3, 10], [784, 10**6, 10],
                                   [784, "x", 10]])
def test_absurd_sizes_are_refused(sizes):
    with pytest.raises(ConfigError):
        Network(sizes)


@pytest.mark.parametrize("kw", [{"activation": "swish"}, {"cost": "hinge"}, {"init": "xavier"}])
def test_unknown_options_are_refused(kw):
    with pytest.raises(ConfigError):
        Network([4, 3, 2], **kw)


def test_sgd_step_is_the_notes_update_rule(rng):
    net = Network([6, 4, 3], rng=rng, dtype=np.float64)
    X, Y = make_batch(net.sizes, 10, rng)
    before = [p.copy() for p in net.params]
    grad_w, grad_b = net.backprop(X, Y)
    expected = [p - (3.0 / 10) * g for p, g in zip(before, [grad_w[0], grad_b[0], grad_w[1],
                                                            grad_b[1]])]
    grads = [g.copy() for pair in zip(grad_w, grad_b) for g in pair]
    SGD(3.0).step(net.params, grads, 10)
    for p, e in zip(net.params, expected):
        np.testing.assert_allclose(p, e, rtol=1e-12)


def test_copy_is_independent(rng):
    net = Network([4, 3, 2], rng=rng)
    snap = net.copy()
    net.weights[0] += 1
    assert not np.allclose(snap.weights[0], net.weights[0])
    assert snap.sizes == net.sizes and snap.cost is net.cost


def test_wrong_input_shape_is_a_clear_error(rng):
    net = Network([4, 3, 2], rng=rng)
    with pytest.raises(ValueError, match=r"\(N, 4\)"):
        net.feedforward(np.zeros((2, 5)))


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost])
def test_fused_cost_equals_output_value_delta(cost, rng):
    z = rng.normal(size=(7, 10)) * 3
    y = np.eye(10)[rng.integers(0, 10, 7)]
    a, value, delta = cost.fused(z, y)
    np.testing.assert_allclose(a, cost.output(z), rtol=1e-12)
    assert value == pytest.approx(cost.value(z, cost.output(z), y), rel=1e-12)
    np.testing.assert_allclose(delta, cost.delta(z, cost.output(z), y), rtol=1e-12, atol=1e-15)
