"""An epoch's mini-batches, gathered from uint8 images the way the training step wants them.

``Batches(pixels, m, dtype)`` holds the training images as uint8 rows (``pixels.shape == (n,
784)``); ``batches.epoch(order)`` yields ``(Xb, columns)`` for each batch of ``m`` rows in
``order``, ``Xb`` float rows in [0, 1]. Rows are gathered a chunk of about 512 at a time (one
call for many small batches) and scaled in reused buffers: no float copy of the whole training
set, a quarter of the memory traffic. For batches of up to ``SPARSE_MAX_BATCH``, which light
only some of the pixels, the chunk's uint8 rows also tell each batch's lit pixels at once:
``columns`` lists them and ``Xb`` holds only those columns (``columns`` None: all of them).
The arrays yielded are reused: the step must be done with one before asking for the next.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .rows import pixel_scale
from .step import SPARSE_MAX_BATCH, TrainStep

CHUNK_ROWS = 512


class Batches:
    def __init__(self, pixels: np.ndarray, m: int, dtype) -> None:
        self.pixels, self.m = pixels, m
        n_in = pixels.shape[1]
        self.chunk = m * max(1, CHUNK_ROWS // m)
        self.u8 = np.empty((self.chunk, n_in), np.uint8)
        self.x = np.empty((self.chunk, n_in), dtype)
        self.by_columns = m <= SPARSE_MAX_BATCH
        self.lit = np.empty((self.chunk // m, n_in), np.uint8)
        self.scale = pixel_scale(dtype)

    def epoch(self, order: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
        m, chunk, n = self.m, self.chunk, len(order)
        for start in range(0, n, chunk):
            rows = order[start : start + chunk]
            self._gather(rows)
            for j in range(0, len(rows), m):
                yield self._batch(j, min(m, len(rows) - j))

    def _gather(self, rows: np.ndarray) -> None:
        """Read a chunk's rows and, for small batches, each batch's lit pixels in one call."""
        m, got = self.m, self.u8[: len(rows)]
        np.take(self.pixels, rows, axis=0, out=got)
        if not self.by_columns:
            np.multiply(got, self.scale, out=self.x[: len(rows)])
            return
        full = len(rows) // m
        np.maximum.reduce(got[: full * m].reshape(full, m, got.shape[1]), axis=1,
                          out=self.lit[:full])
        if len(rows) > full * m:
            np.maximum.reduce(got[full * m :], axis=0, out=self.lit[full])

    def _batch(self, j: int, mb: int) -> tuple[np.ndarray, np.ndarray | None]:
        if not self.by_columns:
            return self.x[j : j + mb], None
        columns = TrainStep.lit_columns(self.lit[j // self.m])
        if columns is None:
            Xb = self.x[j : j + mb]
            np.multiply(self.u8[j : j + mb], self.scale, out=Xb)
            return Xb, None
        Xb = self.x.reshape(-1)[: mb * len(columns)].reshape(mb, len(columns))
        np.multiply(np.take(self.u8[j : j + mb], columns, axis=1), self.scale, out=Xb)
        return Xb, columns
