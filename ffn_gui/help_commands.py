"""The window's Help menu: "What am I looking at?" for each view, the shortcuts, About.

A mixin of ``MainWindow``. Every text is shown with ``show_message`` (never blocking, on a
sheet that scrolls rather than grow past a laptop's screen), which also keeps it in
``last_message`` for tests and tools.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from . import actions, dialogs
from .views.base import View


class HelpCommands:
    def show_help(self, view: View) -> dialogs.Sheet:
        """"What am I looking at?" for ``view``."""
        return self.show_message(f"What am I looking at? — {view.title}", view.help_text)

    def show_current_help(self) -> dialogs.Sheet:
        """Help for the view in front of the user: the current tab's (the board's when the
        board or the prediction has the focus)."""
        focus = QGuiApplication.focusObject()
        if focus is self.canvas or self.prediction_view.isAncestorOf(focus):
            return self.show_help(self.prediction_view)
        return self.show_help(self.view_tabs.current_view() or self.prediction_view)

    def show_shortcuts(self) -> dialogs.Sheet:
        return self.show_message("Keyboard shortcuts",
                                 dialogs.shortcuts_html(actions.shortcut_rows(self)), width=860)

    def show_about(self) -> dialogs.Sheet:
        return self.show_message("About ffn-gui", dialogs.ABOUT)
