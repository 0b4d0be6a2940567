"""core.inspect and core.history against Network's own forward pass, backprop and SGD."""

import itertools

import numpy as np
import pytest

from core import inspect
from core.history import RunHistory, network_bytes
from core.network import Network

COMBOS = list(itertools.product(["sigmoid", "relu", "tanh"], ["quadratic", "cross_entropy"]))


def digit(rng):
    x = np.zeros((28, 28), np.float32)
    x[6:22, 12:16] = rng.uniform(0.5, 1, (16, 4))
    return x


@pytest.fixture
def net(rng):
    return Network([784, 32, 16, 10], "relu", "cross_entropy", rng=rng)


def test_forward_is_the_networks_own_pass(net, rng):
    x = digit(rng)
    fwd = inspect.forward(net, x)
    assert np.array_equal(fwd.activations[0], x.ravel())
    assert np.array_equal(fwd.activations[-1], net.feedforward(x.reshape(1, -1))[0])
    a = x.ravel()
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = w @ a + b
        np.testing.assert_allclose(fwd.zs[l], z, rtol=1e-5, atol=1e-6)
        a = fwd.activations[l + 1]
    assert [len(z) for z in fwd.zs] == [32, 16, 10]


def test_contributions_are_the_largest_terms_with_their_sign(net, rng):
    x = digit(rng).ravel()
    c = inspect.contributions(net.weights[0], x, k=50)
    terms = net.weights[0] * x[None, :]
    assert len(c.value) == 50
    assert np.array_equal(c.value, terms[c.target, c.source])
    assert np.all(np.diff(np.abs(c.value)) <= 0)  # strongest first
    assert np.abs(c.value).min() >= np.sort(np.abs(terms).ravel())[-50]
    assert (c.value > 0).any() and (c.value < 0).any()
    # unlit inputs contribute nothing and are never listed
    few = inspect.contributions(net.weights[0], np.eye(784, dtype=np.float32)[3], k=300)
    assert set(few.source) == {3} and len(few.value) == 32
    none = inspect.contributions(net.weights[0], np.zeros(784, np.float32))  # an empty board
    assert len(none.value) == len(none.target) == len(none.source) == 0


def test_neuron_details(net, rng):
    x = digit(rng)
    fwd = inspect.forward(net, x)
    n = inspect.neuron(net, fwd, 0, 7)
    assert n.z == pytest.approx(float(fwd.zs[0][7])) and n.b == float(net.biases[0][7])
    assert n.a == float(fwd.activations[1][7])
    assert np.array_equal(n.incoming.reshape(28, 28), net.weights[0][7].reshape(28, 28))
    assert np.array_equal(n.weight_x_input, net.weights[0][7] * x.ravel())
    assert np.array_equal(n.outgoing, net.weights[1][:, 7])
    assert abs(n.outgoing[n.targets[0]]) == np.abs(net.weights[1][:, 7]).max()
    out = inspect.neuron(net, fwd, 2, 3)
    assert out.outgoing is None and out.a == float(fwd.activations[-1][3])
    with pytest.raises(IndexError, match="32 neurons"):
        inspect.neuron(net, fwd, 0, 32)
    with pytest.raises(IndexError, match="layer 3"):
        inspect.neuron(net, fwd, 3, 0)


@pytest.mark.parametrize("activation,cost", COMBOS)
def test_backprop_record_is_network_backprop(activation, cost, rng):
    net = Network([784, 20, 12, 10], activation, cost, rng=rng)
    x = digit(rng)
    rec = inspect.backprop(net, x, 4)
    y = np.zeros((1, 10))
    y[0, 4] = 1
    grad_w, grad_b = net.backprop(x.reshape(1, -1), y)
    for l in range(3):
        assert np.array_equal(rec.grad_w[l], grad_w[l])
        assert np.array_equal(rec.delta[l], grad_b[l])  # BP3: for one example ∂C/∂b = δ
        # BP4: ∂C/∂w = δ (a of the layer below)ᵀ
        below = inspect.forward(net, x).activations[l]
        np.testing.assert_allclose(rec.grad_w[l], np.outer(rec.delta[l], below), atol=1e-6)
    a = net.feedforward(x.reshape(1, -1))[0]
    assert np.array_equal(rec.output, a)
    np.testing.assert_allclose(rec.a_minus_y, a - y[0], atol=1e-7)
    if cost == "quadratic":  # BP1: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)
        np.testing.assert_allclose(rec.sigma_prime, a * (1 - a), rtol=1e-6)
        np.testing.assert_allclose(rec.delta[-1], rec.a_minus_y * rec.sigma_prime, atol=1e-7)
    else:  # softmax + cross-entropy: δᴸ = aᴸ − y
        assert rec.sigma_prime is None
        np.testing.assert_allclose(rec.delta[-1], rec.a_minus_y, atol=1e-7)
    assert rec.cost == pytest.approx(net.total_cost(x.reshape(1, -1), y))
    assert (rec.cost_name, rec.activation_name) == (cost, activation)
    with pytest.raises(ValueError, match="label"):
        inspect.backprop(net, x, 10)


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("relu", "cross_entropy")])
def test_one_step_is_the_notes_update_and_undo_is_exact(activation, cost, rng):
    net = Network([784, 20, 10], activation, cost, rng=rng)
    x = digit(rng)
    before = [p.copy() for p in net.params]
    arrays = [id(p) for p in net.params]
    rec = inspect.backprop(net, x, 7)
    grads = [g for pair in zip(rec.grad_w, rec.grad_b) for g in pair]
    step = inspect.take_step(net, x, 7, 0.5)
    for p, old, g in zip(net.params, before, grads):
        assert np.array_equal(p, old + g * np.float32(-0.5))  # w ← w − α ∇w, m = 1
    assert step.probs_after[7] > step.probs_before[7]  # one step towards the label
    assert np.array_equal(step.probs_after, net.predict_proba(x.reshape(1, -1))[0])
    inspect.undo(net, step)
    assert np.array_equal(step.probs_before, net.predict_proba(x.reshape(1, -1))[0])
    assert [id(p) for p in net.params] == arrays
    for p, old in zip(net.params, before):
        assert p.tobytes() == old.tobytes()


