"""The reliability numbers the README quotes, measured by the test run itself.

A pytest plugin (``pytest_plugins = ["helpers.reliability"]`` in tests/conftest.py). Tests report
what they tried::

    from helpers import reliability
    reliability.count("bad_input")          # one malformed file refused by a loader
    reliability.count("fuzz_examples")      # one hypothesis example run
    reliability.count("download_faults")    # one download fault scenario survived
    reliability.count("soak_cycles", 50)    # window soak: cycles run
    reliability.value("soak_memory_growth_mb", 3.2)  # a measurement: the largest is kept

    with reliability.time_limit(5):         # fails the test if the block takes longer
        load_model(path)

At the end of the session the terminal summary shows a "Reliability summary" block and the same
numbers go to ``.reliability.json`` in the repository root (gitignored), with the test outcomes,
so a number is only quoted from a run whose tests passed.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

# name -> what it counts (the order and wording of the summary)
COUNTS = {
    "bad_input": "malformed files and inputs refused with the engine's error",
    "fuzz_examples": "fuzz examples run (mutated or random files)",
    "download_faults": "download fault scenarios against a local HTTP server",
    "network_checks": "engine paths run with every network connection recorded",
    "soak_cycles": "window soak cycles",
}
VALUES = {
    "soak_crashes": "soak crashes",
    "soak_leftover_threads": "soak worker threads left running",
    "soak_memory_growth_mb": "soak memory growth (MB)",
}

_counts: Counter[str] = Counter()
_values: dict[str, float] = {}
_started = time.time()


def pytest_sessionstart(session) -> None:
    global _started
    _started = time.time()


def count(name: str, n: int = 1) -> None:
    """Add ``n`` to the counter ``name``."""
    _counts[name] += int(n)


def value(name: str, v: float) -> None:
    """Record a measurement; the summary keeps the largest (the worst case) of a run."""
    _values[name] = max(float(v), _values.get(name, float("-inf")))


def snapshot() -> dict:
    """The numbers so far: {"counts": {...}, "values": {...}}."""
    counts = {name: _counts.get(name, 0) for name in COUNTS} | dict(_counts)
    return {"counts": counts, "values": dict(_values)}


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    outcomes = {key: len(terminalreporter.stats.get(key, ()))
                for key in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
    report = {
        **snapshot(),
        "tests": outcomes,
        "exit_status": int(exitstatus),
        "duration_s": round(time.time() - _started, 1),
        "args": list(config.invocation_params.args),
    }
    tr = terminalreporter
    tr.section("Reliability summary")
    for name, text in COUNTS.items():
        tr.write_line(f"{report['counts'][name]:>10,}  {text}")
    for name, n in report["counts"].items():
        if name not in COUNTS:
            tr.write_line(f"{n:>10,}  {name}")
    for name, text in VALUES.items():
        if name in report["values"]:
            tr.write_line(f"{report['values'][name]:>10g}  {text}")
    for name, v in report["values"].items():
        if name not in VALUES:
            tr.write_line(f"{v:>10g}  {name}")
    summary = ", ".join(f"{n} {k}" for k, n in outcomes.items() if n)
    tr.write_line(f"tests: {summary or 'none'}")
    path = Path(config.rootpath) / ".reliability.json"
    try:
        path.write_text(json.dumps(report, indent=2) + "\n")
        tr.write_line(f"written to {path}")
    except OSError as e:  # a read-only checkout still gets the terminal summary
        tr.write_line(f"could not write {path}: {e}")


class _Overtime(BaseException):
    """Raised by the timer inside the timed block. A BaseException, so that a loader's
    ``except Exception`` safety net cannot turn a hang into an ordinary error."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "the block"):
    """Fail (AssertionError) if the block runs longer than ``seconds``.

    In the main thread on POSIX a timer interrupts the block, so a hang (a read that never
    returns, a loop that never ends) fails the test instead of stalling the run; elsewhere the
    time is checked when the block ends."""
    interrupt = hasattr(signal, "setitimer") and threading.current_thread() is \
        threading.main_thread()
    start = time.perf_counter()
    if interrupt:
        def ring(signum, frame):
            raise _Overtime

        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Overtime:
        raise AssertionError(f"{what} did not finish within {seconds:g} s (a hang)") from None
    finally:
        if interrupt:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    assert elapsed <= seconds, f"{what} took {elapsed:.2f} s, more than {seconds:g} s"


@pytest.fixture
def reliability():
    """This module, for tests that prefer a fixture to an import."""
    return sys.modules[__name__]
