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
