"""What the training loop reports and listens to: ``BatchProgress`` (a few times a second),
``EpochProgress`` (at every epoch end), ``TrainResult`` (the run's history) as frozen
dataclasses, and ``TrainControl``, the thread-safe Stop and Pause flags checked between batches.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BatchProgress:
    epoch: int  # 1-based
    epochs: int
    batch: int  # batches done in this epoch
    batches: int  # batches per epoch
    cost: float  # mean cost per example over the batches since the last report
    examples: int  # examples seen since the run started
    elapsed: float  # seconds of training, pauses excluded


@dataclass(frozen=True)
class EpochProgress:
    epoch: int
    epochs: int
    train_cost: float
    train_accuracy: float
    val_cost: float | None
    val_accuracy: float | None
    learning_rate: float
    elapsed: float
    eta: float  # seconds left at the mean epoch time so far


@dataclass(frozen=True)
class TrainResult:
    history: tuple[EpochProgress, ...]
    stopped: bool  # True when Stop ended the run early
    elapsed: float
    epochs_completed: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "epochs_completed", len(self.history))


class TrainControl:
    """Stop and Pause flags the loop checks between batches (thread-safe)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._on_stop: list[Callable[[], None]] = []

    def stop(self) -> None:
        for callback in self._on_stop:  # before the flag: the run has not stopped yet
            callback()
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    def when_stopped(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever Stop is asked, in the caller's thread, before the flag is
        set: a run in another process can be made ready to see it (the window's training
        child is put back at normal priority)."""
        self._on_stop.append(callback)

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def checks(self) -> tuple[Callable[[], bool], Callable[[], bool]]:
        """(stopped, running): the flags' own checks, the cheapest a loop can call per batch."""
        return self._stop.is_set, self._running.is_set

    def share(self, context) -> None:
        """Swap in flags made by the multiprocessing ``context``, in the same state, so that a
        child process forked afterwards sees Stop and Pause."""
        stop, running = context.Event(), context.Event()
        if self._stop.is_set():
            stop.set()
        if self._running.is_set():
            running.set()
        self._stop, self._running = stop, running

    def wait_while_paused(self) -> float:
        """Block while paused; return the seconds spent waiting."""
        if self._running.is_set():
            return 0.0
        t0 = time.perf_counter()
        self._running.wait()
        return time.perf_counter() - t0
