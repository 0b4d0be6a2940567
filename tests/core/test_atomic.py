"""core.atomic: a write replaces the file whole, or leaves it as it was."""

import os
import stat

import pytest

from core.atomic import atomic_open, write_atomic


def test_writes_text_and_bytes_as_ordinary_files(tmp_path):
    target = tmp_path / "out.csv"
    write_atomic(target, "a,b\r\n1,2\n")
    assert target.read_bytes() == b"a,b\r\n1,2\n"  # newlines as given
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as f:
        f.write(b"half of the new")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_the_temporary_file_is_in_the_targets_folder(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (seen.append((a, b)), real(a, b)))
    write_atomic(tmp_path / "x.txt", "x")
    (tmp, final), = seen
    assert os.path.dirname(tmp) == os.path.dirname(final) == str(tmp_path)


def test_only_whole_file_modes(tmp_path):
    with pytest.raises(ValueError, match="whole new file"), atomic_open(tmp_path / "a", "ab"):
        pass
