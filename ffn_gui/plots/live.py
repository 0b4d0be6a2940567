"""Live training plots: cost and accuracy, drawn with pyqtgraph, in the palette's colours.

The curves are created once, each a ``Series`` (``plot_series.py``): a preallocated buffer
redrawn with ``curve.setData(x[:n], y[:n])``; nothing is cleared and rebuilt while a run goes
on. The legends' layout is in ``plot_legend.py``, the axis ranges in ``plot_ranges.py``.
The x axis is in epochs: a batch report at batch b of B in epoch e sits at ``e - 1 + b / B``;
an epoch-end point sits at ``e``.

Both plots live in one pyqtgraph scene, with their legends in a row under them (outside the
data, so they never cover the last points), so one export holds both. Every run of the session
is kept (``runs``, see ``runs.py``); "Compare with previous run" overlays the one before the
current run, dashed, on the axes where the two can be compared (``plot_compare.py``: a run that
minimised another cost is compared on accuracy only). The cost plot's title names the cost the
run minimises. Colours come from ``theme.plot_colours(self.palette())`` and are set again
when the palette changes (a dark palette, the platform turning dark).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from core.training import BatchProgress, EpochProgress
from ffn_gui.shell.presenter import line_scale
from ffn_gui.shell.theme import mix, plot_colours
from ffn_gui.state.runs import Run

from .axis import LogAxis
from .compare import Overlay, cost_name
from .export import PlotExports
from .legend import fit_columns, make_legend, tight
from .ranges import accuracy_range, cost_range, set_range, x_end
from .series import Series, plot_item

SMOOTHING_EPOCHS = 0.05  # time constant of the smoothed batch cost, in epochs
SHARES = (3, 2)  # the cost and accuracy plots' shares of the width


class TrainingPlots(QWidget):
    """Cost (per batch, smoothed, per epoch) and accuracy (per epoch, test at the end)."""

    TEXTS = {"cost": ("Cost", "cost (log scale)"),
             "accuracy": ("Accuracy", "accuracy (%)")}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(480, 190)
        self.graphics.ci.setContentsMargins(2, 2, 2, 2)
        self.graphics.ci.layout.setRowStretchFactor(0, 1)
        # the cost plot a little wider: its legend has four entries to the accuracy's two
        for col, share in enumerate(SHARES):
            self.graphics.ci.layout.setColumnStretchFactor(col, share)
        self._build_cost()
        self._build_accuracy()
        self.overlay = Overlay(self.graphics, self.cost_plot, self.accuracy_plot,
                               self.cost_legend, self.accuracy_legend)  # the previous run
        self.prev_cost = self.overlay.cost_curves  # smoothed, train, validation
        self.prev_accuracy = self.overlay.accuracy_curves  # train, validation
        self.runs: list[Run] = [Run(1)]
        self.compare = False
        self._smoothed: float | None = None
        self.exports = PlotExports(self)  # the Compare / Export actions, menu and dialogs
        self._build_layout()
        self.graphics.installEventFilter(self)  # the legends wrap to the plots' new width
        self.apply_palette()
        self.reset(1)

    def _build_cost(self) -> None:
        self.cost_plot = c = plot_item(self.graphics, 0, LogAxis("left"))
        # Costs fall by orders of magnitude (2.3 -> 0.02): on a log axis the late gains and
        # the gap between train and validation stay visible.
        c.setLogMode(x=False, y=True)
        self.cost_legend = make_legend(self.graphics, 0)
        self.batch_cost = Series(c.plot())
        self.smooth_cost = Series(c.plot())
        self.train_cost = Series(c.plot(symbol="o", symbolSize=6))
        self.val_cost = Series(c.plot(symbol="s", symbolSize=6))

    def _build_accuracy(self) -> None:
        self.accuracy_plot = a = plot_item(self.graphics, 1)
        self.accuracy_legend = make_legend(self.graphics, 1)
        self.train_accuracy = Series(a.plot(symbol="o", symbolSize=6))
        self.val_accuracy = Series(a.plot(symbol="s", symbolSize=6))
        # The test accuracy is a dashed line named in the legend (a label on the line was
        # drawn over the train curve whenever that ran close to it).
        self.test_line = pg.InfiniteLine(angle=0, movable=False)
        self.test_line.setVisible(False)
        self.test_sample = pg.PlotDataItem()  # the legend's sample of the line, not plotted
        a.addItem(self.test_line, ignoreBounds=True)
        self.test_accuracy: float | None = None
        self._legend_entries = (
            (self.cost_legend, self.batch_cost.curve, "batches"),
            (self.cost_legend, self.smooth_cost.curve, "smoothed"),
            (self.cost_legend, self.train_cost.curve, "train"),
            (self.cost_legend, self.val_cost.curve, "validation"),
            (self.accuracy_legend, self.train_accuracy.curve, "train"),
            (self.accuracy_legend, self.val_accuracy.curve, "validation"),
        )
        for legend, curve, name in self._legend_entries:
            legend.addItem(curve, name)
            tight(legend.getLabel(curve))

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        compare = QToolButton()
        compare.setDefaultAction(self.exports.compare_action)
        compare.setAutoRaise(True)
        export = QToolButton()
        export.setText("Export")
        export.setToolTip("Save the plots as PNG or SVG, or every run of the session as CSV")
        export.setMenu(self.exports.menu)
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export.setAutoRaise(True)
        row.addWidget(compare)
        row.addWidget(export)
        layout.addLayout(row)
        layout.addWidget(self.graphics, 1)

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.graphics and event.type() == QEvent.Type.Resize:
            self._fit_legends()
        return False

    def _fit_legends(self) -> None:
        """As many legend columns as fit under each plot (its entries wrap, never clip)."""
        for legend, share in zip((self.cost_legend, self.accuracy_legend), SHARES):
            # the column's share of the width, not the plot's: a legend widens its plot
            fit_columns(legend, self.graphics.width() * share / sum(SHARES) - 10)

    # --- colours -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.StyleChange, QEvent.Type.FontChange,
                            QEvent.Type.ApplicationFontChange):
            self.apply_palette()  # fonts too: the interface zoom and presenter mode

    def apply_palette(self) -> None:
        """Colour the plots from the widget's palette (called again when it changes)."""
        self.colours = c = plot_colours(self.palette())
        w = line_scale()  # thicker lines in presenter mode
        pt = self.font().pointSizeF() if self.font().pointSizeF() > 0 else 9.0
        self.graphics.setBackground(c.background)
        self._set_titles()
        for key, plot in (("cost", self.cost_plot), ("accuracy", self.accuracy_plot)):
            left = self.TEXTS[key][1]
            plot.setLabel("left", left, color=c.axis.name(), **{"font-size": f"{pt:.1f}pt"})
            plot.setLabel("bottom", "epoch", color=c.axis.name(), **{"font-size": f"{pt:.1f}pt"})
            plot.showGrid(x=True, y=True)
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(pg.mkPen(c.axis))
                axis.setTextPen(pg.mkPen(c.axis))
                # The grid in an opaque colour: semi-transparent lines across the plot took
                # 1-2 ms a repaint per axis, opaque ones 0.04 ms.
                axis.setTickPen(pg.mkPen(mix(c.axis, c.background, 1 - c.grid_alpha)))
                axis.setStyle(tickAlpha=255, tickFont=self.font())
        self.batch_cost.curve.setPen(pg.mkPen(c.batch, width=1.2 * w))
        self.smooth_cost.curve.setPen(pg.mkPen(c.cost, width=2 * w))
        for series, colour in ((self.train_cost, c.train), (self.val_cost, c.validation),
                               (self.train_accuracy, c.train),
                               (self.val_accuracy, c.validation)):
            series.curve.setPen(pg.mkPen(colour, width=2 * w))
            series.curve.setSymbolBrush(colour)
            series.curve.setSymbolPen(None)
        self.overlay.apply_palette(c, 1.5 * w, pt - 1)
        self.test_line.setPen(pg.mkPen(c.test, width=1.5 * w, style=Qt.PenStyle.DashLine))
        self.test_sample.setPen(self.test_line.pen)
        for legend in (self.cost_legend, self.accuracy_legend):
            legend.setPen(None)
            legend.setBrush(None)
            legend.setLabelTextColor(c.text)
            legend.setLabelTextSize(f"{pt - 1:.1f}pt")
            for _sample, label in legend.items:
                label.setText(label.text)

    def _set_titles(self) -> None:
        """"Cost (cross-entropy)": the cost plot's title names the cost the run minimises."""
        pt = self.font().pointSizeF() if self.font().pointSizeF() > 0 else 9.0
        cost = f" ({cost_name(self.run.cost)})" if self.run.cost else ""
        for key, plot, extra in (("cost", self.cost_plot, cost),
                                 ("accuracy", self.accuracy_plot, "")):
            plot.setTitle(self.TEXTS[key][0] + extra, color=self.colours.text.name(),
                          size=f"{pt + 1:.1f}pt")

    # --- feeding -----------------------------------------------------------------------------

    @property
    def run(self) -> Run:
        """The run the plots show now (the last of ``runs``)."""
        return self.runs[-1]

    @property
    def previous_run(self) -> Run | None:
        """The last run with data before the current one: what Compare overlays."""
        return next((r for r in reversed(self.runs[:-1]) if not r.empty), None)

    def reset(self, epochs: int, reports_per_epoch: int = 64, label: str = "",
              cost: str = "") -> None:
        """Empty every curve for a new run of ``epochs`` epochs and size the buffers for it;
        ``cost`` is the cost function it minimises ("quadratic", "cross_entropy"). The run
        shown so far is kept in ``runs`` (and can be overlaid for comparison)."""
        if not self.run.empty:
            self.runs.append(Run(len(self.runs) + 1))
        self.run.label, self.run.cost = label, cost
        self._set_titles()
        for series in self.batch_series + self.epoch_series:
            series.clear()
        for series in self.batch_series:
            series.reserve(epochs * reports_per_epoch)
        for series in self.epoch_series:
            series.reserve(epochs + 1)
        self.run.batches.reserve(epochs * reports_per_epoch)
        self.run.epochs.reserve(epochs + 1)
        self._smoothed = None
        self.set_test_accuracy(None)
        self._show_previous()
        self._update_legend_values()
        # Until the first points arrive: costs from 0.01 to 3 (log axis), accuracy 0-100%.
        self._planned_epochs = epochs
        set_range(self.cost_plot, "y", (math.log10(0.01), math.log10(3)))
        self.accuracy_plot.setYRange(0, 100, padding=0)
        self._fit_accuracy_range()
        self._fit_ranges()

    def add_progress(self, items) -> None:
        """Add reports (one, or a sequence, oldest first) and redraw each touched curve once."""
        if isinstance(items, BatchProgress | EpochProgress):
            items = (items,)
        batches = epochs = False
        for p in items:
            if isinstance(p, BatchProgress):
                self._add_batch(p)
                batches = True
            else:
                self._add_epoch(p)
                epochs = True
        if batches:
            for series in self.batch_series:
                series.redraw()
        if epochs:
            for series in self.epoch_series:
                series.redraw()
            self._fit_accuracy_range()
            self._update_legend_values()
        self._fit_ranges()

    def _add_batch(self, p: BatchProgress) -> None:
        """A report is already the mean cost of the batches since the last one; the smoothed
        curve is an exponential moving average over about SMOOTHING_EPOCHS of training, so it
        smooths the same however many reports an epoch brings."""
        x = p.epoch - 1 + p.batch / p.batches
        if self._smoothed is None:
            s = p.cost
        else:
            weight = 1.0 - math.exp(-(x - self.batch_cost.x[self.batch_cost.n - 1])
                                    / SMOOTHING_EPOCHS)
            s = weight * p.cost + (1 - weight) * self._smoothed
        self._smoothed = s
        self.batch_cost.append(x, p.cost, redraw=False)
        self.smooth_cost.append(x, s, redraw=False)
        self.run.batches.append(p.epoch, p.batch, p.batches, x, p.cost, s)

    def _add_epoch(self, p: EpochProgress) -> None:
        self.train_cost.append(p.epoch, p.train_cost, redraw=False)
        self.train_accuracy.append(p.epoch, 100 * p.train_accuracy, redraw=False)
        if p.val_cost is not None:
            self.val_cost.append(p.epoch, p.val_cost, redraw=False)
            self.val_accuracy.append(p.epoch, 100 * p.val_accuracy, redraw=False)
        self.run.epochs.append(p.epoch, p.train_cost, p.val_cost, p.train_accuracy,
                               p.val_accuracy)

    @property
    def test_label(self) -> str | None:
        """The legend's entry for the test line ("test 97.75%"), or None when not shown."""
        label = self.accuracy_legend.getLabel(self.test_sample)
        return None if label is None else label.text

    def set_test_accuracy(self, accuracy: float | None) -> None:
        self.test_accuracy = accuracy
        self.run.test_accuracy = accuracy
        self.accuracy_legend.removeItem(self.test_sample)
        self.test_line.setVisible(accuracy is not None)
        if accuracy is not None:
            self.test_line.setValue(100 * accuracy)
            self.accuracy_legend.addItem(self.test_sample, f"test {100 * accuracy:.2f}%")
            tight(self.accuracy_legend.getLabel(self.test_sample))
            self._fit_accuracy_range()
        self._fit_legends()

    # --- ranges, legends and the previous run ------------------------------------------------

    def set_compare(self, on: bool) -> None:
        """Overlay the previous run (dashed) on the current one, or not: on the accuracy plot,
        and on the cost plot only when both runs minimised the same cost (``plot_compare``)."""
        self.compare = bool(on)
        self._show_previous()
        self._fit_accuracy_range()
        self._fit_ranges()

    def _show_previous(self) -> None:
        self.overlay.show(self.previous_run if self.compare else None, self.run)
        self._fit_legends()

    @property
    def compare_note(self) -> str | None:
        """The line under the plots on a previous run compared on accuracy only, or None."""
        return self.overlay.note_text

    def _update_legend_values(self) -> None:
        """The legend says each epoch curve's latest value."""
        values = {self.train_cost.curve: self.train_cost, self.val_cost.curve: self.val_cost,
                  self.train_accuracy.curve: self.train_accuracy,
                  self.val_accuracy.curve: self.val_accuracy}
        for legend, curve, name in self._legend_entries:
            series = values.get(curve)
            label = legend.getLabel(curve)
            if series is None or not series.n:
                label.setText(name)
            elif series in (self.train_accuracy, self.val_accuracy):
                label.setText(f"{name} {series.y[series.n - 1]:.2f}%")
            else:
                label.setText(f"{name} {series.y[series.n - 1]:.2g}")
        self._fit_legends()

    def _fit_ranges(self) -> None:
        """The x and cost ranges, set only when they change (see ``plot_ranges``)."""
        prev = self.previous_run if self.compare else None
        costs = [self.batch_cost, self.smooth_cost, self.train_cost, self.val_cost]
        set_range(self.cost_plot, "y",
                  cost_range(costs, prev if self.overlay.cost_shown else None))
        x_range = (0.0, x_end([self.batch_cost, self.train_cost], prev, self._planned_epochs))
        for plot in (self.cost_plot, self.accuracy_plot):
            set_range(plot, "x", x_range)

    def _fit_accuracy_range(self) -> None:
        """The accuracy axis spans the points and the test line (see ``plot_ranges``)."""
        prev = self.previous_run if self.compare else None
        span = accuracy_range([self.train_accuracy, self.val_accuracy], self.test_accuracy,
                              prev)
        if span is not None:
            self.accuracy_plot.setYRange(*span, padding=0)

    # --- for tests and the window ------------------------------------------------------------

    @property
    def batch_series(self) -> list[Series]:
        return [self.batch_cost, self.smooth_cost]

    @property
    def epoch_series(self) -> list[Series]:
        return [self.train_cost, self.val_cost, self.train_accuracy, self.val_accuracy]

    @property
    def n_batch_points(self) -> int:
        return len(self.batch_cost)

    @property
    def n_epoch_points(self) -> int:
        return len(self.train_cost)
