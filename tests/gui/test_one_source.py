"""Issue 18's stale-state bugs, each driven as a user meets it (menus, keys, clicks): what a
view shows is derived from the window's ``Session``, never from a copy that outlives it."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.mouse import draw_fractions as draw
from helpers.panel import configure
from helpers.views import view_shown as shown
from PySide6.QtCore import Qt

from core.model_io import save_model
from core.training import preset

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
FOUR = [(0.3, 0.2), (0.3, 0.55), (0.7, 0.55), (0.6, 0.2), (0.6, 0.85)]






def model_file(path, name: str, hidden=(16,)):
    """A small model saved with the ``name`` preset's settings (not trained: only its config
    matters here)."""
    config = preset(name, hidden=hidden)
    save_model(path, config.make_network(), config=config, metrics={"test_accuracy": 0.9},
               name=path.stem)
    return path


def open_by_menu(window, monkeypatch, path) -> None:
    monkeypatch.setattr(type(window), "ask_path", lambda self, kind: str(path))
    window.open_action.trigger()
    assert window.model.path == path


# --- 1: Backprop's α is the current model's ----------------------------------------------------


def test_backprop_alpha_follows_each_opened_model(window, qtbot, monkeypatch, tmp_path):
    seed = model_file(tmp_path / "seed.npz", "seed")
    adam = model_file(tmp_path / "adam.npz", "default")
    view = shown(qtbot, window, "backprop")
    assert view.alpha.value() == 0.5  # the bundled model is Adam's
    open_by_menu(window, monkeypatch, seed)
    assert view.alpha.value() == 3.0  # the notes' plain SGD, α = 3
    open_by_menu(window, monkeypatch, adam)
    assert view.alpha.value() == 0.5  # was 3.0: a step that sent P(9) 0% → 100%
    window.show_view("network")
    open_by_menu(window, monkeypatch, seed)
    shown(qtbot, window, "backprop")
    open_by_menu(window, monkeypatch, adam)
    assert view.alpha.value() == 0.5


# --- 2: a test digit sent from Evaluation keeps its label, and the window shows it -----------


def test_a_test_digit_shown_in_the_network_views_keeps_its_label(window, qtbot, small_mnist):
    window.set_data(small_mnist())
    view = window.show_view("evaluation")
    qtbot.waitUntil(lambda: view.result is not None, timeout=20_000)
    qtbot.mouseClick(view.wrong_button, LEFT)
    assert len(view.gallery_indices) > 0
    qtbot.mouseClick(view.gallery.viewport(), LEFT, pos=view.gallery.item_rect(0).center())
    i = view.selected
    label, read = int(view.result.labels[i]), int(view.result.predicted[i])
    assert label != read
    qtbot.mouseClick(view.send_button, LEFT)
    assert window.view_tabs.current_name() == "network"  # was: the window stayed on Evaluation
    drawing = window.session.drawing
    assert (drawing.label, drawing.source) == (label, f"test digit #{i + 1:,}")
    assert f"test digit #{i + 1:,}" in window.canvas.hint  # was: "Draw a digit"
    backprop = shown(qtbot, window, "backprop")
    assert backprop.record.label == label  # was: the network's own answer
    assert f"True digit y = {label}" in backprop.header.text()
    assert "assumed" not in backprop.header.text()
    qtbot.mouseClick(backprop.step_button, LEFT)  # a step re-reads the test digit, kept
    drawing = window.session.drawing
    assert drawing.label == label and drawing.network is window.model.network
    np.testing.assert_allclose(drawing.probs, backprop.last_step.probs_after, rtol=1e-5)
    draw(window.canvas, FOUR)  # the user draws: the board's own digit, its label unknown again
    backprop.flush()
    assert window.session.drawing.label is None and window.canvas.hint == "Draw a digit"
    assert "assumed" in backprop.header.text()
    c = backprop.header.text().split("C = ", 1)[1].split(";", 1)[0]
    assert not c.startswith("-") and float(c) == pytest.approx(backprop.record.cost, rel=1e-3,
                                                               abs=1e-9)  # a cost, never "-0"


# --- 3 and 5: what the window says during a run is derived from the session's run -------------

SMALL_RUN = dict(hidden="16", epochs=2, validation=100, batch_size=32, augment=False,
                 optimizer="adam", learning_rate="0.005", cost="cross_entropy",
                 activation="relu")


def test_the_title_names_the_network_being_trained_not_the_last_file(
        window, qtbot, monkeypatch, tmp_path, small_mnist):
    open_by_menu(window, monkeypatch, model_file(tmp_path / "yesterday.npz", "default"))
    assert "yesterday" in window.windowTitle()
    window.set_data(small_mnist())
    configure(window, **SMALL_RUN)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.train_action.trigger()
        assert window.training
        assert "yesterday" not in window.windowTitle()  # a fresh network is being trained
        assert window.windowTitle().startswith("untitled (training)")
    assert window.windowTitle().startswith("untitled[*]")


def test_a_fine_tune_is_not_called_an_untrained_network(window, qtbot, small_mnist):
    from helpers.synthetic import blobs

    window.set_data(small_mnist(1500, 300))
    mine = blobs(200, np.random.default_rng(0))
    for label in (2, 5):
        for image in mine.images[mine.labels == label][:6]:
            window.my_digits.add(image, int(label))
    draw(window.canvas, FOUR)
    pane = window.prediction_view
    with qtbot.waitSignal(window.training_finished, timeout=120_000):
        window.fine_tune_action.trigger()
        assert window.training
        pane.flush()
        assert "not trained yet" not in pane.status_text()  # it was: "(epoch 0)"
        assert "fine-tun" in pane.status_text()


# --- 4: the history slider belongs to the model it recorded ------------------------------------


def test_the_history_slider_of_a_loaded_model_sits_at_now(
        window, qtbot, monkeypatch, tmp_path, small_mnist):
    view = shown(qtbot, window, "network")
    slider, label = view.history.slider, view.history.label
    assert slider.maximum() > slider.minimum() and slider.value() == slider.maximum()
    assert label.text().startswith("now") and "no run" in label.text()  # was: left end, "now"
    window.set_data(small_mnist())
    configure(window, **SMALL_RUN)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.train_action.trigger()
    epochs = view.inspection.history.epochs
    assert epochs[0] == 0 and epochs[-1] == 2
    slider.setValue(0)  # the user looks back at epoch 0 of the run...
    assert label.text().startswith("epoch 0")
    open_by_menu(window, monkeypatch, model_file(tmp_path / "other.npz", "default"))
    assert view.inspection.history.epochs == []  # ...then opens another model: not its history
    assert view.inspection.epoch is None
    assert slider.maximum() > slider.minimum() and slider.value() == slider.maximum()
    assert not slider.isEnabled() and "no run" in label.text()


# --- 6: Backprop with the board empty, and Ctrl+Z with no step to undo -------------------------


def test_backprop_empties_with_the_board_and_ctrl_z_never_reaches_the_strokes(window, qtbot):
    draw(window.canvas, FOUR)
    view = shown(qtbot, window, "backprop")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_4)
    qtbot.mouseClick(view.step_button, LEFT)
    assert view.outputs.values and view.grids.arrays and view.before_after.values
    window.clear_action.trigger()  # Clear the board
    view.flush()
    assert "Draw a digit" in view.header.text()
    assert view.record is None and view.grad_w_selected is None
    for panel in (view.outputs, view.bp1, view.before_after):
        assert panel.values == []  # was: the previous digit's bars
    for panel in (view.grids, view.bp4):
        assert panel.arrays == []  # was: the previous digit's δ
    view.setFocus()
    ctrl_z = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(view, Qt.Key.Key_Z, ctrl_z)  # takes the step back
    assert view.undo_stack == [] and window.canvas.is_empty()
    qtbot.keyClick(view, Qt.Key.Key_Z, ctrl_z)  # nothing left: the board's Clear stays
    assert window.canvas.is_empty()  # was: the cleared digit came back
    assert "nothing" in view.step_info.text().lower()


# --- 7: a restart opens the model last opened or saved -----------------------------------------


def test_a_restart_opens_the_model_last_opened_or_saved(window, qtbot, monkeypatch, tmp_path):
    from ffn_gui import MainWindow

    def restart():
        w = MainWindow(search_data=False)  # the same (test's own) settings file
        qtbot.addWidget(w)
        return w

    opened = model_file(tmp_path / "mine.npz", "seed")
    open_by_menu(window, monkeypatch, opened)
    window.close()
    again = restart()
    assert again.model.path == opened and again.windowTitle().startswith("mine")  # was: bundled
    saved = tmp_path / "kept.npz"
    monkeypatch.setattr(MainWindow, "ask_path", lambda self, kind: str(saved))
    again.save_as_action.trigger()
    again.close()
    third = restart()
    assert third.model.path == saved
    third.close()
    saved.unlink()
    fourth = restart()
    assert fourth.model.bundled
    said = fourth.statusBar().currentMessage()
    assert str(saved) in said and "bundled" in said
    fourth.close()
