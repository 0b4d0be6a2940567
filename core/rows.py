"""MNIST as the network takes it: pixel rows in [0, 1] in, one-hot rows out.

Every path from digits to a network (training, its batches, evaluation, the fine-tune, ``ffn
predict``, the window's drawings and image files) converts pixels here, so all read a digit
alike: a uint8 pixel (0 = background, 255 = full ink) is ``pixel × pixel_scale(dtype)``, the
float 1/255 of the network's dtype.

Shapes: images uint8 (N, 28, 28) → X (N, 784) rows; labels (N,) in 0..9 → Y (N, 10) one-hot.
"""

from __future__ import annotations

import numpy as np

N_INPUTS, N_CLASSES = 784, 10  # 28×28 pixels in, the ten digits out


def pixel_scale(dtype=np.float32) -> np.floating:
    """The factor a uint8 pixel is multiplied by to fall in [0, 1], in ``dtype``."""
    return np.dtype(dtype).type(1 / 255)


def to_unit(pixels: np.ndarray, dtype=np.float32) -> np.ndarray:
    """uint8 pixels of any shape as a new ``dtype`` array in [0, 1]."""
    x = np.asarray(pixels).astype(dtype)
    x *= pixel_scale(dtype)
    return x


def as_inputs(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """uint8 (N, 28, 28) images (or (N, 784) rows) → (N, 784) rows in [0, 1]."""
    images = np.asarray(images)
    return to_unit(images.reshape(len(images), -1), dtype)


def one_hot(labels, dtype=np.float32, n: int = N_CLASSES) -> np.ndarray:
    """Labels (N,) in 0..n−1 → (N, n) rows, a 1 at each label; a single label → (n,)."""
    labels = np.asarray(labels)
    if labels.size and not (0 <= labels.min() and labels.max() < n):
        bad = labels[(labels < 0) | (labels >= n)].flat[0]
        raise ValueError(f"label must be 0 to {n - 1}, got {bad}")
    Y = np.zeros((labels.size, n), dtype)
    Y[np.arange(labels.size), labels.reshape(-1).astype(np.intp)] = 1
    return Y.reshape(*labels.shape, n)


NOT_A_DIGIT = N_CLASSES  # the label of a training row that is no digit (core.nondigits)


def targets(labels, dtype=np.float32) -> np.ndarray:
    """Labels (N,) → the rows a network learns to output (N, 10): one-hot for a digit, and for
    ``NOT_A_DIGIT`` the uniform distribution, 1/10 each (outlier exposure: no digit is more
    likely than another)."""
    labels = np.asarray(labels).reshape(-1)
    other = labels == NOT_A_DIGIT
    Y = one_hot(np.where(other, 0, labels), dtype)
    Y[other] = 1 / N_CLASSES
    return Y


def mnist_problem(network) -> str | None:
    """Why ``network`` cannot read MNIST digits (not 784 inputs → 10 outputs), or None."""
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if n_in == N_INPUTS and n_out == N_CLASSES:
        return None
    return (f"maps {n_in} inputs to {n_out} outputs; MNIST needs {N_INPUTS} inputs (28×28) "
            f"and {N_CLASSES} outputs (the digits)")
