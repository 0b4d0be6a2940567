"""The network view's step-through: the notes' algorithm for the digit on the board, a layer at
a time, worked by hand.

``core.walkthrough`` gives the stages (forward 2..L, BP1, BP2 L−1..2, BP3-4, the update) with
core's own numbers; this panel shows one: its layer framed on the diagram (solid: the layer
being computed and its neuron j; dashed: what it is computed from), its equation, and that
equation worked for neuron j with the numbers plugged in (``walkthrough_text``). ▶ / → starts
and steps on, ◀ / ← steps back, Home or Esc (while the view has focus) leaves. j is the neuron
the user clicked when it is in this layer, else the most active (forward) or the one with the
largest |δ| (backward). y is the drawing's label (a test digit's), else the digit given in the
Backprop view, else the network's own answer, said as assumed; α is the Backprop view's
``step_size``. While stepping, the text is under the diagram and the neuron panel is hidden.

Kept for tests: ``walk`` (a ``core.walkthrough.Walkthrough``), ``index``, ``stage``, ``jk``
(the neuron j and weight k worked), ``shown`` (every number in the text, as
``walkthrough_text.stage_text`` records them) and ``text``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from core.walkthrough import Stage, focus, walkthrough
from ffn_gui.widgets.labels import TwoLines

from . import colors
from .backprop_view import step_size
from .legend import Legend
from .walkthrough_text import stage_text, sup

LINES = 4  # the text's height: the title and two lines of numbers, wrapped in a narrow view
NAMES = {"forward": "forward", "BP1": "BP1", "BP2": "BP2", "BP3-4": "BP3, BP4", "update": "update"}
KEYS = {Qt.Key.Key_Right: "next", Qt.Key.Key_Left: "previous", Qt.Key.Key_Home: "leave",
        Qt.Key.Key_Escape: "leave"}


class WalkthroughPanel(QObject):
    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.walk = None
        self.index: int | None = None  # the stage shown; None while not stepping
        self.jk: tuple[int, int | None] | None = None
        self.shown: list = []
        self.given = ""
        self._base: tuple[list, list] = ([], [])  # the view's own cells and legends
        self._build()
        view.installEventFilter(self)
        view.diagram.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click gives the view keys
        session = view.session
        for signal in (session.inspection.true_digit_changed, session.train_config_changed):
            signal.connect(self._changed)

    def _build(self) -> None:
        self.bar = QWidget()
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.back = QPushButton("◀")
        self.on = QPushButton("▶ Step through")
        self.leave_button = QPushButton("✕")
        self.position = QLabel()
        tips = ("One stage back (←)", "Step through the algorithm for this digit, a layer at "
                "a time: forward, BP1, BP2, BP3-BP4, the update (→)", "Stop stepping (Home, Esc)")
        for button, tip, slot in zip((self.back, self.on, self.leave_button), tips,
                                     (self.previous, self.next, self.leave)):
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys to the view
            button.clicked.connect(lambda _=False, slot=slot: slot())
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        for button in (self.back, self.leave_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("◀") * 2 + 24)
        row.insertWidget(2, self.position)
        self.text = TwoLines(LINES)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setContentsMargins(4, 2, 4, 0)
        self.text.hide()
        self._update_bar()

    # --- moving ----------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.index is not None

    @property
    def stage(self) -> Stage | None:
        return None if self.walk is None or self.index is None else self.walk.stages[self.index]

    def next(self) -> None:
        if not self.active:
            self.start()
        elif self.index < len(self.walk.stages) - 1:
            self.index += 1
            self.show_stage()

    def previous(self) -> None:
        if self.active and self.index > 0:
            self.index -= 1
            self.show_stage()

    def start(self) -> None:
        """Step through from the first stage (again, when stepping already)."""
        if self.view.network is None or self.view.session.drawing.empty:
            return
        if not self.active:
            self.view.panel.hide()
            self.text.show()
            self._keep_base()
        self.index = 0
        self.view.diagram.setFocus()
        self.compute()
        self.show_stage()

    def leave(self) -> None:
        if not self.active:
            return
        self.index, self.walk, self.jk, self.shown = None, None, None, []
        self.text.hide()
        self.view.panel.show()
        self.view.diagram.set_marks([], None)
        self.view.diagram.set_cells(self._base[0])
        self.view.diagram.set_legends(self._base[1])
        self._update_bar()

    def _changed(self, *_args) -> None:
        if self.active:
            self.view.request_refresh()

    # --- the numbers -----------------------------------------------------------------------

    def refresh(self) -> None:
        """The view has drawn again (a new drawing, network, epoch or selected neuron)."""
        if not self.active:
            self._update_bar()
        elif self.view.session.drawing.empty or self.view.network is None:
            self.leave()
        else:
            self._keep_base()
            self.compute()
            self.index = min(self.index, len(self.walk.stages) - 1)
            self.show_stage()

    def compute(self) -> None:
        network, session = self.view.network, self.view.session
        x = np.asarray(session.drawing.x28).ravel()
        label, self.given = self.true_digit(network, x)
        alpha = step_size(session.model, session.train_config)
        self.walk = walkthrough(network, x, label, alpha)

    def true_digit(self, network, x) -> tuple[int, str]:
        """y and where it comes from: the drawing's label, the digit given in Backprop, or the
        network's own answer (assumed)."""
        drawing, n = self.view.session.drawing, network.sizes[-1]
        if drawing.label is not None and 0 <= drawing.label < n:
            return int(drawing.label), f" ({drawing.source}'s label)"
        given = self.view.session.inspection.true_digit
        if given is not None and 0 <= given < n:
            return int(given), " (given in Backprop)"
        answer = int(np.argmax(network.feedforward(x.reshape(1, -1))[0]))
        return answer, " (assumed: the network's own answer; give the true digit in Backprop)"

    def show_stage(self) -> None:
        stage = self.stage
        selected = self.view.session.inspection.neuron
        mine = selected[1] if selected is not None and selected[0] == stage.layer - 2 else None
        j, k = self.jk = focus(stage, mine)
        title, lines, self.shown = stage_text(self.walk, stage, j, k, self.given)
        body = "<br>".join(_escape(line) for line in lines)
        self.text.setText(f"<b>{_escape(title)}</b><br>{body}")
        self._mark(stage, j, k)
        self._colour_delta(stage)
        self._update_bar()

    # --- the diagram and the bar -----------------------------------------------------------

    def _mark(self, stage: Stage, j: int, k: int | None) -> None:
        columns = self.view.columns
        l = stage.layer
        here = columns[l - 1]
        source = columns[l] if stage.kind == "BP2" else columns[l - 2]
        marks = [(_box(here), True), (_cell(here, j), True)]
        if stage.kind != "BP1":  # BP1 needs aᴸ, y and zᴸ: the output layer's own
            marks.append((_box(source), False))
        ks = {index[0] for name, index, _v in self.shown if name in ("a_prev", "delta_next")}
        if k is not None:
            ks.add(k)
        marks += [(_cell(source, i), False) for i in sorted(ks)]  # the terms written out
        up = sup(l) if l < len(columns) else "ᴸ"
        caption = {"forward": f"z{up} a{up}", "BP1": "δᴸ", "BP2": f"δ{up}",
                   "BP3-4": f"∇b{up} ∇w{up}", "update": f"new w{up} b{up}"}[stage.kind]
        self.view.diagram.set_marks(marks, (l - 1, caption))

    def _keep_base(self) -> None:
        """What the view drew: the stages colour one layer by δ over it, and leaving puts it
        back."""
        self._base = (list(self.view.diagram.images), list(self.view.diagram.legends))

    def _colour_delta(self, stage: Stage) -> None:
        """Backward, the layer's cells show δ (blue-white-red, with its legend), not a; in BP2
        the next layer's too, whose δ it is made from."""
        images, legends = self._base
        if stage.delta is not None:
            shown = {stage.layer: stage.delta}
            if stage.kind == "BP2":
                shown[stage.layer + 1] = stage.delta_next
            limit = colors.symmetric_limit(np.concatenate(list(shown.values())))
            images = list(images)
            for l, delta in shown.items():
                grid = colors.as_grid(delta, self.view.columns[l - 1].shape)
                images[l - 1] = colors.signed_rgba(grid, limit)
            legends = legends + [Legend(True, -limit, limit, "δ (framed)")]
        self.view.diagram.set_cells(images)
        self.view.diagram.set_legends(legends)

    def _update_bar(self) -> None:
        can = self.view.network is not None and not self.view.session.drawing.empty
        active = self.active
        self.on.setText("▶" if active else "▶ Step through")
        self.on.setEnabled(can and (not active or self.index < len(self.walk.stages) - 1))
        self.back.setEnabled(active and self.index > 0)
        self.back.setVisible(active)
        self.leave_button.setVisible(active)
        self.position.setVisible(active)
        if active:
            stage = self.stage
            self.position.setText(f" {self.index + 1}/{len(self.walk.stages)} "
                                  f"{NAMES[stage.kind]}, layer {stage.layer} ")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        """→ ← step, Home and Esc leave, while the view (or its diagram) has the keys; they
        win over the window's shortcuts (Esc stops training elsewhere) only while stepping."""
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        action = KEYS.get(event.key())
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        startable = action == "next" and self.on.isEnabled()
        if action is None or not plain or not (self.active or startable):
            return False
        if kind == QEvent.Type.KeyPress:
            getattr(self, action)()
        event.accept()
        return True


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _box(column) -> QRectF:
    rows = column.shape[0]
    return QRectF(column.x - 0.4, column.y - 0.4, column.width + 0.8, rows * column.cell + 0.8)


def _cell(column, k: int) -> QRectF:
    cx, cy = column.centres(np.array([k]))
    h = column.cell / 2
    return QRectF(float(cx[0]) - h, float(cy[0]) - h, 2 * h, 2 * h)
