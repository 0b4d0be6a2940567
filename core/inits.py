"""Weight initialisations, each a function that draws one layer's starting weights and biases,
and the registry of them.

A layer has ``fan_in`` inputs and ``fan_out`` neurons: ``draw(rng, fan_out, fan_in, gain)``
returns ``(w, b)`` with ``w.shape == (fan_out, fan_in)`` and ``b.shape == (fan_out,)`` in float64
(the network converts them to its dtype). ``gain`` is the activation's (2 for ReLU). An init
also carries what the window and ``ffn train --help`` show of it: its label and tooltip.
``register_init`` adds one; nothing else needs editing. NumPy is imported when a layer is
drawn: ``ffn --help``, whose parser lists the inits, imports none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Init:
    name: str  # as in configs, model files and on the command line
    draw: Callable[[np.random.Generator, int, int, float], tuple[np.ndarray, np.ndarray]]
    label: str = ""  # as the window shows it (default: the name)
    tooltip: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


def normal(rng: np.random.Generator, fan_out: int, fan_in: int, gain: float):
    """The notes' N(0, 1) for every weight and bias."""
    w = rng.standard_normal((fan_out, fan_in))
    b = rng.standard_normal(fan_out)
    return w, b


def scaled(rng: np.random.Generator, fan_out: int, fan_in: int, gain: float):
    """Weights from N(0, gain/fan_in) and zero biases: zˡ stays of order one in deep layers,
    so sigmoids do not start saturated (with ReLU's gain of 2 this is He's)."""
    import numpy as np

    w = rng.standard_normal((fan_out, fan_in)) * np.sqrt(gain / fan_in)
    return w, np.zeros(fan_out)


INITS: dict[str, Init] = {}


def register_init(init: Init) -> Init:
    """Make ``init`` available everywhere by its name (configs, models, CLI, window)."""
    INITS[init.name] = init
    return init


register_init(Init("normal", normal, label="normal N(0, 1)",
                   tooltip="The notes' N(0, 1): it saturates the first layer's 784 inputs."))
register_init(Init("scaled", scaled, label="scaled (1/√fan-in)",
                   tooltip="Variance 1/fan-in (2/fan-in for ReLU): neurons start unsaturated."))


def get_init(name: str) -> Init:
    try:
        return INITS[name]
    except KeyError:
        raise ConfigError(
            f"unknown initialisation {name!r}; choose one of {', '.join(INITS)}"
        ) from None
