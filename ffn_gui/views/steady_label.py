"""A word-wrapped label of a fixed number of lines, whose text changes live without moving
anything (the backprop view's equations and notes)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


class SteadyLabel(QLabel):
    """A word-wrapped label ``lines`` lines tall, in any font: no height-for-width (which
    would make a scroll area hosting the view ask for the view's preferred height, not its
    minimum)."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.lines = lines
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
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
