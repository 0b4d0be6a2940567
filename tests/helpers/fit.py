"""Whether a widget shows whole in a given room: hosted as the window hosts a view (in a scroll
area of exactly W×H), it needs no scroll bar, no two of its visible labels or buttons overlap,
no label's single line of text is wider than the label, and every one of them lies inside.
For the views' layout tests (tests/gui/test_views_fit.py)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QFrame, QLabel,
                               QScrollArea, QWidget)


def hosted(qtbot, view: QWidget, width: int, height: int) -> QScrollArea:
    """``view`` in a frameless, resizable scroll area whose viewport is ``width``×``height``
    (as ``view_tabs.ViewTabs`` hosts a view), shown and exposed. Keep what it returns: qtbot
    holds widgets weakly, and the scroll area owns the view."""
    scroll = QScrollArea()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setWidget(view)
    qtbot.addWidget(scroll)
    scroll.resize(width, height)
    scroll.show()
    qtbot.waitExposed(scroll)
    return scroll


def scrolls(scroll: QScrollArea) -> bool:
    return scroll.verticalScrollBar().isVisible() or scroll.horizontalScrollBar().isVisible()


def plain(label: QLabel) -> str:
    if label.textFormat() == Qt.TextFormat.PlainText or "<" not in label.text():
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def parts(root: QWidget) -> list[QWidget]:
    """The visible labels and buttons inside ``root``."""
    found = []
    for w in root.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.isVisibleTo(root) and w.width() > 0:
            found.append(w)
    return found


def scrolled(widget: QWidget, root: QWidget) -> bool:
    """Whether ``widget`` is inside a scroll area within ``root`` (it may lie out of sight)."""
    w = widget.parentWidget()
    while w is not None and w is not root:
        if isinstance(w, QAbstractScrollArea):
            return True
        w = w.parentWidget()
    return False


def rect_in(widget: QWidget, root: QWidget) -> QRect:
    """Where ``widget`` shows in ``root``: its rectangle cut to the viewports of the scroll
    areas it is in (empty when scrolled out of sight)."""
    rect = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
    w = widget.parentWidget()
    while w is not None and w is not root:
        if isinstance(w, QAbstractScrollArea):
            port = w.viewport()
            rect &= QRect(port.mapTo(root, QPoint(0, 0)), port.size())
        w = w.parentWidget()
    return rect


def problems(root: QWidget, room: QRect | None = None) -> list[str]:
    """What is wrong with how ``root`` shows its labels and buttons, within ``room`` (its own
    rectangle by default): overlaps, text wider than its label, parts outside."""
    room = room or root.rect()
    found = []
    shown = [w for w in parts(root) if not rect_in(w, root).isEmpty()]
    for w in shown:
        r = rect_in(w, root)
        name = f"{type(w).__name__} {getattr(w, 'text', lambda: '')()[:40]!r}"
        if not room.contains(r) and not scrolled(w, root):
            found.append(f"{name} at {r.getRect()} is outside {room.getRect()}")
        if isinstance(w, QLabel) and not w.wordWrap() and plain(w):
            need = max(w.fontMetrics().horizontalAdvance(line) for line in plain(w).split("\n"))
            if need > w.contentsRect().width() + 1:
                found.append(f"{name}: its text needs {need} px, it has {w.width()}")
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            overlap = rect_in(a, root).adjusted(1, 1, -1, -1) & rect_in(b, root)
            if not overlap.isEmpty():
                found.append(f"{type(a).__name__} {a.text()[:30]!r} overlaps "
                             f"{type(b).__name__} {b.text()[:30]!r}")
    return found
