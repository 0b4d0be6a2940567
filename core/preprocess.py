"""Turn a drawing into the input the network was trained on: a 28x28 MNIST-style digit.

Shapes: a drawing is a 2-D grayscale array ``image.shape == (H, W)``, white ink on black, either
uint8 in 0..255 or float in [0, 1]. The result is float32 ``(28, 28)`` in [0, 1]; flatten it
with ``.reshape(1, 784)`` for the network.

MNIST's authors fitted each digit's bounding box into 20x20 pixels keeping its aspect ratio, with
anti-aliasing, and placed it in a 28x28 frame so that its intensity centre of mass sits at the
centre. Measured on the 10,000 MNIST test digits with pixel centres at integer coordinates
(row, col) = (0..27, 0..27), the centre of mass averages (13.99, 14.01) and is spread evenly within
+-0.5 of it: the shift was a whole number of pixels. ``to_mnist`` does the same, so its centre of
mass lands within +-0.5 of ``CENTRE = (14, 14)``.

Resampling is area-averaging (a box filter): an output pixel covers a rectangle of the input
and takes the overlap-weighted mean of the pixels under it. It is separable,
``out = R_h @ img @ R_w.T``, where row i of ``R_h`` (h_out, H) holds the overlap of output row i
with each input row.
"""

from __future__ import annotations

import numpy as np

from .errors import DataError

SIZE = 28  # the frame
BOX = 20  # the longer side of the digit's bounding box
CENTRE = 14.0  # where MNIST's centre of mass sits, (row, col), pixel centres at integers
INK_THRESHOLD = 0.05  # a pixel above this (on 0..1) is ink, for the bounding box
MIN_INK = 0.5  # total ink below this (in fully inked pixels) is an empty drawing


def _as_float(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim != 2 or 0 in image.shape:
        raise DataError(f"a drawing must be a non-empty 2-D array, got shape {image.shape}")
    if image.dtype == np.uint8:
        return image.astype(np.float32) * np.float32(1 / 255)
    return np.clip(image, 0.0, 1.0, dtype=np.float32)


def resample_matrix(n_in: int, n_out: int, scale: float | None = None) -> np.ndarray:
    """(n_out, n_in) float32 area-averaging weights mapping n_in pixels to n_out pixels.

    Input pixel j covers [j, j+1]; output pixel i covers [i/scale, (i+1)/scale] of the input,
    with ``scale = n_out / n_in`` unless given. Row i holds each input pixel's overlap with that
    interval, times ``scale``: a fully covered output pixel's weights sum to 1, a pixel that
    hangs over the end of the input gets only its share (an anti-aliased edge).
    """
    if scale is None:
        scale = n_out / n_in
    lo = np.arange(n_out)[:, None] / scale
    j = np.arange(n_in)[None, :]
    overlap = np.minimum(j + 1, lo + 1 / scale) - np.maximum(j, lo)
    return (np.clip(overlap, 0.0, None) * scale).astype(np.float32)


def _ink_box(img: np.ndarray) -> tuple[slice, slice] | None:
    ink = img > INK_THRESHOLD
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or img.sum() < MIN_INK:
        return None
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def is_empty(image: np.ndarray) -> bool:
    """True when the drawing has no ink worth reading (nothing above the ink threshold)."""
    return _ink_box(_as_float(image)) is None


def to_mnist(image: np.ndarray) -> np.ndarray | None:
    """The drawing as MNIST would have it: float32 (28, 28) in [0, 1], or None if empty.

    Crop to the ink, fit the longer side into 20 px keeping the aspect ratio (area-averaged),
    scale the brightest pixel to 1 (a thin pen seen from afar stays visible, as MNIST's strokes
    are), and shift by whole pixels so the centre of mass is at (14, 14), never pushing ink out
    of the frame.
    """
    img = _as_float(image)
    box = _ink_box(img)
    if box is None:
        return None
    crop = img[box]
    h, w = crop.shape
    scale = BOX / max(h, w)
    h_out, w_out = (min(BOX, int(np.ceil(n * scale - 1e-6))) for n in (h, w))
    small = resample_matrix(h, h_out, scale) @ crop @ resample_matrix(w, w_out, scale).T
    small *= 1 / small.max()

    mass = small.sum()
    cy = small.sum(axis=1) @ np.arange(h_out) / mass
    cx = small.sum(axis=0) @ np.arange(w_out) / mass
    top = int(np.clip(np.floor(CENTRE - cy + 0.5), 0, SIZE - h_out))
    left = int(np.clip(np.floor(CENTRE - cx + 0.5), 0, SIZE - w_out))
    out = np.zeros((SIZE, SIZE), np.float32)
    out[top : top + h_out, left : left + w_out] = np.clip(small, 0.0, 1.0)
    return out


def raw_to_input(image: np.ndarray) -> np.ndarray:
    """The whole canvas area-resized to float32 (28, 28), no cropping or centring ('raw' mode)."""
    img = _as_float(image)
    h, w = img.shape
    return np.clip(resample_matrix(h, SIZE) @ img @ resample_matrix(w, SIZE).T, 0.0, 1.0)
