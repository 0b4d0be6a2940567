"""The window's View → Theme menu: light, dark, or following the desktop's light/dark setting
(the default), remembered in the settings.

A mixin of ``MainWindow``. The palette is the application's (``theme.set_theme``); the plots
and the self-painted views recolour themselves when it changes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from .theme import set_theme


class ThemeCommands:
    def restore_theme(self) -> None:
        """Check the theme the settings hold (which applies it)."""
        getattr(self, f"theme_{self.settings.theme()}_action").setChecked(True)

    def use_theme(self, choice: str) -> None:
        set_theme(QApplication.instance(), choice)
        self.settings.set_theme(choice)

    def theme_toggled(self, choice: str, on: bool) -> None:
        """A View → Theme action's new state: only the one checked acts."""
        if on:
            self.use_theme(choice)
