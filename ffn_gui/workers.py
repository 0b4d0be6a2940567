"""Background work: training, loading data and downloading MNIST, each off the GUI thread.

The pattern is superqt's and Orange3's: a worker ``QObject`` is moved to its own ``QThread``,
``thread.started -> worker.run``, ``worker.finished -> thread.quit``. A worker owns no widgets;
it talks to the window only through signals, which Qt queues across threads. Stop, Pause and
Cancel are flags (``TrainControl``, ``threading.Event``) that the work checks between steps;
nothing is ever ``terminate()``d.

A ``Job`` (living on the GUI thread) holds the thread and the worker until the thread has
really ended, then emits ``done``. The window reports results from ``done``, so when a test sees
``training_finished`` there is no thread left running.

Neither the worker nor the thread is ``deleteLater()``d: the Job lets go of them from Python, on
the GUI thread, after the thread has ended, and Python's reference count deletes them there. A
``deleteLater`` has Qt destroy the object from C++, and ``~QObject`` asks PySide whether Python
overrides ``disconnectNotify`` (which takes the GIL) while it holds one of Qt's signal-slot
mutexes. With the GUI thread holding the GIL and waiting for that same mutex (any ``connect``,
say inside ``QLabel.setText``), both wait for ever: the soak hung once so, the worker being
destroyed on its own thread. Deleting from Python takes the GIL first, as every other path does.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from threadpoolctl import threadpool_limits

from core.network import Network
from core.run import RunOutcome, train_run
from core.training import EpochProgress, TrainConfig, TrainControl

# Every job whose thread has not yet been reaped (the test suite checks this is empty).
_jobs: set[Job] = set()


def running_jobs() -> list[Job]:
    """Jobs whose thread has been started and not yet reaped."""
    return list(_jobs)


class Worker(QObject):
    """Base worker: ``run`` calls ``work`` and turns any exception into ``failed``."""

    failed = Signal(object)  # the exception
    finished = Signal()

    @Slot()
    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # noqa: BLE001 - every error reaches the user
            self.failed.emit(error)
        finally:
            # Back to the GUI thread, where the Job lets go of it (see the module's docstring).
            self.moveToThread(QCoreApplication.instance().thread())
            self.finished.emit()

    def work(self) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        """Ask the work to stop soon (called from the GUI thread)."""


class Job(QObject):
    """One worker on its own thread; keeps both alive until the thread has ended."""

    done = Signal()

    def __init__(self, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(type(worker).__name__)
        self._finished = False
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and a queued quit would need the GUI thread's event
        # loop, which closeEvent's thread.wait() blocks.
        worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        # A bound method of an object on the GUI thread: queued, so _reap runs on the GUI thread.
        self.thread.finished.connect(self._reap)

    def start(self) -> Job:
        _jobs.add(self)
        self.thread.start()
        return self

    @property
    def running(self) -> bool:
        return not self._finished

    def cancel(self) -> None:
        if not self._finished:
            self.worker.cancel()

    def wait(self, msecs: int = 2000) -> bool:
        """Block until the thread has ended (or ``msecs`` passed, -1: no limit); True if it
        ended."""
        if self._finished:
            return True
        ended = self.thread.wait() if msecs < 0 else self.thread.wait(msecs)
        if ended:
            self._reap()
        return ended

    @Slot()
    def _reap(self) -> None:
        if self._finished:
            return
        self.thread.wait()  # `finished` is emitted just before the thread really returns
        self._finished = True
        _jobs.discard(self)
        self.done.emit()
        # Let go of the thread and the worker: Python deletes them here, holding the GIL.
        self.thread = self.worker = None


def start(worker: Worker, parent: QObject | None = None) -> Job:
    """Run ``worker`` on a new thread."""
    return Job(worker, parent).start()


# --- training ----------------------------------------------------------------------------------


# What a finished (or stopped) run hands back to the window: core's own outcome.
TrainOutcome = RunOutcome


class TrainWorker(Worker):
    """Trains ``network`` in place on ``data``; reports progress and weight snapshots.

    ``core.training.train`` reports a ``BatchProgress`` (the mean cost since the last one) at
    most every ``progress_interval`` seconds and an ``EpochProgress`` at every epoch end. The
    worker passes them on in tuples, at most one emission every ``min_gap`` seconds: a fine
    cost curve (20 points a second) for the price of five signals a second, and tiny epochs
    (hundreds a second) are bundled instead of flooding the GUI thread. A snapshot
    (``network.copy()``, taken here on the training thread between batches, so it is
    consistent) goes with every emission holding an epoch end, and at least every
    ``snapshot_interval`` seconds, so the window can show the network learning.
    """

    progress = Signal(object)  # tuple of BatchProgress | EpochProgress, oldest first
    snapshot = Signal(object)  # Network
    succeeded = Signal(object)  # TrainOutcome

    def __init__(
        self,
        network: Network,
        config: TrainConfig,
        data,
        control: TrainControl | None = None,
        *,
        progress_interval: float = 0.05,
        snapshot_interval: float = 0.5,
        min_gap: float = 0.2,
    ) -> None:
        super().__init__()
        self.network = network
        self.config = config
        self.data = data  # MnistData (train, test, source) or a bare Dataset
        self.control = control or TrainControl()
        self.progress_interval = progress_interval
        self.snapshot_interval = snapshot_interval
        self.min_gap = min_gap

    def cancel(self) -> None:
        self.control.stop()

    def work(self) -> None:
        pending: list = []
        last_emit = last_snapshot = -float("inf")

        def flush(now: float) -> None:
            nonlocal last_emit, last_snapshot
            epoch_end = any(isinstance(p, EpochProgress) for p in pending)
            self.progress.emit(tuple(pending))
            pending.clear()
            last_emit = now
            if epoch_end or now - last_snapshot >= self.snapshot_interval:
                last_snapshot = now
                self.snapshot.emit(self.network.copy())

        def on_progress(p) -> None:
            pending.append(p)
            now = time.perf_counter()
            if now - last_emit >= self.min_gap:
                flush(now)

        try:
            # The window trains on one BLAS thread: it keeps a core free for drawing, and more
            # threads spin for a core that is busy (README, Speed).
            with threadpool_limits(limits=1, user_api="blas"):
                outcome = train_run(self.config, self.data, self.network,
                                    on_progress=on_progress, control=self.control,
                                    progress_interval=self.progress_interval)
        finally:
            if pending:
                flush(time.perf_counter())
        self.succeeded.emit(outcome)


# --- data --------------------------------------------------------------------------------------


class LoadDataWorker(Worker):
    """Finds and loads MNIST off the GUI thread (reading 60,000 images takes about half a second).

    ``search=True`` (start-up) tries ``path`` (the last folder used) and then ``find_mnist()``'s
    places ($MNIST_DIR, the download folder); when none holds MNIST it emits ``not_found`` with
    the engine's message. ``search=False`` loads ``path`` itself (a folder of IDX files, a
    Kaggle CSV or a Keras .npz) and reports any problem through ``failed``.
    """

    succeeded = Signal(object)  # MnistData
    not_found = Signal(str)

    def __init__(self, path: Path | str | None = None, *, search: bool = True) -> None:
        super().__init__()
        self.path = None if path is None else Path(path)
        self.search = search

    def work(self) -> None:
        from core.data import find_mnist, load_data
        from core.errors import DataError

        path = self.path
        if self.search:
            path = None
            for candidate in dict.fromkeys([self.path, None]):
                try:
                    path = find_mnist(candidate)
                    break
                except DataError as error:
                    message = str(error)
            if path is None:
                self.not_found.emit(message)
                return
        self.succeeded.emit(load_data(path))


class DownloadWorker(Worker):
    """Downloads MNIST with ``core.download.download_mnist``; ``cancel()`` stops it.

    Byte progress is passed on at most every ``interval`` seconds (and once at the end)."""

    progress = Signal(object, object)  # bytes done, bytes total (None when unknown)
    succeeded = Signal(object)  # the folder holding the files

    def __init__(self, dest: Path | str | None = None, *, interval: float = 0.1, **options):
        super().__init__()
        self.dest = dest
        self.options = options  # mirrors, files, timeout, allow_insecure_localhost
        self.interval = interval
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def work(self) -> None:
        from core.download import download_mnist

        last = -float("inf")

        def on_progress(done: int, total: int | None) -> None:
            nonlocal last
            now = time.perf_counter()
            if now - last >= self.interval or (total and done >= total):
                last = now
                self.progress.emit(done, total)

        folder = download_mnist(
            self.dest, progress=on_progress, cancel=self._cancel, **self.options
        )
        self.succeeded.emit(Path(folder))
