"""core.lesson against independent references: BP1 and the what-if cost against the notes'
formulas written plainly and against finite differences of the cost in zᴸ; one step's ΔC
prediction against −α‖∇C‖² summed by hand; the gradient check at weights of every layer of a
`seed` and a `default` network."""

import numpy as np
import pytest

from core import inspect, lesson
from core.costs import SigmoidCrossEntropyCost
from core.network import Network
from core.train_config import preset


def digit(seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((28, 28), np.float32)
    x[5:23, 12:16] = rng.uniform(0.4, 1.0, (18, 4))
    x[5:8, 8:16] = 1.0
    return x


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def saturated_network():
    """784-30-10 sigmoid + quadratic with N(0, 1) weights: outputs stuck near 0 or 1."""
    return Network([784, 30, 10], "sigmoid", "quadratic", init="normal",
                   rng=np.random.default_rng(0))


def z_out(net, x):
    a = x.reshape(-1).astype(np.float64)
    for w, b in zip(net.weights, net.biases):
        z = w.astype(np.float64) @ a + b
        a = sigmoid(z) if net.activation.name == "sigmoid" else np.maximum(z, 0)
    return z


def test_bp1_under_both_costs_is_the_notes_formula_and_dC_dz():
    net, x = saturated_network(), digit()
    z = z_out(net, x)
    label = int(np.argmin(sigmoid(z)))  # its output is near 0: saturated and wrong
    a, y = sigmoid(z), np.eye(10)[label]
    quad = lesson.output_delta(net, x, label, "quadratic")
    np.testing.assert_allclose(quad, (a - y) * a * (1 - a), rtol=1e-4, atol=1e-7)
    cross = lesson.output_delta(net, x, label, "cross_entropy")
    np.testing.assert_allclose(cross, a - y, rtol=1e-5, atol=1e-6)
    # δᴸ = ∂C/∂zᴸ: central differences of Nielsen's cross-entropy in z, in float64
    def c(zz):
        s = sigmoid(zz)
        return -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s))
    h = 1e-6
    numeric = [(c(z + h * e) - c(z - h * e)) / (2 * h) for e in np.eye(10)]
    np.testing.assert_allclose(cross, numeric, rtol=1e-4, atol=1e-6)
    assert abs(cross[label]) > 100 * abs(quad[label])  # the slowdown, and its cure


def test_the_sigmoid_cross_entropy_value_is_stable_for_saturated_z():
    z = np.array([[-800.0, 0.0, 800.0]])
    y = np.array([[0.0, 1.0, 1.0]])
    a = SigmoidCrossEntropyCost.output(z)
    assert SigmoidCrossEntropyCost.value(z, a, y) == pytest.approx(np.log(2))
    assert np.array_equal(SigmoidCrossEntropyCost.delta(z, a, y), a - y)


def test_a_networks_own_cost_is_its_own_and_a_softmax_network_has_no_quadratic():
    net = Network([784, 16, 10], "relu", "cross_entropy", rng=np.random.default_rng(1))
    x = digit()
    own = inspect.backprop(net, x, 4).delta[-1]
    np.testing.assert_array_equal(lesson.output_delta(net, x, 4, "cross_entropy"), own)
    with pytest.raises(ValueError, match="no 'quadratic' cost"):
        lesson.output_delta(net, x, 4, "quadratic")


def test_saturated_outputs_are_wrong_with_a_flat_sigmoid():
    net, x = saturated_network(), digit()
    a = sigmoid(z_out(net, x))
    label = int(np.argmin(a))  # the true output is near 0: wrong, and flat
    rec = inspect.backprop(net, x, label)
    expected = [j for j in range(10)
                if abs(a[j] - (j == label)) >= 0.5 and a[j] * (1 - a[j]) <= 0.01]
    assert label in expected
    assert list(lesson.saturated(rec)) == expected
    fresh = Network([784, 30, 10], "relu", "cross_entropy", rng=np.random.default_rng(0))
    assert lesson.saturated(inspect.backprop(fresh, x, label)).size == 0


