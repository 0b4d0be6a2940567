"""The training plots: the test line's label, the palette, readable axes and legends, the
session's runs, compare and export. Real widgets, offscreen."""

from __future__ import annotations

import csv
import math
import os

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from core.training import BatchProgress, EpochProgress
from ffn_gui.plots.axis import MIN_GAP_PX, log_ticks, snap_down, snap_up, tick_label
from ffn_gui.plots.live import TrainingPlots
from ffn_gui.shell.theme import dark_palette, is_dark, plot_colours
from ffn_gui.state.runs import CSV_HEADER

REPORTS = 8  # batch reports per epoch in these runs


@pytest.fixture
def plots(qtbot) -> TrainingPlots:
    p = TrainingPlots()
    qtbot.addWidget(p)
    p.resize(720, 300)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.fixture
def dark_app():
    """The application in a dark palette for one test."""
    app = QApplication.instance()
    before = QPalette(app.palette())
    app.setPalette(dark_palette())
    yield app
    app.setPalette(before)


def feed(plots: TrainingPlots, epochs: int = 3, level: float = 0.0, test: float | None = 0.95):
    """A plausible run: costs falling from 2.3, accuracies rising; ``level`` shifts it."""
    plots.reset(epochs, REPORTS)
    for e in range(1, epochs + 1):
        items = []
        for b in range(1, REPORTS + 1):
            x = e - 1 + b / REPORTS
            items.append(BatchProgress(e, epochs, b * 10, REPORTS * 10,
                                       2.3 * math.exp(-2 * x) + 0.05 + level, 0, 0.0))
        cost = 2.3 * math.exp(-2 * e) + 0.04 + level
        items.append(EpochProgress(e, epochs, cost, 0.9 + 0.02 * e - level, 1.1 * cost,
                                   0.89 + 0.02 * e - level, 0.1, float(e), 0.0))
        plots.add_progress(items)
    plots.set_test_accuracy(test)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(c: QColor) -> float:
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
               for x in c.getRgbF()[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- the test line -----------------------------------------------------------------------------


def test_test_line_is_named_in_the_legend_with_the_test_accuracy(plots):
    """The test line's accuracy is in the legend, under the plot: a label on the line was
    drawn over the train curve when that ran close to it."""
    feed(plots, test=None)
    assert not plots.test_line.isVisible() and plots.test_label is None
    plots.set_test_accuracy(0.9375)
    assert plots.test_line.isVisible() and plots.test_line.value() == 93.75
    assert plots.test_label == "test 93.75%"
    # a second run with the same accuracy: the line was hidden in between
    feed(plots, test=0.9375)
    assert plots.test_label == "test 93.75%"
    plots.set_test_accuracy(0.5)
    assert plots.test_label == "test 50.00%"
    assert [label.text for _s, label in plots.accuracy_legend.items].count("test 50.00%") == 1
    assert plots.test_sample.opts["pen"].style() == plots.test_line.pen.style()


# --- colours from the palette ------------------------------------------------------------------


def _pen_colour(curve) -> QColor:
    return curve.opts["pen"].color()


def test_plots_follow_a_dark_palette_and_back(plots, qtbot, dark_app):
    """``plots`` is built in the light palette; ``dark_app`` then turns the app dark."""
    light = plot_colours(QApplication.style().standardPalette())
    dark = dark_app.palette()
    assert is_dark(dark)
    qtbot.waitUntil(lambda: plots.graphics.backgroundBrush().color() == dark.color(
        QPalette.ColorRole.Base))
    background = plots.graphics.backgroundBrush().color()
    assert background.lightness() < 80
    axis = plots.cost_plot.getAxis("left")
    assert axis.pen().color().lightness() > 128  # light axes on a dark plot
    assert axis.textPen().color().lightness() > 128
    for curve in (plots.smooth_cost.curve, plots.train_cost.curve, plots.val_cost.curve,
                  plots.train_accuracy.curve, plots.val_accuracy.curve):
        assert contrast(_pen_colour(curve), background) >= 3.0
    assert contrast(plots.test_line.pen.color(), background) >= 3.0
    QApplication.instance().setPalette(QApplication.style().standardPalette())
    qtbot.waitUntil(lambda: plots.graphics.backgroundBrush().color() == light.background)
    assert axis.pen().color().lightness() < 128


def test_palette_change_reaches_a_plot_made_before_it(qtbot, dark_app):
    """The signal path itself: a plot built in the light palette turns dark with the app."""
    app = QApplication.instance()
    app.setPalette(app.style().standardPalette())
    p = TrainingPlots()
    qtbot.addWidget(p)
    p.show()
    assert p.graphics.backgroundBrush().color().lightness() > 128
    app.setPalette(dark_palette())
    qtbot.waitUntil(lambda: p.graphics.backgroundBrush().color().lightness() < 80)
    assert p.accuracy_plot.getAxis("bottom").pen().color().lightness() > 128


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_curves_readable_and_the_raw_batches_secondary(palette, qtbot):
    pal = dark_palette() if palette == "dark" else QApplication.style().standardPalette()
    c = plot_colours(pal)
    for colour in (c.cost, c.train, c.validation, c.test, c.text, c.axis):
        assert contrast(colour, c.background) >= 3.0, colour.name()
    raw = contrast(c.batch, c.background)
    assert 1.5 <= raw < contrast(c.cost, c.background)  # visible, but quieter than smoothed
    assert c.batch.alpha() == 255  # an opaque line: the legend swatch is as visible


# --- the cost axis and the legends -------------------------------------------------------------


@pytest.mark.parametrize("lo,hi,px", [(0.02, 2.3, 150), (0.5, 2.3, 150), (0.01, 3, 400),
                                      (0.3, 0.9, 160), (1e-5, 3, 120)])
def test_log_ticks_are_readable(lo, hi, px):
    ticks = log_ticks(math.log10(lo), math.log10(hi), px)
    assert len(ticks) >= 2
    gaps = np.diff(ticks) * px / (math.log10(hi) - math.log10(lo))
    assert gaps.min() >= MIN_GAP_PX
    for t in ticks:  # each a 1-1.5-2-3-5-7 multiple of a power of ten, labelled plainly
        mantissa = 10 ** t / 10 ** math.floor(t + 1e-9)
        assert min(abs(mantissa - m) for m in (1, 1.5, 2, 3, 5, 7)) < 1e-6
    assert tick_label(math.log10(0.02)) == "0.02" and tick_label(0.0) == "1"


@pytest.mark.parametrize("x,down,up", [(1, 1, 1), (0.0234, 0.02, 0.03), (2.3, 2, 3),
                                      (7.5, 7, 10), (10.2, 10, 15), (0.5, 0.5, 0.5)])
def test_snap_to_a_tick_set(x, down, up):
    assert snap_down(x) == pytest.approx(down) and snap_up(x) == pytest.approx(up)
    assert snap_down(0.034, (1, 2, 5)) == pytest.approx(0.02)
    assert snap_up(0.034, (1, 2, 5)) == pytest.approx(0.05)


def test_axes_move_a_few_times_a_run_and_hold_every_point(plots):
    """Each new range redraws the axes (the costliest part of a repaint): a 15-epoch run of
    8 reports an epoch moves them a few times, not at each of its 135 reports."""
    epochs = 15
    plots.reset(epochs, REPORTS)
    ranges = []
    for e in range(1, epochs + 1):
        for b in range(1, REPORTS + 1):
            x = e - 1 + b / REPORTS
            plots.add_progress(BatchProgress(e, epochs, b, REPORTS, 2.3 * math.exp(-x) + 0.01,
                                             0, 0.0))
            ranges.append(plots.cost_plot.getViewBox().viewRange())
            (x0, x1), (y0, y1) = ranges[-1]
            assert x0 <= 0 and x1 >= x  # the newest point is in view
            costs = np.log10(plots.batch_cost.y[: plots.batch_cost.n])
            assert y0 <= costs.min() and costs.max() <= y1
        cost = 2.3 * math.exp(-e) + 0.005
        plots.add_progress(EpochProgress(e, epochs, cost, 0.9, cost, 0.9, 0.1, float(e), 0.0))
    x_ends = {round(r[0][1], 6) for r in ranges}
    cost_ranges = {tuple(np.round(r[1], 6)) for r in ranges}
    assert len(x_ends) <= 8 and len(cost_ranges) <= 10
    assert max(x_ends) <= epochs * 1.05  # not past the planned end (with its 3% margin)


def test_the_grid_is_opaque_and_faint(plots):
    """Semi-transparent grid lines were 25 times slower to paint than opaque ones."""
    c = plots.colours
    for plot in (plots.cost_plot, plots.accuracy_plot):
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            assert axis.grid is not False and axis.style["tickAlpha"] == 255
            grid = axis.tickPen().color()
            assert grid.alpha() == 255
            assert 1.05 < contrast(grid, c.background) < contrast(c.axis, c.background)


def test_cost_axis_on_screen_has_no_crowded_labels(plots, qtbot):
    feed(plots, epochs=4)
    qtbot.waitUntil(lambda: plots.cost_plot.getAxis("left").height() > 50)
    axis = plots.cost_plot.getAxis("left")
    lo, hi = plots.cost_plot.getViewBox().viewRange()[1]
    levels = axis.tickValues(lo, hi, axis.height())
    shown = sorted(v for _spacing, values in levels for v in values)
    assert len(shown) >= 2
    assert np.diff(shown).min() * axis.height() / (hi - lo) >= MIN_GAP_PX


def test_a_cost_axis_under_1_is_not_labelled_as_scaled(plots):
    """Its ticks are the costs themselves; pyqtgraph's SI prefix wrote "(x0.001)" beside an
    axis of costs from 0.01 to 0.7 (a notes' run, whose first report is 0.5)."""
    plots.reset(2, REPORTS)
    plots.add_progress([BatchProgress(1, 2, b, 8, 0.5 / b, 10 * b, 0.0) for b in range(1, 9)])
    label = plots.cost_plot.getAxis("left").labelString()
    assert "cost (log scale)" in label and "x0" not in label


@pytest.mark.parametrize("width", [720, 560])
def test_legends_sit_outside_the_data(plots, qtbot, width):
    plots.resize(1200, 300)  # wide first: the legends spread out, then must wrap
    feed(plots, epochs=4)
    plots.exports.compare_action.setChecked(True)
    feed(plots, epochs=4, level=0.02)
    plots.resize(width, 300)
    qtbot.waitUntil(lambda: plots.graphics.width() == width)
    QApplication.processEvents()
    for plot, legend in ((plots.cost_plot, plots.cost_legend),
                         (plots.accuracy_plot, plots.accuracy_legend)):
        view = plot.getViewBox().sceneBoundingRect()
        box = legend.sceneBoundingRect()
        assert box.height() > 0 and not view.intersects(box)
        # and its entries are inside the view, not clipped off to the right
        assert box.right() <= plots.graphics.viewport().width() + 1
    labels = [label.text for _s, label in plots.accuracy_legend.items]
    assert any(t.startswith("validation") and t.endswith("%") for t in labels)  # with values


@pytest.mark.parametrize("width", [680, 720, 1000])
def test_the_cost_legend_is_one_row_in_a_view_area(plots, qtbot, width):
    """Its four entries, with their values, side by side under the cost plot at the widths
    the window gives the view (they wrapped onto a second row at 720 and 1000 px)."""
    feed(plots, epochs=4, level=0.0055)
    plots.resize(width, 400)
    qtbot.waitUntil(lambda: plots.graphics.width() == width)
    QApplication.processEvents()
    legend = plots.cost_legend
    assert len(legend.items) == 4 and legend.columnCount == 4
    assert legend.sceneBoundingRect().right() <= plots.accuracy_legend.sceneBoundingRect().left()


# --- runs: kept, compared, exported ------------------------------------------------------------


def test_each_run_is_kept_and_the_previous_one_overlaid_dashed(plots):
    feed(plots, epochs=3, level=0.03, test=0.93)
    feed(plots, epochs=2)
    assert [r.number for r in plots.runs] == [1, 2]
    first = plots.runs[0]
    assert len(first.batches) == 3 * REPORTS and len(first.epochs) == 3
    assert first.test_accuracy == 0.93
    assert not any(c.isVisible() for c in plots.prev_cost + plots.prev_accuracy)
    plots.exports.compare_action.trigger()
    assert plots.compare
    assert all(c.isVisible() for c in plots.prev_cost + plots.prev_accuracy)
    x, y = plots.prev_cost[0].getData()
    np.testing.assert_allclose(10 ** y, first.batches["smoothed"])  # drawn on a log axis
    x, y = plots.prev_accuracy[1].getData()
    np.testing.assert_allclose(y, 100 * first.epochs["validation_accuracy"])
    from PySide6.QtCore import Qt

    assert plots.prev_cost[0].opts["pen"].style() == Qt.PenStyle.DashLine
    assert plots.cost_plot.getViewBox().viewRange()[0][1] >= 3  # as far as run 1 went
    names = [label.text for _s, label in plots.accuracy_legend.items]
    assert "run 1: test 93.00%" in names
    plots.exports.compare_action.trigger()
    assert not any(c.isVisible() for c in plots.prev_cost + plots.prev_accuracy)


def test_an_empty_reset_does_not_make_a_run(plots):
    plots.reset(3)
    plots.reset(5)
    assert len(plots.runs) == 1 and plots.previous_run is None


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_export_csv_has_every_run(plots, tmp_path):
    feed(plots, epochs=2, level=0.03, test=0.93)
    feed(plots, epochs=3, test=None)
    target = tmp_path / "runs.csv"
    plots.exports.ask_save_path = lambda title, name, filt: target
    plots.exports.csv_action.trigger()
    rows = _read_csv(target)
    assert list(rows[0]) == list(CSV_HEADER)
    run1 = [r for r in rows if r["run"] == "1"]
    assert [r["kind"] for r in run1].count("batch") == 2 * REPORTS
    assert [r["kind"] for r in run1].count("epoch") == 2
    assert run1[-1]["kind"] == "test" and float(run1[-1]["test_accuracy"]) == 0.93
    # in order: an epoch's batch reports, then its end
    assert [r["kind"] for r in run1[: REPORTS + 1]] == ["batch"] * REPORTS + ["epoch"]
    first = run1[0]
    assert (first["epoch"], first["batch"], first["batches"]) == ("1", "10", str(REPORTS * 10))
    assert float(first["batch_cost"]) == pytest.approx(plots.runs[0].batches["cost"][0])
    epoch2 = [r for r in run1 if r["kind"] == "epoch"][1]
    assert float(epoch2["validation_accuracy"]) == pytest.approx(0.89 + 0.04 - 0.03)
    run2 = [r for r in rows if r["run"] == "2"]
    assert len(run2) == 3 * REPORTS + 3 and "test" not in {r["kind"] for r in run2}


def test_export_csv_is_atomic(plots, tmp_path, monkeypatch):
    feed(plots)
    target = tmp_path / "runs.csv"
    target.write_text("the user's old file\n")
    plots.exports.ask_save_path = lambda *a: target
    errors = []
    plots.exports.show_error = lambda title, text: errors.append(text)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    assert plots.exports.export("csv") is None
    assert target.read_text() == "the user's old file\n"  # untouched
    assert os.listdir(tmp_path) == ["runs.csv"]  # no temporary file left behind
    assert errors and errors[0].startswith(f"no space left on the device holding {target}:")
    monkeypatch.undo()
    assert plots.exports.export("csv") == target
    assert target.read_text().startswith(",".join(CSV_HEADER))


def test_export_png_and_svg(plots, tmp_path):
    feed(plots)
    for action, name in ((plots.exports.png_action, "plots.png"),
                         (plots.exports.svg_action, "plots")):  # no suffix: one is added
        plots.exports.ask_save_path = lambda *a, n=name: tmp_path / n
        action.trigger()
    image = QImage(str(tmp_path / "plots.png"))
    assert not image.isNull() and image.width() >= plots.graphics.width()
    svg = (tmp_path / "plots.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Accuracy" in svg and "Cost" in svg
    assert sorted(os.listdir(tmp_path)) == ["plots.png", "plots.svg"]


def test_cancelled_export_writes_nothing(plots, tmp_path):
    feed(plots)
    plots.exports.ask_save_path = lambda *a: None
    for action in (plots.exports.png_action, plots.exports.svg_action,
                   plots.exports.csv_action):
        action.trigger()
    assert os.listdir(tmp_path) == []


def test_export_actions_are_in_the_plots_context_menu(plots):
    actions = plots.graphics.actions()
    for action in (plots.exports.compare_action, plots.exports.png_action,
                   plots.exports.svg_action, plots.exports.csv_action):
        assert action in actions


def test_a_run_is_labelled_with_its_settings(qtbot):
    from dataclasses import replace

    from core.training import PRESETS
    from ffn_gui.state.session import Session
    from ffn_gui.views.plots_view import PlotsView

    session = Session()
    view = PlotsView(session)  # the window's training view, which starts the plots' runs
    qtbot.addWidget(view)
    view.show()
    config = replace(PRESETS["default"], epochs=2)
    session.run_started.emit(config)
    view.flush()
    label = view.plots.run.label
    assert "-".join(map(str, config.sizes)) in label and "2 epochs" in label
    assert config.optimizer in label

