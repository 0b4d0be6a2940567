"""Compare with previous run, honestly: two runs share the cost axis only when they minimised
the same cost; otherwise the previous run is compared on accuracy and a note says why. Real
runs in the window (Ctrl+T), the Compare button clicked on the Training view."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.views import view_shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from core.training import TrainConfig

QUADRATIC = TrainConfig(hidden=(16,), epochs=2, validation=100, batch_size=10)  # the notes'
CROSS_ENTROPY = TrainConfig(hidden=(16,), epochs=2, validation=100, batch_size=32,
                            activation="relu", cost="cross_entropy", optimizer="adam",
                            learning_rate=0.01)


def train_with_shortcut(window, qtbot, config: TrainConfig) -> None:
    """Set the training panel to ``config`` and press Ctrl+T, as a user does; wait for the end."""
    window.training_panel.set_config(config)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_T,
                       Qt.KeyboardModifier.ControlModifier)


def click_compare(qtbot, view) -> None:
    plots = view.plots
    button = next(b for b in plots.findChildren(QToolButton)
                  if b.defaultAction() is plots.exports.compare_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view.flush()


def cost_span(plots) -> tuple[float, float]:
    """The costs the cost plot's y axis shows (it is log10)."""
    lo, hi = plots.cost_plot.getViewBox().viewRange()[1]
    return 10 ** lo, 10 ** hi


@pytest.fixture
def two_runs(window, qtbot, small_mnist):
    """Run 1 with the quadratic cost, run 2 with cross-entropy, then the Training view shown."""
    window.set_data(small_mnist(600, 100))
    train_with_shortcut(window, qtbot, QUADRATIC)
    train_with_shortcut(window, qtbot, CROSS_ENTROPY)
    return view_shown(qtbot, window, "plots")


def test_runs_with_different_costs_are_compared_on_accuracy_with_a_note(two_runs, qtbot):
    view = two_runs
    plots = view.plots
    first, second = plots.runs
    assert (first.cost, second.cost) == ("quadratic", "cross_entropy")
    assert plots.cost_plot.titleLabel.text == "Cost (cross-entropy)"
    before = cost_span(plots)
    click_compare(qtbot, view)
    assert plots.compare
    # the quadratic curves are not on the cross-entropy axis, nor is the axis stretched to them
    assert not any(c.isVisible() for c in plots.prev_cost)
    assert cost_span(plots) == pytest.approx(before)
    assert plots.compare_note == "run 1 used the quadratic cost: compared on accuracy only"
    assert plots.overlay.note.isVisible() and plots.overlay.note.text == plots.compare_note
    assert not any("dashed" in label.text for _s, label in plots.cost_legend.items)
    # on accuracy, run 1 is drawn as it was measured
    assert all(c.isVisible() for c in plots.prev_accuracy)
    _x, y = plots.prev_accuracy[1].getData()
    np.testing.assert_allclose(y, 100 * first.epochs["validation_accuracy"])
    assert any(t.startswith("run 1: test") for _s, t in
               ((s, label.text) for s, label in plots.accuracy_legend.items))
    click_compare(qtbot, view)  # off again: no note, nothing of run 1
    assert plots.compare_note is None and plots.overlay.note.scene() is None
    assert not any(c.isVisible() for c in plots.prev_cost + plots.prev_accuracy)


def plot_heights(plots) -> list[float]:
    QApplication.processEvents()
    return [p.getViewBox().sceneBoundingRect().height()
            for p in (plots.cost_plot, plots.accuracy_plot)]


