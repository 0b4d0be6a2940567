"""ffn-gui's window: draw a digit, watch a from-scratch NumPy network read it and learn MNIST.

``ffn_gui`` is view and glue only; the math and the data are in ``core``. ``MainWindow`` is
imported lazily so that ``import ffn_gui`` (and ``ffn-gui --help``) does not load Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ffn_gui.shell.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from ffn_gui.shell.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
