"""My digits in the window's parts, standalone: labelling the board's drawing, the view's groups,
delete, relabel, import and export, and the notice for a damaged file."""

import numpy as np
import pytest
from helpers.handwriting import replay_strokes
from PySide6.QtCore import Qt

from core.mydigits import MyDigits, default_path
from ffn_gui.board.canvas import DrawingCanvas
from ffn_gui.state.my_digits import LabelBar, MyDigitsStore, label_drawing
from ffn_gui.state.session import Session
from ffn_gui.views.mydigits_view import MyDigitsView


@pytest.fixture
def canvas(qtbot):
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(280, 280)
    c.show()
    qtbot.waitExposed(c)
    return c


def draw_a_one(canvas):
    board = canvas.board_rect()
    x = board.x() + board.width() / 2
    replay_strokes(canvas, [np.array([[x, board.y() + board.height() * t] for t in
                                      np.linspace(0.2, 0.8, 12)])])


def test_labelling_stores_the_drawing_as_read_with_its_strokes_and_clears(qtbot, canvas):
    session = Session()
    store = session.my_digits
    assert isinstance(store, MyDigitsStore) and store is session.my_digits
    assert store.digits.path == default_path()
    assert "qt-home" in str(default_path())  # the tests' own data folder, never the user's
    assert label_drawing(store, session, canvas, 1).startswith("Draw a digit first")
    draw_a_one(canvas)
    with qtbot.waitSignal(store.changed):
        assert label_drawing(store, session, canvas, 1) == "Added a 1 to my digits — 1 so far"
    assert canvas.is_empty()
    again, notice = MyDigits.open(default_path())
    assert notice is None and again.labels.tolist() == [1]
    assert again.images[0].max() > 200 and again.images[0][:, :8].max() == 0  # centred
    assert len(again.strokes[0]) == 1 and len(again.strokes[0][0]["points"]) >= 2


def test_label_bar_says_which_digit(qtbot):
    bar = LabelBar()
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.labelled) as got:
        qtbot.mouseClick(bar.buttons[7], Qt.MouseButton.LeftButton)
    assert got.args == [7]


@pytest.fixture
def view(qtbot):
    session = Session()
    store = session.my_digits
    rng = np.random.default_rng(0)
    for label in (3, 3, 5, 9):
        store.add(rng.random((28, 28)).astype(np.float32), label)
    v = MyDigitsView(session)
    qtbot.addWidget(v)
    v.resize(900, 700)
    v.show()
    qtbot.waitExposed(v)
    v.flush()
    return v


def test_the_view_groups_by_label_with_counts(view):
    assert [len(g) for g in view.groups] == [0, 0, 0, 2, 0, 1, 0, 0, 0, 1, 0]
    assert "×2" in view.counts[3].text() and "×0" in view.counts[0].text()
    assert view.galleries[3].keys == view.groups[3]
    np.testing.assert_array_equal(view.galleries[3].gallery.images,
                                  view.store.digits.images[view.store.digits.labels == 3])


def test_select_relabel_and_delete(view, qtbot):
    gallery = view.galleries[3]
    qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton,
                     pos=gallery.item_rect(1).center())
    chosen = view.groups[3][1]
    assert view.selected == chosen and view.delete_button.isEnabled()
    view.relabel_box.activated.emit(8 + 1)  # "8" (entry 0 is the prompt)
    assert chosen in view.groups[8] and len(view.groups[3]) == 1
    assert MyDigits.open(default_path())[0].digit(chosen).label == 8
    view.select(chosen)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert chosen not in sum(view.groups, []) and len(MyDigits.open(default_path())[0]) == 3


def test_export_then_import(view, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(MyDigitsView, "ask_path", lambda self, kind: str(tmp_path / "mine.npz"))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "mine-images-idx3-ubyte").is_file()
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    view.flush()
    assert [len(g) for g in view.groups] == [0, 0, 0, 4, 0, 2, 0, 0, 0, 2, 0]
    monkeypatch.setattr(MyDigitsView, "ask_path", lambda self, kind: str(tmp_path / "nope.npz"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    assert view.problem.isVisible() and "nope.npz" in view.problem.text()


def test_a_damaged_file_is_set_aside_and_the_user_told(qtbot):
    default_path().parent.mkdir(parents=True, exist_ok=True)
    default_path().write_bytes(b"not my digits")
    v = MyDigitsView(Session())
    qtbot.addWidget(v)
    v.show()
    v.flush()
    assert v.problem.isVisible() and "set aside" in v.problem.text()
    aside = list(default_path().parent.glob("my-digits.damaged-*.npz"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"not my digits"
    assert len(v.store) == 0 and "No digits" in v.summary.text()
