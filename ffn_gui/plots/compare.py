"""Compare with previous run: the previous run drawn dashed over the current one, on the axes
where the two can be compared.

Two runs share the accuracy axis always: a share of digits read right means the same whatever
the network minimised. They share the cost axis only when they minimised the same cost. The
notes' quadratic cost ½‖a − y‖² and cross-entropy −ln a_y are different measures of the same
outputs: a network that guesses (every output 0.1) costs 0.45 by the first and 2.30 by the
second, so a `seed` run's quadratic curve drawn on a `default` run's cross-entropy axis sat far
below it and seemed the better network while reading fewer digits right. A second, right-hand
cost axis would put the two curves back on one picture, where a crossing or a gap means
nothing. So, as TensorBoard draws only scalars of one name in one chart, the previous run's
cost is not drawn when its cost function differs; a line under the plots says so (``run 1
used the quadratic cost: compared on accuracy only``) and its accuracy curves are drawn as
ever. A run whose cost is not known (``Run.cost`` empty) is drawn as before. The line is a row
of the plots' own layout (so exports hold it), there only while it has something to say.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from ffn_gui.shell.theme import mix
from ffn_gui.state.runs import Run

from .legend import tight


def cost_name(cost: str) -> str:
    """A cost's name as the plots write it: "quadratic", "cross-entropy"."""
    return cost.replace("_", "-")


def same_cost(a: Run, b: Run) -> bool:
    """True when the two runs' costs can share one axis: the same cost (or one not known)."""
    return not (a.cost and b.cost and a.cost != b.cost)


def cost_note(prev: Run) -> str:
    """The cost legend's line for a previous run whose cost is not drawn."""
    return (f"run {prev.number} used the {cost_name(prev.cost)} cost: compared on accuracy "
            "only")


class Overlay:
    """The previous run's dashed curves in the cost and accuracy plots, their legend entries,
    and the line under the plots that says why its cost is not drawn."""

    NOTE_ROW = 2  # under the plots (row 0) and their legends (row 1), across both columns

    def __init__(self, graphics: pg.GraphicsLayoutWidget, cost_plot: pg.PlotItem,
                 accuracy_plot: pg.PlotItem, cost_legend: pg.LegendItem,
                 accuracy_legend: pg.LegendItem) -> None:
        self.cost_curves = [cost_plot.plot() for _ in range(3)]  # smoothed, train, validation
        self.accuracy_curves = [accuracy_plot.plot() for _ in range(2)]  # train, validation
        self.cost_legend, self.accuracy_legend = cost_legend, accuracy_legend
        self.layout = graphics.ci
        self.note = pg.LabelItem(justify="left")
        self.note_text: str | None = None  # what the line says; None: it is not shown
        self._note_style: dict = {}
        self.cost_shown = False  # the previous run's cost is drawn
        for curve in self.cost_curves + self.accuracy_curves:
            curve.setVisible(False)

    def show(self, prev: Run | None, current: Run) -> None:
        """Draw ``prev`` over ``current`` where they can be compared (None: draw nothing)."""
        self.cost_legend.removeItem(self.cost_curves[0])
        self.accuracy_legend.removeItem(self.accuracy_curves[1])
        self.cost_shown = prev is not None and same_cost(prev, current)
        for curve in self.cost_curves:
            curve.setVisible(self.cost_shown)
        for curve in self.accuracy_curves:
            curve.setVisible(prev is not None)
        self._set_note(None if prev is None or self.cost_shown else cost_note(prev))
        if prev is None:
            return
        b, e = prev.batches, prev.epochs
        if self.cost_shown:
            self.cost_curves[0].setData(b["x"], b["smoothed"])
            self.cost_curves[1].setData(e["epoch"], e["train_cost"])
            self.cost_curves[2].setData(e["epoch"], e["validation_cost"], connect="finite")
            self._add(self.cost_legend, self.cost_curves[0], f"run {prev.number} (dashed)")
        self.accuracy_curves[0].setData(e["epoch"], 100 * e["train_accuracy"])
        self.accuracy_curves[1].setData(e["epoch"], 100 * e["validation_accuracy"],
                                        connect="finite")
        test = f": test {100 * prev.test_accuracy:.2f}%" if prev.test_accuracy is not None else ""
        self._add(self.accuracy_legend, self.accuracy_curves[1], f"run {prev.number}{test}")

    @staticmethod
    def _add(legend: pg.LegendItem, item, text: str) -> None:
        legend.addItem(item, text)
        tight(legend.items[-1][1])

    def _set_note(self, text: str | None) -> None:
        """Show the line under the plots with ``text``, or take it away (None)."""
        shown = self.note_text is not None
        self.note_text = text
        if text is None:
            if shown:
                self.layout.removeItem(self.note)
            return
        self.note.setText(text, **self._note_style)
        if not shown:
            self.layout.addItem(self.note, row=self.NOTE_ROW, col=0, colspan=2)

    def apply_palette(self, colours, width: float, text_pt: float) -> None:
        """Dashed curves, a little faded towards the background, in the current run's
        colours; the note in the legends' text colour and size."""
        c = colours
        self._note_style = {"color": c.text.name(), "size": f"{text_pt:.1f}pt"}
        if self.note_text is not None:
            self.note.setText(self.note_text, **self._note_style)
        pairs = [(self.cost_curves[0], c.cost), (self.cost_curves[1], c.train),
                 (self.cost_curves[2], c.validation), (self.accuracy_curves[0], c.train),
                 (self.accuracy_curves[1], c.validation)]
        for curve, colour in pairs:
            curve.setPen(pg.mkPen(mix(colour, c.background, 0.25), width=width,
                                  style=Qt.PenStyle.DashLine))
