"""Dropping files on a widget: one local image is accepted and its path told; others refused."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from ffn_gui.board.image_drop import ImageDrop


def mime(*paths: Path, text: str | None = None) -> QMimeData:
    data = QMimeData()
    if paths:
        data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    if text is not None:
        data.setText(text)
    return data


def drag_and_drop(widget, data) -> tuple[bool, bool]:
    """(the drag was accepted, the drop was accepted), through real events."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_one_local_image_is_accepted_and_told(qtbot, tmp_path):
    w = QWidget()
    qtbot.addWidget(w)
    drop = ImageDrop(w)
    assert w.acceptDrops()
    got = []
    drop.dropped.connect(got.append)
    assert drag_and_drop(w, mime(tmp_path / "seven.PNG")) == (True, True)
    assert got == [tmp_path / "seven.PNG"]
    for refused in (mime(tmp_path / "a.png", tmp_path / "b.png"), mime(tmp_path / "notes.txt"),
                    mime(text="7")):
        assert drag_and_drop(w, refused) == (False, False)
    assert len(got) == 1
