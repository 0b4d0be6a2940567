"""Make docs/screenshot.png: the real window, mid-training, with a digit on the canvas.

    xvfb-run -a python scripts/screenshot.py [MNIST_FOLDER] [--out docs/screenshot.png]

Loads MNIST (the folder given, else $MNIST_DIR), draws an MNIST *test* digit on the canvas
with mouse strokes traced from it (``core.strokes``), starts training the ``default`` preset,
waits until the plots hold points of epoch 2 and grabs the window. Settings go to a temporary
folder, so your own are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mnist", nargs="?", default=os.environ.get("MNIST_DIR"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--digit", type=int, default=0, help="index of the MNIST test digit")
    parser.add_argument("--epoch", type=int, default=2, help="grab once this epoch has points")
    parser.add_argument("--timeout", type=float, default=300, help="seconds")
    args = parser.parse_args()
    if not args.mnist:
        parser.error("give the MNIST folder or set MNIST_DIR")

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    tmp = tempfile.mkdtemp(prefix="ffn-gui-shot-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ffn-gui")

    from helpers.handwriting import replay_digit

    from core.data import load_data
    from core.strokes import digit_strokes
    from ffn_gui import MainWindow
    from ffn_gui.resources import icon_path

    window = MainWindow(search_data=False)
    window.resize(1400, 880)
    window.show()
    data = load_data(args.mnist)
    window.set_data(data)
    window.training_panel.set_preset("default")

    def wait_until(done, timeout_s: float) -> None:
        clock = QElapsedTimer()
        clock.start()
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if done() else None)
        timer.start(50)
        while not done():
            if clock.elapsed() > timeout_s * 1000:
                raise TimeoutError("the window did not get there in time")
            loop.exec()
        timer.stop()

    wait_until(lambda: window.canvas.isVisible(), 10)
    digit = data.test.images[args.digit].astype(float) / 255
    replay_digit(None, window.canvas, digit_strokes(digit), height_frac=0.62)

    window.start_training()
    plots = window.plots
    wait_until(lambda: plots.n_epoch_points >= args.epoch - 1
               and plots.batch_cost.n and plots.batch_cost.x[plots.batch_cost.n - 1]
               > args.epoch - 0.5, args.timeout)
    app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out))
    print(f"wrote {args.out} ({icon_path().name} icon)")
    window.stop_training()
    wait_until(lambda: not window.training, 30)
    window.setWindowModified(False)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
