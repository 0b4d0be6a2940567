"""core.run: one training run for the command line and the window, and the same model from both."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pytest
from helpers.datafiles import IDX_NAMES, write_idx
from helpers.synthetic import blobs

from core.cli import main
from core.data import Dataset, load_data
from core.errors import ConfigError
from core.model_io import load_model
from core.run import RunOutcome, continue_problem, mnist_problem, split, split_rows, train_run
from core.training import PRESETS, EpochProgress, TrainConfig, TrainControl

CONFIG = replace(PRESETS["default"], hidden=(16,), epochs=2, validation=100, batch_size=32,
                 augment=False)
METRICS = {"epochs", "stopped", "seconds", "train_accuracy", "val_accuracy", "test_cost",
           "test_accuracy"}


def test_a_run_splits_trains_tests_and_reports_one_metrics_dict(small_mnist):
    data = small_mnist(600, 100)
    epochs = []
    outcome = train_run(CONFIG, data, on_progress=lambda p: isinstance(p, EpochProgress)
                        and epochs.append(p))
    assert isinstance(outcome, RunOutcome)
    assert outcome.network.sizes == [784, 16, 10] and outcome.config is CONFIG
    assert [e.epoch for e in epochs] == [1, 2] and outcome.result.history == tuple(epochs)
    assert set(outcome.metrics) == METRICS
    m = outcome.metrics
    assert m["epochs"] == 2 and m["stopped"] is False
    assert m["seconds"] == round(outcome.result.elapsed, 2)
    assert m["val_accuracy"] == epochs[-1].val_accuracy is not None
    assert m["train_accuracy"] == epochs[-1].train_accuracy
    assert m["test_accuracy"] == outcome.test_accuracy > 0.5
    assert m["test_cost"] == outcome.test_cost
    assert outcome.data_checksum == data.train.checksum()
    assert outcome.data_source == "synthetic"


def test_the_validation_split_depends_on_the_seed_only(small_mnist):
    data = small_mnist(600, 100)
    train1, valid1 = split(CONFIG, data)
    train2, valid2 = split(CONFIG, data.train)  # a bare Dataset splits the same
    assert len(train1) == 500 and len(valid1) == 100
    np.testing.assert_array_equal(valid1.images, valid2.images)
    other, _ = split(replace(CONFIG, seed=CONFIG.seed + 1), data)
    assert not np.array_equal(other.images, train1.images)
    assert split(replace(CONFIG, validation=0), data) == (data.train, None)


def test_a_bare_dataset_has_no_test_metrics(small_mnist):
    outcome = train_run(replace(CONFIG, epochs=1), small_mnist(600, 100).train)
    assert outcome.test_accuracy is None and outcome.metrics["test_accuracy"] is None
    assert set(outcome.metrics) == METRICS


def test_extra_examples_are_trained_on_and_change_the_checksum(small_mnist, rng):
    data = small_mnist(600, 100)
    mine = blobs(50, rng)
    extra = Dataset(mine.images, mine.labels, "my digits")
    seen = []
    config = replace(CONFIG, epochs=1, batch_size=50)
    outcome = train_run(config, data, extra=extra, on_progress=seen.append, progress_interval=0)
    batches = [p for p in seen if hasattr(p, "examples")]
    assert batches[-1].examples == 500 + 50 and batches[-1].batches == 11
    assert outcome.data_checksum != data.train.checksum()
    plain = train_run(config, data)
    assert not np.array_equal(plain.network.weights[0], outcome.network.weights[0])


def test_a_stopped_run_says_so_in_its_metrics(small_mnist):
    control = TrainControl()
    control.stop()
    outcome = train_run(CONFIG, small_mnist(600, 100), control=control)
    assert outcome.metrics["stopped"] is True and outcome.metrics["epochs"] == 0
    assert outcome.metrics["train_accuracy"] is None


def test_continue_and_mnist_rules():
    config = replace(CONFIG, hidden=(16,))
    net = config.make_network()
    assert continue_problem(net, config) is None and mnist_problem(net) is None
    for other in (replace(config, hidden=(17,)), replace(config, activation="tanh"),
                  replace(config, cost="quadratic")):
        assert "does not match the settings" in continue_problem(net, other)
    # what does not change the network's shape or function does not matter
    assert continue_problem(net, replace(config, optimizer="sgd", learning_rate=0.1)) is None
    odd = TrainConfig(hidden=(4,)).make_network()
    odd.sizes = [784, 4, 9]
    assert "784 inputs (28×28) and 10 outputs" in mnist_problem(odd)


def test_a_run_refuses_a_network_its_config_cannot_continue(small_mnist):
    net = replace(CONFIG, hidden=(8,)).make_network()
    before = net.weights[0].copy()
    with pytest.raises(ConfigError, match="does not match the settings"):
        train_run(CONFIG, small_mnist(600, 100), net)
    np.testing.assert_array_equal(net.weights[0], before)


def test_a_run_continues_from_the_given_network(small_mnist):
    data = small_mnist(600, 100)
    first = train_run(replace(CONFIG, epochs=1), data)
    again = train_run(replace(CONFIG, epochs=1), data, first.network.copy())
    fresh = train_run(replace(CONFIG, epochs=2), data)
    assert again.network is not first.network
    assert again.test_cost < first.test_cost
    assert not np.array_equal(again.network.weights[0], fresh.network.weights[0])


# --- the same model from the command line and from the window ---------------------------------


@pytest.fixture
def blob_folder(tmp_path):
    rng = np.random.default_rng(7)
    folder = tmp_path / "mnist"
    folder.mkdir()
    for part, n in (("train", 700), ("test", 200)):
        data = blobs(n, rng)
        write_idx(folder / (IDX_NAMES[part, "images"] + ".gz"), data.images)
        write_idx(folder / (IDX_NAMES[part, "labels"] + ".gz"), data.labels)
    return folder


def test_the_command_line_and_the_window_save_the_same_model(blob_folder, tmp_path, window,
                                                               qtbot, capsys):
    cli_out = tmp_path / "cli" / "same.npz"
    cli_out.parent.mkdir()
    assert main(["train", "--data", str(blob_folder), "--preset", "default", "--epochs", "2",
                 "--hidden", "24", "--batch-size", "32", "--validation", "100",
                 "--no-augment", "--seed", "3", "--out", str(cli_out)]) == 0
    capsys.readouterr()
    config = replace(PRESETS["default"], epochs=2, hidden=(24,), batch_size=32, validation=100,
                     augment=False, seed=3)
    window.training_panel.set_config(config)
    window.set_data(load_data(blob_folder))  # as Open folder leaves it; Train takes no data
    with qtbot.waitSignal(window.training_finished, timeout=60_000) as blocker:
        assert window.start_training()
    assert isinstance(blocker.args[0], RunOutcome), blocker.args[0]
    gui_out = tmp_path / "gui" / "same.npz"
    gui_out.parent.mkdir()
    assert window.save_model(gui_out)

    cli, gui = load_model(cli_out), load_model(gui_out)
    assert cli.header.keys() == gui.header.keys()
    varies = {"created", "metrics", "params_sha256"}  # time, and float sums (BLAS threads)
    for key in cli.header.keys() - varies:
        assert cli.header[key] == gui.header[key], key
    assert cli.header["config"] == config.to_dict()
    assert cli.metrics.keys() == gui.metrics.keys() == METRICS
    for key in ("epochs", "stopped"):
        assert cli.metrics[key] == gui.metrics[key], key
    for key in METRICS - {"epochs", "stopped", "seconds"}:
        assert cli.metrics[key] == pytest.approx(gui.metrics[key], abs=1e-4), key
    for a, b in zip(cli.network.params, gui.network.params):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-4)
    assert cli.data_checksum == gui.data_checksum == load_data(blob_folder).train.checksum()


def test_ffn_train_gives_the_same_model_with_a_cold_and_a_warm_cache(blob_folder, tmp_path,
                                                                    capsys):
    from core.prepare import cache_folder

    argv = ["train", "--data", str(blob_folder), "--preset", "default", "--epochs", "2",
            "--hidden", "24", "--batch-size", "32", "--validation", "100", "--seed", "5"]
    assert main([*argv, "--out", str(tmp_path / "cold.npz")]) == 0
    assert len(list(cache_folder().glob("*.npz"))) == 1  # the deskewed digits and pen redraws
    assert main([*argv, "--out", str(tmp_path / "warm.npz")]) == 0
    capsys.readouterr()
    cold, warm = load_model(tmp_path / "cold.npz"), load_model(tmp_path / "warm.npz")
    assert cold.header["config"]["augment"] and cold.header["config"]["deskew"]
    for a, b in zip(cold.network.params, warm.network.params, strict=True):
        np.testing.assert_array_equal(a, b)


# --- BLAS threads are the caller's choice -------------------------------------------------------


def blas_threads() -> set[int]:
    from threadpoolctl import threadpool_info

    return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to allow two threads")
@pytest.mark.parametrize("limit", [1, 2])
def test_training_runs_on_the_blas_threads_its_caller_allows(small_mnist, limit):
    from threadpoolctl import threadpool_limits

    seen = set()
    with threadpool_limits(limits=limit, user_api="blas"):
        train_run(replace(CONFIG, epochs=1), small_mnist(600, 100),
                  on_progress=lambda p: seen.update(blas_threads()))
    assert seen == {limit}


def test_the_window_trains_on_one_blas_thread(qtbot, small_mnist, monkeypatch):
    from threadpoolctl import threadpool_limits

    from ffn_gui import MainWindow

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    seen = []
    with threadpool_limits(limits=2, user_api="blas"):  # as a process that allows two
        window = MainWindow(search_data=False)
        qtbot.addWidget(window)
        window.training_progress.connect(lambda items: seen.append(blas_threads()))
        window.training_panel.set_config(replace(CONFIG, epochs=2))
        with qtbot.waitSignal(window.training_finished, timeout=60_000):
            window.set_data(small_mnist(600, 100))
            assert window.start_training()
        window.close()
    assert seen and all(s == {1} for s in seen)


def test_ffn_train_trains_on_the_threads_it_measured_fastest(blob_folder, tmp_path, monkeypatch):
    import core.cli
    import core.run

    seen = []
    real = core.run.train_run

    def recording(*args, **kwargs):
        seen.append(blas_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(core.run, "train_run", recording)
    assert main(["train", "--data", str(blob_folder), "--epochs", "1", "--hidden", "8",
                 "--validation", "100", "--no-augment", "--out", str(tmp_path / "m.npz")]) == 0
    assert seen == [{core.cli.TRAIN_BLAS_THREADS}]


def test_a_config_is_checked_once_where_it_is_made_not_again_during_the_run(small_mnist,
                                                                             monkeypatch):
    checks = []
    real = TrainConfig._check
    monkeypatch.setattr(TrainConfig, "_check", lambda self: checks.append(1) or real(self))
    config = replace(CONFIG, epochs=1)
    assert len(checks) == 1
    train_run(config, small_mnist(300, 50))
    assert len(checks) == 1  # train_run checks the data's size against it, not the settings
    with pytest.raises(ConfigError, match="larger than the 200 training examples"):
        train_run(replace(config, batch_size=201), small_mnist(300, 50))


# --- what a run trains on, where it says it came from, what it keeps --------------------------

def test_split_rows_are_the_rows_split_holds_out(small_mnist):
    data = small_mnist(600, 100)
    train, valid = split(CONFIG, data)
    train_rows, valid_rows = split_rows(CONFIG, 600)
    assert np.array_equal(valid.images, data.train.images[valid_rows])
    assert np.array_equal(train.images, data.train.images[train_rows])


def test_extra_digits_train_exactly_as_if_they_were_part_of_the_set(small_mnist, rng):
    data = small_mnist(300, 50)
    mine = blobs(40, rng)
    config = replace(CONFIG, epochs=1, validation=0)
    mixed = train_run(config, data.train, extra=Dataset(mine.images, mine.labels, "mine"))
    whole = Dataset(np.concatenate([data.train.images, mine.images]),
                    np.concatenate([data.train.labels, mine.labels]))
    by_hand = train_run(config, whole)
    assert mixed.data_checksum == by_hand.data_checksum
    for a, b in zip(mixed.network.params, by_hand.network.params):
        assert np.array_equal(a, b)
    with pytest.raises(ConfigError, match="^only labelled examples can be trained on$"):
        train_run(config, data.train, extra=Dataset(mine.images, None))


def test_a_validation_split_as_large_as_the_set_is_refused_before_training(small_mnist):
    with pytest.raises(ConfigError, match="^validation size 600 leaves no training examples out "
                                          "of 600$"):
        train_run(replace(CONFIG, validation=600), small_mnist(600, 100))


def test_the_source_is_the_folders_or_else_the_training_splits(small_mnist):
    from core.data import MnistData

    data = small_mnist(600, 100)
    unnamed = MnistData(data.train, data.test, "")
    assert train_run(replace(CONFIG, epochs=1), unnamed).data_source == "synthetic (train)"


def test_without_the_cache_nothing_is_kept_in_the_cache_folder(small_mnist):
    from core.prepare import cache_folder

    config = replace(CONFIG, epochs=1, deskew=True)
    train_run(config, small_mnist(600, 100), cache=False)
    assert not cache_folder().exists() or not any(cache_folder().iterdir())
    train_run(config, small_mnist(600, 100))
    assert any(cache_folder().iterdir())  # the same run with the cache keeps its digits
