"""A gallery of 28×28 digits: one ``QListView`` over a light list model, never a widget per digit.

``DigitGallery.set_digits(images, captions, keys)`` shows uint8 (N, 28, 28) images (white ink on
black, as MNIST) as magnified thumbnails (``thumb`` pixels a side) with a caption each (e.g. the
top probabilities). The thumbnails are made when the view first paints them and then cached, so
a gallery of a thousand digits costs only what is on screen. ``digit_clicked(key)`` tells which
was clicked; ``keys`` are the caller's own (test-set indices, my-digits ids).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QWidget

THUMB = 56  # pixels per side: 2 screen pixels per input pixel


def digit_image(image: np.ndarray, side: int = THUMB) -> QImage:
    """A uint8 (28, 28) digit (or float in [0, 1]) as a magnified grayscale QImage (a copy)."""
    a = np.asarray(image)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8)
    a = np.ascontiguousarray(a)
    small = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8)
    return small.scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.FastTransformation)  # scaled() copies the buffer


class GalleryModel(QAbstractListModel):
    def __init__(self, parent=None, thumb: int = THUMB) -> None:
        super().__init__(parent)
        self.thumb = thumb  # pixels per side
        self.images = np.zeros((0, 28, 28), np.uint8)
        self.captions: list[str] = []
        self.keys: list = []
        self._pixmaps: dict[int, QPixmap] = {}

    def set_digits(self, images: np.ndarray, captions: list[str], keys: list) -> None:
        self.beginResetModel()
        self.images, self.captions, self.keys = images, list(captions), list(keys)
        self._pixmaps.clear()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 - Qt's name
        return 0 if parent is not None and parent.isValid() else len(self.keys)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self.keys):
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if row not in self._pixmaps:
                self._pixmaps[row] = QPixmap.fromImage(digit_image(self.images[row], self.thumb))
            return self._pixmaps[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.captions[row]
        return None


class DigitGallery(QListView):
    """Thumbnails in rows that wrap; click one for ``digit_clicked(key)``."""

    digit_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, wrap: bool = True,
                 caption_lines: int = 2, thumb: int = THUMB) -> None:
        super().__init__(parent)
        self.gallery = GalleryModel(self, thumb)
        self.setModel(self.gallery)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(thumb, thumb))
        self.caption_lines, self.wrap = caption_lines, wrap
        self._fit_grid()
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(wrap)
        if not wrap:
            self.setFlow(QListView.Flow.LeftToRight)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clicked.connect(lambda index: self.digit_clicked.emit(self.gallery.keys[index.row()]))

    def _fit_grid(self) -> None:
        """Each thumbnail's cell: the thumbnail, and its caption's lines in the current font."""
        thumb = self.iconSize().width()
        cell = QSize(thumb + (30 if self.caption_lines else 8),
                     thumb + 6 + self.caption_lines * self.fontMetrics().height())
        self.setGridSize(cell)
        if not self.wrap:  # one row, and room for its scroll bar
            bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
            self.setFixedHeight(cell.height() + bar + 2 * self.frameWidth() + 2)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a larger font (presenter mode)
            self._fit_grid()

    def set_digits(self, images: np.ndarray, captions: list[str], keys: list) -> None:
        self.gallery.set_digits(images, captions, keys)

    @property
    def keys(self) -> list:
        return self.gallery.keys

    def item_rect(self, row: int):
        """Where thumbnail ``row`` is drawn, in viewport coordinates (for tests)."""
        return self.visualRect(self.gallery.index(row))
