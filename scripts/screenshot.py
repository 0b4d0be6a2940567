"""Make the README's screenshots: the real window, mid-training, with a digit on the board.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/screenshot.py [MNIST_FOLDER]
        [--out-dir docs] [--only NAME ...] [--list]

Loads MNIST (the folder given, else $MNIST_DIR) and takes the shots of ``SHOTS`` in turn, each
with the window resized to the shot's size, in its palette, showing its view:

- first the ``before`` shots, of the bundled model: the evaluation view (the model evaluated on
  the test set, the most frequent mistake opened), and the my-digits view after a writer in
  styles unlike MNIST's (``tests/helpers/styles.py``) has drawn and labelled 5 of each digit
  with Ctrl+digit and fine-tuned on them;
- the ``steps`` shots: the network view stepping through the algorithm (BP2, and the forward
  pass in the dark palette) on MNIST test digit #19 with its label (a 3 that the bundled
  model reads at 68%: its δ are large enough to see);
- then it draws an MNIST *test* digit on the board with mouse strokes traced from it
  (``core.strokes``), starts training the ``default`` preset, waits until the plots hold points
  of epoch 2 and takes the ``training`` shots while the run goes on, then stops it;
- then it trains the notes' network (the ``seed`` preset, ``--seed-epochs`` 4: about 3 s) and
  takes the ``seed`` shot: the backprop view teaching it on that digit (the key of another
  digit as the true one, *What if the cost were cross-entropy?* ticked, one step taken, a BP4
  pixel's gradient checked); then a ``default`` run (``--compare-epochs`` 3) and the
  ``compare`` shot: *Compare with previous run* clicked, the seed run compared on accuracy only.

Settings and my digits go to a temporary folder, so your own are untouched.

To add a shot, add a ``Shot`` to ``SHOTS``: a name, a file, a window size, and optionally a
palette (``dark``), the settings panel open (``settings``), a view to show
(``MainWindow.show_view``), a ``prepare(window)`` to call first (e.g. to open a gallery) and the
stage it is taken in. Every view is shot at 1366×768 (a common laptop) and the window at
1024×640 (a small screen).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


@dataclass(frozen=True)
class Shot:
    name: str
    file: str  # in --out-dir
    size: tuple[int, int]  # the window's size, in logical pixels
    dark: bool = False  # in theme.dark_palette() instead of the style's light one
    view: str | None = None  # MainWindow.show_view(view) first
    prepare: Callable | None = None  # prepare(window) first
    # "before" training starts (the bundled model), "training" during the default run, "seed"
    # after the seed run, "compare" after the default run that follows it
    stage: str = "training"
    settings: bool = False  # with the training settings' side panel open


def evaluated(window) -> None:
    """The evaluation view with the model evaluated and its most frequent mistake shown."""
    view = window.show_view("evaluation")
    wait_until(lambda: view.result is not None and not view.evaluating, 120)


def labelled_and_fine_tuned(window, per_digit: int = 5) -> None:
    """A writer in styles unlike MNIST's labels ``per_digit`` of each digit (Ctrl+digit) and
    fine-tunes on them; the my-digits view then shows the digits and the before/after."""
    from helpers.handwriting import replay_digit
    from helpers.styles import STYLE_HEIGHT, style_digits
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window.activateWindow()  # window shortcuts need the active window, as a user's is
    wait_until(lambda: QApplication.activeWindow() is window, 10)
    for digit in style_digits(10 * per_digit, seed=7):
        replay_digit(None, window.canvas, digit.strokes, height_frac=STYLE_HEIGHT)
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + digit.label),
                       Qt.KeyboardModifier.ControlModifier)
    if len(window.my_digits) != 10 * per_digit:
        raise RuntimeError(f"{len(window.my_digits)} digits were labelled, not {10 * per_digit}")
    finished = []
    window.training_finished.connect(lambda *_: finished.append(True))
    if not window.fine_tune():
        raise RuntimeError("the fine-tune did not start")
    wait_until(lambda: finished, 300)
    window.show_view("my digits")


def backprop_lesson(window, label: int = 2) -> None:
    """The backprop view teaching the notes' network (a short ``seed`` run's) on the digit on
    the board, driven as a student would: the key of another digit (``label``) as the true one,
    so that the saturated outputs are named; the *What if the cost were cross-entropy?* switch
    ticked; *Take one step* clicked (ΔC measured beside predicted); and a click on the BP4
    pixel of the most ink, whose gradient is checked against the central difference."""
    import numpy as np
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    left = Qt.MouseButton.LeftButton
    view = window.show_view("backprop")
    settle()
    view.setFocus()
    QTest.keyClick(view, Qt.Key(Qt.Key.Key_0 + label))
    switch = view.bp1_panel.what_if  # clicked on its box (its middle may be past its text)
    QTest.mouseClick(switch, left, Qt.KeyboardModifier.NoModifier,
                     QPoint(8, switch.height() // 2))
    view.flush()
    if view.label != label or view.bp1_panel.what_if_delta is None:
        raise RuntimeError("the backprop view did not take the true digit or the switch")
    QTest.mouseClick(view.step_button, left)
    wait_until(lambda: view.last_step is not None, 10)
    view.flush()
    k = int(np.argmax(window.session.drawing.x28.reshape(-1)))  # the pixel of most ink
    point = view.bp4.to_widget(0, k)
    QTest.mouseClick(view.bp4, left, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(point.x()), round(point.y())))
    wait_until(lambda: view.check is not None and view.check.k == k, 10)


def comparing(window) -> None:
    """The training view with *Compare with previous run* clicked (the button above the
    plots): the ``seed`` run before this one drawn dashed, on accuracy only."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QToolButton

    view = window.show_view("plots")
    view.flush()  # the runs it was sent while hidden
    plots = window.plots
    button = next(b for b in plots.findChildren(QToolButton)
                  if b.defaultAction() is plots.exports.compare_action)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    if not plots.compare or plots.compare_note is None:
        raise RuntimeError("Compare did not show the previous run on accuracy only")
    view.flush()


