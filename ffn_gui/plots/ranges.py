"""The training plots' axis ranges, computed from the curves shown (and the previous run when
Compare is on), and set only when they change: a new range redraws the axes, which cost more
than the curves (13 ms -> 3 ms a report, benchmarks/bench_gui.py).

Values are the ``Series`` buffers' filled parts (``s.y[:s.n]``); the cost axis is log10.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from ffn_gui.state.runs import Run

from .axis import MANTISSAS, snap_down, snap_up
from .series import Series


def set_range(plot: pg.PlotItem, axis: str, span: tuple[float, float] | None) -> None:
    """Show ``span`` on ``plot``'s ``axis`` ("x" or "y") unless it already does."""
    key = f"_shown_{axis}_range"
    if span is None or getattr(plot, key, None) == span:
        return
    setattr(plot, key, span)
    if axis == "x":  # room past the ends for the first and last epochs' labels (a
        # narrow plot's axis hid the last one, stopping at 8 of 10 epochs)
        plot.setXRange(*span, padding=0.05)
    else:
        plot.setYRange(*span, padding=0.03)


def x_end(series: list[Series], prev: Run | None, planned_epochs: float) -> float:
    """Both plots show epochs 0 to now, rounded up to 1, 1.5, 2, 3, 5, 7, 10, 15...
    epochs but not past the run's planned end (with Compare on, as far as the previous
    run went), so they line up and the axis moves a few times a run."""
    ends = [s.x[s.n - 1] for s in series if s.n]
    if prev is not None:
        ends += [float(prev.batches["x"][-1])] if prev.batches.n else []
        ends += [float(prev.epochs["epoch"][-1])] if prev.epochs.n else []
    now = max(ends, default=0.0)
    return max(1.0, now, min(snap_up(max(now, 1.0)), planned_epochs))


def cost_range(series: list[Series], prev: Run | None) -> tuple[float, float] | None:
    """(log10 lo, log10 hi): the costs shown, from the 1-2-5 value below the lowest (it
    moves as the cost falls: coarse steps) to the 1-1.5-2-3-5-7 value above the highest;
    None before the first cost."""
    values = [s.y[: s.n] for s in series if s.n]
    if prev is not None:
        values += [prev.batches["smoothed"], prev.epochs["train_cost"],
                   prev.epochs["validation_cost"]]
    values = [v[np.isfinite(v) & (v > 0)] for v in values]
    values = [v for v in values if v.size]
    if not values:
        return None
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    return (math.log10(snap_down(lo, MANTISSAS[1])),
            math.log10(snap_up(hi)))


def accuracy_range(series: list[Series], test_accuracy: float | None,
                   prev: Run | None) -> tuple[float, float] | None:
    """The accuracy axis (in %) spans the points (and the test line) with a little room, so
    a single epoch's point does not blow up a 0.1% difference; None before the first."""
    values = [s.y[: s.n] for s in series if s.n]
    if test_accuracy is not None:
        values.append(np.array([100 * test_accuracy]))
    if prev is not None and prev.epochs.n:
        for name in ("train_accuracy", "validation_accuracy"):
            column = 100 * prev.epochs[name]
            values.append(column[np.isfinite(column)])
    values = [v for v in values if v.size]
    if not values:
        return None
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    pad = max(0.5, 0.1 * (hi - lo))
    return max(lo - pad, 0.0), min(hi + pad, 100.0)
