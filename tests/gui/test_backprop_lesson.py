"""The backprop lesson through real events: the notes' numbering in every view's texts, BP1 on
readable scales with y marked, the saturation line and the cross-entropy switch of a sigmoid +
quadratic network, one step's ΔC beside −α‖∇C‖², and the gradient check at a weight of every
layer of a `seed` and a `default` network, all against core."""

import numpy as np
import pytest
from helpers.fit import hosted, problems, scrolls
from helpers.views import Model, digit_image, draw, host, make_session
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabWidget

from core import lesson
from core.network import Network
from core.train_config import TrainConfig, preset
from ffn_gui.state.session import Session
from ffn_gui.views import BackpropView, NetworkView
from ffn_gui.views.legend import short

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


@pytest.fixture
def tabs(qtbot):
    widget = QTabWidget()
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    return widget


def session_of(network: Network) -> Session:
    config = TrainConfig(hidden=tuple(network.sizes[1:-1]), activation=network.activation.name,
                         cost=network.cost.name)
    return Session(Model(network, "test", config))


def saturated_session() -> Session:
    """784-30-10 sigmoid + quadratic with the notes' N(0, 1) weights: saturated outputs."""
    return session_of(Network([784, 30, 10], "sigmoid", "quadratic", init="normal",
                              rng=np.random.default_rng(0)))


def click(widget, point) -> None:
    QTest.mouseClick(widget, LEFT, NONE, QPoint(round(point.x()), round(point.y())))


def press_digit(qtbot, view, digit: int) -> None:
    view.setFocus()
    qtbot.keyClick(view, getattr(Qt.Key, f"Key_{digit}"))
    view.flush()


def backprop_view(qtbot, tabs, session, x=None):
    (view,) = host(tabs, session, BackpropView)
    draw(session, digit_image() if x is None else x)
    qtbot.waitUntil(lambda: view.record is not None)
    return view


# --- 1: one numbering, the notes' -------------------------------------------------------------


def test_the_network_view_numbers_layers_as_the_notes(qtbot, tabs):
    session = make_session(sizes=(784, 32, 24, 10))
    (view,) = host(tabs, session, NetworkView)
    draw(session, digit_image())
    qtbot.waitUntil(lambda: view.activations is not None and not view.dirty)
    assert view.diagram.names == ["input (1)", "hidden (2)", "hidden (3)", "output (L)"]
    for column, k, name in ((1, 5, "layer 2 (hidden)"), (3, 7, "layer 4 = L (output)")):
        cx, cy = view.columns[column].centres(np.array([k]))
        pos = view.diagram.to_widget(float(cx[0]), float(cy[0]))
        QTest.mouseMove(view.diagram, QPoint(round(pos.x()), round(pos.y())))
        expected = f"neuron {k} of {name}:"
        qtbot.waitUntil(lambda t=expected: view.hover.text().startswith(t))
    cx, cy = view.columns[2].centres(np.array([3]))
    click(view.diagram, view.diagram.to_widget(float(cx[0]), float(cy[0])))
    qtbot.waitUntil(lambda: view.neuron is not None)
    view.flush()
    assert view.panel.title.text() == "Neuron 3 of layer 3 (hidden):"
    assert view.panel.incoming_plot.title == "incoming weights from layer 2 (hidden)"


def test_backprop_numbers_layers_as_the_notes(qtbot, tabs):
    view = backprop_view(qtbot, tabs, make_session(sizes=(784, 32, 24, 10)))
    assert view.grids.names == ["δ²: layer 2 (hidden)", "δ³: layer 3 (hidden)"]
    assert "∂C/∂w²ⱼₖ" in view.eq["bp4"].text() and "of layer 2" in view.eq["bp4"].text()
    click(view.grids, view.grids.to_widget(1, 4))  # a cell of δ³
    qtbot.waitUntil(lambda: view.selected == (1, 4))
    view.flush()
    assert "∂C/∂w³ⱼₖ = aₖ δ³ⱼ  for neuron j = 4 of layer 3" in view.eq["bp4"].text()
    click(view.bp1, view.bp1.to_widget(6, 0))  # output 6's δᴸ
    qtbot.waitUntil(lambda: view.selected == (2, 6))
    view.flush()
    assert "∂C/∂wᴸⱼₖ = aₖ δᴸⱼ  for neuron j = 6 of layer 4" in view.eq["bp4"].text()


