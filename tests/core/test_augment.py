"""core.augment: per-image affine maps by bilinear sampling, checked against a per-pixel
reference, plus thicker and thinner pens."""

import gzip

import numpy as np
import pytest
from helpers.synthetic import stroke_digits as digits

from core.augment import augment, warp
from core.errors import ConfigError


def centres(x: np.ndarray) -> np.ndarray:
    """(N, 2) centres of mass (x, y) of (N, 784) or (N, 28, 28) images."""
    x = x.reshape(len(x), 28, 28).astype(np.float64)
    r = np.arange(28)
    m = x.sum(axis=(1, 2))
    return np.stack([x.sum(axis=1) @ r / m, x.sum(axis=2) @ r / m], axis=1)


def reference_warp(img, angle, zoom, offset, slant):
    """One image, one pixel at a time: bilinear sample at c + A⁻¹ (p - c - t), 0 outside."""
    x = img.astype(np.float64) / 255
    (c,) = centres(x[None])
    th = np.deg2rad(angle)
    a = (
        zoom
        * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
        @ [[1, slant], [0, 1]]
    )
    inv = np.linalg.inv(a)

    def at(r, col):
        return x[r, col] if 0 <= r < 28 and 0 <= col < 28 else 0.0

    out = np.zeros((28, 28))
    for r in range(28):
        for col in range(28):
            sx, sy = c + inv @ (np.array([col, r]) - c - offset)
            x0, y0 = int(np.floor(sx)), int(np.floor(sy))
            fx, fy = sx - x0, sy - y0
            top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
            bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
            out[r, col] = top * (1 - fy) + bottom * fy
    return out.ravel()


def test_warp_matches_the_per_pixel_reference():
    imgs = digits(12)
    rng = np.random.default_rng(3)
    angle = rng.uniform(-40, 40, 12)
    zoom = rng.uniform(0.7, 1.4, 12)
    offset = rng.uniform(-4, 4, (12, 2))
    slant = rng.uniform(-0.3, 0.3, 12)
    angle[0], zoom[0], offset[0], slant[0] = 90.0, 1.0, (0, 0), 0.0
    out = warp(imgs, angle, zoom, offset, slant)
    for k in range(12):
        ref = reference_warp(imgs[k], angle[k], zoom[k], offset[k], slant[k])
        np.testing.assert_allclose(out[k], ref, atol=2e-5)


def test_warp_shift_moves_the_centre_of_mass_by_the_shift():
    imgs = digits(50, seed=1)
    offset = np.random.default_rng(2).uniform(-3, 3, (50, 2))
    out = warp(imgs, np.zeros(50), np.ones(50), offset)
    np.testing.assert_allclose(centres(out) - centres(imgs), offset, atol=1e-3)
    assert out.sum() == pytest.approx(imgs.sum() / 255, rel=1e-5)  # nothing fell off the frame


def test_rotation_and_scale_keep_the_centre_of_mass():
    imgs = digits(50, seed=4)
    rng = np.random.default_rng(5)
    out = warp(imgs, rng.uniform(-30, 30, 50), rng.uniform(0.8, 1.2, 50), np.zeros((50, 2)))
    np.testing.assert_allclose(centres(out), centres(imgs), atol=0.1)  # up to resampling


def test_shape_dtype_and_range():
    imgs = digits(40)
    rng = np.random.default_rng(0)
    for x in (imgs, imgs.astype(np.float32) / 255):
        out = augment(x, rng, thickness=1.0, shear=0.2)
        assert out.shape == (40, 784) and out.dtype == np.float32
        assert out.min() >= 0 and out.max() <= 1
    assert augment(imgs[:0], rng).shape == (0, 784)


def test_zero_ranges_give_back_the_images():
    imgs = digits(30)
    out = augment(imgs, np.random.default_rng(0), shift=0, rotate=0, scale=(1, 1), thickness=0)
    np.testing.assert_allclose(out, imgs.reshape(30, 784) / 255, atol=1e-6)
    as_float = imgs.astype(np.float32) / 255
    out = augment(as_float, np.random.default_rng(0), shift=0, rotate=0, scale=(1, 1), thickness=0)
    np.testing.assert_allclose(out, as_float.reshape(30, 784), atol=1e-6)


