"""Colour maps for the views of the network's insides, and where cells sit in a layer's grid.

Signed values (weights, weight × input, δ, ∂C/∂w) use CET-D1, a colour-blind-safe diverging
blue–white–red map, with levels symmetric about 0 so white is always 0. Activations use viridis,
sequential and readable on light and dark palettes. Values become RGBA uint8 images here
(``signed_rgba``, ``sequential_rgba``); cells that are not neurons are transparent.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

SIGNED = pg.colormap.get("CET-D1")
SEQUENTIAL = pg.colormap.get("viridis")
_LUTS = {id(m): np.ascontiguousarray(m.getLookupTable(0, 1, 256, alpha=True), np.uint8)
         for m in (SIGNED, SEQUENTIAL)}
SAMPLE = 20_000  # levels from a percentile look at most at about this many values


def to_rgba(values: np.ndarray, cmap, lo: float, hi: float) -> np.ndarray:
    """``values`` (any shape; NaN = no cell) as an RGBA uint8 array of shape values.shape + (4,)."""
    lut = _LUTS[id(cmap)]
    span = hi - lo if hi > lo else 1.0
    v = np.asarray(values, np.float32) - np.float32(lo)
    with np.errstate(over="ignore"):  # a limit near 0 (a sure network's δ): clipped below
        v *= np.float32(min(255 / span, float(np.finfo(np.float32).max)))
    missing = np.isnan(v)
    v[missing] = 0
    np.clip(v, 0, 255, out=v)
    v += 0.5
    # one 32-bit gather per cell (RGBA packed), four times faster than indexing the bytes
    rgba = lut.view(np.uint32)[:, 0][v.astype(np.uint8)]
    rgba[missing] = 0
    return rgba.view(np.uint8).reshape(*rgba.shape, 4)


def nice(x: float) -> float:
    """``x`` rounded up to 1, 1.5, 2, 3, 5 or 7 times a power of ten: legends keep still while
    the values move a little, and an unchanged legend is not redrawn."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    p = 10.0 ** math.floor(math.log10(x))
    return next(m * p for m in (1, 1.5, 2, 3, 5, 7, 10) if m * p >= x * (1 - 1e-12))


def symmetric_limit(values: np.ndarray, percentile: float = 100.0) -> float:
    """The level ±L for signed values: the largest |value| (or a high percentile of them),
    rounded up by ``nice``."""
    v = np.asarray(values).ravel()
    if v.size > 2 * SAMPLE:  # a fixed stride through the values: cheap, and steady
        v = v[:: v.size // SAMPLE]
    v = np.abs(v.astype(np.float64))
    v = v[np.isfinite(v)]
    if not v.size:
        return 1.0
    limit = float(np.percentile(v, percentile)) if percentile < 100 else float(v.max())
    return nice(limit)


def steady(shown: float | None, needed: float, slack: float = 3.0) -> float:
    """A limit for values up to ``needed``: the one ``shown`` while it holds them and is at
    most ``slack`` times bigger, else ``nice(needed)``. A legend or axis whose limit moves is
    redrawn (2 ms and more); while you draw, this one moves when the values grow or shrink
    severalfold, not at each stroke."""
    if shown is not None and needed <= shown <= slack * needed:
        return shown
    return nice(needed)


def signed_rgba(values: np.ndarray, limit: float) -> np.ndarray:
    return to_rgba(values, SIGNED, -limit, limit)


def sequential_rgba(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return to_rgba(values, SEQUENTIAL, lo, hi)


def sign_colors() -> tuple[QColor, QColor]:
    """(positive, negative): the two ends of the diverging map."""
    return SIGNED.map(1.0, mode="qcolor"), SIGNED.map(0.0, mode="qcolor")


def line_colors() -> tuple[QColor, QColor]:
    """(positive, negative) for lines drawn over the palette's background: the diverging map's
    ends, lightened on a dark background (where its dark red and blue would hardly show)."""
    pos, neg = sign_colors()
    back = QApplication.palette().color(QPalette.ColorRole.Window)
    if back.lightness() >= 128:
        return pos, neg
    return QColor(255, 120, 100), QColor(120, 170, 255)


def faded(color: QColor, alpha: int) -> QColor:
    """``color`` at opacity ``alpha``/255 over the palette's background, as an opaque colour
    (semi-transparent lines are ten times slower to paint)."""
    back = QApplication.palette().color(QPalette.ColorRole.Window)
    t = alpha / 255
    return QColor(*(round(t * c + (1 - t) * b) for c, b in
                    zip(color.getRgb()[:3], back.getRgb()[:3])))


def text_color() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.WindowText)


def grid_shape(n: int) -> tuple[int, int]:
    """(rows, columns) of the grid that shows a layer of ``n`` units: twice as tall as wide,
    as 128 → 16 rows of 8."""
    rows = max(1, math.ceil(math.sqrt(2 * n)))
    cols = math.ceil(n / rows)
    rows = math.ceil(n / cols)
    return rows, cols


def as_grid(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A layer's values laid out row by row in a (rows, cols) grid, NaN where no unit is."""
    rows, cols = shape
    grid = np.full(rows * cols, np.nan)
    grid[: len(values)] = values
    return grid.reshape(rows, cols)
