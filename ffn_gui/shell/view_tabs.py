"""The tab area that hosts the views of ``ffn_gui.views.VIEWS``, each with its ⓘ button.

Views are built with the window's ``Session``, in ``VIEWS`` order, one tab each (in a scroll
area, so one view's minimum size never makes the window too big for a small screen). Only the
current tab is visible, so only it refreshes (``View``'s rule); the others catch up when shown.
The current tab carries its view's small ⓘ button (one at a time, so the titles keep their room);
it and Help → What am I looking at? call ``on_help(view)``.
Where the tabs do not fit (a narrow window with the settings open) their titles are shortened
with "…" rather than hidden behind scroll arrows, so every view stays one click away.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QStyle,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from ffn_gui.views import VIEWS
from ffn_gui.views.base import View


def info_button(view: View, on_help: Callable[[View], None]) -> QToolButton:
    """The small ⓘ that explains ``view``."""
    button = QToolButton()
    if button.fontMetrics().inFontUcs4(ord("ⓘ")):
        button.setText("ⓘ")
    else:  # a font without the glyph would show a box: the style's information icon instead
        button.setIcon(button.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation))
        button.setIconSize(QSize(14, 14))
    button.setAutoRaise(True)
    button.setToolTip(f"What am I looking at? ({view.title})")
    button.setAccessibleName(f"Explain {view.title}")
    button.clicked.connect(lambda: on_help(view))
    view.info_button = button
    return button


MIN_TAB = 40  # px: a tab shortened to its first letter or two and "…"


class ViewTabBar(QTabBar):
    """Tabs that, short of room, shorten their titles further than Qt's own minimum (about
    four letters and "…", 50-55 px a tab): seven views' tabs then still leave the settings
    panel its room beside them. The current tab keeps the room for its ⓘ button."""

    def minimumTabSizeHint(self, index: int) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumTabSizeHint(index)
        if index == self.currentIndex():
            return hint
        return QSize(min(hint.width(), MIN_TAB), hint.height())


class ViewTabs(QTabWidget):
    def __init__(self, session, on_help: Callable[[View], None], views=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabBar(ViewTabBar())
        self.setDocumentMode(True)
        self.tabBar().setUsesScrollButtons(False)
        self.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.currentChanged.connect(self._show_info_button)
        self.views: dict[str, View] = {}
        for cls in VIEWS if views is None else views:
            self.add_view(cls(session), on_help)

    def add_view(self, view: View, on_help: Callable[[View], None]) -> None:
        if view.name in self.views:
            raise ValueError(f"two views are named {view.name!r}")
        self.views[view.name] = view
        view.show_requested.connect(self.show_view)
        # Each view in a scroll area: a view that needs more room than a small screen gives
        # scrolls, instead of making the whole window too big to fit.
        scroll = QScrollArea()
        scroll.setWidget(view)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        index = self.addTab(scroll, view.title)
        self.setTabToolTip(index, view.help_text and f"{view.title}: press ⓘ for what it shows")
        # Owned by the tab bar from the start, shown or not: a parentless button would outlive
        # the window, and its click's connection would keep the whole window alive.
        info_button(view, on_help).setParent(self.tabBar())
        view.info_button.hide()
        self._show_info_button()

    def _show_info_button(self, *_) -> None:
        """The ⓘ on the current tab only (a tab's button is hidden when another replaces it)."""
        bar, side = self.tabBar(), QTabBar.ButtonPosition.RightSide
        for i in range(self.count()):
            view = self.view_at(i)
            button = getattr(view, "info_button", None) if i == self.currentIndex() else None
            if bar.tabButton(i, side) is not button:
                bar.setTabButton(i, side, button)

    def view_at(self, index: int) -> View | None:
        scroll = self.widget(index)
        return scroll.widget() if isinstance(scroll, QScrollArea) else None

    def current_view(self) -> View | None:
        return self.view_at(self.currentIndex())

    def show_view(self, name: str) -> View:
        view = self.views[name]
        self.setCurrentIndex(self.indexOf(view.parentWidget().parentWidget()))
        return view

    def next_view(self) -> None:
        """The tab after the current one (the first after the last)."""
        self.setCurrentIndex((self.currentIndex() + 1) % max(self.count(), 1))

    def previous_view(self) -> None:
        """The tab before the current one (the last before the first)."""
        self.setCurrentIndex((self.currentIndex() - 1) % max(self.count(), 1))

    def current_name(self) -> str | None:
        view = self.current_view()
        return view.name if view is not None else None
