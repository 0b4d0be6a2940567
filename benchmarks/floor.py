"""The machine's own stalls: a process that does nothing but bench_gui's 5 ms heartbeat.

    python benchmarks/floor.py          # beats until its standard input closes, then prints
                                        # one JSON line: {"beats": n, "max": ms, "p99": ms, ...}

bench_gui runs one beside the window while the window trains (``Floor``), so each report
says how much of the window's stall is the machine's: on this 2-core VM an idle event loop's
beats come up to 20-35 ms late, p99 3-7 ms, while a training process busies the other core
(none of it accounted as steal time), against max 3 ms, p99 0.6 ms when the machine is idle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

HEARTBEAT_MS = 5  # as bench_gui's


def stalls_ms(beats: list[float], heartbeat_ms: float = HEARTBEAT_MS):
    """How late (ms) each heartbeat after the first came, from their times ``beats`` (s)."""
    import numpy as np

    gaps = np.diff(np.asarray(beats)) * 1000 - heartbeat_ms
    return np.maximum(gaps, 0) if gaps.size else np.zeros(1)


def stall_figures(beats: list[float], heartbeat_ms: float = HEARTBEAT_MS) -> dict:
    """Max, p99 and p50 of ``stalls_ms``, and the worst eight with the times they ended
    (``time.perf_counter``, the same clock in every process on Linux)."""
    import numpy as np

    stalls = stalls_ms(beats, heartbeat_ms)
    worst = np.argsort(stalls)[-8:][::-1] if len(beats) > 1 else []
    return {"worst": [(float(stalls[k]), beats[k]) for k in worst],  # (ms, perf_counter)
            "beats": len(beats), "max": float(stalls.max()),
            "p99": float(np.percentile(stalls, 99)), "p50": float(np.percentile(stalls, 50))}


class Floor:
    """A ``floor.py`` process: ``start()`` it, ``stop()`` returns its figures (or None)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def stop(self) -> dict | None:
        if self.proc is None:
            return None
        out, _ = self.proc.communicate(timeout=30)  # closes its standard input
        self.proc = None
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return None


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QSocketNotifier, Qt, QTimer

    app = QCoreApplication(sys.argv[:1])
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start(HEARTBEAT_MS)
    closed = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    closed.activated.connect(app.quit)  # bench_gui writes nothing: readable means closed
    app.exec()
    print(json.dumps(stall_figures(beats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