def stepping_at(kind: str, layer: int | None = None, digit: int = 0):
    """A prepare: MNIST test digit ``digit`` on the board with its label (as Evaluation's "Show
    in Network" sends it), the network view stepping through the algorithm at stage ``kind``
    (of ``layer``). The stepping goes on with a new drawing: the training shots leave it."""

    def prepare(window) -> None:
        import numpy as np

        from core.preprocess import as_read_by
        from ffn_gui.state.session import Drawing

        test, reader = window.session.data.test, window.session.reader
        x28 = (as_read_by(reader, test.images[digit]) / np.float32(255)).astype(np.float32)
        window.session.set_drawing(Drawing(
            x28, x28, reader.predict_proba(x28.reshape(1, 784))[0], reader,
            f"test digit #{digit + 1}", int(test.labels[digit])))
        view = window.show_view("network")
        settle()
        view.walk.start()
        view.walk.index = next(i for i, s in enumerate(view.walk.walk.stages)
                               if s.kind == kind and layer in (None, s.layer))
        view.walk.show_stage()

    return prepare


def nudged(window, index: int = 0, target: int = 5) -> None:
    """MNIST test digit ``index`` drawn on the board (a 7 for index 0), then the input view's
    nudge toward ``target`` until the network is 99% sure of it."""
    from helpers.handwriting import replay_digit

    from core.strokes import digit_strokes

    window.canvas.clear()
    digit = window.session.data.test.images[index].astype(float) / 255
    replay_digit(None, window.canvas, digit_strokes(digit), height_frac=0.62)
    view = window.show_view("input")
    view.set_target(target)
    view.until.setCurrentIndex(view.until.findData(0.99))
    settle()
    if not view.nudge():
        raise RuntimeError("the nudge did not start")
    wait_until(lambda: not view.nudging, 60)


