"""BP1 for the ten outputs, each factor on its own labelled axis, and what saturation does.

Over the charts, the outputs aᴸ with the target y outlined (``outputs``; a click on a bar
emits ``label_clicked(k)``: the digit this really is).
For the quadratic cost (sigmoid outputs): aᴸ − y, σ′(zᴸ) and δᴸ = their product as three bar
charts side by side, each with a value axis of its own (on one axis σ′ ≤ 0.25 and a δᴸ of 1e-4
vanish beside aᴸ − y = ±1). Under the equation one line says which outputs are saturated (wrong,
with σ′(zᴸ) ≈ 0: the learning slowdown of Nielsen's chapter 3), and the switch *What if the cost
were cross-entropy?* adds δᴸ = aᴸ − y of that cost to the δᴸ chart, for the same network and
digit. For softmax + cross-entropy, one chart: δᴸ = aᴸ − y. A click on a δᴸ bar emits
``output_clicked(j)``.

The numbers come from core (``inspect.backprop``, ``lesson.saturated``, ``lesson.output_delta``);
this panel only draws them. Kept for tests: ``charts`` (``"diff"``, ``"prime"``, ``"delta"``),
``note``, ``what_if`` (the switch), ``what_if_delta`` (the cross-entropy δᴸ shown, or None).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .bars_panel import OKABE_ITO, BarsPanel
from .legend import short
from .steady_label import steady_label

CHART_HEIGHT = 64  # px at least: three charts side by side, under the outputs


def saturation_text(record, saturated: np.ndarray) -> str:
    """The line under BP1: which outputs are saturated and what that does to δᴸ."""
    if record.sigma_prime is None:
        return "cross-entropy, softmax outputs: their σ′ cancels, so δᴸ is never slowed"
    if not saturated.size:
        return "quadratic cost C = ½‖y − aᴸ‖², sigmoid outputs; no output is saturated"
    which = ", ".join(str(int(s)) for s in saturated)
    flattest = short(float(record.sigma_prime[saturated].min()))
    return (f"Saturated: output{'s' if saturated.size > 1 else ''} {which} wrong, but σ′(zᴸ) ≤ "
            f"{flattest}, so δᴸ ≈ 0: the learning slowdown (Nielsen, ch. 3)")


class Bp1Panel(QWidget):
    output_clicked = Signal(int)
    label_clicked = Signal(int)
    what_if_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.eq = QLabel()  # one line; it never widens the column
        self.eq.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note = steady_label(3)
        self.what_if = QCheckBox("What if the cost were cross-entropy?")
        self.what_if.setToolTip(
            "δᴸ of the same network and digit under the cross-entropy cost "
            "−Σ [y ln a + (1 − y) ln(1 − a)]: its σ′(zᴸ) cancels, δᴸ = aᴸ − y")
        self.what_if.toggled.connect(self.what_if_toggled)
        self.charts = {"diff": BarsPanel("aᴸ − y"), "prime": BarsPanel("σ′(zᴸ)"),
                       "delta": BarsPanel("δᴸ")}
        for chart in self.charts.values():
            chart.setMinimumHeight(CHART_HEIGHT)
        self.charts["delta"].setToolTip("Click an output's δᴸ to see its weights' ∂C/∂w (BP4)")
        self.charts["delta"].clicked.connect(self.output_clicked)
        self.what_if_delta: np.ndarray | None = None
        self.outputs = BarsPanel("outputs aᴸ and the target y: click the true digit")
        self.outputs.setMinimumHeight(CHART_HEIGHT)
        self.outputs.setToolTip("Click the digit this really is, or press its key")
        self.outputs.clicked.connect(self.label_clicked)
        row = QHBoxLayout()
        row.setSpacing(4)
        for chart in self.charts.values():
            row.addWidget(chart, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.eq)
        layout.addWidget(self.note)
        layout.addWidget(self.what_if)
        layout.addWidget(self.outputs, 1)
        layout.addLayout(row, 1)

    def show_record(self, record, saturated: np.ndarray, what_if: np.ndarray | None) -> None:
        """BP1 of ``record`` (a core.inspect.Backprop); ``what_if`` is δᴸ under cross-entropy
        (shown while the switch is on), or None for a network that has that cost."""
        quadratic = record.sigma_prime is not None
        self.eq.setText("BP1  δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)" if quadratic else "BP1  δᴸ = aᴸ − y")
        self.note.setText(saturation_text(record, saturated))
        self.outputs.show_bars(record.output, highlight=record.label)
        self.outputs.show_targets(np.eye(len(record.output))[record.label])
        self.what_if.setVisible(quadratic)
        self.charts["diff"].setVisible(quadratic)
        self.charts["prime"].setVisible(quadratic)
        delta = self.charts["delta"]
        if quadratic:
            self.charts["diff"].show_signed(record.a_minus_y)
            self.charts["prime"].show_groups([record.sigma_prime], None, [OKABE_ITO[2]])
        shown = what_if if quadratic and self.what_if.isChecked() else None
        self.what_if_delta = shown
        if shown is None:
            delta.set_title("δᴸ = their product" if quadratic else "δᴸ = aᴸ − y")
            delta.show_signed(record.delta[-1])
        else:
            delta.set_title("δᴸ, both costs")
            delta.show_groups([record.delta[-1], shown], ["quadratic", "cross-entropy"],
                              [OKABE_ITO[0], OKABE_ITO[1]])

    def clear(self) -> None:
        """No digit: no charts, no note."""
        self.note.setText("")
        self.what_if_delta = None
        for chart in (self.outputs, *self.charts.values()):
            chart.clear()