# --- 2: readable BP1, saturation and the cross-entropy switch ----------------------------------


def test_bp1_of_a_saturated_quadratic_network_is_readable_and_says_why(qtbot, tabs):
    session = saturated_session()
    view = backprop_view(qtbot, tabs, session)
    label = int(np.argmin(view.record.output))  # the true output sits near 0: wrong and flat
    press_digit(qtbot, view, label)
    rec = view.record
    assert rec.label == label and np.array_equal(view.outputs.targets, np.eye(10)[label])
    charts = view.bp1_panel.charts
    for key, values in (("diff", rec.a_minus_y), ("prime", rec.sigma_prime),
                        ("delta", rec.delta[-1])):
        chart = charts[key]
        assert chart.isVisible() and np.array_equal(chart.values[0], values)
        lo, hi = chart.y_range  # its own axis, which its values fill at least a quarter of
        assert np.abs(values).max() >= 0.25 * max(abs(lo), abs(hi)), key
    saturated = lesson.saturated(rec)
    assert label in saturated
    note = view.bp1_panel.note.text()
    assert note.startswith(f"Saturated: outputs {', '.join(map(str, saturated))} wrong, but "
                           f"σ′(zᴸ) ≤ {short(float(rec.sigma_prime[saturated].min()))}")
    assert "learning slowdown" in note


