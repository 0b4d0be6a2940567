"""Random distortions of training digits, drawn afresh every epoch.

Shapes: ``images.shape == (N, 28, 28)``, uint8 in 0..255 or float in [0, 1]; the result is a
batch of rows, float32 ``(N, 784)`` in [0, 1], ready for the network.

Each image gets its own affine map about its centre of mass: a rotation, an isotropic scale, an
optional horizontal shear (slant) and a shift. The map is applied backwards: output pixel p
samples the input at ``c + A⁻¹ (p - c - t)`` with bilinear interpolation (zero outside the
frame), a few hundred images per gather, with no loop over images. Then some images get a
thicker or thinner pen:

    thicker   x + u (dilate(x) - x)         dilate = max of x and its 4 neighbours, u in [0.5, 1]
    thinner   clip((x - t) / (1 - t), 0, 1)  drops the soft edge of the stroke, t in [0.15, 0.45]

Both keep a stroke's core at full ink and its edge anti-aliased, as a pen of another width
would draw it; the thinner one also sharpens, as a mouse-drawn stroke is sharper than MNIST's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .errors import ConfigError

SIDE = 28
CHUNK = 256  # images per gather: the working set stays in the CPU's cache


def augment(
    images: np.ndarray,
    rng: np.random.Generator,
    *,
    shift: float = 2.0,
    rotate: float = 12.0,
    scale: tuple[float, float] = (0.9, 1.1),
    thickness: float = 0.35,
    shear: float = 0.0,
) -> np.ndarray:
    """Randomly rotated (degrees, +-rotate), scaled, sheared (+-shear, x += shear * y) and
    shifted (pixels, +-shift) copies of ``images``, a fraction ``thickness`` of them drawn with a
    thicker or a thinner pen (half each); float32 (N, 784) in [0, 1]. With every range zero the
    result is ``images / 255`` (for uint8) up to rounding.

    The same random numbers are drawn whatever the ranges, so with one seed a different
    ``thickness`` changes the pens only, and a different ``shift`` the shifts only.
    """
    if not (0 <= thickness <= 1 and 0 < scale[0] <= scale[1] and min(shift, rotate, shear) >= 0):
        raise ConfigError(
            f"augmentation needs 0 <= thickness <= 1, 0 < scale[0] <= scale[1] and ranges >= 0; "
            f"got shift={shift}, rotate={rotate}, scale={scale}, thickness={thickness}, "
            f"shear={shear}"
        )
    n = len(images)
    angle = rng.uniform(-rotate, rotate, n)
    zoom = rng.uniform(scale[0], scale[1], n)
    slant = rng.uniform(-shear, shear, n)
    offset = rng.uniform(-shift, shift, (n, 2))
    change = rng.random(n) < thickness
    thicker = rng.random(n) < 0.5
    strength = rng.random(n)

    out = warp(images, angle, zoom, offset, slant)
    imgs = out.reshape(n, SIDE, SIDE)
    thick, thin = np.flatnonzero(change & thicker), np.flatnonzero(change & ~thicker)
    if thick.size:
        u = (0.5 + 0.5 * strength[thick]).astype(np.float32)[:, None, None]
        a = imgs[thick]
        imgs[thick] = a + u * (_dilate(a) - a)
    if thin.size:
        cut = (0.15 + 0.3 * strength[thin]).astype(np.float32)[:, None, None]
        imgs[thin] = np.clip((imgs[thin] - cut) / (1 - cut), 0.0, 1.0)
    return out


def warp(
    images: np.ndarray,
    angle: np.ndarray,
    zoom: np.ndarray,
    offset: np.ndarray,
    slant: np.ndarray | None = None,
) -> np.ndarray:
    """Each image moved by its own affine map about its centre of mass: float32 (N, 784).

    ``angle`` (N,) degrees, ``zoom`` (N,) scale factors, ``offset`` (N, 2) shifts (dx, dy) in
    pixels, ``slant`` (N,) horizontal shear. The map is A = zoom * R(angle) @ [[1, slant], [0, 1]]
    on (x, y) about the centre of mass c, then the shift t: p -> c + A (p - c) + t.
    """
    images = np.asarray(images)
    n = len(images)
    images = images.reshape(n, SIDE, SIDE)
    rad = np.deg2rad(np.asarray(angle, float))
    slant = np.zeros(n) if slant is None else np.asarray(slant, float)
    cos, sin = np.cos(rad), np.sin(rad)
    inv = np.empty((n, 2, 2))  # A⁻¹ = Sh⁻¹ R⁻¹ / zoom
    inv[:, 0, 0], inv[:, 0, 1] = cos + slant * sin, sin - slant * cos
    inv[:, 1, 0], inv[:, 1, 1] = -sin, cos
    inv /= np.asarray(zoom, float)[:, None, None]
    offset = np.asarray(offset, float).reshape(n, 2)

    out = np.empty((n, SIDE * SIDE), np.float32)
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        out[lo:hi] = _sample(images[lo:hi], inv[lo:hi], offset[lo:hi])
    return out


def _centre_of_mass(x: np.ndarray) -> np.ndarray:
    """(m, 2) centre of mass (x, y) of each image, pixel centres at integers; blank -> middle."""
    rows, cols = x.sum(axis=2), x.sum(axis=1)
    mass = rows.sum(axis=1)
    r = np.arange(x.shape[-1], dtype=np.float32)
    c = np.stack([cols @ r, rows @ r], axis=1) / np.maximum(mass, 1e-30)[:, None]
    c[mass <= 0] = (x.shape[-1] - 1) / 2
    return c


def _sample(images: np.ndarray, inv: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Bilinear samples of (m, 28, 28) images at c + A⁻¹ (p - c - t), c their centres of mass:
    (m, 784) float32 in [0, 1].

    The images sit in a zero frame (one pixel before, two after), so every sample clipped to
    [0, 29] reads its 2x2 neighbourhood inside the frame and anything outside the image is 0.
    Written as s = A⁻¹ p + (c - A⁻¹ (c + t)), two multiply-adds per coordinate.
    """
    m = len(images)
    w = SIDE + 3
    framed = np.zeros((m, w, w), np.float32)
    x = framed[:, 1 : SIDE + 1, 1 : SIDE + 1]
    x[...] = images
    if images.dtype == np.uint8:
        x *= np.float32(1 / 255)
    else:
        np.clip(x, 0.0, 1.0, out=x)
    flat = framed.ravel()
    a = inv.astype(np.float32)
    c = _centre_of_mass(x) + np.float32(1)  # framed coordinates
    ct = c + t.astype(np.float32)
    bx = c[:, 0] - a[:, 0, 0] * ct[:, 0] - a[:, 0, 1] * ct[:, 1]
    by = c[:, 1] - a[:, 1, 0] * ct[:, 0] - a[:, 1, 1] * ct[:, 1]
    grid = np.arange(1, SIDE + 1, dtype=np.float32)
    px, py = np.tile(grid, SIDE)[None, :], np.repeat(grid, SIDE)[None, :]  # (1, 784)

    sx = a[:, 0, :1] * px
    sx += a[:, 0, 1:] * py
    sx += bx[:, None]
    sy = a[:, 1, :1] * px
    sy += a[:, 1, 1:] * py
    sy += by[:, None]
    np.clip(sx, 0, SIDE + 1, out=sx)
    np.clip(sy, 0, SIDE + 1, out=sy)
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = sx - x0, sy - y0
    y0 *= w  # the flat index of the top-left neighbour, exact in float32 for a chunk
    y0 += x0
    y0 += (np.arange(m, dtype=np.float32) * (w * w))[:, None]
    i = y0.astype(np.intp)

    # One index array, four shifted views: flat[1:][i] is the right neighbour of flat[i].
    top = flat[i]
    right = flat[1:][i]
    right -= top
    right *= fx
    top += right
    bottom = flat[w:][i]
    right = flat[w + 1 :][i]
    right -= bottom
    right *= fx
    bottom += right
    bottom -= top
    bottom *= fy
    top += bottom
    return top


