"""The keys of a view that works on one digit: a digit key (0-9, keypad too) chooses it, and
Ctrl+Z inside the view undoes the view's own last change, never the window's last stroke (not
even when the view has nothing left to undo). A mixin before ``View`` in a view's bases; the
view gives ``undo() -> bool``, ``digit_chosen(k)`` and ``nothing_to_undo()``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence


class DigitKeys:
    def event(self, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride
                and event.matches(QKeySequence.StandardKey.Undo)):
            event.accept()  # the window's Ctrl+Z (undo stroke) does not fire here
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.matches(QKeySequence.StandardKey.Undo):
            if not self.undo():
                self.nothing_to_undo()
            return
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and plain:
            self.digit_chosen(int(key - Qt.Key.Key_0))
            return
        super().keyPressEvent(event)
