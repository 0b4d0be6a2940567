"""The workspace (issue 19): every view gets most of a 1366×768 window and fits it without
scrolling; nothing overlaps or is cut at 1366×768 and 1024×640; the help fits the screen;
presenter mode, the zoom, the view shortcuts and the Tab order, through keys and menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QWidget,
)

from ffn_gui.shell.dialogs import SHEET_MAX
from ffn_gui.views import VIEWS
from ffn_gui.widgets.labels import OneLine
from ffn_gui.widgets.settings_form import ErrorLine

LAPTOP, SMALL = (1366, 768), (1024, 640)
ELIDING = (OneLine, ErrorLine)  # labels that end a long text in "…" by design (tooltip: all)


def open_at(window, qtbot, size, settings_open: bool) -> None:
    window.set_settings_open(settings_open)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size() == QSize(*size))
    settle(lambda: (window.view_tabs.size(), window.training_panel.size()))


def show(window, qtbot, name: str):
    view = window.show_view(name)
    qtbot.waitUntil(view.isVisible)
    page = window.view_tabs.currentWidget()  # the view's scroll area
    settle(lambda: (page.viewport().size(), view.size(), window.size()))
    return page


def settle(state, rounds: int = 20) -> None:
    """Run the posted layout requests until ``state()`` stops changing (a scroll bar that
    comes takes a few rounds: the view's size, then the bar, then the view's width again)."""
    last = None
    for _ in range(rounds):
        QApplication.processEvents()
        now = state()
        if now == last:
            return
        last = now


def in_window(widget: QWidget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown(window, kind) -> list:
    return [w for w in window.findChildren(kind) if w.isVisible() and w.width() > 0]


def problems(window) -> list[str]:
    """Overlapping labels or buttons (among siblings), labels cut, buttons out of sight."""
    found = []
    parts = shown(window, QLabel) + shown(window, QAbstractButton)
    by_parent: dict[int, list[QWidget]] = {}
    for w in parts:
        by_parent.setdefault(id(w.parentWidget()), []).append(w)
    for siblings in by_parent.values():
        for i, a in enumerate(siblings):
            for b in siblings[i + 1:]:
                if a.geometry().intersects(b.geometry()):
                    found.append(f"{describe(a)} overlaps {describe(b)}")
    for label in shown(window, QLabel):
        if isinstance(label, ELIDING) or label.wordWrap() or not label.text():
            continue
        if label.sizeHint().width() > label.width() + 1:
            found.append(f"{describe(label)} is cut: needs {label.sizeHint().width()} px, "
                         f"has {label.width()}")
    for button in shown(window, QAbstractButton):
        rect = in_window(button, window)
        if not button.parentWidget().rect().contains(button.geometry()):
            found.append(f"{describe(button)} at {rect.getRect()} is cut by its parent")
        elif not window.rect().contains(rect) and not scrolls(button):
            found.append(f"{describe(button)} at {rect.getRect()} is outside the window")
    return found


def scrolls(widget: QWidget) -> bool:
    """True inside a scroll area (what is out of sight is a scroll away)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__} {text[:30]!r}"


def scroll_problem(window, page) -> str | None:
    """How much more room the current view needs than it gets, if it scrolls."""
    bars = page.verticalScrollBar(), page.horizontalScrollBar()
    if not any(bar.isVisible() for bar in bars):
        return None
    need = page.widget().size()  # what the scroll area gave it: its minimum, or height for width
    have = page.viewport().size()
    return (f"{window.view_tabs.current_name()} scrolls: needs {need.width()}×{need.height()}, "
            f"gets {have.width()}×{have.height()}")