def test_the_cross_entropy_switch_shows_cores_delta_for_that_cost(qtbot, tabs):
    session = saturated_session()
    view = backprop_view(qtbot, tabs, session)
    press_digit(qtbot, view, 3)
    switch = view.bp1_panel.what_if
    assert switch.isVisible() and view.bp1_panel.what_if_delta is None
    qtbot.mouseClick(switch, LEFT, pos=QPoint(8, switch.height() // 2))
    view.flush()
    net, x = session.model.network, session.drawing.x28
    expected = lesson.output_delta(net, x, 3, "cross_entropy")
    assert np.array_equal(view.bp1_panel.what_if_delta, expected)
    assert np.array_equal(view.bp1.values[1], expected)
    np.testing.assert_allclose(expected, view.record.output - np.eye(10)[3], atol=1e-6)
    assert view.bp1.names == ["quadratic", "cross-entropy"]
    qtbot.mouseClick(switch, LEFT, pos=QPoint(8, switch.height() // 2))
    view.flush()
    assert view.bp1_panel.what_if_delta is None and len(view.bp1.values) == 1


def test_a_softmax_network_has_one_delta_chart_and_no_switch(qtbot, tabs):
    view = backprop_view(qtbot, tabs, make_session("relu", "cross_entropy"))
    panel = view.bp1_panel
    assert not panel.what_if.isVisible() and not panel.charts["diff"].isVisible()
    assert "never slowed" in panel.note.text()


@pytest.mark.parametrize("size", [(720, 540), (680, 430)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_quadratic_view_fits_a_laptop_without_scrolling(qtbot, size):
    session = saturated_session()
    view = BackpropView(session)
    scroll = hosted(qtbot, view, *size)
    draw(session, digit_image())
    view.flush()
    qtbot.wait(1)
    assert view.bp1_panel.what_if.isVisible()
    hint = view.minimumSizeHint()
    assert hint.width() <= 640 and hint.height() <= 400, hint.toTuple()
    assert not scrolls(scroll) and problems(view) == []


# --- 3: one step, predicted and measured -------------------------------------------------------


def test_one_step_shows_cost_before_after_and_the_prediction(qtbot, tabs):
    session = session_of(preset("seed").make_network())
    view = backprop_view(qtbot, tabs, session)
    press_digit(qtbot, view, 4)
    view.alpha.setValue(0.05)
    net, x = session.model.network, session.drawing.x28
    row, y = x.reshape(1, -1), np.eye(10)[None, 4]
    before, norm_sq = net.total_cost(row, y), lesson.grad_norm_sq(net, x, 4)
    with qtbot.waitSignal(session.model_changed):
        qtbot.mouseClick(view.step_button, LEFT)
    p = view.prediction
    assert p.cost_before == before and p.cost_after == net.total_cost(row, y)
    assert p.predicted == -0.05 * norm_sq
    text = view.step_info.text()
    assert f"predicted −α‖∇C‖² = {'−' if p.predicted < 0 else ''}" in text
    assert "raised" not in text and "P(4)" in text


def test_a_step_that_raises_the_cost_says_so(qtbot, tabs):
    net = Network([784, 64, 64, 64, 10], "tanh", "quadratic", rng=np.random.default_rng(0))
    session = session_of(net)
    view = backprop_view(qtbot, tabs, session)
    press_digit(qtbot, view, 0)
    view.alpha.setValue(3.0)
    qtbot.mouseClick(view.step_button, LEFT)
    assert view.prediction.raised
    assert "the step raised the cost" in view.step_info.text()


# --- 4: the gradient check ---------------------------------------------------------------------


def check_by_click(qtbot, view, k: int):
    click(view.bp4, view.bp4.to_widget(0, k))
    qtbot.waitUntil(lambda: view.check is not None and view.check.k == k)
    return view.check


@pytest.mark.parametrize("name", ["seed", "default"])
def test_the_gradient_check_clicked_at_every_layer_agrees_with_backprop(qtbot, tabs, name):
    session = session_of(preset(name).make_network())
    view = backprop_view(qtbot, tabs, session)
    press_digit(qtbot, view, 8)
    net, x = session.model.network, session.drawing.x28
    busiest = int(np.argmax(np.abs(view.delta[1])))  # a δ³ that is not 0 (ReLU: many are)
    for layer, pick in ((0, None),
                        (1, lambda: click(view.grids, view.grids.to_widget(1, busiest))),
                        (2, lambda: click(view.bp1, view.bp1.to_widget(5, 0)))):
        if pick is not None:
            pick()
            qtbot.waitUntil(lambda wanted=layer: view.selected[0] == wanted)
            view.flush()
        j = view.selected[1]
        k = int(np.argmax(np.abs(view.grad_w[layer][j])))  # a gradient a difference resolves
        check = check_by_click(qtbot, view, k)
        expected = lesson.gradient_check(net, x, 8, layer, j, k)
        assert check == expected and not check.below_rounding
        assert check.relative_error < 1e-6, (name, layer, check)
        assert view.bp4.marked == k
        assert "backprop is exact" in view.check_info.text()
        assert f"ε = {lesson.EPS:g}" in view.check_info.text()


def test_an_unlit_pixels_weight_checks_as_zero_and_a_new_digit_checks_again(qtbot, tabs):
    session = session_of(preset("seed").make_network())
    view = backprop_view(qtbot, tabs, session)
    check = check_by_click(qtbot, view, 0)  # the corner pixel: no ink
    assert check.backprop == check.numeric == 0
    assert "Both exactly 0" in view.check_info.text()
    lit = int(np.flatnonzero(digit_image(3).ravel())[0])
    check_by_click(qtbot, view, lit)
    first = view.check
    draw(session, digit_image(3))
    qtbot.waitUntil(lambda: view.check is not None and view.check != first)
    assert view.check == lesson.gradient_check(session.model.network, session.drawing.x28,
                                               view.record.label, 0, view.selected[1], lit)
