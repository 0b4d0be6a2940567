"""Every menu action, through ``QAction.trigger()``, and every shortcut F1 lists, as real key
events on the focused window: each must do what it says (issue 9: Train and Download did
nothing useful from the menu, their ``checked`` flag landing in an optional parameter)."""

from __future__ import annotations

import hashlib
import http.server
from pathlib import Path

import numpy as np
import pytest
from helpers.datafiles import write_kaggle_csv, write_mnist_folder
from helpers.localhttp import LocalServer
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from core.training import TrainConfig
from ffn_gui.shell import actions
from ffn_gui.shell.theme import is_dark
from ffn_gui.work import train_worker

SMALL = TrainConfig(hidden=(32,), epochs=2, validation=100, batch_size=32, optimizer="adam",
                    learning_rate=0.005, cost="cross_entropy", activation="relu")
LONG = TrainConfig(hidden=(32,), epochs=500, validation=100, batch_size=32, optimizer="adam",
                   learning_rate=0.005, cost="cross_entropy", activation="relu")


class MnistServer(LocalServer):
    """Serves a small fake MNIST under /m/ on 127.0.0.1."""

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = files.get(self.path.rsplit("/", 1)[-1])
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.options = dict(mirrors=[self.serve(Handler) + "/m/"], allow_insecure_localhost=True,
                            timeout=5, files={n: hashlib.md5(b).hexdigest()
                                              for n, b in files.items()})


@pytest.fixture
def world(window, qtbot, tmp_path, small_mnist, monkeypatch):
    """The window with data loaded, a stroke on the board, a local MNIST server, and file
    dialogs that answer with paths in tmp_path."""
    folder = tmp_path / "mnist"
    write_mnist_folder(folder, 300, 60, np.random.default_rng(3))
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    server = MnistServer(files)
    window.download_options = server.options
    rng = np.random.default_rng(4)
    csv = write_kaggle_csv(tmp_path / "train.csv", rng.integers(0, 255, (200, 28, 28)),
                           rng.integers(0, 10, 200))
    paths = {"folder": str(folder), "csv": str(csv), "save-model": str(tmp_path / "saved.npz"),
             "open-model": str(tmp_path / "saved.npz")}
    monkeypatch.setattr(window, "ask_path", lambda kind: paths[kind])
    paths.update(digit_dialogs(window, tmp_path, monkeypatch))
    window.set_data(small_mnist(600, 100))
    window.training_panel.set_config(SMALL)
    stroke(window)
    activate(window, qtbot)
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    yield window, paths
    server.close()


