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

Elastic distortion (Simard, Steinkraus and Platt 2003): each output pixel also samples the input
a little off its place, by a smooth random displacement field, as a hand's wobble bends a
stroke. Simard smooths uniform noise on every pixel with a Gaussian (sigma = 4 px) and scales it
(alpha = 34), which moves pixels by about 1.4 px (standard deviation) with a correlation length
of a few pixels. Here the field is ``G @ R @ G.T`` per axis: R (K, K) standard normal values on a
coarse grid of K = 10 nodes 3.4 px apart and G (28, K) Gaussian weights (sigma = 4 px) from the
nodes to the pixels, normalised so every pixel's displacement has standard deviation
``elastic`` px. The same smooth field for a hundredth of the random numbers, and two small
matrix products per image instead of a convolution.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .errors import ConfigError

SIDE = 28
CHUNK = 256  # images per gather: the working set stays in the CPU's cache
ELASTIC_NODES = np.linspace(-1.5, 29.5, 10)  # the coarse grid of the displacement field (px)
ELASTIC_SIGMA = 4.0  # px, Simard's smoothing


def augment(
    images: np.ndarray,
    rng: np.random.Generator,
    *,
    shift: float = 2.0,
    rotate: float = 12.0,
    scale: tuple[float, float] = (0.9, 1.1),
    thickness: float = 0.35,
    shear: float = 0.0,
    elastic: float = 0.0,
) -> np.ndarray:
    """Randomly rotated (degrees, +-rotate), scaled, sheared (+-shear, x += shear * y) and
    shifted (pixels, +-shift) copies of ``images``, elastically distorted (a smooth displacement
    field of ``elastic`` px standard deviation), a fraction ``thickness`` of them drawn with a
    thicker or a thinner pen (half each); float32 (N, 784) in [0, 1]. With every range zero the
    result is ``images / 255`` (for uint8) up to rounding.

    The same random numbers are drawn whatever the ranges, so with one seed a different
    ``thickness`` changes the pens only, and a different ``shift`` the shifts only.
    """
    _check_ranges(shift, rotate, scale, thickness, shear, elastic)
    n = len(images)
    angle = rng.uniform(-rotate, rotate, n)
    zoom = rng.uniform(scale[0], scale[1], n)
    slant = rng.uniform(-shear, shear, n)
    offset = rng.uniform(-shift, shift, (n, 2))
    change = rng.random(n) < thickness
    thicker = rng.random(n) < 0.5
    strength = rng.random(n)
    fields = None
    if elastic > 0:
        k = len(ELASTIC_NODES)
        fields = rng.standard_normal((n, 2, k, k), dtype=np.float32)
        fields *= np.float32(elastic)

    out = warp(images, angle, zoom, offset, slant, fields)
    _change_pens(out.reshape(n, SIDE, SIDE), change & thicker, change & ~thicker, strength)
    return out


def _check_ranges(shift: float, rotate: float, scale: tuple[float, float], thickness: float,
                  shear: float, elastic: float) -> None:
    """Raise ConfigError unless ``augment``'s ranges make sense."""
    if not (0 <= thickness <= 1 and 0 < scale[0] <= scale[1]
            and min(shift, rotate, shear, elastic) >= 0):
        raise ConfigError(
            f"augmentation needs 0 <= thickness <= 1, 0 < scale[0] <= scale[1] and ranges >= 0; "
            f"got shift={shift}, rotate={rotate}, scale={scale}, thickness={thickness}, "
            f"shear={shear}, elastic={elastic}"
        )


def _change_pens(imgs: np.ndarray, thicker: np.ndarray, thinner: np.ndarray,
                 strength: np.ndarray) -> None:
    """In place: the ``thicker`` images (boolean over N) drawn with a thicker pen (moved
    towards their dilation by 0.5-1), the ``thinner`` ones with a thinner one (a cut of
    0.15-0.45 off the ink), each by its ``strength`` in [0, 1)."""
    thick, thin = np.flatnonzero(thicker), np.flatnonzero(thinner)
    if thick.size:
        u = (0.5 + 0.5 * strength[thick]).astype(np.float32)[:, None, None]
        a = imgs[thick]
        imgs[thick] = a + u * (_dilate(a) - a)
    if thin.size:
        cut = (0.15 + 0.3 * strength[thin]).astype(np.float32)[:, None, None]
        imgs[thin] = np.clip((imgs[thin] - cut) / (1 - cut), 0.0, 1.0)


