"""Drawings made from stroke templates as a person draws them with a mouse, read as the window
reads its board: the hand behind the generated non-digits (``core.nondigits``).

A template is a list of strokes, each a list of control points ``(x, y)`` in a box about one unit
high (x to the right, y down), drawn in the order and direction a writer would; a third
coordinate of 1 (``C``) marks a corner, between corners a stroke is a smooth curve through its
points. ``draw(template, hand, rng)`` gives a template its own proportions (every control point
moved a little, the width scaled), a slant and a small rotation, a slow wobble along each stroke
(a hand is not a plotter), and samples it as a mouse reports positions: points a few pixels
apart at an uneven pace, with a little jitter. ``Hand`` holds those ranges, so that a second
hand (the tests' evaluation proxy) draws the same kinds differently.

``board_image`` renders strokes as the canvas does (its bounding box ``height`` of a 280 px
board, a round pen 22 px wide, anti-aliased) and ``mnist_image`` then crops, fits and centres
it with ``preprocess.to_mnist``: uint8 (28, 28), what the network is given before deskewing.
The same machinery drew the styles proxy of digits (``tests/helpers/styles.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .preprocess import to_mnist
from .strokes import render_strokes

C = 1  # a third coordinate of 1 marks a corner: the stroke turns sharply there
BOARD = 280  # the canvas's image, px
PEN = 22.0  # the canvas's pen on that image, px (2.2 input pixels)


@dataclass(frozen=True)
class Hand:
    """How one writer's drawings vary: ranges of the random changes ``draw`` makes."""

    jitter: float = 0.025  # control points moved by this much (standard deviation, of height)
    width: tuple[float, float] = (0.75, 1.3)  # x scaled by a factor in this range
    slant: tuple[float, float] = (-0.25, 0.5)  # x moves this much per unit up
    rotate: float = 6.0  # degrees, either way
    wobble: tuple[float, float] = (0.005, 0.02)  # amplitude of the slow wobble, of height
    pace: tuple[float, float] = (0.015, 0.06)  # mouse points this far apart, of the size
    height: tuple[float, float] = (0.6, 0.6)  # of the board's height the drawing spans


def catmull_rom(points: np.ndarray, per_unit: int = 60) -> np.ndarray:
    """A smooth curve through ``points`` (K, 2): uniform Catmull-Rom, ends kept."""
    if len(points) < 3:
        seg = np.hypot(*np.diff(points, axis=0).T).sum() if len(points) > 1 else 0.0
        t = np.linspace(0, 1, max(int(seg * per_unit), 2))[:, None]
        return points[0] + t * (points[-1] - points[0]) if len(points) > 1 else points
    p = np.concatenate([2 * points[:1] - points[1:2], points, 2 * points[-1:] - points[-2:-1]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        n = max(int(np.hypot(*(p2 - p1)) * per_unit), 2)
        t = np.linspace(0, 1, n, endpoint=False)[:, None]
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                          + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3))
    out.append(points[-1:])
    return np.concatenate(out)


def trace(stroke: list[tuple], jitter: np.ndarray) -> np.ndarray:
    """A stroke's dense path: its control points (moved by ``jitter``), curves between
    corners."""
    pts = np.array([p[:2] for p in stroke], float) + jitter
    corners = [0] + [i for i, p in enumerate(stroke) if len(p) > 2 and 0 < i < len(stroke) - 1]
    corners.append(len(stroke) - 1)
    pieces = [catmull_rom(pts[a : b + 1]) for a, b in zip(corners[:-1], corners[1:]) if b > a]
    return np.concatenate(pieces) if pieces else pts


def arc_length(xy: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])


def draw(template: list[list[tuple]], hand: Hand, rng: np.random.Generator) -> list[np.ndarray]:
    """The template drawn once by ``hand``: (K, 2) arrays of mouse positions, one per stroke."""
    width, slant = rng.uniform(*hand.width), rng.uniform(*hand.slant)
    angle = np.deg2rad(rng.uniform(-hand.rotate, hand.rotate))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    wobble = rng.uniform(*hand.wobble)
    out = []
    for stroke in template:
        path = trace(stroke, rng.normal(0, hand.jitter, (len(stroke), 2)))
        s = arc_length(path)
        if s[-1] > 0:  # a slow wobble along the stroke: two random sinusoids per axis
            for _ in range(2):
                k = rng.uniform(1, 4) * 2 * np.pi / max(s[-1], 0.3)
                path = path + wobble * np.sin(k * s[:, None] + rng.uniform(0, 2 * np.pi, 2))
        x, y = path[:, 0] * width, path[:, 1]
        out.append(np.stack([x + slant * (0.5 - y), y], axis=1) @ rot.T)
    return mouse_sampled(out, hand, rng)


