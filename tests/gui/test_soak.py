"""The thread soak of benchmarks/soak.py, run by CI: 100 cycles each of start/stop,
start/pause/stop, start/close-window and double-clicked Train in the real window."""

import sys
from pathlib import Path

import pytest
from helpers import reliability

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

pytestmark = pytest.mark.slow


def test_soak_100_cycles_of_each_kind(qtbot, capsys):
    from soak import run_soak

    lines = []
    result = run_soak(100, report=lines.append, isolate=False)
    with capsys.disabled():
        print("\nsoak: " + "\nsoak: ".join(lines))
    reliability.count("soak_cycles", sum(result["cycles"].values()))
    reliability.value("soak_crashes", result["crashes"])
    reliability.value("soak_leftover_threads", result["leftover_threads"])
    reliability.value("soak_memory_growth_mb", result["memory_growth_mb"])
    assert result["cycles"] == {"stop": 100, "pause": 100, "close": 100, "double-click": 100}
    assert result["crashes"] == 0, result["errors"] + result["qt_warnings"]
    assert result["leftover_threads"] == 0 and result["leftover_processes"] == 0
    assert result["memory_growth_mb"] < 50
