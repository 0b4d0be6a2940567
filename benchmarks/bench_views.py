"""What each view costs the GUI thread while you draw, and when you switch to it (no training).

    python benchmarks/bench_views.py [--digits 12] [--views plots,network,weights,backprop,input]
                                     [--seed-network]

Opens the real window (offscreen unless a display is set) with the bundled model and, for each
view in turn, replays pen-drawn digits (``tests/helpers/styles.py``) on the board as mouse
events, one every 10 ms as a hand sends them: the weights view sorted by activation (so it
follows the drawing), the backprop view told the true digit (so every panel follows it), the
input view given a target digit k (its map follows the drawing; then it nudges each digit toward
k and reports the GUI thread's time per animation frame).
Prints, per view: how busy the GUI thread was, the view's refresh time, the paint time of the
costliest widgets per paint, and how long the GUI thread was busy when the view was switched
to (the window's other views hidden). Times are this machine's; compare runs side by side.
``--seed-network`` reads with a fresh network of the `seed` preset's shape (sigmoid, quadratic
cost) instead of the bundled model: the backprop view then draws all of BP1 (aᴸ − y, σ′(zᴸ), δᴸ
and the saturation line) with *What if the cost were cross-entropy?* on, and checks a chosen
weight's gradient again at every refresh.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EVENT_MS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=12)
    parser.add_argument("--views", default="plots,network,weights,backprop,input")
    parser.add_argument("--seed-network", action="store_true",
                        help="a fresh sigmoid + quadratic network (the seed preset's shape)")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="ffn-gui-bench-"))
    app = timed_app(sys.argv[:1])

    from ffn_gui import MainWindow
    from helpers.styles import style_digits

    window = MainWindow(search_data=False)
    window.resize(1400, 880)
    window.show()
    app.processEvents()
    if args.seed_network:
        seed_network(app, window)
    digits = style_digits(args.digits, seed=1)
    names = [n for n in args.views.split(",") if n]
    for name in names:
        view = window.show_view(name)
        if hasattr(view, "sort"):
            view.sort.setChecked(True)
    print(f"{len(digits)} digits a view, an event every {EVENT_MS} ms; paint times per paint")
    for name in names:
        switch = switch_cost(app, window, name, names)
        busy, refresh, paints = drawing_cost(app, window, name, digits)
        top = ", ".join(f"{k} {ms:.2f} ms" for k, ms in paints[:3])
        print(f"{name:9} GUI thread busy {100 * busy:3.0f}%; refresh p95 {refresh:.2f} ms; "
              f"switching to it {switch:.0f} ms; paints: {top}")
        if hasattr(window.view_tabs.views[name], "nudge"):
            frames, steps = nudge_cost(app, window, name, digits)
            print(f"{name:9} nudge: {steps} steps in all, a frame busies the GUI thread "
                  f"{np.median(frames):.2f} ms (median), {np.percentile(frames, 95):.2f} ms "
                  f"(p95)")
    if "network" in names:
        step, paint, text, switch, refresh = walkthrough_cost(app, window, names, digits[0])
        print(f"network, stepping through (at BP2): a step (▶/◀) keeps the GUI thread busy "
              f"{step:.2f} ms (median); repaint: diagram {paint:.2f} ms, text {text:.2f} ms; "
              f"switching to it {switch:.0f} ms; refresh while drawing p95 {refresh:.2f} ms")
    window.ask_save_changes = lambda: "discard"
    window.close()
    return 0


def seed_network(app, window) -> None:
    """A fresh 784-128-128-10 sigmoid + quadratic network; in the backprop view the
    cross-entropy switch on and the gradient of one weight of neuron 0 checked."""
    from helpers.panel import configure
    from helpers.views import digit_image

    configure(window, hidden="128,128", activation="sigmoid", cost="quadratic")
    assert window.new_network()
    window.canvas.show_picture(np.kron(digit_image(), np.ones((10, 10))))
    view = window.show_view("backprop")
    settle(app)
    view.bp1_panel.what_if.setChecked(True)
    window.session.inspection.select(0, 0)
    view.flush()
    assert view.check_weight(14 * 28 + 14) is not None


def timed_app(argv):
    """A QApplication that times what it delivers: ``app.busy`` is the seconds spent in events
    (outermost only), ``app.paints[name]`` is [paints, seconds] per widget class (for a
    viewport, its scroll area's: a pyqtgraph view's paints are its viewport's)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    class App(QApplication):
        paints: dict = collections.defaultdict(lambda: [0, 0.0])
        busy = 0.0
        depth = 0

        def notify(self, receiver, event):  # noqa: N802 - Qt's name
            paint = event.type() == QEvent.Type.Paint
            t = time.perf_counter()
            self.depth += 1
            try:
                return super().notify(receiver, event)
            finally:
                self.depth -= 1
                dt = time.perf_counter() - t
                if self.depth == 0:
                    self.busy += dt
                if paint:
                    name = type(receiver).__name__
                    if name == "QWidget" and receiver.parentWidget() is not None:
                        name = type(receiver.parentWidget()).__name__  # a scroll area's
                    self.paints[name][0] += 1
                    self.paints[name][1] += dt

    return App(argv)


def settle(app, seconds: float = 0.1) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()


def switch_cost(app, window, name: str, names: list[str]) -> float:
    """Median ms the GUI thread spends on showing view ``name`` (from another): the switch
    and the events it brings (layout, refresh, paint)."""
    from helpers.handwriting import replay_digit
    from helpers.styles import style_digits

    times = []
    other = next((n for n in names if n != name), "plots" if name != "plots" else "network")
    for digit in style_digits(4, seed=7):
        window.show_view(other)
        replay_digit(None, window.canvas, digit.strokes)  # the view has changes to catch up
        settle(app)
        t0, busy0 = time.perf_counter(), app.busy
        window.show_view(name)
        shown = time.perf_counter() - t0  # the switch itself, outside any event
        settle(app)
        times.append((shown + app.busy - busy0) * 1000)
    return float(np.median(times))


def walkthrough_cost(app, window, names: list[str], digit) -> tuple[float, ...]:
    """The network view stepping through the algorithm (at BP2: the framed layers coloured by
    δ, the longest text): (median ms busy per step ▶ or ◀, ms per repaint of the diagram and of
    the step's text, median ms switching to the view, refresh p95 ms while strokes come)."""
    from helpers.handwriting import replay_digit
    from helpers.styles import style_digits

    view = window.show_view("network")
    replay_digit(None, window.canvas, digit.strokes)
    settle(app)
    walk = view.walk
    walk.start()
    bp2 = next(i for i, s in enumerate(walk.walk.stages) if s.kind == "BP2")
    steps = []
    app.paints.clear()
    for i in range(60):  # back and forth over BP2: ▶ then ◀
        busy0 = app.busy
        button = walk.on if i % 2 == 0 else walk.back
        t0 = time.perf_counter()
        button.click()
        clicked = time.perf_counter() - t0
        settle(app, 0.03)
        steps.append((clicked + app.busy - busy0) * 1000)
    paints = {k: 1000 * tot / n for k, (n, tot) in app.paints.items() if n}
    walk.index = bp2
    walk.show_stage()
    other = next((n for n in names if n != "network"), "plots")
    switches = []
    for more in style_digits(4, seed=7):
        window.show_view(other)
        replay_digit(None, window.canvas, more.strokes, clear=False)  # still a digit: stepping
        settle(app)
        t0, busy0 = time.perf_counter(), app.busy
        window.show_view("network")
        shown = time.perf_counter() - t0
        settle(app)
        switches.append((shown + app.busy - busy0) * 1000)
    assert walk.active and walk.stage.kind == "BP2", "the step-through was left"
    refreshes = timed_refreshes(view)
    for more in style_digits(3, seed=3):
        replay_digit(None, window.canvas, more.strokes, clear=False)
        settle(app)
    del view.refresh  # the class's own again
    walk.leave()
    return (float(np.median(steps)), paints.get("NetworkDiagram", 0.0),
            paints.get("TwoLines", 0.0), float(np.median(switches)),
            float(np.percentile(refreshes, 95)) * 1000 if refreshes else 0.0)


def timed_refreshes(view) -> list[float]:
    """Have ``view.refresh`` record how long each call takes (seconds) in the returned list,
    until ``del view.refresh``."""
    refreshes: list[float] = []
    refresh = view.refresh

    def timed() -> None:
        t = time.perf_counter()
        refresh()
        refreshes.append(time.perf_counter() - t)

    view.refresh = timed
    return refreshes


def drawing_cost(app, window, name: str, digits) -> tuple[float, float, list]:
    """(busy fraction, refresh p95 ms, [(widget, ms per paint)] costliest first) while
    ``digits`` are drawn with view ``name`` shown."""
    from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest

    from helpers.handwriting import layout_strokes

    view = window.show_view(name)
    settle(app)
    board = window.canvas.board_rect()
    events: list[tuple] = []
    for digit in digits:
        events.append(("clear", digit.label))
        for xy in layout_strokes(digit.strokes, (board.x(), board.y(), board.width()), 0.6,
                                 step=board.width() / 28):
            points = [QPoint(round(x), round(y)) for x, y in xy]
            events += [("press", points[0])] + [("move", p) for p in points[1:]]
            events.append(("release", points[-1]))
    refreshes = timed_refreshes(view)
    loop = QEventLoop()

    def feed() -> None:
        if not events:
            loop.quit()
            return
        kind, arg = events.pop(0)
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        if kind == "clear":
            window.canvas.clear()
            if hasattr(view, "set_label"):
                view.set_label(arg)
            if hasattr(view, "set_target"):
                view.set_target((arg + 3) % 10)
        elif kind == "press":
            QTest.mousePress(window.canvas, left, none, arg)
        elif kind == "move":
            QTest.mouseMove(window.canvas, arg)
        else:
            QTest.mouseRelease(window.canvas, left, none, arg)

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(feed)
    app.paints.clear()
    c0, w0 = time.thread_time(), time.perf_counter()
    timer.start(EVENT_MS)
    loop.exec()
    timer.stop()
    busy = (time.thread_time() - c0) / (time.perf_counter() - w0)
    del view.refresh  # the class's own again
    paints = sorted(((k, 1000 * tot / n) for k, (n, tot) in app.paints.items() if n > 20),
                    key=lambda kv: -kv[1] * app.paints[kv[0]][0])
    p95 = float(np.percentile(refreshes, 95)) * 1000 if refreshes else 0.0
    return busy, p95, paints


def nudge_cost(app, window, name: str, digits) -> tuple[list[float], int]:
    """(GUI-thread ms of each animation frame, steps taken) while view ``name`` nudges each of
    ``digits`` toward another digit: the steps, the session's new drawing, and every repaint
    it brings (the view's panels and the prediction pane)."""
    from helpers.handwriting import replay_digit

    view = window.show_view(name)
    frames, steps = [], 0
    advance = view._advance

    def timed() -> None:
        t = time.perf_counter()
        advance()
        app.processEvents()  # the refreshes and repaints the new drawing asks for
        frames.append((time.perf_counter() - t) * 1000)

    view.timer.timeout.disconnect()
    view.timer.timeout.connect(timed)
    for digit in digits:
        window.canvas.clear()
        replay_digit(None, window.canvas, digit.strokes)
        settle(app)
        view.set_target((digit.label + 3) % 10)
        view.nudge()
        while view.nudging:
            app.processEvents()
        steps += view.last_step.step
    view.timer.timeout.disconnect()
    view.timer.timeout.connect(advance)
    return frames, steps


if __name__ == "__main__":
    sys.exit(main())
