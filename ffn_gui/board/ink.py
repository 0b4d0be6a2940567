"""The ink: strokes rendered into the fixed-resolution image the network reads.

A ``Stroke`` is pointer positions in input pixels (the 28×28 grid: x to the right, y down,
0..28), a pen width in input pixels, and whether it erases. ``Ink`` holds a ``QImage``
(``RESOLUTION`` pixels square, Format_Grayscale8, white ink on black) and draws strokes into it
one segment at a time (``draw``), or all again from the vectors (``render``). Ink is
antialiased and round-capped. The eraser paints black without antialiasing, with a pen
``ERASE_MARGIN`` image pixels wider each side than the ink's: every pixel it touches is black,
not dimmed, so erasing a stroke along its path leaves no faint fringe for the network to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from core.preprocess import INK_THRESHOLD
from core.rows import to_unit

GRID = 28  # input pixels per side
RESOLUTION = 280  # internal image pixels per side: 10 per input pixel
SCALE = RESOLUTION / GRID
ERASE_MARGIN = 1.0  # image pixels the eraser reaches beyond the ink's own edge, each side
# A board with no pixel above core's ink threshold (preprocess) has no ink: the same 12 of 255.
EMPTY_BELOW = INK_THRESHOLD * 255


@dataclass
class Stroke:
    """One stroke: pointer positions in input pixels, a pen width in input pixels, ink or erase."""

    width: float
    erase: bool = False
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def drawn_width(self) -> float:
        """The width the stroke paints, in input pixels (the eraser's is a little wider)."""
        return self.width + (2 * ERASE_MARGIN / SCALE if self.erase else 0.0)


class Ink:
    """The raster the strokes are drawn into; ``pixels()`` is what the network reads."""

    def __init__(self) -> None:
        self.qimage = QImage(RESOLUTION, RESOLUTION, QImage.Format.Format_Grayscale8)
        self.qimage.fill(0)
        # Caches, None when stale: the image's bytes, pixels() and is_empty().
        self._bytes: np.ndarray | None = None
        self._pixels: np.ndarray | None = None
        self._empty: bool | None = True

    def pixels(self) -> np.ndarray:
        """float32 (RESOLUTION, RESOLUTION) in [0, 1], cached until the next change, read-only."""
        if self._pixels is None:
            pixels = to_unit(self.gray())
            pixels.flags.writeable = False
            self._pixels = pixels
        return self._pixels

    def is_empty(self) -> bool:
        if self._empty is None:
            self._empty = not bool(np.any(self.gray() > EMPTY_BELOW))
        return self._empty

    def gray(self) -> np.ndarray:
        """The image's bytes as uint8 (RESOLUTION, RESOLUTION), copied once per change."""
        if self._bytes is None:
            line = self.qimage.bytesPerLine()
            rows = np.frombuffer(self.qimage.constBits(), np.uint8, line * RESOLUTION)
            self._bytes = rows.reshape(RESOLUTION, line)[:, :RESOLUTION].copy()
        return self._bytes

    def draw(self, stroke: Stroke, a: tuple[float, float], b: tuple[float, float]) -> None:
        """Draw one segment of ``stroke`` (a dot when ``a == b``)."""
        painter = QPainter(self.qimage)
        _paint_segment(painter, stroke, a, b)
        painter.end()
        self._stale()

    def render(self, strokes: list[Stroke], picture: QImage | None = None) -> None:
        """Wipe the image (to ``picture``, if given) and draw ``strokes`` again, oldest first."""
        self.qimage.fill(0)
        painter = QPainter(self.qimage)
        if picture is not None:
            painter.drawImage(0, 0, picture)
        for stroke in strokes:
            points = stroke.points
            _paint_segment(painter, stroke, points[0], points[0])
            for a, b in zip(points, points[1:]):
                _paint_segment(painter, stroke, a, b)
        painter.end()
        self._stale()

    def _stale(self) -> None:
        self._bytes = self._pixels = self._empty = None


def picture_image(gray: np.ndarray) -> QImage:
    """An image (float (H, W) in [0, 1], white ink on black) scaled to fit the board, centred:
    a RESOLUTION-square grayscale QImage (its own copy)."""
    a = np.ascontiguousarray((np.clip(gray, 0, 1) * 255 + 0.5).astype(np.uint8))
    small = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8)
    fitted = small.scaled(RESOLUTION, RESOLUTION, Qt.AspectRatioMode.KeepAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)  # a copy
    image = QImage(RESOLUTION, RESOLUTION, QImage.Format.Format_Grayscale8)
    image.fill(0)
    painter = QPainter(image)
    painter.drawImage((RESOLUTION - fitted.width()) // 2, (RESOLUTION - fitted.height()) // 2,
                      fitted)
    painter.end()
    return image


def _paint_segment(
    painter: QPainter, stroke: Stroke, a: tuple[float, float], b: tuple[float, float]
) -> None:
    colour = QColor(0, 0, 0) if stroke.erase else QColor(255, 255, 255)
    width = stroke.drawn_width * SCALE
    # Ink is antialiased; the eraser is not: its edge pixels are black, not dimmed.
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, not stroke.erase)
    if a == b:  # a dot: a zero-length line has no round cap in every paint engine
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(a[0] * SCALE, a[1] * SCALE), width / 2, width / 2)
    else:
        painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.drawLine(QPointF(a[0] * SCALE, a[1] * SCALE), QPointF(b[0] * SCALE, b[1] * SCALE))
