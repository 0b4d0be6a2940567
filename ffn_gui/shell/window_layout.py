"""Where the window's parts go, and how big the window starts.

The workspace is a splitter: on the left the board over the prediction (a column, itself a
splitter); on the right the run bar (Train, Pause, Stop, progress: always in sight) over the view
tabs, which get most of the window, and the training settings, a side panel that collapses
away (a third splitter). The panel's toggle ("Training settings", View → Training settings,
Ctrl+,) ends the run bar, right above where the panel opens. The data line is in the status
bar. Splitter
positions, the panel's width and whether it is open are remembered (``Workspace.save``).
Every part has a small minimum, so the window fits down to about 1024×640.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .view_tabs import info_button

PREFERRED = QSize(1440, 900)
MINIMUM = QSize(960, 600)
FRAME = QSize(16, 40)  # room for the window frame and title bar on the screen
PANEL_WIDTH = 300  # the settings panel's width when first opened
COLUMN_WIDTH = 290  # the board column's width at first


def _splitter(orientation, *widgets, stretch=()) -> QSplitter:
    splitter = QSplitter(orientation)
    for i, widget in enumerate(widgets):
        splitter.addWidget(widget)
        splitter.setStretchFactor(i, stretch[i] if i < len(stretch) else 0)
    splitter.setChildrenCollapsible(False)
    return splitter


def build_layout(window) -> None:
    """Lay out the run bar, the board column, the view tabs, the settings and the data line."""
    panel = window.training_panel
    window.draw_box.add_row(window.label_bar)  # "It's a 0 … 9" under the board's tools
    window.prediction_view.pane.corner.addWidget(info_button(window.prediction_view,
                                                           window.show_help))
    window.column_splitter = _splitter(Qt.Orientation.Vertical, window.draw_box,
                                       window.prediction_view, stretch=(1, 0))
    window.views_splitter = _splitter(Qt.Orientation.Horizontal, window.view_tabs, panel,
                                      stretch=(1, 0))
    toggle = QToolButton()
    toggle.setDefaultAction(window.settings_action)
    window.settings_action.setIconText("Settings")  # the button's text: the run bar is short
    toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    window.settings_button = toggle
    right = QWidget()
    layout = QVBoxLayout(right)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    bar = QHBoxLayout()
    bar.addWidget(panel.run_bar, 1)
    bar.addWidget(toggle)
    layout.addLayout(bar)
    layout.addWidget(window.views_splitter, 1)
    window.splitter = _splitter(Qt.Orientation.Horizontal, window.column_splitter, right,
                                stretch=(0, 1))
    central = QWidget()
    outer = QVBoxLayout(central)
    outer.setContentsMargins(4, 2, 4, 0)
    outer.addWidget(window.splitter)
    window.setCentralWidget(central)
    panel.data_line.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
    window.statusBar().addPermanentWidget(panel.data_line)
    window.setMinimumSize(MINIMUM)
    window.resize(default_size(window))
    window.workspace = Workspace(window)
    set_tab_order(window)


def set_tab_order(window) -> None:
    """Tab goes from the board to the prediction, the run bar and the view tabs (the view's
    own controls follow)."""
    panel = window.training_panel
    board = [w for w in window.draw_box.findChildren(QWidget)
             if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w is not window.canvas]
    chain = [window.canvas, *board, window.prediction_view.info_button, panel.train_button,
             panel.pause_button, panel.stop_button, panel.continue_box, window.settings_button,
             window.view_tabs.tabBar()]
    for a, b in zip(chain, chain[1:]):
        QWidget.setTabOrder(a, b)


def default_size(window: QWidget) -> QSize:
    """The preferred size, or less: what fits the screen's available area with its frame."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return PREFERRED if screen is None else size_for(screen.availableGeometry().size())


