"""The drawing canvas: the network's 28×28 input, magnified, that a person draws on.

The drawing is kept as vector data, a list of strokes in input-pixel coordinates (the 28×28
grid: x to the right, y down, 0..28), so undo/redo re-render exactly and a resize loses nothing.
Strokes are rendered incrementally, one round-capped line segment per pointer move, into the
fixed-resolution image of ``ink.Ink`` (white ink on black; the eraser leaves no fringe): that
image is what the network reads (``image()``), and the same image scaled to the widget is what
the eye sees. Drawing a segment costs one short ``drawLine``; nothing is re-rendered from the
vectors except on undo, redo and clear (the history: ``board_history.py``; the painting:
``board_paint.py``). The cursor is a circle of the pen's (or eraser's) width.

Input: the mouse (left button draws, right button erases), a pen tablet (handled in
``tabletEvent``, the pen's eraser end erases) and Del/Backspace (clear) when the canvas has
focus. Whether a button is held is tracked from press/release, so moves that carry no button
state (as ``QTest.mouseMove`` sends them) still draw. The canvas owns no Ctrl+Z shortcut: the
window binds its Undo/Redo actions to the ``undo``/``redo`` slots.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from .brush_cursor import brush_cursor
from .history import CLEAR, Picture, live_strokes, picture_of, trim
from .ink import GRID, RESOLUTION, Ink, Stroke, picture_image
from .paint import paint_focus, paint_grid, paint_hint, paint_ink

__all__ = ["GRID", "RESOLUTION", "DrawingCanvas", "Stroke"]
DEFAULT_BRUSH = 2.2  # input pixels; see tests/handwriting.py and benchmarks/bench_handwriting.py
MIN_BRUSH, MAX_BRUSH = 0.5, 6.0
MIN_SCREEN_PER_INPUT = 10  # screen pixels per input pixel, at least
HISTORY_LIMIT = 1000  # undo steps kept (older drawings are forgotten clear by clear)


class DrawingCanvas(QWidget):
    """A square board the user draws a digit on; ``image()`` is what the network reads."""

    changed = Signal()  # after every change of the drawing
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history: list = []  # strokes, CLEARs and Pictures, oldest first (board_history)
        self._redo: list[Stroke | None] = []
        self._current: Stroke | None = None  # the stroke being drawn
        self._brush = DEFAULT_BRUSH
        self._eraser = False
        self._grid = False
        self._ink = Ink()
        self._note: str | None = None  # what the views show instead of the board's drawing
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(GRID * MIN_SCREEN_PER_INPUT, GRID * MIN_SCREEN_PER_INPUT)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._update_cursor()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(
            "Draw a digit with the left button or a pen.\n"
            "Right button erases; Del or Backspace clears."
        )

    # --- the public API ------------------------------------------------------------------------

    def image(self) -> np.ndarray:
        """The drawing as float32 (RESOLUTION, RESOLUTION) in [0, 1], white ink on black.

        The array is cached until the next change and read-only; copy it to modify it."""
        return self._ink.pixels()

    def is_empty(self) -> bool:
        """True when there is no ink on the board (nothing drawn, or all of it erased/cleared)."""
        return self._ink.is_empty()

    @Slot()
    def clear(self) -> None:
        """Wipe the board. Clear is a step of the history: ``undo`` brings the drawing back."""
        self._finish_stroke()
        if not self._live_strokes() and self._picture() is None:
            return
        self._history.append(CLEAR)
        self._redo.clear()
        self._trim_history()
        self._rerender()

    @Slot()
    def undo(self) -> None:
        """Take back the last stroke (or clear)."""
        self._finish_stroke()
        if self._history:
            self._redo.append(self._history.pop())
            self._rerender()

    @Slot()
    def redo(self) -> None:
        """Put back the last stroke (or clear) that ``undo`` took back."""
        self._finish_stroke()
        if self._redo:
            self._history.append(self._redo.pop())
            self._rerender()

    def can_undo(self) -> bool:
        return bool(self._history) or self._current is not None

    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def brush_size(self) -> float:
        """The pen's diameter in input pixels (units of the 28×28 grid)."""
        return self._brush

    @brush_size.setter
    def brush_size(self, size: float) -> None:
        self.set_brush_size(size)

    @Slot(float)
    def set_brush_size(self, size: float) -> None:
        size = float(size)
        if not math.isfinite(size):
            raise ValueError(f"brush size must be a finite number, got {size}")
        self._brush = min(max(size, MIN_BRUSH), MAX_BRUSH)
        self._update_cursor()

    @property
    def eraser(self) -> bool:
        """When on, the left button (and a pen's tip) erases instead of drawing."""
        return self._eraser

    @eraser.setter
    def eraser(self, on: bool) -> None:
        self.set_eraser(on)

    @Slot(bool)
    def set_eraser(self, on: bool) -> None:
        self._eraser = bool(on)
        self._update_cursor()

    @property
    def grid_visible(self) -> bool:
        return self._grid

    @Slot(bool)
    def set_grid_visible(self, on: bool) -> None:
        if bool(on) != self._grid:
            self._grid = bool(on)
            self.update()

    def strokes(self) -> list[Stroke]:
        """The strokes on the board now (after the last clear), oldest first."""
        live = self._live_strokes()
        return live + [self._current] if self._current is not None else live

    def board_rect(self) -> QRectF:
        """The square, in widget coordinates, that shows the 28×28 input."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_input(self, pos: QPointF) -> tuple[float, float]:
        """Widget coordinates → input-pixel coordinates (0..28 across the board)."""
        board = self.board_rect()
        k = GRID / board.width()
        return ((pos.x() - board.x()) * k, (pos.y() - board.y()) * k)

    def sizeHint(self) -> QSize:
        return QSize(GRID * 14, GRID * 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(GRID * MIN_SCREEN_PER_INPUT, GRID * MIN_SCREEN_PER_INPUT)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    # --- pointer input -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            event.ignore()
            return
        erase = self._eraser or button == Qt.MouseButton.RightButton
        self._begin_stroke(event.position(), erase)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # A quick second click comes as a double-click, after a press or instead of one:
        # it starts a stroke only if the press has not already started it.
        if self._current is None:
            self.mousePressEvent(event)
        else:
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # No look at event.buttons(): whether a stroke is on is known from press/release.
        if self._current is None:
            event.ignore()
            return
        self._extend_stroke(event.position())
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._current is None:
            event.ignore()
            return
        self._extend_stroke(event.position())
        self._finish_stroke()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen draws like the left button; its eraser end (or a side button) erases.

        Handled here, and accepted, so Qt does not also synthesise mouse events for it."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            erase = (
                self._eraser
                or event.pointerType() == QPointingDevice.PointerType.Eraser
                or event.button() == Qt.MouseButton.RightButton
            )
            self._begin_stroke(event.position(), erase)
        elif kind == QEvent.Type.TabletMove:
            if self._current is None:  # hovering pen
                event.ignore()
                return
            self._extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease:
            if self._current is None:
                event.ignore()
                return
            self._extend_stroke(event.position())
            self._finish_stroke()
        else:
            event.ignore()
            return
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        self._finish_stroke()  # a release that goes elsewhere must not leave a stroke open
        super().focusOutEvent(event)
        self.update()

    # --- strokes -------------------------------------------------------------------------------

    def _begin_stroke(self, pos: QPointF, erase: bool) -> None:
        self._finish_stroke()
        x, y = self.to_input(pos)
        self._current = Stroke(self._brush, erase, [(x, y)])
        self._redo.clear()
        self._update_cursor()  # the eraser's ring while the right button erases
        self.update()  # all of it: the hint text goes away while drawing
        self._draw_segment(self._current, (x, y), (x, y))

    def _extend_stroke(self, pos: QPointF) -> None:
        stroke = self._current
        x, y = self.to_input(pos)
        last = stroke.points[-1]
        if abs(x - last[0]) < 1e-3 and abs(y - last[1]) < 1e-3:
            return
        stroke.points.append((x, y))
        self._draw_segment(stroke, last, (x, y))

    def _finish_stroke(self) -> None:
        if self._current is None:
            return
        self._history.append(self._current)
        self._current = None
        self._update_cursor()
        self.update()  # the hint text may come back if the stroke erased everything
        self.stroke_finished.emit()
        self.changed.emit()

    def show_picture(self, gray: np.ndarray) -> None:
        """Put an image on the board (float (H, W) in [0, 1], white ink on black), scaled to fit
        and centred, to be read like a drawing. A step of the history, as Clear is."""
        self._finish_stroke()
        self._history.append(Picture(picture_image(gray)))
        self._redo.clear()
        self._rerender()

    def _picture(self) -> Picture | None:
        return picture_of(self._history)

    def _live_strokes(self) -> list[Stroke]:
        return live_strokes(self._history)

    def _trim_history(self) -> None:
        trim(self._history, HISTORY_LIMIT)

    # --- rendering -----------------------------------------------------------------------------

    def _update_cursor(self) -> None:
        """The cursor: a circle as wide on screen as the pen (or eraser) draws."""
        erase = self._current.erase if self._current is not None else self._eraser
        width = Stroke(self._brush, erase).drawn_width * self.board_rect().width() / GRID
        self.setCursor(brush_cursor(width, erase, self.devicePixelRatioF()))

    def _draw_segment(self, stroke: Stroke, a: tuple[float, float], b: tuple[float, float]) -> None:
        """Render one segment of ``stroke`` into the image; repaint only the part it touched."""
        self._ink.draw(stroke, a, b)
        pad = stroke.drawn_width / 2 + 0.5
        board = self.board_rect()
        k = board.width() / GRID
        left = board.x() + (min(a[0], b[0]) - pad) * k
        top = board.y() + (min(a[1], b[1]) - pad) * k
        right = board.x() + (max(a[0], b[0]) + pad) * k
        bottom = board.y() + (max(a[1], b[1]) + pad) * k
        self.update(
            QRectF(left, top, right - left, bottom - top).toAlignedRect().adjusted(-1, -1, 1, 1)
        )
        self.changed.emit()

    def _rerender(self) -> None:
        """Redraw the image from the vectors (after undo, redo or clear)."""
        picture = self._picture()
        self._ink.render(self.strokes(), None if picture is None else picture.image)
        self.update()
        self.changed.emit()

    @property
    def hint(self) -> str:
        """The board's text: "Draw a digit", or what the views show instead of the board."""
        return self._note or "Draw a digit"

    def show_note(self, note: str | None) -> None:
        """Say on the board that the views show something else (``note``), or stop (None)."""
        if note != self._note:
            self._note = note
            self.update()

    @property
    def _hint_shown(self) -> bool:
        return self._current is None and self.is_empty()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        board = self.board_rect()
        paint_ink(painter, board, self._ink.qimage)
        if self._grid:
            paint_grid(painter, board)
        if self._hint_shown or self._note:
            paint_hint(painter, board, self.font(), self.hint, small=bool(self._note),
                       veiled=bool(self._note) and not self.is_empty())
        if self.hasFocus():
            paint_focus(painter, board, self.palette().highlight().color())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The image has a fixed resolution, so nothing is lost; a stroke in progress keeps its
        # input coordinates and goes on from where the pointer is now.
        super().resizeEvent(event)
        self._update_cursor()  # the circle follows the board's magnification
        self.update()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()
