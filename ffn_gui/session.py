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
| a training run | the training controller | ``run_started(config)``, ``run_progress(items)``, ``run_finished(outcome or exception)`` |

``model_edited()`` says that the current model's parameters were changed in place (e.g. one
step of backprop taken by a view): ``model_changed`` is emitted again with the same object.
The reader is never an array a training thread is writing to: during a run it is a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

BOARD = "the board"


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

    def __init__(self, model: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.reader = None if model is None else model.network
        self.drawing = Drawing()
        self.data = None
        self.running = False

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

    def set_data(self, data: Any) -> None:
        self.data = data
        self.data_changed.emit(data)