def size_for(room: QSize) -> QSize:
    """The window's size on a screen whose available area is ``room`` (e.g. 1366×728 on a
    1366×768 laptop with a panel): all of it but the frame, at most ``PREFERRED``."""
    return QSize(max(min(PREFERRED.width(), room.width() - FRAME.width()), MINIMUM.width()),
                 max(min(PREFERRED.height(), room.height() - FRAME.height()), MINIMUM.height()))


class Workspace:
    """The splitters and the settings panel: open, or collapsed."""

    def __init__(self, window) -> None:
        self.window = window
        self.settings_open = True  # as built; restore() applies the remembered state
        self.panel_width = PANEL_WIDTH
        self._jumps = self._mnemonic_jumps()

    def _mnemonic_jumps(self) -> list[QShortcut]:
        """While the settings are collapsed, Alt + a setting's underlined letter opens them
        and puts the focus in that setting (the label's own shortcut works only when shown)."""
        jumps = []
        for label in self.window.training_panel.settings_box.findChildren(QLabel):
            keys = QKeySequence.mnemonic(label.text())
            if label.buddy() is None or keys.isEmpty():
                continue
            jump = QShortcut(keys, self.window)
            buddy = label.buddy()
            jump.activated.connect(lambda buddy=buddy: self._jump_to(buddy))
            jumps.append(jump)
        return jumps

    def _jump_to(self, widget: QWidget) -> None:
        self.window.settings_action.setChecked(True)  # opens the panel (set_settings_open)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_settings_open(self, open_: bool) -> None:
        """Open the settings panel beside the views, or collapse it."""
        splitter, panel = self.window.views_splitter, self.window.training_panel
        views, width = splitter.sizes()
        total = views + width or max(self.window.width() - COLUMN_WIDTH - 40, 400)
        if self.settings_open and not open_:
            if width > 0:
                self.panel_width = width
            panel.hide()
            splitter.setSizes([total, 0])
        elif open_ and not self.settings_open:
            panel.show()
            width = max(self.panel_width, panel.minimumWidth())
            splitter.setSizes([max(total - width, 1), width])
        self.settings_open = open_
        for jump in self._jumps:
            jump.setEnabled(not open_)

    def _splitters(self):
        w = self.window
        return ((w.splitter, "workspace"), (w.column_splitter, "column"),
                (w.views_splitter, "views"))

    def restore(self, settings) -> None:
        w = self.window
        for splitter, name in self._splitters():
            state = settings.splitter_state(name)
            if state is not None:
                splitter.restoreState(state)
        if settings.splitter_state("workspace") is None:
            w.splitter.setSizes([COLUMN_WIDTH, max(w.width() - COLUMN_WIDTH, 400)])
        if settings.splitter_state("column") is None:
            pane = w.prediction_view.sizeHint().height()
            w.column_splitter.setSizes([max(w.height() - pane, 300), pane])
        self.panel_width = settings.settings_width() or PANEL_WIDTH
        open_ = settings.settings_open()
        w.settings_action.setChecked(open_)
        self.set_settings_open(open_)

    def shown(self) -> None:
        """The window is on screen and laid out: give the open panel its remembered width (a
        splitter restored before it had its size shares the difference out)."""
        splitter = self.window.views_splitter
        views, width = splitter.sizes()
        if self.settings_open and width != self.panel_width:
            width = max(self.panel_width, self.window.training_panel.minimumWidth())
            splitter.setSizes([max(views + splitter.sizes()[1] - width, 1), width])

    def save(self, settings) -> None:
        width = self.window.views_splitter.sizes()[1]
        if self.settings_open and width > 0:
            self.panel_width = width
        for splitter, name in self._splitters():
            settings.set_splitter_state(name, splitter.saveState())
        settings.set_settings_open(self.settings_open)
        settings.set_settings_width(self.panel_width)

    def states(self) -> tuple:
        """Every splitter's state (presenter mode puts them back when it ends)."""
        return tuple(splitter.saveState() for splitter, _ in self._splitters())

    def set_states(self, states: tuple) -> None:
        for (splitter, _), state in zip(self._splitters(), states):
            splitter.restoreState(state)
