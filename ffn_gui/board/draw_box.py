"""The drawing box: the board, its tool row (brush size, eraser, grid, undo, clear) and the rows
the window adds under it (``add_row``: "It's a 0 … 9").

The tool buttons show the window's own actions (``actions.py``), so a button, its menu entry
and its shortcut are one thing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QSlider, QToolButton, QVBoxLayout, QWidget

BRUSH_STEP = 0.4  # input pixels per [ or ]


def tool_button(action: QAction, text: str) -> QToolButton:
    action.setIconText(text)  # what a text-only tool button shows
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setMinimumHeight(26)
    return button


class DrawBox(QWidget):
    """The board with its tools under it (no frame: the board says "draw a digit" itself)."""

    def __init__(self, canvas, window) -> None:
        super().__init__()
        self.canvas = canvas
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(canvas, 1)
        tools = QHBoxLayout()
        tools.setSpacing(2)
        layout.addLayout(tools)
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(5, 60)  # tenths of an input pixel
        self.brush_slider.setValue(int(round(canvas.brush_size * 10)))
        self.brush_slider.setToolTip("Brush size ([ and ] change it)")
        self.brush_slider.setMinimumWidth(44)
        self.brush_slider.setMaximumWidth(110)
        self.brush_slider.valueChanged.connect(lambda v: canvas.set_brush_size(v / 10))
        self.brush_slider.setAccessibleName("Brush size")
        tools.addWidget(self.brush_slider, 1)  # no "Brush" caption: the column stays narrow
        tools.addWidget(tool_button(window.eraser_action, "Eraser"))
        tools.addWidget(tool_button(window.grid_action, "Grid"))
        tools.addStretch(1)
        tools.addWidget(tool_button(window.undo_action, "Undo"))
        tools.addWidget(tool_button(window.redo_action, "Redo"))
        tools.addWidget(tool_button(window.clear_action, "Clear"))

    def add_row(self, widget: QWidget) -> None:
        """Put ``widget`` under the tool row."""
        self._layout.addWidget(widget)

    def nudge_brush(self, delta: float) -> None:
        self.canvas.set_brush_size(self.canvas.brush_size + delta)
        self.brush_slider.setValue(int(round(self.canvas.brush_size * 10)))
