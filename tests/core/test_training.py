"""The training loop, without Qt: progress, stop, pause, reproducibility, divergence, configs."""

import threading
import time

import numpy as np
import pytest
from helpers.synthetic import blobs

from core import batches, training
from core import step as step_module
from core.errors import ConfigError, TrainingDiverged
from core.training import (
    PRESETS,
    BatchProgress,
    EpochProgress,
    TrainConfig,
    TrainControl,
    evaluate,
    preset,
    train,
)


@pytest.fixture
def data(rng):
    return blobs(600, rng), blobs(200, rng)


def small(**kw):
    base = dict(hidden=(16,), epochs=3, batch_size=10, learning_rate=3.0, validation=0)
    base.update(kw)
    return TrainConfig(**base)


def test_learns_and_reports_every_epoch(data):
    train_set, valid_set = data
    cfg = small()
    net = cfg.make_network()
    events = []
    result = train(net, cfg, train_set, valid_set, on_progress=events.append,
                   progress_interval=0.0)
    epochs = [e for e in events if isinstance(e, EpochProgress)]
    batches = [e for e in events if isinstance(e, BatchProgress)]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert len(batches) == 3 * 60 and batches[-1].batch == 60 and batches[-1].batches == 60
    assert epochs[-1].val_accuracy > 0.95
    assert epochs[-1].train_cost < epochs[0].train_cost
    assert epochs[-1].eta == 0 and epochs[0].eta > 0
    assert result.epochs_completed == 3 and not result.stopped
    assert evaluate(net, *vars(valid_set).values())[1] == epochs[-1].val_accuracy


def test_progress_is_rate_limited(data):
    cfg = small(epochs=1)
    events = []
    train(cfg.make_network(), cfg, data[0], on_progress=events.append, progress_interval=3600)
    reports = [e for e in events if isinstance(e, BatchProgress)]
    assert len(reports) == 2  # the first stretch, then the rest of the epoch at its end
    assert reports[-1].batch == reports[-1].batches
    assert sum(isinstance(e, EpochProgress) for e in events) == 1


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_every_optimiser_learns(data, name):
    lr = {"sgd": 0.1, "momentum": 0.05, "adam": 0.01}[name]
    cfg = small(optimizer=name, learning_rate=lr, activation="relu", cost="cross_entropy",
                l2=1e-4, schedule="cosine")
    net = cfg.make_network()
    result = train(net, cfg, data[0], data[1])
    assert result.history[-1].val_accuracy > 0.95


def test_reproducible_from_seed(data):
    cfg = small(augment=False, seed=7)
    a, b = cfg.make_network(), cfg.make_network()
    train(a, cfg, data[0])
    train(b, cfg, data[0])
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)
    c = small(seed=8).make_network()
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("name,batch,n", [("sgd", 10, 1005), ("momentum", 40, 1005),
                                          ("adam", 128, 1124)])
def test_batches_of_their_lit_pixels_train_as_whole_batches(name, batch, n, rng, monkeypatch):
    """The loop hands small batches to the step as the pixels they light; that trains exactly
    as whole batches do, through a step that never looks for lit pixels. The last chunk of rows
    gathered at once holds some batches and a partial one, or (n = 1124 = 2 x 512 + 100) only a
    partial one. Each image also lights a pixel of its own, so no two batches light the same
    pixels."""
    train_set = blobs(n, rng, noise=1)  # no noise: only each class's patch is lit
    train_set.images.reshape(n, -1)[np.arange(n), 28 * 26 + np.arange(n) % 56] = 255
    lr = {"sgd": 3.0, "momentum": 0.05, "adam": 0.01}[name]
    cfg = small(optimizer=name, learning_rate=lr, batch_size=batch, l2=1e-4, epochs=2)
    by_columns, whole = cfg.make_network(), cfg.make_network()
    calls, looked = [], []
    lit_columns = training.TrainStep.lit_columns

    class Spy(training.TrainStep):
        def __call__(self, X, Y, max_cost=np.inf, columns=None):
            calls.append((X.shape[1], columns is not None))
            return super().__call__(X, Y, max_cost, columns)

        @staticmethod
        def lit_columns(lit):
            looked.append(len(lit))
            return lit_columns(lit)

    monkeypatch.setattr(training, "TrainStep", Spy)
    train(by_columns, cfg, train_set)
    assert all(given and width < 784 for width, given in calls)
    calls.clear()
    looked.clear()
    # The reference: a truly dense step. Neither the loop nor the step itself looks for lit
    # pixels (the step would otherwise find them and run its sparse code on both sides).
    monkeypatch.setattr(batches, "SPARSE_MAX_BATCH", 0)
    monkeypatch.setattr(step_module, "SPARSE_MAX_BATCH", 0)
    train(whole, cfg, train_set)
    assert calls and all(width == 784 and not given for width, given in calls)
    assert looked == [], "the reference run used the sparse path"
    for p, q in zip(by_columns.params, whole.params):
        np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)