def _dilate(x: np.ndarray) -> np.ndarray:
    """Grey dilation of (m, 28, 28) images by a plus: max of each pixel and its 4 neighbours."""
    d = x.copy()
    np.maximum(d[:, 1:], x[:, :-1], out=d[:, 1:])
    np.maximum(d[:, :-1], x[:, 1:], out=d[:, :-1])
    np.maximum(d[:, :, 1:], x[:, :, :-1], out=d[:, :, 1:])
    np.maximum(d[:, :, :-1], x[:, :, 1:], out=d[:, :, :-1])
    return d


def pen_redraw(
    images: np.ndarray, width: float, chunk: int = 1024, stop: Callable[[], bool] | None = None
) -> np.ndarray | None:
    """The digits redrawn with a round pen of uniform ``width`` (pixels) along their skeletons;
    uint8 (N, 28, 28) like the input.

    MNIST's strokes vary in width within a digit (they were scanned from pen on paper), while a
    digit drawn on the canvas has one width throughout. Training on both teaches the network
    that the width does not matter. Each pixel takes coverage ``clip(width/2 + 0.5 - d, 0, 1)``
    from its distance d to the nearest skeleton pixel, computed from the skeleton shifted by
    every offset within reach (no loop over images). ``stop`` is asked between chunks of
    ``chunk`` images (about 0.1 s each); when it answers True the result is None.
    """
    from .strokes import skeletonize

    images = np.asarray(images)
    reach = int(np.ceil(width / 2 + 0.5))
    offsets = [(dy, dx) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)]
    levels = [(dy, dx, np.clip(width / 2 + 0.5 - np.hypot(dy, dx), 0, 1)) for dy, dx in offsets]
    levels = [(dy, dx, c) for dy, dx, c in levels if c > 0]
    out = np.empty(images.shape, np.uint8)
    for start in range(0, len(images), chunk):
        if stop is not None and stop():
            return None
        part = images[start : start + chunk]
        skel = skeletonize(part.astype(np.float32) / 255 if part.dtype == np.uint8 else part)
        padded = np.pad(skel, ((0, 0), (reach, reach), (reach, reach))).astype(np.float32)
        ink = np.zeros(part.shape, np.float32)
        h, w = part.shape[1:]
        for dy, dx, c in levels:
            np.maximum(ink, c * padded[:, reach + dy : reach + dy + h, reach + dx : reach + dx + w],
                       out=ink)
        out[start : start + chunk] = np.rint(ink * 255)
    return out


PEN_SUBSET = 20_000  # training digits that also get a uniform-pen redraw (about 4 s to make)
PEN_WIDTHS = (1.5, 2.0, 2.5, 3.0)  # pixels; the canvas's pen is about 2 after centring


def pen_variants(
    images: np.ndarray,
    rng: np.random.Generator,
    subset: int = PEN_SUBSET,
    stop: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows, redrawn): a random ``subset`` of the training digits, each redrawn by
    ``pen_redraw`` with a pen width drawn from PEN_WIDTHS. Made once per training run; each
    epoch the trainer swaps some of them in for their originals before ``augment``. None if
    ``stop()`` said so before the work was done."""
    rows = np.sort(rng.choice(len(images), min(subset, len(images)), replace=False))
    widths = rng.choice(len(PEN_WIDTHS), len(rows))
    redrawn = np.empty((len(rows), *images.shape[1:]), np.uint8)
    for k, width in enumerate(PEN_WIDTHS):
        sel = widths == k
        if sel.any():
            part = pen_redraw(images[rows[sel]], width, stop=stop)
            if part is None:
                return None
            redrawn[sel] = part
    return rows, redrawn
