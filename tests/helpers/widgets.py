"""A widget shown on screen (offscreen) at a size, for tests of widgets that paint themselves."""

from __future__ import annotations


def shown(qtbot, widget, width: int, height: int):
    """``widget``, sized, shown and exposed; closed with the test."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
