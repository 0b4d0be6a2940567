"""The network, weights and backprop views against core, driven through a Session as the window
drives it: drawings, readers, a run's progress and snapshots. Clicks and keys are real events."""

import numpy as np
import pytest
from helpers.views import digit_image, draw, host, make_session
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabWidget

from core import inspect
from core.training import EpochProgress, TrainConfig
from ffn_gui.state.session import Drawing
from ffn_gui.views import VIEWS, BackpropView, NetworkView, WeightsView


@pytest.fixture
def tabs(qtbot):
    widget = QTabWidget()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    return widget


def test_views_are_registered_with_their_names():
    assert {"network", "weights", "backprop"} <= {v.name for v in VIEWS}
    assert all(v.help_text and v.title for v in VIEWS)


def test_network_view_shows_the_networks_own_forward_pass(qtbot, tabs):
    session = make_session()
    (view,) = host(tabs, session, NetworkView)
    x = digit_image()
    draw(session, x)
    qtbot.waitUntil(lambda: view.activations is not None and not view.dirty)
    net = session.reader
    zs, acts = net.forward(x.reshape(1, -1).astype(np.float32))  # the network's own pass
    assert len(view.activations) == 4
    for l in range(3):
        assert np.array_equal(view.zs[l], zs[l][0])
        assert np.array_equal(view.activations[l + 1], acts[l + 1][0])
        # and the notes' z = w a + b, independently
        np.testing.assert_allclose(view.zs[l], net.weights[l] @ view.activations[l]
                                   + net.biases[l], rtol=1e-4, atol=1e-5)
    assert np.array_equal(view.activations[0], x.ravel())
    assert np.array_equal(view.activations[-1], net.feedforward(x.reshape(1, -1))[0])
    # the lines: the top contributions of each layer, split by sign and strength, each from
    # its source cell's centre to its target's
    drawn = np.concatenate(view.diagram.segments)
    assert len(drawn) == sum(len(c.value) for c in view.contributions)
    c = view.contributions[1]
    x0, y0 = view.columns[1].centres(c.source)
    x1, y1 = view.columns[2].centres(c.target)
    expected = {tuple(np.round(row, 6)) for row in np.stack([x0, y0, x1, y1], 1)}
    assert expected <= {tuple(np.round(row, 6)) for row in drawn}
    view.show_lines.setChecked(False)
    view.flush()
    assert sum(len(b) for b in view.diagram.segments) == 0


def test_clicking_a_first_layer_cell_shows_its_weights_and_weight_times_input(qtbot, tabs):
    session = make_session()
    (view,) = host(tabs, session, NetworkView)
    x = digit_image()
    draw(session, x)
    qtbot.waitUntil(lambda: view.activations is not None)
    view.flush()
    j = 13
    column = view.columns[1]
    cx, cy = column.centres(np.array([j]))
    pos = view.diagram.to_widget(cx[0], cy[0])
    QTest.mouseClick(view.diagram, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: view.neuron is not None)
    assert (view.neuron.layer, view.neuron.index) == (0, j)
    w = session.reader.weights[0][j]
    assert np.array_equal(view.weights_image, w.reshape(28, 28))
    assert np.array_equal(view.weight_x_input_image, (w * x.ravel()).reshape(28, 28))
    assert view.neuron.b == float(session.reader.biases[0][j])
    # a deeper neuron: incoming weights as bars, votes for the digits
    view.inspection.select(1, 3)
    view.flush()
    assert view.weights_image is None
    assert np.array_equal(view.neuron.outgoing, session.reader.weights[2][:, 3])


