"""The window's Help menu: "What am I looking at?" for each view, the shortcuts, About, and
the page on the notes' network that About and the ``seed`` preset's line link to.

A mixin of ``MainWindow``. Every text is shown with ``show_message`` (never blocking, on a
sheet that scrolls rather than grow past a laptop's screen), which also keeps it in
``last_message`` for tests and tools.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from shiboken6 import isValid

from ffn_gui.views.base import View

from . import actions, dialogs


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

    def show_notes(self) -> dialogs.Sheet:
        """The page on the notes' network (in place of the help shown, if any)."""
        if self.message_box is not None and isValid(self.message_box):
            self.message_box.close()
        return self.show_message("About the notes", dialogs.NOTES)

    def open_link(self, href: str) -> None:
        """A link clicked in the window's texts: its own pages here, the rest in the browser."""
        if href == dialogs.NOTES_LINK:
            self.show_notes()
        else:
            QDesktopServices.openUrl(QUrl(href))
