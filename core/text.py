"""Values as people type and read them: hidden-layer sizes, durations and messages.

The command line and the window both use these, so "128, 128" means the same in either and a
run's elapsed time and ETA look the same in the terminal and in the progress bar.
"""

from __future__ import annotations

import math
import re

from .errors import ConfigError

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden-layer sizes from "128,128", "128 128", "128, 128" or "128;128"; "" is none.

    Only the form is checked here (whole numbers); ``TrainConfig.validate`` checks the sizes."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            f"{text.strip()!r}: write the hidden layer sizes as whole numbers separated by "
            "commas or spaces, e.g. 128, 64 (empty: no hidden layer)"
        ) from None


def format_duration(seconds: float | None) -> str:
    """"m:ss", or "h:mm:ss" from an hour on; "–" when unknown (None, NaN or infinite)."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    m, s = divmod(max(0, int(round(seconds))), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def capitalised(message: str) -> str:
    """An engine message as a sentence starts: its first letter upper-case. The engine writes
    its messages lower-case, so that they can follow "cannot train: " and the like."""
    return message[:1].upper() + message[1:]
