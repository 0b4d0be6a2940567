"""Training off the GUI thread: ``TrainWorker`` runs ``core.run.train_run`` and passes on its
progress (bundled) and weight snapshots as signals; on Linux the run goes on in a child process
forked from the worker's thread, which only relays (see ``TrainWorker``).

The worker is a ``workers.Worker``, started with ``workers.Job`` like the others.
"""

from __future__ import annotations

import builtins
import dataclasses
import multiprocessing
import os
import sys
import time

from PySide6.QtCore import QThread, Signal
from threadpoolctl import threadpool_limits

from core import errors
from core.network import Network
from core.run import RunOutcome, train_run
from core.training import EpochProgress, TrainConfig, TrainControl

from .workers import Worker

# What a finished (or stopped) run hands back to the window: core's own outcome.
TrainOutcome = RunOutcome


class TrainWorker(Worker):
    """Trains ``network`` in place on ``data``; reports progress and weight snapshots.

    ``core.training.train`` reports a ``BatchProgress`` (the mean cost since the last one) at
    most every ``progress_interval`` seconds and an ``EpochProgress`` at every epoch end. The
    worker passes them on in tuples, at most one emission every ``min_gap`` seconds: a fine
    cost curve (20 points a second) for the price of five signals a second, and tiny epochs
    (hundreds a second) are bundled instead of flooding the GUI thread. A snapshot (a copy of
    the network, taken between batches, so it is consistent) goes with every emission holding
    an epoch end, and at least every ``snapshot_interval`` seconds, so the window can show the
    network learning.

    Where the platform forks (Linux), the run itself goes on in a child process (``PROCESS``)
    and this thread only relays its messages: a training thread shares the interpreter's lock
    with the GUI thread, and with a live view open the two took turns, the window's epochs
    nearly twice as long as ``ffn train``'s and its frames waiting for the lock. The child is
    forked from this thread, runs ``core.run.train_run`` on the same objects (nothing is
    imported or copied in), sends back plain arrays, and touches no Qt; Stop and Pause are the
    same ``TrainControl``, its flags shared with the child. It is ended by force only if it
    has not stopped ``KILL_AFTER`` seconds after being asked to.

    The GUI thread always wins the core: the child lowers its own CPU priority first thing
    (``lower_priority``: SCHED_IDLE, else nice 19), so it runs only on time the window does
    not want; where the run stays on this thread, the thread runs at Qt's lowest priority.
    """

    thread_priority = QThread.Priority.LowestPriority  # where the run is on the thread (macOS,
    # Windows); on Linux the thread only relays, and the child lowers itself

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
        keep_prepared: bool = True,
    ) -> None:
        super().__init__()
        self.network = network
        self.config = config
        self.data = data  # MnistData (train, test, source) or a bare Dataset
        self.control = control or TrainControl()
        self.progress_interval = progress_interval
        self.snapshot_interval = snapshot_interval
        self.min_gap = min_gap
        self.keep_prepared = keep_prepared  # train_run's cache: False for a one-off mix
        self.process = None  # the child process, while it runs
        if PROCESS:
            share_control(self.control, _FORK)

    def cancel(self) -> None:
        self.control.stop()

    def work(self) -> None:
        if PROCESS:
            self._relay_child()
        else:
            self.succeeded.emit(self._train(self.progress.emit,
                                            lambda: self.snapshot.emit(self.network.copy())))

    def _train(self, send_progress, send_snapshot) -> RunOutcome:
        """The run, with its reports bundled (see the class) and handed to the two senders."""
        pending: list = []
        last_emit = last_snapshot = -float("inf")

        def flush(now: float) -> None:
            nonlocal last_emit, last_snapshot
            epoch_end = any(isinstance(p, EpochProgress) for p in pending)
            send_progress(tuple(pending))
            pending.clear()
            last_emit = now
            if epoch_end or now - last_snapshot >= self.snapshot_interval:
                last_snapshot = now
                send_snapshot()

        def on_progress(p) -> None:
            pending.append(p)
            now = time.perf_counter()
            if now - last_emit >= self.min_gap:
                flush(now)

        try:
            # The run uses one BLAS thread: it keeps a core free for drawing, and more threads
            # spin for a core that is busy (docs/speed.md).
            with threadpool_limits(limits=1, user_api="blas"):
                return train_run(self.config, self.data, self.network, on_progress=on_progress,
                                 control=self.control, progress_interval=self.progress_interval,
                                 cache=self.keep_prepared)
        finally:
            if pending:
                flush(time.perf_counter())

    # --- in a child process ------------------------------------------------------------------

    def _relay_child(self) -> None:
        receive, send = _FORK.Pipe(duplex=False)
        self.process = _FORK.Process(target=self._child, args=(send,), daemon=True,
                                     name="ffn-gui training")
        self.process.start()
        pid = self.process.pid  # an idle child on a busy machine would not get to see Stop:
        self.control.when_stopped(lambda: restore_priority(pid))  # let it run and finish
        send.close()
        try:
            outcome = self._relay(receive)
        finally:
            receive.close()
            self._end_child()
        self.succeeded.emit(outcome)

    def _child(self, send) -> None:
        """In the child: the run, its reports and its end sent as plain arrays and values."""
        lower_priority()
        try:
            outcome = self._train(lambda items: send.send(("progress", items)),
                                  lambda: send.send(("snapshot", self._params())))
            send.send(("outcome", (dataclasses.replace(outcome, network=None), self._params())))
        except BaseException as error:  # noqa: BLE001 - every error reaches the user
            send.send(("error", (type(error).__name__, str(error))))
        finally:
            send.close()

    def _params(self) -> tuple[list, bool, object]:
        """The network's arrays, and what says how it reads: deskewed input, its rejection
        rule (set after a run with non-digits: without it the window's model would lose it)."""
        return [p.copy() for p in self.network.params], self.network.deskew, self.network.reject

    def _adopt(self, params: tuple[list, bool, object], network: Network) -> Network:
        """``network`` given the child's parameters (in place) and what it learned to read."""
        arrays, deskew, reject = params
        for p, a in zip(network.params, arrays, strict=True):
            p[...] = a
        network.deskew, network.reject = deskew, reject
        return network

    def _relay(self, receive) -> RunOutcome:
        stop_asked = None
        while True:
            if receive.poll(0.05):
                try:
                    kind, value = receive.recv()
                except EOFError:
                    raise self._died() from None
                if kind == "progress":
                    self.progress.emit(value)
                elif kind == "snapshot":
                    self.snapshot.emit(self._adopt(value, self.network.copy()))
                elif kind == "outcome":
                    outcome, params = value
                    return dataclasses.replace(outcome, network=self._adopt(params, self.network))
                else:
                    raise rebuilt_error(*value)
            elif not self.process.is_alive():
                raise self._died()
            if self.control.stopped:  # also while messages keep coming
                stop_asked = stop_asked or time.perf_counter()
                if time.perf_counter() - stop_asked > KILL_AFTER:
                    raise RuntimeError(f"the training process did not stop within {KILL_AFTER:g} "
                                       "s of being asked to, and was ended")

    def _died(self) -> RuntimeError:
        self.process.join(1)
        return RuntimeError(f"the training process ended unexpectedly (exit code "
                            f"{self.process.exitcode})")

    def _end_child(self) -> None:
        self.process.join(KILL_AFTER)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process.close()
        self.process = None


