"""The network view's step-through, driven as a student drives it: clicks on ▶ and ◀, the → and
← keys, Home and Esc. Every stage it visits and every number it shows is core.walkthrough's."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.fit import hosted, plain, problems, scrolls
from helpers.views import digit_image, host, make_session
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTabWidget

from core.walkthrough import walkthrough
from ffn_gui.state.session import Drawing
from ffn_gui.views import BackpropView, NetworkView, colors
from ffn_gui.views.backprop_view import step_size
from ffn_gui.views.walkthrough_text import num

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def labelled(session, x28, label=None, source="test digit #4"):
    net = session.reader
    probs = net.predict_proba(x28.reshape(1, -1))[0]
    session.set_drawing(Drawing(x28, x28, probs, net, source, label))


@pytest.fixture(params=[("relu", "cross_entropy", (784, 32, 24, 10)),
                        ("sigmoid", "quadratic", (784, 30, 10))], ids=["relu-ce", "notes"])
def hosted_view(qtbot, request):
    activation, cost, sizes = request.param
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.resize(1300, 800)
    session = make_session(activation, cost, sizes)
    network, backprop = host(tabs, session, NetworkView, BackpropView)
    labelled(session, digit_image(), label=3)
    qtbot.waitUntil(lambda: network.activations is not None and not network.dirty)
    return network, backprop, tabs


def core_walk(view, label):
    session = view.session
    x = np.asarray(session.drawing.x28).ravel()
    return walkthrough(session.model.network, x, label,
                       step_size(session.model, session.train_config))


def check_shown(walk, text: str, shown) -> None:
    """Each number in the text is core's, at the index it names, and is written as shown."""
    stage = walk.stage
    j, _k = walk.jk
    assert shown, "no number shown"
    for name, index, value in shown:
        if name == "rest" or name == "carried":
            continue
        assert value == float(getattr(stage, name)[index]), (stage.kind, name, index)
        assert num(value) in text, (name, num(value))
    carried = [v for name, _i, v in shown if name == "carried"]
    if carried:
        expected = float(np.dot(stage.w_next[:, j].astype(float), stage.delta_next))
        assert carried[0] == pytest.approx(expected, rel=1e-9)
        assert np.isclose(carried[0] * float(stage.prime[j]), float(stage.delta[j]), rtol=1e-5)


def test_stepping_visits_every_layer_forward_and_back_with_cores_numbers(qtbot, hosted_view):
    view, _backprop, _tabs = hosted_view
    walk = view.walk
    QTest.mouseClick(walk.on, LEFT)  # ▶ Step through
    assert walk.active and walk.text.isVisible() and not view.panel.isVisible()
    assert view.diagram.hasFocus()
    expected = core_walk(view, 3)
    visited = []
    for i in range(len(expected.stages)):
        view.flush()
        assert walk.index == i and walk.walk.label == 3
        mine, core = walk.stage, expected.stages[i]
        assert (mine.kind, mine.layer) == (core.kind, core.layer)
        for name in ("z", "a", "delta", "grad_w", "grad_b", "w_new", "b_new"):
            ours, theirs = getattr(mine, name), getattr(core, name)
            assert (ours is None) == (theirs is None)
            if ours is not None:
                assert np.array_equal(ours, theirs), (mine.kind, mine.layer, name)
        text = plain(walk.text)
        check_shown(walk, text, walk.shown)
        assert f"layer {mine.layer}" in text or f"L = {mine.layer}" in text
        assert view.diagram.caption[0] == mine.layer - 1
        if mine.delta is not None:  # backward, the framed layer's cells are its δ
            legend = view.diagram.legends[-1]
            assert legend.title == "δ (framed)" and legend.hi >= np.abs(mine.delta).max()
            grid = colors.as_grid(mine.delta, view.columns[mine.layer - 1].shape)
            assert np.array_equal(view.diagram.images[mine.layer - 1],
                                  colors.signed_rgba(grid, legend.hi))
        visited.append((mine.kind, mine.layer))
        if i % 2:
            QTest.keyClick(view.diagram, Qt.Key.Key_Right)
        else:
            QTest.mouseClick(walk.on, LEFT)
    L = len(view.network.sizes)
    assert visited == ([("forward", l) for l in range(2, L + 1)] + [("BP1", L)]
                       + [("BP2", l) for l in range(L - 1, 1, -1)]
                       + [("BP3-4", l) for l in range(L, 1, -1)]
                       + [("update", l) for l in range(2, L + 1)])
    assert walk.index == len(expected.stages) - 1 and not walk.on.isEnabled()  # the end
    QTest.keyClick(view.diagram, Qt.Key.Key_Left)
    QTest.mouseClick(walk.back, LEFT)
    assert walk.index == len(expected.stages) - 3
    cells = list(view.diagram.images)  # a late stage of layer 2: its cells show δ²
    walk.start()  # again, from the first stage: the cells are the view's, not a stale δ
    assert walk.index == 0 and walk.stage.kind == "forward"
    assert not np.array_equal(view.diagram.images[1], cells[1])
    QTest.keyClick(view.diagram, Qt.Key.Key_Escape)
    assert not walk.active and view.panel.isVisible() and not walk.text.isVisible()
    assert view.diagram.marks == [] and view.diagram.caption is None
    assert [legend.title for legend in view.diagram.legends] == ["activation a",
                                                                 "contribution w·a"]


