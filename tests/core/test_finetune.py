"""core.finetune: what is held out, how my digits are mixed in, the config of the short run, and
that a fine-tune teaches a network a new style without forgetting the old ones."""

import numpy as np
import pytest
from helpers.synthetic import blobs

from core.data import Dataset, MnistData
from core.finetune import (
    FineTuneReport,
    accuracy,
    fine_tune_config,
    held_out,
    oversampled,
    plan_fine_tune,
)
from core.training import PRESETS, TrainConfig, train


def test_a_fifth_of_each_digit_with_five_or_more_is_held_out(rng):
    labels = np.array([0] * 10 + [1] * 5 + [2] * 4 + [3] * 2, np.uint8)
    keep, hold = held_out(labels, rng)
    assert sorted(np.concatenate([keep, hold]).tolist()) == list(range(len(labels)))
    assert np.bincount(labels[hold], minlength=10).tolist()[:4] == [2, 1, 0, 0]
    _, none = held_out(np.repeat(np.arange(10), 2).astype(np.uint8), rng)
    assert len(none) == 0  # two of each: all of them are trained on


def test_oversampling_makes_my_digits_the_share_asked(rng):
    mine = Dataset(np.zeros((20, 28, 28), np.uint8), np.repeat(np.arange(10), 2).astype(np.uint8))
    mixed = oversampled(mine, 12_000, rng, share=0.12)
    assert len(mixed) / (len(mixed) + 12_000) == pytest.approx(0.12, abs=1e-3)
    counts = np.bincount(mixed.labels, minlength=10)
    assert counts.max() - counts.min() <= 2  # every digit repeated about equally
    assert len(oversampled(mine, 10, rng)) == 20  # never fewer than once each


def test_the_config_continues_the_models_recipe_gently():
    network = PRESETS["default"].make_network()
    base = PRESETS["default"]
    config = fine_tune_config(network, base)
    assert config.learning_rate == pytest.approx(base.learning_rate / 10)
    assert (config.cost, config.optimizer, config.augment) == (base.cost, base.optimizer, True)
    assert config.validation == 0 and config.epochs <= 5
    other = TrainConfig(hidden=(32,), activation="tanh").make_network()
    derived = fine_tune_config(other, None)
    assert derived.sizes == other.sizes and derived.activation == "tanh"


def test_a_fine_tune_learns_a_new_style_and_keeps_the_old(rng):
    """Blobs are the 'MNIST'; 'my' 3s light the patch of the 7s (a style the network has never
    seen) and so are read as 7 before. After the fine-tune my held-out 3s are read as 3 and the
    other digits still as before."""
    base = blobs(2000, rng)
    config = TrainConfig(hidden=(32,), activation="relu", cost="cross_entropy", optimizer="adam",
                         learning_rate=3e-3, batch_size=32, epochs=2, validation=0)
    network = config.make_network()
    train(network, config, base)
    test = blobs(500, rng)
    mnist = MnistData(Dataset(base.images, base.labels), Dataset(test.images, test.labels), "b")
    sevens = blobs(400, rng)
    mine_images = sevens.images[sevens.labels == 7][:30]
    mine = Dataset(np.ascontiguousarray(mine_images), np.full(len(mine_images), 3, np.uint8))
    plan = plan_fine_tune(network, config, mnist, mine, mnist_rows=1500)
    assert len(plan.held_out) == len(mine) // 5 and len(plan.trained_on) == len(mine) - len(
        plan.held_out)
    held_before = accuracy(network, plan.held_out)
    mnist_before = accuracy(network, mnist.test)
    assert held_before == 0 and mnist_before > 0.95
    train(network, plan.config, plan.data.train)
    assert accuracy(network, plan.held_out) == 1.0
    others = mnist.test.labels != 7  # 7s and "my 3s" now look alike: only the others must hold
    sub = Dataset(np.ascontiguousarray(mnist.test.images[others]), mnist.test.labels[others])
    assert accuracy(network, sub) > 0.95
    report = FineTuneReport(len(plan.trained_on), len(plan.held_out), held_before, 1.0,
                            mnist_before, 0.9, 2.5)
    assert "6 held-out digits: 0.0% → 100.0%" in report.describe()