def mouse_sampled(strokes: list[np.ndarray], hand: Hand,
                  rng: np.random.Generator) -> list[np.ndarray]:
    """Each stroke as a mouse reports it: points at an uneven pace, each off the path by a
    little noise; ends kept. The pace and the noise are shares of the drawing's size (its
    height, or two thirds of its width if wider): the same few screen pixels on the board."""
    h, w = np.ptp(np.concatenate(strokes), axis=0)[::-1]
    size = max(h, w / 1.5, 1e-3)
    out = []
    for path in strokes:
        s = arc_length(path)
        if s[-1] <= 0:
            out.append(path[[0, -1]])
            continue
        pace = rng.uniform(*hand.pace) * size
        steps = pace * rng.uniform(0.5, 1.5, int(s[-1] / pace * 2) + 2)
        t = np.concatenate([[0.0], np.cumsum(steps)])
        t = np.concatenate([t[t < s[-1]], [s[-1]]])
        xy = np.stack([np.interp(t, s, path[:, 0]), np.interp(t, s, path[:, 1])], axis=1)
        xy[1:-1] += rng.normal(0, 0.004 * size, (len(xy) - 2, 2))
        out.append(xy)
    return out


def board_image(strokes: list[np.ndarray], height: float = 0.6, size: int = BOARD,
                pen: float = PEN) -> np.ndarray:
    """The strokes drawn as the canvas would: their bounding box ``height`` of a ``size``
    board's height (or 0.9 of its width, if wider), centred, with a round pen ``pen`` px wide;
    float32 (size, size) in [0, 1]. On the canvas's own 280 px board this is
    ``strokes.render_strokes``; on a smaller one, the same coverage computed for every segment
    at once (``render_small``), a tenth of the time."""
    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    w, h = np.maximum(hi - lo, 1e-6)
    scale = min(height * size / h, 0.9 * size / w)
    offset = size / 2 - (lo + hi) / 2 * scale
    placed = [s * scale + offset for s in strokes]
    if size >= BOARD:
        return render_strokes(placed, size, pen, 1.0, (0.0, 0.0))
    return render_small(placed, size, pen)


def render_small(strokes: list[np.ndarray], size: int, width: float) -> np.ndarray:
    """``render_strokes``' image (coverage ``clip(width/2 + 0.5 - d, 0, 1)``, d the distance
    from a pixel's centre to the nearest segment) with no loop over segments: each segment
    is measured on a square window of pixels around it, and the windows are merged with
    ``np.minimum.at``. Meant for short segments (a mouse's), where the windows are small."""
    a = np.concatenate([s[:-1] if len(s) > 1 else s for s in strokes])
    b = np.concatenate([s[1:] if len(s) > 1 else s for s in strokes])
    reach = width / 2 + 1
    corner = np.floor(np.minimum(a, b) - reach).astype(int)  # (S, 2): x, y
    span = int(np.ceil(np.abs(b - a).max() + 2 * reach)) + 1
    steps = np.arange(span)
    x = (corner[:, 0, None] + steps)[:, None, :]  # (S, 1, span)
    y = (corner[:, 1, None] + steps)[:, :, None]  # (S, span, 1)
    ab = (b - a)[:, :, None, None]
    a = a[:, :, None, None]
    t = ((x + 0.5 - a[:, 0]) * ab[:, 0] + (y + 0.5 - a[:, 1]) * ab[:, 1])
    t = np.clip(t / np.maximum((ab[:, 0] ** 2 + ab[:, 1] ** 2), 1e-12), 0.0, 1.0)
    d = np.hypot(x + 0.5 - a[:, 0] - t * ab[:, 0], y + 0.5 - a[:, 1] - t * ab[:, 1])
    x, y = np.broadcast_to(x, d.shape), np.broadcast_to(y, d.shape)
    inside = (x >= 0) & (x < size) & (y >= 0) & (y < size)
    dist = np.full(size * size, np.inf)
    np.minimum.at(dist, (y * size + x)[inside], d[inside])
    return np.clip(width / 2 + 0.5 - dist, 0.0, 1.0).astype(np.float32).reshape(size, size)


def mnist_image(strokes: list[np.ndarray], height: float = 0.6,
                size: int = BOARD) -> np.ndarray:
    """The strokes as the window gives them to a network: ``board_image`` through
    ``preprocess.to_mnist``, uint8 (28, 28) (before any deskewing). A smaller ``size`` (the pen
    scaled with it) draws faster and gives nearly the same 28×28: ``to_mnist`` shrinks the ink
    to 20 px either way."""
    x = to_mnist(board_image(strokes, height, size, PEN * size / BOARD))
    if x is None:  # strokes always leave ink; a blank board would be no drawing at all
        raise ValueError("the strokes left no ink on the board")
    return np.round(x * 255).astype(np.uint8)
