"""The backprop view: the notes' four equations, evaluated for the digit on the board.

The user says what the digit really is (a digit key, or a click on its output bar). The view
shows, labelled with the notes' symbols and the cost and activation in use: BP1 (``bp1_panel``:
the outputs with y outlined; aᴸ − y, σ′(zᴸ) and δᴸ each on its own axis; a line on saturated
outputs and the switch *What if the cost were cross-entropy?*); BP2 δˡ of every hidden layer as
a grid of cells; BP3 ∂C/∂bˡ = δˡ; BP4 ∂C/∂wˡ for the selected neuron (a 28×28 image for the first
hidden layer; a click on a δᴸ bar selects an output neuron). A click on a cell of BP4 checks
that weight's gradient against the central difference (``core.lesson.gradient_check``).
**Take one step** applies w ← w − α∇w to the model for this one digit, through
``core.inspect.take_step``, and shows C before and after beside the prediction −α‖∇C‖²
(``core.lesson.step_prediction``) and the probabilities; Undo (Ctrl+Z here) restores the
parameters bit for bit. Layers are numbered as in the notes (``numbering``): the input is layer
1, so core's layer l is the notes' l + 2 and the output is L. Kept for tests: ``record`` (a
``core.inspect.Backprop``), ``label``, ``delta`` and ``grad_w`` (lists per layer),
``grad_w_selected`` (the selected neuron's row of ∂C/∂w, 28×28 for the first layer),
``selected``, ``last_step``, ``prediction`` (its ``StepPrediction``), ``check`` (the last
``GradientCheck``) and ``undo_stack``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from core import inspect, lesson

from .backprop_panels import GridsPanel
from .base import View
from .bp1_panel import Bp1Panel
from .digit_keys import DigitKeys
from .legend import short
from .numbering import layer_name, sup, superscript
from .steady_label import steady_label
from .step_check import DEFAULT_STEP, StepStrip, check_text, step_text


def step_size(model, panel_config=None) -> float:
    """The α of one step for ``model``: its own plain-SGD α; for an untrained network, the
    training panel's when the panel is set to plain SGD (the α it will be trained with);
    otherwise ``DEFAULT_STEP`` (Adam's α would make a step too small to see)."""
    config = getattr(model, "config", None)
    if getattr(config, "optimizer", None) == "sgd":
        return float(config.learning_rate)
    untrained = model is None or not getattr(model, "trained", True)
    if untrained and getattr(panel_config, "optimizer", None) == "sgd":
        return float(panel_config.learning_rate)
    return DEFAULT_STEP


def prime_symbol(activation: str) -> str:
    return {"sigmoid": "σ′", "relu": "ReLU′", "tanh": "tanh′"}.get(activation, f"{activation}′")


def equations(cost: str, activation: str, n_layers: int) -> dict[str, str]:
    """BP2-BP4 in the notes' symbols, for this activation: the equation, then (after a line
    break) what it is here. Each fits two lines of half the view. (BP1 is ``bp1_panel``'s.)"""
    p = prime_symbol(activation)
    return {
        "bp2": f"BP2  δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ {p}(zˡ)   ({activation})\n"
               "BP3  ∂C/∂bˡⱼ = δˡⱼ  (the same grids)",
        "bp4": "BP4  ∂C/∂wˡⱼₖ = aₖˡ⁻¹ δˡⱼ",
    }


MIN_WIDTH = 600  # px: both columns readable


class BackpropView(DigitKeys, View):
    name = "backprop"
    title = "Backprop"
    help_text = (
        "Backpropagation for the digit on the board. Press the key of the digit it really is "
        "(or click its bar). BP1 is the error δᴸ of the ten outputs; BP2 carries it back to each "
        "hidden layer (red: z should go down, blue: up); BP3: each bias's gradient is that δ; "
        "BP4: the gradient of a neuron's weights (click a cell to choose the neuron). Take one "
        "step moves every weight by −α times its gradient, for this one digit: watch the "
        "probability of the true digit rise, and the cost fall by about α‖∇C‖². Undo (Ctrl+Z) "
        "puts the weights back exactly. Click a pixel (a cell) of BP4 to check that weight's "
        "gradient against the central difference. With sigmoid outputs and the quadratic cost, "
        "a line says which outputs are saturated, and the switch shows δᴸ under cross-entropy. "
        "Layers are numbered as in the notes: the input is layer 1, the output layer L.")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.inspection = session.inspection
        self.label: int | None = None
        self.record: inspect.Backprop | None = None
        self.delta = self.grad_w = None
        self.grad_w_selected: np.ndarray | None = None
        self.selected: tuple[int, int] | None = None
        self._checked: tuple[int, int, int] | None = None  # the weight whose gradient to check
        self.last_step: inspect.Step | None = None
        self.prediction: lesson.StepPrediction | None = None
        self.check: lesson.GradientCheck | None = None
        self.undo_stack: list[inspect.Step] = []
        self._network_id = None
        self._auto_alpha = DEFAULT_STEP  # the α last derived; a user's own α is kept
        self._running = False
        self._source = session.drawing.source
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Narrower, its two columns' equations and bars are cut: it scrolls sideways instead
        # (1024x640 with the settings open leaves a view about 400 px).
        self.setMinimumWidth(MIN_WIDTH)
        self._build()
        for signal in (session.reader_changed, self.inspection.neuron_changed):
            signal.connect(self.request_refresh)
        session.drawing_changed.connect(self._on_drawing)
        session.model_changed.connect(self._on_model)
        self._on_model(session.model)
        session.run_started.connect(lambda _c: self._set_running(True))
        session.run_finished.connect(lambda _r: self._set_running(False))

    def _build(self) -> None:
        self.header = steady_label(2)
        self.eq = {k: steady_label(2) for k in ("bp2", "bp4")}
        self.bp1_panel = Bp1Panel()
        self.eq["bp1"] = self.bp1_panel.eq
        self.outputs = self.bp1_panel.outputs
        self.bp1 = self.bp1_panel.charts["delta"]
        self.bp1_panel.label_clicked.connect(self.set_label)
        self.bp1_panel.output_clicked.connect(self._select_output)
        self.bp1_panel.what_if_toggled.connect(lambda _on: self.request_refresh())
        self.grids = GridsPanel()
        self.grids.clicked.connect(self.inspection.select)
        self.bp4 = GridsPanel(single=True)
        self.bp4.setToolTip("Click a pixel (a cell) to check its weight's gradient")
        self.bp4.picked.connect(self.check_weight)
        self.check_info = steady_label(4)
        self.strip = StepStrip()
        self.alpha, self.step_info = self.strip.alpha, self.strip.info
        self.step_button, self.undo_button = self.strip.step_button, self.strip.undo_button
        self.before_after = self.strip.before_after
        self.step_button.clicked.connect(lambda: self.take_step())
        self.undo_button.clicked.connect(lambda: self.undo())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        output = QVBoxLayout()
        output.addWidget(self.bp1_panel, 2)
        output.addSpacing(4)
        output.addWidget(self.strip, 1)
        columns.addLayout(output, 1)
        columns.addLayout(self._hidden_column(), 1)
        layout.addLayout(columns, 1)
        self._update_buttons()

    def _hidden_column(self) -> QVBoxLayout:
        """BP2 and BP3: δ of each hidden layer; BP4: the chosen neuron's ∂C/∂w; its check."""
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.eq["bp2"])
        column.addWidget(self.grids, 3)
        column.addWidget(self.eq["bp4"])
        column.addWidget(self.bp4, 2)
        column.addWidget(self.check_info)
        return column

    # --- state ---------------------------------------------------------------------------

    def network(self):
        """The model's network (what a step edits), or during a run the snapshot reading."""
        model = self.session.model
        if model is not None and not self.running:
            return model.network
        return self.session.reader

    @property
    def running(self) -> bool:
        return self._running or bool(getattr(self.session, "running", False))

    def _set_running(self, running: bool) -> None:
        self._running = running
        self._update_buttons()
        self.request_refresh()

    def _on_model(self, model) -> None:
        network = None if model is None else model.network
        if id(network) != self._network_id:
            self._network_id = id(network)
            self.undo_stack.clear()
            self.last_step = None
            self._set_auto_alpha(step_size(model, self.session.train_config))
        self._update_buttons()
        self.request_refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.alpha.value() == self._auto_alpha:  # not the user's own: derive it again
            self._set_auto_alpha(step_size(self.session.model, self.session.train_config))

    def _set_auto_alpha(self, alpha: float) -> None:
        """Every new model gets its own α (an α kept from the last model is a stale one)."""
        self._auto_alpha = alpha
        self.alpha.setValue(alpha)

    def _on_drawing(self, drawing) -> None:
        # A test digit brings its label; a cleared board, or a new drawing after a test
        # digit, has none until the user gives it.
        if drawing.empty or drawing.label is not None or drawing.source != self._source:
            self.label = drawing.label
        self._source = drawing.source
        self.inspection.set_true_digit(self.label)
        self.request_refresh()

    def set_label(self, digit: int) -> None:
        """The digit on the board really is ``digit``."""
        if not 0 <= int(digit) <= 9:
            raise ValueError(f"the true digit must be 0 to 9, got {digit}")
        self.label = int(digit)
        self.inspection.set_true_digit(self.label)
        self.request_refresh()

    def _update_buttons(self) -> None:
        can_step = (not self.running and self.session.model is not None
                    and not self.session.drawing.empty)
        self.step_button.setEnabled(can_step)
        self.step_button.setToolTip("" if can_step else
                                    "Draw a digit, and wait for training to end, to take a step")
        self.undo_button.setEnabled(bool(self.undo_stack) and not self.running)

    # --- drawing -------------------------------------------------------------------------

    def refresh(self) -> None:
        self._update_buttons()
        network, x28 = self.network(), self.session.drawing.x28
        if network is None or x28 is None:
            self._show_nothing()
            return
        probs = network.predict_proba(np.asarray(x28).reshape(1, -1))[0]
        label = self.label if self.label is not None else int(np.argmax(probs))
        self.record = rec = inspect.backprop(network, x28, label)
        self.delta, self.grad_w = rec.delta, rec.grad_w
        eq = equations(rec.cost_name, rec.activation_name, len(network.sizes))
        for key, text in eq.items():
            self.eq[key].setText(text)
        self._show_header(network, label, rec.cost)
        what_if = None
        if rec.sigma_prime is not None:
            what_if = lesson.output_delta(network, x28, label, "cross_entropy")
        self.bp1_panel.show_record(rec, lesson.saturated(rec), what_if)
        n = len(network.weights)
        names = [f"δ{sup(l + 2)}: {layer_name(l, n)}" for l in range(n - 1)]
        self.grids.show_grids(rec.delta[:-1], names)
        self._show_bp4(network)
        self._show_check(network)

    def _show_header(self, network, label: int, cost: float) -> None:
        drawing = self.session.drawing
        if self.label is None:
            given = " (assumed: the network's answer; press the true digit's key)"
        elif self.label == drawing.label and not drawing.from_board:
            given = f" ({drawing.source}'s label)"
        else:
            given = ""
        self.header.setText(
            f"True digit y = {label}{given}.  Cost for this digit C = {cost + 0.0:.4g}; "
            f"network {network.describe()}.")

    def _show_nothing(self) -> None:
        """An empty board: no digit, so no charts (the last digit's would be stale)."""
        self.header.setText("Draw a digit on the board to see backpropagation on it.")
        self.record = self.delta = self.grad_w = self.grad_w_selected = self.check = None
        self.bp1_panel.clear()
        for panel in (self.before_after, self.grids, self.bp4):
            panel.clear()
        self.step_info.setText("")
        self.check_info.setText("")

    def _show_bp4(self, network) -> None:
        rec = self.record
        selected = self.inspection.neuron
        if selected is None or selected[0] >= len(rec.delta):
            layer = 0
            selected = (0, int(np.argmax(np.abs(rec.delta[0]))))
        layer, j = selected
        self.selected = selected
        row = rec.grad_w[layer][j]
        notes = superscript(layer, len(rec.delta))
        self.eq["bp4"].setText(
            f"BP4  ∂C/∂w{notes}ⱼₖ = aₖ δ{notes}ⱼ  for neuron j = {j} of layer {layer + 2}\n"
            f"(δ{notes}ⱼ = {short(rec.delta[layer][j])}; click another δ to change j)")
        if row.size == 784:
            self.grad_w_selected = row.reshape(28, 28)
            self.bp4.show_grids([self.grad_w_selected], ["∂C/∂w of its 784 weights"],
                                shapes=[(28, 28)])
        else:
            self.grad_w_selected = row
            self.bp4.show_grids([row], [f"∂C/∂w of its {row.size} weights"])

    def _select_output(self, j: int) -> None:
        """Show output neuron ``j``'s weights in BP4 (a click on its δᴸ)."""
        if self.record is not None:
            self.inspection.select(len(self.record.delta) - 1, int(j))

    # --- the gradient check --------------------------------------------------------------

    def check_weight(self, k: int) -> lesson.GradientCheck | None:
        """Check ∂C/∂wⱼₖ of the neuron in BP4 (its weight from unit ``k``) by central
        differences, in float64 (a click on cell k of BP4)."""
        self.flush()
        if self.record is None or self.selected is None:
            return None
        self._checked = (*self.selected, int(k))
        self._show_check(self.network())
        return self.check

    def _show_check(self, network) -> None:
        """The check of the weight last chosen, for this network and digit (a new digit or
        model checks it again); a prompt when none is chosen or the neuron changed."""
        checked = self._checked
        if checked is None or checked[:2] != self.selected:
            self.check = None
            self.bp4.mark(None)
            self.check_info.setText("Check the gradient: click a pixel (a cell) of BP4 to "
                                    "compare backprop's ∂C/∂w with (C(w + ε) − C(w − ε)) / 2ε.")
            return
        layer, j, k = checked
        x28 = self.session.drawing.x28
        self.check = lesson.gradient_check(network, x28, self.record.label, layer, j, k)
        self.bp4.mark(k)
        self.check_info.setText(check_text(self.check, len(network.weights)))

    # --- one step ------------------------------------------------------------------------

    def take_step(self) -> inspect.Step | None:
        """Apply w ← w − α∇w for this digit to the model (the notes' rule, m = 1), and tell C
        before and after beside the first-order prediction −α‖∇C‖²."""
        self.flush()
        model, x28 = self.session.model, self.session.drawing.x28
        if self.running or model is None or x28 is None:
            return None
        label = self.record.label if self.record is not None else self.label
        self.prediction = lesson.step_prediction(model.network, x28, label, self.alpha.value())
        step = inspect.take_step(model.network, x28, label, self.alpha.value())
        self.last_step = step
        self.undo_stack.append(step)
        self._network_id = id(model.network)
        self.before_after.show_before_after(step.probs_before, step.probs_after, label)
        self.step_info.setText(step_text(self.prediction, step))
        self.session.model_edited()
        return step

    def undo(self) -> bool:
        """Take the last step back: every parameter restored bit for bit."""
        model = self.session.model
        if not self.undo_stack or model is None or self.running:
            return False
        step = self.undo_stack.pop()
        inspect.undo(model.network, step)
        self.step_info.setText(f"Step undone: the weights are as they were "
                               f"({len(self.undo_stack)} more to undo).")
        self.session.model_edited()
        return True

    # --- keys (DigitKeys: a digit key gives y, Ctrl+Z here undoes a step) -----------------

    def digit_chosen(self, digit: int) -> None:
        self.set_label(digit)

    def nothing_to_undo(self) -> None:
        self.step_info.setText("Nothing to undo: no step taken on this model "
                               "(Ctrl+Z here undoes steps, not strokes).")
