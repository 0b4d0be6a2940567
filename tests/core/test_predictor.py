"""core.predictor.Predictor: drawing → network input → probabilities (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from core.network import Network
from core.predictor import Predictor


@pytest.fixture
def network() -> Network:
    return Network([784, 32, 10], "relu", "cross_entropy", rng=np.random.default_rng(0))


def drawing(size: int = 280) -> np.ndarray:
    """A float 'digit 1': a vertical bar, white on black."""
    img = np.zeros((size, size), np.float32)
    img[size // 5 : size * 4 // 5, size * 9 // 20 : size * 11 // 20] = 1.0
    return img


def test_predictor_returns_probabilities_and_the_input(network):
    probs, x = Predictor(network).predict(drawing())
    assert probs.shape == (10,) and probs.dtype == np.float64
    assert probs.sum() == pytest.approx(1.0) and (probs >= 0).all()
    assert x.shape == (28, 28) and x.dtype == np.float32
    # MNIST-style: the ink fits a 20-pixel box centred in the frame
    rows = np.flatnonzero(x.max(axis=1) > 0.05)
    assert rows[-1] - rows[0] + 1 == 20
    expected = network.predict_proba(x.reshape(1, 784))[0]
    np.testing.assert_allclose(probs, expected)


def test_predictor_none_when_empty(network):
    assert Predictor(network).predict(np.zeros((280, 280), np.float32)) == (None, None)
    assert Predictor(network, preprocess=False).predict(np.zeros((280, 280))) == (None, None)


def test_predictor_raw_mode_does_not_crop(network):
    predictor = Predictor(network, preprocess=False)
    probs, x = predictor.predict(drawing())
    assert probs.sum() == pytest.approx(1.0)
    rows = np.flatnonzero(x.max(axis=1) > 0.05)
    assert rows[-1] - rows[0] + 1 == pytest.approx(28 * 3 / 5, abs=1.5)  # as drawn


def test_predictor_swaps_networks(network):
    predictor = Predictor(network)
    other = Network([784, 16, 10], "sigmoid", "quadratic", rng=np.random.default_rng(1))
    predictor.network = other
    probs, x = predictor.predict(drawing())
    np.testing.assert_allclose(probs, other.predict_proba(x.reshape(1, 784))[0])
    predictor.network = None
    probs, x = predictor.predict(drawing())
    assert probs is None and x is not None


def test_both_modes_agree_on_what_is_empty(network):
    speck = np.zeros((280, 280), np.float32)
    speck[100:102, 100:102] = 0.1  # above the ink threshold, too little ink to read
    for preprocess in (True, False):
        assert Predictor(network, preprocess).predict(speck) == (None, None), preprocess
    speck[100:110, 100:110] = 1.0
    for preprocess in (True, False):
        assert Predictor(network, preprocess).predict(speck)[0] is not None, preprocess
