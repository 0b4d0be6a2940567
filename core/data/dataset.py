"""The data the trainer reads: ``Dataset`` (images and labels) and ``MnistData`` (train, test).

Shapes: ``images.shape == (N, 28, 28)`` uint8 (0 = background, 255 = ink), ``labels.shape ==
(N,)`` uint8 in 0..9 (or ``None`` for an unlabelled set; with ``not_a_digit`` also 10,
``rows.NOT_A_DIGIT``: a drawing that is no digit, a row of outlier exposure).
``core.rows.as_inputs(images)`` gives the batch-as-rows view the network takes: ``X.shape ==
(N, 784)`` float32 in [0, 1].
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError, DataError

SIDE = 28
PIXELS = SIDE * SIDE


@dataclass(frozen=True, eq=False)
class Dataset:
    images: np.ndarray
    labels: np.ndarray | None
    source: str = ""
    not_a_digit: bool = False  # label 10 allowed: no digit (core.outliers); files never have it

    def __post_init__(self) -> None:
        im, lab = self.images, self.labels
        if not (isinstance(im, np.ndarray) and im.dtype == np.uint8 and im.shape[1:] == (28, 28)
                and im.ndim == 3 and im.flags.c_contiguous):
            raise DataError(f"{self.source or 'dataset'}: images must be a C-contiguous uint8 "
                            f"(N, 28, 28) array, got {getattr(im, 'dtype', type(im))} "
                            f"{getattr(im, 'shape', '')}")
        if lab is not None and not (isinstance(lab, np.ndarray) and lab.dtype == np.uint8
                                    and lab.shape == (len(im),)):
            raise DataError(f"{self.source or 'dataset'}: labels must be a uint8 array of shape "
                            f"({len(im)},), got {getattr(lab, 'dtype', type(lab))} "
                            f"{getattr(lab, 'shape', '')}")
        if lab is not None and len(lab) and lab.max() > 9:
            check_labels(lab[lab != 10] if self.not_a_digit else lab, self.source or "dataset")

    def __len__(self) -> int:
        return len(self.images)

    def checksum(self) -> str:
        """sha256 of the image bytes followed by the label bytes (what a model was trained on)."""
        h = hashlib.sha256(memoryview(np.ascontiguousarray(self.images)).cast("B"))  # no copy
        if self.labels is not None:
            h.update(memoryview(np.ascontiguousarray(self.labels)).cast("B"))
        return h.hexdigest()

    def split(self, n_valid: int, rng: np.random.Generator) -> tuple[Dataset, Dataset]:
        """A random disjoint (train, valid) split with ``n_valid`` examples in valid.

        Both halves keep the original order of their examples.
        """
        train, valid = self.split_rows(len(self), n_valid, rng)
        return self._take(train, "train part"), self._take(valid, "validation part")

    @staticmethod
    def split_rows(n: int, n_valid: int, rng: np.random.Generator) -> tuple[np.ndarray,
                                                                              np.ndarray]:
        """The (train, valid) rows of ``split`` for a data set of ``n`` examples."""
        n_valid = _count(n_valid, "validation size")
        if not 0 <= n_valid < n:
            raise ConfigError(f"validation size must be in 0..{n - 1} for a data set "
                              f"of {n} examples, got {n_valid}")
        order = rng.permutation(n)
        return np.sort(order[n_valid:]), np.sort(order[:n_valid])

    def subset(self, n: int) -> Dataset:
        """The first ``n`` examples (ConfigError if there are fewer)."""
        n = _count(n, "subset size")
        if not 0 <= n <= len(self):
            raise ConfigError(f"cannot take {n} examples from a data set of {len(self)}")
        return self._take(slice(0, n), f"first {n}")

    def _take(self, index, what: str) -> Dataset:
        labels = None if self.labels is None else np.ascontiguousarray(self.labels[index])
        return Dataset(np.ascontiguousarray(self.images[index]), labels, f"{self.source} ({what})",
                       self.not_a_digit)


def _count(n: object, what: str) -> int:
    try:
        return operator.index(n)
    except TypeError:
        raise ConfigError(f"{what} must be a whole number, got {n!r}") from None


@dataclass(frozen=True, eq=False)
class MnistData:
    train: Dataset
    test: Dataset | None
    source: str

def check_labels(labels: np.ndarray, where: object) -> None:
    bad = np.flatnonzero(labels > 9)
    if bad.size:
        i = bad[0]
        raise DataError(f"{where}: label {labels[i]} at index {i} is out of range (labels must "
                        f"be digits 0..9; {bad.size} bad)")
