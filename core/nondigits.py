"""Drawings that are not digits, made from stroke templates: letters, shapes, scribbles, words.

A network that only ever saw digits reads anything as a digit, often with high confidence. These
drawings are the other side: training rows whose target is no digit at all (``NOT_A_DIGIT``, the
uniform distribution over the ten outputs: outlier exposure, Hendrycks, Mazeika and Dietterich
2019), and the material of the tests' non-digit proxy. Nothing here comes from a recorded
handwriting set: every drawing is a template drawn by a ``scrawl.Hand``.

``KINDS`` are the 27 letters people do not write like digits (c d f h k m n p r u v w x and
C E F H K L M N P R U V W X), then a scribble, a circle with a cross, a star, a heart, an arrow,
a squiggle and a short word. ``nondigit_strokes(kind, hand, rng)`` draws one;
``nondigit_images(n, seed, hand)`` draws ``n`` with the kinds in turn, reproducibly from the
seed, and reads them as the window reads its board (uint8 (n, 28, 28), ``scrawl.mnist_image``).
Templates: a box one unit high, x to the right, y down; lowercase letters sit between 0.45 (the
x-height) and 1, ascenders reach 0, descenders 1.45.
"""

from __future__ import annotations

import numpy as np

from .rows import NOT_A_DIGIT
from .scrawl import BOARD, C, Hand, draw, mnist_image

__all__ = ["KINDS", "NOT_A_DIGIT", "TRAIN_HAND", "nondigit_images", "nondigit_strokes",
           "nondigit_template"]
TRAIN_HAND = Hand(height=(0.45, 0.75))

