"""core.batches: an epoch's mini-batches are the rows in order, scaled, with their lit columns."""

import numpy as np
import pytest

from core.batches import Batches
from core.step import SPARSE_MAX_BATCH


@pytest.mark.parametrize("n,m", [(600, 128), (1500, 10), (1500, 7), (100, 100), (513, 512),
                                 (40, 1), (2100, SPARSE_MAX_BATCH + 1), (1300, 1300)])
def test_batches_are_the_rows_in_order(n, m, rng):
    pixels = (rng.random((n, 784)) < 0.2).astype(np.uint8) * rng.integers(1, 256, (n, 784),
                                                                           dtype=np.uint8)
    pixels[:, :100] = 0  # columns no example lights, as at MNIST's edges
    order = rng.permutation(n)
    seen = []
    for k, (Xb, columns) in enumerate(Batches(pixels, m, np.float32).epoch(order)):
        seen.append(columns)  # each batch is checked before the next (the buffers are reused)
        expected = pixels[order[k * m : (k + 1) * m]].astype(np.float32) / 255
        if columns is None:
            np.testing.assert_allclose(Xb, expected, rtol=1e-6)
        else:
            lit = np.flatnonzero(expected.any(axis=0))
            np.testing.assert_array_equal(columns, lit)
            np.testing.assert_allclose(Xb, expected[:, lit], rtol=1e-6)
    assert len(seen) == -(-n // m)
    if m > SPARSE_MAX_BATCH:
        assert all(columns is None for columns in seen)
