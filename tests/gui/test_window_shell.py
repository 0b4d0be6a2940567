"""The window as a shell: views hosted in tabs and opened by name, help for each view, the
action table, a finished run as one object."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from shiboken6 import isValid

from core.training import TrainConfig
from ffn_gui import MainWindow
from ffn_gui.shell.actions import ACTIONS
from ffn_gui.shell.dialogs import NOTES_LINK
from ffn_gui.views import VIEWS
from ffn_gui.views.base import View
from ffn_gui.work.training_controller import RunFuture

SMALL = TrainConfig(hidden=(32,), epochs=2, validation=100, batch_size=32, optimizer="adam",
                    learning_rate=0.005, cost="cross_entropy", activation="relu")


def test_every_view_is_hosted_in_a_tab_and_opened_by_name(window):
    tabs = window.view_tabs
    assert [type(tabs.view_at(i)) for i in range(tabs.count())] == VIEWS
    for cls in VIEWS:
        view = window.show_view(cls.name)
        assert isinstance(view, cls) and tabs.current_view() is view
        assert view.isVisible() and view.help_text and view.title
    assert window.show_view("prediction") is window.prediction_view


def test_an_unknown_view_name_gets_a_clear_error(window):
    with pytest.raises(LookupError, match="no view called 'nope'.*plots"):
        window.show_view("nope")


def test_the_current_tab_is_remembered_between_launches(window, qtbot, monkeypatch):
    class Other(View):
        name, title, help_text = "other", "Other", "<p>another view</p>"

        def refresh(self):
            pass

    monkeypatch.setattr("ffn_gui.shell.view_tabs.VIEWS", [*VIEWS, Other])
    first = MainWindow(search_data=False)
    qtbot.addWidget(first)
    first.show_view("other")
    first.close()
    again = MainWindow(search_data=False)
    qtbot.addWidget(again)
    assert again.view_tabs.current_name() == "other"
    again.close()


def test_each_views_info_button_and_the_help_menu_explain_it(window, qtbot):
    for view in window.views.values():
        if view.name in window.view_tabs.views:
            window.show_view(view.name)
        qtbot.mouseClick(view.info_button, Qt.MouseButton.LeftButton)
        title, text = window.last_message
        assert view.title in title and text == view.help_text
    window.show_view("plots")
    window.view_tabs.setFocus()
    window.what_action.trigger()
    assert window.last_message == (f"What am I looking at? — {window.views['plots'].title}",
                                   window.views["plots"].help_text)
    assert "augment" in window.views["plots"].help_text  # why the epoch cost sits lower
    assert "plateau" in window.views["plots"].help_text


def click_link(qtbot, browser, text: str) -> None:
    """A left click on the middle of the first character of ``text`` in a help sheet."""
    cursor = browser.document().find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1)
    at = browser.cursorRect(cursor).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_the_notes_are_explained_from_the_seed_presets_line_and_from_about(window, qtbot,
                                                                          monkeypatch):
    if not window.settings_action.isChecked():
        window.settings_action.trigger()  # View → Training settings: the side panel opens
    panel = window.training_panel
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("seed"))
    line = panel.preset_help
    assert line.text().startswith(f'<a href="{NOTES_LINK}">the notes</a>: sigmoid')
    qtbot.waitUntil(line.isVisible)
    height = line.fontMetrics().height()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(height, height // 2 + 1))
    qtbot.waitUntil(lambda: window.last_message is not None)
    title, text = window.last_message
    assert title == "About the notes"
    for fact in ("Nielsen", "chapters 1–2", "784-128-128-10 sigmoid", "Layer 1 is the input",
                 "C = ½‖y − aᴸ‖²", "BP1", "BP4", "w ← w − (α/m)Σ∇w", "modern options",
                 "<i>seed</i> preset is this network"):
        assert fact in text, fact
    notes = window.message_box
    assert notes.isVisible()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    book = "http://neuralnetworksanddeeplearning.com/"
    click_link(qtbot, notes.browser, "neuralnetworksanddeeplearning.com")
    assert opened == [book]  # the book opens in the browser
    notes.close()

    window.about_action.trigger()  # Help → About ffn-gui links to the same page
    about = window.message_box
    assert NOTES_LINK in window.last_message[1]
    click_link(qtbot, about.browser, "More about the notes")
    qtbot.waitUntil(lambda: window.last_message == ("About the notes", text))
    qtbot.waitUntil(lambda: not isValid(about) or not about.isVisible())  # replaced, not piled
    window.message_box.close()


def test_the_menus_are_the_action_table(window):
    for spec in ACTIONS:
        action = getattr(window, f"{spec.name}_action")
        menu = window.submenus[spec.group] if spec.group else window.menus[spec.menu]
        assert action in menu.actions(), spec.name
        if spec.group:
            assert menu.menuAction() in window.menus[spec.menu].actions()
        assert action in window.actions()  # its shortcut works wherever the focus is
        assert action.text() == spec.text


def test_a_run_future_carries_the_outcome_or_the_exception():
    done = RunFuture(config=None, outcome="outcome")
    assert done.result() == "outcome" and done.exception() is None and done.value == "outcome"
    error = RuntimeError("boom")
    failed = RunFuture(config=None, error=error)
    assert failed.exception() is error and failed.value is error
    with pytest.raises(RuntimeError, match="boom"):
        failed.result()


def test_hidden_views_get_progress_only_as_dirty_marks(window, qtbot, small_mnist):
    class Counting(View):
        name, title, help_text = "counting", "Counting", "counts"

        def __init__(self, session):
            super().__init__(session)
            session.run_progress.connect(self.request_refresh)
            session.reader_changed.connect(self.request_refresh)

        def refresh(self):
            pass

    hidden = Counting(window.session)
    window.view_tabs.add_view(hidden, window.show_help)
    window.show_view("plots")
    window.set_data(small_mnist(600, 100))
    window.training_panel.set_config(SMALL)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.start_training()
    assert hidden.refreshes == 0 and hidden.dirty
    window.show_view("counting")
    qtbot.waitUntil(lambda: hidden.refreshes == 1)


def test_the_prediction_says_how_far_into_the_run_its_network_is(qtbot):
    import numpy as np

    from core.network import Network
    from core.training import BatchProgress
    from ffn_gui.state.session import Run, Session
    from ffn_gui.views.prediction_view import PredictionView

    session = Session()
    view = PredictionView(session)
    qtbot.addWidget(view)
    view.show()
    session.start_run(Run(SMALL))
    session.set_reader(Network([784, 10], rng=np.random.default_rng(0)))  # a run's snapshot
    assert view.pane.status_label.text().endswith("not trained yet (epoch 0)")
    session.run_progress.emit((BatchProgress(1, 2, 40, 100, 0.9, 1280, 1.0),))
    session.set_reader(Network([784, 10], rng=np.random.default_rng(1)))
    assert view.pane.status_label.text() == \
        "Live: the network being trained, as of epoch 0.4"


def test_the_title_is_short_and_the_description_is_in_the_model_line(window):
    title = window.windowTitle()
    assert title == "bundled[*] — ffn-gui" or title == "bundled — ffn-gui"
    line = window.prediction_pane.status_label.text()
    assert line.startswith("bundled (default preset") and "test accuracy" in line


@pytest.mark.parametrize("size", [(1280, 720), (1024, 640)])
@pytest.mark.parametrize("settings_open", [False, True])
def test_nothing_overlaps_on_a_small_screen(window, qtbot, size, settings_open):
    window.set_settings_open(settings_open)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().height() <= size[1])
    assert window.minimumSizeHint().width() <= size[0] - 20
    assert window.minimumSizeHint().height() <= size[1] - 40  # the title bar

    def rect(widget):
        return widget.geometry().translated(widget.parentWidget().mapTo(window, QPoint(0, 0)))

    panel = window.training_panel
    parts = [window.draw_box, window.prediction_view, panel.run_bar, window.view_tabs,
             panel.data_line] + ([panel] if settings_open else [])
    assert panel.isVisible() is settings_open
    for i, a in enumerate(parts):
        assert window.rect().contains(rect(a)), a
        for b in parts[i + 1:]:
            assert not rect(a).intersects(rect(b)), (a, b)
    canvas, tools = window.canvas, window.draw_box.brush_slider
    assert rect(canvas).bottom() < rect(tools).top()
    pane = window.prediction_pane
    assert rect(pane.bars).bottom() < rect(pane.status_label).top()
    assert rect(pane.status_label).bottom() <= rect(window.prediction_view).bottom()


def test_a_closed_window_is_freed(qtbot):
    """Nothing outlives a closed window and holds it: the soak opens and closes a hundred (a
    parentless ⓘ button's click kept each alive, 2 MB a window)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    from ffn_gui import MainWindow

    refs = []
    for _ in range(2):
        w = MainWindow(search_data=False)
        w.show()
        qtbot.waitExposed(w)
        w.show_view("backprop")  # another view's ⓘ on the tab bar
        w.close()
        w.deleteLater()
        refs.append(weakref.ref(w))
        del w
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [r() for r in refs] == [None, None]