@pytest.mark.parametrize("settings_open, share", [(False, 0.60), (True, 0.45)])
def test_every_view_gets_its_share_of_a_laptop_window_and_does_not_scroll(
        window, qtbot, settings_open, share):
    open_at(window, qtbot, LAPTOP, settings_open)
    assert window.training_panel.isVisible() is settings_open
    scrolling = []
    for name in window.view_tabs.views:
        page = show(window, qtbot, name)
        area = page.viewport().width() * page.viewport().height()
        assert area >= share * window.width() * window.height(), \
            f"{name}: {area / (window.width() * window.height()):.1%} of the window"
        problem = scroll_problem(window, page)
        if problem:
            scrolling.append(problem)
    assert not scrolling, "; ".join(scrolling)


@pytest.mark.parametrize("size", [LAPTOP, SMALL])
@pytest.mark.parametrize("settings_open", [False, True])
def test_nothing_overlaps_is_cut_or_out_of_the_window(window, qtbot, size, settings_open):
    open_at(window, qtbot, size, settings_open)
    found = []
    for name in window.view_tabs.views:
        show(window, qtbot, name)
        found += [f"{name}: {p}" for p in problems(window)]
    assert not found, "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("settings_open", [False, True])
def test_every_view_tab_is_in_sight_at_1024x640(window, qtbot, settings_open):
    open_at(window, qtbot, SMALL, settings_open)
    bar = window.view_tabs.tabBar()
    assert not bar.usesScrollButtons()
    assert bar.count() == len(VIEWS)
    for i in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(i)), bar.tabText(i)
        assert bar.tabRect(i).width() >= 40  # enough for a shortened title and its ⓘ


@pytest.mark.parametrize("room", [(1366, 728), (1280, 680), (1920, 1040)])
def test_the_default_size_fits_the_screen(room):
    from ffn_gui.shell.window_layout import MINIMUM, size_for

    size = size_for(QSize(*room))
    assert size.width() <= room[0] - 16 and size.height() <= room[1] - 40  # with its frame
    assert size.width() >= MINIMUM.width() and size.height() >= MINIMUM.height()
    if room == (1366, 728):  # a laptop: all of its screen
        assert size == QSize(1350, 688)


def test_the_settings_collapse_and_the_state_is_remembered(window, qtbot):
    from ffn_gui import MainWindow

    assert not window.training_panel.isVisible()  # collapsed at first: the view gets the room
    qtbot.mouseClick(window.settings_button, Qt.MouseButton.LeftButton)
    assert window.training_panel.isVisible() and window.settings_action.isChecked()
    total = sum(window.views_splitter.sizes())
    width = window.training_panel.minimumWidth() + 5
    window.views_splitter.setSizes([total - width, width])  # as if the user dragged it
    assert window.views_splitter.sizes()[1] == width
    window.close()
    again = MainWindow(search_data=False)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.training_panel.isVisible() and again.settings_action.isChecked()
    qtbot.waitUntil(lambda: again.views_splitter.sizes()[1] == width)
    again.settings_action.trigger()
    assert not again.training_panel.isVisible()
    again.close()


def test_alt_and_a_settings_letter_opens_the_settings_at_it(window, qtbot):
    activate(window, qtbot)
    window.canvas.setFocus()
    assert not window.training_panel.isVisible()
    QTest.keyClick(window.canvas, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # &Preset
    qtbot.waitUntil(window.training_panel.preset_combo.hasFocus)
    assert window.training_panel.isVisible()


def activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def key(window, qtbot, sequence: str) -> None:
    activate(window, qtbot)
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(QApplication.focusWidget() or window, combo.key(), combo.keyboardModifiers())


def test_presenter_mode_through_f11_and_the_menu_and_back_exactly(window, qtbot):
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: window.size() == QSize(1100, 700))
    geometry, size = window.geometry(), QApplication.font().pointSizeF()
    splitters = window.workspace.states()
    key(window, qtbot, "F11")
    qtbot.waitUntil(window.isFullScreen)
    assert window.presenter_action.isChecked() and window.presenting
    assert QApplication.font().pointSizeF() >= 1.5 * size
    from ffn_gui.shell.presenter import line_scale

    assert line_scale() >= 1.5
    curve = window.plots.smooth_cost.curve  # the training curves are drawn thicker, once
    qtbot.waitUntil(lambda: curve.opts["pen"].widthF() == 3)  # the font change reaches them
    window.presenter_action.trigger()  # View → Presenter mode, off
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.waitUntil(lambda: window.geometry() == geometry)
    assert QApplication.font().pointSizeF() == size and line_scale() == 1.0
    qtbot.waitUntil(lambda: curve.opts["pen"].widthF() == 2)
    assert window.workspace.states() == splitters
    window.presenter_action.trigger()  # and on again from the menu
    qtbot.waitUntil(window.isFullScreen)
    key(window, qtbot, "F11")
    qtbot.waitUntil(lambda: window.geometry() == geometry)


