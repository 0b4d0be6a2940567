"""core.strokes: skeletons are thin and connected, traced strokes are few and redraw the digit."""


import numpy as np
import pytest

from core.preprocess import to_mnist
from core.strokes import digit_strokes, render_strokes, skeletonize, trace_strokes


def components(mask: np.ndarray) -> int:
    """Number of 8-connected components of a bool image (a plain flood fill)."""
    todo, count = set(zip(*np.nonzero(mask))), 0
    while todo:
        count += 1
        stack = [todo.pop()]
        while stack:
            r, c = stack.pop()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (r + dr, c + dc) in todo:
                        todo.remove((r + dr, c + dc))
                        stack.append((r + dr, c + dc))
    return count


def degrees(mask: np.ndarray) -> np.ndarray:
    p = np.pad(mask, 1).astype(int)
    h, w = mask.shape
    total = sum(
        p[1 + dr : 1 + dr + h, 1 + dc : 1 + dc + w] for dr in (-1, 0, 1) for dc in (-1, 0, 1)
    )
    return (total - p[1:-1, 1:-1]) * mask


def ring(size=40, r_in=9, r_out=13) -> np.ndarray:
    yy, xx = np.mgrid[:size, :size] - (size - 1) / 2
    d = np.hypot(yy, xx)
    return ((d >= r_in) & (d <= r_out)).astype(np.float32)


def thick_line(size, p, q, width) -> np.ndarray:
    """A straight stroke from p to q (x, y), ``width`` px wide, as a float image."""
    return render_strokes([np.array([p, q], float)], size, width)


# --- skeletonize --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "p, q", [((8, 20), (52, 20)), ((20, 6), (20, 54)), ((8, 8), (50, 50)), ((6, 40), (54, 18))]
)
def test_skeleton_of_a_thick_line_is_one_pixel_wide_and_connected(p, q):
    img = thick_line(60, p, q, 7)
    skel = skeletonize(img)
    assert skel.dtype == bool and skel.shape == img.shape
    assert components(skel) == 1
    deg = degrees(skel)
    assert (deg[skel] <= 2).all()  # a simple chain: no junctions, no clumps
    assert (deg[skel] == 1).sum() == 2  # with two ends
    length = np.hypot(*np.subtract(q, p))
    assert skel.sum() >= 0.75 * length / np.sqrt(2)  # most of the line survives
    assert (img[skel] > 0.5).all()


def test_skeleton_of_a_ring_is_a_closed_curve():
    skel = skeletonize(ring())
    assert components(skel) == 1
    assert (degrees(skel)[skel] == 2).all()  # no ends: closed


def test_skeleton_batch_matches_one_by_one_and_uint8_threshold():
    imgs = np.stack([ring(), thick_line(40, (5, 5), (35, 30), 5), np.zeros((40, 40))])
    batch = skeletonize(imgs)
    for img, skel in zip(imgs, batch):
        np.testing.assert_array_equal(skel, skeletonize(img))
    np.testing.assert_array_equal(skeletonize((imgs * 255).astype(np.uint8)), batch)
    assert not batch[2].any()


# --- trace_strokes ------------------------------------------------------------------------------


def test_a_line_is_one_stroke_with_points_one_pixel_apart():
    strokes = trace_strokes(skeletonize(thick_line(60, (8, 40), (52, 12), 5)))
    assert len(strokes) == 1
    s = strokes[0]
    assert s.ndim == 2 and s.shape[1] == 2 and s.dtype == float
    steps = np.hypot(*np.diff(s, axis=0).T)
    assert 0.8 < steps.mean() < 1.2 and steps.max() < 1.6
    assert s[0, 1] < s[-1, 1]  # starts at the upper end, as a pen would
    np.testing.assert_allclose(s[0], (52, 12), atol=3.5)
    np.testing.assert_allclose(s[-1], (8, 40), atol=3.5)