def warp(
    images: np.ndarray,
    angle: np.ndarray,
    zoom: np.ndarray,
    offset: np.ndarray,
    slant: np.ndarray | None = None,
    fields: np.ndarray | None = None,
) -> np.ndarray:
    """Each image moved by its own affine map about its centre of mass: float32 (N, 784).

    ``angle`` (N,) degrees, ``zoom`` (N,) scale factors, ``offset`` (N, 2) shifts (dx, dy) in
    pixels, ``slant`` (N,) horizontal shear. The map is A = zoom * R(angle) @ [[1, slant], [0, 1]]
    on (x, y) about the centre of mass c, then the shift t: p -> c + A (p - c) + t. ``fields``
    (N, 2, K, K), if given, are the coarse elastic displacements (dx, dy) on ELASTIC_NODES: output
    pixel p then samples the input at A⁻¹(...)(p) + d(p), d = G @ field @ G.T (see the module).
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
        d = None if fields is None else elastic_field(fields[lo:hi])
        out[lo:hi] = _sample(images[lo:hi], inv[lo:hi], offset[lo:hi], d)
    return out


def _elastic_weights() -> np.ndarray:
    """(28, K) float32 Gaussian weights from the coarse nodes to the pixels, each row scaled to
    unit sum of squares (so a field of standard normal node values has unit variance)."""
    g = np.exp(-((np.arange(SIDE)[:, None] - ELASTIC_NODES[None, :]) ** 2)
               / (2 * ELASTIC_SIGMA**2))
    return (g / np.sqrt((g**2).sum(axis=1, keepdims=True))).astype(np.float32)


_G = _elastic_weights()


def elastic_field(fields: np.ndarray) -> np.ndarray:
    """(m, 2, 784) float32 displacements (dx, dy) per pixel from (m, 2, K, K) node values."""
    fields = np.asarray(fields, np.float32)
    return (_G @ fields @ _G.T).reshape(len(fields), 2, SIDE * SIDE)


def _centre_of_mass(x: np.ndarray) -> np.ndarray:
    """(m, 2) centre of mass (x, y) of each image, pixel centres at integers; blank -> middle."""
    rows, cols = x.sum(axis=2), x.sum(axis=1)
    mass = rows.sum(axis=1)
    r = np.arange(x.shape[-1], dtype=np.float32)
    c = np.stack([cols @ r, rows @ r], axis=1) / np.maximum(mass, 1e-30)[:, None]
    c[mass <= 0] = (x.shape[-1] - 1) / 2
    return c


def _sample(
    images: np.ndarray, inv: np.ndarray, t: np.ndarray, d: np.ndarray | None = None
) -> np.ndarray:
    """Bilinear samples of (m, 28, 28) images at c + A⁻¹ (p - c - t) (+ d, per-pixel
    displacements (m, 2, 784)), c their centres of mass: (m, 784) float32 in [0, 1].

    The images sit in a zero frame (one pixel before, two after), so every sample clipped to
    [0, 29] reads its 2x2 neighbourhood inside the frame and anything outside the image is 0.
    Written as s = A⁻¹ p + (c - A⁻¹ (c + t)), two multiply-adds per coordinate.
    """
    m = len(images)
    w = SIDE + 3
    framed, x = _framed(images)
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
    if d is not None:
        sx += d[:, 0]
        sy += d[:, 1]
    np.clip(sx, 0, SIDE + 1, out=sx)
    np.clip(sy, 0, SIDE + 1, out=sy)
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = sx - x0, sy - y0
    y0 *= w  # the flat index of the top-left neighbour, exact in float32 for a chunk
    y0 += x0
    y0 += (np.arange(m, dtype=np.float32) * (w * w))[:, None]
    return _bilinear(framed.ravel(), y0.astype(np.intp), fx, fy, w)


def _framed(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m, 31, 31) float32: the images in [0, 1] in a zero frame (one pixel before, two after),
    and the view of the images inside it."""
    w = SIDE + 3
    framed = np.zeros((len(images), w, w), np.float32)
    x = framed[:, 1 : SIDE + 1, 1 : SIDE + 1]
    x[...] = images
    if images.dtype == np.uint8:
        x *= np.float32(1 / 255)
    else:
        np.clip(x, 0.0, 1.0, out=x)
    return framed, x


def _bilinear(flat: np.ndarray, i: np.ndarray, fx: np.ndarray, fy: np.ndarray,
              w: int) -> np.ndarray:
    """Bilinear interpolation in the flat framed images: ``i`` the flat index of each sample's
    top-left neighbour, (fx, fy) its fractions."""
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
    from .skeleton import skeletonize

    images = np.asarray(images)
    out = np.empty(images.shape, np.uint8)
    for start in range(0, len(images), chunk):
        if stop is not None and stop():
            return None
        part = images[start : start + chunk]
        skel = skeletonize(part.astype(np.float32) / 255 if part.dtype == np.uint8 else part)
        out[start : start + chunk] = np.rint(ink_along(skel, width) * 255)
    return out


