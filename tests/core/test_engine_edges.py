"""Edges of the engine that a mutation run (mutmut over network, step, preprocess and costs)
found untested: the forward pass with real biases and a softmax output, one image at a time,
dtypes kept, probability rows, layer-size limits and the errors' exact words, roll_back twice,
batches where most examples are blank, digits whose ink sits far from their centre, grey levels,
both sides of a digit scaled alike, and the initialisation saved with a model."""

from __future__ import annotations

import numpy as np
import pytest

from core.activations import get_activation
from core.costs import get_cost
from core.errors import ConfigError, DataError
from core.model_io import load_model, save_model
from core.network import MAX_UNITS, Network
from core.optimizers import make_optimizer
from core.preprocess import SIZE, to_mnist
from core.step import TrainStep


def forward_by_hand(net: Network, X: np.ndarray) -> np.ndarray:
    """aᴸ, one equation per layer: z = a wᵀ + b, a = σ(z), the last layer through the cost's
    output function (softmax for cross-entropy)."""
    a = np.asarray(X, np.float64)
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ w.T.astype(np.float64) + b.astype(np.float64)
        a = net.cost.output(z) if l == len(net.weights) - 1 else net.activation.fn(z)
    return a


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("relu", "cross_entropy"),
                                             ("tanh", "cross_entropy")])
def test_feedforward_is_the_equations_with_real_biases(activation, cost, rng):
    net = Network([6, 5, 4, 3], activation, cost, init="normal", rng=rng)  # nonzero biases
    X = rng.random((7, 6))
    np.testing.assert_allclose(net.feedforward(X), forward_by_hand(net, X), rtol=1e-5,
                               atol=1e-6)
    if cost == "cross_entropy":  # softmax rows
        np.testing.assert_allclose(net.feedforward(X).sum(axis=1), 1, rtol=1e-5)


def test_one_image_is_a_batch_of_one(rng):
    net = Network([6, 4, 3], rng=rng, init="normal")
    x = rng.random(6)
    np.testing.assert_array_equal(net.feedforward(x), net.feedforward(x[None, :]))
    assert net.predict_proba(x).shape == (1, 3)


def test_probabilities_are_rows_summing_to_one_even_when_the_sigmoids_do_not(rng):
    net = Network([6, 4, 3], rng=rng, init="normal")
    net.biases[-1][:] = -8.0  # every output sigmoid near 0: their sum is far below 1
    X = rng.random((5, 6))
    assert net.feedforward(X).sum(axis=1).max() < 0.1
    np.testing.assert_allclose(net.predict_proba(X).sum(axis=1), 1, rtol=1e-9)
    ce = Network([6, 4, 3], cost="cross_entropy", rng=rng)
    np.testing.assert_allclose(ce.predict_proba(X), ce.feedforward(X), rtol=1e-6)


def test_a_network_without_a_generator_still_starts_at_random():
    a, b = Network([4, 3, 2]), Network([4, 3, 2])
    assert not np.array_equal(a.weights[0], b.weights[0])


def test_float32_throughout_and_after_training_steps(rng):
    net = Network([8, 5, 3], "relu", "cross_entropy", rng=rng)
    assert net.dtype == np.float32
    assert all(p.dtype == np.float32 for p in [*net.weights, *net.biases])
    X = rng.random((4, 8)).astype(np.float32)
    assert net.feedforward(X).dtype == np.float32
    for name in ("sgd", "momentum", "adam"):
        step = TrainStep(net, make_optimizer(name, 0.01))
        step(X, np.eye(3, dtype=np.float32)[[0, 1, 2, 0]])
        assert all(p.dtype == np.float32 for p in [*net.weights, *net.biases]), name


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_roll_back_before_any_step_and_twice_changes_nothing(name, rng):
    net = Network([8, 5, 3], rng=rng)
    step = TrainStep(net, make_optimizer(name, 0.5))
    before = [p.copy() for p in net.params]
    step.roll_back()  # nothing to roll back yet
    X, Y = rng.random((4, 8)), np.eye(3)[[0, 1, 2, 0]]
    step(X, Y)
    step.roll_back()
    step.roll_back()  # the second time there is nothing left to undo
    for p, q in zip(net.params, before):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_a_batch_of_mostly_blank_images_steps_like_backprop(name, rng):
    """Eight of ten examples are blank: the lit pixels are those of the other two, never the
    examples that have ink."""
    ref = Network([30, 6, 10], init="normal", rng=np.random.default_rng(3), dtype=np.float64)
    net = ref.copy()
    X = np.zeros((10, 30))
    X[[3, 7], :] = rng.random((2, 30)) * (rng.random((2, 30)) < 0.5)
    Y = np.eye(10)[rng.integers(0, 10, 10)]
    ref_opt = make_optimizer(name, 0.1)
    step = TrainStep(net, make_optimizer(name, 0.1))
    for _ in range(2):
        grad_w, grad_b = ref.backprop(X, Y)
        ref_opt.step(ref.params, [g for pair in zip(grad_w, grad_b) for g in pair], len(X))
        step(X, Y)
    for p, q in zip(net.params, ref.params):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("sizes,words", [
    ([784], "at least an input and an output"),
    ([784, 0, 10], "at least 1 unit"),
    ([784, MAX_UNITS + 1, 10], f"more than the {MAX_UNITS}"),
    ([784, "x", 10], "whole numbers"),
])
def test_bad_layer_sizes_say_what_is_wrong(sizes, words):
    with pytest.raises(ConfigError, match=words):
        Network(sizes)


