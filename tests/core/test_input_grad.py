"""core.input_grad: ∂C/∂x against central finite differences in float64, and the nudge toward a
digit k (its steps, its stops, its batch form), on the bundled model over real MNIST digits."""

import numpy as np
import pytest

from core.input_grad import BUDGET, STEP_SIZE, input_gradient, nudge, nudge_all, nudge_step
from core.network import Network
from core.train_config import PRESETS


def as_float64(network: Network) -> Network:
    return Network.from_params(network.weights, network.biases, network.activation.name,
                               network.cost.name, dtype=np.float64)


def preset_network(name: str) -> Network:
    """The preset's fresh network (``seed``: sigmoid + quadratic; ``default``: ReLU + softmax
    and cross-entropy), in float64 for a finite-difference check."""
    return as_float64(PRESETS[name].make_network())


def cost(network: Network, x: np.ndarray, k: int) -> float:
    y = np.eye(network.sizes[-1])[[k]]
    return network.total_cost(x.reshape(1, -1), y)


def central_differences(network: Network, x: np.ndarray, k: int, eps: float = 1e-6):
    numeric = np.zeros_like(x)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (cost(network, up, k) - cost(network, down, k)) / (2 * eps)
    return numeric


@pytest.mark.parametrize("preset", ["seed", "default"])
@pytest.mark.parametrize("k", [0, 7])
def test_input_gradient_matches_central_differences(preset, k, rng):
    network = preset_network(preset)
    x = rng.uniform(0, 1, 784) * (rng.uniform(size=784) < 0.3)  # a sparse, digit-like input
    grad = input_gradient(network, x, k)
    numeric = central_differences(network, x, k)
    assert grad.shape == x.shape and grad.dtype == np.float64
    assert np.abs(grad).max() > 1e-8  # not a vacuous check
    rel = np.linalg.norm(grad - numeric) / np.linalg.norm(numeric)
    assert rel < 1e-6, f"{preset}: relative error {rel:.2e}"


def test_input_gradient_of_a_batch_is_each_rows_own(rng):
    network = preset_network("default")
    X = rng.uniform(0, 1, (4, 784))
    ks = np.array([3, 1, 4, 1])
    batch = input_gradient(network, X, ks)
    for x, k, g in zip(X, ks, batch):
        np.testing.assert_allclose(g, input_gradient(network, x, k), rtol=1e-12, atol=1e-15)


def test_input_gradient_keeps_an_images_shape_and_refuses_bad_targets(rng):
    network = preset_network("seed")
    image = rng.uniform(0, 1, (28, 28))
    assert input_gradient(network, image, 5).shape == (28, 28)
    with pytest.raises(ValueError, match="0 to 9, got"):
        input_gradient(network, image, 10)
    with pytest.raises(ValueError, match="shape"):
        input_gradient(network, np.zeros(100), 1)


def test_a_step_has_the_step_size_and_stays_in_the_box(rng):
    network = preset_network("default")
    X = rng.uniform(0, 1, (5, 784)) * (rng.uniform(size=(5, 784)) < 0.3)
    new, _ = nudge_step(network, X, 2, size=0.3)
    assert new.min() >= 0 and new.max() <= 1
    moved = np.linalg.norm(new - X, axis=1)
    # a step of length 0.3; the clip can only shorten it (pixels pushed past 0 or 1)
    assert np.all(moved <= 0.3 + 1e-12) and np.all(moved > 0.2)


def test_a_step_lowers_the_cost_for_k(rng):
    network = preset_network("seed")
    x = rng.uniform(0, 1, 784) * (rng.uniform(size=784) < 0.3)
    new, _ = nudge_step(network, x, 6, size=1e-3)
    assert cost(network, new, 6) < cost(network, x, 6)