def test_weights_view_tiles_are_the_first_layer_and_sort_by_activation(qtbot, tabs):
    session = make_session()
    weights, network = host(tabs, session, WeightsView, NetworkView)
    qtbot.waitUntil(lambda: weights.tiles is not None)
    w = session.reader.weights[0]
    assert np.array_equal(weights.tiles, w.reshape(-1, 28, 28))
    assert np.array_equal(weights.mosaic[:28, 29:57], w[1].reshape(28, 28))
    x = digit_image()
    draw(session, x)
    weights.sort.setChecked(True)
    weights.flush()
    a = inspect.forward(session.reader, x).activations[1]
    assert np.all(np.diff(a[weights.order]) <= 0)
    assert np.array_equal(weights.tiles, w[weights.order].reshape(-1, 28, 28))
    # clicking the third tile selects its neuron
    pos = weights.canvas.to_widget(2 * 29 + 14, 14)
    QTest.mouseClick(weights.canvas, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: weights.inspection.neuron is not None)
    assert weights.inspection.neuron == (0, int(weights.order[2]))
    tabs.setCurrentWidget(network)
    qtbot.waitUntil(lambda: network.neuron is not None)
    assert network.neuron.index == int(weights.order[2])


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("relu", "cross_entropy")])
def test_backprop_view_shows_network_backprop_for_the_digit_and_label(qtbot, tabs, activation,
                                                                       cost):
    session = make_session(activation, cost)
    (view,) = host(tabs, session, BackpropView)
    x = digit_image()
    draw(session, x)
    qtbot.waitUntil(lambda: view.record is not None)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_7)
    view.flush()
    assert view.label == 7 and view.record.label == 7
    y = np.zeros((1, 10))
    y[0, 7] = 1
    grad_w, grad_b = session.model.network.backprop(x.reshape(1, -1), y)
    for l in range(3):
        assert np.array_equal(view.delta[l], grad_b[l])
        assert np.array_equal(view.grad_w[l], grad_w[l])
    layer, j = view.selected
    assert layer == 0
    assert np.array_equal(view.grad_w_selected, grad_w[0][j].reshape(28, 28))
    assert np.array_equal(view.grids.arrays[0], grad_b[0])
    text = view.eq["bp1"].text()
    assert ("σ′(zᴸ)" in text) == (cost == "quadratic")
    assert activation in view.eq["bp2"].text()
    # choosing the true digit by a click on its bar
    pos = view.outputs.to_widget(2, 0.01)
    QTest.mouseClick(view.outputs, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(pos.x()), round(pos.y())))
    qtbot.waitUntil(lambda: view.label == 2)
    view.flush()
    y = np.zeros((1, 10))
    y[0, 2] = 1
    grad_w, grad_b = session.model.network.backprop(x.reshape(1, -1), y)
    assert np.array_equal(view.delta[-1], grad_b[-1])
    # selecting a hidden-2 neuron in the δ grids shows its row of ∂C/∂w as bars
    view.inspection.select(1, 5)
    view.flush()
    assert np.array_equal(view.grad_w_selected, grad_w[1][5])
    session.set_drawing(Drawing())  # a cleared board forgets the label
    assert view.label is None


@pytest.mark.parametrize("activation,cost", [("sigmoid", "quadratic"), ("relu", "cross_entropy")])
def test_one_step_is_the_notes_update_and_ctrl_z_takes_it_back_bit_for_bit(qtbot, tabs,
                                                                           activation, cost):
    session = make_session(activation, cost)
    (view,) = host(tabs, session, BackpropView)
    x = digit_image()
    draw(session, x)
    view.set_label(4)
    view.alpha.setValue(0.75)
    qtbot.waitUntil(lambda: view.record is not None)
    net = session.model.network
    before = [p.copy() for p in net.params]
    y = np.zeros((1, 10))
    y[0, 4] = 1
    grad_w, grad_b = net.backprop(x.reshape(1, -1), y)
    grads = [g for pair in zip(grad_w, grad_b) for g in pair]
    with qtbot.waitSignal(session.model_changed):
        qtbot.mouseClick(view.step_button, Qt.MouseButton.LeftButton)
    for p, old, g in zip(net.params, before, grads):
        assert np.array_equal(p, old + g * np.float32(-0.75))
    step = view.last_step
    assert step.probs_after[4] > step.probs_before[4]
    assert np.array_equal(step.probs_after, net.predict_proba(x.reshape(1, -1))[0])
    view.flush()  # the view now shows the stepped network's gradients
    assert not np.array_equal(view.grad_w[0], grad_w[0])
    view.setFocus()
    with qtbot.waitSignal(session.model_changed):
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    for p, old in zip(net.params, before):
        assert p.tobytes() == old.tobytes()
    assert not view.undo_stack and not view.undo_button.isEnabled()


