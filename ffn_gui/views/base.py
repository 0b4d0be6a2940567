"""The interface every view implements, and the machinery that keeps hidden views idle.

A view is a ``QWidget`` with a ``name`` (what ``MainWindow.show_view(name)`` takes), a
``title`` (its tab) and a ``help_text`` ("What am I looking at?", shown from the Help menu and
the view's ⓘ). It is built with the window's ``Session`` and connects to the signals it needs.
When something it shows has changed it calls ``self.request_refresh()``; the base calls
``refresh()`` at most once a frame, and only while the view is visible: a hidden view marks
itself dirty and catches up when it is shown. ``refresh()`` draws from NumPy arrays that the
view keeps as plain attributes, so tests can compare them with ``core``.
"""

from __future__ import annotations

from typing import ClassVar

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

FRAME_MS = 16


class View(QWidget):
    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    help_text: ClassVar[str] = ""
    show_requested = Signal(str)  # the name of the view this one asks the window to show

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.refreshes = 0  # how many times refresh() ran (for tests and benchmarks)
        self._dirty = True
        self._last = -1e9  # when refresh() last ran (time.perf_counter(); long ago)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._refresh_now)

    def request_refresh(self) -> None:
        """Something this view shows has changed: redraw within a frame if visible.

        The first change after a quiet frame is drawn at the event loop's next turn; changes
        that follow within a frame of the last refresh wait for that frame's end, together."""
        self._dirty = True
        if self.isVisible() and not self._timer.isActive():
            self._start_timer()

    def _start_timer(self) -> None:
        since = (time.perf_counter() - self._last) * 1000
        self._timer.start(max(0, round(FRAME_MS - since)))

    def flush(self) -> None:
        """Refresh now if a refresh is pending and the view is visible (tests, benchmarks)."""
        if self._dirty and self.isVisible():
            self._timer.stop()
            self._refresh_now()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def refresh(self) -> None:
        """Draw the current state. Called only while visible, at most once a frame."""
        raise NotImplementedError

    def _refresh_now(self) -> None:
        if not self.isVisible():
            return
        self._dirty = False
        self.refreshes += 1
        self._last = time.perf_counter()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._dirty:
            self._start_timer()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._timer.stop()