def test_the_seed_decides_everything():
    imgs = digits(20)
    a = augment(imgs, np.random.default_rng(7))
    b = augment(imgs, np.random.default_rng(7))
    c = augment(imgs, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    rng = np.random.default_rng(7)
    assert not np.array_equal(augment(imgs, rng), augment(imgs, rng))  # a new draw each epoch


def test_augment_shifts_are_uniform_within_the_range():
    imgs = digits(400, seed=2)
    out = augment(imgs, np.random.default_rng(1), shift=2.0, thickness=0)
    moved = centres(out) - centres(imgs)  # rotation and scale are about the centre of mass
    assert np.abs(moved).max() <= 2.0 + 0.05
    np.testing.assert_allclose(moved.std(axis=0), 2 / np.sqrt(3), rtol=0.15)
    np.testing.assert_allclose(moved.mean(axis=0), 0, atol=0.2)


def test_pens_are_thicker_or_thinner_and_only_that():
    imgs = digits(200, seed=3)
    same = augment(imgs, np.random.default_rng(4), thickness=0.0)
    pens = augment(imgs, np.random.default_rng(4), thickness=1.0)  # same geometry, new pens
    thicker = (pens >= same - 1e-6).all(axis=1) & (pens.sum(axis=1) > same.sum(axis=1))
    thinner = (pens <= same + 1e-6).all(axis=1) & (pens.sum(axis=1) < same.sum(axis=1))
    assert (thicker | thinner).all()
    assert 0.35 < thicker.mean() < 0.65
    # a thinner pen keeps the stroke's core and loses its soft edge
    core = same > 0.95
    assert (pens[thinner][core[thinner]] > 0.9).all()
    partial = augment(imgs, np.random.default_rng(4), thickness=0.3)
    changed = np.abs(partial - same).max(axis=1) > 1e-6
    assert 0.15 < changed.mean() < 0.45


def test_bad_ranges_are_config_errors():
    imgs = digits(2)
    for kwargs in ({"thickness": 1.5}, {"scale": (1.1, 0.9)}, {"shift": -1}, {"scale": (0, 1)}):
        with pytest.raises(ConfigError):
            augment(imgs, np.random.default_rng(0), **kwargs)


@pytest.mark.mnist
def test_augmented_mnist_digits_stay_close_to_the_originals(mnist_dir):
    with gzip.open(mnist_dir / "t10k-images-idx3-ubyte.gz") as f:
        imgs = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:2000]
    out = augment(imgs, np.random.default_rng(0))
    flat = imgs.reshape(len(imgs), -1) / 255
    corr = [np.corrcoef(a, b)[0, 1] for a, b in zip(out, flat)]
    assert 0.5 < np.mean(corr) < 0.95  # changed, but the same digit
    np.testing.assert_allclose(out.sum() / flat.sum(), 1.0, atol=0.15)  # about as much ink
    assert np.abs(centres(out) - 14).max() < 4


def test_pen_redraw_gives_a_uniform_stroke_of_the_pen_width():
    from core.augment import pen_redraw

    img = np.zeros((1, 28, 28), np.uint8)
    img[0, 4:24, 10:17] = 255  # a 7-px-wide bar
    img[0, 20:24, 17:22] = 255  # with a foot, so the skeleton is not a single point
    out = pen_redraw(img, 2.0)
    assert out.shape == img.shape and out.dtype == np.uint8
    row = out[0, 12] / 255
    assert 1.6 <= row.sum() <= 2.6  # the bar is now about 2 px wide
    assert row.max() == 1.0


def test_elastic_fields_are_smooth_with_the_asked_spread():
    from core.augment import elastic_field

    d = elastic_field(np.random.default_rng(0).standard_normal((3000, 2, 10, 10)))
    d = d.reshape(3000, 2, 28, 28)
    np.testing.assert_allclose(d.std(axis=0), 1.0, atol=0.1)  # every pixel, both axes
    corr = [np.corrcoef(d[:, 0, 14, 14], d[:, 0, 14, 14 + r])[0, 1] for r in (1, 4, 8)]
    # Simard's field (white noise smoothed with sigma = 4 px) correlates as exp(-r^2 / 4 sigma^2)
    np.testing.assert_allclose(corr, np.exp(-np.array([1, 16, 64]) / 64), atol=0.06)
    assert abs(np.corrcoef(d[:, 0, 14, 14], d[:, 1, 14, 14])[0, 1]) < 0.06  # dx, dy independent


def test_elastic_distortion_bends_strokes_but_keeps_the_digit():
    imgs = digits(200, seed=6)
    plain = augment(imgs, np.random.default_rng(2), shift=0, rotate=0, scale=(1, 1), thickness=0)
    bent = augment(imgs, np.random.default_rng(2), shift=0, rotate=0, scale=(1, 1), thickness=0,
                   elastic=1.0)
    moved = np.abs(bent - plain).sum(axis=1)
    assert (moved > 1).mean() > 0.95  # nearly every digit changed
    assert np.abs(centres(bent) - centres(plain)).max() < 2.0
    np.testing.assert_allclose(bent.sum() / plain.sum(), 1.0, atol=0.05)
    corr = [np.corrcoef(a, b)[0, 1] for a, b in zip(bent, plain)]
    assert 0.3 < np.mean(corr) < 0.95
    with pytest.raises(ConfigError):
        augment(imgs, np.random.default_rng(0), elastic=-1.0)


def test_style_strokes_add_a_lead_in_a_crossbar_and_a_slash():
    from core.augment import add_style_strokes

    rng = np.random.default_rng(0)
    one = np.zeros((40, 40), bool)
    one[8:32, 20] = True
    for _ in range(20):
        s = one.copy()
        add_style_strokes(s, 1, rng)
        added = np.argwhere(s & ~one)
        assert len(added) >= 3
        assert (added[:, 1] < 20).mean() > 0.6  # to the left of the stem ...
        assert added[:, 0].min() <= 9  # ... from its top
    seven = np.zeros((40, 40), bool)
    seven[8, 10:28] = True
    for r in range(8, 32):
        seven[r, 27 - (r - 8) // 2] = True
    s = seven.copy()
    add_style_strokes(s, 7, rng)
    bar = np.argwhere(s & ~seven)
    assert 17 <= bar[:, 0].mean() <= 24 and np.ptp(bar[:, 1]) >= 5  # across the stem, mid-height
    ring = np.zeros((40, 40), bool)
    yy, xx = np.mgrid[:40, :40]
    ring[np.abs(np.hypot((yy - 20) / 12, (xx - 20) / 8) - 1) < 0.06] = True
    s = ring.copy()
    add_style_strokes(s, 0, rng)
    slash = np.argwhere(s & ~ring)
    assert s[20, 19:22].any() and np.ptp(slash[:, 0]) > 15  # through the middle, top to bottom
    for label in (2, 3, 4, 5, 6, 8, 9):  # the other digits are left alone
        s = ring.copy()
        add_style_strokes(s, label, rng)
        np.testing.assert_array_equal(s, ring)
