"""core.preprocess: a drawing of any size and place becomes the same MNIST-style 28x28 digit."""


import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.errors import DataError
from core.preprocess import CENTRE, MIN_INK, is_empty, raw_to_input, resample_matrix, to_mnist


def centre_of_mass(img: np.ndarray) -> np.ndarray:
    """(row, col), pixel centres at integers."""
    r = np.arange(img.shape[0])
    c = np.arange(img.shape[1])
    m = img.sum()
    return np.array([img.sum(axis=1) @ r / m, img.sum(axis=0) @ c / m])


def place(img: np.ndarray, factor: int, canvas: int, top: int, left: int) -> np.ndarray:
    """``img`` magnified ``factor`` times (each pixel a block) at (top, left) on a black canvas."""
    big = np.kron(img.astype(np.float32) / 255, np.ones((factor, factor), np.float32))
    out = np.zeros((canvas, canvas), np.float32)
    out[top : top + big.shape[0], left : left + big.shape[1]] = big
    return out


def smooth_upscale(img: np.ndarray, factor: float) -> np.ndarray:
    """``img`` magnified by a non-integer factor with area weights (blended block edges)."""
    n = int(28 * factor)
    r = resample_matrix(28, n, factor)
    return r @ (img.astype(np.float32) / 255) @ r.T


# --- the resampling matrix ----------------------------------------------------------------------


def test_resample_matrix_rows_are_overlap_weights():
    r = resample_matrix(5, 2)  # each output pixel covers 2.5 input pixels
    np.testing.assert_allclose(r, [[0.4, 0.4, 0.2, 0, 0], [0, 0, 0.2, 0.4, 0.4]], atol=1e-7)
    np.testing.assert_allclose(resample_matrix(7, 7), np.eye(7), atol=1e-7)
    up = resample_matrix(2, 5)  # magnifying: each output pixel is part of one or two inputs
    np.testing.assert_allclose(up.sum(axis=1), 1, atol=1e-6)
    np.testing.assert_allclose(up[2], [0.5, 0.5], atol=1e-6)


def test_area_resampling_keeps_total_ink():
    rng = np.random.default_rng(0)
    img = rng.random((280, 210)).astype(np.float32)
    small = resample_matrix(280, 28) @ img @ resample_matrix(210, 21).T
    assert small.sum() * 100 == pytest.approx(img.sum(), rel=1e-5)


# --- to_mnist -----------------------------------------------------------------------------------


def test_empty_drawings_are_none():
    assert to_mnist(np.zeros((280, 280), np.uint8)) is None
    assert to_mnist(np.full((100, 100), 0.01, np.float32)) is None  # faint noise is not ink
    assert is_empty(np.zeros((280, 280)))
    assert not is_empty(np.pad(np.ones((3, 3)), 50))


def test_result_is_float32_28x28_in_unit_range():
    canvas = np.zeros((280, 280), np.uint8)
    canvas[40:200, 100:130] = 255
    out = to_mnist(canvas)
    assert out.dtype == np.float32 and out.shape == (28, 28)
    assert out.min() >= 0 and out.max() == pytest.approx(1.0)


def test_uint8_and_float_drawings_agree():
    rng = np.random.default_rng(1)
    canvas = np.zeros((200, 300), np.uint8)
    canvas[50:150, 80:120] = rng.integers(0, 256, (100, 40))
    np.testing.assert_allclose(to_mnist(canvas), to_mnist(canvas / 255.0), atol=1e-5)


def test_a_single_dot_becomes_a_centred_blob():
    yy, xx = np.mgrid[:280, :280]
    dot = ((yy - 40) ** 2 + (xx - 230) ** 2 <= 9**2).astype(np.float32)
    out = to_mnist(dot)
    assert out is not None
    np.testing.assert_allclose(centre_of_mass(out), CENTRE, atol=0.5)
    rows, cols = np.nonzero(out > 0.5)
    assert abs(np.ptp(rows) + 1 - 20) <= 1 and abs(np.ptp(cols) + 1 - 20) <= 1
    one_pixel = np.zeros((280, 280), np.uint8)
    one_pixel[3, 270] = 255
    assert to_mnist(one_pixel) is not None


def test_a_thin_vertical_line_keeps_its_aspect_ratio():
    canvas = np.zeros((280, 280), np.uint8)
    canvas[30:230, 77] = 255  # 1 px wide, 200 tall: a '1' drawn with a hair-thin pen
    out = to_mnist(canvas)
    rows, cols = np.nonzero(out > 0.05)
    assert np.ptp(rows) + 1 == 20
    assert len(set(cols)) == 1  # still one pixel wide, and visible
    assert out.max() == pytest.approx(1.0)
    np.testing.assert_allclose(centre_of_mass(out), CENTRE, atol=0.5)

    canvas[:] = 0
    canvas[30:230, 70:90] = 255  # a 20 px pen: 2 px wide after fitting 200 px into 20
    out = to_mnist(canvas)
    assert (out > 0.5).any(axis=0).sum() == 2


