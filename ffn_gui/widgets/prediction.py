"""What the network makes of the drawing, shown (the numbers are ``core.predictor``'s).

``PredictionPane`` shows the guess: the digit in large type with its confidence, ten labelled
bars (the winner in the palette's highlight colour) and "what the network sees", the 28×28 input
magnified with nearest-neighbour pixels. Given a ``doubt`` (why the model does not believe
its answer: ``views.prediction_view.doubt``) it says "not a digit" instead, keeps the bars with
no winner highlighted and shows the doubt in a line under them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .labels import TwoLines

N_CLASSES = 10
INPUT_SIDE = 28


class ProbabilityBars(QWidget):
    """Ten horizontal bars labelled 0-9, the most probable in the highlight colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probs: np.ndarray | None = None
        self._winner = -1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(120, 10 * 12)

    def set_probabilities(self, probs: np.ndarray | None, highlight: bool = True) -> None:
        self._probs = None if probs is None else np.asarray(probs, float).copy()
        self._winner = -1 if probs is None or not highlight else int(np.argmax(self._probs))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 10 * 24)

    def _colours(self) -> tuple[QColor, ...]:
        """(text, muted label, bar track, plain bar, the winner's bar) from the palette."""
        text = self.palette().color(QPalette.ColorRole.WindowText)
        muted, track, plain = QColor(text), QColor(text), QColor(text)
        muted.setAlphaF(0.55)
        track.setAlphaF(0.10)
        plain.setAlphaF(0.45)
        return text, muted, track, plain, self.palette().color(QPalette.ColorRole.Highlight)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text, muted, track, plain, accent = self._colours()
        fm = self.fontMetrics()
        row_h = self.height() / N_CLASSES
        label_w = fm.horizontalAdvance("0") + 10
        value_w = fm.horizontalAdvance("100%") + 8
        bar_x = label_w
        bar_w = max(self.width() - label_w - value_w, 10)
        bar_h = max(min(row_h * 0.55, 18.0), 4.0)
        bold = QFont(self.font())
        bold.setBold(True)
        for digit in range(N_CLASSES):
            top = digit * row_h
            mid = top + row_h / 2
            winner = digit == self._winner
            painter.setFont(bold if winner else self.font())
            painter.setPen(text if winner else muted)
            painter.drawText(
                QRectF(0, top, label_w - 6, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(digit),
            )
            bar = QRectF(bar_x, mid - bar_h / 2, bar_w, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
            if self._probs is None:
                continue
            p = float(self._probs[digit])
            if p < 0.005:  # shows as 0%: no bar, no number
                continue
            fill = QRectF(bar.x(), bar.y(), max(bar_w * p, bar_h), bar_h)
            painter.setBrush(accent if winner else plain)
            painter.drawRoundedRect(fill, bar_h / 2, bar_h / 2)
            painter.setPen(text if winner else muted)
            painter.drawText(
                QRectF(bar_x + bar_w, top, value_w, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{p:.0%}",
            )
        painter.end()


class InputView(QWidget):
    """The 28×28 input the network saw, magnified with nearest-neighbour pixels."""

    def __init__(self, zoom: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zoom = zoom
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None  # keeps the QImage's buffer alive
        side = INPUT_SIDE * zoom + 2
        self.setFixedSize(side, side)
        self.setToolTip("What the network sees: the drawing as a 28×28 MNIST-style input")

    def set_image(self, img28: np.ndarray | None) -> None:
        if img28 is None:
            self._image = self._pixels = None
        else:
            img = np.asarray(img28, np.float32)
            if img.shape != (INPUT_SIDE, INPUT_SIDE):
                raise ValueError(f"the input view shows a 28×28 image, got shape {img.shape}")
            self._pixels = np.ascontiguousarray(np.clip(img * 255 + 0.5, 0, 255), np.uint8)
            self._image = QImage(
                self._pixels.data,
                INPUT_SIDE,
                INPUT_SIDE,
                INPUT_SIDE,
                QImage.Format.Format_Grayscale8,
            )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        inner = QRectF(1, 1, self.width() - 2, self.height() - 2)
        painter.fillRect(inner, QColor(0, 0, 0))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(inner, self._image)
        edge = self.palette().color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(edge, 1))
        painter.drawRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1))
        painter.end()


class PredictionPane(QWidget):
    """The network's guess: big digit, confidence, ten bars, the input it saw, a status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probs: np.ndarray | None = None
        self._doubt: str | None = None

        self.digit_label = QLabel("?")
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_label.setMinimumWidth(34)
        self.digit_label.setAccessibleName("Predicted digit")

        self.confidence_label = QLabel("Draw a digit")
        self.confidence_label.setAccessibleName("Confidence")
        self._fit_fonts()

        self.doubt_label = QLabel()
        self.doubt_label.setWordWrap(True)
        self.doubt_label.setAccessibleName("Why not a digit")
        self.doubt_label.hide()

        self.status_label = TwoLines()
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status_label.setAccessibleName("Model")

        self.bars = ProbabilityBars()
        self.input_view = InputView(zoom=3)
        self._lay_out()
        self.set_probabilities(None)

    def _lay_out(self) -> None:
        sees = QLabel("Network input")
        sees.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # Compact, so that the board and the pane fit a 640-pixel-high screen in a column about
        # 300 pixels wide: the guess and the input the network saw on the left, the ten bars
        # beside them, the model line below.
        self.corner = QHBoxLayout()  # the window puts the view's ⓘ here
        self.corner.addStretch(1)
        guess = QVBoxLayout()
        guess.setSpacing(2)
        said = QHBoxLayout()
        said.setSpacing(4)
        said.addWidget(self.digit_label)
        said.addWidget(self.confidence_label)
        guess.addLayout(said)
        guess.addWidget(self.input_view, alignment=Qt.AlignmentFlag.AlignHCenter)
        guess.addWidget(sees, alignment=Qt.AlignmentFlag.AlignHCenter)
        guess.addStretch(1)
        bars = QVBoxLayout()
        bars.addLayout(self.corner)
        bars.addWidget(self.bars, 1)
        top = QHBoxLayout()
        top.addLayout(guess)
        top.addLayout(bars, 1)

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top, 1)
        layout.addWidget(self.doubt_label)
        layout.addWidget(rule)
        layout.addWidget(self.status_label)

    def _fit_fonts(self) -> None:
        """The digit four times the pane's type, its confidence 1.25 times (again when the
        interface's font changes: the zoom, presenter mode)."""
        size = self.font().pointSizeF() if self.font().pointSizeF() > 0 else 9.0
        big = QFont(self.font())
        big.setPointSizeF(size * 4)
        big.setBold(True)
        self.digit_label.setFont(big)
        medium = QFont(self.font())
        medium.setPointSizeF(size * 1.25)
        self.confidence_label.setFont(medium)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_fonts()

    def set_probabilities(self, probs: np.ndarray | None, doubt: str | None = None) -> None:
        """Show ten probabilities (any array of 10 summing to ~1), or the empty state for None.
        With ``doubt`` (why the model does not believe them) the pane says "not a digit"."""
        self._doubt = None if probs is None else doubt
        self._set_text(self.doubt_label, self._doubt or "")
        self.doubt_label.setVisible(self._doubt is not None)
        if probs is None:
            self._probs = None
            self._set_text(self.digit_label, "?")
            self.digit_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self._set_text(self.confidence_label, "Draw a digit")
            self.bars.set_probabilities(None)
            return
        probs = np.asarray(probs, float).reshape(-1)
        if probs.shape != (N_CLASSES,):
            raise ValueError(f"expected {N_CLASSES} probabilities, got shape {probs.shape}")
        self._probs = probs
        winner = int(np.argmax(probs))
        if doubt is None:
            self._set_text(self.digit_label, str(winner))
            self.digit_label.setForegroundRole(QPalette.ColorRole.WindowText)
            self._set_text(self.confidence_label, f"{probs[winner]:.0%} sure")
        else:
            self._set_text(self.digit_label, "✗")
            self.digit_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self._set_text(self.confidence_label, "Not a digit")
        self.bars.set_probabilities(probs, highlight=doubt is None)

    @staticmethod
    def _set_text(label: QLabel, text: str) -> None:
        if label.text() != text:  # setText re-lays the pane out even for the same text
            label.setText(text)

    def set_input_image(self, img28: np.ndarray | None) -> None:
        """Show the 28×28 input the network saw (None clears the view)."""
        self.input_view.set_image(img28)

    def set_status(self, text: str) -> None:
        """A line under the bars saying which network answers, e.g. "bundled model"."""
        if self.status_label.text() != text:  # setText re-lays the pane out even for the same
            self.status_label.setText(text)
            self.status_label.setToolTip(text)

    def probabilities(self) -> np.ndarray | None:
        return None if self._probs is None else self._probs.copy()

    def predicted_digit(self) -> int | None:
        """The digit the pane shows: None for the empty state and for "not a digit"."""
        if self._probs is None or self._doubt is not None:
            return None
        return int(np.argmax(self._probs))

    def doubt(self) -> str | None:
        """Why the pane says "not a digit", or None when it does not."""
        return self._doubt