@pytest.mark.parametrize("width", [680, 1000])
def test_the_note_is_one_line_under_the_plots_and_legends(two_runs, qtbot, width):
    """Under the legends, on no data, not clipped; the plots take their height back when
    Compare is off."""
    view = two_runs
    plots = view.plots
    view.window().resize(width + 320, 700)  # the side column takes the rest
    qtbot.waitUntil(lambda: abs(plots.graphics.width() - width) < 200)
    before = plot_heights(plots)
    click_compare(qtbot, view)
    box = plots.overlay.note.sceneBoundingRect()
    for item in (plots.cost_plot, plots.accuracy_plot, plots.cost_legend,
                 plots.accuracy_legend):
        assert not box.intersects(item.sceneBoundingRect())
    text = plots.overlay.note.item.boundingRect()
    assert box.left() + text.width() <= plots.graphics.viewport().width()  # not clipped
    assert box.height() < 2.5 * plots.fontMetrics().height()  # one line
    legends_bottom = max(legend.sceneBoundingRect().bottom()
                         for legend in (plots.cost_legend, plots.accuracy_legend))
    assert legends_bottom <= box.top() and box.bottom() <= plots.graphics.viewport().height()
    click_compare(qtbot, view)
    assert plot_heights(plots) == pytest.approx(before, abs=1)


def test_runs_with_the_same_cost_still_overlay_their_costs(window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    train_with_shortcut(window, qtbot, CROSS_ENTROPY)
    train_with_shortcut(window, qtbot, CROSS_ENTROPY)
    view = view_shown(qtbot, window, "plots")
    plots = view.plots
    click_compare(qtbot, view)
    first = plots.runs[0]
    assert plots.compare_note is None
    assert all(c.isVisible() for c in plots.prev_cost + plots.prev_accuracy)
    _x, y = plots.prev_cost[0].getData()
    np.testing.assert_allclose(10 ** y, first.batches["smoothed"], rtol=1e-6)  # log axis
    names = [label.text for _sample, label in plots.cost_legend.items]
    assert "run 1 (dashed)" in names
    lo, hi = cost_span(plots)  # the axis spans run 1's costs too
    assert lo <= np.nanmin(first.epochs["train_cost"]) and hi >= first.batches["smoothed"].max()


def test_the_note_follows_the_palette(two_runs, qtbot):
    from ffn_gui.shell.theme import dark_palette, plot_colours

    view = two_runs
    plots = view.plots
    click_compare(qtbot, view)
    app = QApplication.instance()
    light = app.palette()
    assert plots.overlay.note.opts["color"] == plot_colours(plots.palette()).text.name()
    app.setPalette(dark_palette())
    try:
        qtbot.waitUntil(lambda: plots.overlay.note.opts["color"]
                        == plot_colours(dark_palette()).text.name())
        assert plots.overlay.note.text == plots.compare_note  # the same words, recoloured
    finally:
        app.setPalette(light)


def test_with_compare_on_each_new_run_is_checked_against_the_one_before(qtbot):
    """Compare left on across runs: the note comes with the new run's first moment, and names
    the run before it and that run's cost."""
    from core.training import BatchProgress, EpochProgress
    from ffn_gui.plots.live import TrainingPlots

    plots = TrainingPlots()
    qtbot.addWidget(plots)

    def run(cost: str, level: float) -> None:
        plots.reset(1, 4, cost=cost)
        plots.add_progress([BatchProgress(1, 1, b, 4, level / b, 10 * b, 0.0)
                            for b in range(1, 5)]
                           + [EpochProgress(1, 1, level / 5, 0.9, level / 4, 0.89, 0.1, 1.0, 0)])

    run("quadratic", 0.05)
    plots.exports.compare_action.trigger()
    plots.reset(1, 4, cost="cross_entropy")
    assert plots.compare_note == "run 1 used the quadratic cost: compared on accuracy only"
    run("cross_entropy", 2.0)
    assert cost_span(plots)[0] > 0.05 / 5  # run 1's costs are not on this axis
    run("cross_entropy", 1.0)
    assert plots.compare_note is None and all(c.isVisible() for c in plots.prev_cost)
    run("quadratic", 0.05)
    assert plots.compare_note == "run 3 used the cross-entropy cost: compared on accuracy only"
