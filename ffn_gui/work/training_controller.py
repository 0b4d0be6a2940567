"""The training controller: owns the run's worker thread, Pause and Stop, and tells the Session.

``start(network, config, data)`` trains ``network`` in a ``TrainWorker`` on its own thread. The
controller announces the run through the ``Session`` (``run_started``, ``run_progress``,
``run_finished``, and each weight snapshot as the new ``reader``), so views follow a run
without the window relaying anything. When the thread has ended, ``done`` carries one
``RunFuture``: the outcome or the exception, read with ``result()`` / ``exception()`` as
Orange's ``Future``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from core.network import Network
from core.training import TrainConfig, TrainControl
from ffn_gui.state.session import Run, epochs_done

from . import train_worker, workers


@dataclass
class RunFuture:
    """One training run: its config and, once it has ended, its outcome or its exception."""

    config: TrainConfig
    continued: bool = False  # the run trains the current model further
    outcome: object = None  # train_worker.TrainOutcome
    error: BaseException | None = None

    def result(self):
        """The outcome; raises the exception that ended the run instead."""
        if self.error is not None:
            raise self.error
        return self.outcome

    def exception(self) -> BaseException | None:
        return self.error

    @property
    def value(self):
        """The outcome or the exception (what ``training_finished`` carries)."""
        return self.error if self.error is not None else self.outcome


class TrainingController(QObject):
    """Starts, pauses and stops runs; one at a time."""

    done = Signal(object)  # RunFuture, after the thread has ended
    paused_changed = Signal(bool)

    def __init__(self, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.job: workers.Job | None = None
        self.control: TrainControl | None = None
        self.future: RunFuture | None = None
        self.epochs_done = 0.0  # of the run going on, from its last progress report

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def paused(self) -> bool:
        return self.running and self.control.paused

    @property
    def worker(self) -> train_worker.TrainWorker | None:
        return self.job.worker if self.running else None

    def start(self, network: Network, config: TrainConfig, data, *, continued: bool = False,
              keep_prepared: bool = True, fine_tune: bool = False) -> RunFuture | None:
        """Train ``network`` (in place, on the worker's thread) on ``data``; None if a run is
        already going on. Takes a snapshot first: the board is read by the run's network.
        ``keep_prepared=False``: the data is a one-off (a fine-tune's mix), its prepared digits
        are not kept in the cache (``core.prepare``)."""
        if self.running:
            return None
        self.control = TrainControl()
        self.future = future = RunFuture(config, continued)
        self.epochs_done = 0.0
        worker = train_worker.TrainWorker(network, config, data, self.control,
                                     keep_prepared=keep_prepared)
        worker.progress.connect(self._on_progress)
        worker.snapshot.connect(self.session.set_reader)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        self.job = workers.Job(worker, self)
        self.job.done.connect(self._on_done)
        self.session.start_run(Run(config, continued, fine_tune))
        self.session.set_reader(network.copy())
        self.job.start()
        return future

    def pause(self) -> None:
        if self.running and not self.control.paused:
            self.control.pause()
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if self.running and self.control.paused:
            self.control.resume()
            self.paused_changed.emit(False)

    def toggle_pause(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def stop(self) -> None:
        """Ask the run to stop after the current mini-batch (the network so far is kept)."""
        if self.running:
            self.control.stop()
            self.paused_changed.emit(False)

    def shut_down(self, msecs: int) -> bool:
        """Stop the run and wait up to ``msecs`` for its thread (-1: no limit); True if it
        ended."""
        if self.job is None:
            return True
        if self.control is not None:
            self.control.stop()
        self.job.cancel()
        return self.job.wait(msecs)

    @Slot(object)
    def _on_progress(self, items) -> None:
        if items:
            self.epochs_done = epochs_done(items[-1])
        self.session.run_progress.emit(items)

    @Slot(object)
    def _on_succeeded(self, outcome) -> None:
        if self.future is not None:
            self.future.outcome = outcome

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        if self.future is not None:
            self.future.error = error

    @Slot()
    def _on_done(self) -> None:
        future, self.future = self.future, None
        if future.outcome is None and future.error is None:
            future.error = RuntimeError("the training worker ended without a result")
        self.session.end_run(future.value)
        self.done.emit(future)