def test_presenter_mode_and_the_zoom_are_remembered(window, qtbot):
    from ffn_gui import MainWindow

    size = QApplication.font().pointSizeF()
    key(window, qtbot, "Ctrl+=")
    key(window, qtbot, "Ctrl+=")
    assert QApplication.font().pointSizeF() == pytest.approx(1.2 * size)
    key(window, qtbot, "Ctrl+-")
    assert QApplication.font().pointSizeF() == pytest.approx(1.1 * size)
    window.presenter_action.trigger()
    window.close()
    assert QApplication.font().pointSizeF() == size  # the application's font back as it was
    again = MainWindow(search_data=False)
    qtbot.addWidget(again)
    again.show()
    assert again.presenting and again.zoom_steps == 1
    assert QApplication.font().pointSizeF() == pytest.approx(1.1 * 1.5 * size)
    key(again, qtbot, "Ctrl+Shift+0")
    again.presenter_action.trigger()
    assert QApplication.font().pointSizeF() == size
    again.close()


def test_every_view_has_a_shortcut_and_ctrl_tab_goes_round(window, qtbot):
    names = list(window.view_tabs.views)
    for i, name in enumerate(names):
        window.show_view(names[(i + 1) % len(names)])
        key(window, qtbot, f"Alt+{i + 1}")
        assert window.view_tabs.current_name() == name
    window.show_view(names[-1])
    key(window, qtbot, "Ctrl+Tab")
    assert window.view_tabs.current_name() == names[0]
    key(window, qtbot, "Ctrl+Shift+Tab")
    assert window.view_tabs.current_name() == names[-1]
    window.show_shortcuts()
    f1 = window.last_message[1]
    for keys in ["Ctrl+Tab", "Ctrl+Shift+Tab", "F11", "Ctrl+="] + \
            [f"Alt+{i + 1}" for i in range(len(names))]:
        assert keys in f1


def test_tab_goes_board_prediction_run_bar_views(window, qtbot, small_mnist):
    from dataclasses import replace

    from core.training import PRESETS

    window.set_data(small_mnist(600, 100))  # Train is enabled, so it takes the focus too
    window.training_panel.set_config(replace(PRESETS["default"], validation=100))
    assert window.training_panel.train_button.isEnabled()
    activate(window, qtbot)
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    order = []
    for _ in range(40):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    panel = window.training_panel
    milestones = [window.draw_box.brush_slider, window.label_bar.buttons[0],
                  window.prediction_view.info_button, panel.train_button,
                  window.settings_button, window.view_tabs.tabBar()]
    positions = [order.index(w) for w in milestones]
    assert positions == sorted(positions)


def test_help_sheets_fit_a_laptop_screen(window, qtbot):
    room = window.screen().availableGeometry().height()
    sheets = [window.show_shortcuts(), window.show_about()]
    sheets += [window.show_help(view) for view in window.views.values()]
    for sheet in sheets:
        qtbot.waitExposed(sheet)
        assert sheet.height() <= min(SHEET_MAX.height(), room), sheet.windowTitle()
        assert sheet.rect().contains(sheet.close_button.geometry())
        sheet.close()
    f1 = window.show_shortcuts()
    qtbot.waitExposed(f1)
    assert f1.browser.verticalScrollBar().maximum() > 0  # the shortcuts scroll, whole
    QTest.keyClick(f1, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not f1.isVisible())
