"""How well the app reads handwriting, and how fast: the replay proxies.

``--proxy skeleton`` (the default): every MNIST *test* digit is thinned to pen strokes, replayed
as mouse events into the window's canvas at three sizes (45%, 60% and 75% of the board's height)
and random positions, and the window's prediction (``prediction_changed``) is compared with the
label. ``--proxy styles``: ``--n`` digits from the stroke templates of ``tests/helpers/styles.py``
(the styles MNIST's writers rarely used; no MNIST needed), 60% of the board's height. Then the
latency from a mouse move to new probabilities is measured over 100 strokes.

    MNIST_DIR=/path/to/mnist python benchmarks/bench_handwriting.py [--n 10000] [--model FILE]
    python benchmarks/bench_handwriting.py --proxy styles [--n 10000] [--seed 0]

``--model`` replays into the window after loading that model instead of the bundled one.
``--brush`` sets the canvas's pen (input pixels). Prints accuracy per size and overall, the
digits most often misread, and latency p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnist", default=os.environ.get("MNIST_DIR"), help="MNIST folder")
    parser.add_argument("--proxy", choices=("skeleton", "styles"), default="skeleton")
    parser.add_argument("--n", type=int, default=10_000, help="test digits (default all)")
    parser.add_argument("--sizes", default="0.45,0.6,0.75", help="heights, board fractions")
    parser.add_argument("--model", help="a model file to load instead of the bundled one")
    parser.add_argument("--brush", type=float, help="the canvas pen's width in input pixels")
    parser.add_argument("--step", type=float, help="resample strokes to this spacing (px)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strokes", type=int, default=100, help="strokes for the latency")
    args = parser.parse_args(argv)
    if not args.mnist and args.proxy == "skeleton":
        parser.error("give --mnist or set MNIST_DIR")

    from helpers.handwriting import layout_strokes, load_mnist_test, proxy_accuracy, strokes_of
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ffn_gui import MainWindow

    window = MainWindow(search_data=False)
    if args.model:
        from core.model_io import load_model

        window.predictor.network = load_model(args.model).network
    window.show()
    app.processEvents()
    canvas = window.canvas
    if args.brush:
        canvas.set_brush_size(args.brush)
    board = canvas.board_rect()
    print(
        f"model: {args.model or 'bundled'} ({window.predictor.network.describe()}); "
        f"canvas {canvas.width()}x{canvas.height()}, board {board.width():.0f} px, "
        f"brush {canvas.brush_size:g} input px"
    )

    t0 = time.perf_counter()
    if args.proxy == "styles":
        from helpers.styles import STYLE_HEIGHT, style_digits

        digits = style_digits(args.n, args.seed)
        images, labels, strokes = None, [d.label for d in digits], [d.strokes for d in digits]
        styles = [d.style for d in digits]
        print(f"made {len(digits)} style digits (seed {args.seed}) in "
              f"{time.perf_counter() - t0:.1f} s")
        args.sizes = str(STYLE_HEIGHT)
    else:
        images, labels = load_mnist_test(args.mnist, args.n)
        strokes = strokes_of(images)
        print(f"traced {len(images)} test digits in {time.perf_counter() - t0:.1f} s")

    seen: list = []
    window.prediction_changed.connect(seen.append)

    def prediction():
        app.processEvents()
        probs = seen[-1] if seen else None
        seen.clear()
        return probs

    sizes = tuple(float(s) for s in args.sizes.split(","))
    t0 = time.perf_counter()
    result = proxy_accuracy(
        window,
        prediction,
        images,
        labels,
        sizes,
        seed=args.seed,
        step=args.step,
        strokes=strokes,
    )
    elapsed = time.perf_counter() - t0
    n = sum(result.total.values())
    print(f"replayed {n} digits in {elapsed:.1f} s ({elapsed / n * 1000:.1f} ms each)")
    for s in sizes:
        print(
            f"  height {s:.2f}: {result.accuracy_at(s):.2%}"
            f"  ({result.correct[s]}/{result.total[s]})"
        )
    print(f"  overall:     {result.accuracy:.2%}")
    wrong = np.bincount([label for _, _, label, _ in result.errors], minlength=10)
    shown = np.bincount(np.asarray(labels, int), minlength=10) * len(sizes)
    print("  per class:  ", ", ".join(f"{d}: {1 - wrong[d] / max(shown[d], 1):.1%}"
                                     for d in range(10)))
    if args.proxy == "styles":
        missed = Counter(f"{labels[i]} {styles[i]}" for i, _, _, _ in result.errors)
        print("  styles most often misread:", ", ".join(
            f"{k}: {v}" for k, v in missed.most_common(8)))
    confusions = Counter((label, guess) for _, _, label, guess in result.errors)
    print(
        "  most common misreadings (label -> guess: count):",
        ", ".join(f"{a}->{b}: {c}" for (a, b), c in confusions.most_common(8)),
    )

    # Latency: a mouse move that draws -> the window has new probabilities (prediction_changed),
    # and -> the canvas and the prediction pane have repainted (the events that follow).
    to_probs: list[float] = []
    to_screen: list[float] = []
    stamp: list[float] = []
    window.prediction_changed.disconnect(seen.append)
    window.prediction_changed.connect(lambda p: stamp.append(time.perf_counter()))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    rng = np.random.default_rng(args.seed)
    for _ in range(args.strokes):
        i = int(rng.integers(len(strokes)))
        if not strokes[i]:
            continue
        canvas.clear()
        app.processEvents()
        xy = layout_strokes(strokes[i], (board.x(), board.y(), board.width()), 0.6)[0]
        points = [QPoint(round(x), round(y)) for x, y in xy]
        QTest.mousePress(canvas, left, none, points[0])
        app.processEvents()
        for p in points[1:]:
            stamp.clear()
            t = time.perf_counter()
            QTest.mouseMove(canvas, p)
            if stamp:
                to_probs.append(stamp[-1] - t)
                app.processEvents()  # the repaints, as between real pointer events
                to_screen.append(time.perf_counter() - t)
        QTest.mouseRelease(canvas, left, none, points[-1])
    for what, times in (("probabilities", to_probs), ("repainted", to_screen)):
        ms = np.array(times) * 1000
        print(
            f"mouse move -> {what} over {args.strokes} strokes ({len(ms)} moves): "
            f"p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms, "
            f"max {ms.max():.2f} ms"
        )
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
