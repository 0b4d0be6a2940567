"""An activation and an optimiser registered from this file alone train through the run, are
saved and loaded, and are offered by ``ffn train --help`` and the training panel."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.activations import ACTIVATIONS, Activation, register_activation
from core.cli import main
from core.model_io import load_model, save_model
from core.network import Network
from core.optimizers import OPTIMIZERS, SGD, Optimizer, make_optimizer, register_optimizer
from core.run import train_run
from core.step import TrainStep
from core.training import PRESETS


def softsign(z):
    return z / (1.0 + np.abs(z))


def softsign_prime(z, a):
    return (1.0 - np.abs(a)) ** 2


class ReadableSGD(Optimizer):
    """The notes' rule kept off the fused step, as a rule that needs a whole array (its norm,
    say) would be: the training step must fall back to backprop and the per-array step."""

    name = "test_readable_sgd"
    label = "SGD (readable, test)"
    tooltip = "Plain SGD through Network.backprop and Optimizer.step."
    fused = False

    def rule(self, g):
        return g


@pytest.fixture
def registered():
    act = register_activation(Activation("test_softsign", softsign, softsign_prime,
                                         label="softsign (test)", tooltip="z / (1 + |z|)",
                                         gain=1.5))
    register_optimizer(ReadableSGD)
    yield act
    del ACTIVATIONS["test_softsign"], OPTIMIZERS["test_readable_sgd"]


CONFIG = replace(PRESETS["seed"], hidden=(20,), epochs=2, validation=100, batch_size=10,
                 learning_rate=1.0)


def test_a_registered_activation_and_optimiser_train_through_the_run(registered, small_mnist,
                                                                      tmp_path):
    data = small_mnist(600, 200)
    config = replace(CONFIG, activation="test_softsign", optimizer="test_readable_sgd")
    outcome = train_run(config, data)
    assert outcome.test_accuracy > 0.8
    # the readable fallback is the same training as SGD's fused step
    fused = train_run(replace(config, optimizer="sgd"), data)
    for a, b in zip(outcome.network.params, fused.network.params):
        np.testing.assert_allclose(a, b, rtol=0, atol=2e-4)
    # the init uses the activation's gain: N(0, 1.5/fan_in)
    fresh = config.make_network()
    assert fresh.weights[0].std() * np.sqrt(784 / 1.5) == pytest.approx(1.0, abs=0.02)
    path = save_model(tmp_path / "m.npz", outcome.network, config=config)
    loaded = load_model(path)
    assert loaded.network.activation is registered and loaded.config == config


def test_the_readable_fallback_refuses_and_rolls_back_like_the_fused_step(registered, rng):
    net = Network([30, 12, 10], rng=rng)
    step = TrainStep(net, make_optimizer("test_readable_sgd", 3.0))

    def batch():
        return rng.random((10, 30)), np.eye(10)[rng.integers(0, 10, 10)]

    step(*batch())
    kept = [p.copy() for p in net.params]
    step(*batch())
    assert not any(np.array_equal(p, q) for p, q in zip(net.params, kept))
    after = [p.copy() for p in net.params]
    step(*batch(), max_cost=0.0)  # refused: changes nothing
    for p, q in zip(net.params, after):
        np.testing.assert_array_equal(p, q)
    step.roll_back()
    for p, q in zip(net.params, kept):
        np.testing.assert_array_equal(p, q)


def test_they_are_offered_by_ffn_train_help(registered, capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    assert "test_softsign" in text and "test_readable_sgd" in text


def test_fused_optimisers_are_the_built_in_ones():
    assert all(OPTIMIZERS[n].fused for n in ("sgd", "momentum", "adam"))
    assert SGD.stateless and not ReadableSGD.fused


def test_they_are_offered_by_the_training_panel_and_train_from_it(registered, qtbot,
                                                                   small_mnist):
    from PySide6.QtCore import Qt

    from ffn_gui.widgets.training_panel import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    activation, optimizer = panel.controls["activation"], panel.controls["optimizer"]
    i = activation.findData("test_softsign")
    assert i >= 0 and activation.itemText(i) == "softsign (test)"
    assert activation.itemData(i, Qt.ItemDataRole.ToolTipRole) == "z / (1 + |z|)"
    j = optimizer.findData("test_readable_sgd")
    assert j >= 0 and optimizer.itemText(j) == ReadableSGD.label
    # every registered choice is offered, each with its label and tooltip
    assert [activation.itemData(k) for k in range(activation.count())] == list(ACTIVATIONS)
    assert [optimizer.itemText(k) for k in range(optimizer.count())] == \
        [o.label for o in OPTIMIZERS.values()]
    panel.set_n_examples(600)
    panel.set_config(replace(CONFIG, activation="test_softsign", optimizer="test_readable_sgd",
                             epochs=1))
    assert not panel.controls["momentum"].isEnabled()  # not one of its hyperparameters
    config = panel.config()
    assert config.activation == "test_softsign" and config.optimizer == "test_readable_sgd"
    assert train_run(config, small_mnist(600, 100)).test_accuracy > 0.5
    optimizer.setCurrentIndex(optimizer.findData("momentum"))
    assert panel.controls["momentum"].isEnabled()


def test_a_registered_init_and_schedule_are_used_by_a_run(small_mnist):
    from core.inits import INITS, Init, register_init
    from core.schedules import SCHEDULES, Schedule, register_schedule
    from core.training import EpochProgress

    def tenth(rng, fan_out, fan_in, gain):
        return np.full((fan_out, fan_in), 0.1), np.full(fan_out, -0.1)

    register_init(Init("test_tenth", tenth))
    register_schedule(Schedule("test_halving", lambda base, epoch, epochs: base / 2 ** epoch))
    try:
        config = replace(CONFIG, init="test_tenth", schedule="test_halving", epochs=3)
        fresh = config.make_network()
        assert (fresh.weights[1] == np.float32(0.1)).all() and (fresh.biases[0] == -0.1).all()
        rates = []
        train_run(config, small_mnist(600, 100),
                  on_progress=lambda p: isinstance(p, EpochProgress) and rates.append(
                      p.learning_rate))
        assert rates == [0.5, 0.25, 0.125]
    finally:
        del INITS["test_tenth"], SCHEDULES["test_halving"]


def test_the_cosine_schedule_falls_from_alpha_towards_zero():
    from core.schedules import SCHEDULES

    rate = SCHEDULES["cosine"].rate
    assert [rate(2.0, e, 4) for e in (1, 3)] == [2.0, pytest.approx(1.0)]
    assert SCHEDULES["constant"].rate(2.0, 3, 4) == 2.0