# A run in a child process where a fork is cheap and safe (the child never touches Qt): Linux.
PROCESS = sys.platform.startswith("linux")
_FORK = multiprocessing.get_context("fork") if PROCESS else None
KILL_AFTER = 10.0  # seconds a child may take to stop when asked


def lower_priority() -> str:
    """Have the calling process (the training child) run only when no other wants the CPU:
    SCHED_IDLE where there is one (Linux), else nice 19. Says which it got: "idle", "nice" or
    "unchanged" (a platform with neither)."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return "idle"
    except (AttributeError, OSError):
        pass
    try:
        os.nice(19 - os.nice(0))
        return "nice"
    except (AttributeError, OSError):
        return "unchanged"


def restore_priority(pid: int) -> bool:
    """Put process ``pid`` (the training child, asked to stop) back in the normal scheduling
    class, so that it stops at once even while other programs keep both cores busy: at
    SCHED_IDLE it would run only when nothing else wants the CPU. False where it cannot."""
    try:
        os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))
        return True
    except (AttributeError, OSError):
        return False


def share_control(control: TrainControl, context) -> None:
    """Give ``control`` process-shared flags (same state), so a forked child sees Stop/Pause."""
    control.share(context)


def rebuilt_error(name: str, message: str) -> Exception:
    """The child's error, crossed to the window's process as its class name and message: the
    engine's own (``core.errors``) and Python's built-in ones come back as themselves, any other
    as a RuntimeError that names it."""
    cls = getattr(errors, name, None) or getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(message)
        except Exception:  # noqa: BLE001 - a class that wants other arguments
            pass
    return RuntimeError(f"{name}: {message}")
