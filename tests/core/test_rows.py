"""core.rows: the one conversion from digits to the network's rows, and the one check that a
network reads MNIST; every path that feeds a network gets the same numbers from it."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from core.batches import Batches
from core.evaluation import evaluate_model
from core.finetune import accuracy
from core.network import Network
from core.preprocess import raw_to_input
from core.rows import as_inputs, mnist_problem, one_hot, pixel_scale, to_unit
from core.training import evaluate

CORE = Path(__file__).resolve().parents[2] / "core"


@pytest.fixture
def digits(rng):
    return rng.integers(0, 256, (30, 28, 28)).astype(np.uint8), rng.integers(0, 10, 30)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pixels_become_rows_in_zero_to_one(dtype, digits):
    images, _ = digits
    X = as_inputs(images, dtype)
    assert X.shape == (30, 784) and X.dtype == dtype
    assert X.min() >= 0 and X.max() <= 1
    np.testing.assert_allclose(X, images.reshape(30, -1) / 255.0, rtol=np.finfo(dtype).eps)
    assert as_inputs(np.full((1, 28, 28), 255, np.uint8), dtype).max() == pytest.approx(1.0)
    assert pixel_scale(dtype).dtype == dtype


def test_the_training_batches_read_the_pixels_exactly_as_as_inputs(digits):
    images, _ = digits
    for m in (10, 2000):  # by lit columns, and dense
        batches = Batches(images.reshape(30, -1), m, np.float32)
        order = np.arange(30)
        X = as_inputs(images)
        for k, (Xb, columns) in enumerate(batches.epoch(order)):
            rows = X[k * m : k * m + len(Xb)]
            np.testing.assert_array_equal(Xb, rows if columns is None else rows[:, columns])


def test_evaluation_training_metrics_and_fine_tune_agree_on_what_the_network_reads(digits):
    images, labels = digits
    net = Network([784, 16, 10], "relu", "cross_entropy", rng=np.random.default_rng(1))
    predicted = net.predict(as_inputs(images))
    report = evaluate_model(net, images, labels)
    np.testing.assert_array_equal(report.predicted, predicted)
    assert evaluate(net, images, labels)[1] == np.mean(predicted == labels)

    class Digits:
        def __init__(self):
            self.images, self.labels = images, labels

        def __len__(self):
            return len(images)

    assert accuracy(net, Digits()) == np.mean(predicted == labels)


def test_a_uint8_drawing_is_scaled_as_mnist_rows_are(digits):
    image = digits[0][0]
    np.testing.assert_array_equal(to_unit(image), as_inputs(image[None]).reshape(28, 28))
    # 'raw' mode at 28×28 is the drawing itself, read as a row is
    np.testing.assert_allclose(raw_to_input(image), to_unit(image), rtol=1e-6, atol=1e-7)


def test_one_hot_rows_and_a_single_label():
    Y = one_hot(np.array([3, 0, 9], np.uint8))
    assert Y.shape == (3, 10) and Y.dtype == np.float32
    np.testing.assert_array_equal(Y.argmax(axis=1), [3, 0, 9])
    assert Y.sum() == 3
    y = one_hot(4, np.float64, 5)
    assert y.shape == (5,) and y.dtype == np.float64 and y[4] == 1 and y.sum() == 1
    assert one_hot(np.array([], np.uint8)).shape == (0, 10)


@pytest.mark.parametrize("labels", [[10], [-1], [2, 12]])
def test_a_label_out_of_range_says_which(labels):
    with pytest.raises(ValueError, match=f"label must be 0 to 9, got {labels[-1]}"):
        one_hot(np.array(labels))


def test_only_a_784_to_10_network_reads_mnist():
    assert mnist_problem(Network([784, 5, 10])) is None
    assert mnist_problem(Network([784, 5, 3])) == (
        "maps 784 inputs to 3 outputs; MNIST needs 784 inputs (28×28) and 10 outputs (the "
        "digits)")


def test_no_other_core_module_scales_pixels_itself():
    """The rule is written once: elsewhere in core, no '/ 255' or '1 / 255' conversion (the
    augmentation's own float pipeline excepted, which works on its skeletons)."""
    pattern = re.compile(r"/\s*(np\.float\d+\()?255")
    offenders = []
    for path in CORE.rglob("*.py"):
        if path.name in ("rows.py", "augment.py"):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if pattern.search(code) and not code.strip().startswith(('"', "'")):
                offenders.append(f"{path.relative_to(CORE)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
