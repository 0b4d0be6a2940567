"""A stand-in for real handwriting: MNIST test digits replayed as mouse strokes into the canvas.

Each digit is thinned to a one-pixel skeleton and traced into the strokes a pen would have drawn
(``core.strokes.digit_strokes``). ``replay_digit`` sends those strokes to a ``DrawingCanvas`` as
ordinary mouse events in widget coordinates (press, moves that carry no button state, release,
one stroke at a time), scaled so the digit spans a given fraction of the board's height and
placed at an offset from the centre, as a person would draw it. The canvas renders the strokes
with its own pen; the prediction is then read from the app. ``proxy_accuracy`` does that over
many digits, sizes and positions and reports the share read correctly.

Only MNIST *test* digits are used, never training digits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from core.strokes import digit_strokes

SIZES = (0.45, 0.6, 0.75)
MAX_WIDTH_FRAC = 0.9  # a wide digit is shrunk so that it still fits on the board


def strokes_of(images: np.ndarray) -> list[list[np.ndarray]]:
    """The traced strokes of each 28×28 digit (x, y in the digit's pixel coordinates)."""
    return [digit_strokes(img) for img in images]


def layout_strokes(
    strokes: Sequence[np.ndarray],
    board: tuple[float, float, float],
    height_frac: float = 0.6,
    offset: tuple[float, float] = (0.0, 0.0),
    step: float | None = None,
) -> list[np.ndarray]:
    """The strokes moved into widget coordinates: the digit spans ``height_frac`` of the board's
    height, its bounding box centred at the board's centre plus ``offset`` (fractions of the
    board's side). ``board`` is (left, top, side). With ``step`` (widget pixels) each stroke is
    resampled to points about that far apart (a fast pen sends few, far apart points)."""
    left, top, side = board
    pts = np.concatenate([np.asarray(s, float).reshape(-1, 2) for s in strokes])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    w, h = np.maximum(hi - lo, 1e-6)
    scale = min(height_frac * side / h, MAX_WIDTH_FRAC * side / w)
    centre = np.array([left + side * (0.5 + offset[0]), top + side * (0.5 + offset[1])])
    out = []
    for s in strokes:
        xy = (np.asarray(s, float).reshape(-1, 2) - (lo + hi) / 2) * scale + centre
        if step is not None and len(xy) > 1:
            xy = _resample(xy, step)
        out.append(xy)
    return out


def _resample(xy: np.ndarray, step: float) -> np.ndarray:
    seg = np.hypot(*np.diff(xy, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(int(np.ceil(s[-1] / step)), 1)
    t = np.linspace(0.0, s[-1], n + 1)
    return np.stack([np.interp(t, s, xy[:, 0]), np.interp(t, s, xy[:, 1])], axis=1)


def replay_strokes(canvas, widget_strokes: Iterable[np.ndarray]) -> None:
    """Send each stroke (widget coordinates) to ``canvas`` as press, moves, release."""
    left = Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for xy in widget_strokes:
        points = [QPoint(round(x), round(y)) for x, y in xy]
        QTest.mousePress(canvas, left, none, points[0])
        for p in points[1:]:
            QTest.mouseMove(canvas, p)
        QTest.mouseRelease(canvas, left, none, points[-1])


def replay_digit(
    qtbot,
    canvas,
    strokes: Sequence[np.ndarray],
    height_frac: float = 0.6,
    offset: tuple[float, float] = (0.0, 0.0),
    step: float | None = None,
    clear: bool = True,
) -> None:
    """Clear ``canvas`` (unless told not to) and draw ``strokes`` on it with mouse events.

    ``strokes`` are (K, 2) arrays of (x, y) in any unit (e.g. a 28×28 digit's pixels); see
    ``layout_strokes`` for ``height_frac``, ``offset`` and ``step``. ``qtbot`` may be None; it is
    only used to check the canvas is shown."""
    if qtbot is not None:
        assert canvas.isVisible(), "show the canvas (qtbot.addWidget + show) before replaying"
    if clear:
        canvas.clear()
    board = canvas.board_rect()
    replay_strokes(
        canvas,
        layout_strokes(strokes, (board.x(), board.y(), board.width()), height_frac, offset, step),
    )


@dataclass
class ProxyResult:
    """Accuracy of the replayed digits, overall and per size, with the misread ones."""

    correct: dict[float, int] = field(default_factory=dict)
    total: dict[float, int] = field(default_factory=dict)
    errors: list[tuple[int, float, int, int | None]] = field(default_factory=list)
    # (digit index, size, label, prediction or None)

    @property
    def accuracy(self) -> float:
        return sum(self.correct.values()) / max(sum(self.total.values()), 1)

    def accuracy_at(self, size: float) -> float:
        return self.correct.get(size, 0) / max(self.total.get(size, 0), 1)

    def summary(self) -> str:
        parts = [f"{s:.2f}: {self.accuracy_at(s):.2%}" for s in sorted(self.total)]
        n = sum(self.total.values())
        return f"proxy accuracy {self.accuracy:.2%} over {n} replays ({', '.join(parts)})"


def proxy_accuracy(
    target,
    predict_fn: Callable[[], np.ndarray | None],
    images: np.ndarray,
    labels: np.ndarray,
    sizes: Sequence[float] = SIZES,
    seed: int = 0,
    step: float | None = None,
    strokes: Sequence[Sequence[np.ndarray]] | None = None,
    qtbot=None,
) -> ProxyResult:
    """Replay every digit at every size into ``target`` (a canvas, or a window with a
    ``canvas`` attribute) and compare ``predict_fn()`` (the ten probabilities after the digit,
    or None) with the label.

    Each replay is placed at a random offset from the board's centre (seeded), small enough
    that the digit stays on the board. ``strokes`` may hold the digits' strokes already traced.
    """
    canvas = getattr(target, "canvas", target)
    rng = np.random.default_rng(seed)
    if strokes is None:
        strokes = strokes_of(images)
    result = ProxyResult({s: 0 for s in sizes}, {s: 0 for s in sizes})
    for i, (digit, label) in enumerate(zip(strokes, labels)):
        label = int(label)
        for size in sizes:
            room = max(MAX_WIDTH_FRAC - size, 0.0) / 2
            offset = tuple(rng.uniform(-room, room, 2) * 0.8)
            if not digit:
                guess = None
            else:
                replay_digit(qtbot, canvas, digit, size, offset, step)
                probs = predict_fn()
                guess = None if probs is None else int(np.argmax(probs))
            result.total[size] += 1
            if guess == label:
                result.correct[size] += 1
            else:
                result.errors.append((i, size, label, guess))
    canvas.clear()
    return result


def load_mnist_test(folder, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` MNIST test digits (uint8 (n, 28, 28)) and labels from an IDX folder."""
    import gzip
    from pathlib import Path

    folder = Path(folder)
    with gzip.open(folder / "t10k-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(folder / "t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images[:n], labels[:n]
