"""Labels whose height never follows their text, so that a message changing moves nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


class TwoLines(QLabel):
    """A wrapped label with room for two lines, always: its text changing moves nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 2)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a larger font (presenter mode): 2 lines
            self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 2)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)
