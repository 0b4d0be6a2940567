"""Each view shows whole in the room the window gives it: hosted as the window hosts it (a
scroll area of exactly W×H), with the bundled model, a digit on the board and the test set
evaluated, it needs no scroll bar at 720×540 or 1000×600 (a 1366×768 laptop's view area with
the settings open or collapsed) nor at 680×430 (a 1024×640 screen's), and none of its labels or
buttons overlap, is cut short or lies outside."""

import pytest
from helpers.fit import hosted, problems, scrolls
from helpers.views import digit_image

from PySide6.QtWidgets import QLabel

from ffn_gui.views import VIEWS

SIZES = [(720, 540), (1000, 600), (680, 430)]


@pytest.fixture
def session(window, small_mnist):
    """The window's session: the bundled model, a digit on the board, data with a test set."""
    import numpy as np

    window.canvas.show_picture(np.kron(digit_image(), np.ones((10, 10))))
    window.set_data(small_mnist(200, 100))
    return window.session


def build(qtbot, session, name, width, height):
    cls = next(c for c in VIEWS if c.name == name)
    view = cls(session)
    scroll = hosted(qtbot, view, width, height)
    if name == "evaluation":
        qtbot.waitUntil(lambda: view.result is not None and not view.evaluating, timeout=20_000)
    view.flush()
    qtbot.wait(1)  # the layout settles after what the refresh showed
    return view, scroll


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", [c.name for c in VIEWS])
def test_each_view_shows_whole(qtbot, session, name, size):
    view, scroll = build(qtbot, session, name, *size)
    hint = view.minimumSizeHint()
    assert hint.width() <= 640 and hint.height() <= 400, f"{name}: minimum {hint.toTuple()}"
    assert not scrolls(scroll), f"{name} scrolls at {size}"
    assert view.size().toTuple() == size
    assert problems(view) == []


@pytest.mark.parametrize("size, side", [((1000, 600), 56), ((720, 540), 44)])
def test_weights_tiles_are_as_large_as_fit(qtbot, session, size, side):
    """The tiles a row follow the room's shape: at 1000×600, 15 a row of ~60 px (a square
    12×11 mosaic made them 48 px, with wide margins)."""
    view, _scroll = build(qtbot, session, "weights", *size)
    rect = view.canvas.image_rect()
    tile = rect.width() / (view.cols * 29)
    assert tile * 28 >= side, (view.cols, tile * 28)
    room_w, room_h = view._room()
    assert rect.width() >= 0.97 * room_w or rect.height() >= 0.97 * room_h


@pytest.mark.parametrize("size", [(720, 540), (680, 430)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_my_digits_rows_and_the_fine_tune_line_fit_a_laptop_view(qtbot, session, size):
    """Ten digits of each kind: all ten rows show without scrolling (two columns of five),
    and the fine-tune's line is in sight under them."""
    import numpy as np
    from PySide6.QtWidgets import QScrollArea

    store = session.my_digits
    for label in np.repeat(np.arange(10), 10):
        store.add(digit_image(int(label)), int(label))
    view, _scroll = build(qtbot, session, "my digits", *size)
    rows = view.findChild(QScrollArea)
    assert not rows.verticalScrollBar().isVisible()
    report = view.report.geometry()
    assert view.report.isVisible() and view.rect().contains(report)
    assert rows.geometry().bottom() < report.top()


@pytest.mark.parametrize("name", [c.name for c in VIEWS])
def test_each_view_takes_a_larger_font_while_shown(qtbot, session, name):
    """Presenter mode's fonts (1.5×), set while the view is shown: at 1000×600 it still shows
    whole, its fixed-height lines grown with the font (none cut)."""
    view, scroll = build(qtbot, session, name, 1000, 600)
    font = scroll.font()
    font.setPointSizeF(1.5 * font.pointSizeF())
    scroll.setFont(font)
    qtbot.waitUntil(lambda: view.font().pointSizeF() == font.pointSizeF())
    view.flush()
    qtbot.wait(1)
    assert not scrolls(scroll), f"{name} scrolls with a 1.5× font"
    assert problems(view) == []
    for label in view.findChildren(QLabel):  # the two-line labels of a fixed height
        if label.wordWrap() and label.maximumHeight() == label.minimumHeight() < 1000:
            assert label.height() >= 2 * label.fontMetrics().lineSpacing(), label.text()


def test_a_very_wide_network_view_has_the_neuron_panel_beside_the_diagram(qtbot, session):
    from PySide6.QtCore import Qt

    session.inspection.select(0, 13)
    view, scroll = build(qtbot, session, "network", 1300, 560)
    assert view.split.orientation() == Qt.Orientation.Horizontal
    assert view.panel.width() >= 300 and view.diagram.width() > 2 * view.panel.width()
    assert not scrolls(scroll) and problems(view) == []
    scroll.resize(1000, 600)  # back to a laptop's shape: under it
    qtbot.waitUntil(lambda: view.split.orientation() == Qt.Orientation.Vertical)
    assert problems(view) == []
