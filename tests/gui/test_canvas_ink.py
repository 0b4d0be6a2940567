"""The eraser leaves nothing behind, and the cursor is a circle of the brush's size."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.mouse import LEFT, NOMOD, RIGHT, at, stroke  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from core.preprocess import to_mnist
from ffn_gui.board.canvas import GRID, DrawingCanvas
from ffn_gui.board.ink import Stroke

# A curved, slanted stroke: pointer positions off the pixel grid, as a hand sends them.
PATH = [(6 + 0.37 * i, 8 + 0.53 * i + 2 * np.sin(i / 5)) for i in range(30)]


@pytest.fixture
def canvas(qtbot) -> DrawingCanvas:
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(400, 400)
    c.show()
    qtbot.waitExposed(c)
    return c



@pytest.mark.parametrize("brush,eraser", [(2.2, 2.2), (2.2, 3.5), (1.0, 1.0), (5.0, 6.0)])
@pytest.mark.parametrize("how", ["right button", "eraser tool"])
def test_erasing_a_stroke_along_its_path_leaves_nothing(canvas, brush, eraser, how):
    canvas.set_brush_size(brush)
    stroke(canvas, PATH)
    assert canvas.image().max() == 1.0
    canvas.set_brush_size(eraser)
    if how == "right button":
        stroke(canvas, PATH, RIGHT)
    else:
        canvas.set_eraser(True)
        stroke(canvas, PATH)
    image = canvas.image()
    assert image.max() == 0.0, f"{np.count_nonzero(image)} pixels left, up to {image.max():.3f}"
    assert canvas.is_empty() and to_mnist(image) is None  # the network sees an empty board


def test_erasing_one_stroke_leaves_exactly_the_other(canvas, qtbot):
    """What the network reads after erasing is what it reads had the stroke never been drawn:
    a faint fringe would be scaled up to full ink by the MNIST-style preprocessing."""
    keep = [(5, 3), (14, 3.5), (24, 3)]  # well clear of PATH (y >= 8)
    stroke(canvas, keep)
    stroke(canvas, PATH)
    stroke(canvas, PATH, RIGHT)  # the same brush size
    clean = DrawingCanvas()
    qtbot.addWidget(clean)
    clean.resize(400, 400)
    stroke(clean, keep)
    assert np.array_equal(canvas.image(), clean.image())
    assert np.array_equal(to_mnist(canvas.image()), to_mnist(clean.image()))


def test_undo_redo_of_an_erase_is_exact(canvas):
    stroke(canvas, PATH)
    stroke(canvas, PATH, RIGHT)
    canvas.undo()
    canvas.redo()
    assert canvas.image().max() == 0.0


# --- the cursor --------------------------------------------------------------------------------


def _cursor_image(canvas) -> QImage:
    return canvas.cursor().pixmap().toImage()


def _cursor_diameter(canvas) -> float:
    """The white ring's diameter in logical pixels, measured across the cursor's middle row."""
    pixmap = canvas.cursor().pixmap()
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    w, h = image.width(), image.height()
    bits = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h)
    pixels = bits.reshape(h, image.bytesPerLine())[:, : 4 * w].reshape(h, w, 4)  # B, G, R, A
    white = np.flatnonzero((pixels[h // 2, :, 2] > 180) & (pixels[h // 2, :, 3] > 180))
    return (white[-1] - white[0]) / pixmap.devicePixelRatio()


def test_cursor_is_a_circle_of_the_brush_size(canvas):
    assert canvas.cursor().shape() == Qt.CursorShape.BitmapCursor
    per_input = canvas.board_rect().width() / GRID
    sizes = {}
    for brush in (1.0, 2.2, 5.0):
        canvas.set_brush_size(brush)
        sizes[brush] = _cursor_diameter(canvas)
        assert sizes[brush] == pytest.approx(brush * per_input, abs=2)  # on the pen's edge
        hot = canvas.cursor().hotSpot()
        side = canvas.cursor().pixmap().width() / canvas.cursor().pixmap().devicePixelRatio()
        assert abs(hot.x() - side / 2) <= 1 and abs(hot.y() - side / 2) <= 1
    assert sizes[1.0] < sizes[2.2] < sizes[5.0]


def test_cursor_follows_the_eraser_and_the_board_size(canvas):
    canvas.set_brush_size(3.0)
    brush = _cursor_image(canvas)
    canvas.set_eraser(True)
    eraser = _cursor_image(canvas)
    assert eraser != brush  # dashed
    expected = Stroke(3.0, erase=True).drawn_width * canvas.board_rect().width() / GRID
    assert _cursor_diameter(canvas) == pytest.approx(expected, abs=2)
    canvas.set_eraser(False)
    before = _cursor_diameter(canvas)
    canvas.resize(600, 600)
    assert _cursor_diameter(canvas) == pytest.approx(before * 1.5, abs=2)


def test_right_button_shows_the_eraser_ring_while_it_erases(canvas):
    brush = _cursor_image(canvas)
    QTest.mousePress(canvas, RIGHT, NOMOD, at(canvas, 10, 10))
    assert _cursor_image(canvas) != brush
    QTest.mouseRelease(canvas, RIGHT, NOMOD, at(canvas, 12, 10))
    assert _cursor_image(canvas) == brush
