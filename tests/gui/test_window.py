"""The main window end to end: real widgets, real signals, real worker threads, offscreen."""

from __future__ import annotations

import time

import numpy as np
import pytest
from helpers.mouse import draw_fractions as draw
from helpers.panel import configure
from PySide6.QtCore import QSettings, Qt, QThread

from ffn_gui import MainWindow
from ffn_gui.state.settings import Settings
from ffn_gui.work import train_worker, workers

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier




SEVEN_TOP = [(0.3, 0.25), (0.5, 0.25), (0.7, 0.25)]
SEVEN_LEG = [(0.7, 0.25), (0.6, 0.5), (0.5, 0.75)]


def record(signal) -> list:
    seen: list = []
    signal.connect(seen.append)
    return seen


SMALL_RUN = dict(hidden="32", epochs=2, validation=100, batch_size=32, augment=False,
                 optimizer="adam", learning_rate="0.005", cost="cross_entropy",
                 activation="relu")
LONG_RUN = dict(SMALL_RUN, epochs=500)


def test_starts_like_a_new_users_window(window):
    assert window.canvas.is_empty()
    assert window.windowTitle().endswith("— ffn-gui")
    assert window.model.name in window.windowTitle()
    assert window.prediction_pane.status_label.text()
    assert window.data is None
    assert "No MNIST found" in window.training_panel.data_label.text()
    assert not window.training_panel.train_button.isEnabled()  # no data yet
    assert window.training_panel.preset_name() == "default"
    assert window.errors == []


def test_stroke_emits_ten_probabilities_and_clear_gives_none(window, qtbot):
    seen = record(window.prediction_changed)
    with qtbot.waitSignal(window.prediction_changed, timeout=1000):
        draw(window.canvas, SEVEN_TOP + SEVEN_LEG[1:])
    probs = seen[-1]
    assert isinstance(probs, np.ndarray) and probs.shape == (10,)
    assert probs.sum() == pytest.approx(1.0, abs=1e-6)
    assert np.all(probs >= 0)
    np.testing.assert_allclose(window.prediction_pane.probabilities(), probs)

    with qtbot.waitSignal(window.prediction_changed, timeout=1000) as blocker:
        window.canvas.clear()
    assert blocker.args == [None]
    assert window.prediction_pane.predicted_digit() is None


def test_undo_redo_restore_strokes(window, qtbot):
    seen = record(window.prediction_changed)
    draw(window.canvas, SEVEN_TOP)
    one = seen[-1]
    draw(window.canvas, SEVEN_LEG)
    two = seen[-1]
    assert not np.allclose(one, two)

    window.undo_action.trigger()
    np.testing.assert_allclose(seen[-1], one)
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    np.testing.assert_allclose(seen[-1], two)
    window.clear_action.trigger()
    assert seen[-1] is None
    window.undo_action.trigger()  # a clear is undoable too
    np.testing.assert_allclose(seen[-1], two)


def test_keyboard_shortcuts_exist_for_frequent_actions(window):
    keys = {k.toString() for a in window.actions() for k in a.shortcuts()}
    for key in ("Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Shift+S", "Ctrl+Z", "Ctrl+Shift+Z", "Del",
                "Ctrl+T", "Space", "Esc", "Ctrl+Q"):
        assert key in keys, key


