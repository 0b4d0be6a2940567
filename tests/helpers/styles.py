"""A second stand-in for real handwriting, made without MNIST: digits in the styles MNIST's
writers rarely used, built from stroke templates and drawn as a mouse would draw them.

The skeleton proxy (``handwriting.py``) replays MNIST's own test digits, so it rewards matching
MNIST. Real writers also make slashed and open zeros, 1s with a long lead-in stroke or with a
flag and a foot, crossed 7s, open-top 4s, 9s with a straight tail, and they slant. Each digit
here is one of a few templates per class (``TEMPLATES``: the plain form and those styles), a
list of strokes through control points in a box one unit high (x to the right, y down), drawn
in the order and direction a writer would. ``make_digit`` gives a template its own proportions
(every control point moved a little, the width scaled), a slant and a small rotation, a wobble
along each stroke (a hand is not a plotter), and samples it as a mouse reports positions:
points a few pixels apart at an uneven pace, with a pixel or so of jitter. ``style_digits(n,
seed)`` makes a reproducible set with the classes in turn.

``render_digit`` draws a digit offline with the canvas's pen (NumPy, no Qt) for quick
experiments; the proxy itself replays the strokes into ``MainWindow.canvas`` with
``handwriting.replay_digit``, the digit 60% of the board's height (``STYLE_HEIGHT``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.scrawl import arc_length, trace

STYLE_HEIGHT = 0.6  # of the board's height, as a person draws in the middle of the board
C = 1  # a third coordinate of 1 marks a corner: the stroke turns sharply there

# Control points per stroke; between corners a stroke is a smooth curve through its points.
TEMPLATES: dict[int, dict[str, list[list[tuple]]]] = {
    0: {
        "oval": [[(0.3, 0), (0.09, 0.13), (0.02, 0.5), (0.1, 0.87), (0.3, 1), (0.5, 0.87),
                  (0.58, 0.5), (0.51, 0.13), (0.3, 0)]],
        "open": [[(0.42, 0.05), (0.25, 0.01), (0.07, 0.17), (0.02, 0.55), (0.12, 0.89),
                  (0.32, 1), (0.52, 0.85), (0.58, 0.48), (0.53, 0.22)]],
        "slashed": [[(0.3, 0), (0.09, 0.13), (0.02, 0.5), (0.1, 0.87), (0.3, 1), (0.5, 0.87),
                     (0.58, 0.5), (0.51, 0.13), (0.3, 0)],
                    [(0.62, -0.04, C), (-0.02, 1.04, C)]],
        "overshoot": [[(0.38, 0.02), (0.16, 0.05), (0.03, 0.4), (0.08, 0.82), (0.3, 1),
                       (0.52, 0.84), (0.57, 0.45), (0.45, 0.08), (0.24, 0.03), (0.12, 0.12)]],
    },
    1: {
        "stick": [[(0.05, 0, C), (0.0, 1, C)]],
        "flag": [[(-0.1, 0.25, C), (0.12, 0, C), (0.1, 1, C)]],
        "flag and foot": [[(-0.1, 0.25, C), (0.12, 0, C), (0.1, 1, C)],
                          [(-0.1, 1, C), (0.32, 1, C)]],
        "lead-in": [[(-0.3, 0.55, C), (0.1, 0, C), (0.1, 1, C)]],
        "long lead-in": [[(-0.42, 0.7, C), (0.1, 0, C), (0.08, 1, C)]],
        "long flag": [[(-0.25, 0.4, C), (0.1, 0, C), (0.08, 1, C)]],
    },
    2: {
        "plain": [[(0.03, 0.22), (0.14, 0.04), (0.32, 0), (0.5, 0.1), (0.52, 0.3),
                   (0.35, 0.56), (0.02, 1, C), (0.6, 1, C)]],
        "curly": [[(0.03, 0.22), (0.14, 0.04), (0.32, 0), (0.5, 0.1), (0.52, 0.3),
                   (0.35, 0.56), (0.08, 0.88), (0.1, 0.78), (0.22, 0.86), (0.36, 0.98),
                   (0.6, 0.97)]],
    },
    3: {
        "round": [[(0.04, 0.12), (0.24, 0), (0.46, 0.07), (0.48, 0.25), (0.22, 0.46, C),
                   (0.5, 0.58), (0.56, 0.8), (0.4, 0.97), (0.2, 1), (0.02, 0.88)]],
        "flat top": [[(0.03, 0, C), (0.56, 0, C), (0.24, 0.4, C), (0.5, 0.52), (0.57, 0.76),
                      (0.42, 0.96), (0.2, 1), (0.02, 0.88)]],
    },
    4: {
        "closed": [[(0.42, 0, C), (0.0, 0.68, C), (0.62, 0.68, C)], [(0.42, 0, C), (0.42, 1, C)]],
        "open top": [[(0.06, 0, C), (0.0, 0.6, C), (0.62, 0.6, C)],
                     [(0.45, 0.08, C), (0.45, 1, C)]],
        "open, short leg": [[(0.1, 0.05, C), (0.02, 0.55, C), (0.6, 0.55, C)],
                            [(0.44, 0.0, C), (0.42, 1, C)]],
    },
    5: {
        "plain": [[(0.1, 0, C), (0.06, 0.45, C), (0.26, 0.38), (0.48, 0.47), (0.56, 0.7),
                   (0.45, 0.92), (0.22, 1), (0.02, 0.9)], [(0.1, 0, C), (0.56, 0, C)]],
        "one stroke": [[(0.56, 0, C), (0.1, 0, C), (0.06, 0.45, C), (0.26, 0.38), (0.48, 0.47),
                        (0.56, 0.7), (0.45, 0.92), (0.22, 1), (0.02, 0.9)]],
    },
    6: {
        "plain": [[(0.5, 0.02), (0.28, 0.12), (0.1, 0.4), (0.05, 0.7), (0.15, 0.95),
                   (0.35, 1), (0.53, 0.85), (0.5, 0.63), (0.3, 0.55), (0.1, 0.68)]],
        "straight back": [[(0.42, 0, C), (0.08, 0.62), (0.12, 0.92), (0.33, 1), (0.53, 0.85),
                           (0.5, 0.63), (0.3, 0.56), (0.08, 0.66)]],
    },
    7: {
        "plain": [[(0.0, 0.02, C), (0.58, 0, C), (0.22, 1, C)]],
        "crossed": [[(0.0, 0.02, C), (0.58, 0, C), (0.22, 1, C)],
                    [(0.1, 0.52, C), (0.56, 0.5, C)]],
        "serif": [[(0.0, 0.16, C), (0.02, 0, C), (0.58, 0, C), (0.24, 1, C)]],
        "crossed, serif": [[(0.0, 0.16, C), (0.02, 0, C), (0.58, 0, C), (0.24, 1, C)],
                           [(0.14, 0.5, C), (0.56, 0.5, C)]],
    },
    8: {
        "one stroke": [[(0.5, 0.1), (0.3, 0), (0.08, 0.12), (0.12, 0.35), (0.45, 0.6),
                        (0.55, 0.82), (0.35, 1), (0.1, 0.92), (0.08, 0.72), (0.45, 0.4),
                        (0.52, 0.18), (0.42, 0.04), (0.3, 0)]],
        "two loops": [[(0.3, 0), (0.1, 0.1), (0.1, 0.32), (0.3, 0.44), (0.5, 0.32), (0.5, 0.1),
                       (0.3, 0)],
                      [(0.3, 0.44), (0.05, 0.58), (0.04, 0.88), (0.3, 1), (0.56, 0.88),
                       (0.55, 0.58), (0.3, 0.44)]],
    },
    9: {
        "curved tail": [[(0.54, 0.14), (0.36, 0), (0.1, 0.07), (0.04, 0.28), (0.2, 0.43),
                         (0.45, 0.36), (0.55, 0.15, C), (0.54, 0.5), (0.46, 0.82), (0.3, 1)]],
        "straight tail": [[(0.54, 0.14), (0.36, 0), (0.1, 0.07), (0.04, 0.28), (0.2, 0.43),
                           (0.45, 0.36), (0.55, 0.12, C), (0.55, 1, C)]],
        "slanted tail": [[(0.54, 0.14), (0.36, 0), (0.1, 0.07), (0.04, 0.28), (0.2, 0.43),
                          (0.45, 0.36), (0.56, 0.12, C), (0.36, 1, C)]],
        "open loop": [[(0.44, 0.03), (0.22, 0.01), (0.06, 0.16), (0.08, 0.36), (0.3, 0.44),
                       (0.52, 0.32), (0.56, 0.1, C), (0.55, 1, C)]],
        "small loop": [[(0.5, 0.1), (0.36, 0), (0.2, 0.06), (0.18, 0.2), (0.3, 0.28),
                        (0.46, 0.22), (0.52, 0.08, C), (0.48, 0.55), (0.4, 1)]],
        "loop and stick": [[(0.5, 0.06), (0.3, 0), (0.08, 0.1), (0.05, 0.3), (0.25, 0.44),
                            (0.5, 0.35), (0.55, 0.16), (0.5, 0.06)],
                           [(0.56, 0.02, C), (0.54, 1, C)]],
    },
}


@dataclass(frozen=True)
class StyleDigit:
    label: int
    style: str
    strokes: list  # (K, 2) arrays of (x, y), y down, the box about one unit high


def make_digit(label: int, style: str, rng: np.random.Generator) -> StyleDigit:
    """One digit of ``style``: its own proportions, slant, wobble and mouse-like sampling."""
    strokes = TEMPLATES[label][style]
    width = rng.uniform(0.75, 1.3)
    slant = rng.uniform(-0.25, 0.5)  # x moves this much per unit up: writers lean right
    angle = np.deg2rad(rng.uniform(-6, 6))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    wobble = rng.uniform(0.005, 0.02)  # of the height
    out = []
    for stroke in strokes:
        path = trace(stroke, rng.normal(0, 0.025, (len(stroke), 2)))
        s = arc_length(path)
        if s[-1] > 0:  # a slow wobble along the stroke: two random sinusoids per axis
            for _ in range(2):
                k = rng.uniform(1, 4) * 2 * np.pi / max(s[-1], 0.3)
                path = path + wobble * np.sin(k * s[:, None] + rng.uniform(0, 2 * np.pi, 2))
        x, y = path[:, 0] * width, path[:, 1]
        x = x + slant * (0.5 - y)
        out.append(np.stack([x, y], axis=1) @ rot.T)
    return StyleDigit(label, style, _mouse_sampled(out, rng))


def _mouse_sampled(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """Each stroke as a mouse reports it: points at an uneven pace (about 1.5-6% of the height
    apart, i.e. a few screen pixels), each off the path by a little noise; ends kept."""
    out = []
    for path in strokes:
        s = arc_length(path)
        if s[-1] <= 0:
            out.append(path[[0, -1]])
            continue
        pace = rng.uniform(0.015, 0.06)
        steps = pace * rng.uniform(0.5, 1.5, int(s[-1] / pace * 2) + 2)
        t = np.concatenate([[0.0], np.cumsum(steps)])
        t = np.concatenate([t[t < s[-1]], [s[-1]]])
        xy = np.stack([np.interp(t, s, path[:, 0]), np.interp(t, s, path[:, 1])], axis=1)
        xy[1:-1] += rng.normal(0, 0.004, (len(xy) - 2, 2))
        out.append(xy)
    return out


def style_digits(n: int, seed: int = 0) -> list[StyleDigit]:
    """``n`` digits, labels 0-9 in turn, each in a style chosen at random (uniformly among its
    class's templates), reproducible from ``seed``."""
    rng = np.random.default_rng([seed, 12])
    digits = []
    for i in range(n):
        label = i % 10
        styles = list(TEMPLATES[label])
        digits.append(make_digit(label, styles[rng.integers(len(styles))], rng))
    return digits


def render_digit(
    strokes: list[np.ndarray], size: int = 280, pen: float = 22.0, height: float = STYLE_HEIGHT
) -> np.ndarray:
    """The digit drawn offline as the canvas would: its bounding box ``height`` of a ``size``
    board's height, centred, with a round pen ``pen`` board pixels wide; float32 (size, size).
    (The canvas's image is 280 px square and its pen 2.2 input px, i.e. 22 of those.)"""
    from core.strokes import render_strokes

    pts = np.concatenate(strokes)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    w, h = np.maximum(hi - lo, 1e-6)
    scale = min(height * size / h, 0.9 * size / w)
    offset = size / 2 - (lo + hi) / 2 * scale
    return render_strokes([s * scale + offset for s in strokes], size, pen, 1.0, (0.0, 0.0))
