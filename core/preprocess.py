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

Deskewing (``deskew``) shears a 28x28 digit so that its principal axis is vertical, from its
second moments: with the centre of mass (cy, cx), mu11 = E[(x - cx)(y - cy)] and
mu02 = E[(y - cy)^2] (intensity-weighted), the slant is ``alpha = mu11 / mu02`` and row y is
moved sideways by ``-alpha (y - cy)``. Every row keeps its ink and the centre of mass stays
where it was; afterwards mu11 = 0. The same function serves MNIST's 28x28 digits (training and
test) and the canvas's ``to_mnist`` output, so both reach the network the same way.
"""

from __future__ import annotations

import numpy as np

from .errors import DataError
from .rows import to_unit

SIZE = 28  # the frame
BOX = 20  # the longer side of the digit's bounding box
CENTRE = 14.0  # where MNIST's centre of mass sits, (row, col), pixel centres at integers
INK_THRESHOLD = 0.05  # a pixel above this (on 0..1) is ink, for the bounding box
MIN_INK = 0.5  # total ink below this (in fully inked pixels) is an empty drawing
MAX_SLANT = 1.0  # |alpha| is capped here: a flat stroke (mu02 near 0) has no meaningful slant
CHUNK = 256  # images deskewed per step (the temporaries stay in the cache)


def _as_float(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim != 2 or 0 in image.shape:
        raise DataError(f"a drawing must be a non-empty 2-D array, got shape {image.shape}")
    if image.dtype == np.uint8:
        return to_unit(image)
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


def slant(images: np.ndarray) -> np.ndarray:
    """The slant ``alpha = mu11 / mu02`` of each image (N, H, W) (or one (H, W)), float64:
    the column of the ink moves by alpha pixels per row downwards. Capped to +-MAX_SLANT;
    0 for a blank image or a flat one (mu02 < 0.1 px^2)."""
    x = np.asarray(images, np.float64)
    one = x.ndim == 2
    x = x.reshape((-1, *x.shape[-2:]))
    rows, cols = np.arange(x.shape[1], dtype=np.float64), np.arange(x.shape[2], dtype=np.float64)
    mass = x.sum(axis=(1, 2))
    safe = np.maximum(mass, 1e-12)
    by_row = x.sum(axis=2)  # (N, H)
    cy = by_row @ rows / safe
    cx = x.sum(axis=1) @ cols / safe
    dy = rows[None, :] - cy[:, None]
    mu02 = np.einsum("nr,nr->n", by_row, dy**2) / safe
    mu11 = np.einsum("nr,nrc,nc->n", dy, x, cols[None, :] - cx[:, None]) / safe
    alpha = np.where((mass > 0) & (mu02 >= 0.1), mu11 / np.maximum(mu02, 0.1), 0.0)
    alpha = np.clip(alpha, -MAX_SLANT, MAX_SLANT)
    return alpha[0] if one else alpha


def shear(images: np.ndarray, amount) -> np.ndarray:
    """Each image's rows moved sideways by ``amount * (y - cy)`` (cy its centre of mass's row),
    with linear interpolation and zero outside the frame: a slant of ``amount`` pixels per row
    added about the centre of mass. Same shape and dtype as ``images``; ``amount`` a number or
    one per image."""
    images = np.asarray(images)
    one = images.ndim == 2
    x = images.reshape((-1, *images.shape[-2:]))
    amount = np.broadcast_to(np.asarray(amount, np.float64), (len(x),))
    out = np.empty(x.shape, np.float32 if x.dtype == np.uint8 else x.dtype)
    for lo in range(0, len(x), CHUNK):
        out[lo : lo + CHUNK] = _shear_rows(x[lo : lo + CHUNK], amount[lo : lo + CHUNK])
    if images.dtype == np.uint8:
        out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return out[0] if one else out


def _shear_rows(x: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Row r of image n shifted right by amount[n] * (r - cy[n]): out[n, r, c] samples
    x[n, r, c - shift] linearly between its two neighbours (zero outside).

    A row's shift is one number, so its integer part k and fraction f give every pixel of the
    row: out[c] = (1 - f) x[c - k] + f x[c - k - 1], read from the rows laid end to end with
    w zeros between them (a shift never reaches past the next row's padding)."""
    n, h, w = x.shape
    xf = x.astype(np.float32)
    by_row = xf.sum(axis=2)
    cy = by_row @ np.arange(h, dtype=np.float32) / np.maximum(by_row.sum(axis=1), 1e-12)
    shift = amount[:, None] * (np.arange(h)[None, :] - cy[:, None])  # (n, h), to the right
    shift = np.clip(shift, -w, w)
    k = np.floor(shift)
    f = (shift - k).astype(np.float32)[:, :, None]
    padded = np.zeros((n, h, 3 * w + 1), np.float32)  # w zeros, the row, w + 1 zeros
    padded[:, :, w : 2 * w] = xf
    flat = padded.reshape(-1)
    start = (np.arange(n * h).reshape(n, h) * (3 * w + 1) + w - k.astype(np.intp))[:, :, None]
    index = start + np.arange(w)[None, None, :]  # where x[c - k] sits in flat
    a = flat[index]
    b = flat[index - 1]
    a += f * (b - a)
    return a


def deskew(images: np.ndarray) -> np.ndarray:
    """The digits sheared upright: each image's own slant (``slant``) removed about its centre
    of mass, so that its principal axis is vertical. (28, 28) or (N, 28, 28), uint8 or float;
    the result has the same shape and dtype (float in [0, 1] stays in [0, 1])."""
    return shear(images, -slant(images))


def reads_deskewed(network) -> bool:
    """True when ``network`` was trained on deskewed digits (``network.deskew``, set by training
    and by ``model_io.load_model`` from the model's config; copies of a network keep it)."""
    return bool(getattr(network, "deskew", False))


def as_read_by(network, images: np.ndarray) -> np.ndarray:
    """MNIST-style digits (28, 28) or (N, 28, 28) as ``network`` reads them: deskewed when it
    was trained deskewed, else unchanged. Every path from digits to a model's inputs (training,
    testing, ``ffn evaluate``/``predict``, the window) goes through this, so a model and its
    preprocessing never disagree."""
    return deskew(images) if reads_deskewed(network) else images