def ink_along(skel: np.ndarray, width: float) -> np.ndarray:
    """Float32 coverage of a round pen ``width`` px wide drawn along every pixel of the bool
    skeletons (N, H, W): ``clip(width/2 + 0.5 - d, 0, 1)``, d the distance to the skeleton."""
    reach = int(np.ceil(width / 2 + 0.5))
    offsets = [(dy, dx) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)]
    levels = [(dy, dx, np.clip(width / 2 + 0.5 - np.hypot(dy, dx), 0, 1)) for dy, dx in offsets]
    levels = [(dy, dx, c) for dy, dx, c in levels if c > 0]
    padded = np.pad(skel, ((0, 0), (reach, reach), (reach, reach))).astype(np.float32)
    ink = np.zeros(skel.shape, np.float32)
    h, w = skel.shape[1:]
    for dy, dx, c in levels:
        np.maximum(ink, c * padded[:, reach + dy : reach + dy + h, reach + dx : reach + dx + w],
                   out=ink)
    return ink


PEN_WIDTHS = (1.5, 2.0, 2.5, 3.0)  # pixels; the canvas's pen is about 2 after centring
# Which digits get a uniform-pen redraw, of which width and style, is core.prepare's plan.


# --- styles MNIST's writers rarely used, drawn on MNIST's skeletons ---------------------------

STYLE_SHARE = {0: 0.5, 1: 0.6, 7: 0.4}  # of the redrawn digits of a class, those given a style
PAD = 6  # the skeleton is drawn on in a frame this much larger on every side


def _line(skel: np.ndarray, a, b) -> None:
    """Set the pixels of the segment a -> b ((x, y), pixel centres at integers) in ``skel``."""
    n = int(np.ceil(np.hypot(b[0] - a[0], b[1] - a[1]) * 2)) + 1
    t = np.linspace(0.0, 1.0, n)
    x = np.rint(a[0] + t * (b[0] - a[0])).astype(int)
    y = np.rint(a[1] + t * (b[1] - a[1])).astype(int)
    ok = (x >= 0) & (x < skel.shape[1]) & (y >= 0) & (y < skel.shape[0])
    skel[y[ok], x[ok]] = True


def add_style_strokes(skel: np.ndarray, label: int, rng: np.random.Generator) -> None:
    """Draw, in place on one bool skeleton (H, W), a stroke that writers add and MNIST's rarely
    did: on a 1 a lead-in stroke or flag from its top (down and to the left, 15-60% of its
    height long) and sometimes a foot; on a 7 a crossbar through its stem; on a 0 a slash."""
    ys, xs = np.nonzero(skel)
    if len(ys) < 3:
        return
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    h = bottom - top + 1
    if label == 1:
        x0 = xs[ys == top].mean()
        length, angle = h * rng.uniform(0.15, 0.6), np.deg2rad(rng.uniform(20, 60))
        _line(skel, (x0, top), (x0 - length * np.cos(angle), top + length * np.sin(angle)))
        if rng.random() < 0.35:
            xb, half = xs[ys == bottom].mean(), h * rng.uniform(0.15, 0.25)
            _line(skel, (xb - half, bottom), (xb + half, bottom))
    elif label == 7:
        y = top + h * rng.uniform(0.42, 0.6)
        near = np.abs(ys - y) <= 1
        if near.any():
            x, half = xs[near].mean() + h * rng.uniform(-0.05, 0.05), h * rng.uniform(0.15, 0.3)
            _line(skel, (x - half, y), (x + half, y + rng.uniform(-1, 1)))
    elif label == 0:
        e = h * rng.uniform(-0.02, 0.1)
        if rng.random() < 0.75:
            _line(skel, (right + e, top - e), (left - e, bottom + e))
        else:
            _line(skel, (left - e, top - e), (right + e, bottom + e))


def styled_redraw(
    images: np.ndarray,
    labels: np.ndarray,
    width: float,
    rngs: Sequence[np.random.Generator],
    stop: Callable[[], bool] | None = None,
) -> np.ndarray | None:
    """The digits redrawn with a uniform pen along their skeletons with ``add_style_strokes``
    (image k's strokes drawn from ``rngs[k]``, so each result depends on its own image and
    generator alone), then cropped, fitted and centred again as MNIST's were
    (``preprocess.to_mnist``): a stroke may have widened the digit. uint8 (N, 28, 28)."""
    from .preprocess import to_mnist
    from .skeleton import skeletonize

    out = np.empty(images.shape, np.uint8)
    chunk = 256  # a loop over images in Python: smaller chunks, so Stop is heard as soon
    for start in range(0, len(images), chunk):
        if stop is not None and stop():
            return None
        part = images[start : start + chunk]
        skel = skeletonize(part.astype(np.float32) / 255 if part.dtype == np.uint8 else part)
        skel = np.pad(skel, ((0, 0), (PAD, PAD), (PAD, PAD)))
        for one, label, rng in zip(skel, labels[start : start + chunk],
                                   rngs[start : start + chunk], strict=True):
            add_style_strokes(one, int(label), rng)
        ink = ink_along(skel, width)
        for k, img in enumerate(ink):
            fitted = to_mnist(img)
            out[start + k] = 0 if fitted is None else np.rint(fitted * 255)
    return out
