"""A small, really full file system for the full-disk tests: a 64 KiB tmpfs mounted on a folder
(root only; otherwise the test is skipped with the reason), filled to the last byte by ``fill``,
unmounted afterwards."""

from __future__ import annotations

import errno
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

SIZE = "64k"


@contextmanager
def small_tmpfs(folder: Path):
    """Mount a 64 KiB tmpfs on ``folder`` (made if missing) for the block; skip when that is
    not possible here."""
    if os.geteuid() != 0:
        pytest.skip("a full disk is made by mounting a small tmpfs, which needs root")
    folder.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
                         capture_output=True, text=True)
    if run.returncode:
        pytest.skip(f"cannot mount a tmpfs on {folder}: {run.stderr.strip() or run.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` with a file ``filler`` until no byte is left."""
    filler = folder / "filler"
    with open(filler, "ab", buffering=0) as f:
        for size in (2**16, 2**12, 2**9, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e
    return filler


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (but the filler) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "filler"}