def run_epochs(session, networks):
    """Drive the session as the training controller does: start, then per epoch a progress
    report holding the epoch's end followed by a snapshot."""
    session.run_started.emit(TrainConfig())
    session.set_reader(networks[0].copy())
    for epoch, net in enumerate(networks[1:], start=1):
        session.run_progress.emit((EpochProgress(epoch, len(networks) - 1, 0.1, 0.9, None, None,
                                                 0.1, float(epoch), 0.0),))
        session.set_reader(net.copy())
    session.run_finished.emit(None)


def test_history_slider_shows_epoch_k(qtbot, tabs):
    session = make_session()
    weights, network = host(tabs, session, WeightsView, NetworkView)
    rng = np.random.default_rng(5)
    nets = []
    for _ in range(4):
        n = session.model.network.copy()
        for p in n.params:
            p += rng.standard_normal(p.shape).astype(np.float32)
        nets.append(n)
    x = digit_image()
    draw(session, x)
    run_epochs(session, nets)
    assert weights.inspection.history.epochs == [0, 1, 2, 3]
    slider = weights.history.slider
    assert slider.maximum() == 4 and slider.value() == 4  # the right end is now
    slider.setValue(2)
    weights.flush()
    assert np.array_equal(weights.tiles, nets[2].weights[0].reshape(-1, 28, 28))
    assert network.history.slider.value() == 2  # both sliders show the same epoch
    assert "epoch 2 of 3" in weights.history.label.text()
    k = int(np.argmax(nets[2].predict_proba(x.reshape(1, -1))[0]))
    assert f"reads {k}" in weights.history.label.text()
    tabs.setCurrentWidget(network)
    qtbot.waitUntil(lambda: network.network is weights.inspection.history.network(2))
    assert np.array_equal(network.activations[-1], nets[2].feedforward(x.reshape(1, -1))[0])
    slider.setValue(4)
    network.flush()
    assert network.network is session.reader


def test_hidden_views_do_no_work(qtbot, tabs):
    session = make_session()
    views = host(tabs, session, NetworkView, WeightsView, BackpropView)
    qtbot.waitUntil(lambda: views[0].refreshes == 1)
    for i in range(5):
        draw(session, digit_image(i))
    qtbot.waitUntil(lambda: views[0].refreshes == 2)
    assert views[1].refreshes == 0 and views[2].refreshes == 0


@pytest.mark.parametrize("sizes", [(784, 10), (784, 300, 10), (784, 4096, 10),
                                   (784, 64, 48, 32, 16, 10)])
def test_every_architecture_lays_out(qtbot, tabs, sizes):
    session = make_session("sigmoid", "quadratic", sizes)
    views = host(tabs, session, NetworkView, WeightsView, BackpropView)
    draw(session, digit_image())
    for view in views:
        tabs.setCurrentWidget(view)
        qtbot.waitUntil(lambda: view.refreshes > 0 and not view.dirty)
    network, weights, backprop = views
    assert [c.n for c in network.columns] == list(sizes)
    for left, right in zip(network.columns, network.columns[1:]):
        assert left.x + left.width < right.x  # side by side, never overlapping
        assert right.shape[0] * right.cell <= 28 + 1e-9
    assert len(weights.tiles) == sizes[1]
    assert len(backprop.grids.arrays) == len(sizes) - 2
    assert backprop.grad_w_selected.shape == (28, 28)


def test_the_step_size_is_the_models_own_sgd_alpha(qtbot, tabs):
    session = make_session("sigmoid", "quadratic")
    session.model.config = TrainConfig(optimizer="sgd", learning_rate=3.0)
    (view,) = host(tabs, session, BackpropView)
    assert view.alpha.value() == 3.0
    adam = make_session()
    adam.model.config = TrainConfig(optimizer="adam", learning_rate=0.002)
    (other,) = host(tabs, adam, BackpropView)
    assert other.alpha.value() == 0.5  # Adam's α means nothing to a plain SGD step


