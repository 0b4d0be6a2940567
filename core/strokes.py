"""Pen strokes from digit images, and back: a stand-in for real handwriting in tests.

Thin an MNIST digit to a one-pixel skeleton (Zhang-Suen, ``skeleton.py``), trace the skeleton
into the few polylines a pen would have drawn, and render polylines as round-capped
anti-aliased strokes.

Shapes and coordinates: images are ``(H, W)`` (``skeletonize`` also takes a batch ``(N, H, W)``);
a stroke is a float array ``(K, 2)`` of points ``(x, y)``. Coordinates are continuous, as in Qt:
pixel (row r, col c) is the unit square [c, c+1] x [r, r+1] with its centre at (c + 0.5, r + 0.5).
A stroke traced from a 28x28 digit therefore replays on an S x S canvas at ``p * S / 28``.
"""

from __future__ import annotations

import numpy as np

from .skeleton import degree, skeletonize

BRIDGE = 4  # branches of at most this many pixels between two junctions are part of a crossing


def _branches(skel: np.ndarray) -> tuple[list[list[tuple[int, int]]], dict, list]:
    """Split a skeleton into branches between nodes (end points and junction clusters).

    Returns the branches (pixel lists (row, col) from node to node), ``cluster`` mapping every
    junction pixel to its cluster id, and the pixel cycles that touch no node at all.
    """
    deg = degree(skel)
    pixels = set(zip(*np.nonzero(skel)))
    junctions = {p for p in pixels if deg[p] >= 3}
    cluster = _clusters(junctions)
    nodes = junctions | {p for p in pixels if deg[p] <= 1}

    branches, walked, links = [], set(), set()
    for start in sorted(nodes):
        for first in _nbrs(start, pixels):
            if first in walked or (first in junctions and start in junctions):
                continue
            if first in nodes:  # two nodes side by side: a branch of one step, taken once
                if frozenset((start, first)) in links:
                    continue
                links.add(frozenset((start, first)))
            path, prev, cur = [start], start, first
            while True:
                path.append(cur)
                if cur in nodes:
                    break
                walked.add(cur)
                nxt = [n for n in _nbrs(cur, pixels) if n != prev and n not in walked]
                nxt = [n for n in nxt if n in nodes] or nxt  # prefer stopping at a node
                if not nxt:
                    break
                prev, cur = cur, nxt[0]
            branches.append(path)
        if deg[start] == 0:
            branches.append([start])
    return branches, cluster, _cycles(pixels, walked, nodes)


def _clusters(junctions: set) -> dict[tuple[int, int], int]:
    """Each junction pixel's cluster id: 8-connected clusters of junction pixels."""
    cluster: dict[tuple[int, int], int] = {}
    for p in junctions:
        if p in cluster:
            continue
        cid, stack = len(set(cluster.values())), [p]
        while stack:
            q = stack.pop()
            if q in cluster:
                continue
            cluster[q] = cid
            stack += [n for n in _nbrs(q, junctions) if n not in cluster]
    return cluster


def _cycles(pixels: set, walked: set, nodes: set) -> list[list[tuple[int, int]]]:
    """The closed loops of ``pixels`` that no branch walked and that touch no node (an "O"
    drawn in one stroke), each a pixel list ending where it started; marks them ``walked``."""
    cycles = []
    for p in sorted(pixels - walked - nodes):
        if p in walked:
            continue
        path, prev, cur = [], None, p
        while cur is not None and cur not in walked:
            walked.add(cur)
            path.append(cur)
            nxt = [n for n in _nbrs(cur, pixels) if n != prev and n not in walked]
            prev, cur = cur, (nxt[0] if nxt else None)
        cycles.append(path + [path[0]])
    return cycles


def _nbrs(p: tuple[int, int], pixels: set) -> list[tuple[int, int]]:
    r, c = p
    # 4-neighbours first, so a walk takes the short step when both are possible.
    order = ((-1, 0), (0, 1), (1, 0), (0, -1), (-1, 1), (1, 1), (1, -1), (-1, -1))
    return [(r + dr, c + dc) for dr, dc in order if (r + dr, c + dc) in pixels]