def test_layer_size_limits_are_inclusive():
    assert Network([3, 1, 2]).sizes == [3, 1, 2]
    assert Network([2, MAX_UNITS, 2]).sizes == [2, MAX_UNITS, 2]
    assert Network([MAX_UNITS + 10, 2]).sizes[0] == MAX_UNITS + 10  # the input is not a layer


def test_unknown_names_and_bad_drawings_say_exactly_what_is_wrong():
    with pytest.raises(ConfigError) as info:
        Network([4, 2], init="he")
    assert str(info.value) == "unknown initialisation 'he'; choose one of normal, scaled"
    with pytest.raises(ConfigError) as info:
        get_cost("hinge")
    assert str(info.value) == "unknown cost 'hinge'; choose one of quadratic, cross_entropy"
    with pytest.raises(ConfigError) as info:
        Network([784])
    assert str(info.value) == "a network needs at least an input and an output layer"
    with pytest.raises(TypeError) as info:
        TrainStep(Network([4, 2]), object())
    assert str(info.value) == "no fused step for object"
    with pytest.raises(DataError) as info:
        to_mnist(np.zeros((0, 5)))
    assert str(info.value) == "a drawing must be a non-empty 2-D array, got shape (0, 5)"
    assert get_activation("relu").name == "relu"


def test_the_initialisation_is_kept_with_the_model(tmp_path, rng):
    path = save_model(tmp_path / "n.npz", Network([4, 3, 2], init="normal", rng=rng))
    assert load_model(path).network.init == "normal"


@pytest.mark.parametrize("where", ["top", "bottom", "left", "right"])
def test_ink_heavy_at_one_end_stays_whole_against_the_other_edge(where):
    """A tall (or wide) shape whose mass sits at one end: centring its centre of mass would push
    the other end out of the frame, so the shift stops there, keeping every pixel."""
    image = np.zeros((200, 200), np.float32)
    image[20:180, 95:105] = 0.3  # a thin stem ...
    image[20:50, 40:160] = 1.0  # ... under a heavy bar at the top
    image = {"top": image, "bottom": image[::-1], "left": image.T, "right": image.T[:, ::-1]}[
        where]
    out = to_mnist(image)
    ink = out > 0.05
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    edge = {"top": SIZE - 1 - rows[-1], "bottom": rows[0], "left": SIZE - 1 - cols[-1],
            "right": cols[0]}[where]
    assert edge == 0, (where, rows, cols)
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == 20


def test_grey_levels_are_kept_not_saturated():
    """The ink is scaled so its darkest pixel is 1, and no more: a stroke half as dark as the
    rest stays about half as dark."""
    image = np.zeros((100, 100), np.float32)
    image[10:90, 10:50] = 1.0
    image[10:90, 50:90] = 0.5
    out = to_mnist(image)
    assert out.max() == pytest.approx(1.0)
    left, right = out[:, :14], out[:, 14:]
    assert np.median(right[right > 0.05]) == pytest.approx(0.5, abs=0.05)
    assert np.median(left[left > 0.05]) == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("h,w", [(100, 47), (47, 100), (90, 61)])
def test_both_sides_shrink_by_the_same_factor_to_the_sub_pixel(h, w):
    """Fitting the longer side into 20 pixels scales the shorter one by the same factor, with a
    partly covered last row or column, not stretched to whole pixels: a filled h × w rectangle
    keeps its ink area times the factor squared."""
    image = np.zeros((120, 120), np.float32)
    image[5 : 5 + h, 7 : 7 + w] = 1.0
    scale = 20 / max(h, w)
    assert to_mnist(image).sum() == pytest.approx(h * w * scale**2, rel=2e-3)
