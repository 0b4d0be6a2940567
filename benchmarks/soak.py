"""Thread soak: start/stop, start/pause/stop, start/close-window and double-clicked Train,
many times over, in the real window (offscreen). Each start/close-window cycle shows the next
of the window's views (``ffn_gui.views.VIEWS``) while the run goes on, so every view is closed
mid-run, busy with the run's snapshots.

    python benchmarks/soak.py [--cycles 100]

Prints the cycles completed of each kind, crashes (exceptions or Qt warnings), worker threads
left running, and resident memory growth from after a warm-up to the end (target < 50 MB).
tests/gui/test_soak.py runs the same function under pytest (marked slow; run by .ci/run).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _wait(app, condition, timeout: float = 10.0) -> bool:
    """Run the event loop until ``condition()`` or ``timeout`` seconds pass."""
    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return True


def run_soak(cycles: int = 100, report=print, isolate: bool = True) -> dict:
    """Run ``cycles`` cycles of each kind; ``isolate`` points settings and data folders at a
    temporary folder (tests do that with their own fixture)."""
    import numpy as np
    from helpers.synthetic import blobs
    from PySide6.QtCore import QEvent, Qt, QtMsgType, qInstallMessageHandler
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from core.data import Dataset, MnistData
    from core.training import TrainConfig
    from ffn_gui import MainWindow
    from ffn_gui.work import workers

    app = QApplication.instance() or QApplication([])
    qt_warnings: list[str] = []

    def on_message(kind, context, message):
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg) \
                and "propagateSizeHints" not in message:  # the offscreen platform's own notice
            qt_warnings.append(message)

    previous_handler = qInstallMessageHandler(on_message)
    rng = np.random.default_rng(0)
    train, test = blobs(3000, rng), blobs(200, rng)
    data = MnistData(Dataset(train.images, train.labels, "soak"),
                     Dataset(test.images, test.labels, "soak"), "soak")

    if isolate:
        home = tempfile.mkdtemp(prefix="ffn-soak-")
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            os.environ[var] = os.path.join(home, var.lower())
        os.environ.pop("MNIST_DIR", None)
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)

    errors: list[str] = []
    crashes = 0
    from ffn_gui.views import VIEWS

    # Only a window that hosts the views can show them (the shell's show_view).
    view_names = [v.name for v in VIEWS] if hasattr(MainWindow, "show_view") else []
    views_closed = dict.fromkeys(view_names, 0)

    def make_window():
        w = MainWindow(search_data=False)
        w.show_error = lambda title, text: errors.append(f"{title}: {text}")
        w.ask_save_changes = lambda: "discard"
        w.ask_train_over = lambda: ("discard", False)  # each cycle trains over the last run
        w.set_data(data)
        w.training_panel.set_config(TrainConfig(hidden=(32,), epochs=200, batch_size=10,
                                                validation=500, learning_rate=1.0))
        w.progress_seen = False
        w.training_progress.connect(lambda *_: setattr(w, "progress_seen", True))
        w.show()
        return w

    def one_cycle(kind: str, w):
        nonlocal crashes
        finished: list = []
        w.training_finished.connect(finished.append)
        try:
            if kind == "double-click":
                button = w.training_panel.train_button
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # a double click's two
                QTest.mouseDClick(button, Qt.MouseButton.LeftButton)  # presses, then its dbl
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                app.processEvents()
                assert w.training, "Train did not start a run"
                assert len(workers.running_jobs()) == 1, "a double click started two runs"
            else:
                assert w.start_training(), "could not start"
            w.progress_seen = False
            if kind == "close" and view_names:
                name = view_names[sum(views_closed.values()) % len(view_names)]
                view = w.show_view(name)
                views_closed[name] += 1
            _wait(app, lambda: w.progress_seen or finished, 2)  # let the run get going
            if kind == "close" and view_names:
                _wait(app, lambda: view.refreshes > 0, 2)
            if kind == "pause":
                w.pause_training()
                app.processEvents()
            if kind == "close":
                w.close()
                return
            w.stop_training()
            if not _wait(app, lambda: finished, 5):
                raise AssertionError(f"{kind}: the run did not stop within 5 s")
        except Exception as e:  # counted, reported, and the soak goes on
            crashes += 1
            errors.append(f"{kind}: {e!r}")
        finally:
            try:
                w.training_finished.disconnect(finished.append)
            except (RuntimeError, TypeError):
                pass

    kinds = ["stop", "pause", "close", "double-click"]
    done = dict.fromkeys(kinds, 0)
    start_rss = None
    window = make_window()
    t0 = time.monotonic()
    for i in range(cycles):
        for kind in kinds:
            one_cycle(kind, window)
            if kind == "close":
                _wait(app, lambda: not workers.running_jobs(), 5)
                window.deleteLater()
                app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # not run by
                app.processEvents()  # processEvents: deleteLater needs the loop or this
                window = None
                gc.collect()
                window = make_window()
            done[kind] += 1
        if i == min(9, cycles - 1):
            gc.collect()
            start_rss = rss_mb()
    window.close()
    _wait(app, lambda: not workers.running_jobs(), 5)
    leftover = len(workers.running_jobs())
    import multiprocessing

    processes = len(multiprocessing.active_children())  # the training runs' (reaps ended ones)
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    window = None
    gc.collect()
    report(f"top-level widgets left: {len(app.topLevelWidgets())}")
    growth = rss_mb() - start_rss
    qInstallMessageHandler(previous_handler)
    result = {"cycles": done, "crashes": crashes + len(qt_warnings), "leftover_threads": leftover,
              "leftover_processes": processes,
              "views_closed_mid_run": views_closed,
              "memory_growth_mb": round(growth, 1), "seconds": round(time.monotonic() - t0, 1),
              "errors": errors[:5], "qt_warnings": qt_warnings[:5]}
    report(f"cycles completed: {', '.join(f'{k} {v}' for k, v in done.items())} "
           f"({sum(done.values())} in {result['seconds']} s)")
    report(f"crashes: {result['crashes']}  (exceptions {crashes}, Qt warnings {len(qt_warnings)})")
    report(f"leftover threads: {leftover}, training processes: {processes}")
    report("views shown when the window was closed mid-run: "
           + (", ".join(f"{k} {v}" for k, v in views_closed.items()) or "none"))
    report(f"memory growth: {growth:+.1f} MB after warm-up (target < 50 MB)")
    for line in result["errors"] + result["qt_warnings"]:
        report(f"  {line}")
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cycles", type=int, default=100, help="cycles of each kind")
    args = p.parse_args()
    result = run_soak(args.cycles)
    sys.exit(0 if result["crashes"] == 0 and result["leftover_threads"] == 0
             and result["leftover_processes"] == 0 else 1)


if __name__ == "__main__":
    main()