def test_stop_between_batches(data):
    cfg = small(epochs=50)
    control = TrainControl()
    seen = []

    def on_progress(p):
        seen.append(p)
        if isinstance(p, BatchProgress) and p.batch == 5:
            control.stop()

    result = train(cfg.make_network(), cfg, data[0], control=control, on_progress=on_progress,
                   progress_interval=0)
    assert result.stopped and result.epochs_completed == 0
    assert isinstance(seen[-1], BatchProgress) and seen[-1].batch == 5


def test_pause_blocks_and_resume_continues(data):
    cfg = small(epochs=1)
    control = TrainControl()
    paused = threading.Event()
    batches = []

    def on_progress(p):
        if isinstance(p, BatchProgress):
            batches.append(p.batch)
            if p.batch == 3:
                control.pause()
                paused.set()

    t = threading.Thread(target=train, args=(cfg.make_network(), cfg, data[0]),
                         kwargs=dict(control=control, on_progress=on_progress,
                                     progress_interval=0))
    t.start()
    assert paused.wait(5)
    t.join(0.3)
    assert t.is_alive() and batches[-1] == 3 and control.paused  # really waiting
    control.resume()
    t.join(10)
    assert not t.is_alive() and batches[-1] == 60


def test_stop_while_paused_ends_the_run(data):
    cfg = small(epochs=1)
    control = TrainControl()
    control.pause()
    timer = threading.Timer(0.2, control.stop)
    timer.start()
    result = train(cfg.make_network(), cfg, data[0], control=control)
    assert result.stopped


def test_divergence_restores_last_good_weights(data):
    cfg = small(activation="relu", cost="cross_entropy", learning_rate=1000.0,
                init="normal", epochs=5)
    net = cfg.make_network()
    with pytest.raises(TrainingDiverged, match="learning rate too high"):
        train(net, cfg, data[0])
    assert all(np.isfinite(p).all() for p in net.params)
    X = data[0].images.reshape(-1, 784) / 255
    assert np.isfinite(net.feedforward(X)).all()


@pytest.mark.parametrize("later,diverges", [(2.0, False), (40.0, False), (200.0, True)])
def test_divergence_is_judged_against_guessing_not_a_lucky_first_batch(data, later, diverges):
    """A trained network's first batch can cost almost nothing, and a later one a hundred times
    more (a fresh Adam jolts every weight when training is continued, one digit is hard): that
    is no divergence. The limit is 50 times the larger of the first batch's cost and the cost
    of guessing (ln 10 per example)."""
    cfg = small(epochs=1, cost="cross_entropy")
    net = cfg.make_network()
    real, calls = net.cost, []

    class Scripted(real):  # the first batch costs 1e-4 per example, every later one `later`
        @staticmethod
        def fused(z, y):
            a, _, delta = real.fused(z, y)
            calls.append(1)
            return a, len(z) * (1e-4 if len(calls) == 1 else later), delta

    net.cost = Scripted
    if diverges:
        with pytest.raises(TrainingDiverged, match="batch 2"):
            train(net, cfg, data[0])
    else:
        assert train(net, cfg, data[0]).epochs_completed == 1


