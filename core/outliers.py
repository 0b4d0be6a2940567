"""Outlier exposure: teaching the network to say "not a digit" (Hendrycks, Mazeika and
Dietterich 2019).

With ``TrainConfig.nondigits`` = s > 0, a run adds s × (its training digits) generated
non-digits (``core.nondigits``: letters, shapes, scribbles, short words, drawn and read as the
window reads its board) to the training rows, labelled ``NOT_A_DIGIT``. Their target is the
uniform distribution over the ten outputs (``rows.targets``), so the cross-entropy a row adds is
−Σⱼ ⅒ ln aⱼ: least when no digit is more likely than another. They are shuffled, augmented and
batched with the digits like any row; the validation and test splits stay MNIST's.

After training, ``calibrated_rule`` sets the threshold below which the model says "not a
digit": the ``CALIBRATION_RATE`` quantile of ``CALIBRATION_SCORE`` over up to
``CALIBRATION_ROWS`` training digits shown as the trainer shows them (pen-redrawn where they
have a redraw, augmented), a stand-in for drawings of digits that no test set provides. The rule
goes into the model file (``model_io``) and ``reject.read`` applies it.

Shapes: images uint8 (N, 28, 28); rows (N, 784).
"""

from __future__ import annotations

import numpy as np

from .augment import augment
from .data import Dataset
from .nondigits import TRAIN_HAND, nondigit_images
from .prepare import Part
from .reject import RejectRule, calibrate
from .rows import NOT_A_DIGIT, as_inputs
from .train_config import TrainConfig

NONDIGIT_BOARD = 140  # px: drawn on a half-size board, 4x faster, nearly the same 28×28
CALIBRATION_SCORE = "max_probability"
CALIBRATION_RATE = 0.005  # of the training digits as shown (augmented), called "not a digit"
CALIBRATION_ROWS = 10_000


def nondigit_set(config: TrainConfig, n_digits: int) -> Dataset | None:
    """The generated non-digits a run of ``config`` on ``n_digits`` training digits adds
    (None when it adds none), the same for the same seed."""
    n = round(config.nondigits * n_digits)
    if n < 1:
        return None
    images, _ = nondigit_images(n, config.seed, TRAIN_HAND, board=NONDIGIT_BOARD)
    return Dataset(images, np.full(n, NOT_A_DIGIT, np.uint8), f"{n:,} generated non-digits",
                   not_a_digit=True)


def calibrated_rule(network, train_part: Part, config: TrainConfig) -> RejectRule:
    """The rule that says "not a digit" for ``CALIBRATION_RATE`` of the training digits in
    ``train_part`` (its non-digit rows left out), shown as the trainer shows them."""
    rng = np.random.default_rng([config.seed, 4])
    digits = np.flatnonzero(train_part.labels != NOT_A_DIGIT)
    which = np.sort(rng.permutation(digits)[:CALIBRATION_ROWS])
    images = train_part.images(which)
    if config.augment:
        has, redrawn = train_part.pens(which)
        images[has] = redrawn
        rows = augment(images, rng).astype(network.dtype, copy=False)
    else:
        rows = as_inputs(images, network.dtype)
    return calibrate(network, rows, CALIBRATION_SCORE, CALIBRATION_RATE)