def test_a_ring_is_one_closed_stroke():
    strokes = trace_strokes(skeletonize(ring()))
    assert len(strokes) == 1
    s = strokes[0]
    np.testing.assert_allclose(s[0], s[-1])
    radius = np.hypot(*(s - 20.0).T)  # centre (19.5, 19.5) + the half-pixel of pixel centres
    assert abs(radius.mean() - 11) < 1 and radius.std() < 0.7
    length = np.hypot(*np.diff(s, axis=0).T).sum()
    assert length == pytest.approx(2 * np.pi * 11, rel=0.1)


def test_a_cross_is_two_straight_strokes():
    img = np.maximum(thick_line(60, (6, 30), (54, 30), 5), thick_line(60, (30, 6), (30, 54), 5))
    strokes = trace_strokes(skeletonize(img))
    assert len(strokes) == 2
    for s in strokes:  # each goes straight through the crossing
        assert min(np.ptp(s[:, 0]), np.ptp(s[:, 1])) < 4
        assert max(np.ptp(s[:, 0]), np.ptp(s[:, 1])) > 35


def test_a_figure_eight_is_at_most_two_strokes():
    img = np.zeros((70, 40), np.float32)
    img[:40] = np.maximum(img[:40], ring())
    img[26:66] = np.maximum(img[26:66], ring())
    strokes = trace_strokes(skeletonize(img))
    assert 1 <= len(strokes) <= 2
    drawn = render_strokes(strokes, 70, 5)[:, :40]
    assert np.corrcoef(drawn.ravel(), img.ravel())[0, 1] > 0.8


def test_empty_and_single_pixel_skeletons():
    assert trace_strokes(np.zeros((10, 10), bool)) == []
    dot = np.zeros((10, 10), bool)
    dot[4, 6] = True
    (s,) = trace_strokes(dot)
    np.testing.assert_allclose(s, [[6.5, 4.5]])


# --- render_strokes -----------------------------------------------------------------------------


def test_render_coverage_of_a_horizontal_line():
    img = render_strokes([np.array([[5.0, 10.0], [25.0, 10.0]])], 20, 3)
    assert img.dtype == np.float32 and img.shape == (20, 20)
    np.testing.assert_allclose(img[:, 15], [0] * 8 + [0.5, 1, 1, 0.5] + [0] * 8)  # centres at .5
    assert img[:, 15].sum() == pytest.approx(3)  # as wide as the pen
    cap = 2 - np.hypot(1.5, 0.5)  # pixel (row 10, col 3): its centre is that far from (5, 10)
    np.testing.assert_allclose(img[10, :7], [0, 0, 0, cap, 1, 1, 1], rtol=1e-6)


def test_render_a_dot_is_a_disc_and_scale_offset_map_points():
    img = render_strokes([np.array([[2.0, 3.0]])], 64, 12, scale=10.0, offset=(7, 3))
    rows, cols = np.nonzero(img)
    centre = np.array([img.sum(axis=0) @ np.arange(64), img.sum(axis=1) @ np.arange(64)])
    np.testing.assert_allclose(centre / img.sum() + 0.5, (27, 33), atol=1e-3)
    assert img.sum() == pytest.approx(np.pi * 36, rel=0.03)


# --- real MNIST ---------------------------------------------------------------------------------


@pytest.mark.mnist
def test_mnist_digits_become_few_strokes(mnist_test_images):
    counts = np.array([len(digit_strokes(img)) for img in mnist_test_images[:1000]])
    assert counts.min() >= 1
    assert np.mean(counts <= 2) > 0.95 and np.mean(counts <= 4) > 0.995
    assert counts.mean() < 1.5


@pytest.mark.mnist
def test_mnist_digits_redrawn_from_their_strokes_look_like_the_digit(mnist_test_images):
    """Strokes drawn with a 2.5 px pen (25 px on a 280 canvas), then read as the GUI reads a
    drawing, correlate well with the original digit."""
    corr = []
    for img in mnist_test_images[:300]:
        drawn = render_strokes(digit_strokes(img), 280, 25.0, scale=10.0)
        corr.append(np.corrcoef(to_mnist(drawn).ravel(), img.ravel())[0, 1])
    assert np.mean(corr) > 0.75
    assert np.quantile(corr, 0.1) > 0.6
