"""The Input view ("what makes a k?"): backprop turned on the input, the drawing nudged to k.

For a target digit k (a digit key, or a click on its button) the view shows ∂C/∂x, the gradient
of the network's own cost for y = one-hot(k) with respect to the 784 pixels
(``core.input_grad.input_gradient``: BP2 carried one layer further, ∂C/∂x = (w²)ᵀ δ²), as a 28×28
map over the drawing: −∂C/∂x in CET-D1, red where ink would lower the cost (add ink there to
make it more a k), blue where ink raises it (remove it). On a blank input the same map answers
"what is this network looking for?".

**Nudge toward k** steps the drawing's pixels (never the weights) down that gradient with
``core.input_grad.nudge``, a few steps a frame on a ``QTimer``, and makes each step the
session's drawing, so the prediction pane and every view follow it, until the network reads k
(or, as chosen, is 90% or 99% sure of it) or the step budget is spent. **Undo** (Ctrl+Z here)
makes the drawing before the nudge the session's drawing again, the very same ``Drawing``
object, bit for bit. A drawing set by anyone else (a stroke, a test digit, a new model) stops
a nudge and forgets what there was to undo.
Kept for tests: ``target``, ``grad`` (core's ∂C/∂x, 28×28, for ``map_input``), ``last_step``
(the last ``NudgeStep``) and ``undo_stack`` (the drawings before each nudge).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout, QWidget)

from core import input_grad
from ffn_gui.state.session import BOARD, Drawing

from . import colors
from .bars_panel import GREY, OKABE_ITO, BarsPanel
from .base import View
from .digit_keys import DigitKeys
from .image_canvas import ImageCanvas
from .legend import Legend, short
from .steady_label import steady_label

SIDE = 28
FRAME_MS = 40  # one animation frame of a nudge
STEPS_PER_FRAME = 2  # a median nudge of the bundled model (15 steps) takes about 0.3 s
INK_SHADE = 0.45  # how dark the drawing's ink is laid over the map
NUDGE_TIP = "Step the drawing's pixels down −∂C/∂x until the network reads k (again: stop)"
UNTIL = [("until it reads k", 0.0), ("until 90% sure", 0.9), ("until 99% sure", 0.99)]


def grey_rgba(x: np.ndarray) -> np.ndarray:
    """A 28×28 input in [0, 1] as white ink on black, RGBA uint8."""
    v = (np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8)
    return np.dstack([v, v, v, np.full_like(v, 255)])


def map_over_drawing(grad: np.ndarray, x: np.ndarray, limit: float) -> np.ndarray:
    """−∂C/∂x in the diverging map (red: add ink, blue: remove it), the drawing's ink shaded
    over it in grey so the strokes show where the map asks for change."""
    rgba = colors.signed_rgba(-grad, limit)
    shade = 1 - INK_SHADE * np.clip(x, 0, 1)[..., None]
    rgba[..., :3] = (rgba[..., :3] * shade + 0.5).astype(np.uint8)
    return rgba


class InputView(DigitKeys, View):
    name = "input"
    title = "Input"
    help_text = (
        "<p><b>Backprop turned on the input.</b> Choose a digit k (press its key or click it). "
        "The map is −∂C/∂x, how the network's cost for “this is a k” changes with each pixel: "
        "<b>red</b> pixels are where ink would make it more a k, <b>blue</b> where ink makes "
        "it less one. It is backprop carried one layer past the first hidden layer: "
        "∂C/∂x = (w²)ᵀ δ².</p>"
        "<p><b>Nudge toward k</b> moves the drawing's pixels (not the weights) a small step "
        "down that gradient again and again, until the network reads k (or is 90% or 99% "
        "sure of it). Watch how little has to change: a person still sees the old digit. "
        "<b>Undo</b> (Ctrl+Z) brings the drawing back exactly.</p>"
        "<p><b>Start from a blank input</b> asks what the network is looking for: the map, "
        "and the nudge, on an empty image.</p>")

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.target: int | None = None  # the digit k chosen by the user (None: the runner-up)
        self.grad: np.ndarray | None = None
        self.map_input: np.ndarray | None = None
        self.last_step: input_grad.NudgeStep | None = None
        self.undo_stack: list[Before] = []
        self._steps = None  # the nudge going on (core's generator)
        self._own: Drawing | None = None  # the drawing this view set last
        self._limit: float | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._advance)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        session.drawing_changed.connect(self._on_drawing)
        session.reader_changed.connect(self.request_refresh)
        session.run_started.connect(lambda _config: self.stop())
        for signal in (session.run_started, session.run_finished):
            signal.connect(lambda _value: self._update_buttons())

    def _build(self) -> None:
        self.digits = QButtonGroup(self)
        self.digits.setExclusive(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Make it a"))
        for d in range(10):
            button = QPushButton(str(d))
            button.setCheckable(True)
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("00") + 16)
            button.setToolTip(f"Target digit k = {d} (or press {d})")
            self.digits.addButton(button, d)
            top.addWidget(button)
        self.digits.idClicked.connect(self.set_target)
        self.blank = QCheckBox("Start from a blank input")
        self.blank.setToolTip("What is the network looking for? The map and the nudge on an "
                              "empty image")
        self.blank.toggled.connect(self.request_refresh)
        top.addStretch(1)
        top.addWidget(self.blank)
        self.drawing_canvas = ImageCanvas()
        self.drawing_canvas.setMinimumSize(150, 150)
        self.map_canvas = ImageCanvas()
        self.map_canvas.setMinimumSize(200, 150)
        self.bars = BarsPanel("probabilities")
        self.bars.setMinimumWidth(160)
        self.bars.clicked.connect(self.set_target)
        middle = QHBoxLayout()
        middle.addWidget(self.drawing_canvas, 4)
        middle.addWidget(self.map_canvas, 5)
        middle.addWidget(self.bars, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addLayout(self._controls())
        self.info = steady_label(2)
        layout.addWidget(self.info)

    def _controls(self) -> QHBoxLayout:
        self.nudge_button = QPushButton("Nudge toward k")
        self.nudge_button.clicked.connect(lambda: self.toggle_nudge())
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Bring back the drawing as it was before the nudge (Ctrl+Z)")
        self.undo_button.clicked.connect(lambda: self.undo())
        self.equation = QLabel("x ← clip(x − 0.1 · g/‖g‖, 0, 1),  g = ∂C/∂x")
        self.equation.setToolTip(
            f"Each step moves the image {input_grad.STEP_SIZE} in L2 down the gradient (pixels "
            f"at 0 or 1 that would leave [0, 1] are left out); at most "
            f"{input_grad.BUDGET} steps")
        row = QHBoxLayout()
        self.until = QComboBox()
        for text, sure in UNTIL:
            self.until.addItem(text, sure)
        self.until.setToolTip("When the nudge stops: as soon as the network reads k, or once "
                              "it is that sure of k")
        row.addWidget(self.nudge_button)
        row.addWidget(self.until)
        row.addWidget(self.undo_button)
        row.addWidget(self.equation, 1)
        return row

    # --- state ---------------------------------------------------------------------------

    @property
    def nudging(self) -> bool:
        return self._steps is not None

    def network(self):
        network = self.session.reader
        return network if network is not None and network.sizes[0] == SIDE * SIDE else None

    def start_input(self) -> np.ndarray:
        """The input the map is for and a nudge starts from: the drawing, or a blank image."""
        x28 = self.session.drawing.x28
        if self.blank.isChecked() or x28 is None:
            return np.zeros((SIDE, SIDE), np.float32)
        return np.asarray(x28, np.float32).reshape(SIDE, SIDE)

    def k(self, probs: np.ndarray) -> int:
        """The target: the user's, else the network's second guess for the input."""
        return self.target if self.target is not None else int(np.argsort(probs)[-2])

    def set_target(self, digit: int) -> None:
        """Make ``digit`` the target k (a nudge going on stops)."""
        if not 0 <= int(digit) <= 9:
            raise ValueError(f"the target digit must be 0 to 9, got {digit}")
        self.stop()
        self.target = int(digit)
        self.request_refresh()

    def _on_drawing(self, drawing: Drawing) -> None:
        if drawing is not self._own:  # a stroke, a test digit, a new model: a new start
            self.stop()
            self.undo_stack.clear()
            self.last_step = None
            self._update_buttons()
        self.request_refresh()

    def _set_drawing(self, drawing: Drawing) -> None:
        self._own = drawing
        self.session.set_drawing(drawing)

    # --- drawing -------------------------------------------------------------------------

    def refresh(self) -> None:
        network = self.network()
        self._update_buttons()
        if network is None:
            self.grad = self.map_input = None
            self.info.setText("No network reading 28×28 images: open or train a model.")
            return
        x = self.start_input()
        probs = network.predict_proba(x.reshape(1, -1))[0]
        k = self.k(probs)
        self.grad = input_grad.input_gradient(network, x, k)
        self.map_input = x
        self._limit = colors.steady(self._limit, float(np.abs(self.grad).max()) or 1e-12)
        self.drawing_canvas.set_image(grey_rgba(x))
        self.drawing_canvas.set_captions([(0, "the input x" + (" (blank)" if not x.any()
                                                               else ""))])
        self.map_canvas.set_image(map_over_drawing(self.grad, x, self._limit))
        self.map_canvas.set_captions([(0, f"−∂C/∂x for k = {k}")])
        self.map_canvas.set_legends([Legend(True, -self._limit, self._limit,
                                            "red: add ink")])
        self._show_bars(probs, k)
        if not self.nudging:
            self.nudge_button.setText(f"Nudge toward {k}")
        self.info.setText(self._info_text(network, x, probs, k))

    def _show_bars(self, probs: np.ndarray, k: int) -> None:
        start = self.undo_stack[-1].drawing if self.undo_stack else None
        if start is not None and start.probs is not None and self.last_step is not None \
                and not self._from_blank:
            self.bars.show_groups([start.probs, probs], ["before", "now"],
                                  [GREY, OKABE_ITO[1]])
            self.bars.set_title(f"probabilities before and now (k = {k})")
        else:
            self.bars.show_bars(probs, highlight=k)
            self.bars.set_title(f"probabilities (k = {k} highlighted)")

    def _info_text(self, network, x: np.ndarray, probs: np.ndarray, k: int) -> str:
        read = int(np.argmax(probs))
        y = np.eye(10, dtype=network.dtype)[[k]]
        cost = network.total_cost(x.reshape(1, -1), y)
        head = (f"C = {short(cost)} for y = {k}; the network reads {read} "
                f"(P({k}) = {probs[k]:.1%}).")
        step = self.last_step
        if step is None or not self.undo_stack:
            chosen = "" if self.target is not None else " (its second guess; press a digit key)"
            return f"{head}{chosen} Red: ink there makes it more a {k}; blue: less."
        start = self.undo_stack[-1].drawing.x28
        start = np.zeros_like(x) if start is None or self._from_blank else start
        change = float(np.linalg.norm(x.ravel() - np.asarray(start).ravel()))
        steps = f"{step.step} step{'s' if step.step != 1 else ''}"
        if self.nudging:
            return f"{head} {steps}, ‖Δx‖ = {change:.2f} so far."
        if not step.done:
            return f"{head} Stopped after {steps}, ‖Δx‖ = {change:.2f}. Undo: Ctrl+Z."
        if self._from_blank:
            return (f"{head} From a blank input in {steps}, ‖x‖ = {change:.2f}: what the "
                    f"network takes for a {k}. Undo: Ctrl+Z.")
        own = float(np.linalg.norm(np.asarray(start).ravel()))
        return (f"{head} Done in {steps}, ‖Δx‖ = {change:.2f} (the drawing's own ‖x‖ = "
                f"{own:.1f}): does it look like a {k} to you? Undo: Ctrl+Z.")

    def _update_buttons(self) -> None:
        # during a run the network reading the drawing changes several times a second
        can = self.network() is not None and not self.session.running
        self.nudge_button.setEnabled(can)
        self.nudge_button.setToolTip(NUDGE_TIP if can else "Wait for training to end to nudge")
        if self.nudging:
            self.nudge_button.setText("Stop")
        self.undo_button.setEnabled(bool(self.undo_stack) and not self.nudging)
        k = self.target
        for d in range(10):  # checked, and bold: a checked button hardly shows in a dark palette
            button = self.digits.button(d)
            button.setChecked(d == k)
            if button.font().bold() != (d == k):
                font = button.font()
                font.setBold(d == k)
                font.setUnderline(d == k)
                button.setFont(font)

    # --- the nudge -----------------------------------------------------------------------

    def toggle_nudge(self) -> None:
        """Nudge toward k, or stop the nudge going on (the button does both)."""
        if self.nudging:
            self.stop()
        else:
            self.nudge()

    def nudge(self) -> bool:
        """Start stepping the input toward k; the steps come a few a frame."""
        self.flush()
        network = self.network()
        if network is None or self.nudging or self.session.running:
            return False
        x = self.start_input()
        self.target = self.k(network.predict_proba(x.reshape(1, -1))[0])  # fixed while it runs
        blank = self.blank.isChecked() or self.session.drawing.empty
        self.undo_stack.append(Before(self.session.drawing, self.blank.isChecked(), blank))
        self.blank.setChecked(False)  # from here on the input is the nudged drawing
        self._network = network
        self._steps = input_grad.nudge(network, x, self.target, sure=self.until.currentData())
        self._update_buttons()
        self.timer.start()
        self._advance()
        return True

    def _advance(self) -> None:
        step, done = None, False
        for _ in range(STEPS_PER_FRAME):
            try:
                step = next(self._steps)
            except StopIteration:
                done = True
                break
            if step.done:
                done = True
                break
        if step is not None:
            self.last_step = step
            self._set_drawing(Drawing(image=step.x, x28=step.x, probs=step.probs,
                                      network=self._network, source=self._source(step.target)))
        if done:
            self.stop()

    def _source(self, k: int) -> str:
        """Where the nudged drawing came from, as the board's note says it."""
        first = self.undo_stack[0]
        if first.from_blank:
            base = "a blank input"
        else:
            base = "your drawing" if first.drawing.source == BOARD else first.drawing.source
        return f"{base}, nudged toward a {k}"

    def stop(self) -> None:
        """Stop the nudge going on, where it is (its steps so far stay: Undo takes them back)."""
        self.timer.stop()
        if self._steps is not None:
            self._steps = None
            self._update_buttons()
            self.request_refresh()

    def undo(self) -> bool:
        """The drawing before the last nudge back, the same object (bit for bit)."""
        self.stop()
        if not self.undo_stack:
            return False
        before = self.undo_stack.pop()
        self.last_step = None
        self.blank.setChecked(before.blank_box)
        self._set_drawing(before.drawing)
        self._update_buttons()
        return True

    @property
    def _from_blank(self) -> bool:
        return bool(self.undo_stack) and self.undo_stack[-1].from_blank

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.stop()  # a nudge nobody sees is not worth its frames
        super().hideEvent(event)

    # --- keys (DigitKeys: a digit key chooses k, Ctrl+Z here undoes a nudge) --------------

    def digit_chosen(self, digit: int) -> None:
        self.set_target(digit)

    def nothing_to_undo(self) -> None:
        self.info.setText("Nothing to undo: no nudge since the drawing last changed "
                          "(Ctrl+Z here undoes nudges, not strokes).")


@dataclass(frozen=True)
class Before:
    """What a nudge started from: the session's drawing, whether "Start from a blank input"
    was ticked, and whether the nudge started from a blank image (ticked, or nothing drawn)."""

    drawing: Drawing
    blank_box: bool
    from_blank: bool
