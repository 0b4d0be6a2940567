"""Regression: PySide6 6.12.0 on CPython 3.11 dies with "Fatal Python error: bool_dealloc"
after a few hundred signal emissions to Python slots (a bool reference is mis-counted on every
emission). pyproject pins that release out; these tests push 20,000 emissions through the
app's own signal paths and must survive them.
"""

from __future__ import annotations

import PySide6
from PySide6.QtCore import QObject, QPoint, Qt, QThread, Signal, Slot
from PySide6.QtTest import QTest

from ffn_gui.work import workers

N = 20_000


def test_pyside_release_is_not_the_broken_one():
    assert PySide6.__version__ != "6.12.0"


def test_twenty_thousand_predictions_through_canvas_changed(window, qtbot):
    board = window.canvas.board_rect()
    points = [QPoint(round(board.x() + fx * board.width()), round(board.y() + fy * board.height()))
              for fx, fy in ((0.3, 0.25), (0.7, 0.25), (0.5, 0.75))]
    QTest.mousePress(window.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     points[0])
    for p in points[1:]:
        QTest.mouseMove(window.canvas, p)
    QTest.mouseRelease(window.canvas, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, points[-1])
    assert not window.canvas.is_empty()
    count = 0
    last = None

    def on_prediction(probs):
        nonlocal count, last
        count += 1
        last = probs

    window.prediction_changed.connect(on_prediction)
    for _ in range(N):
        window.canvas.changed.emit()  # the path of every stroke: changed -> predict -> emit
    assert count == N
    assert last.shape == (10,) and abs(last.sum() - 1) < 1e-6


def test_twenty_thousand_bool_emissions_through_the_eraser_toggle(window):
    seen = []
    window.eraser_action.toggled.connect(seen.append)  # toggled(bool) -> canvas.set_eraser too
    for _ in range(N):
        window.eraser_action.toggle()
    assert len(seen) == N and seen[-1] is False and window.canvas.eraser is False


class Emitter(workers.Worker):
    """Emits like a TrainWorker (tuples as ``object``) from its own thread."""

    progress = Signal(object)

    def work(self) -> None:
        for i in range(N):
            self.progress.emit((i, True))


class Sink(QObject):
    def __init__(self):
        super().__init__()
        self.n = 0
        self.last = None

    @Slot(object)
    def take(self, item):
        self.n += 1
        self.last = item


def test_twenty_thousand_queued_object_signals_across_threads(qtbot):
    sink = Sink()
    worker = Emitter()
    worker.progress.connect(sink.take)  # queued: the sink lives on the GUI thread
    job = workers.Job(worker)
    with qtbot.waitSignal(job.done, timeout=60_000):
        job.start()
    qtbot.waitUntil(lambda: sink.n == N, timeout=10_000)
    assert sink.last == (N - 1, True)
    assert QThread.currentThread() is sink.thread()