def test_a_wide_stroke_fills_twenty_columns():
    canvas = np.zeros((100, 400), np.float32)
    canvas[45:55, 20:380] = 1.0
    out = to_mnist(canvas)
    rows, cols = np.nonzero(out > 0.05)
    assert np.ptp(cols) + 1 == 20 and np.ptp(rows) + 1 == 1


def test_ink_at_the_frame_is_not_cut_off():
    canvas = np.zeros((280, 280), np.float32)
    canvas[20:220, 10:30] = 1.0  # a bar ...
    canvas[20:30, 10:200] = 1.0  # ... with a long arm: centre of mass far from the box centre
    out = to_mnist(canvas)
    cols = np.flatnonzero(out.any(axis=0))
    assert cols.max() == 27  # the centre of mass asked for a shift past the edge; it was clipped
    total = (resample_matrix(200, 20) @ canvas[20:220, 10:200] @ resample_matrix(190, 19).T).sum()
    assert out.sum() == pytest.approx(total, rel=1e-4)  # nothing fell outside the frame


def test_bad_input_is_a_data_error():
    with pytest.raises(DataError):
        to_mnist(np.zeros((3, 28, 28)))
    with pytest.raises(DataError):
        raw_to_input(np.zeros((0, 5)))


@settings(max_examples=60, deadline=None)
@given(
    h=st.integers(1, 150),
    w=st.integers(1, 150),
    top=st.integers(0, 100),
    left=st.integers(0, 100),
    level=st.floats(0.2, 1.0),
)
def test_any_rectangle_fits_the_box_and_is_centred(h, w, top, left, level):
    assume(h * w * level >= MIN_INK)
    canvas = np.zeros((260, 260), np.float32)
    canvas[top : top + h, left : left + w] = level
    out = to_mnist(canvas)
    rows, cols = np.nonzero(out > 0)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 == 20
    assert out.min() >= 0 and out.max() == pytest.approx(1.0)
    np.testing.assert_allclose(centre_of_mass(out), CENTRE, atol=0.5 + 1e-6)


# --- raw mode -----------------------------------------------------------------------------------


def test_raw_to_input_area_averages_the_whole_canvas():
    canvas = np.zeros((280, 280), np.uint8)
    canvas[:10, :10] = 255
    canvas[275:, 275:] = 255  # half of the last input pixel row and column
    out = raw_to_input(canvas)
    assert out.dtype == np.float32 and out.shape == (28, 28)
    assert out[0, 0] == pytest.approx(1.0) and out[27, 27] == pytest.approx(0.25)
    assert out.sum() == pytest.approx(1.25)
    np.testing.assert_allclose(raw_to_input(np.ones((300, 150))), 1.0, atol=1e-6)


# --- real MNIST ---------------------------------------------------------------------------------


@pytest.mark.mnist
def test_mnist_digits_magnified_anywhere_give_back_the_digit(mnist_test_images):
    """A digit drawn small, large, or off-centre reads the same, and close to the original."""
    block, smooth, coms = [], [], []
    for img in mnist_test_images[:200]:
        orig = img.astype(np.float32) / 255
        outs = [
            to_mnist(place(img, 4, 280, 150, 10)),  # small, bottom left
            to_mnist(place(img, 10, 400, 0, 115)),  # large, at the top
            to_mnist(place(img, 7, 500, 300, 290)),  # bottom right
        ]
        smoothed = to_mnist(smooth_upscale(img, 6.3))  # a non-integer magnification
        block += [np.abs(out - orig).mean() for out in outs]
        smooth.append(np.abs(smoothed - orig).mean())
        coms += [centre_of_mass(out) for out in [*outs, smoothed]]
    assert np.max(block) < 0.002  # whole-pixel blocks come back exactly (up to a rescaled peak)
    assert np.mean(smooth) < 0.02 and np.quantile(smooth, 0.95) < 0.06
    np.testing.assert_allclose(np.array(coms), CENTRE, atol=0.5 + 1e-6)


@pytest.mark.mnist
def test_mnist_centre_of_mass_is_where_to_mnist_puts_it(mnist_test_images):
    """Checks CENTRE against the data: MNIST's centres of mass average (14, 14), within +-0.5."""
    x = mnist_test_images[:2000].astype(np.float64)
    coms = np.array([centre_of_mass(img) for img in x])
    np.testing.assert_allclose(coms.mean(axis=0), CENTRE, atol=0.05)
    assert np.quantile(np.abs(coms - CENTRE), 0.99) < 0.55
