"""The evaluation view, standalone with a Session the test drives: the heat map is the confusion
matrix of the model's own predictions, a clicked cell shows exactly its test digits, a clicked
thumbnail is shown large and can be sent to the network views."""

import numpy as np
import pytest
from helpers.synthetic import blobs
from PySide6.QtCore import Qt

from core.data import Dataset, MnistData
from core.model_io import Model
from core.rows import as_inputs
from core.training import TrainConfig, train
from ffn_gui.state.session import Run, Session
from ffn_gui.views.evaluation_view import EvaluationView


@pytest.fixture(scope="module")
def model_and_data():
    rng = np.random.default_rng(3)
    train_set = blobs(400, rng, noise=120)
    config = TrainConfig(hidden=(16,), activation="relu", cost="cross_entropy",
                         optimizer="adam", learning_rate=3e-3, batch_size=32, epochs=1,
                         validation=0)
    network = config.make_network()
    train(network, config, train_set)
    test = blobs(600, rng, noise=200)
    data = MnistData(Dataset(train_set.images, train_set.labels, "train"),
                     Dataset(test.images, test.labels, "test"), "blobs")
    return Model(network, config, name="blobs"), data


@pytest.fixture
def view(qtbot, model_and_data):
    model, data = model_and_data
    session = Session(model)
    v = EvaluationView(session)
    qtbot.addWidget(v)
    v.resize(1100, 700)
    v.show()
    qtbot.waitExposed(v)
    with qtbot.waitSignal(v.evaluated, timeout=10_000):
        session.set_data(data)  # shown, with data: it evaluates by itself
    return v


def direct_confusion(network, test):
    predicted = np.argmax(network.feedforward(as_inputs(test.images)), axis=1)
    m = np.zeros((10, 10), int)
    for t, p in zip(test.labels, predicted):
        m[t, p] += 1
    return m, predicted


def test_heat_map_is_the_confusion_matrix_of_the_models_predictions(view, model_and_data):
    model, data = model_and_data
    expected, predicted = direct_confusion(model.network, data.test)
    np.testing.assert_array_equal(view.map.matrix, expected)
    assert 0.3 < view.result.accuracy < 1
    assert f"{(predicted == data.test.labels).mean():.2%}" in view.summary.text()


@pytest.mark.parametrize("cell", ["most frequent mistake", "diagonal"])
def test_clicking_a_cell_shows_exactly_its_test_digits(view, qtbot, model_and_data, cell):
    model, data = model_and_data
    expected, predicted = direct_confusion(model.network, data.test)
    off = expected.copy()
    np.fill_diagonal(off, -1)
    t, r = np.unravel_index(np.argmax(off), off.shape) if cell != "diagonal" else (4, 4)
    qtbot.mouseClick(view.map, Qt.MouseButton.LeftButton,
                     pos=view.map.cell_centre(int(t), int(r)).toPoint())
    want = np.flatnonzero((data.test.labels == t) & (predicted == r))
    assert len(want) > 0 and sorted(view.gallery_indices.tolist()) == want.tolist()
    assert view.gallery.keys == view.gallery_indices.tolist()
    np.testing.assert_array_equal(view.gallery.gallery.images,
                                  data.test.images[view.gallery_indices])
    conf = view.result.probs[view.gallery_indices, r]
    assert (np.diff(conf) >= 0).all() if t == r else (np.diff(conf) <= 0).all()


def test_a_clicked_thumbnail_is_shown_large_and_sent_to_the_network_views(view, qtbot):
    view.show_most_wrong()
    wrong = view.gallery_indices
    assert len(wrong) and (view.result.predicted[wrong] != view.result.labels[wrong]).all()
    view.gallery.scrollToTop()
    rect = view.gallery.item_rect(1)
    qtbot.mouseClick(view.gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selected == wrong[1]
    np.testing.assert_allclose(view.bars._probs, view.result.probs[wrong[1]], atol=1e-6)
    with qtbot.waitSignal(view.session.drawing_changed) as sent:
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    np.testing.assert_allclose(sent.args[0].x28 * 255, view.images[wrong[1]], atol=1e-3)
    assert int(np.argmax(sent.args[0].probs)) == view.result.predicted[wrong[1]]


def test_most_confidently_wrong_captions_give_the_true_digit_and_the_reading(view, qtbot):
    qtbot.mouseClick(view.wrong_button, Qt.MouseButton.LeftButton)
    r, model = view.result, view.gallery.gallery
    assert len(model.keys) == len(view.gallery_indices) > 0
    for row, i in enumerate(view.gallery_indices):
        shown = model.data(model.index(row), Qt.ItemDataRole.DisplayRole)
        assert shown == f"{r.labels[i]} → {r.predicted[i]}\n{r.probs[i, r.predicted[i]]:.0%}"


class Outcome:
    def __init__(self, network):
        self.network = network


def test_end_of_a_run_evaluates_the_runs_network(view, qtbot, model_and_data):
    model, data = model_and_data
    session = view.session
    network = model.network.copy()
    for w in network.weights:
        w[...] = 0  # reads every digit as the same class
    with qtbot.waitSignal(view.evaluated, timeout=10_000):
        session.run_finished.emit(Outcome(network))  # before the window adopts it
    assert view.map.matrix.sum() == len(data.test) and (view.map.matrix > 0).any(axis=0).sum() == 1
    qtbot.waitUntil(lambda: not view.evaluating)  # its thread has ended
    refreshes = view.refreshes
    session.set_model(Model(network, name="blank"))  # the window adopts it: nothing to redo
    view.flush()
    assert not view.evaluating and view.refreshes == refreshes


def test_without_a_test_set_it_says_what_to_load(qtbot, model_and_data):
    v = EvaluationView(Session(model_and_data[0]))
    qtbot.addWidget(v)
    v.show()
    v.flush()
    assert not v.evaluate() and "Load MNIST" in v.summary.text()


def test_during_a_run_it_says_the_new_model_is_evaluated_when_the_run_ends(view, qtbot,
                                                                           model_and_data):
    session = view.session
    session.start_run(Run(None))  # as the training controller does
    assert "before this run" in view.summary.text()
    assert "Test accuracy" in view.summary.text()


def test_with_data_loaded_during_a_run_it_does_not_ask_for_data(qtbot, model_and_data):
    model, data = model_and_data
    session = Session(model)
    v = EvaluationView(session)
    qtbot.addWidget(v)
    v.show()
    session.start_run(Run(None))
    session.set_data(data)  # loaded while it trains: nothing is evaluated until the end
    v.flush()
    assert not v.evaluating and "Load MNIST" not in v.summary.text()
    assert "evaluated on the test set when the run ends" in v.summary.text()
