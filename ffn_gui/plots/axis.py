"""A log-scale axis that labels only ticks that have room: 1-2-5 per decade, or fewer.

pyqtgraph's log axis labels every 1..9 of a decade once the range is under a few decades, and
on a plot 180 px tall "0.9", "0.8", "0.7"... run into each other. This axis picks the densest of
a few readable sets whose closest two ticks are at least ``MIN_GAP_PX`` apart, all on one
level (so the grid follows the labelled ticks only), and labels them as plain numbers.
``snap_up`` and ``snap_down`` round to one set's values, for axis ends that stay put while the
data move a little.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

MIN_GAP_PX = 22  # a tick label is about 14 px tall; keep clear room between two
# Tick sets, densest first, as mantissas of each decade.
MANTISSAS = ((1, 1.5, 2, 3, 5, 7), (1, 2, 5), (1, 3), (1,))


def snap_up(x: float, mantissas: tuple = MANTISSAS[0]) -> float:
    """The smallest of ``mantissas`` (1, 1.5, 2, 3, 5, 7) times a power of ten that is at
    least ``x`` (> 0)."""
    p = 10.0 ** math.floor(math.log10(x))
    return next(m * p for m in (*mantissas, 10) if m * p >= x * (1 - 1e-12))


def snap_down(x: float, mantissas: tuple = MANTISSAS[0]) -> float:
    """The largest of ``mantissas`` times a power of ten that is at most ``x`` (> 0)."""
    p = 10.0 ** math.floor(math.log10(x))
    return next(m * p for m in reversed(mantissas) if m * p <= x * (1 + 1e-12))


def log_ticks(lo: float, hi: float, size_px: float) -> list[float]:
    """Ticks (as log10 values) between ``lo`` and ``hi`` (log10) on an axis ``size_px`` long."""
    lo, hi = sorted((lo, hi))
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0 or size_px <= 0:
        return []
    px_per_decade = size_px / (hi - lo)
    decades = range(math.floor(lo), math.ceil(hi) + 1)
    for mantissas in MANTISSAS:
        logs = np.log10(mantissas)
        gaps = np.diff(np.append(logs, 1.0))
        if gaps.min() * px_per_decade >= MIN_GAP_PX:
            values = [d + v for d in decades for v in logs]
            return [v for v in values if lo <= v <= hi]
    # Decades too close: every k-th decade.
    step = math.ceil(MIN_GAP_PX / px_per_decade)
    return [float(d) for d in decades if d % step == 0 and lo <= d <= hi]


def tick_label(log_value: float) -> str:
    """0.02, 0.5, 1, 20: the value itself, as short as it is exact."""
    return f"{10 ** log_value:.3g}"


class LogAxis(pg.AxisItem):
    """A left axis for a plot in log-y mode, with readable ticks only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Its ticks are the values themselves (tick_label): pyqtgraph's SI prefix, on by
        # default for an axis whose values are all under 1, wrote "(x0.001)" beside a cost axis
        # from 0.01 to 0.7 whose labels were not scaled at all.
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        ticks = log_ticks(minVal, maxVal, size)
        return [(None, ticks)] if ticks else []

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [tick_label(v) for v in values]
