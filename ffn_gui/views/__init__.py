"""The window's views: each a ``View`` (``base.py``) in a file of its own.

``VIEWS`` lists the view classes the window hosts, in tab order; adding a view is adding its
file and one line here.
"""

from __future__ import annotations

from .base import View

VIEWS: list[type[View]] = []

__all__ = ["VIEWS", "View"]
