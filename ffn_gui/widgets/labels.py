"""Labels whose height never follows their text, so that a message changing moves nothing.

``TwoLines`` reserves two wrapped lines; ``OneLine`` one line that elides what does not fit
(the whole text is in its tooltip). Both keep their height right when the font changes (the
interface zoom, presenter mode).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QTextDocument
from PySide6.QtWidgets import QLabel, QSizePolicy


class TwoLines(QLabel):
    """A wrapped label with room for two lines (or ``lines``), always: its text changing moves
    nothing."""

    def __init__(self, lines: int = 2) -> None:
        super().__init__()
        self.lines = lines
        self.setWordWrap(True)
        self._fit_font()
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def _fit_font(self) -> None:
        self.setFixedHeight(self.lines * self.fontMetrics().lineSpacing() + 2)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_font()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)


class OneLine(QLabel):
    """A one-line label that shrinks: text that does not fit ends in "…" (plain), the whole of
    it in the tooltip. Rich text is drawn as such whenever it fits. ``elided()`` says whether
    the text is cut now."""

    def __init__(self, text: str = "", min_width: int = 40) -> None:
        super().__init__()
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.AutoText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._min_width = min_width
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(self.plain_text())

    def plain_text(self) -> str:
        rich = self.textFormat() == Qt.TextFormat.RichText or (
            self.textFormat() == Qt.TextFormat.AutoText and self.text().lstrip().startswith("<"))
        if rich:
            document = QTextDocument()
            document.setHtml(self.text())
            return document.toPlainText()
        return self.text()

    def text_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.plain_text())

    def elided(self) -> bool:
        return self.text_width() > self.contentsRect().width()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.text_width() + 4, self.fontMetrics().height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._min_width, self.fontMetrics().height() + 4)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if not self.elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.plain_text(), Qt.TextElideMode.ElideRight,
                                             rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()
