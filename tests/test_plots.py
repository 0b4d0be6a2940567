"""The training plots. Real widgets, offscreen."""

from __future__ import annotations

import math

import pytest

from core.training import BatchProgress, EpochProgress
from ffn_gui.plots import TrainingPlots

REPORTS = 8  # batch reports per epoch in these runs


@pytest.fixture
def plots(qtbot) -> TrainingPlots:
    p = TrainingPlots()
    qtbot.addWidget(p)
    p.resize(720, 300)
    p.show()
    qtbot.waitExposed(p)
    return p


def feed(plots: TrainingPlots, epochs: int = 3, level: float = 0.0, test: float | None = 0.95):
    """A plausible run: costs falling from 2.3, accuracies rising; ``level`` shifts it."""
    plots.reset(epochs, REPORTS)
    for e in range(1, epochs + 1):
        items = []
        for b in range(1, REPORTS + 1):
            x = e - 1 + b / REPORTS
            items.append(BatchProgress(e, epochs, b * 10, REPORTS * 10,
                                       2.3 * math.exp(-2 * x) + 0.05 + level, 0, 0.0))
        cost = 2.3 * math.exp(-2 * e) + 0.04 + level
        items.append(EpochProgress(e, epochs, cost, 0.9 + 0.02 * e - level, 1.1 * cost,
                                   0.89 + 0.02 * e - level, 0.1, float(e), 0.0))
        plots.add_progress(items)
    plots.set_test_accuracy(test)


def test_test_line_label_reads_the_test_accuracy(plots):
    feed(plots, test=None)
    assert not plots.test_line.isVisible()
    plots.set_test_accuracy(0.9375)
    assert plots.test_line.isVisible()
    assert plots.test_line.label.toPlainText() == "test 93.75%"
    # a second run with the same accuracy: the line was hidden in between
    feed(plots, test=0.9375)
    assert plots.test_line.label.toPlainText() == "test 93.75%"
    plots.set_test_accuracy(0.5)
    assert plots.test_line.label.toPlainText() == "test 50.00%"