def _prune_spurs(skel: np.ndarray, min_spur: int) -> np.ndarray:
    """Remove branches shorter than ``min_spur`` pixels that run from an end point to a
    junction, shortest first, as long as the junction keeps two other branches."""
    skel = skel.copy()
    for _ in range(8):
        branches, cluster, _ = _branches(skel)
        arms: dict[int, int] = {}
        for b in branches:
            for end in (b[0], b[-1]):
                if end in cluster:
                    arms[cluster[end]] = arms.get(cluster[end], 0) + 1
        spurs = [b for b in branches if len(b) > 1 and (b[0] in cluster) != (b[-1] in cluster)]
        removed = False
        for b in sorted(spurs, key=len):
            j = cluster[b[0]] if b[0] in cluster else cluster[b[-1]]
            if len(b) - 1 < min_spur and arms[j] >= 3:
                arms[j] -= 1
                for p in b:
                    if p not in cluster:
                        skel[p] = False
                removed = True
        if not removed:
            break
    return skel


def trace_strokes(skeleton: np.ndarray, min_spur: int = 3) -> list[np.ndarray]:
    """The skeleton's pen strokes: a list of (K, 2) float arrays of (x, y), pixel centres at +0.5.

    Branches run between end points and junctions; at each junction, the branch ends are paired
    so that the pen goes straight on (smallest turn first), and paired branches join into one
    stroke. A stroke starts at a free end (the higher one on the page); a closed loop starts at
    its top and comes back to it. Spurs shorter than ``min_spur`` pixels are dropped. Points are
    lightly smoothed and about 1 px apart.
    """
    skel = _prune_spurs(np.asarray(skeleton, bool), min_spur)
    branches, cluster, cycles = _branches(skel)
    branches, cluster = _merge_crossings(branches, cluster)
    strokes = _walk_strokes(branches, _pair_ends(branches, cluster))
    strokes += [(c, True) for c in cycles]
    return [_finish(np.array(pts, float), closed) for pts, closed in strokes]


def _merge_crossings(branches: list, cluster: dict) -> tuple[list, dict]:
    """Junctions joined by a short bridge are one crossing (an X thins to two T's): merge them,
    and drop bridges and tiny loops, i.e. short branches with both ends at junctions."""
    short = [b for b in branches if b[0] in cluster and b[-1] in cluster and len(b) <= BRIDGE]
    for b in short:
        old, new = cluster[b[-1]], cluster[b[0]]
        cluster = {p: new if c == old else c for p, c in cluster.items()}
    return [b for b in branches if not any(b is s for s in short)], cluster


def _pair_ends(branches: list, cluster: dict) -> dict[tuple[int, int], tuple[int, int]]:
    """At each junction, its branch ends paired so that the pen goes straight on (smallest turn
    first). A branch end is (branch index, 0 for start / 1 for end)."""
    ends_at: dict[int, list[tuple[int, int]]] = {}
    for i, b in enumerate(branches):
        for side, p in ((0, b[0]), (1, b[-1])):
            if p in cluster and len(b) > 1:
                ends_at.setdefault(cluster[p], []).append((i, side))
    partner: dict[tuple[int, int], tuple[int, int]] = {}
    for ends in ends_at.values():
        dirs = [_direction(branches[i], side) for i, side in ends]
        pairs = sorted(
            (float(dirs[a] @ dirs[b]), a, b)
            for a in range(len(ends))
            for b in range(a + 1, len(ends))
        )
        used: set[int] = set()
        for _, a, b in pairs:
            if a not in used and b not in used:
                used |= {a, b}
                partner[ends[a]] = ends[b]
                partner[ends[b]] = ends[a]
    return partner


def _walk_strokes(branches: list, partner: dict) -> list[tuple[list, bool]]:
    """(points, closed) for each stroke: open ones from their free ends, then closed chains."""
    strokes, done = [], set()

    def walk(i: int, side: int) -> list:
        """Follow branch i from its end ``side``, then on through paired ends."""
        pts: list = []
        while i not in done:
            done.add(i)
            b = branches[i] if side == 0 else branches[i][::-1]
            pts += b if not pts else b[1:] if pts[-1] == b[0] else b
            nxt = partner.get((i, 1 - side))
            if nxt is None:
                break
            i, side = nxt
        return pts

    for i in range(len(branches)):  # open strokes start at a free end
        for side in (0, 1):
            if i not in done and (i, side) not in partner:
                strokes.append((walk(i, side), False))
    for i in range(len(branches)):  # what is left are closed chains of paired ends
        if i not in done:
            strokes.append((walk(i, 0), True))
    return strokes


