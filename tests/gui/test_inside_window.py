"""The Network, Weights and Backprop views in the real window: real strokes on the board, real
clicks and keys, a real training run; every number compared with core's Network."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.mouse import draw_fractions as draw
from helpers.panel import configure
from helpers.views import view_shown as shown
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ffn_gui import MainWindow

# Until the window hosts the views in tabs (MainWindow.show_view), there is nothing to test here.
pytestmark = pytest.mark.skipif(not hasattr(MainWindow, "show_view"),
                                reason="this window does not host views yet (no show_view)")

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
SEVEN = [(0.3, 0.25), (0.5, 0.25), (0.7, 0.25), (0.6, 0.5), (0.5, 0.75)]
SMALL_RUN = dict(hidden="32", epochs=2, validation=100, batch_size=32, augment=False,
                 optimizer="adam", learning_rate="0.005", cost="cross_entropy",
                 activation="relu")






def forward_rows(network, x28):
    zs, acts = network.forward(np.asarray(x28, network.dtype).reshape(1, -1))
    return [z[0] for z in zs], [a[0] for a in acts]


def test_network_view_reads_the_stroke_as_the_network_does(window, qtbot):
    draw(window.canvas, SEVEN)
    view = shown(qtbot, window, "network")
    drawing = window.session.drawing
    assert drawing.x28 is not None
    network = window.session.reader
    zs, acts = forward_rows(network, drawing.x28)
    assert len(view.activations) == len(acts)
    for shown_a, a in zip(view.activations, acts):
        assert np.array_equal(shown_a, a)
    for shown_z, z in zip(view.zs, zs):
        assert np.array_equal(shown_z, z)
    np.testing.assert_allclose(network.predict_proba(drawing.x28.reshape(1, -1))[0],
                               drawing.probs, rtol=1e-6)
    # a second stroke: the view follows
    before = view.activations[1].copy()
    draw(window.canvas, [(0.2, 0.6), (0.8, 0.6)])
    qtbot.waitUntil(lambda: not view.dirty)
    assert not np.array_equal(view.activations[1], before)
    assert np.array_equal(view.activations[0], window.session.drawing.x28.ravel())

    # clicking a first-layer cell shows its weights as 28×28 and weight × input
    j = 5
    cx, cy = view.columns[1].centres(np.array([j]))
    pos = view.diagram.to_widget(cx[0], cy[0])
    QTest.mouseClick(view.diagram, LEFT, NONE, QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: view.neuron is not None and view.neuron.index == j)
    view.flush()
    w = window.session.reader.weights[0][j]
    assert view.neuron.layer == 0
    assert np.array_equal(view.weights_image, w.reshape(28, 28))
    x = window.session.drawing.x28.ravel()
    assert np.array_equal(view.weight_x_input_image, (w * x).reshape(28, 28))


def test_weights_view_follows_the_runs_snapshots_and_the_history_slider(window, qtbot,
                                                                         small_mnist):
    window.set_data(small_mnist(600, 100))
    configure(window, **SMALL_RUN)
    draw(window.canvas, SEVEN)
    view = shown(qtbot, window, "weights")
    history = view.inspection.history
    readers = []
    window.session.reader_changed.connect(readers.append)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        assert window.start_training()
        qtbot.waitUntil(lambda: len(history) > 0)  # the network the run starts from
        view.flush()
        assert view.network is window.session.reader  # the run's snapshot, not the model
        assert np.array_equal(view.tiles, view.network.weights[0].reshape(-1, 28, 28))
    qtbot.waitUntil(lambda: not view.dirty)
    view.flush()
    # epoch 0 (the start) and the last epoch are kept; tiny epochs may share one snapshot
    assert history.epochs[0] == 0 and history.epochs[-1] == 2
    for epoch in history.epochs:  # each a copy of a snapshot the window was reading
        kept = history.network(epoch).weights[0]
        assert any(np.array_equal(kept, r.weights[0]) for r in readers)
    model = window.model.network
    assert np.array_equal(view.tiles, model.weights[0].reshape(-1, 28, 28))
    assert np.array_equal(history.network(2).weights[0], model.weights[0])
    slider = view.history.slider
    assert slider.maximum() == len(history)  # the right end is now
    slider.setValue(0)
    view.flush()
    start = history.network(0)
    assert np.array_equal(view.tiles, start.weights[0].reshape(-1, 28, 28))
    assert not np.array_equal(start.weights[0], model.weights[0])
    probs = start.predict_proba(window.session.drawing.x28.reshape(1, -1))[0]
    assert f"epoch 0 of 2: reads {int(np.argmax(probs))}" in view.history.label.text()
    network = shown(qtbot, window, "network")
    assert network.network is start
    assert np.array_equal(network.activations[-1], forward_rows(
        start, window.session.drawing.x28)[1][-1])
    # a click on a tile selects that neuron and shows it in the network view
    view = shown(qtbot, window, "weights")
    pos = view.canvas.to_widget(3 * 29 + 10, 10)
    QTest.mouseClick(view.canvas, LEFT, NONE, QPoint(round(pos.x()), round(pos.y())))
    network = window.views["network"]
    qtbot.waitUntil(lambda: network.isVisible())
    qtbot.waitUntil(lambda: network.neuron is not None and not network.dirty)
    assert (network.neuron.layer, network.neuron.index) == (0, int(view.order[3]))


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("relu", "cross_entropy")])
def test_backprop_view_step_and_undo(window, qtbot, activation, cost):
    configure(window, hidden="30,20", activation=activation, cost=cost)
    assert window.new_network()
    draw(window.canvas, SEVEN)
    view = shown(qtbot, window, "backprop")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_7)
    view.flush()
    network = window.model.network
    assert (network.activation.name, network.cost.name) == (activation, cost)
    x = window.session.drawing.x28.reshape(1, -1)
    y = np.zeros((1, 10))
    y[0, 7] = 1
    grad_w, grad_b = network.backprop(x, y)
    for l in range(3):
        assert np.array_equal(view.delta[l], grad_b[l])
        assert np.array_equal(view.grad_w[l], grad_w[l])
    assert np.array_equal(view.grad_w_selected, grad_w[0][view.selected[1]].reshape(28, 28))
    assert ("σ′(zᴸ)" in view.eq["bp1"].text()) == (cost == "quadratic")

    # Take one step: exactly w ← w − α ∇w (m = 1); then Ctrl+Z in the view: bit for bit
    view.alpha.setValue(0.5)
    before = [p.copy() for p in network.params]
    grads = [g for pair in zip(grad_w, grad_b) for g in pair]
    seen = []
    window.prediction_changed.connect(seen.append)
    qtbot.mouseClick(view.step_button, LEFT)
    for p, old, g in zip(network.params, before, grads):
        assert np.array_equal(p, old + g * np.float32(-0.5))
    step = view.last_step
    assert step.probs_after[7] > step.probs_before[7]
    qtbot.waitUntil(lambda: len(seen) > 0)  # the window re-reads the board with the step taken
    np.testing.assert_allclose(seen[-1], network.predict_proba(x)[0], rtol=1e-6)
    view.setFocus()
    strokes = window.canvas.can_undo()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for p, old in zip(network.params, before):
        assert p.tobytes() == old.tobytes()
    assert window.canvas.can_undo() == strokes  # the board's strokes were left alone


def test_clicking_a_weights_tile_shows_that_neuron_in_the_network_view(window, qtbot):
    """The Weights view asks the window to show the network view (``show_requested``); it
    never reaches into the window itself."""
    draw(window.canvas, SEVEN)
    weights = shown(qtbot, window, "weights")
    pos = weights.canvas.to_widget(2 * 29 + 14, 14)  # the third tile
    QTest.mouseClick(weights.canvas, LEFT, NONE, QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: window.view_tabs.current_name() == "network")
    network = window.view_tabs.views["network"]
    assert window.session.inspection.neuron == (0, int(weights.order[2]))
    qtbot.waitUntil(lambda: network.neuron is not None)
    assert network.neuron.index == int(weights.order[2])
