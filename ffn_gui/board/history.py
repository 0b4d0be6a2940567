"""The drawing board's history: a list of entries, oldest first, each a ``Stroke``, ``CLEAR``
(wipes the board, so Clear can be undone) or a ``Picture`` (replaces the board by an image;
strokes drawn after it go on top). What the board shows is the last boundary (a clear or a
picture) and the strokes after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QImage

from .ink import Stroke

CLEAR = None  # an entry of the history that wipes the board (so Clear can be undone)


@dataclass
class Picture:
    """An entry of the history that replaces the board by an image (an opened or dropped file);
    strokes drawn after it go on top of it."""

    image: QImage  # RESOLUTION square, Format_Grayscale8, white ink on black


def is_boundary(entry) -> bool:
    """True for an entry that hides what came before it (a clear or a picture)."""
    return entry is CLEAR or isinstance(entry, Picture)


def picture_of(history: list) -> Picture | None:
    """The picture the live strokes are drawn over, if any."""
    for entry in reversed(history):
        if is_boundary(entry):
            return entry if entry is not CLEAR else None
    return None


def live_strokes(history: list) -> list[Stroke]:
    """The strokes after the last clear (a walk back from the end: the cost does not grow
    with the history)."""
    live: list[Stroke] = []
    for entry in reversed(history):
        if is_boundary(entry):
            break
        live.append(entry)
    live.reverse()
    return live


def trim(history: list, limit: int) -> None:
    """Forget the oldest drawings once ``history`` holds over ``limit`` entries: everything up
    to the first clear goes, so undo still ends on the (empty) board that clear left."""
    while len(history) > limit:
        try:
            first_clear = history.index(CLEAR)
        except ValueError:
            return  # one long drawing: keep all of it
        del history[: first_clear + 1]