def test_nan_cost_restores_the_weights_before_the_bad_step(data):
    cfg = small(epochs=1)
    net = cfg.make_network()
    seen = []  # the weights each batch's cost was computed with
    real = net.cost

    class Flaky(real):
        @staticmethod
        def fused(z, y):
            seen.append([p.copy() for p in net.params])
            a, cost, delta = real.fused(z, y)
            return a, float("nan") if len(seen) == 4 else cost, delta

    net.cost = Flaky
    with pytest.raises(TrainingDiverged, match="batch 4"):
        train(net, cfg, data[0])
    # Batch 4's cost condemns the weights step 3 produced; the last weights whose cost was
    # finite are those batch 3 was computed with.
    for p, q in zip(net.params, seen[2]):
        np.testing.assert_array_equal(p, q)
    assert not all(np.array_equal(p, q) for p, q in zip(seen[3], seen[2]))


@pytest.mark.parametrize(
    "kw,msg",
    [
        ({"hidden": (0,)}, "hidden layer"),
        ({"hidden": (10**6,)}, "hidden layer"),
        ({"batch_size": 0}, "batch size"),
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": 0.0}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": 1e9}, "learning rate"),
        ({"l2": -1.0}, "L2"),
        ({"activation": "swish"}, "activation"),
        ({"optimizer": "lbfgs"}, "optimiser"),
        ({"validation": -5}, "validation"),
        ({"seed": -1}, "seed"),
    ],
)
def test_absurd_settings_are_refused_as_the_config_is_made(kw, msg):
    with pytest.raises(ConfigError, match=msg):
        small(**kw)
    with pytest.raises(ConfigError, match=msg):
        TrainConfig(**kw)


def test_batch_larger_than_data_is_refused(data):
    cfg = small(batch_size=10_000)
    with pytest.raises(ConfigError, match="larger than the 600 training examples"):
        train(cfg.make_network(), cfg, data[0])
    with pytest.raises(ConfigError, match="batch size"):
        small(batch_size=601).validate(n_examples=600)
    with pytest.raises(ConfigError, match="leaves no training"):
        small(validation=600).validate(n_examples=600)


def test_presets_are_valid_and_the_seed_is_the_notes():
    s = PRESETS["seed"]
    assert s.sizes == [784, 128, 128, 10]
    assert (s.activation, s.cost, s.optimizer, s.batch_size, s.learning_rate) == (
        "sigmoid", "quadratic", "sgd", 10, 3.0)
    assert not s.augment
    assert PRESETS["default"].sizes == [784, 128, 128, 10]
    assert preset("default", epochs=2).epochs == 2
    with pytest.raises(ConfigError):
        preset("nope")


def test_config_round_trips_through_dict():
    cfg = preset("default", hidden=(64, 32))
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ConfigError, match="unknown"):
        TrainConfig.from_dict({"colour": "red"})


def test_stop_while_the_first_epoch_prepares_its_digits_ends_the_run_quickly(rng):
    from helpers.synthetic import blobs

    data = blobs(20_000, rng)
    cfg = small(augment=True, epochs=3)
    control = TrainControl()
    timer = threading.Timer(0.2, control.stop)
    t0 = time.perf_counter()
    timer.start()
    result = train(cfg.make_network(), cfg, data, control=control)
    assert result.stopped and result.epochs_completed == 0
    assert time.perf_counter() - t0 < 20  # not the 3 epochs (a hang); speed: bench_latency


def test_stop_calls_its_listeners_before_the_flag_is_set():
    control = TrainControl()
    seen = []
    control.when_stopped(lambda: seen.append(control.stopped))
    control.pause()
    control.stop()
    assert seen == [False] and control.stopped and not control.paused