def test_nudge_stops_when_the_network_reads_k(rng):
    network = preset_network("default")
    x = rng.uniform(0, 1, (28, 28)) * (rng.uniform(size=(28, 28)) < 0.3)
    before = x.copy()
    k = (int(network.predict(x.reshape(1, -1))[0]) + 1) % 10
    steps = list(nudge(network, x, k, size=0.2, budget=500))
    np.testing.assert_array_equal(x, before)  # the drawing itself is never changed
    np.testing.assert_array_equal(steps[0].x, x)
    assert [s.step for s in steps] == list(range(len(steps)))
    assert steps[-1].reads and not any(s.reads for s in steps[:-1])
    assert steps[-1].x.shape == (28, 28)
    assert steps[-1].probs[k] > steps[0].probs[k]


def test_nudge_can_go_on_until_the_network_is_sure(rng):
    network = preset_network("default")
    x = rng.uniform(0, 1, 784) * (rng.uniform(size=784) < 0.3)
    k = (int(network.predict(x.reshape(1, -1))[0]) + 1) % 10
    first = list(nudge(network, x, k, size=0.2, budget=500))
    sure = list(nudge(network, x, k, size=0.2, budget=500, sure=0.99))
    assert sure[-1].done and sure[-1].probs[k] >= 0.99 and len(sure) > len(first)
    assert not any(s.done for s in sure[:-1])
    for a, b in zip(first, sure):  # the same steps, only more of them
        np.testing.assert_array_equal(a.x, b.x)
    outcome = nudge_all(network, x[None, :], [k], size=0.2, budget=500, sure=0.99)
    assert outcome.steps[0] == sure[-1].step
    with pytest.raises(ValueError, match="sure"):
        next(nudge(network, x, k, sure=1.0))


def test_nudge_keeps_to_its_budget(rng):
    network = preset_network("seed")
    x = np.zeros(784)
    k = (int(network.predict(x.reshape(1, -1))[0]) + 1) % 10
    steps = list(nudge(network, x, k, size=1e-4, budget=3))
    assert [s.step for s in steps] == [0, 1, 2, 3] and not steps[-1].reads
    with pytest.raises(ValueError, match="0 to 9"):
        next(nudge(network, x, -1))


def test_nudge_all_takes_the_same_steps_as_nudge(rng):
    network = preset_network("default")
    X = rng.uniform(0, 1, (3, 784)) * (rng.uniform(size=(3, 784)) < 0.3)
    ks = (network.predict(X) + np.array([1, 3, 5])) % 10
    outcome = nudge_all(network, X, ks, size=0.2, budget=300)
    for x, k, final, n in zip(X, ks, outcome.X, outcome.steps):
        last = list(nudge(network, x, int(k), size=0.2, budget=300))[-1]
        assert last.step == n  # the same rows to 1e-12 (a batch's product rounds its own way)
        np.testing.assert_allclose(last.x, final, rtol=0, atol=1e-12)
    assert outcome.reached.all()


@pytest.mark.mnist
def test_nudge_reaches_k_for_95_percent_of_mnist_pairs(mnist_dir, mnist_test_images):
    """The bundled model, 100 test digits, every k but the label: the network reads k within
    the budget for at least 95% of the 900 pairs (it reaches all of them: the steps are few and
    small, a median L2 change of about 1.4 where the digit's own norm is about 9)."""
    from core.data import load_idx
    from core.model_io import load_model
    from core.package import bundled_model_path
    from core.preprocess import as_read_by

    network = load_model(bundled_model_path()).network
    labels = load_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz", kind="labels")[:100]
    X = (as_read_by(network, mnist_test_images[:100]) / np.float32(255)).reshape(100, 784)
    rows, ks = np.nonzero(np.arange(10)[None, :] != labels[:, None])
    outcome = nudge_all(network, X[rows], ks, STEP_SIZE, BUDGET)
    change = np.linalg.norm(outcome.X - X[rows], axis=1)
    assert len(ks) == 900
    assert outcome.reached.mean() >= 0.95, f"reached {outcome.reached.mean():.1%}"
    assert np.all(outcome.steps <= BUDGET)
    assert np.median(change) < 5, f"median L2 change {np.median(change):.2f}"
