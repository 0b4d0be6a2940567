"""core.mydigits: the user's labelled digits in one file, saved atomically after every change; a
damaged file is set aside, never overwritten; a SIGKILL mid-save leaves the old or the new file."""

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core.data import load_idx
from core.errors import DataError
from core.mydigits import MyDigits, default_path, strokes_to_json


class FakeStroke:
    def __init__(self, points, width=2.2, erase=False):
        self.points, self.width, self.erase = points, width, erase


def some_digit(rng, label):
    img = np.zeros((28, 28), np.float32)
    img[4 + label : 20, 8:12 + label] = rng.random() * 0.5 + 0.5
    return img


def test_add_saves_and_a_new_collection_reads_it_back(tmp_path, rng):
    path = tmp_path / "sub" / "my-digits.npz"
    digits, notice = MyDigits.open(path)
    assert notice is None and len(digits) == 0 and not path.exists()
    strokes = strokes_to_json([FakeStroke([(3.0, 4.5), (10.25, 20.0)])])
    first = digits.add(some_digit(rng, 7), 7, strokes)
    digits.add(some_digit(rng, 1), 1)
    assert path.is_file()
    again, notice = MyDigits.open(path)
    assert notice is None and len(again) == 2 and again.labels.tolist() == [7, 1]
    np.testing.assert_array_equal(again.images, digits.images)
    assert again.digit(first.id).strokes == [{"width": 2.2, "erase": False,
                                              "points": [[3.0, 4.5], [10.25, 20.0]]}]
    assert again.strokes[1] is None and abs(again.times[0] - time.time()) < 60
    assert again.counts()[7] == 1 and again.counts().sum() == 2


def test_delete_and_relabel_are_saved(tmp_path, rng):
    path = tmp_path / "my-digits.npz"
    digits, _ = MyDigits.open(path)
    ids = [digits.add(some_digit(rng, d), d).id for d in (3, 4, 5)]
    digits.delete(ids[1])
    digits.relabel(ids[2], 6)
    again, _ = MyDigits.open(path)
    assert again.ids.tolist() == [ids[0], ids[2]] and again.labels.tolist() == [3, 6]
    new = again.add(some_digit(rng, 2), 2)
    assert new.id not in ids  # ids are never reused
    with pytest.raises(KeyError):
        again.delete(ids[1])
    with pytest.raises(DataError, match="0-9 or 10"):
        again.add(some_digit(rng, 2), 11)
    with pytest.raises(DataError, match="0-9 or 10"):
        again.relabel(new.id, 11)


def test_export_writes_the_file_and_an_idx_pair_that_the_loader_reads(tmp_path, rng):
    digits, _ = MyDigits.open(tmp_path / "my-digits.npz")
    for d in range(10):
        digits.add(some_digit(rng, d), d)
    files = digits.export(tmp_path / "mine")
    assert [f.name for f in files] == ["mine.npz", "mine-images-idx3-ubyte",
                                       "mine-labels-idx1-ubyte"]
    np.testing.assert_array_equal(load_idx(files[1]), digits.images)
    np.testing.assert_array_equal(load_idx(files[2]), digits.labels)
    other, _ = MyDigits.open(tmp_path / "other.npz")
    other.add(some_digit(rng, 9), 9)
    assert other.merge(MyDigits.read(files[0])) == 10
    assert len(other) == 11 and len(set(other.ids.tolist())) == 11


def damaged(kind, good: bytes) -> bytes:
    if kind == "garbage":
        return b"this is not a zip file at all\n" * 10
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "empty":
        return b""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # a zip with the right members but a foreign header
        with zipfile.ZipFile(io.BytesIO(good)) as src:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "header.npy":
                    h = {"format": "something else", "version": 1, "strokes": []}
                    arr = np.frombuffer(json.dumps(h).encode(), np.uint8)
                    b = io.BytesIO()
                    np.save(b, arr)
                    data = b.getvalue()
                zf.writestr(info.filename, data)
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["garbage", "truncated", "empty", "foreign header"])
def test_a_damaged_file_is_set_aside_never_overwritten(tmp_path, rng, kind):
    path = tmp_path / "my-digits.npz"
    digits, _ = MyDigits.open(path)
    for d in range(5):
        digits.add(some_digit(rng, d), d)
    bad = damaged(kind, path.read_bytes())
    path.write_bytes(bad)
    fresh, notice = MyDigits.open(path)
    assert len(fresh) == 0 and notice is not None
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("my-digits.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == bad
    assert aside[0].name in notice and "set aside" in notice
    fresh.add(some_digit(rng, 1), 1)
    assert aside[0].read_bytes() == bad and len(MyDigits.open(path)[0]) == 1
    with pytest.raises(DataError, match=str(aside[0].name)):
        MyDigits.read(aside[0])


def test_a_file_that_cannot_be_set_aside_is_left_alone_and_nothing_is_saved(
        tmp_path, rng, monkeypatch):
    path = tmp_path / "my-digits.npz"
    path.write_bytes(b"junk")
    monkeypatch.setattr(os, "rename", lambda *a: (_ for _ in ()).throw(PermissionError("no")))
    digits, notice = MyDigits.open(path)
    assert "will not be saved" in notice
    digits.add(some_digit(rng, 1), 1)
    assert path.read_bytes() == b"junk"


def test_the_default_place_is_the_per_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert default_path() == tmp_path / "ffn-gui" / "my-digits.npz"


CHILD = """
import sys, numpy as np
from core.mydigits import MyDigits
digits, notice = MyDigits.open(sys.argv[1])
assert notice is None, notice
print("ready", flush=True)
digits.add(np.full((28, 28), 0.5, np.float32), 5)
print("saved", flush=True)
"""


def test_sigkill_during_a_save_leaves_the_old_or_the_new_file(tmp_path, rng):
    path = tmp_path / "my-digits.npz"
    digits, _ = MyDigits.open(path)
    strokes = strokes_to_json([FakeStroke([(x / 7, x / 9) for x in range(40)])] * 3)
    n = 400
    digits.images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    digits.labels = rng.integers(0, 10, n).astype(np.uint8)
    digits.times = np.zeros(n)
    digits.ids = np.arange(1, n + 1, dtype=np.int64)
    digits.strokes = [strokes] * n
    t0 = time.perf_counter()
    digits.save()
    save_seconds = time.perf_counter() - t0
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    pick = random.Random(11)
    outcomes = []
    for _ in range(12):
        before = len(MyDigits.open(path)[0])
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], env=env,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(pick.uniform(0, 2.0 * save_seconds))  # the kill lands before, in or after
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
        after, notice = MyDigits.open(path)
        assert notice is None, notice  # never a broken file
        assert len(after) in (before, before + 1)
        outcomes.append(len(after) - before)
    assert 1 in outcomes, f"no save completed before its kill ({outcomes})"
    assert 0 in outcomes, f"every kill came after its save ({outcomes}); no test of a kill"
