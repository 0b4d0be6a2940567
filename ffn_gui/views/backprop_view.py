"""The backprop view: the notes' four equations, evaluated for the digit on the board.

The user says what the digit really is (a digit key, or a click on its output bar). The view
shows, labelled with the notes' symbols and the cost and activation in use: BP1 δᴸ for the ten
outputs beside aᴸ − y and σ′(zᴸ); BP2 δˡ of every hidden layer as a grid of cells; BP3 ∂C/∂bˡ = δˡ;
BP4 ∂C/∂wˡ for the selected neuron (a 28×28 image for the first hidden layer). **Take one step**
applies w ← w − α∇w to the model for this one digit, through ``core.inspect.take_step``, and
shows the probabilities before and after; Undo (Ctrl+Z here) restores the parameters bit for
bit. Layers are numbered as in the notes: the input is layer 1, so core's layer l is the notes'
l + 2 and the output is L. Kept for tests: ``record`` (a ``core.inspect.Backprop``), ``label``,
``delta`` and ``grad_w`` (lists per layer), ``grad_w_selected`` (the selected neuron's row of
∂C/∂w, 28×28 for the first layer), ``selected``, ``last_step`` and ``undo_stack``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from core import inspect

from .backprop_panels import GridsPanel
from .bars_panel import BarsPanel
from .base import View
from .legend import short

DEFAULT_STEP = 0.5  # α when the model was not trained with plain SGD


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


def sup(n) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def prime_symbol(activation: str) -> str:
    return {"sigmoid": "σ′", "relu": "ReLU′", "tanh": "tanh′"}.get(activation, f"{activation}′")


def equations(cost: str, activation: str, n_layers: int) -> dict[str, str]:
    """The four equations in the notes' symbols, for this cost and activation: the equation,
    then (after a line break) what it is here. Each fits two lines of half the view."""
    if cost == "quadratic":
        bp1 = "BP1  δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)\nquadratic cost C = ½‖y − aᴸ‖², sigmoid outputs"
    else:
        bp1 = "BP1  δᴸ = aᴸ − y\ncross-entropy, softmax outputs: their σ′ cancels"
    p = prime_symbol(activation)
    return {
        "bp1": bp1,
        "bp2": f"BP2  δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ {p}(zˡ)   ({activation})\n"
               "BP3  ∂C/∂bˡⱼ = δˡⱼ  (the same grids)",
        "bp4": "BP4  ∂C/∂wˡⱼₖ = aₖˡ⁻¹ δˡⱼ",
    }


class SteadyLabel(QLabel):
    """A word-wrapped label ``lines`` lines tall, in any font: no height-for-width (which
    would make a scroll area hosting the view ask for the view's preferred height, not its
    minimum)."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit()

    def _fit(self) -> None:
        self.setFixedHeight(self.lines * self.fontMetrics().lineSpacing() + 4)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()


def steady_label(lines: int) -> QLabel:
    """A word-wrapped label whose text changes live without moving anything: its height is
    ``lines`` lines and its text does not widen its column. (A label that grows or shrinks with
    its text re-lays out the view, and every plot in it redraws its axes: that was most of this
    view's cost per frame.)"""
    return SteadyLabel(lines)


MIN_WIDTH = 600  # px: both columns readable


