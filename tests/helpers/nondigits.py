"""The proxies for "not a digit": generated non-digits and real-style digits, read offline.

Non-digits: ``core.nondigits``' kinds (27 letters, scribbles, shapes, words) drawn by
``PROXY_HAND``, a hand other than the one that draws the training negatives (``TRAIN_HAND``:
wider proportions and slant, more jitter and rotation, a finer mouse, another random stream),
so that a model trained on non-digits is measured on drawings it never saw. Real-style digits:
the styles proxy (``styles.style_digits``, 60% of the board) and the skeleton proxy (MNIST
*test* digits traced into strokes, ``handwriting``'s sizes). All of them are drawn as the canvas
draws (``scrawl.board_image``, the 280 px board and its pen) and read with
``preprocess.to_mnist``, which agrees with a replay through the window (docs/handwriting.md).

``rejection_table(network, sets)`` gives, for each score over the network's outputs, the
threshold that rejects at most ``rate`` of each digit proxy and the share of non-digits it
rejects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.nondigits import nondigit_images
from core.scrawl import Hand, mnist_image

PROXY_HAND = Hand(jitter=0.035, width=(0.7, 1.4), slant=(-0.3, 0.55), rotate=10.0,
                  wobble=(0.005, 0.025), pace=(0.01, 0.07), height=(0.45, 0.75))
PROXY_STREAM = 32  # TRAIN_HAND's drawings use stream 31


def proxy_nondigits(n: int = 1980, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """``n`` non-digits for measuring (uint8 (n, 28, 28), kinds), drawn by ``PROXY_HAND``."""
    return nondigit_images(n, seed, PROXY_HAND, PROXY_STREAM)


def styles_images(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The styles proxy's digits read as the window reads them: (uint8 (n, 28, 28), labels)."""
    from helpers.styles import STYLE_HEIGHT, style_digits

    digits = style_digits(n, seed)
    images = np.stack([mnist_image(d.strokes, STYLE_HEIGHT) for d in digits])
    return images, np.array([d.label for d in digits], np.uint8)


def skeleton_images(test_images: np.ndarray, test_labels: np.ndarray, every: int = 10,
                    sizes=(0.45, 0.6, 0.75)) -> tuple[np.ndarray, np.ndarray]:
    """Every ``every``-th MNIST test digit traced into strokes and drawn at each of ``sizes``
    of the board's height: (uint8 (m, 28, 28), labels)."""
    from core.strokes import digit_strokes

    images, labels = [], []
    for img, label in zip(test_images[::every], test_labels[::every]):
        strokes = digit_strokes(img)
        if not strokes:
            continue
        for size in sizes:
            images.append(mnist_image([np.asarray(s, float) for s in strokes], size))
            labels.append(label)
    return np.stack(images), np.array(labels, np.uint8)


@dataclass(frozen=True)
class Rejection:
    score: str
    threshold: float
    digits_rejected: dict  # proxy name -> share of its digits rejected
    nondigits_rejected: float


def logits(network, images: np.ndarray) -> np.ndarray:
    """The output layer's z for the images, read as the network reads them (deskewed if so)."""
    from core.preprocess import as_read_by
    from core.rows import as_inputs

    zs, _ = network.forward(as_inputs(as_read_by(network, images), network.dtype))
    return zs[-1].astype(np.float64)


def rejection_table(network, digit_sets: dict, nondigits: np.ndarray,
                    rate: float = 0.01) -> list[Rejection]:
    """For each score of ``core.reject.SCORES``: the highest threshold that rejects at most
    ``rate`` of every digit proxy in ``digit_sets`` (name -> images), and what it rejects."""
    from core.reject import SCORES

    z_digits = {name: logits(network, imgs) for name, imgs in digit_sets.items()}
    z_non = logits(network, nondigits)
    table = []
    for name, score in SCORES.items():
        s_digits = {k: score(z) for k, z in z_digits.items()}
        threshold = min(_highest_threshold(s, rate) for s in s_digits.values())
        table.append(Rejection(name, threshold,
                               {k: float(np.mean(s < threshold)) for k, s in s_digits.items()},
                               float(np.mean(score(z_non) < threshold))))
    return table


def _highest_threshold(scores: np.ndarray, rate: float) -> float:
    """The largest t with mean(scores < t) <= rate."""
    s = np.sort(scores)
    k = int(np.floor(rate * len(s)))  # at most k scores may lie below t
    return float(s[k]) if k < len(s) else float(s[-1])
