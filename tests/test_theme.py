"""Colours from the palette: secondary text readable in light and dark, and following the
platform's colour scheme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from ffn_gui import theme
from ffn_gui.theme import dark_palette, is_dark, secondary_text


@pytest.fixture
def app():
    app = QApplication.instance()
    before = QPalette(app.palette())
    yield app
    app.setPalette(before)


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
               for x in c.getRgbF()[:3]]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _text_and_window(label: QLabel) -> tuple[QColor, QColor]:
    p = label.palette()
    return p.color(QPalette.ColorRole.WindowText), p.color(QPalette.ColorRole.Window)


def test_secondary_text_is_quieter_but_readable_in_light_and_dark(app, qtbot):
    app.setPalette(app.style().standardPalette())
    label = QLabel("Fast: 3 epochs")
    qtbot.addWidget(label)
    secondary_text(label)
    label.show()
    text, window = _text_and_window(label)
    normal = app.palette().color(QPalette.ColorRole.WindowText)
    assert 4.5 <= contrast(text, window) < contrast(normal, window)
    app.setPalette(dark_palette())
    qtbot.waitUntil(lambda: _text_and_window(label)[1].lightness() < 80)
    text, window = _text_and_window(label)
    assert text.lightness() > 128 and contrast(text, window) >= 4.5


def test_a_dark_platform_scheme_gives_a_dark_palette_and_light_takes_it_back(app):
    app.setPalette(app.style().standardPalette())
    theme.follow_color_scheme(app)
    assert not is_dark(app.palette())  # offscreen: the scheme is Unknown, nothing changes
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())


def test_a_style_that_turns_dark_itself_is_left_alone(app):
    app.setPalette(dark_palette())
    own = QPalette(app.palette())
    own.setColor(QPalette.ColorRole.Window, QColor(10, 40, 10))  # the style's own dark
    app.setPalette(own)
    theme.follow_color_scheme(app)
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert app.palette().color(QPalette.ColorRole.Window) == QColor(10, 40, 10)
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app.palette().color(QPalette.ColorRole.Window) == QColor(10, 40, 10)  # not ours
