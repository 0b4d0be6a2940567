"""What the fuzz tests share: ``mutated(seed)``, a hypothesis strategy of a valid file after
1-4 random edits (bit flips, overwrites, truncations, deletions, insertions, splices)."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """``seed`` after 1-4 random edits."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "truncate", "delete", "insert", "splice"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[pos:]
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "splice":  # copy a stretch of the file somewhere else
            start = draw(st.integers(0, max(len(seed) - 1, 0)))
            data[pos:pos] = seed[start : start + draw(st.integers(1, 256))]
    return bytes(data)