def _direction(branch: list, side: int, reach: int = 4) -> np.ndarray:
    """Unit vector from a branch end into the branch, over up to ``reach`` pixels."""
    b = branch if side == 0 else branch[::-1]
    d = np.subtract(b[min(reach, len(b) - 1)], b[0]).astype(float)
    n = np.hypot(*d)
    return d / n if n else d


def _finish(rc: np.ndarray, closed: bool) -> np.ndarray:
    """(row, col) pixels -> smoothed (x, y) points ~1 px apart, oriented as a pen draws."""
    xy = rc[:, ::-1] + 0.5
    if closed:
        xy = _smooth(xy[:-1], closed=True)
        top = np.argmin(xy[:, 1] * 1000 + xy[:, 0])
        xy = np.roll(xy, -top, axis=0)
        x, y = xy.T
        if np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) > 0:  # clockwise on screen
            xy = np.concatenate([xy[:1], xy[:0:-1]])
        xy = np.concatenate([xy, xy[:1]])
    else:
        xy = _smooth(xy, closed=False)
        dx, dy = xy[-1] - xy[0]
        if dy < -1 or (abs(dy) <= 1 and dx < 0):  # start at the higher end, or the left one
            xy = xy[::-1]
    return _resample(xy)


def _smooth(xy: np.ndarray, closed: bool) -> np.ndarray:
    """Moving average over 3 points; the ends of an open stroke stay where they are."""
    if len(xy) < 3:
        return xy
    if closed:
        return (np.roll(xy, 1, axis=0) + xy + np.roll(xy, -1, axis=0)) / 3
    out = xy.copy()
    out[1:-1] = (xy[:-2] + xy[1:-1] + xy[2:]) / 3
    return out


def _resample(xy: np.ndarray, step: float = 1.0) -> np.ndarray:
    """Points spaced ``step`` apart along the polyline, keeping both ends."""
    seg = np.hypot(*np.diff(xy, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    if s[-1] < step:
        return xy[[0, -1]] if len(xy) > 1 else xy
    t = np.linspace(0.0, s[-1], int(round(s[-1] / step)) + 1)
    return np.stack([np.interp(t, s, xy[:, 0]), np.interp(t, s, xy[:, 1])], axis=1)


def digit_strokes(img28: np.ndarray, threshold: float = 0.5) -> list[np.ndarray]:
    """The pen strokes of a digit image (e.g. MNIST, 28x28): skeletonize, then trace."""
    return trace_strokes(skeletonize(img28, threshold))


def render_strokes(
    strokes: list[np.ndarray],
    size: int,
    width: float,
    scale: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Float32 (size, size) image of round-capped strokes ``width`` px wide, anti-aliased.

    Point p of a stroke is drawn at ``p * scale + offset``. A pixel's value is its coverage,
    ``clip(width/2 + 0.5 - d, 0, 1)`` with d the distance from its centre to the nearest segment.
    """
    dist = np.full((size, size), np.inf, np.float32)
    reach = width / 2 + 1
    for stroke in strokes:
        pts = np.asarray(stroke, float).reshape(-1, 2) * scale + np.asarray(offset, float)
        segs = zip(pts[:-1], pts[1:]) if len(pts) > 1 else [(pts[0], pts[0])]
        for a, b in segs:
            c0, r0 = np.maximum(np.floor(np.minimum(a, b) - reach), 0).astype(int)
            c1, r1 = np.minimum(np.ceil(np.maximum(a, b) + reach), size).astype(int)
            if c0 >= c1 or r0 >= r1:
                continue
            y, x = np.mgrid[r0:r1, c0:c1] + 0.5
            ab = b - a
            t = ((x - a[0]) * ab[0] + (y - a[1]) * ab[1]) / max(ab @ ab, 1e-12)
            t = np.clip(t, 0.0, 1.0)
            d = np.hypot(x - a[0] - t * ab[0], y - a[1] - t * ab[1])
            np.minimum(dist[r0:r1, c0:c1], d, out=dist[r0:r1, c0:c1])
    return np.clip(width / 2 + 0.5 - dist, 0.0, 1.0).astype(np.float32)
