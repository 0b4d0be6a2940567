"""benchmarks/floor.py, the heartbeat process bench_gui runs beside the window: it beats
until its standard input closes, then reports its stalls."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from floor import Floor, stall_figures, stalls_ms  # noqa: E402


def test_stalls_are_how_late_each_beat_came():
    beats = [0.0, 0.005, 0.010, 0.030, 0.035]  # one beat 15 ms late
    assert list(stalls_ms(beats, 5)) == pytest.approx([0, 0, 15, 0], abs=1e-9)
    figures = stall_figures(beats, 5)
    assert figures["beats"] == 5 and figures["max"] == pytest.approx(15)


def test_the_floor_process_beats_until_told_to_stop():
    floor = Floor()
    floor.start()
    time.sleep(1.5)  # its start (Qt imports) and about a second of 5 ms beats
    t0 = time.perf_counter()
    figures = floor.stop()
    assert time.perf_counter() - t0 < 5  # it quits when its input closes
    assert floor.proc is None
    assert figures is not None and figures["beats"] > 20
    assert 0 <= figures["p50"] <= figures["p99"] <= figures["max"]
