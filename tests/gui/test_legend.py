"""Colour legends write short, round values and make room for them: none is cut off at the
legend's edge ("-1.5e-0" and "-0.000" were), whatever the scale of the values."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from ffn_gui.views.legend import Legend, LegendStrip, short


@pytest.mark.parametrize("value, text", [
    (0.0, "0"), (7e-5, "7e-5"), (-7e-5, "-7e-5"), (-1.5e-5, "-1.5e-5"), (0.00015, "1.5e-4"),
    (0.25, "0.25"), (-1.5, "-1.5"), (0.30000000000000004, "0.3"), (12.5, "12.5"),
    (120.0, "120"), (1130.0, "1130"), (2e5, "2e5"), (0.001, "0.001"),
])
def test_values_are_short_and_round(value, text):
    assert short(value) == text


def painted_columns(pixmap) -> list[bool]:
    """For each column of the pixmap, whether anything is painted in it."""
    image = pixmap.toImage()
    return [any(image.pixelColor(x, y).alpha() for y in range(image.height()))
            for x in range(image.width())]


@pytest.mark.parametrize("limit", [1.5e-5, 7e-5, 0.0015, 1.5, 1130.0])
@pytest.mark.parametrize("across", [False, True])
def test_no_value_is_cut_at_the_legends_edge(qtbot, limit, across):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 200)
    strip = LegendStrip(widget)
    strip.set([Legend(True, -limit, limit, "contribution w·a"),
               Legend(False, 0.0, limit, "activation a")])
    pixmap = (strip.pixmap_across(widget, 400) if across
              else strip.pixmap(widget, QRectF(0, 10, 0, 180)))
    painted = painted_columns(pixmap)
    assert any(painted)
    assert not any(painted[-2:]), "a value runs to the legend's right edge: it is cut"
    if not across:
        assert pixmap.width() == strip.width