def stroke(window, points=((0.15, 0.2), (0.3, 0.2), (0.3, 0.45))) -> None:
    """A small stroke off the board's centre (so centring changes what the network sees)."""
    board = window.canvas.board_rect()

    def at(fx, fy):
        return QPoint(round(board.x() + fx * board.width()), round(board.y() + fy * board.height()))

    QTest.mousePress(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     at(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(window.canvas, at(*p))
    QTest.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       at(*points[-1]))


def activate(window, qtbot) -> None:
    """Make the window the active one, as a user's is: window shortcuts need it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def press(window, qtbot, sequence: QKeySequence) -> None:
    """A real key event on the widget that has the focus (the window itself if none)."""
    activate(window, qtbot)
    combo = sequence[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


# --- what each action does: (prepare, do, check) by action name -----------------------------


def _run_going(window, qtbot):
    window.training_panel.set_config(LONG)
    assert window.start_training()
    qtbot.waitUntil(lambda: window.plots.n_batch_points > 0, timeout=10_000)


def check_action(name: str, window, qtbot, paths, fire) -> None:
    """Fire action ``name`` (``fire()``) in a state where it can act, and check the effect."""
    w, canvas = window, window.canvas
    if name == "new":
        before = w.model
        fire()
        assert w.model is not before and not w.model.metrics and not w.model.unsaved
    elif name in ("save", "save_as"):
        Path(paths["save-model"]).unlink(missing_ok=True)
        w.set_model(w.model, modified=True)
        fire()
        assert Path(paths["save-model"]).is_file() and not w.isWindowModified()
        assert w.model.path == Path(paths["save-model"])
    elif name == "open":
        if not Path(paths["open-model"]).is_file():
            assert w.save_model(paths["open-model"])
        w.revert_to_bundled()
        fire()
        assert w.model.path == Path(paths["open-model"])
    elif name == "revert":
        w.new_network()
        fire()
        assert w.model.bundled
    elif name in ("download", "open_folder", "open_csv"):
        qtbot.waitUntil(lambda: not w.loading_data, timeout=10_000)
        with qtbot.waitSignal(w.data_loaded, timeout=20_000) as blocker:
            fire()
        expected = {"download": 300, "open_folder": 300, "open_csv": 200}[name]
        assert len(blocker.args[0].train) == expected
        qtbot.waitUntil(lambda: not w.loading_data, timeout=10_000)
        w.training_panel.set_config(SMALL)
    elif name in ("undo", "redo", "clear"):
        stroke(w)
        n = len(canvas.strokes())
        if name == "redo":
            canvas.undo()
        fire()
        assert len(canvas.strokes()) == {"undo": n - 1, "redo": n, "clear": 0}[name]
        if name == "clear":
            assert canvas.is_empty() and w.session.drawing.empty
        stroke(w)
    elif name in ("eraser", "grid"):
        state = (lambda: canvas.eraser) if name == "eraser" else (lambda: canvas.grid_visible)
        was = state()
        fire()
        assert state() is (not was)
        fire()
        assert state() is was
    elif name in ("bigger", "smaller"):
        canvas.set_brush_size(2.0)
        fire()
        assert canvas.brush_size == pytest.approx(2.4 if name == "bigger" else 1.6)
        assert w.draw_box.brush_slider.value() == round(canvas.brush_size * 10)
    elif name == "train":
        with qtbot.waitSignal(w.training_finished, timeout=60_000) as blocker:
            fire()
            assert w.training
        assert isinstance(blocker.args[0], train_worker.TrainOutcome)
        assert w.model.network is blocker.args[0].network
    elif name == "pause":
        _run_going(w, qtbot)
        fire()
        assert w.paused
        fire()
        assert not w.paused
        with qtbot.waitSignal(w.training_finished, timeout=10_000):
            w.stop_training()
    elif name == "stop":
        _run_going(w, qtbot)
        with qtbot.waitSignal(w.training_finished, timeout=10_000) as blocker:
            fire()
        assert blocker.args[0].result.stopped
    elif name == "preprocess":
        assert not canvas.is_empty()
        before = w.session.drawing.x28.copy()
        fire()
        assert not w.predictor.preprocess
        assert not np.allclose(w.session.drawing.x28, before)  # the network sees another input
        fire()
        np.testing.assert_allclose(w.session.drawing.x28, before)
    elif name == "deskew":
        w.revert_to_bundled()  # a model trained on deskewed digits reads the board
        assert w.predictor.network.deskew and w.predictor.deskew
        before = w.session.drawing.x28.copy()
        fire()
        assert not w.predictor.deskew
        assert not np.allclose(w.session.drawing.x28, before)  # the network sees another input
        fire()
        np.testing.assert_allclose(w.session.drawing.x28, before)
    elif name in ("what", "shortcuts", "about"):
        w.last_message = None
        fire()
        title, text = w.last_message
        if name == "shortcuts":
            assert title == "Keyboard shortcuts" and "Ctrl+L" in text and "Clear board" in text
        elif name == "about":
            assert "notes" in text and "784" in text and "BP1" in text
        else:
            assert title.startswith("What am I looking at?") and text
        w.message_box.close()  # it is window-modal: keys go to it while it is open
    elif name == "quit":
        fire()
        assert not w.isVisible()
    elif name in VIEW_ACTIONS or name.startswith("view_"):
        check_view_action(name, w, qtbot, fire)
    elif name in DIGIT_ACTIONS or name.startswith("label_"):
        check_digit_action(name, w, qtbot, paths, fire)
    elif name.startswith("theme_"):
        check_theme_action(name.removeprefix("theme_"), w, fire)
    else:
        raise AssertionError(f"the test does not know what {name!r} should do")
    w.update_actions()


# --- the workspace: settings panel, presenter mode, zoom, views (issue 19) -------------------

VIEW_ACTIONS = ("settings", "presenter", "zoom_in", "zoom_out", "zoom_reset", "next_view",
                "previous_view")


def check_view_action(name: str, w, qtbot, fire) -> None:
    tabs = w.view_tabs
    if name == "settings":
        was = w.training_panel.isVisible()
        fire()
        assert w.training_panel.isVisible() is not was
        fire()
        assert w.training_panel.isVisible() is was
    elif name == "presenter":
        size, geometry = QApplication.font().pointSizeF(), w.geometry()
        fire()
        qtbot.waitUntil(w.isFullScreen)
        assert QApplication.font().pointSizeF() >= 1.5 * size
        fire()
        qtbot.waitUntil(lambda: not w.isFullScreen())
        qtbot.waitUntil(lambda: w.geometry() == geometry)
        assert QApplication.font().pointSizeF() == size
    elif name in ("zoom_in", "zoom_out", "zoom_reset"):
        w.set_zoom(1)
        size = QApplication.font().pointSizeF()
        fire()
        after = QApplication.font().pointSizeF()
        assert {"zoom_in": after > size, "zoom_out": after < size,
                "zoom_reset": w.zoom_steps == 0 and after < size}[name]
        w.set_zoom(0)
    elif name in ("next_view", "previous_view"):
        w.show_view("plots")
        fire()
        assert tabs.currentIndex() == (1 if name == "next_view" else tabs.count() - 1)
    else:  # view_<n>: the n-th tab
        w.show_view("plots" if name != "view_1" else "network")
        fire()
        assert tabs.currentIndex() == int(name.rsplit("_", 1)[1]) - 1


# --- my digits, fine-tune, images and Kaggle (issue 11) ----------------------------------------

DIGIT_ACTIONS = ("open_image", "open_kaggle", "save_submission", "fine_tune")


def digit_dialogs(window, tmp_path, monkeypatch) -> dict[str, str]:
    from PIL import Image

    image = tmp_path / "one.png"
    a = np.full((60, 40), 255, np.uint8)
    a[10:50, 18:23] = 0
    Image.fromarray(a).save(image)
    test = write_kaggle_csv(tmp_path / "test.csv", np.random.default_rng(5).integers(
        0, 255, (120, 28, 28)), None)
    paths = {"image": str(image), "kaggle": str(test), "submission": str(tmp_path / "sub.csv")}
    monkeypatch.setattr(window, "ask_image_path", lambda: paths["image"])
    monkeypatch.setattr(window, "ask_kaggle_path", lambda: paths["kaggle"])
    monkeypatch.setattr(window, "ask_submission_path", lambda: paths["submission"])
    return paths


def check_digit_action(name: str, w, qtbot, paths, fire) -> None:
    if name == "open_image":
        w.canvas.clear()
        fire()
        assert not w.canvas.is_empty() and not w.session.drawing.empty
    elif name == "open_kaggle":
        with qtbot.waitSignal(w.kaggle.finished, timeout=30_000):
            fire()
        assert len(w.kaggle.labels) == 120
    elif name == "save_submission":
        Path(paths["submission"]).unlink(missing_ok=True)
        fire()
        rows = Path(paths["submission"]).read_text().splitlines()
        assert rows[0] == "ImageId,Label" and len(rows) == 121
    elif name == "fine_tune":
        assert len(w.my_digits) > 0
        with qtbot.waitSignal(w.training_finished, timeout=120_000):
            fire()
            assert w.training
        assert w.my_digits.last_report is not None
    else:  # label_<d>
        n = len(w.my_digits)
        fire()
        what = name.rsplit("_", 1)[1]
        said = "“not a digit”" if what == "nondigit" else f"a {what}"
        assert w.statusBar().currentMessage() == f"Added {said} to my digits — {n + 1} so far"
        assert w.canvas.is_empty() and len(w.my_digits) == n + 1
        assert int(w.my_digits.digits.labels[-1]) == (10 if what == "nondigit" else int(what))
        stroke(w)


def check_theme_action(choice: str, w, fire) -> None:
    fire()
    assert getattr(w, f"theme_{choice}_action").isChecked() and w.settings.theme() == choice
    assert is_dark(QApplication.palette()) == (choice == "dark")  # offscreen is light
    if choice == "dark":  # the actions after it (and the tests) find the palette they expect
        w.theme_system_action.trigger()


ORDER = [spec.name for spec in actions.ACTIONS if spec.name != "quit"] + ["quit"]
SPECS = {spec.name: spec for spec in actions.ACTIONS}


def menu_entry(window, name: str):
    """Action ``name`` as its menu (or its submenu, View → Theme) holds it."""
    spec = SPECS[name]
    menu = window.submenus[spec.group] if spec.group else window.menus[spec.menu]
    (action,) = [a for a in menu.actions() if a.objectName() == f"{name}_action"]
    return action


def test_every_menu_action_does_what_it_says(world, qtbot):
    window, paths = world
    for name in ORDER:
        check_action(name, window, qtbot, paths, menu_entry(window, name).trigger)
    assert window.errors == []


def test_each_menu_entry_is_enabled_exactly_when_it_can_act(window, qtbot, small_mnist):
    """The table's predicates, seen on the menus: before data, with a stroke, during a run."""
    gated = [spec.name for spec in actions.ACTIONS if spec.enabled is not None]
    assert len(gated) == 14

    def enabled() -> set[str]:
        return {name for name in gated if menu_entry(window, name).isEnabled()}

    can_replace = {"new", "open", "revert", "download", "open_folder", "open_csv"}
    assert enabled() == can_replace | {"open_kaggle"}  # no data, no stroke, no predictions
    window.set_data(small_mnist(600, 100))
    window.training_panel.set_config(LONG)
    stroke(window)
    assert enabled() == can_replace | {"open_kaggle", "train", "undo"}
    menu_entry(window, "undo").trigger()
    assert enabled() == can_replace | {"open_kaggle", "train", "redo"}
    menu_entry(window, "redo").trigger()
    menu_entry(window, "train").trigger()
    qtbot.waitUntil(lambda: window.plots.n_batch_points > 0, timeout=10_000)
    assert enabled() == {"open_kaggle", "undo", "pause", "stop"}
    with qtbot.waitSignal(window.training_finished, timeout=10_000):
        menu_entry(window, "stop").trigger()
    assert enabled() == can_replace | {"open_kaggle", "train", "undo"}


def test_every_shortcut_f1_lists_does_what_it_says(world, qtbot):
    window, paths = world
    listed = {name: getattr(window, f"{name}_action").shortcuts() for name in ORDER}
    rows = actions.shortcut_rows(window)
    assert len(rows) == sum(1 for keys in listed.values() if keys)
    window.show_shortcuts()
    f1 = window.last_message[1]
    window.message_box.close()
    for name in ORDER:
        for sequence in listed[name]:
            assert sequence.toString(QKeySequence.SequenceFormat.NativeText) in f1

            def fire(sequence=sequence):
                window.canvas.setFocus()
                press(window, qtbot, sequence)

            check_action(name, window, qtbot, paths, fire)
            if not window.isVisible():
                break
    assert window.errors == []


def test_space_and_esc_do_nothing_and_steal_nothing_when_no_run_goes_on(window, qtbot):
    activate(window, qtbot)
    assert not window.pause_action.isEnabled() and not window.stop_action.isEnabled()
    box = window.training_panel.controls["augment"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    was = box.isChecked()
    qtbot.keyClick(box, Qt.Key.Key_Space)  # reaches the check box: it toggles
    assert box.isChecked() is not was and not window.training
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    assert not window.training and window.isVisible()


def test_clear_has_a_shortcut_that_works_from_a_field(window, qtbot):
    activate(window, qtbot)
    stroke(window)
    edit = window.training_panel.controls["learning_rate"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    text = edit.text()
    qtbot.keyClick(edit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.is_empty() and edit.text() == text
    stroke(window)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)  # Del stays the field's
    assert not window.canvas.is_empty()


# --- bug 4: Train over an unsaved trained model ----------------------------------------------


def test_train_asks_before_replacing_an_unsaved_trained_model(window, qtbot, small_mnist,
                                                              monkeypatch):
    window.set_data(small_mnist(600, 100))
    window.training_panel.set_config(SMALL)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.train_action.trigger()
    trained = window.model
    assert trained.unsaved
    answers = [("cancel", False)]
    asked = []
    monkeypatch.setattr(window, "ask_train_over", lambda: asked.append(1) or answers[0])
    window.train_action.trigger()
    assert asked == [1] and not window.training and window.model is trained
    answers[0] = ("discard", True)  # train anyway, and don't ask again
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.train_action.trigger()
    assert window.model is not trained and asked == [1, 1]
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.train_action.trigger()
    assert asked == [1, 1]  # not asked again
    assert not window.settings.ask_before_training_over()


def test_after_revert_the_run_box_and_plots_say_they_are_the_previous_runs(
        window, qtbot, small_mnist):
    window.set_data(small_mnist(600, 100))
    window.training_panel.set_config(SMALL)
    with qtbot.waitSignal(window.training_finished, timeout=60_000):
        window.start_training()
    panel = window.training_panel
    assert "Test accuracy" in panel.result_label.text()
    assert "Previous run" not in panel.result_label.text()
    window.revert_action.trigger()
    assert window.model.bundled
    assert "Previous run" in panel.result_label.text()
    view = window.show_view("plots")
    view.flush()
    assert view.previous_label.isVisible()


# --- bug 5: Alt mnemonics --------------------------------------------------------------------


def _mnemonic(text: str) -> str | None:
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if i >= 0 else None


def test_alt_mnemonics_are_unique_and_reach_the_menus(window, qtbot):
    letters: dict[str, str] = {}
    texts = [m.title() for m in window.menus.values()]
    texts += [w.text() for w in window.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in window.findChildren(QAbstractButton)]
    for text in texts:
        letter = _mnemonic(text)
        if letter:
            assert letter not in letters, f"Alt+{letter}: {letters.get(letter)!r} and {text!r}"
            letters[letter] = text
    for letter in "fethv":
        assert _mnemonic(letters[letter]) == letter and letters[letter] in \
            [m.title() for m in window.menus.values()]
    hidden = window.training_panel.controls["hidden"]
    activate(window, qtbot)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert hidden.hasFocus()
