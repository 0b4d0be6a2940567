"""Is the window smooth while it trains? Stalls of the GUI thread and stroke -> answer latency.

    MNIST_DIR=/path/to/mnist python benchmarks/bench_gui.py [--epochs 2] [--strokes 100]

Opens the real window (offscreen unless a display is set), loads MNIST from $MNIST_DIR and
trains the ``default`` preset for ``--epochs`` epochs. Meanwhile:

- a 5 ms heartbeat ``QTimer`` on the GUI thread records when it actually fires; a stall is a
  gap minus 5 ms (targets: max < 50 ms, p99 < 20 ms);
- ``--strokes`` strokes of MNIST *test* digits (traced by ``core.strokes``) are replayed into
  ``window.canvas`` as mouse events, one event every 10 ms as a hand would send them; the
  latency is the time from sending an event to ``prediction_changed`` (target p95 < 10 ms).
  The replay starts with the run and goes on after it if the run ends first.

Prints the numbers and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEARTBEAT_MS = 5
EVENT_MS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", default=os.environ.get("MNIST_DIR"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--strokes", type=int, default=100)
    args = parser.parse_args()
    if not args.mnist:
        parser.error("set MNIST_DIR or pass --mnist")

    from PySide6.QtCore import QEventLoop, QPoint, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="ffn-gui-bench-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from handwriting import layout_strokes

    from core.data import load_data
    from core.strokes import digit_strokes
    from ffn_gui import MainWindow

    window = MainWindow(search_data=False)
    window.show_error = lambda title, text: print(f"error: {title}: {text}", file=sys.stderr)
    window.resize(1400, 880)
    window.show()
    data = load_data(args.mnist)
    window.set_data(data)
    window.training_panel.set_preset("default")
    window.training_panel.controls["epochs"].setValue(args.epochs)
    app.processEvents()

    # The strokes, as a queue of mouse events in canvas coordinates.
    canvas = window.canvas
    board = canvas.board_rect()
    events: list[tuple] = []
    strokes_left, i = args.strokes, 0
    while strokes_left > 0:
        digit = data.test.images[i].astype(float) / 255
        i += 1
        strokes = digit_strokes(digit)
        if not strokes:
            continue
        events.append(("clear",))
        for xy in layout_strokes(strokes, (board.x(), board.y(), board.width()), 0.6,
                                 step=board.width() / 28):
            points = [QPoint(round(x), round(y)) for x, y in xy]
            events.append(("press", points[0]))
            events += [("move", p) for p in points[1:]]
            events.append(("release", points[-1]))
            strokes_left -= 1
            if strokes_left == 0:
                break

    beats: list[float] = []
    latencies: list[float] = []
    lat_at: list[float] = []
    sent = [0.0]
    waiting = [False]

    def on_prediction(_probs) -> None:
        if waiting[0]:
            latencies.append(time.perf_counter() - sent[0])
            lat_at.append(sent[0])
            waiting[0] = False

    window.prediction_changed.connect(on_prediction)
    marks: list[tuple[float, str]] = []
    window.training_progress.connect(lambda items: marks.append(
        (time.perf_counter(), "E" if any(hasattr(p, "eta") for p in items) else "")))

    def feed() -> None:
        if not events:
            feeder.stop()
            if finished:
                loop.quit()
            return
        kind, *rest = events.pop(0)
        left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        sent[0] = time.perf_counter()
        waiting[0] = kind in ("move", "release")
        if kind == "clear":
            canvas.clear()
        elif kind == "press":
            QTest.mousePress(canvas, left, none, rest[0])
        elif kind == "move":
            QTest.mouseMove(canvas, rest[0])
        else:
            QTest.mouseRelease(canvas, left, none, rest[0])
        waiting[0] = False

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)
    feeder.timeout.connect(feed)

    loop = QEventLoop()
    finished = []
    ended = []

    def on_finished(result) -> None:
        finished.append(result)
        ended.append(time.perf_counter())
        if not events:
            loop.quit()

    window.training_finished.connect(on_finished)
    n_events = len(events)
    t0 = time.perf_counter()
    heartbeat.start(HEARTBEAT_MS)
    feeder.start(EVENT_MS)
    if not window.start_training():
        print("could not start training", file=sys.stderr)
        return 2
    loop.exec()
    heartbeat.stop()
    feeder.stop()
    elapsed = time.perf_counter() - t0
    result = finished[0]
    if isinstance(result, BaseException):
        print(f"training failed: {result}", file=sys.stderr)
        return 2

    beats = [b for b in beats if b <= ended[0]]  # stalls are measured while training runs
    gaps = np.diff(beats) * 1000 - HEARTBEAT_MS
    stalls = np.maximum(gaps, 0)
    lat = np.array(latencies) * 1000
    history = result.result.history
    print(f"trained {len(history)} epochs of the default preset in {result.result.elapsed:.1f} s "
          f"({result.result.elapsed / max(len(history), 1):.1f} s/epoch), wall {elapsed:.1f} s; "
          f"test accuracy {100 * result.test_accuracy:.2f}%")
    print(f"heartbeat during the run: {len(beats)} beats of {HEARTBEAT_MS} ms; "
          f"stall max {stalls.max():.1f} ms, "
          f"p99 {np.percentile(stalls, 99):.1f} ms, p50 {np.percentile(stalls, 50):.1f} ms "
          f"(targets: max < 50, p99 < 20)")
    print(f"strokes: {args.strokes} strokes, {n_events} mouse events, one per {EVENT_MS} ms, "
          f"from the start of the run; latency event -> "
          f"probabilities p50 {np.percentile(lat, 50):.2f} ms, p95 {np.percentile(lat, 95):.2f} "
          f"ms, max {lat.max():.2f} ms over {len(lat)} predictions (target p95 < 10)")
    if os.environ.get("BENCH_DEBUG"):
        top = np.argsort(stalls)[-8:][::-1]
        print("worst stalls (ms at s after start):",
              ", ".join(f"{stalls[k]:.0f}@{beats[k] - t0:.2f}" for k in top))
        during = lat[np.array(lat_at) <= ended[0]]
        print(f"latency p95 during the run {np.percentile(during, 95):.2f} ms ({len(during)}), "
              f"after {np.percentile(lat[len(during):], 95):.2f} ms")
        top = np.argsort(lat)[-6:][::-1]
        print("worst latencies:", ", ".join(f"{lat[k]:.0f}@{lat_at[k] - t0:.2f}" for k in top))
        print("progress at:", ", ".join(f"{t - t0:.2f}{k}" for t, k in marks))
    ok = stalls.max() < 50 and np.percentile(stalls, 99) < 20 and np.percentile(lat, 95) < 10
    window.setWindowModified(False)
    window.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
