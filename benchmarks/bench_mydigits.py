"""A writer teaches the window their handwriting: label 2 of each digit, fine-tune, read 3 more.

The writer writes every digit in one style MNIST's writers rarely used (``WRITER``, templates of
``tests/styles.py``: a slashed 0, a 1 with a long lead-in stroke, a curly 2, a flat-topped 3, an
open 4, a 5 in one stroke, a straight-backed 6, a crossed 7, an 8 of two loops, a 9 with a
straight tail) and leans every digit back to the left (``SLANT``), where MNIST's lean right;
each example has its own proportions, wobble and mouse-like sampling. Everything goes through
the window as a user's would: the digits are drawn with mouse events on the board, labelled
with Ctrl+<digit> key presses, the fine-tune is ``MainWindow.fine_tune()`` (waited for on
``training_finished``), the digits are read from the window's prediction.

    MNIST_DIR=/path/to/mnist python benchmarks/bench_mydigits.py [--seed 0] [--writers 1]

Prints, per writer, the accuracy on the 30 new digits before and after, the fine-tune's seconds,
and the MNIST test accuracy before and after; then the medians. Targets: after >= 97%, MNIST drop
<= 0.3 points, fine-tune <= 30 s. The window's data folder is a temporary one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = tempfile.mkdtemp(prefix="bench-mydigits-")
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):  # never the user's own digits or settings
    os.environ[_var] = str(Path(_HOME) / _var.lower())

import numpy as np  # noqa: E402

WRITER = {0: "slashed", 1: "long lead-in", 2: "curly", 3: "flat top", 4: "open top",
          5: "one stroke", 6: "straight back", 7: "crossed", 8: "two loops", 9: "straight tail"}
SLANT = -0.35  # x moves this much per unit of height going up: a backhand
LABELLED, READ = 2, 3  # examples of each digit


def writer_digit(label: int, rng: np.random.Generator) -> list[np.ndarray]:
    from helpers.styles import make_digit

    strokes = make_digit(label, WRITER[label], rng).strokes
    return [np.stack([s[:, 0] + SLANT * (0.5 - s[:, 1]), s[:, 1]], axis=1) for s in strokes]


def wait(app, until, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def read(app, window, strokes) -> int:
    from helpers.handwriting import replay_digit
    from helpers.styles import STYLE_HEIGHT

    replay_digit(None, window.canvas, strokes, height_frac=STYLE_HEIGHT)
    app.processEvents()
    probs = window.session.drawing.probs
    return -1 if probs is None else int(np.argmax(probs))


def play_writer(app, window, seed: int) -> dict:
    from helpers.handwriting import replay_digit
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from helpers.styles import STYLE_HEIGHT

    from core.training import evaluate

    rng = np.random.default_rng([seed, 2026])
    labelled = [(d, writer_digit(d, rng)) for _ in range(LABELLED) for d in range(10)]
    new = [(d, writer_digit(d, rng)) for _ in range(READ) for d in range(10)]
    window.revert_to_bundled()
    for digit_id in window.my_digits.digits.ids.tolist():  # each writer their own digits
        window.my_digits.delete(digit_id)
    before_count = len(window.my_digits)
    for d, strokes in labelled:
        replay_digit(None, window.canvas, strokes, height_frac=STYLE_HEIGHT)
        app.processEvents()
        QTest.keyClick(window.canvas, Qt.Key(Qt.Key.Key_0 + d), Qt.KeyboardModifier.ControlModifier)
        app.processEvents()
    added = len(window.my_digits) - before_count
    assert added == len(labelled), f"Ctrl+digit added {added} of {len(labelled)} digits"
    test = window.data.test
    acc_before = np.mean([read(app, window, s) == d for d, s in new])
    _, mnist_before = evaluate(window.model.network, test.images, test.labels)
    finished = []
    window.training_finished.connect(finished.append)
    t0, c0 = time.perf_counter(), cpu_seconds()
    assert window.fine_tune(), window.last_error
    wait(app, lambda: finished)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    window.training_finished.disconnect(finished.append)
    if isinstance(finished[0], BaseException):
        raise finished[0]
    acc_after = np.mean([read(app, window, s) == d for d, s in new])
    _, mnist_after = evaluate(window.model.network, test.images, test.labels)
    return {"before": acc_before, "after": acc_after, "seconds": seconds, "cpu": cpu,
            "mnist_before": mnist_before, "mnist_after": mnist_after}



def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the run goes on in a child process
    on Linux, reaped when it ends)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnist", default=os.environ.get("MNIST_DIR"), help="MNIST folder")
    parser.add_argument("--seed", type=int, default=0, help="the first writer")
    parser.add_argument("--writers", type=int, default=1, help="writers played in turn")
    args = parser.parse_args(argv)
    if not args.mnist:
        parser.error("give --mnist or set MNIST_DIR")

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ffn_gui import MainWindow

    window = MainWindow(search_data=False)
    window.ask_save_changes = lambda: "discard"
    window.show()
    window.load_data_from(args.mnist)
    wait(app, lambda: window.data is not None and not window.loading_data)
    rows = []
    for seed in range(args.seed, args.seed + args.writers):
        r = play_writer(app, window, seed)
        rows.append(r)
        print(f"writer {seed}: new digits {r['before']:.1%} -> {r['after']:.1%}  "
              f"fine-tune {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s)  MNIST test {r['mnist_before']:.2%} -> "
              f"{r['mnist_after']:.2%} (drop {100 * (r['mnist_before'] - r['mnist_after']):.2f} "
              "points)", flush=True)
    med = {k: float(np.median([r[k] for r in rows])) for k in rows[0]}
    drop = float(np.median([100 * (r["mnist_before"] - r["mnist_after"]) for r in rows]))
    print(f"median of {len(rows)}: after {med['after']:.1%} (target >= 97%), MNIST drop "
          f"{drop:.2f} points (target <= 0.3), fine-tune {med['seconds']:.1f} s (target <= 30; "
          f"CPU {med['cpu']:.1f} s)")
    print(f"load average: {os.getloadavg()[0]:.1f} (timings are wall-clock on a shared machine)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
