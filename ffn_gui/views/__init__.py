"""The window's views: each a ``View`` (``base.py``) in a file of its own.

``VIEWS`` lists the view classes the window hosts, in tab order; adding a view is adding its
file and one line here. Each view shows whole, with no scroll bar, in 720×540 px (a 1366×768
laptop's view area) and in 680×430 (a 1024×640 screen's), fills larger areas, and takes a
larger font while shown: ``tests/gui/test_views_fit.py`` checks every view in ``VIEWS``.
"""

from __future__ import annotations

from .backprop_view import BackpropView
from .base import View
from .evaluation_view import EvaluationView
from .input_view import InputView
from .mydigits_view import MyDigitsView
from .network_view import NetworkView
from .plots_view import PlotsView
from .weights_view import WeightsView

VIEWS: list[type[View]] = [
    PlotsView,
    NetworkView,
    WeightsView,
    BackpropView,
    EvaluationView,
    MyDigitsView,
    InputView,
]

__all__ = ["VIEWS", "View"]