def test_y_is_the_label_else_the_backprop_digit_else_assumed(qtbot, hosted_view):
    view, backprop, tabs = hosted_view
    QTest.keyClick(view.diagram, Qt.Key.Key_Right)  # → starts it too
    assert view.walk.active and view.walk.walk.label == 3
    assert view.walk.given == " (test digit #4's label)"
    for _ in range(len(view.network.sizes) - 1):  # to BP1, which says where y comes from
        QTest.keyClick(view.diagram, Qt.Key.Key_Right)
    assert view.walk.stage.kind == "BP1"
    assert "y = 3 (test digit #4's label)" in plain(view.walk.text)
    labelled(view.session, digit_image(1), label=None, source="the board")
    view.flush()
    answer = int(np.argmax(view.network.feedforward(digit_image(1).reshape(1, -1))[0]))
    assert view.walk.walk.label == answer and "assumed" in view.walk.given
    tabs.setCurrentWidget(backprop)
    backprop.setFocus()
    given = (answer + 1) % 10
    QTest.keyClick(backprop, Qt.Key.Key_0 + given)  # the user says what the digit is
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: not view.dirty)
    view.flush()
    assert view.walk.walk.label == given and "Backprop" in view.walk.given
    assert view.walk.stage.y[given] == 1 and f"y = {given} (given in Backprop)" in \
        plain(view.walk.text)
    QTest.keyClick(view.diagram, Qt.Key.Key_Home)
    assert not view.walk.active


def test_a_clicked_neuron_is_the_one_worked(qtbot, hosted_view):
    view, _backprop, _tabs = hosted_view
    QTest.mouseClick(view.walk.on, LEFT)  # forward, layer 2 (the first hidden layer)
    assert view.walk.stage.layer == 2
    k = 5
    p = view.diagram.to_widget(*[float(v[0]) for v in view.columns[1].centres(np.array([k]))])
    QTest.mouseClick(view.diagram, LEFT, NONE, QPoint(round(p.x()), round(p.y())))
    qtbot.waitUntil(lambda: view.walk.jk is not None and view.walk.jk[0] == k)
    assert f"j = {k}:" in plain(view.walk.text)
    assert f"{num(view.walk.stage.z[k])}" in plain(view.walk.text)
    QTest.keyClick(view.diagram, Qt.Key.Key_Right)  # layer 3: the clicked neuron is not in it
    assert view.walk.jk[0] == int(np.argmax(view.walk.stage.a))


def test_esc_steps_out_instead_of_reaching_the_windows_stop(qtbot, window):
    """In the window Esc is Stop; while stepping, with the view's keys, it leaves the walk."""
    window.canvas.show_picture(np.kron(digit_image(), np.ones((10, 10))))
    view = window.show_view("network")
    qtbot.waitUntil(lambda: view.isVisible() and view.network is not None)
    view.flush()
    stopped = []
    window.stop_training = lambda: stopped.append(True)
    window.stop_action.setEnabled(True)  # as during a run
    window.activateWindow()
    QTest.mouseClick(view.walk.on, LEFT)
    QApplication.processEvents()
    assert view.walk.active and view.diagram.hasFocus()
    QTest.keyClick(view.diagram, Qt.Key.Key_Escape)
    assert not view.walk.active and stopped == []
    QTest.keyClick(view.diagram, Qt.Key.Key_Escape)  # not stepping: Esc is Stop again
    assert stopped == [True]


@pytest.mark.parametrize("size", [(720, 540), (680, 430)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_stepping_fits_a_laptop_view(qtbot, window, size):
    window.canvas.show_picture(np.kron(digit_image(), np.ones((10, 10))))
    view = NetworkView(window.session)
    scroll = hosted(qtbot, view, *size)
    view.flush()
    QTest.mouseClick(view.walk.on, LEFT)
    text = view.walk.text
    for i in range(len(view.walk.walk.stages)):  # each stage's text, whole in its lines
        doc = QTextDocument()
        doc.setDefaultFont(text.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text.text())
        doc.setTextWidth(text.contentsRect().width())
        assert doc.size().height() <= text.contentsRect().height() + 1, (i, plain(text))
        if i == 4:  # BP2 has about the longest text
            view.flush()
            qtbot.wait(1)
            assert not scrolls(scroll)
            assert problems(view) == []
            assert view.diagram.height() >= 200
        QTest.keyClick(view.diagram, Qt.Key.Key_Right)


@pytest.mark.parametrize("size", [(1300, 800), (1700, 600)], ids=["under", "beside"])
def test_the_text_is_under_the_diagram_and_the_neuron_panel_comes_back(qtbot, hosted_view,
                                                                       size):
    """With the neuron panel under the diagram or beside it (a wide view), stepping hides it
    and the text spans the diagram's width; leaving gives the panel back its room."""
    view, _backprop, tabs = hosted_view
    tabs.resize(*size)
    qtbot.waitUntil(lambda: view.split.orientation() == (
        Qt.Orientation.Horizontal if size[0] > 1.9 * view.height() else Qt.Orientation.Vertical))
    view.flush()
    before = view.split.sizes()
    QTest.mouseClick(view.walk.on, LEFT)
    qtbot.waitUntil(lambda: view.walk.text.isVisible() and not view.panel.isVisible())
    text = view.walk.text.geometry()
    assert text.width() >= view.diagram.width() - 8 and text.top() > view.diagram.geometry().top()
    QTest.mouseClick(view.walk.leave_button, LEFT)
    qtbot.waitUntil(lambda: view.panel.isVisible())
    assert view.split.sizes() == before