class BackpropView(View):
    name = "backprop"
    title = "Backprop"
    help_text = (
        "Backpropagation for the digit on the board. Press the key of the digit it really is "
        "(or click its bar). BP1 is the error δᴸ of the ten outputs; BP2 carries it back to each "
        "hidden layer (red: z should go down, blue: up); BP3: each bias's gradient is that δ; "
        "BP4: the gradient of a neuron's weights (click a cell to choose the neuron). Take one "
        "step moves every weight by −α times its gradient, for this one digit: watch the "
        "probability of the true digit rise. Undo (Ctrl+Z) puts the weights back exactly.")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.inspection = session.inspection
        self.label: int | None = None
        self.record: inspect.Backprop | None = None
        self.delta = self.grad_w = None
        self.grad_w_selected: np.ndarray | None = None
        self.selected: tuple[int, int] | None = None
        self.last_step: inspect.Step | None = None
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
        self.eq = {k: steady_label(2) for k in ("bp1", "bp2", "bp4")}
        self.outputs = BarsPanel("outputs aᴸ: click the true digit")
        self.outputs.setToolTip("Click the digit this really is, or press its key")
        self.outputs.clicked.connect(self.set_label)
        self.bp1 = BarsPanel("")
        self.grids = GridsPanel()
        self.grids.clicked.connect(self.inspection.select)
        self.bp4 = GridsPanel(single=True)
        self.alpha = QDoubleSpinBox()
        self.alpha.setRange(0.001, 100.0)
        self.alpha.setDecimals(3)
        self.alpha.setSingleStep(0.1)
        self.alpha.setValue(DEFAULT_STEP)
        self.alpha.setToolTip("The learning rate α of the step w ← w − α ∇w (one digit, m = 1)")
        self.step_button = QPushButton("Take one step")
        self.step_button.clicked.connect(lambda: self.take_step())
        self.undo_button = QPushButton("Undo step")
        self.undo_button.setToolTip("Put the weights back as they were before the step (Ctrl+Z)")
        self.undo_button.clicked.connect(lambda: self.undo())
        self.step_info = steady_label(2)
        self.before_after = BarsPanel("probabilities before (grey) and after a step")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(self._output_column(), 1)
        columns.addLayout(self._hidden_column(), 1)
        layout.addLayout(columns, 1)
        self._update_buttons()

    def _output_column(self) -> QVBoxLayout:
        """BP1 over the outputs, then one step and its before and after."""
        controls = QHBoxLayout()
        controls.addWidget(QLabel("α ="))
        controls.addWidget(self.alpha)
        controls.addWidget(self.step_button)
        controls.addWidget(self.undo_button)
        controls.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.eq["bp1"])
        column.addWidget(self.outputs, 1)
        column.addWidget(self.bp1, 1)
        column.addSpacing(4)
        column.addLayout(controls)
        column.addWidget(self.step_info)
        column.addWidget(self.before_after, 1)
        return column

    def _hidden_column(self) -> QVBoxLayout:
        """BP2 and BP3: δ of each hidden layer; BP4: the chosen neuron's ∂C/∂w."""
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.eq["bp2"])
        column.addWidget(self.grids, 3)
        column.addWidget(self.eq["bp4"])
        column.addWidget(self.bp4, 2)
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
        drawing = self.session.drawing
        if self.label is None:
            given = " (assumed: the network's answer; press the true digit's key)"
        elif self.label == drawing.label and not drawing.from_board:
            given = f" ({drawing.source}'s label)"
        else:
            given = ""
        self.header.setText(
            f"True digit y = {label}{given}.  Cost for this digit C = {short(rec.cost)}; "
            f"network {network.describe()}.")
        self.outputs.show_bars(rec.output, highlight=label)
        if rec.sigma_prime is not None:
            self.bp1.set_title("aᴸ − y,  σ′(zᴸ)  and  δᴸ = their product")
            self.bp1.show_groups([rec.a_minus_y, rec.sigma_prime, rec.delta[-1]],
                                 ["aᴸ − y", "σ′(zᴸ)", "δᴸ"])
        else:
            self.bp1.set_title("δᴸ = aᴸ − y")
            self.bp1.show_groups([rec.delta[-1]], ["δᴸ"])
        n = len(network.weights)
        names = [f"δ{sup(l + 2)} (hidden {l + 1})" for l in range(n - 1)]
        self.grids.show_grids(rec.delta[:-1], names)
        self._show_bp4(network)

    def _show_nothing(self) -> None:
        """An empty board: no digit, so no charts (the last digit's would be stale)."""
        self.header.setText("Draw a digit on the board to see backpropagation on it.")
        self.record = self.delta = self.grad_w = self.grad_w_selected = None
        for panel in (self.outputs, self.bp1, self.before_after, self.grids, self.bp4):
            panel.clear()
        self.step_info.setText("")

    def _show_bp4(self, network) -> None:
        rec = self.record
        selected = self.inspection.neuron
        if selected is None or selected[0] >= len(rec.delta):
            layer = 0
            selected = (0, int(np.argmax(np.abs(rec.delta[0]))))
        layer, j = selected
        self.selected = selected
        row = rec.grad_w[layer][j]
        notes = sup(layer + 2) if layer < len(rec.delta) - 1 else "ᴸ"
        self.eq["bp4"].setText(
            f"BP4  ∂C/∂w{notes}ⱼₖ = aₖ δ{notes}ⱼ  for neuron j = {j}\n"
            f"(δ{notes}ⱼ = {short(rec.delta[layer][j])}; click a cell for another)")
        if row.size == 784:
            self.grad_w_selected = row.reshape(28, 28)
            self.bp4.show_grids([self.grad_w_selected], ["∂C/∂w of its 784 weights"],
                                shapes=[(28, 28)])
        else:
            self.grad_w_selected = row
            self.bp4.show_grids([row], [f"∂C/∂w of its {row.size} weights"])

    # --- one step ------------------------------------------------------------------------

    def take_step(self) -> inspect.Step | None:
        """Apply w ← w − α∇w for this digit to the model (the notes' rule, m = 1)."""
        self.flush()
        model, x28 = self.session.model, self.session.drawing.x28
        if self.running or model is None or x28 is None:
            return None
        label = self.record.label if self.record is not None else self.label
        step = inspect.take_step(model.network, x28, label, self.alpha.value())
        self.last_step = step
        self.undo_stack.append(step)
        self._network_id = id(model.network)
        self.before_after.show_before_after(step.probs_before, step.probs_after, label)
        self.step_info.setText(
            f"One step, α = {step.learning_rate:g}, towards {label}: "
            f"P({label}) {100 * step.probs_before[label]:.1f}% → "
            f"{100 * step.probs_after[label]:.1f}%")
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

    # --- keys ----------------------------------------------------------------------------

    def event(self, event) -> bool:
        # Ctrl+Z inside this view undoes a step, never the window's last stroke (not even
        # when there is no step left to undo).
        if (event.type() == QEvent.Type.ShortcutOverride
                and event.matches(QKeySequence.StandardKey.Undo)):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.matches(QKeySequence.StandardKey.Undo):
            if not self.undo():
                self.step_info.setText("Nothing to undo: no step taken on this model "
                                       "(Ctrl+Z here undoes steps, not strokes).")
            return
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and plain:
            self.set_label(int(key - Qt.Key.Key_0))
            return
        super().keyPressEvent(event)
