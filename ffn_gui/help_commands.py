"""The window's Help menu: "What am I looking at?" for each view, the shortcuts, About.

A mixin of ``MainWindow``. Every text is shown with ``show_message`` (never blocking), which
also keeps it in ``last_message`` for tests and tools.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from . import actions, dialogs
from .views.base import View


class HelpCommands:
    def show_help(self, view: View) -> QMessageBox:
        """"What am I looking at?" for ``view``."""
        return self.show_message(f"What am I looking at? — {view.title}", view.help_text)

    def show_current_help(self) -> QMessageBox:
        """Help for the view in front of the user: the current tab's (the board's when the
        board or the prediction has the focus)."""
        focus = QGuiApplication.focusObject()
        if focus is self.canvas or self.prediction_view.isAncestorOf(focus):
            return self.show_help(self.prediction_view)
        return self.show_help(self.view_tabs.current_view() or self.prediction_view)

    def show_shortcuts(self) -> QMessageBox:
        return self.show_message("Keyboard shortcuts",
                                 dialogs.shortcuts_html(actions.shortcut_rows(self)))

    def show_about(self) -> QMessageBox:
        return self.show_message("About ffn-gui", dialogs.ABOUT)
