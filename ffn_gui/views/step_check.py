"""The backprop view's lesson strip: one step predicted and measured, and the gradient check.

``StepStrip``: α, *Take one step* and *Undo step*, two lines on the step (the cost C before and
after, the change measured beside the first-order prediction ΔC ≈ −α‖∇C‖², whether the step
raised the cost, P(y) before and after) and the probabilities before and after as bars.
``check_text``: the gradient check of one weight in four lines. The numbers are core's
(``core.lesson``); this module only words them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .bars_panel import BarsPanel
from .numbering import sup
from .steady_label import steady_label

DEFAULT_STEP = 0.5  # α when the model was not trained with plain SGD
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def num(value: float, digits: int = 4) -> str:
    """``value`` in ``digits`` significant digits, as 0.4512, −1.2e-07 or 3."""
    mantissa, _, exponent = f"{value:.{digits}g}".partition("e")
    text = f"{mantissa}e{int(exponent)}" if exponent else mantissa
    return text.replace("-", "−")


def step_text(prediction, step) -> str:
    """Two lines on one step: ``prediction`` a core.lesson.StepPrediction, ``step`` the
    core.inspect.Step taken."""
    p, label = prediction, step.label
    change = f"ΔC = {'+' if p.raised else ''}{num(p.measured, 3)}"
    costs = f"C {num(p.cost_before)} → {num(p.cost_after)}"
    first = (f"{change}: the step raised the cost ({costs})" if p.raised
             else f"{change} measured ({costs})")
    odds = (f"P({label}) {100 * step.probs_before[label]:.1f}% → "
            f"{100 * step.probs_after[label]:.1f}%")
    second = f"predicted −α‖∇C‖² = {num(p.predicted, 3)}"
    if p.raised:
        return f"{first}\n{second}: α = {p.learning_rate:g} is too large here; {odds}"
    return f"{first}\n{second}; α = {p.learning_rate:g}, {odds}"


def weight_name(check, n_weight_layers: int) -> str:
    """wˡⱼₖ in the notes' numbering, and the pixel for a first-layer weight."""
    layer = "ᴸ" if check.layer == n_weight_layers - 1 else sup(check.layer + 2)
    pixel = (f" (pixel {check.k // 28}, {check.k % 28})"
             if check.layer == 0 and check.k < 784 else "")
    return f"w{layer}ⱼₖ, j = {check.j}, k = {check.k}{pixel}"


def check_text(check, n_weight_layers: int) -> str:
    """Four lines: the weight, backprop's ∂C/∂w, the central difference and ε, the verdict."""
    first = f"{weight_name(check, n_weight_layers)}: backprop ∂C/∂w = {num(check.backprop, 10)}"
    second = f"(C(w+ε) − C(w−ε)) / 2ε = {num(check.numeric, 10)}, ε = {check.eps:g}"
    error = f"Relative error {check.relative_error:.1e}"
    if check.backprop == check.numeric == 0:
        verdict = "Both exactly 0: aₖ = 0, so C does not depend on this weight."
    elif check.relative_error < 1e-6:
        verdict = f"{error} (float64): backprop is exact."
    elif check.below_rounding:
        verdict = f"{error}: too small, lost in rounding (≈ {check.rounding:.0e})."
    else:
        verdict = f"{error}: they differ (a ReLU kink within ε?)."
    return f"{first}\n{second}\n{verdict}"


class StepStrip(QWidget):
    """α, the step and undo buttons, the step's two lines and its before/after bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alpha = QDoubleSpinBox()
        self.alpha.setRange(0.001, 100.0)
        self.alpha.setDecimals(3)
        self.alpha.setSingleStep(0.1)
        self.alpha.setValue(DEFAULT_STEP)
        self.alpha.setToolTip("The learning rate α of the step w ← w − α ∇w (one digit, m = 1)")
        self.step_button = QPushButton("Take one step")
        self.undo_button = QPushButton("Undo step")
        self.undo_button.setToolTip("Put the weights back as they were before the step (Ctrl+Z)")
        self.info = steady_label(2)
        self.before_after = BarsPanel("probabilities before (grey) and after a step")
        self.before_after.setMinimumHeight(64)
        controls = QHBoxLayout()
        for widget in (QLabel("α ="), self.alpha, self.step_button, self.undo_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(controls)
        layout.addWidget(self.info)
        layout.addWidget(self.before_after, 1)
