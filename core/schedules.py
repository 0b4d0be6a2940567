"""Learning-rate schedules, each a function of the epoch, and the registry of them.

``rate(base, epoch, epochs)`` is the learning rate α of ``epoch`` (1-based) of a run of
``epochs`` whose configured rate is ``base``; the training loop sets it at each epoch's start.
A schedule also carries what the window and ``ffn train --help`` show of it: its label and
tooltip. ``register_schedule`` adds one; nothing else needs editing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Schedule:
    name: str  # as in configs, model files and on the command line
    rate: Callable[[float, int, int], float]
    label: str = ""  # as the window shows it (default: the name)
    tooltip: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


def constant(base: float, epoch: int, epochs: int) -> float:
    return base


def cosine(base: float, epoch: int, epochs: int) -> float:
    """α·½(1 + cos(π(epoch − 1)/epochs)): α at the first epoch, falling smoothly towards 0."""
    return base * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / epochs))


SCHEDULES: dict[str, Schedule] = {}


def register_schedule(schedule: Schedule) -> Schedule:
    """Make ``schedule`` available everywhere by its name (configs, models, CLI, window)."""
    SCHEDULES[schedule.name] = schedule
    return schedule


register_schedule(Schedule("constant", constant, tooltip="α stays the same all run."))
register_schedule(Schedule("cosine", cosine, label="cosine decay",
                           tooltip="α falls smoothly from its value to 0 by the last epoch."))


def get_schedule(name: str) -> Schedule:
    try:
        return SCHEDULES[name]
    except KeyError:
        raise ConfigError(
            f"unknown learning-rate schedule {name!r}; choose one of {', '.join(SCHEDULES)}"
        ) from None
