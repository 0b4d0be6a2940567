"""Where the window's parts go, and how big the window starts.

The board and the prediction view make the left column; on the right the training panel sits
above the view tabs, in a splitter (both splitters are remembered). Every part has a small
minimum, so the window fits down to about 1024×640; the settings scroll when room is short.
The window starts at its preferred size or at what the screen's available area allows.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from .view_tabs import info_button

PREFERRED = QSize(1380, 860)
MINIMUM = QSize(960, 600)


def build_layout(window) -> None:
    """Lay out the window's board, prediction view, training panel and view tabs."""
    left = QWidget()
    column = QVBoxLayout(left)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(window.draw_box, 3)
    column.addWidget(window.prediction_view, 2)
    # A hard minimum: the board's height follows its width, and the column's layout would
    # otherwise squeeze it under its own tool row on a short screen.
    window.draw_box.setMinimumHeight(window.draw_box.minimumSizeHint().height())
    window.prediction_view.pane.corner.insertWidget(0, window.label_bar)  # "It's a 0 … 9"
    window.prediction_view.pane.corner.addWidget(info_button(window.prediction_view,
                                                           window.show_help))

    window.right_splitter = QSplitter(Qt.Orientation.Vertical)
    window.right_splitter.addWidget(window.training_panel)
    window.right_splitter.addWidget(window.view_tabs)
    window.right_splitter.setStretchFactor(0, 0)
    window.right_splitter.setStretchFactor(1, 1)
    window.right_splitter.setChildrenCollapsible(False)
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.addWidget(left)
    window.splitter.addWidget(window.right_splitter)
    window.splitter.setStretchFactor(0, 0)
    window.splitter.setStretchFactor(1, 1)
    window.splitter.setChildrenCollapsible(False)
    central = QWidget()
    layout = QHBoxLayout(central)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(window.splitter)
    window.setCentralWidget(central)
    window.setMinimumSize(MINIMUM)
    window.resize(default_size(window))


def default_size(window: QWidget) -> QSize:
    """The preferred size, or less: what fits the screen's available area with a margin."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return PREFERRED
    room = screen.availableGeometry().size()
    return QSize(max(min(PREFERRED.width(), room.width() - 40), MINIMUM.width()),
                 max(min(PREFERRED.height(), room.height() - 60), MINIMUM.height()))


