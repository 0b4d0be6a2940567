"""Zhang-Suen thinning: a digit image to a one-pixel-wide, 8-connected skeleton, for tracing
into pen strokes (``strokes.py``) and pen redraws (``augment``).

Images are ``(H, W)`` or a batch ``(N, H, W)``; a skeleton is a bool array of the same shape.
"""

from __future__ import annotations

import numpy as np

# The 8 neighbours P2..P9 of Zhang and Suen, clockwise from north, as (drow, dcol).
NEIGHBOURS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def _neighbours(padded: np.ndarray) -> list[np.ndarray]:
    """P2..P9 of every pixel of a (..., H+2, W+2) zero-padded image, each (..., H, W)."""
    h, w = padded.shape[-2] - 2, padded.shape[-1] - 2
    return [padded[..., 1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr, dc in NEIGHBOURS]


def _pad(img: np.ndarray) -> np.ndarray:
    return np.pad(img, [(0, 0)] * (img.ndim - 2) + [(1, 1), (1, 1)])


def _ring_components(code: int) -> int:
    """8-connected components among the set neighbours of an 8-bit neighbourhood code."""
    on = [i for i in range(8) if code >> i & 1]
    seen, count = set(), 0
    for start in on:
        if start in seen:
            continue
        count += 1
        stack = [start]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            for j in on:
                (ri, ci), (rj, cj) = NEIGHBOURS[i], NEIGHBOURS[j]
                if j not in seen and max(abs(ri - rj), abs(ci - cj)) == 1:
                    stack.append(j)
    return count


# A redundant pixel on a thin line: it is no end point (2+ neighbours), its neighbours stay in
# one piece without it, and one of its 4-neighbours is background (so deleting it opens no hole).
_REDUNDANT = np.array(
    [
        _ring_components(c) == 1
        and bin(c).count("1") >= 2
        and any(not c >> i & 1 for i in (0, 2, 4, 6))
        for c in range(256)
    ]
)


def _zhang_suen_deletes(code: int, step: int) -> bool:
    """Zhang and Suen's rule for a pixel whose neighbours P2..P9 are the bits of ``code``: it
    goes in sub-iteration ``step`` when it has 2 to 6 neighbours, exactly one 0 -> 1 change
    going round them, and is not kept by the step's pair of products."""
    p2, p3, p4, p5, p6, p7, p8, p9 = ring = [bool(code >> i & 1) for i in range(8)]
    b = sum(ring)
    a = sum(not ring[i] and ring[(i + 1) % 8] for i in range(8))
    keep = (p2 and p4 and p6) or (p4 and p6 and p8) if step == 0 else \
        (p2 and p4 and p8) or (p2 and p6 and p8)
    return 2 <= b <= 6 and a == 1 and not keep


# What each sub-iteration deletes, by neighbourhood code: one table look-up per pixel.
_ZHANG_SUEN = [np.array([_zhang_suen_deletes(c, step) for c in range(256)]) for step in (0, 1)]


def _codes(padded: np.ndarray) -> np.ndarray:
    """The 8-bit neighbourhood code (P2..P9 as bits 0..7) of every pixel of (..., H+2, W+2)
    zero-padded 0/1 uint8 images."""
    ps = _neighbours(padded)
    code, bit = ps[0].copy(), np.empty_like(ps[0])
    for i in range(1, 8):
        np.left_shift(ps[i], i, out=bit)
        code |= bit
    return code


def skeletonize(img: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Bool skeleton, one pixel wide and 8-connected, of ``img > threshold``; (H, W) or (N, H, W).

    Zhang-Suen thinning (1984), each sub-iteration vectorised over the images still thinning
    (a table look-up of each pixel's neighbourhood), then a pass that removes staircase pixels,
    so each stroke is a single chain of pixels. A uint8 image is compared with
    ``threshold * 255``. Each image's skeleton is its own, whatever others come with it.
    """
    img = np.asarray(img)
    if img.dtype == np.uint8:
        threshold = threshold * 255
    skel = img > threshold
    batch = skel.reshape(-1, *skel.shape[-2:])  # a view: thinned in place
    _until_still(batch, [_ZHANG_SUEN[0], _ZHANG_SUEN[1]], [None, None])
    h, w = skel.shape[-2:]
    rows, cols = np.indices((h, w))
    subgrids = [(rows % 2 == i) & (cols % 2 == j) for i in (0, 1) for j in (0, 1)]
    # Redundant corner pixels go one of four sub-grids at a time, so that no two pixels
    # deleted together are neighbours (which keeps the skeleton's topology).
    _until_still(batch, [_REDUNDANT] * 4, subgrids)
    return skel


def _until_still(batch: np.ndarray, tables: list, masks: list) -> None:
    """Delete, in place from the (N, H, W) bool images, the pixels whose neighbourhood code
    is True in each of ``tables`` in turn (only where its mask, if any, is True), over and
    over, until a round deletes nothing; an image that a round left unchanged is done."""
    padded = _pad(batch).view(np.uint8)
    active = np.arange(len(batch))
    while active.size:
        part = padded[active]
        inner = part[:, 1:-1, 1:-1]
        changed = np.zeros(len(active), bool)
        for table, mask in zip(tables, masks, strict=True):
            delete = table[_codes(part)]
            delete &= inner.view(bool)
            if mask is not None:
                delete &= mask
            changed |= delete.any(axis=(1, 2))
            inner &= ~delete.view(np.uint8) & 1
        padded[active] = part
        active = active[changed]
    batch[...] = padded[:, 1:-1, 1:-1].view(bool)


def degree(skel: np.ndarray) -> np.ndarray:
    """Each skeleton pixel's number of 8-connected skeleton neighbours (0 off the skeleton)."""
    return sum(p.astype(np.int8) for p in _neighbours(_pad(skel))) * skel
