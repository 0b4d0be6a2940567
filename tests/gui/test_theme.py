"""Colours from the palette: secondary text readable in light and dark, and following the
platform's colour scheme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from ffn_gui.shell import theme
from ffn_gui.shell.theme import dark_palette, is_dark, secondary_text


@pytest.fixture
def app():
    app = QApplication.instance()
    before = QPalette(app.palette())
    yield app
    theme.set_theme(app, "system")  # what a test chose ends with it
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


def plot_background(window) -> QColor:
    return window.plots.graphics.backgroundBrush().color()


def test_the_theme_menu_sets_the_palette_recolours_the_plots_and_is_remembered(app, window,
                                                                               qtbot):
    from ffn_gui import MainWindow

    menu = window.submenus["&Theme"]
    assert menu.menuAction() in window.menus["&View"].actions()
    assert [a.text() for a in menu.actions()] == ["Follow the &system", "&Light", "&Dark"]
    assert window.theme_system_action.isChecked() and not is_dark(app.palette())
    light_background = plot_background(window)
    window.theme_dark_action.trigger()
    assert window.theme_dark_action.isChecked() and not window.theme_system_action.isChecked()
    assert is_dark(app.palette()) and window.settings.theme() == "dark"
    qtbot.waitUntil(lambda: plot_background(window).lightness() < 80)
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the desktop turns light
    assert is_dark(app.palette())  # Dark stays dark
    again = MainWindow(window.settings, search_data=False)  # the next launch
    qtbot.addWidget(again)
    assert again.theme_dark_action.isChecked() and is_dark(app.palette())
    window.theme_light_action.trigger()
    assert not is_dark(app.palette()) and window.settings.theme() == "light"
    qtbot.waitUntil(lambda: plot_background(window) == light_background)


def test_light_stays_light_on_a_dark_desktop_and_follow_the_system_follows_it_again(app,
                                                                                   window):
    window.theme_light_action.trigger()
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop turns dark
    assert not is_dark(app.palette())
    window.theme_system_action.trigger()
    assert window.settings.theme() == "system"
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app.palette())
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())


def test_light_is_light_where_the_style_palette_follows_a_dark_desktop(app, monkeypatch):
    monkeypatch.setattr(app.style(), "standardPalette", dark_palette)
    theme.set_theme(app, "light")
    assert not is_dark(app.palette())


def test_an_unknown_or_mistyped_stored_theme_is_follow_the_system(app, tmp_path):
    from PySide6.QtCore import QSettings

    from ffn_gui.state.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    for value in ("purple", 3, ""):
        settings.store.setValue("window/theme", value)
        assert settings.theme() == "system"
    with pytest.raises(ValueError, match="unknown theme 'purple'"):
        theme.set_theme(app, "purple")
