"""The real-handwriting proxies, replayed as mouse events into the window's canvas and read by
the window's own prediction (``prediction_changed``):

- the skeleton proxy: MNIST test digits, thinned to pen strokes, at several sizes and positions
  (at least 96.5% read correctly);
- the styles proxy (``helpers/styles.py``): digits built from stroke templates of the styles MNIST's
  writers rarely used (slashed zeros, 1s with a lead-in or a flag and foot, crossed 7s, open-top
  4s, straight-tailed 9s, slanted writing), made without MNIST, 60% of the board's height.

These are the product's most important numbers (how well it reads a person's drawing), kept in
the tests so that they cannot silently fall. ``benchmarks/bench_handwriting.py`` runs the same
over more digits (``--proxy styles``) and measures the stroke → prediction latency.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from helpers.handwriting import SIZES, load_mnist_test, proxy_accuracy, strokes_of

pytestmark = [pytest.mark.mnist, pytest.mark.slow]

N_DIGITS = 1000  # every 10th MNIST test digit, each at three sizes: 3,000 replays
# (every 10th, not the first 1,000: the test set's first half is written more neatly than its
# second, and the first 1,000 read about 0.7 points better than the whole set)
# The bundled model reads 96.87% (96.70 / 97.00 / 96.90% at the three sizes; the one before it
# 97.07%, though 96.2% against 96.4% now on all 10,000 test digits). Deterministic:
# fixed digits, fixed strokes, a fixed model; the bar leaves room for a different BLAS only.
TARGET = 0.965
N_STYLE_DIGITS = 500  # 50 of each class, seed 0
# The bundled model reads 99.2% of these (the one before it, trained without deskewing or style
# strokes, 96.4%); the set is deterministic (seed 0), so the margin only has to absorb a
# retrained model's small differences, not sampling noise.
STYLE_TARGET = 0.985


@pytest.fixture
def window(qtbot):
    from ffn_gui import MainWindow, resources

    if not resources.bundled_model_path().is_file():
        message = f"the bundled model {resources.bundled_model_path()} is missing"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    w = MainWindow(search_data=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.model.bundled, "the window must start with the bundled model"
    return w


def test_bundled_model_reads_replayed_handwriting(window, qtbot, mnist_dir):
    images, labels = load_mnist_test(mnist_dir)
    step = len(labels) // N_DIGITS
    images, labels = images[::step][:N_DIGITS], labels[::step][:N_DIGITS]
    strokes = strokes_of(images)
    seen: list = []
    window.prediction_changed.connect(seen.append)

    def prediction():
        qtbot.waitUntil(lambda: bool(seen), timeout=2000)
        probs = seen[-1]
        seen.clear()
        return probs

    t0 = time.perf_counter()
    result = proxy_accuracy(window, prediction, images, labels, SIZES, strokes=strokes)
    elapsed = time.perf_counter() - t0
    print(f"\n{result.summary()} in {elapsed:.0f} s")
    for size in SIZES:
        assert result.total[size] == N_DIGITS
    assert result.accuracy >= TARGET, result.summary()
    # no size may lag far behind: a person draws small and large
    assert min(result.accuracy_at(s) for s in SIZES) >= TARGET - 0.005, result.summary()


def test_bundled_model_reads_digits_in_the_styles_mnist_lacks(window, qtbot):
    from helpers.styles import STYLE_HEIGHT, style_digits

    digits = style_digits(N_STYLE_DIGITS, seed=0)
    seen: list = []
    window.prediction_changed.connect(seen.append)

    def prediction():
        qtbot.waitUntil(lambda: bool(seen), timeout=2000)
        probs = seen[-1]
        seen.clear()
        return probs

    result = proxy_accuracy(
        window, prediction, None, [d.label for d in digits], (STYLE_HEIGHT,),
        strokes=[d.strokes for d in digits],
    )
    print(f"\nstyles {result.summary()}")
    assert result.total[STYLE_HEIGHT] == N_STYLE_DIGITS
    assert result.accuracy >= STYLE_TARGET, result.summary()


def test_replay_draws_what_the_strokes_say(qtbot):
    """The harness itself: a replayed digit lands on the canvas at the asked size and place."""
    from helpers.handwriting import replay_digit

    from ffn_gui.board.canvas import RESOLUTION, DrawingCanvas

    canvas = DrawingCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.show()
    qtbot.waitExposed(canvas)
    # an "L": down, then right, in the units of a 28×28 digit
    strokes = [np.array([[10.0, 4.0], [10.0, 24.0], [18.0, 24.0]])]
    replay_digit(qtbot, canvas, strokes, height_frac=0.5, offset=(0.1, 0.0))
    ink = canvas.image() > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    pen = canvas.brush_size * RESOLUTION / 28
    assert rows[-1] - rows[0] == pytest.approx(0.5 * RESOLUTION + pen, abs=4)
    centre_x = (cols[0] + cols[-1]) / 2
    assert centre_x == pytest.approx(0.6 * RESOLUTION, abs=4)
    assert len(canvas.strokes()) == 1
    replay_digit(qtbot, canvas, strokes)  # cleared in between
    assert len(canvas.strokes()) == 1
