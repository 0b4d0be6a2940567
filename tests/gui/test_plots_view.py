"""The training view (the live plots as a View): fed through the Session, idle while hidden."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QTabWidget, QWidget

from core.training import PRESETS, BatchProgress, EpochProgress, TrainResult
from ffn_gui.state.model_state import ModelState
from ffn_gui.state.session import Session
from ffn_gui.views.plots_view import PlotsView
from ffn_gui.work.train_worker import TrainOutcome

CONFIG = replace(PRESETS["default"], epochs=2)
EPOCH1 = EpochProgress(1, 2, 0.5, 0.9, 0.55, 0.89, 0.002, 20.0, 20.0)
EPOCH2 = EpochProgress(2, 2, 0.3, 0.95, 0.35, 0.94, 0.001, 40.0, 0.0)


def _run(session, network="trained"):
    session.run_started.emit(CONFIG)
    session.run_progress.emit((BatchProgress(1, 2, 50, 100, 0.9, 6400, 10.0),))
    session.run_progress.emit((BatchProgress(1, 2, 100, 100, 0.6, 12800, 19.0), EPOCH1))
    outcome = TrainOutcome(network, CONFIG, TrainResult((EPOCH1, EPOCH2), False, 40.0), 0.3,
                           0.9375, "test", None)
    session.run_finished.emit(outcome)
    return outcome


def test_a_run_reaches_the_plots(qtbot):
    session = Session()
    view = PlotsView(session)
    qtbot.addWidget(view)
    view.show()
    _run(session)
    plots = view.plots
    assert plots.n_epoch_points == 1 and plots.n_batch_points == 2
    assert plots.test_accuracy == 0.9375
    assert plots.test_line.isVisible()


def test_a_hidden_plots_view_only_marks_itself_dirty(qtbot):
    session = Session()
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QWidget(), "other")
    view = PlotsView(session)
    tabs.addTab(view, view.title)
    tabs.show()
    refreshes = view.refreshes
    _run(session)
    qtbot.wait(50)
    assert view.refreshes == refreshes and view.dirty
    assert view.plots.n_batch_points == 0 and view.plots.test_accuracy is None
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.plots.n_epoch_points == 1)
    assert view.plots.n_batch_points == 2 and view.plots.test_accuracy == 0.9375


def test_plots_say_they_show_the_previous_run_once_another_model_is_shown(qtbot):
    session = Session()
    view = PlotsView(session)
    qtbot.addWidget(view)
    view.show()
    outcome = _run(session, network=object())
    session.model_changed.emit(ModelState(outcome.network))
    view.flush()
    assert not view.previous_label.isVisible()
    session.model_changed.emit(ModelState(object()))  # opened or reverted: another model
    view.flush()
    assert view.previous and view.previous_label.isVisible()


def test_plots_update_in_place(qtbot):
    session = Session()
    view = PlotsView(session)
    qtbot.addWidget(view)
    plots = view.plots
    curves = [s.curve for s in plots.batch_series + plots.epoch_series]
    plots.reset(3)
    buffer = plots.smooth_cost.x
    for k in range(1, 200):
        plots.add_progress(BatchProgress(1, 3, k, 200, 1.0 / k, k * 10, k * 0.1))
    assert plots.smooth_cost.x is buffer  # preallocated for the run: no reallocation
    assert plots.n_batch_points == 199
    x, y = plots.smooth_cost.curve.getData()
    assert len(x) == 199 and y[-1] < y[0]
    plots.reset(1)
    assert plots.n_batch_points == 0 and plots.n_epoch_points == 0
    assert [s.curve for s in plots.batch_series + plots.epoch_series] == curves