def test_history_keeps_copies_per_epoch_in_bounded_memory(rng):
    net = Network([784, 16, 10], rng=rng)
    size = network_bytes(net)
    history = RunHistory(max_bytes=10 * size)
    for epoch in range(1, 31):
        net.weights[0][0, 0] = epoch
        history.add(epoch, net)
        assert history.nbytes <= 10 * size
    assert history.epochs[0] == 1 and history.epochs[-1] == 30
    assert len(history) <= 10
    for e in history.epochs:
        assert history.network(e).weights[0][0, 0] == e  # copies, not the live arrays
    missing = min(set(range(1, 31)) - set(history.epochs))
    with pytest.raises(KeyError, match=f"epoch {missing} is not"):
        history.network(missing)
    # a new run starting again from epoch 1 replaces the old one
    history.add(1, net)
    assert history.epochs == [1]
    history.clear()
    assert len(history) == 0


def test_all_contributions_are_each_layers_largest_terms_for_the_pass(net, rng):
    fwd = inspect.forward(net, digit(rng))
    layers = inspect.all_contributions(net, fwd)
    assert len(layers) == 3
    a = fwd.activations[0]
    for l, (w, c) in enumerate(zip(net.weights, layers)):
        terms = w * a[None, :]  # wⱼₖ aₖ, computed here from the layer's own input
        strongest = np.sort(np.abs(terms[terms != 0]))[::-1][:inspect.TOP_CONTRIBUTIONS]
        np.testing.assert_array_equal(np.abs(c.value), strongest)
        np.testing.assert_array_equal(c.value, terms[c.target, c.source])
        a = fwd.activations[l + 1]
    assert len(inspect.all_contributions(net, fwd, k=4)[2].value) == 4


def test_no_line_for_a_zero_weight_and_none_when_none_are_asked_for(rng):
    w = rng.normal(size=(5, 6))
    w[:, 2] = 0  # a lit input whose weights are all zero contributes nothing
    c = inspect.contributions(w, np.ones(6), k=100)
    assert len(c.value) == 25 and 2 not in c.source and (c.value != 0).all()
    assert len(inspect.contributions(w, np.ones(6), k=0).value) == 0


def test_every_neuron_of_every_layer_can_be_looked_at_and_no_other(net, rng):
    fwd = inspect.forward(net, digit(rng))
    for layer, n in enumerate([32, 16, 10]):
        for index in (0, n - 1):
            details = inspect.neuron(net, fwd, layer, index)
            assert (details.layer, details.index) == (layer, index)
            assert details.a == float(fwd.activations[layer + 1][index])
        with pytest.raises(IndexError) as e:
            inspect.neuron(net, fwd, layer, n)
        assert str(e.value) == f"layer {layer} has {n} neurons, not {n + 1}"
    last_hidden = inspect.neuron(net, fwd, 1, 4)  # feeds the output layer
    assert np.array_equal(last_hidden.outgoing, net.weights[2][:, 4])
    assert len(last_hidden.targets) == 5 and len(inspect.neuron(net, fwd, 0, 4).targets) == 5


def test_backprop_and_a_step_work_for_any_number_of_outputs_and_say_what_they_did(rng):
    small = Network([6, 4, 3], "sigmoid", "quadratic", rng=rng)
    x = rng.uniform(0, 1, 6)
    y = np.array([[0.0, 0.0, 1.0]])
    rec = inspect.backprop(small, x, 2)
    grad_w, grad_b = small.backprop(x.reshape(1, -1), y)
    assert rec.label == 2 and all(np.array_equal(a, b) for a, b in zip(rec.grad_w, grad_w))
    before = [p.copy() for p in small.params]
    step = inspect.take_step(small, x, 2, 0.25)
    assert (step.label, step.learning_rate) == (2, 0.25)
    grads = [g for pair in zip(grad_w, grad_b) for g in pair]
    for p, old, g in zip(small.params, before, grads):
        np.testing.assert_allclose(p, old - 0.25 * g, rtol=1e-6)


@pytest.mark.parametrize("budget, epochs, kept", [
    (4, 4, [1, 2, 3, 4]),  # four copies fit in four copies' bytes
    (4, 5, [1, 3, 4, 5]),  # a fifth does not: every second one goes, never the first or newest
    (3, 4, [1, 3, 4]),
    (2, 3, [2, 3]),  # too small to thin: the oldest goes
    (1, 3, [3]),
])
def test_history_thins_by_the_documented_rule(rng, budget, epochs, kept):
    """Worked by hand from core/history.py's docstring, budgets in copies of the network."""
    net = Network([784, 16, 10], rng=rng)
    history = RunHistory(max_bytes=budget * network_bytes(net))
    for epoch in range(1, epochs + 1):
        history.add(epoch, net)
    assert history.epochs == kept


def test_adding_the_latest_epoch_again_replaces_its_copy(rng):
    net = Network([784, 16, 10], rng=rng)
    history = RunHistory()
    for epoch in (1, 2, 3):
        net.weights[0][0, 0] = epoch
        history.add(epoch, net)
    net.weights[0][0, 0] = 33
    history.add(3, net)
    assert history.epochs == [1, 2, 3] and history.network(3).weights[0][0, 0] == 33
