"""What the window knows, and who is told when it changes.

A ``Session`` holds the window's state as plain attributes and announces each change with one
signal. Views and controllers connect to the signals they need; the window does not relay
messages from one part to another. Only the owner of a piece of state calls its setter:

| state | set by | signal |
| --- | --- | --- |
| ``model``: the current model (network and what is known about it) | the window / controllers | ``model_changed(model)`` |
| ``reader``: the ``Network`` reading the board: the model's, or a run's latest snapshot | the window / the training controller | ``reader_changed(network)`` |
| ``drawing``: the image, its 28×28 input, the probabilities, where it came from (``source``: the board or "test digit #k") and its true digit when known (``label``) | the window (from ``canvas.changed``), the Evaluation view (a test digit) | ``drawing_changed(drawing)`` |
| ``data``: the loaded ``MnistData`` | the data controller | ``data_changed(data)`` |
| ``run``: the training run going on (``Run``: its config, whether it trains the current model further, whether it is a fine-tune), None when idle; ``running`` | the training controller (``start_run``, ``end_run``) | ``run_started(config)``, ``run_progress(items)``, ``run_finished(outcome or exception)`` |
| ``train_config``: the training settings' form as a ``TrainConfig`` (None while a field is invalid): what the next run will use | the training panel | ``train_config_changed(config)`` |

The session also owns the objects every part of the window shares, made once here and never
looked up: ``inspection`` (``ffn_gui.state.inspection.Inspection``: the selected neuron and the last
run's history, made with the session so it hears a run from its start) and ``my_digits`` (the
``ffn_gui.state.my_digits.MyDigitsStore``, opened from the user's data folder on first use).

``model_edited()`` says that the current model's parameters were changed in place (e.g. one
step of backprop taken by a view): ``model_changed`` is emitted again with the same object.
The reader is never an array a training thread is writing to: during a run it is a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from core.training import BatchProgress

from .inspection import Inspection
from .model_state import UNTITLED
from .my_digits import MyDigitsStore

BOARD = "the board"


@dataclass(frozen=True)
class Run:
    """A training run: what the window says about it is derived from this."""

    config: Any  # TrainConfig
    continued: bool = False  # it trains the current model further (Continue, a fine-tune)
    fine_tune: bool = False  # on my digits mixed with MNIST

    def network_name(self, model) -> str:
        """The name of the network being trained: the model's when the run trains it further
        (not the bundled one: the result is the user's own), else untitled."""
        keep = self.continued and model is not None and not model.bundled
        return model.name if keep else UNTITLED

    def describe(self) -> str:
        return ("fine-tuning" if self.fine_tune else
                "training further" if self.continued else "training")


def epochs_done(item) -> float:
    """How far a progress report is into the run, in epochs (1.5: half-way through epoch 2)."""
    if isinstance(item, BatchProgress):
        return item.epoch - 1 + item.batch / item.batches
    return float(item.epoch)


@dataclass(frozen=True)
class Drawing:
    """The board as the network reads it. All None when the board is empty."""

    image: np.ndarray | None = None  # float (H, W) in [0, 1], white ink on black
    x28: np.ndarray | None = None  # float32 (28, 28): the network's input
    probs: np.ndarray | None = None  # (10,) probabilities from ``network``
    network: Any = None  # the Network that produced ``probs``
    source: str = BOARD  # where it came from: the board, or "test digit #k"
    label: int | None = None  # the digit it really is, when known (a test digit's label)

    @property
    def empty(self) -> bool:
        return self.x28 is None

    @property
    def from_board(self) -> bool:
        return self.source == BOARD


class Session(QObject):
    model_changed = Signal(object)  # the model (ModelState)
    reader_changed = Signal(object)  # Network
    drawing_changed = Signal(object)  # Drawing
    data_changed = Signal(object)  # MnistData
    run_started = Signal(object)  # TrainConfig
    run_progress = Signal(object)  # tuple of BatchProgress | EpochProgress, oldest first
    run_finished = Signal(object)  # the run's outcome, or the exception that ended it
    train_config_changed = Signal(object)  # TrainConfig, or None while the form has an error

    def __init__(self, model: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.reader = None if model is None else model.network
        self.drawing = Drawing()
        self.data = None
        self.run: Run | None = None
        self.train_config = None
        self.inspection = Inspection(self)

    @cached_property
    def my_digits(self) -> MyDigitsStore:
        """The user's digits (one store per window), opened on first use."""
        return MyDigitsStore(parent=self)

    @property
    def running(self) -> bool:
        return self.run is not None

    def start_run(self, run: Run) -> None:
        self.run = run
        self.run_started.emit(run.config)

    def end_run(self, value: Any) -> None:
        """The run has ended with ``value``, its outcome or the exception that ended it."""
        self.run = None
        self.run_finished.emit(value)

    def set_model(self, model: Any) -> None:
        self.model = model
        self.model_changed.emit(model)
        self.set_reader(model.network)

    def model_edited(self) -> None:
        self.model_changed.emit(self.model)
        self.set_reader(self.model.network)

    def set_reader(self, network: Any) -> None:
        self.reader = network
        self.reader_changed.emit(network)

    def set_drawing(self, drawing: Drawing) -> None:
        self.drawing = drawing
        self.drawing_changed.emit(drawing)

    def set_train_config(self, config: Any) -> None:
        self.train_config = config
        self.train_config_changed.emit(config)

    def set_data(self, data: Any) -> None:
        self.data = data
        self.data_changed.emit(data)