@pytest.mark.parametrize("name", ["seed", "default"])
def test_one_step_is_measured_and_predicted_as_minus_alpha_grad_squared(name):
    net, x = preset(name).make_network(), digit()
    before = [p.copy() for p in net.params]
    y = np.eye(10)[None, 5]
    pred = lesson.step_prediction(net, x, 5, 0.001)
    assert all(np.array_equal(p, q) for p, q in zip(net.params, before))  # a copy stepped
    grad_w, grad_b = net.backprop(x.reshape(1, -1), y)
    by_hand = sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grad_w + grad_b)
    assert pred.grad_norm_sq == pytest.approx(by_hand, rel=1e-6)
    assert pred.predicted == pytest.approx(-0.001 * by_hand, rel=1e-6)
    assert pred.cost_before == pytest.approx(net.total_cost(x.reshape(1, -1), y))
    inspect.take_step(net, x, 5, 0.001)
    assert pred.cost_after == net.total_cost(x.reshape(1, -1), y)
    # a small step: the first-order prediction is close to what the step did
    assert pred.measured == pytest.approx(pred.predicted, rel=0.1)
    assert not pred.raised


def raising_network():
    """A deep tanh network on which a step of α = 3 towards 0 overshoots (found by search)."""
    return Network([784, 64, 64, 64, 10], "tanh", "quadratic", rng=np.random.default_rng(0))


def test_a_step_too_large_raises_the_cost():
    net, x = raising_network(), digit()
    pred = lesson.step_prediction(net, x, 0, 3.0)
    assert pred.cost_after > pred.cost_before and pred.raised
    assert not lesson.step_prediction(net, x, 0, 0.001).raised


def checked_weights(net, x, label, layer):
    """The weight with the largest gradient, and random ones a difference can resolve."""
    net64 = lesson.as_float64(net)
    grad_w, _ = net64.backprop(x.reshape(1, -1), np.eye(10)[None, label])
    g = np.abs(grad_w[layer])
    rng = np.random.default_rng(layer)
    chosen = [np.unravel_index(int(np.argmax(g)), g.shape)]
    chosen += [tuple(rng.integers(0, n) for n in g.shape) for _ in range(20)]
    return chosen


@pytest.mark.parametrize("name", ["seed", "default"])
@pytest.mark.parametrize("label", [3, 8])
def test_the_gradient_check_agrees_with_backprop_at_every_layer(name, label):
    net, x = preset(name).make_network(), digit(label)
    assert net.dtype == np.float32  # the check copies it to float64
    for layer in range(len(net.weights)):
        checked = 0
        for j, k in checked_weights(net, x, label, layer):
            check = lesson.gradient_check(net, x, label, layer, int(j), int(k))
            assert check.eps == lesson.EPS and check.weight == net.weights[layer][j, k]
            if check.below_rounding:
                assert check.backprop == check.numeric == 0 or check.rounding > 0
                continue
            assert check.relative_error < 1e-6, (name, layer, j, k, check)
            checked += 1
        assert checked >= 1, (name, layer)


def test_a_wrong_gradient_fails_the_check():
    """The check is a check: a backprop with a wrong BP1 (δᴸ doubled) is caught."""
    net, x = preset("seed").make_network(), digit()
    check = lesson.gradient_check(net, x, 2, 2, 2, 0)
    wrong = lesson.GradientCheck(**{**check.__dict__, "backprop": 2 * check.backprop})
    assert check.relative_error < 1e-6 < wrong.relative_error


def test_the_gradient_check_names_a_weight_that_is_not_there():
    net = preset("seed").make_network()
    with pytest.raises(IndexError, match=r"weights\[2\] is 10×128"):
        lesson.gradient_check(net, digit(), 1, 2, 10, 0)
    with pytest.raises(IndexError, match="layer 3"):
        lesson.gradient_check(net, digit(), 1, 3, 0, 0)
