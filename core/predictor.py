"""What the network makes of a drawing: drawing → network input → ten probabilities.

A drawing is a float (H, W) array in [0, 1] (or uint8 0..255), white ink on black, of any size.
``Predictor(network).predict(drawing)`` feeds it MNIST-style (``preprocess.to_mnist``: crop to
the ink, fit into 20×20, centre of mass to the centre) or, with ``preprocess=False``, the whole
drawing area-resized to 28×28 (``raw_to_input``). A drawing with no ink worth reading
(``preprocess.is_empty``, the one rule for "empty") gives None, in both modes. The window reads
the board with it and ``ffn predict`` reads a PNG with it.
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .preprocess import as_read_by, is_empty, raw_to_input, to_mnist
from .reject import read


class Predictor:
    """Drawing → (ten probabilities, the 28×28 input the network saw).

    It holds a reference to a network its owner keeps: a snapshot (``Network.copy()``) or a
    loaded model, never arrays a training run is writing to."""

    def __init__(self, network: Network | None, preprocess: bool = True) -> None:
        self.network = network
        self.preprocess = preprocess
        # MNIST-style input deskewed too when the network was trained on deskewed digits
        # (preprocess.as_read_by); False shows what it makes of the slanted drawing.
        self.deskew = True

    def to_input(self, image: np.ndarray) -> np.ndarray | None:
        """The float32 (28, 28) input for ``image``, or None when nothing is drawn."""
        if self.preprocess:
            x = to_mnist(image)
            return as_read_by(self.network, x) if x is not None and self.deskew else x
        return None if is_empty(image) else raw_to_input(image)

    def predict(self, image: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(probabilities (10,) float64 summing to 1, the 28×28 input), or (None, None) when the
        drawing is empty. Without a network the probabilities are None."""
        x = self.to_input(image)
        if x is None:
            return None, None
        if self.network is None:
            return None, x
        return self.network.predict_proba(x.reshape(1, -1))[0], x

    def read(self, image: np.ndarray) -> int | None:
        """The digit read in ``image``, or None: nothing drawn, no network, or a drawing the
        network's rejection rule calls "not a digit" (``reject.read``)."""
        if self.network is None:
            return None
        return read(self.network, self.to_input(image))
