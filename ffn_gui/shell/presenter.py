"""Presenter mode and the interface zoom: a mixin of ``MainWindow``.

Presenter mode (View → Presenter mode, F11) is for a teacher at a projector: the window full
screen, the application font ``PRESENTER_SCALE`` times larger, and ``line_scale()`` (which views
may read to draw thicker lines) as large. Leaving it puts back the window exactly as it was:
geometry, maximised or not, the splitters, the font. Ctrl+= / Ctrl+- zoom the interface's
font by ``ZOOM_STEP`` of its usual size a step (Ctrl+Shift+0: back to the usual size). Both
are remembered (``Settings.presenter``, ``Settings.zoom``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

PRESENTER_SCALE = 1.5
ZOOM_STEP = 0.1  # of the usual font size
ZOOM_STEPS = (-4, 12)  # 60% … 220%
_LINE_SCALE = "ffn_line_scale"  # the application property views read


def line_scale() -> float:
    """How much thicker than usual views should draw their lines (1.0, or more when
    presenting)."""
    app = QApplication.instance()
    value = app.property(_LINE_SCALE) if app is not None else None
    return float(value) if isinstance(value, int | float) and value > 0 else 1.0


def usual_font() -> QFont:
    """The application's font as the platform gave it, before any zoom (kept on first use)."""
    app = QApplication.instance()
    font = app.property("ffn_usual_font")
    if not isinstance(font, QFont):
        font = QFont(app.font())
        app.setProperty("ffn_usual_font", font)
    return QFont(font)


@dataclass(frozen=True)
class _Before:
    """The window as it was when presenter mode began."""

    geometry: QByteArray  # saveGeometry(), what is remembered between launches
    rect: QRect  # geometry(), the client area, put back exactly
    state: Qt.WindowState
    splitters: tuple


class PresenterCommands:
    def _init_presenter(self) -> None:
        """Called by the window once its actions and layout exist: apply what was kept."""
        self._before_presenter: _Before | None = None
        self.zoom_steps = 0
        self.set_zoom(self.settings.zoom())
        if self.settings.presenter():
            self.presenter_action.setChecked(True)  # enters it (set_presenter_mode)

    @property
    def presenting(self) -> bool:
        return self._before_presenter is not None

    def set_presenter_mode(self, on: bool) -> None:
        """Full screen with large type and thick lines, or back to the window as it was."""
        if bool(on) == self.presenting:
            return
        if on:
            self._before_presenter = _Before(self.saveGeometry(), self.geometry(),
                                             self.windowState(), self.workspace.states())
            self.showFullScreen()
            self._apply_font()
        else:
            before, self._before_presenter = self._before_presenter, None
            self._apply_font()  # first: the usual font's smaller minimum sizes allow the rest
            self.setWindowState(before.state & ~Qt.WindowState.WindowFullScreen)
            if not before.state & Qt.WindowState.WindowMaximized:
                self.setGeometry(before.rect)
            self.workspace.set_states(before.splitters)
        self.settings.set_presenter(self.presenting)
        self.presenter_action.setChecked(self.presenting)

    def set_zoom(self, steps: int) -> None:
        """The interface's font at ``1 + steps * ZOOM_STEP`` of its usual size (clamped)."""
        self.zoom_steps = max(ZOOM_STEPS[0], min(ZOOM_STEPS[1], int(steps)))
        self.settings.set_zoom(self.zoom_steps)
        self._apply_font()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_steps + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_steps - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def font_scale(self) -> float:
        """The application font's size over its usual size, zoom and presenter mode."""
        return (1 + self.zoom_steps * ZOOM_STEP) * (PRESENTER_SCALE if self.presenting else 1)

    def _apply_font(self) -> None:
        app = QApplication.instance()
        font = usual_font()
        scale = self.font_scale()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        else:
            font.setPixelSize(max(1, round(font.pixelSize() * scale)))
        # The line scale first: widgets redraw their lines when the font change reaches them.
        app.setProperty(_LINE_SCALE, PRESENTER_SCALE if self.presenting else 1.0)
        if font != app.font():
            app.setFont(font)
            # Now, not at the next turn of the event loop: sizes measured next (splitters put
            # back, the geometry) must be the new font's.
            QApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
        for view in self.views.values():
            view.request_refresh()
            view.update()

    def _restore_usual_font(self) -> None:
        """When the window closes: the application's font and lines as they were."""
        app = QApplication.instance()
        app.setFont(usual_font())
        app.setProperty(_LINE_SCALE, 1.0)

    def geometry_to_keep(self) -> QByteArray:
        """The geometry to remember: the window's, or what it was before presenter mode."""
        return self._before_presenter.geometry if self.presenting else self.saveGeometry()
