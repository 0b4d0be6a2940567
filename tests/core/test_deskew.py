"""core.preprocess.deskew: a slanted digit is sheared upright from its second moments, so the
same digit written at any slant reaches the network as the same image."""

import numpy as np
import pytest

from core.preprocess import MAX_SLANT, deskew, shear, slant
from core.strokes import render_strokes


def row_centres(img: np.ndarray, min_ink: float = 0.5) -> np.ndarray:
    """Each row's ink-weighted mean column (NaN for rows with less than ``min_ink`` of ink)."""
    img = np.asarray(img, np.float64)
    if img.max() > 1:
        img = img / 255
    mass = img.sum(axis=1)
    centre = img @ np.arange(img.shape[1]) / np.maximum(mass, 1e-12)
    return np.where(mass >= min_ink, centre, np.nan)


def drawn_digits() -> list[np.ndarray]:
    """A few digits drawn with a 2 px pen on 28x28: a 1, a 7, a 4, a 0 (x, y in pixels)."""
    shapes = [
        [[(14, 4), (14, 24)]],
        [[(8, 5), (20, 5), (12, 24)]],
        [[(16, 4), (7, 17), (21, 17)], [(16, 10), (16, 24)]],
        [[(14, 4), (9, 8), (8, 15), (10, 22), (14, 24), (18, 22), (20, 15), (19, 8), (14, 4)]],
    ]
    return [render_strokes([np.array(s, float) for s in strokes], 28, 2.0) for strokes in shapes]


def test_slant_of_a_sheared_line_is_the_shear():
    line = np.zeros((28, 28), np.float32)
    line[4:24, 13:15] = 1
    assert slant(line) == pytest.approx(0, abs=1e-9)
    for amount in (-0.4, -0.1, 0.25, 0.5):
        assert slant(shear(line, amount)) == pytest.approx(amount, abs=0.01)
    ink = np.argwhere(shear(line, 0.5) > 0.5)  # the bottom row moves right, the top row left
    assert ink[ink[:, 0] == 23, 1].mean() > ink[ink[:, 0] == 4, 1].mean() + 8


def test_deskew_keeps_shape_dtype_ink_and_centre_and_removes_the_slant():
    for digit in drawn_digits():
        slanted = shear(digit, 0.35)
        upright = deskew(slanted)
        assert upright.shape == (28, 28) and upright.dtype == np.float32
        assert 0 <= upright.min() and upright.max() <= 1
        assert upright.sum() == pytest.approx(slanted.sum(), rel=1e-4)
        assert abs(slant(upright)) < 0.01
        mass = upright.sum()
        cx = upright.sum(axis=0) @ np.arange(28) / mass
        cy = upright.sum(axis=1) @ np.arange(28) / mass
        cx0 = slanted.sum(axis=0) @ np.arange(28) / mass
        cy0 = slanted.sum(axis=1) @ np.arange(28) / mass
        assert (cx, cy) == pytest.approx((cx0, cy0), abs=0.05)
    batch = (np.stack(drawn_digits()) * 255).astype(np.uint8)
    out = deskew(batch)
    assert out.dtype == np.uint8 and out.shape == batch.shape
    for one, many in zip(batch, out):
        np.testing.assert_array_equal(deskew(one), many)


@pytest.mark.parametrize("amount", [0.3, -0.3])
def test_deskewing_a_sheared_digit_gives_the_deskewed_digit(amount):
    """deskew(shear(d, +-0.3)) matches deskew(d): every row's ink within a pixel."""
    for digit in drawn_digits():
        want = row_centres(deskew(digit))
        got = row_centres(deskew(shear(digit, amount)))
        rows = np.isfinite(want) & np.isfinite(got)
        assert rows.sum() >= 15
        assert np.abs(got - want)[rows].max() <= 1.0, (amount, got - want)
        assert np.abs(deskew(shear(digit, amount)) - deskew(digit)).mean() < 0.03


@pytest.mark.mnist
@pytest.mark.parametrize("amount", [0.3, -0.3])
def test_mnist_digits_sheared_either_way_deskew_alike(mnist_test_images, amount):
    """On 2,000 real test digits, d and d sheared by +-0.3 deskew to the same image: every inked
    row's centre within a pixel for at least 99% of the digits (the rest lean past MAX_SLANT or
    run off the frame when sheared), and within 2 pixels for all but a few."""
    digits = mnist_test_images[::5]
    want = deskew(digits)
    got = deskew(shear(digits, amount))
    worst = np.array([
        np.nanmax(np.abs(row_centres(g) - row_centres(w)), initial=0.0)
        for g, w in zip(got, want)
    ])
    assert np.mean(worst <= 1.0) >= 0.99, np.sort(worst)[-30:]
    assert np.mean(worst <= 2.0) >= 0.998
    assert np.abs(slant(want)).max() <= 0.1  # upright, but for digits capped at MAX_SLANT
    assert np.abs(slant(digits)).max() <= MAX_SLANT + 1e-9


# --- a model trained on deskewed digits reads deskewed digits, wherever it reads ---------------


def test_a_deskewed_model_says_so_in_its_file_and_every_reader_deskews(tmp_path):
    from core.data import Dataset
    from core.evaluation import evaluate_model
    from core.model_io import load_model, save_model
    from core.predictor import Predictor
    from core.preprocess import as_read_by, reads_deskewed, to_mnist
    from core.training import TrainConfig, evaluate, train

    digits = (np.stack(drawn_digits() * 5) * 255).astype(np.uint8)
    labels = np.array([1, 7, 4, 0] * 5, np.uint8)
    slanted = shear(digits, 0.4)
    for flag in (False, True):
        config = TrainConfig(hidden=(8,), epochs=1, validation=0, batch_size=4, deskew=flag)
        network = config.make_network()  # even untrained, it reads as it will be trained
        assert reads_deskewed(network) is flag
        network.deskew = not flag  # training sets it from the config
        train(network, config, Dataset(np.ascontiguousarray(slanted), labels))
        assert reads_deskewed(network) is flag and reads_deskewed(network.copy()) is flag
        path = save_model(tmp_path / f"m{flag}.npz", network, config=config)
        loaded = load_model(path).network
        assert reads_deskewed(loaded) is flag
        np.testing.assert_array_equal(as_read_by(loaded, slanted),
                                      deskew(slanted) if flag else slanted)
        # ffn evaluate and the window's evaluation view: the same probabilities as by hand
        want = loaded.predict_proba(as_read_by(loaded, slanted).reshape(-1, 784) / 255)
        got = evaluate_model(loaded, slanted, labels).probs
        np.testing.assert_allclose(got, want, atol=1e-5)
        assert evaluate(loaded, slanted, labels)[1] == np.mean(want.argmax(axis=1) == labels)
        # the window: the board's drawing, centred as MNIST, then deskewed for this model
        board = np.kron(slanted[1] / 255, np.ones((10, 10)))
        predictor = Predictor(loaded)
        _, seen = predictor.predict(board)
        np.testing.assert_allclose(seen, deskew(to_mnist(board)) if flag else to_mnist(board),
                                   atol=1e-6)
        predictor.deskew = False  # the View menu's toggle
        np.testing.assert_allclose(predictor.predict(board)[1], to_mnist(board), atol=1e-6)
