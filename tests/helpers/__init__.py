"""What several test modules (and the benchmarks) share: data writers, broken-input tables, the
local HTTP mirrors, the handwriting replay, the reliability counters.

Test modules never import one another; they import from here, always the same way::

    from helpers.datafiles import write_idx
    from helpers import reliability

(pytest puts ``tests/`` on ``sys.path``, as ``pythonpath`` in pyproject.toml says; the benchmarks
and scripts add it themselves.)
"""
