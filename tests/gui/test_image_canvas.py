"""The weights view's self-painted image: each value a crisp block in its colour, the selected
tile framed, and a click reported in image coordinates. Real widgets, offscreen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt

from ffn_gui.views.image_canvas import ImageCanvas
from ffn_gui.views.legend import Legend
from helpers.widgets import shown


@pytest.fixture
def canvas(qtbot):
    return shown(qtbot, ImageCanvas(), 500, 300)


def pixel(canvas, x, y):
    image = canvas.grab().toImage()
    p = canvas.to_widget(x, y)
    r = image.devicePixelRatio()
    return image.pixelColor(round(p.x() * r), round(p.y() * r)).getRgb()[:3]


def test_values_are_crisp_blocks_in_their_colours_beside_the_legend(canvas):
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, (6, 9, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    canvas.set_image(rgba)
    canvas.set_legends([Legend(True, -0.7, 0.7, "weight w")])
    for row, col in ((0, 0), (2, 5), (5, 8)):
        assert pixel(canvas, col + 0.5, row + 0.5) == tuple(int(v) for v in rgba[row, col, :3])
    r = canvas.image_rect()
    assert r.width() / 9 == pytest.approx(r.height() / 6)  # square blocks
    assert r.right() <= canvas.width() - 74  # the legend's strip is kept free


def test_a_click_is_reported_in_image_coordinates_and_the_frame_drawn(canvas, qtbot):
    canvas.set_image(np.full((4, 4, 4), 255, np.uint8))
    p = canvas.to_widget(2.5, 1.5)
    with qtbot.waitSignal(canvas.clicked) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(p.x()), round(p.y())))
    x, y = signal.args
    assert 2 <= x < 3 and 1 <= y < 2
    canvas.set_frame(QRectF(1, 1, 2, 2))
    edge = canvas.to_widget(1, 2)
    image = canvas.grab().toImage()
    assert image.pixelColor(round(edge.x()), round(edge.y())).getRgb()[:3] != (255, 255, 255)
