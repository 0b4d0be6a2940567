"""Not a digit in the window (issue 21): the prediction pane and ``MainWindow.reading()`` for a
model with a rejection rule, drawn with real mouse events; a model without one reads as before.

The model is the bundled one with a rule set through core's API (``RejectRule``) and saved, so
the window opens it as a user would. Its figures on these drawings: the style 7 at 99.99%, the
scribble read as an 8 at 34%; the rule's threshold, 90%, lies between.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers.handwriting import replay_digit
from helpers.styles import TEMPLATES, make_digit

from core.model_io import load_model, save_model
from core.reject import RejectRule
from ffn_gui import resources

SCRIBBLE = [np.array([[0.1, 0.1], [0.9, 0.2], [0.1, 0.4], [0.9, 0.5], [0.1, 0.75], [0.9, 0.9]]),
            np.array([[0.2, 0.0], [0.5, 1.0], [0.8, 0.0]])]


def seven():
    return make_digit(7, next(iter(TEMPLATES[7])), np.random.default_rng(0)).strokes


@pytest.fixture
def window(qtbot):
    from ffn_gui import MainWindow

    if not resources.bundled_model_path().is_file():
        pytest.skip("the bundled model is missing")
    w = MainWindow(search_data=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def ruled(window, tmp_path):
    """The window reading with the bundled model plus a rule: not a digit below 90% sure."""
    model = load_model(resources.bundled_model_path())
    model.network.reject = RejectRule("max_probability", 0.9)
    path = save_model(tmp_path / "ruled.npz", model.network, config=model.config,
                      metrics=model.metrics)
    assert window.open_model(path)
    assert window.session.reader.reject == RejectRule("max_probability", 0.9)
    return window


def test_a_drawn_digit_is_read(ruled, qtbot):
    emitted = []
    ruled.prediction_changed.connect(emitted.append)
    replay_digit(qtbot, ruled.canvas, seven())
    assert ruled.reading() == 7
    pane = ruled.prediction_pane
    assert pane.digit_label.text() == "7" and pane.predicted_digit() == 7
    assert pane.doubt() is None and pane.doubt_label.isHidden()
    assert emitted[-1].shape == (10,) and emitted[-1][7] > 0.9


def test_a_scribble_is_not_a_digit_and_the_pane_says_why(ruled, qtbot):
    replay_digit(qtbot, ruled.canvas, seven())
    emitted = []
    ruled.prediction_changed.connect(emitted.append)
    replay_digit(qtbot, ruled.canvas, SCRIBBLE)
    probs = emitted[-1]
    assert probs.shape == (10,) and probs.max() < 0.9  # the ten probabilities, still emitted
    assert ruled.reading() is None
    pane = ruled.prediction_pane
    assert pane.confidence_label.text() == "Not a digit" and pane.predicted_digit() is None
    guess = int(np.argmax(probs))
    assert pane.doubt() == (f"Its best guess, {guess}, is only {probs.max():.0%}: below this "
                            "model's threshold of 90% for a digit.")
    assert pane.doubt_label.isVisible() and pane.doubt_label.text() == pane.doubt()
    np.testing.assert_allclose(pane.probabilities(), probs)  # the bars still show them
    assert pane.bars._winner == -1  # none of them highlighted as the answer
    replay_digit(qtbot, ruled.canvas, seven())  # and back
    assert ruled.reading() == 7 and pane.doubt_label.isHidden()


def test_an_empty_board_reads_nothing(ruled, qtbot):
    assert ruled.reading() is None
    replay_digit(qtbot, ruled.canvas, SCRIBBLE)
    with qtbot.waitSignal(ruled.prediction_changed) as got:
        ruled.canvas.clear()
    assert got.args[0] is None and ruled.reading() is None
    assert ruled.prediction_pane.confidence_label.text() == "Draw a digit"
    assert ruled.prediction_pane.doubt_label.isHidden()


def test_a_model_without_a_rule_reads_the_scribble_as_before(window, qtbot):
    assert window.session.reader.reject is None  # the bundled model
    replay_digit(qtbot, window.canvas, SCRIBBLE)
    probs = window.session.drawing.probs
    assert window.reading() == int(np.argmax(probs))
    pane = window.prediction_pane
    assert pane.digit_label.text() == str(window.reading())
    assert pane.confidence_label.text() == f"{probs.max():.0%} sure"
    assert pane.doubt() is None and pane.doubt_label.isHidden()


@pytest.mark.parametrize(("rule", "score", "needle"), [
    (RejectRule("margin", 0.5), 0.2, "leads the next by only 20%: below this model's "
                                     "threshold of 50%"),
    (RejectRule("energy", 4.0), 3.25, "has an energy of only 3.25: below this model's "
                                      "threshold of 4.00"),
    (RejectRule("max_probability", 0.354), 0.351, "is only 35.1%: below this model's "
                                                  "threshold of 35.4%"),
])
def test_the_doubt_names_the_rules_score(rule, score, needle):
    from ffn_gui.views.prediction_view import Verdict, doubt

    probs = np.full(10, 0.65 / 9)
    probs[4] = 0.351 if rule.score == "max_probability" else 0.35
    text = doubt(probs, Verdict(None, rule, score))
    assert text.startswith("Its best guess, 4") and needle in text
