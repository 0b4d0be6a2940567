"""How soon does Train answer? bench_gui.py --first-feedback.

    MNIST_DIR=/path/to/mnist python benchmarks/bench_gui.py --first-feedback [--runs 3]
        [--presets seed,default]

Opens the real window (offscreen unless a display is set) with the Training view shown, and
for each preset clicks Train (``window.start_training()``) ``--runs`` times with a cold cache
of prepared digits (the cache folder emptied first, as on a new user's first run) and
``--runs`` times with a warm one. Each run is stopped at its first epoch's end. For each it
prints the time from Train to the first batch cost handed to the cost plot (the plot draws it
at the next frame), to the first epoch's end, and the worst stall of the GUI thread in that
time (a 5 ms heartbeat, as bench_gui's), with the load average beside. Target: first cost
<= 0.5 s for every preset and cache.

The benchmark keeps its caches in a folder of its own (``XDG_CACHE_HOME`` set to a temporary
folder), never in the user's. Exits 1 if a first cost came later than 0.5 s.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import numpy as np

TARGET_S = 0.5


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def first_feedback(mnist: str, runs: int, presets: list[str]) -> int:
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ffn-gui-bench-cache-")
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      tempfile.mkdtemp(prefix="ffn-gui-bench-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from core.data import load_data
    from core.prepare import cache_folder
    from ffn_gui import MainWindow

    window = MainWindow(search_data=False)
    window.show_error = lambda title, text: print(f"error: {title}: {text}", file=sys.stderr)
    window.ask_train_over = lambda: ("discard", False)
    window.resize(1400, 880)
    window.show()
    window.set_data(load_data(mnist))
    plots = window.show_view("plots").plots
    clock = Clock(window, plots)
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(clock.beat)
    heartbeat.start(5)
    print(f"first feedback: Train -> first batch cost on the plot, -> first epoch's end; "
          f"{runs} runs each (target first cost <= {TARGET_S} s)")
    worst = 0.0
    for name in presets:
        window.training_panel.set_preset(name)
        app.processEvents()
        for cache in ("cold", "warm"):
            for _ in range(runs):
                if cache == "cold":
                    shutil.rmtree(cache_folder(), ignore_errors=True)
                figures = clock.run(QEventLoop)
                if figures is None:
                    return 2
                first, epoch, stall = figures
                worst = max(worst, first)
                print(f"  {name:8s} {cache} cache: first cost {first:.3f} s, first epoch's end "
                      f"{epoch:.2f} s, GUI stall max {stall:.1f} ms  (load {load_average()})")
    heartbeat.stop()
    window.ask_save_changes = lambda: "discard"
    window.close()
    return 0 if worst <= TARGET_S else 1


class Clock:
    """Clicks Train and times the run's first cost on the plot and its first epoch's end."""

    def __init__(self, window, plots) -> None:
        self.window, self.beats = window, []
        self.first_cost = self.epoch_end = self.t0 = None
        add = plots.add_progress

        def timed_add(items) -> None:
            add(items)
            if self.first_cost is None and any(not hasattr(p, "eta") for p in items):
                self.first_cost = time.perf_counter()

        plots.add_progress = timed_add
        window.training_progress.connect(self._on_progress)

    def beat(self) -> None:
        self.beats.append(time.perf_counter())

    def _on_progress(self, items) -> None:
        if self.epoch_end is None and any(hasattr(p, "eta") for p in items):
            self.epoch_end = time.perf_counter()
            self.window.stop_training()

    def run(self, event_loop) -> tuple[float, float, float] | None:
        """One run, stopped at its first epoch's end: (first cost s, epoch end s, stall ms)."""
        self.first_cost = self.epoch_end = None
        loop = event_loop()
        self.window.training_finished.connect(loop.quit)
        self.t0 = time.perf_counter()
        self.beats = [self.t0]
        if not self.window.start_training():
            print("could not start training", file=sys.stderr)
            return None
        loop.exec()
        self.window.training_finished.disconnect(loop.quit)
        if self.first_cost is None or self.epoch_end is None:
            print("the run ended before its first epoch did", file=sys.stderr)
            return None
        beats = np.array([b for b in self.beats if b <= self.epoch_end])
        stall = float(np.max(np.diff(beats) * 1000 - 5, initial=0.0))
        return self.first_cost - self.t0, self.epoch_end - self.t0, stall
