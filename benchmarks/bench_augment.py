"""Augmentation speed: one epoch's worth of ``core.augment.augment`` on one thread.

    python benchmarks/bench_augment.py [--repeats 5] [--n 60000]

Augments MNIST's training images from $MNIST_DIR (random strokes of MNIST's shape if it is not
set) with the default ranges, ``--repeats`` times after one warm-up run, and prints the median
wall-clock and CPU time. The target is under 1.5 s for 60,000 images. CPU time is printed too
because on a shared machine the wall clock also counts time spent waiting for a core.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # augment uses no BLAS; keep it that way
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.augment import augment  # noqa: E402


def load_images(n: int) -> tuple[np.ndarray, str]:
    folder = os.environ.get("MNIST_DIR")
    path = Path(folder or ".") / "train-images-idx3-ubyte.gz"
    if folder and path.is_file():
        with gzip.open(path) as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
        return np.resize(images, (n, 28, 28)), f"MNIST from {folder}"
    rng = np.random.default_rng(0)
    images = (rng.random((n, 28, 28)) < 0.15) * rng.integers(0, 256, (n, 28, 28))
    return images.astype(np.uint8), "random data (MNIST_DIR not set)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n", type=int, default=60_000)
    args = parser.parse_args()

    images, source = load_images(args.n)
    rng = np.random.default_rng(0)
    augment(images, rng)  # warm-up
    wall, cpu = [], []
    for _ in range(args.repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        out = augment(images, rng)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    assert out.shape == (args.n, 784)
    print(f"augment, {args.n} images of {source}, {args.repeats} runs:")
    print(f"  median wall {statistics.median(wall):.3f} s  (min {min(wall):.3f} s)")
    print(f"  median CPU  {statistics.median(cpu):.3f} s  (min {min(cpu):.3f} s)")
    print(f"  load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