def test_legend_levels_are_nice_numbers_at_or_above_the_largest_value():
    from ffn_gui.views.colors import nice, symmetric_limit

    assert [nice(v) for v in (1.0, 0.101, 3.2, 0.0007, 7.01)] == pytest.approx(
        [1.0, 0.15, 5.0, 0.0007, 10.0])
    assert symmetric_limit(np.array([-0.31, 0.2])) == pytest.approx(0.5)
    assert symmetric_limit(np.zeros(3)) == 1.0


def test_legend_and_axis_limits_hold_until_the_values_change_severalfold(qtbot):
    """A moving limit redraws its legend or axis: while you draw, a limit holds as long as the
    values fit under it and fill at least a third of it, and it never cuts a value off."""
    from ffn_gui.views.backprop_panels import GridsPanel
    from ffn_gui.views.bars_panel import BarsPanel
    from ffn_gui.views.colors import steady

    assert steady(None, 0.8) == 1.0
    assert steady(1.0, 0.4) == 1.0 and steady(1.0, 1 / 3) == 1.0
    assert steady(1.0, 0.3) == pytest.approx(0.3) and steady(1.0, 1.2) == 1.5

    bars, grids = BarsPanel("δ"), GridsPanel()
    qtbot.addWidget(bars)
    qtbot.addWidget(grids)
    shown = []
    for top in (1.0, 0.9, 0.7, 0.5, 0.4, 0.2, 0.25, 0.6):
        values = np.linspace(-top / 2, top, 10)
        bars.show_bars(values)
        grids.show_grids([values], ["δ"])
        shown.append((bars.y_range, grids.limit))
        lo, hi = shown[-1][0]
        assert lo <= values.min() and values.max() <= hi and top <= grids.limit
    limits = [limit for _range, limit in shown]
    assert limits == pytest.approx([1.0] * 5 + [0.2, 0.3, 0.7])
    assert all(r == shown[0][0] for r, _ in shown[:5]) and shown[5][0] != shown[0][0]


def test_the_step_size_follows_a_training_panel_set_to_sgd(qtbot):
    from PySide6.QtWidgets import QMainWindow

    from ffn_gui.state.model_state import fresh_model
    from ffn_gui.state.session import Session
    from ffn_gui.widgets.training_panel import TrainingPanel

    window = QMainWindow()
    qtbot.addWidget(window)
    session = Session(fresh_model(TrainConfig(optimizer="adam", hidden=(16,))))
    panel = TrainingPanel()  # the view hears its settings through the session, not the window
    qtbot.addWidget(panel)
    panel.bind(session)
    with qtbot.waitSignal(session.train_config_changed):
        panel.set_config(TrainConfig(optimizer="sgd", learning_rate=2.5))
    view = BackpropView(session)  # an untrained network: the panel's α is what it will get
    window.setCentralWidget(view)
    window.show()
    qtbot.waitUntil(view.isVisible)
    assert view.alpha.value() == 2.5
    trained = make_session()  # trained with the notes' SGD, α = 3: its own α wins
    other = BackpropView(trained)
    window.setCentralWidget(other)
    qtbot.waitUntil(other.isVisible)
    assert other.alpha.value() == 3.0


def test_values_map_to_the_colour_maps_lookup_table():
    from ffn_gui.views import colors

    lut = colors.SIGNED.getLookupTable(0, 1, 256, alpha=True)
    rgba = colors.signed_rgba(np.array([[-1.0, 0.0], [1.0, np.nan]]), 1.0)
    assert rgba.shape == (2, 2, 4) and rgba.dtype == np.uint8
    assert np.array_equal(rgba[0, 0], lut[0]) and np.array_equal(rgba[1, 0], lut[255])
    assert np.array_equal(rgba[0, 1], lut[128])  # 0 is the middle: white
    assert rgba[1, 1, 3] == 0  # no cell: transparent
    seq = colors.sequential_rgba(np.array([5.0, -3.0]), 0.0, 1.0)  # clipped to the ends
    viridis = colors.SEQUENTIAL.getLookupTable(0, 1, 256, alpha=True)
    assert np.array_equal(seq, viridis[[255, 0]])