LAPTOP, SMALL = (1366, 768), (1024, 640)  # the window's size: a common laptop, a small screen
SHOTS: list[Shot] = [
    Shot("evaluation", "screenshot-evaluation.png", LAPTOP, prepare=evaluated, stage="before"),
    Shot("my digits", "screenshot-mydigits.png", LAPTOP, prepare=labelled_and_fine_tuned,
         stage="before"),
    Shot("steps", "screenshot-steps.png", LAPTOP, prepare=stepping_at("BP2", 2, digit=18),
         stage="before"),
    Shot("steps-dark", "screenshot-steps-dark.png", LAPTOP, dark=True,
         prepare=stepping_at("forward", 2, digit=18), stage="before"),
    Shot("input", "screenshot-input.png", LAPTOP, prepare=nudged, stage="before"),
    Shot("input dark", "screenshot-input-dark.png", LAPTOP, dark=True, prepare=nudged,
         stage="before"),
    Shot("window", "screenshot.png", LAPTOP, view="plots", settings=True),
    Shot("laptop", "screenshot-1366x768.png", LAPTOP, view="plots"),
    Shot("network", "screenshot-network.png", LAPTOP, view="network"),
    Shot("weights", "screenshot-weights.png", LAPTOP, view="weights"),
    Shot("backprop", "screenshot-backprop.png", LAPTOP, view="backprop"),
    Shot("backprop-lesson", "screenshot-backprop-lesson.png", LAPTOP, prepare=backprop_lesson,
         stage="seed"),
    Shot("compare", "screenshot-compare.png", LAPTOP, prepare=comparing, stage="compare"),
    Shot("small", "screenshot-1024x640.png", SMALL, view="network"),
    Shot("dark", "screenshot-dark.png", LAPTOP, dark=True, view="plots"),
]


def wait_until(done, timeout_s: float) -> None:
    """Run the event loop until ``done()`` (checked every 50 ms), or raise TimeoutError."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    clock = QElapsedTimer()
    clock.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(
        lambda: loop.quit() if done() or clock.elapsed() > timeout_s * 1000 else None)
    timer.start(50)
    while not done():
        if clock.elapsed() > timeout_s * 1000:
            raise TimeoutError("the window did not get there in time")
        loop.exec()
    timer.stop()


def settle(ms: int = 400) -> None:
    """Let the window lay itself out and repaint (a resize, a palette change)."""
    from PySide6.QtCore import QElapsedTimer

    clock = QElapsedTimer()
    clock.start()
    wait_until(lambda: clock.elapsed() >= ms, ms / 1000 + 5)


def take(window, shot: Shot, out: Path, light, dark) -> Path:
    from PySide6.QtWidgets import QApplication

    QApplication.instance().setPalette(dark if shot.dark else light)
    window.set_settings_open(shot.settings)
    window.resize(*shot.size)
    if shot.view is not None and hasattr(window, "show_view"):
        window.show_view(shot.view)
    if shot.prepare is not None:
        shot.prepare(window)
    settle()
    path = out / shot.file
    image = window.grab()
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    size = window.size()
    note = "" if (size.width(), size.height()) == shot.size else " (not the size asked for)"
    print(f"{shot.name}: wrote {path} ({size.width()}×{size.height()}{note})")
    return path


def parse_args() -> argparse.Namespace | None:
    """The command line; None once ``--list`` has listed the shots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist", nargs="?", default=os.environ.get("MNIST_DIR"))
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="take only these shots")
    parser.add_argument("--list", action="store_true", help="list the shots and exit")
    parser.add_argument("--digit", type=int, default=0, help="index of the MNIST test digit")
    parser.add_argument("--epoch", type=int, default=2, help="shoot once this epoch has points")
    parser.add_argument("--timeout", type=float, default=300, help="seconds")
    parser.add_argument("--seed-epochs", type=int, default=4,
                        help="epochs of the seed run the backprop-lesson shot teaches")
    parser.add_argument("--compare-epochs", type=int, default=3,
                        help="epochs of the default run compared with the seed run")
    args = parser.parse_args()
    if args.list:
        for shot in SHOTS:
            print(f"{shot.name:16} {shot.file:34} {shot.size[0]}×{shot.size[1]} {shot.stage}"
                  f"{' dark' if shot.dark else ''}{' settings' if shot.settings else ''}"
                  f"{f' view={shot.view}' if shot.view else ''}")
        return None
    unknown = set(args.only or ()) - {s.name for s in SHOTS}
    if unknown:
        parser.error(f"no such shot: {', '.join(sorted(unknown))} (see --list)")
    if not args.mnist:
        parser.error("give the MNIST folder or set MNIST_DIR")
    return args


