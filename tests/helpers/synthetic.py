"""Small synthetic digit-like data sets for tests that must run without MNIST."""

from dataclasses import dataclass

import numpy as np


@dataclass
class Arrays:
    images: np.ndarray
    labels: np.ndarray


def blobs(n: int, rng: np.random.Generator, noise: int = 40) -> Arrays:
    """Ten easily separable classes of 28x28 uint8 images: class k lights a 7x7 patch whose
    position depends on k, plus noise."""
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = rng.integers(0, noise, (n, 28, 28)).astype(np.uint8)
    for k in range(10):
        r, c = divmod(k, 4)
        rows = labels == k
        images[rows, 2 + r * 8 : 9 + r * 8, 1 + c * 7 : 8 + c * 7] = 230
    return Arrays(images, labels)


def stroke_digits(n: int, seed: int = 0) -> np.ndarray:
    """(n, 28, 28) uint8 stand-ins for digits: a few soft strokes around the middle."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:28, :28]
    out = np.zeros((n, 28, 28))
    for k in range(n):
        for _ in range(3):
            (x0, y0), (x1, y1) = rng.uniform(8, 20, (2, 2))
            seg = np.array([x1 - x0, y1 - y0])
            t = np.clip(((xx - x0) * seg[0] + (yy - y0) * seg[1]) / max(seg @ seg, 1e-9), 0, 1)
            d = np.hypot(xx - x0 - t * seg[0], yy - y0 - t * seg[1])
            out[k] = np.maximum(out[k], np.clip(2.0 - d, 0, 1))
    return (out * 255).round().astype(np.uint8)
