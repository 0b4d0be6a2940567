"""The backprop view's self-painted panels. Bars: round ticks, the bars painted where their
values are, in their colours, and a click on a digit's bar naming the digit. Grids: each cell
painted in its value's colour, the legend's limit holding every value, and a click naming the
cell. Real widgets, offscreen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from ffn_gui.views import colors
from ffn_gui.views.backprop_panels import GridsPanel
from ffn_gui.views.bars_panel import GREY, OKABE_ITO, BarsPanel, ticks
from helpers.widgets import shown


@pytest.mark.parametrize("lo,hi", [(0, 1), (-0.55, 0.55), (0, 7e-5), (-2.2, 0.3)])
def test_ticks_are_round_and_span_the_range(lo, hi):
    t = ticks(lo, hi)
    assert 2 <= len(t) <= 6
    assert lo - 1e-12 <= t[0] and t[-1] <= hi + 1e-12
    step = np.diff(t)
    assert np.allclose(step, step[0])
    mantissa = step[0] / 10 ** np.floor(np.log10(step[0]))
    assert min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-6


def colour_at(panel, x, y):
    image = panel.grab().toImage()
    p = panel.to_widget(x, y)
    r = image.devicePixelRatio()
    return image.pixelColor(round(p.x() * r), round(p.y() * r)).getRgb()[:3]


@pytest.fixture
def panel(qtbot):
    return shown(qtbot, BarsPanel("outputs"), 500, 220)


def test_bars_are_painted_at_their_values_in_their_colours(panel):
    values = np.linspace(0.1, 1.0, 10)
    panel.show_bars(values, highlight=6)
    for d in (2, 6, 9):
        inside, above = colour_at(panel, d, values[d] * 0.5), colour_at(panel, d, values[d] + 0.03)
        assert inside == (OKABE_ITO[1] if d == 6 else OKABE_ITO[0])
        assert above not in (OKABE_ITO[0], OKABE_ITO[1])  # the bar ends at its value
    panel.show_before_after(values, values[::-1], 3)
    assert "towards 3" in panel.title and panel.names == ["before", "after"]
    assert colour_at(panel, 4 - 0.2, 0.05) == GREY and colour_at(panel, 4 + 0.2, 0.05) == OKABE_ITO[1]


def test_negative_bars_hang_below_zero(panel):
    values = np.array([-0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, -0.2])
    panel.show_groups([values])
    lo, hi = panel.y_range
    assert lo < -0.5 and hi > 0.5
    assert colour_at(panel, 0, -0.3) == OKABE_ITO[0] and colour_at(panel, 0, 0.3) != OKABE_ITO[0]


def test_a_click_over_a_digit_names_it(panel, qtbot):
    panel.show_bars(np.linspace(0.1, 1.0, 10))
    with qtbot.waitSignal(panel.clicked) as signal:
        p = panel.to_widget(7, 0.95)  # above its bar (0.8), still over the digit
        qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
    assert signal.args == [7]


@pytest.fixture
def grids(qtbot):
    return shown(qtbot, GridsPanel(), 700, 300)


def test_each_cell_is_painted_in_its_values_colour(grids):
    rng = np.random.default_rng(0)
    arrays = [rng.normal(0, 0.3, 32), rng.normal(0, 0.1, 24)]
    grids.show_grids(arrays, ["δ²", "δ³"])
    assert grids.limit >= max(np.abs(a).max() for a in arrays)
    image = grids.grab().toImage()
    r = image.devicePixelRatio()
    for layer, a in enumerate(arrays):
        for index in (0, 5, a.size - 1):
            p = grids.to_widget(layer, index)
            painted = image.pixelColor(round(p.x() * r), round(p.y() * r)).getRgb()[:3]
            expected = colors.signed_rgba(np.array([a[index]]), grids.limit)[0][:3]
            assert painted == tuple(int(c) for c in expected)


def test_a_click_on_a_cell_names_its_layer_and_index(grids, qtbot):
    grids.show_grids([np.ones(32), np.ones(24)], ["δ²", "δ³"])
    p = grids.to_widget(1, 17)
    with qtbot.waitSignal(grids.clicked) as signal:
        qtbot.mouseClick(grids, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
    assert signal.args == [1, 17]
    single = shown(qtbot, GridsPanel(single=True), 300, 300)
    single.show_grids([np.ones(784)], ["∂C/∂w"], [(28, 28)])
    with qtbot.assertNotEmitted(single.clicked):
        p = single.to_widget(0, 400)
        qtbot.mouseClick(single, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
