"""The window's views: each a ``View`` (``base.py``) in a file of its own.

``VIEWS`` lists the view classes the window hosts, in tab order; adding a view is adding its
file and one line here.
"""

from __future__ import annotations

from .base import View
from .evaluation_view import EvaluationView

VIEWS: list[type[View]] = [
    EvaluationView,
]

__all__ = ["VIEWS", "View"]
