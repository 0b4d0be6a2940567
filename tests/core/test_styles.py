"""The styles proxy's digits (tests/helpers/styles.py): reproducible, every class and style
present, drawn like a mouse (points a few pixels apart), each readable as a digit-sized drawing."""

import numpy as np
from helpers.styles import STYLE_HEIGHT, TEMPLATES, make_digit, render_digit, style_digits

from core.preprocess import to_mnist


def test_style_digits_are_reproducible_and_take_the_classes_in_turn():
    a, b, c = style_digits(40, seed=3), style_digits(40, seed=3), style_digits(40, seed=4)
    assert [d.label for d in a] == [i % 10 for i in range(40)]
    for x, y in zip(a, b):
        assert x.style == y.style and all(np.array_equal(p, q) for p, q in zip(x.strokes, y.strokes))
    assert any(not np.array_equal(x.strokes[0], y.strokes[0]) for x, y in zip(a, c))
    assert style_digits(10, seed=3)[7].strokes[0].tolist() == a[7].strokes[0].tolist()


def test_the_styles_mnist_lacks_are_there():
    for label, style in [(0, "slashed"), (0, "open"), (1, "lead-in"), (1, "flag and foot"),
                         (7, "crossed"), (4, "open top"), (9, "straight tail")]:
        assert style in TEMPLATES[label]
    made = {(d.label, d.style) for d in style_digits(2000, seed=0)}
    assert made == {(label, s) for label, styles in TEMPLATES.items() for s in styles}


def test_every_template_draws_a_digit_shaped_like_a_mouse_drawing():
    rng = np.random.default_rng(0)
    for label, styles in TEMPLATES.items():
        for style in styles:
            digit = make_digit(label, style, rng)
            pts = np.concatenate(digit.strokes)
            w, h = np.ptp(pts, axis=0)
            assert 0.8 < h < 1.3 and 0.05 < w < 1.3, (label, style, w, h)
            steps = np.concatenate([np.hypot(*np.diff(s, axis=0).T) for s in digit.strokes])
            assert 0.003 < np.median(steps) < 0.1  # a few pixels apart on a 300-px board
            board = render_digit(digit.strokes)
            rows = np.flatnonzero(board.max(axis=1) > 0.5)
            assert abs((rows[-1] - rows[0]) / 280 - STYLE_HEIGHT) < 0.1
            x = to_mnist(board)
            assert x is not None and x.max() == 1.0
