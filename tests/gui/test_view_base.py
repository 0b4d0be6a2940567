"""The view interface: hidden views do no work; a burst of changes is one refresh a frame."""

from PySide6.QtWidgets import QTabWidget

from ffn_gui.state.session import Drawing, Session
from ffn_gui.views.base import View


class Counting(View):
    name = "counting"
    title = "Counting"

    def __init__(self, session):
        super().__init__(session)
        session.drawing_changed.connect(self.request_refresh)
        self.seen = []

    def refresh(self):
        self.seen.append(self.session.drawing)


def test_hidden_view_does_no_work_and_catches_up_when_shown(qtbot):
    session = Session()
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    first, second = Counting(session), Counting(session)
    tabs.addTab(first, "first")
    tabs.addTab(second, "second")
    tabs.show()
    qtbot.waitUntil(lambda: first.refreshes == 1)
    assert second.refreshes == 0  # never shown yet
    for _ in range(5):
        session.set_drawing(Drawing())
    qtbot.waitUntil(lambda: first.refreshes == 2)  # five changes, one refresh
    qtbot.wait(50)
    assert first.refreshes == 2
    assert second.refreshes == 0 and second.dirty
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: second.refreshes == 1)
    assert not second.dirty


def test_flush_refreshes_at_once_only_when_needed(qtbot):
    session = Session()
    view = Counting(session)
    qtbot.addWidget(view)
    view.show()
    view.flush()
    assert view.refreshes == 1
    view.flush()
    assert view.refreshes == 1
    session.set_drawing(Drawing())
    view.flush()
    assert view.refreshes == 2


def test_a_change_after_a_quiet_frame_is_drawn_at_once_and_a_burst_once_a_frame(qtbot):
    import time

    session = Session()
    view = Counting(session)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.refreshes == 1)
    qtbot.wait(40)  # a quiet frame
    session.set_drawing(Drawing())
    assert view._timer.isActive() and view._timer.interval() == 0  # not held back a frame
    qtbot.waitUntil(lambda: view.refreshes == 2)
    times = []
    view.refresh = lambda: times.append(time.perf_counter())
    end = time.perf_counter() + 0.2
    while time.perf_counter() < end:  # a change every 2 ms for 200 ms
        session.set_drawing(Drawing())
        qtbot.wait(2)
    qtbot.waitUntil(lambda: not view.dirty)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) <= 200 / 16 + 2
    assert min(gaps) >= 0.015  # at most once a frame (timers may fire a little early)