LETTERS: dict[str, list[list[tuple]]] = {
    "c": [[(0.4, 0.52), (0.22, 0.45), (0.04, 0.6), (0.04, 0.85), (0.22, 1), (0.42, 0.93)]],
    "d": [[(0.4, 0.55), (0.2, 0.45), (0.02, 0.62), (0.03, 0.88), (0.2, 1), (0.4, 0.88)],
          [(0.42, 0, C), (0.42, 1, C)]],
    "f": [[(0.45, 0.05), (0.3, 0), (0.15, 0.1, C), (0.15, 1, C)], [(0, 0.45, C), (0.35, 0.45, C)]],
    "h": [[(0, 0, C), (0, 1, C), (0.02, 0.65), (0.2, 0.46), (0.38, 0.5), (0.42, 0.7),
           (0.42, 1, C)]],
    "k": [[(0, 0, C), (0, 1, C)], [(0.38, 0.45, C), (0.02, 0.72, C), (0.4, 1, C)]],
    "m": [[(0, 0.45, C), (0, 1, C), (0.02, 0.6), (0.15, 0.46), (0.28, 0.55), (0.3, 1, C),
           (0.32, 0.6), (0.45, 0.46), (0.58, 0.55), (0.6, 1, C)]],
    "n": [[(0, 0.45, C), (0, 1, C), (0.03, 0.62), (0.2, 0.46), (0.37, 0.52), (0.4, 0.7),
           (0.4, 1, C)]],
    "p": [[(0, 0.45, C), (0, 1.45, C)],
          [(0, 0.55), (0.2, 0.45), (0.4, 0.58), (0.4, 0.85), (0.2, 1), (0, 0.92)]],
    "r": [[(0, 0.45, C), (0, 1, C), (0.03, 0.65), (0.15, 0.48), (0.35, 0.46)]],
    "u": [[(0, 0.45, C), (0.02, 0.85), (0.18, 1), (0.38, 0.9), (0.4, 0.45, C), (0.4, 1, C)]],
    "v": [[(0, 0.45, C), (0.2, 1, C), (0.4, 0.45, C)]],
    "w": [[(0, 0.45, C), (0.13, 1, C), (0.27, 0.6, C), (0.41, 1, C), (0.54, 0.45, C)]],
    "x": [[(0, 0.45, C), (0.4, 1, C)], [(0.4, 0.45, C), (0, 1, C)]],
    "C": [[(0.6, 0.15), (0.4, 0), (0.15, 0.08), (0.02, 0.5), (0.15, 0.92), (0.4, 1),
           (0.6, 0.85)]],
    "E": [[(0.55, 0, C), (0, 0, C), (0, 1, C), (0.55, 1, C)], [(0, 0.5, C), (0.42, 0.5, C)]],
    "F": [[(0.55, 0, C), (0, 0, C), (0, 1, C)], [(0, 0.48, C), (0.42, 0.48, C)]],
    "H": [[(0, 0, C), (0, 1, C)], [(0.6, 0, C), (0.6, 1, C)], [(0, 0.5, C), (0.6, 0.5, C)]],
    "K": [[(0, 0, C), (0, 1, C)], [(0.55, 0, C), (0, 0.55, C), (0.58, 1, C)]],
    "L": [[(0, 0, C), (0, 1, C), (0.5, 1, C)]],
    "M": [[(0, 1, C), (0.05, 0, C), (0.35, 0.6, C), (0.65, 0, C), (0.7, 1, C)]],
    "N": [[(0, 1, C), (0, 0, C), (0.6, 1, C), (0.6, 0, C)]],
    "P": [[(0, 1, C), (0, 0, C), (0.35, 0), (0.55, 0.13), (0.55, 0.35), (0.35, 0.5), (0, 0.5, C)]],
    "R": [[(0, 1, C), (0, 0, C), (0.35, 0), (0.55, 0.13), (0.55, 0.35), (0.35, 0.5), (0, 0.5, C),
           (0.58, 1, C)]],
    "U": [[(0, 0, C), (0.02, 0.7), (0.3, 1), (0.58, 0.7), (0.6, 0, C)]],
    "V": [[(0, 0, C), (0.3, 1, C), (0.6, 0, C)]],
    "W": [[(0, 0, C), (0.2, 1, C), (0.4, 0.3, C), (0.6, 1, C), (0.8, 0, C)]],
    "X": [[(0, 0, C), (0.6, 1, C)], [(0.6, 0, C), (0, 1, C)]],
}
# Letters that appear only inside words (alone, some of them would be read as digits: o, l, s)
WORD_LETTERS: dict[str, list[list[tuple]]] = {
    "a": [[(0.38, 0.55), (0.2, 0.45), (0.02, 0.62), (0.04, 0.9), (0.2, 1), (0.38, 0.85)],
          [(0.4, 0.47, C), (0.4, 1, C)]],
    "e": [[(0.02, 0.75, C), (0.4, 0.72), (0.35, 0.5), (0.2, 0.45), (0.03, 0.6), (0.05, 0.9),
           (0.22, 1), (0.4, 0.93)]],
    "i": [[(0.05, 0.48, C), (0.05, 1, C)], [(0.05, 0.3, C), (0.07, 0.32, C)]],
    "o": [[(0.2, 0.45), (0.03, 0.55), (0.02, 0.85), (0.2, 1), (0.38, 0.88), (0.38, 0.57),
           (0.2, 0.45)]],
    "s": [[(0.38, 0.5), (0.2, 0.45), (0.04, 0.55), (0.1, 0.7), (0.3, 0.77), (0.38, 0.9),
           (0.2, 1), (0.0, 0.95)]],
    "t": [[(0.15, 0.1, C), (0.15, 0.9), (0.25, 1), (0.35, 0.95)], [(0, 0.45, C), (0.32, 0.45, C)]],
    "T": [[(0, 0, C), (0.6, 0, C)], [(0.3, 0, C), (0.3, 1, C)]],
}
WORDS = ("the", "and", "cat", "hat", "mix", "run", "sun", "fox", "wax", "kid", "new", "hand",
         "mark", "ask", "pen", "fish", "cup", "ink", "red", "time", "word", "nap", "dust",
         "hum", "Max", "Ned", "Kim", "Tom", "Tim")

_TAU = 2 * np.pi


def _circle(cx=0.5, cy=0.5, r=0.5, start=-0.25, turns=1.0, n=10) -> list[tuple]:
    t = _TAU * (start + turns * np.linspace(0, 1, n))
    return [(cx + r * np.cos(a), cy + r * np.sin(a)) for a in t]


def _star() -> list[list[tuple]]:
    t = _TAU * (0.75 + 0.4 * np.arange(6))  # every second of five points, back to the first
    return [[(0.5 + 0.5 * np.cos(a), 0.52 + 0.5 * np.sin(a), C) for a in t]]


SHAPES: dict[str, list[list[tuple]]] = {
    "circle with cross": [_circle(), [(0.15, 0.15, C), (0.85, 0.85, C)],
                          [(0.85, 0.15, C), (0.15, 0.85, C)]],
    "circle with plus": [_circle(), [(0.5, 0.02, C), (0.5, 0.98, C)],
                         [(0.02, 0.5, C), (0.98, 0.5, C)]],
    "star": _star(),
    "heart": [[(0.5, 0.3, C), (0.35, 0.06), (0.12, 0.06), (0.02, 0.3), (0.15, 0.6), (0.5, 1, C),
               (0.85, 0.6), (0.98, 0.3), (0.88, 0.06), (0.65, 0.06), (0.5, 0.3, C)]],
    "arrow": [[(0, 0.5, C), (1, 0.5, C)], [(0.72, 0.25, C), (1, 0.5, C), (0.72, 0.75, C)]],
}
KINDS = (*(f"letter {c}" for c in LETTERS), "scribble", "circle with cross", "star", "heart",
         "arrow", "squiggle", "word")


