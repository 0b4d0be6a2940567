"""Background work off the GUI thread: the ``Worker`` and ``Job`` pattern, and the workers that
load and download MNIST (training's is in ``train_worker.py``).

The pattern is superqt's and Orange3's, with one difference: a worker ``QObject`` and its own
``QThread``, ``thread.started -> worker.run`` (a direct connection, so ``run`` runs on the new
thread), ``worker.finished -> thread.quit``. A worker owns no widgets;
it talks to the window only through signals, which Qt queues across threads. Stop, Pause and
Cancel are flags (``TrainControl``, ``threading.Event``) that the work checks between steps;
no thread is ever ``terminate()``d. (A training run goes on in a child process on Linux, see
``train_worker.TrainWorker``; that process is killed only if it has not stopped 10 s after
being asked.)

A ``Job`` (living on the GUI thread) holds the thread and the worker until the thread has
really ended, then emits ``done``. The window reports results from ``done``, so when a test sees
``training_finished`` there is no thread left running.

The worker is never moved to its thread: it lives on the GUI thread from start to end, and its
signals, emitted from the work's thread, reach the GUI thread's objects queued, as Qt does for a
receiver on another thread. A ``moveToThread`` (there, or back at the end) takes Qt's
signal-slot mutexes while the calling thread holds the GIL; whenever the GUI thread destroyed a
``QObject`` from C++ at that moment (a ``deleteLater``, a closed window pytest-qt deletes),
``~QObject`` asks PySide whether Python overrides ``disconnectNotify``, which takes the GIL while
holding one of those mutexes, and both threads waited for ever (the suite hung so in the window
fixture, twice). For the same reason neither the worker nor the thread is ``deleteLater()``d:
the Job lets go of them from Python, on the GUI thread, after the thread has ended, and Python's
reference count deletes them there, holding the GIL first, as every other path does.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

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
        # Direct: run() runs on the new thread, the worker staying on the GUI thread (see the
        # module's docstring: no moveToThread, which could deadlock with a C++ deletion).
        self.thread.started.connect(worker.run, Qt.ConnectionType.DirectConnection)
        # Direct: quit() is thread-safe, and a queued quit would need the GUI thread's event
        # loop, which closeEvent's thread.wait() blocks.
        worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        # A bound method of an object on the GUI thread: queued, so _reap runs on the GUI thread.
        self.thread.finished.connect(self._reap)

    def start(self) -> Job:
        _jobs.add(self)
        inherit = QThread.Priority.InheritPriority
        self.thread.start(getattr(self.worker, "thread_priority", inherit))
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