def test_train_button_trains_and_shows_test_accuracy(window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    configure(window, **SMALL_RUN)
    panel = window.training_panel
    assert panel.train_button.isEnabled(), panel.errors()
    progress = record(window.plots.smooth_cost.curve.sigPlotChanged)
    gui = QThread.currentThread()
    threads = []  # where the window handled the worker's reports: the GUI thread only
    window.training_progress.connect(lambda items: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(window.training_finished, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.train_button, LEFT)
        assert window.training
    outcome = blocker.args[0]
    assert isinstance(outcome, train_worker.TrainOutcome), outcome
    assert outcome.result.epochs_completed == 2 and not outcome.result.stopped
    assert workers.running_jobs() == []

    plots = window.plots
    assert plots.n_epoch_points == 2
    assert plots.n_batch_points >= 2  # at least the first report of each epoch
    assert len(plots.val_accuracy) == 2
    assert plots.test_accuracy == pytest.approx(outcome.test_accuracy)
    assert plots.test_line.isVisible()
    assert progress  # the curve was redrawn in place
    assert threads and all(t is gui for t in threads)
    assert "Test accuracy" in panel.result_label.text()
    assert outcome.test_accuracy >= 0.98  # seed-fixed (deterministic): 100% of the blobs
    # The trained network is the window's model now, unsaved.
    assert window.model.network is outcome.network
    assert window.isWindowModified()
    assert window.model.metrics["test_accuracy"] == outcome.test_accuracy
    assert panel.train_button.isEnabled()
    assert "Done: 2/2 epochs" in panel.progress_bar.format()


def test_snapshots_refresh_the_prediction_while_training(window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    configure(window, **dict(SMALL_RUN, epochs=3))
    draw(window.canvas, SEVEN_TOP + SEVEN_LEG[1:])
    seen = record(window.prediction_changed)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.start_training()
    # The run starts from a fresh network and ends with the trained one; an answer from any
    # other network can only come from a weight snapshot taken while it trained.
    fresh, trained = seen[0], seen[-1]
    assert any(not np.array_equal(p, fresh) and not np.array_equal(p, trained) for p in seen)
    np.testing.assert_allclose(trained, window.prediction_pane.probabilities())
    assert all(p is not None and p.shape == (10,) for p in seen)


def _start_long_run(window, qtbot, small_mnist):
    window.set_data(small_mnist(2000, 100))
    configure(window, **LONG_RUN)
    assert window.start_training()
    qtbot.waitUntil(lambda: len(window.plots.batch_cost) > 0, timeout=10_000)


def test_stop_ends_a_run_within_a_second(window, qtbot, small_mnist):
    _start_long_run(window, qtbot, small_mnist)
    t0 = time.perf_counter()
    with qtbot.waitSignal(window.training_finished, timeout=5000) as blocker:
        qtbot.mouseClick(window.training_panel.stop_button, LEFT)
    assert time.perf_counter() - t0 < 10  # a hang; the 1 s target: benchmarks/bench_latency.py
    outcome = blocker.args[0]
    assert outcome.result.stopped
    assert outcome.result.epochs_completed < 500
    assert "Stopped" in window.training_panel.progress_bar.format()
    assert not window.training
    assert window.training_panel.train_button.isEnabled()


def test_pause_and_resume(window, qtbot, small_mnist):
    _start_long_run(window, qtbot, small_mnist)
    panel = window.training_panel
    qtbot.mouseClick(panel.pause_button, LEFT)
    assert window.paused
    assert panel.pause_button.text() == "Resume"
    assert panel.progress_bar.format().startswith("Paused")
    # Reports already on their way may still come; then, paused, the worker reports nothing
    # (running, it reports at least every 0.2 s, bundled).
    for _ in range(20):  # drain: until 300 ms pass without a report
        with qtbot.waitSignal(window.training_progress, timeout=300, raising=False) as late:
            pass
        if not late.signal_triggered:
            break
    with qtbot.assertNotEmitted(window.training_progress, wait=700):
        pass
    assert window.training
    with qtbot.waitSignal(window.training_progress, timeout=5000):
        qtbot.mouseClick(panel.pause_button, LEFT)
        assert not window.paused
    assert panel.pause_button.text() == "Pause"
    with qtbot.waitSignal(window.training_finished, timeout=5000):
        window.stop_training()


def test_stop_while_paused(window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    configure(window, **SMALL_RUN)
    assert window.start_training()
    window.pause_training()
    with qtbot.waitSignal(window.training_finished, timeout=2000) as blocker:
        window.stop_training()
    assert blocker.args[0].result.stopped


def test_closing_mid_run_leaves_no_thread(window, qtbot, small_mnist):
    _start_long_run(window, qtbot, small_mnist)
    t0 = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - t0 < 10  # a hang; the 1 s target: benchmarks/bench_latency.py
    assert workers.running_jobs() == []
    assert not window.isVisible()


def test_a_worker_exception_reaches_the_user_and_the_app_stays_usable(
    window, qtbot, small_mnist, monkeypatch
):
    def boom(*args, **kwargs):
        raise RuntimeError("the disk caught fire")

    window.set_data(small_mnist(600, 100))
    configure(window, **SMALL_RUN)
    before = window.model
    with monkeypatch.context() as patch, \
            qtbot.waitSignal(window.training_finished, timeout=10_000) as blocker:
        patch.setattr(train_worker, "train_run", boom)
        window.start_training()
    assert isinstance(blocker.args[0], RuntimeError)
    assert window.errors == [("Training failed", "the disk caught fire")]
    assert window.model is before
    assert window.predictor.network is before.network
    assert window.training_panel.train_button.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=60_000) as blocker:
        window.start_training()
    assert isinstance(blocker.args[0], train_worker.TrainOutcome)


def test_diverging_run_reports_a_clear_error(window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    configure(window, **dict(SMALL_RUN, optimizer="sgd", learning_rate="1000",
                            cost="cross_entropy", activation="relu", hidden="64"))
    before = window.model
    with qtbot.waitSignal(window.training_finished, timeout=60_000) as blocker:
        window.start_training()
    assert not isinstance(blocker.args[0], train_worker.TrainOutcome)
    assert window.model is before
    assert window.errors and window.errors[0][0] == "Training failed"
    assert "diverged" in window.errors[0][1]


def test_open_corrupt_model_shows_error_and_keeps_the_model(window, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    before, title = window.model, window.windowTitle()
    assert not window.open_model(bad)
    assert window.errors and window.errors[0][0] == "Cannot open the model"
    assert "broken.npz" in window.errors[0][1]
    assert window.model is before
    assert window.windowTitle() == title


def test_save_and_open_round_trip(window, qtbot, tmp_path):
    assert window.new_network()
    assert not window.isWindowModified()  # an untrained network holds nothing to lose
    window.set_model(window.model, modified=True)  # as if trained
    draw(window.canvas, SEVEN_TOP + SEVEN_LEG[1:])
    probs = window.prediction_pane.probabilities()
    path = tmp_path / "mine.npz"
    assert window.save_model(path)
    assert path.is_file()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("mine")
    assert window.revert_to_bundled()
    with qtbot.waitSignal(window.prediction_changed, timeout=1000) as blocker:
        assert window.open_model(path)
    np.testing.assert_allclose(blocker.args[0], probs, rtol=1e-5, atol=1e-7)
    assert window.model.path == path
    assert window.model.name == "mine"


def test_quitting_with_a_new_untrained_network_asks_nothing(window, monkeypatch):
    asked = []
    monkeypatch.setattr(window, "ask_save_changes", lambda: asked.append(1) or "cancel")
    assert window.new_network()
    assert window.close()  # nothing in it to lose: no "changes that are not saved"
    assert asked == []


def test_quitting_with_an_unsaved_model_asks_first(window, monkeypatch, tmp_path):
    window.new_network()
    window.set_model(window.model, modified=True)  # as a run leaves it: training in no file
    answers = ["cancel"]
    asked = []
    monkeypatch.setattr(window, "ask_save_changes", lambda: asked.append(1) or answers[0])
    assert not window.close()
    assert window.isVisible() and asked == [1]

    monkeypatch.setattr(window, "ask_path", lambda kind: str(tmp_path / "kept.npz"))
    answers[0] = "save"
    assert window.close()
    assert (tmp_path / "kept.npz").is_file()


def test_settings_persist_and_corrupt_settings_fall_back(window, qtbot, monkeypatch):
    configure(window, hidden="64, 32", epochs=3)
    assert window.training_panel.preset_name() == "default"
    assert window.training_panel.preset_modified
    window.close()

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    again = MainWindow(search_data=False)
    qtbot.addWidget(again)
    config = again.training_panel.config()
    assert config.hidden == (64, 32) and config.epochs == 3
    assert again.training_panel.preset_name() == "default"
    assert again.training_panel.preset_modified
    assert again.training_panel.preset_combo.currentText() == "default (modified)"
    again.close()

    store = Settings().store
    path = store.fileName()
    store.sync()
    with open(path, "wb") as f:
        f.write(b"\x00\xff[training]\nconfig=\"{not json\npreset=@ByteArray(\x01)\n")
    broken = MainWindow(search_data=False)
    qtbot.addWidget(broken)
    assert broken.training_panel.preset_name() == "default"
    assert broken.training_panel.config() is not None
    broken.close()
    assert QSettings.defaultFormat() == QSettings.Format.IniFormat


def test_loads_data_from_a_folder_in_the_background(window, qtbot, tmp_path):
    from helpers.datafiles import write_mnist_folder

    write_mnist_folder(tmp_path / "mnist", 300, 50, np.random.default_rng(1))
    with qtbot.waitSignal(window.data_loaded, timeout=10_000) as blocker:
        window.load_data_from(tmp_path / "mnist")
    data = blocker.args[0]
    assert len(data.train) == 300 and len(data.test) == 50
    text = window.training_panel.data_label.text()
    assert text.startswith("MNIST — ") and "50 test" in text and str(tmp_path / "mnist") in text
    # The default 10,000-image validation set does not fit in 300: refused at the control.
    assert "validation" in window.training_panel.errors()
    assert not window.training_panel.train_button.isEnabled()
    qtbot.waitUntil(lambda: not window.loading_data)
    # The folder is remembered for the next start.
    assert Settings().last_data_path() == tmp_path / "mnist"


def test_loading_a_bad_file_shows_an_error(window, qtbot, tmp_path):
    bad = tmp_path / "train.csv"
    bad.write_text("hello,world\n1,2\n")
    window.load_data_from(bad)
    qtbot.waitUntil(lambda: not window.loading_data, timeout=10_000)
    assert window.errors and window.errors[0][0] == "Cannot load the data"
    assert window.data is None


def test_start_up_finds_mnist_dir(qtbot, tmp_path, monkeypatch):
    from helpers.datafiles import write_mnist_folder

    write_mnist_folder(tmp_path / "m", 120, 20, np.random.default_rng(2))
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "m"))
    w = MainWindow()  # the data arrives through a queued signal, so no emission is missed
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.data_loaded, timeout=10_000):
        pass
    assert len(w.data.train) == 120
    assert w.training_panel.data_label.text().startswith("MNIST — ")
    qtbot.waitUntil(lambda: not w.loading_data)
    w.close()


def test_typing_in_a_setting_does_not_fire_window_shortcuts(window, qtbot):
    draw(window.canvas, SEVEN_TOP)
    edit = window.training_panel.controls["learning_rate"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "1e-3")  # 'e' is the eraser's shortcut elsewhere
    assert edit.text() == "1e-3" and not window.canvas.eraser
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # Backspace clears the canvas elsewhere
    assert edit.text() == "1e-" and not window.canvas.is_empty()
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Delete)
    assert window.canvas.is_empty()


def test_help_is_instant_and_does_not_load_qt():
    import subprocess
    import sys

    code = ("import sys; from ffn_gui.app import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'PySide6' not in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "usage: ffn-gui" in out.stdout


def test_continue_training_the_current_model(window, qtbot, small_mnist, monkeypatch):
    from ffn_gui.work.train_worker import TrainWorker

    starts = []  # the parameters each run's worker starts training from
    worker_init = TrainWorker.__init__

    def spy(self, network, *args, **kwargs):
        starts.append([p.copy() for p in network.params])
        worker_init(self, network, *args, **kwargs)

    monkeypatch.setattr(TrainWorker, "__init__", spy)
    window.set_data(small_mnist(600, 100))
    configure(window, **SMALL_RUN)
    box = window.training_panel.continue_box
    assert not box.isEnabled()  # the bundled model's layers differ from hidden=32
    assert "does not match" in box.toolTip()
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.start_training()
    assert box.isEnabled()  # the trained model matches the settings
    box.setChecked(True)
    trained = window.model.network
    expected = [p.copy() for p in trained.params]
    first_start = len(starts)
    with qtbot.waitSignal(window.training_finished, timeout=60_000) as second:
        window.start_training()
        assert not box.isEnabled()  # not while a run goes on
    again = second.args[0]
    assert again.network is not trained  # a copy was trained further
    # Continuing starts from the trained weights, exactly, and leaves the model as it was
    for start, p in zip(starts[first_start], expected, strict=True):
        np.testing.assert_array_equal(start, p)
    for p, q in zip(trained.params, expected, strict=True):
        np.testing.assert_array_equal(p, q)
    configure(window, hidden="8")
    assert not box.isEnabled() and not box.isChecked()