def main() -> int:
    args = parse_args()
    if args is None:
        return 0
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    tmp = tempfile.mkdtemp(prefix="ffn-gui-shot-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")  # my digits, read when the window opens
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ffn-gui")

    from helpers.handwriting import replay_digit

    from core.data import load_data
    from core.strokes import digit_strokes
    from ffn_gui import MainWindow
    from ffn_gui.shell.theme import dark_palette

    light, dark = QPalette(app.palette()), dark_palette()
    window = MainWindow(search_data=False)
    window.show_error = lambda title, text: print(f"error: {title}: {text}", file=sys.stderr)
    window.resize(*SHOTS[0].size)
    window.show()
    # Named as a user's folder would be, so the data line shows no path of this machine.
    data = dataclasses.replace(load_data(args.mnist), source="~/mnist")
    window.set_data(data)
    window.training_panel.set_preset("default")
    window.ask_train_over = lambda: ("discard", False)  # Train replaces a fine-tuned model
    wait_until(lambda: window.canvas.isVisible(), 10)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        if shot.stage == "before":
            take(window, shot, args.out_dir, light, dark)
    if all(s.stage == "before" for s in shots):
        return close(window)

    window.canvas.clear()  # what a before shot left on the board (a nudged digit) goes
    window.view_tabs.views["network"].walk.leave()  # and the step-through the steps shots began
    digit = data.test.images[args.digit].astype(float) / 255
    replay_digit(None, window.canvas, digit_strokes(digit), height_frac=0.62)
    window.show_view("plots")  # a hidden view does no work: the wait below reads the plots
    if any(s.stage == "training" for s in shots):
        shoot_training(window, shots, args, light, dark)
    if any(s.stage in ("seed", "compare") for s in shots):
        shoot_seed_then_compare(window, shots, args, light, dark)
    return close(window)


def shoot_training(window, shots: list[Shot], args, light, dark) -> None:
    """The ``training`` shots, of the ``default`` run once the plots hold points of
    ``args.epoch``; then the run is stopped."""
    from PySide6.QtWidgets import QApplication

    if not window.start_training():
        raise RuntimeError("training did not start")
    plots = window.plots
    wait_until(lambda: plots.n_epoch_points >= args.epoch - 1
               and plots.batch_cost.n and plots.batch_cost.x[plots.batch_cost.n - 1]
               > args.epoch - 0.5, args.timeout)
    for shot in shots:
        if shot.stage == "training":
            take(window, shot, args.out_dir, light, dark)
    QApplication.instance().setPalette(light)
    window.stop_training()
    wait_until(lambda: not window.training, 30)


def shoot_seed_then_compare(window, shots: list[Shot], args, light, dark) -> None:
    """A short ``seed`` run (the notes' network) to its end, the ``seed`` shots of the model it
    made, then a short ``default`` run to its end and the ``compare`` shots."""
    for name, epochs, stage in (("seed", args.seed_epochs, "seed"),
                                ("default", args.compare_epochs, "compare")):
        train_to_end(window, name, epochs, args.timeout)
        for shot in shots:
            if shot.stage == stage:
                take(window, shot, args.out_dir, light, dark)


def train_to_end(window, preset_name: str, epochs: int, timeout_s: float) -> None:
    """Train a new network of preset ``preset_name`` for ``epochs`` epochs, and wait for the
    run's end (its test accuracy measured)."""
    from core.training import preset

    window.training_panel.set_config(preset(preset_name, epochs=epochs), preset_name)
    finished = []
    window.training_finished.connect(finished.append)
    try:
        if not window.start_training():
            raise RuntimeError(f"the {preset_name} run did not start")
        wait_until(lambda: finished, timeout_s)
    finally:
        window.training_finished.disconnect(finished.append)
    if isinstance(finished[0], BaseException):
        raise RuntimeError(f"the {preset_name} run failed: {finished[0]}")


def close(window) -> int:
    window.ask_save_changes = lambda: "discard"  # a trained or fine-tuned model is not kept
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
