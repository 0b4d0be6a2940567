"""Dropping an image file on a widget (the board): accepts a local PNG, JPEG or BMP, tells its path.

``ImageDrop(widget)`` makes ``widget`` accept drops and watches its drag and drop events (an
event filter, so the widget's own class is not changed). A drag is accepted only when it carries
exactly one local file with an image suffix; the drop emits ``dropped(path)``. Reading the file
is ``core.images.read_image``'s job, so a file that only looks like an image still gets the
engine's error.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from core.images import SUFFIXES


def dropped_image(mime) -> Path | None:
    """The one local image file a drag carries, or None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in SUFFIXES else None


class ImageDrop(QObject):
    dropped = Signal(object)  # Path

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_image(event.mimeData()) is not None:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop:
            path = dropped_image(event.mimeData())
            if path is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            self.dropped.emit(path)
            return True
        return False
