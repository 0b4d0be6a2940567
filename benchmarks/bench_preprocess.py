"""Speed of reading a drawing: ``to_mnist`` and ``raw_to_input`` on a 280x280 canvas.

    python benchmarks/bench_preprocess.py [--repeats 2000]

Draws MNIST test digits (from $MNIST_DIR, or a synthetic stroke if it is not set) magnified
ten times onto a 280x280 uint8 canvas, as the GUI's canvas holds them, and prints the median
time per call. The target is well under 1 ms for ``to_mnist``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.preprocess import raw_to_input, to_mnist  # noqa: E402


def canvases(k: int) -> list[np.ndarray]:
    folder = os.environ.get("MNIST_DIR")
    path = Path(folder or ".") / "t10k-images-idx3-ubyte.gz"
    if folder and path.is_file():
        with gzip.open(path) as f:
            digits = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:k]
    else:
        digits = np.zeros((1, 28, 28), np.uint8)
        digits[0, 4:24, 12:16] = 255
    return [np.kron(d, np.ones((10, 10), np.uint8)) for d in digits]


def median_us(fn, images: list[np.ndarray], repeats: int) -> float:
    times = []
    for i in range(repeats):
        img = images[i % len(images)]
        t0 = time.perf_counter()
        fn(img)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000)
    args = parser.parse_args()
    images = canvases(100)
    for fn in (to_mnist, raw_to_input):
        fn(images[0])
        print(f"{fn.__name__:13s} median {median_us(fn, images, args.repeats):7.1f} µs per 280x280")


if __name__ == "__main__":
    main()
