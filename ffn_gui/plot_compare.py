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
cost is not drawn when its cost function differs; a note in the cost legend says so (``run 1
used the quadratic cost: compared on accuracy``) and its accuracy curves are drawn as ever.
A run whose cost is not known (``Run.cost`` empty) is drawn as before.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from .plot_legend import tight
from .runs import Run
from .theme import mix


def cost_name(cost: str) -> str:
    """A cost's name as the plots write it: "quadratic", "cross-entropy"."""
    return cost.replace("_", "-")


def same_cost(a: Run, b: Run) -> bool:
    """True when the two runs' costs can share one axis: the same cost (or one not known)."""
    return not (a.cost and b.cost and a.cost != b.cost)


def cost_note(prev: Run) -> str:
    """The cost legend's line for a previous run whose cost is not drawn."""
    return f"run {prev.number} used the {cost_name(prev.cost)} cost: compared on accuracy"


class NoteSample(pg.ItemSample):
    """A legend entry's sample that draws nothing and ignores clicks: the entry is a note."""

    def __init__(self) -> None:
        super().__init__(pg.PlotDataItem())  # ``item`` names the entry (legend.getLabel)
        self.setFixedWidth(4)

    def paint(self, p, *args) -> None:
        pass

    def mouseClickEvent(self, event) -> None:  # noqa: N802 - pyqtgraph's name
        event.accept()


class Overlay:
    """The previous run's dashed curves in the cost and accuracy plots, their legend entries,
    and the note that says why its cost is not drawn."""

    def __init__(self, cost_plot: pg.PlotItem, accuracy_plot: pg.PlotItem,
                 cost_legend: pg.LegendItem, accuracy_legend: pg.LegendItem) -> None:
        self.cost_curves = [cost_plot.plot() for _ in range(3)]  # smoothed, train, validation
        self.accuracy_curves = [accuracy_plot.plot() for _ in range(2)]  # train, validation
        self.cost_legend, self.accuracy_legend = cost_legend, accuracy_legend
        self.note = NoteSample()
        self.cost_shown = False  # the previous run's cost is drawn
        for curve in self.cost_curves + self.accuracy_curves:
            curve.setVisible(False)

    @property
    def note_text(self) -> str | None:
        """The note in the cost legend, or None when there is none."""
        label = self.cost_legend.getLabel(self.note.item)
        return None if label is None else label.text

    def show(self, prev: Run | None, current: Run) -> None:
        """Draw ``prev`` over ``current`` where they can be compared (None: draw nothing)."""
        self.cost_legend.removeItem(self.cost_curves[0])
        self.cost_legend.removeItem(self.note.item)
        self.accuracy_legend.removeItem(self.accuracy_curves[1])
        self.cost_shown = prev is not None and same_cost(prev, current)
        for curve in self.cost_curves:
            curve.setVisible(self.cost_shown)
        for curve in self.accuracy_curves:
            curve.setVisible(prev is not None)
        if prev is None:
            return
        b, e = prev.batches, prev.epochs
        if self.cost_shown:
            self.cost_curves[0].setData(b["x"], b["smoothed"])
            self.cost_curves[1].setData(e["epoch"], e["train_cost"])
            self.cost_curves[2].setData(e["epoch"], e["validation_cost"], connect="finite")
            self._add(self.cost_legend, self.cost_curves[0], f"run {prev.number} (dashed)")
        else:
            self._add(self.cost_legend, self.note, cost_note(prev))
        self.accuracy_curves[0].setData(e["epoch"], 100 * e["train_accuracy"])
        self.accuracy_curves[1].setData(e["epoch"], 100 * e["validation_accuracy"],
                                        connect="finite")
        test = f": test {100 * prev.test_accuracy:.2f}%" if prev.test_accuracy is not None else ""
        self._add(self.accuracy_legend, self.accuracy_curves[1], f"run {prev.number}{test}")

    @staticmethod
    def _add(legend: pg.LegendItem, item, text: str) -> None:
        legend.addItem(item, text)
        tight(legend.items[-1][1])

    def set_pens(self, colours, width: float) -> None:
        """Dashed, a little faded towards the background, in the current run's colours."""
        c = colours
        pairs = [(self.cost_curves[0], c.cost), (self.cost_curves[1], c.train),
                 (self.cost_curves[2], c.validation), (self.accuracy_curves[0], c.train),
                 (self.accuracy_curves[1], c.validation)]
        for curve, colour in pairs:
            curve.setPen(pg.mkPen(mix(colour, c.background, 0.25), width=width,
                                  style=Qt.PenStyle.DashLine))