def _rotated(template: list[list[tuple]], angle: float) -> list[list[tuple]]:
    """The template turned by ``angle`` radians about (0.5, 0.5), corners kept."""
    c, s = np.cos(angle), np.sin(angle)
    return [[(0.5 + c * (p[0] - 0.5) - s * (p[1] - 0.5),
              0.5 + s * (p[0] - 0.5) + c * (p[1] - 0.5), *p[2:]) for p in stroke]
            for stroke in template]


def _scribble(rng: np.random.Generator) -> list[list[tuple]]:
    """One to three strokes through random points: a loop-de-loop, a tangle, a zigzag."""
    strokes = []
    for _ in range(rng.integers(1, 4)):
        k = int(rng.integers(5, 14))
        corners = rng.random() < 0.3  # a zigzag turns sharply
        pts = rng.uniform(0, 1, (k, 2)) * [rng.uniform(0.8, 1.6), 1.0]
        strokes.append([(x, y, C) if corners else (x, y) for x, y in pts])
    return strokes


def _squiggle(rng: np.random.Generator) -> list[list[tuple]]:
    """A wave or a coil drawn across: two to five periods, one stroke."""
    periods = rng.uniform(2, 5)
    x = np.linspace(0, rng.uniform(1.2, 2.5), int(periods * 6) + 2)
    y = 0.5 + rng.uniform(0.15, 0.5) * np.sin(_TAU * periods * x / x[-1])
    if rng.random() < 0.5:  # a coil: loops along the way
        x = x + 0.12 * np.cos(_TAU * periods * x / x[-1])
    return [list(zip(x, y))]


def _word(rng: np.random.Generator) -> list[list[tuple]]:
    """A short word, its letters side by side as separate strokes."""
    word, x0, strokes = WORDS[rng.integers(len(WORDS))], 0.0, []
    for ch in word:
        template = LETTERS.get(ch) or WORD_LETTERS.get(ch) or LETTERS[ch.upper()]
        strokes += [[(p[0] + x0, *p[1:]) for p in s] for s in template]
        x0 += max(p[0] for s in template for p in s) + rng.uniform(0.1, 0.2)
    return strokes


def nondigit_template(kind: str, rng: np.random.Generator) -> list[list[tuple]]:
    """The strokes of one drawing of ``kind`` (one of ``KINDS``), before a hand draws them."""
    if kind.startswith("letter "):
        return LETTERS[kind.removeprefix("letter ")]
    if kind == "scribble":
        return _scribble(rng)
    if kind == "squiggle":
        return _squiggle(rng)
    if kind == "word":
        return _word(rng)
    if kind == "circle with cross":
        return SHAPES["circle with cross" if rng.random() < 0.5 else "circle with plus"]
    if kind == "arrow":  # pointing anywhere
        return _rotated(SHAPES["arrow"], rng.uniform(0, _TAU))
    if kind in SHAPES:
        return SHAPES[kind]
    raise ValueError(f"unknown kind of non-digit {kind!r}; choose one of {', '.join(KINDS)}")


def nondigit_strokes(kind: str, hand: Hand, rng: np.random.Generator) -> list[np.ndarray]:
    """One drawing of ``kind`` by ``hand``: mouse positions, one (K, 2) array per stroke."""
    return draw(nondigit_template(kind, rng), hand, rng)


def nondigit_images(n: int, seed: int = 0, hand: Hand = TRAIN_HAND, stream: int = 31,
                    board: int = BOARD) -> tuple[np.ndarray, list[str]]:
    """``n`` non-digits, the kinds in turn, as the window would read them: (uint8 (n, 28, 28),
    their kinds). The same ``seed``, ``hand`` and ``stream`` give the same drawings; another
    stream gives other drawings for the same seed (the tests' proxy uses its own). ``board``
    is the size of the board they are drawn on (``scrawl.mnist_image``)."""
    rng = np.random.default_rng([seed, stream])
    images = np.zeros((n, 28, 28), np.uint8)
    kinds = [KINDS[i % len(KINDS)] for i in range(n)]
    for i, kind in enumerate(kinds):
        height = rng.uniform(*hand.height)
        images[i] = mnist_image(nondigit_strokes(kind, hand, rng), height, board)
    return images, kinds
