"""My digits in the window: the shared store, labelling the board's drawing, the "It's a …" bar.

``session.my_digits`` is the one store of a window (a ``MyDigitsStore`` the ``Session`` opens
on first use from ``core.mydigits.default_path()``, the per-user data folder): the my-digits
view shows it, the window's Ctrl+0 … Ctrl+9 and the "It's a …" bar add to it (Ctrl+Shift+D
and the bar's "Not a digit" add a drawing labelled ``NOT_A_DIGIT``), the fine-tune reads it. Every change
is saved at once by ``core.mydigits``; a problem saving or reading is reported through
``failed(message)`` (nothing the user had is lost: the digits stay in memory). ``notice`` says
when the file found at start-up was damaged and set aside.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from core.errors import FFNError, WriteError
from core.mydigits import MyDigits, default_path, strokes_to_json
from core.preprocess import to_mnist
from core.rows import NOT_A_DIGIT

NOT_A_DIGIT_KEYS = "Ctrl+Shift+D"  # D for "not a Digit"; no platform's standard shortcut


class MyDigitsStore(QObject):
    changed = Signal()
    failed = Signal(str)  # a problem reading, saving, importing or exporting
    fine_tuned = Signal(object)  # a fine-tune's report (ffn_gui.fine_tune.FineTuneReport)

    def __init__(self, path: Path | str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.digits, self.notice = MyDigits.open(path if path is not None else default_path())
        self.last_report = None

    def __len__(self) -> int:
        return len(self.digits)

    def _change(self, what, *args) -> bool:
        try:
            what(*args)
        except (FFNError, OSError, KeyError) as error:
            self.changed.emit()
            self.failed.emit(f"My digits: {getattr(error, 'strerror', None) or error}")
            return False
        self.changed.emit()
        return True

    def add(self, x28: np.ndarray, label: int, strokes=None) -> bool:
        return self._change(self.digits.add, x28, label, strokes)

    def delete(self, digit_id: int) -> bool:
        return self._change(self.digits.delete, digit_id)

    def relabel(self, digit_id: int, label: int) -> bool:
        return self._change(self.digits.relabel, digit_id, label)

    def import_from(self, path: Path | str) -> int:
        """Add the digits of a my-digits file; how many (0 and ``failed`` on a problem)."""
        try:
            other = MyDigits.read(path)
        except (FFNError, OSError) as error:
            self.failed.emit(f"Cannot import {path}: {error}")
            return 0
        return len(other) if self._change(self.digits.merge, other) else 0

    def export_to(self, path: Path | str) -> list[Path]:
        try:
            return self.digits.export(path)
        except WriteError as error:  # names the file (of the three) and says why
            self.failed.emit(f"Cannot export my digits: {error}")
            return []
        except (FFNError, OSError) as error:
            why = getattr(error, "strerror", None) or error
            self.failed.emit(f"Cannot export to {path}: {why}")
            return []

    def report(self, report) -> None:
        self.last_report = report
        self.fine_tuned.emit(report)


def label_drawing(store: MyDigitsStore, session, canvas, digit: int) -> str:
    """Add the board's drawing to my digits as ``digit`` and clear the board; the status text.

    What is stored is the 28×28 input the network reads (the session's drawing, or the board
    MNIST-centred when the session has none yet) and the board's strokes."""
    drawing = session.drawing
    x28 = drawing.x28 if not drawing.empty else None
    if x28 is None and not canvas.is_empty():
        x28 = to_mnist(canvas.image())
    if x28 is None:
        if digit == NOT_A_DIGIT:
            return f"Draw something first, then press {NOT_A_DIGIT_KEYS} to add it as not a digit"
        return f"Draw a digit first, then press Ctrl+{digit} to add it as a {digit}"
    if not store.add(x28, digit, strokes_to_json(canvas.strokes())):
        return "The drawing could not be added to my digits (see the message)"
    canvas.clear()
    what = "“not a digit”" if digit == NOT_A_DIGIT else f"a {digit}"
    return f"Added {what} to my digits — {len(store)} so far"


class LabelBar(QWidget):
    """ "It's a  0 1 2 … 9  Not a digit": tells the window what the drawing on the board is
    (``labelled(NOT_A_DIGIT)`` for the last)."""

    labelled = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(QLabel("It's a"))
        self.buttons = []
        for d in range(10):
            b = QToolButton()
            b.setText(str(d))
            b.setToolTip(f"Add the drawing to my digits as a {d} (Ctrl+{d}) and clear the board")
            b.setAutoRaise(True)
            # narrow enough that "Not a digit" fits beside them in the board's column
            b.setFixedWidth(b.fontMetrics().horizontalAdvance("0") + 8)
            b.clicked.connect(lambda _checked=False, d=d: self.labelled.emit(d))
            row.addWidget(b)
            self.buttons.append(b)
        self.not_a_digit = QToolButton()
        self.not_a_digit.setText("Not a digit")
        self.not_a_digit.setToolTip(f"Add the drawing to my digits as not a digit (a letter, a "
                                    f"scribble: {NOT_A_DIGIT_KEYS}) and clear the board")
        self.not_a_digit.setAutoRaise(True)
        self.not_a_digit.setFixedWidth(self.fontMetrics().horizontalAdvance("Not a digit") + 10)
        self.not_a_digit.clicked.connect(lambda: self.labelled.emit(NOT_A_DIGIT))
        row.addWidget(self.not_a_digit)
        row.addStretch(1)
        self.setToolTip("Teach the network your handwriting: label what you drew, then "
                        "Training → Fine-tune on my digits")
