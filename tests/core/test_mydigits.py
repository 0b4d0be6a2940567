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


# --- what a digit becomes, how it is found, what the collection refuses ----------------------

def test_a_drawing_in_0_to_1_is_stored_as_the_nearest_byte():
    from core.mydigits import as_uint8

    image = np.zeros((28, 28), np.float64)
    image[0, :8] = [0.0, 1 / 255, 0.5, 1.0, -0.2, 1.7, np.nan, 254.4 / 255]
    assert as_uint8(image)[0, :8].tolist() == [0, 1, 128, 255, 0, 255, 0, 254]
    with pytest.raises(DataError, match=r"^a digit is a 28×28 image, got shape \(27, 28\)$"):
        as_uint8(np.zeros((27, 28)))


def test_strokes_keep_their_eraser_and_three_decimals():
    data = strokes_to_json([FakeStroke([(1.23456, 2.34567)], width=3, erase=True)])
    assert data == [{"width": 3.0, "erase": True, "points": [[1.235, 2.346]]}]


def test_ids_count_from_one_and_a_digit_comes_back_as_it_was_added(tmp_path, rng):
    digits, _ = MyDigits.open(tmp_path / "d.npz")
    added = [digits.add(some_digit(rng, d), d, when=1000.0 + d) for d in (3, 3, 7)]
    assert [d.id for d in added] == [1, 2, 3]
    again = MyDigits.read(tmp_path / "d.npz").digit(3)
    assert (again.label, again.time) == (7, 1007.0)
    assert np.array_equal(again.image, (some_digit(rng, 7) > 0) * again.image)  # its pixels
    assert again.image.dtype == np.uint8 and again.image.max() > 0
    assert digits.counts().tolist() == [0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]  # 10: not a digit
    part = digits.dataset([2, 0])
    assert part.labels.tolist() == [7, 3] and part.source == "my digits"
    assert np.array_equal(part.images[0], added[2].image)
    assert len(digits.dataset([])) == 0  # no rows asked for: an empty set, not an error
    with pytest.raises(KeyError, match="no digit with id 9"):
        digits.digit(9)


def test_merging_continues_the_ids_and_keeps_everything_of_both(tmp_path, rng):
    theirs = MyDigits(None)
    for d in (1, 2):
        theirs.add(some_digit(rng, d), d, strokes=[{"width": 1.0, "erase": False,
                                                    "points": [[d, d]]}], when=50.0 + d)
    empty = MyDigits(tmp_path / "empty.npz")
    assert empty.merge(theirs) == 2 and empty.ids.tolist() == [1, 2]
    mine, _ = MyDigits.open(tmp_path / "mine.npz")
    mine.add(some_digit(rng, 5), 5, when=10.0)
    assert mine.merge(theirs) == 2
    back = MyDigits.read(tmp_path / "mine.npz")
    assert back.ids.tolist() == [1, 2, 3] and back.labels.tolist() == [5, 1, 2]
    assert back.times.tolist() == [10.0, 51.0, 52.0]
    assert back.strokes[2] == [{"width": 1.0, "erase": False, "points": [[2, 2]]}]
    assert np.array_equal(back.images[1:], theirs.images)


def test_labels_0_to_10_are_taken_and_others_refused_when_relabelling(tmp_path, rng):
    digits = MyDigits(tmp_path / "d.npz")
    first = digits.add(some_digit(rng, 4), 4)
    for label in (0, 9, 10):  # 10: not a digit
        digits.relabel(first.id, label)
        assert MyDigits.read(tmp_path / "d.npz").labels[0] == label
    for label in (-1, 11):
        with pytest.raises(DataError, match=rf"^a label is a digit 0-9 or 10 \(not a digit\), "
                                            rf"got {label}$"):
            digits.relabel(first.id, label)


def test_the_limits_on_digits_and_file_size_say_so(tmp_path, rng, monkeypatch):
    import core.mydigits

    monkeypatch.setattr(core.mydigits, "MAX_DIGITS", 2)
    digits = MyDigits(tmp_path / "d.npz")
    digits.add(some_digit(rng, 1), 1)
    digits.add(some_digit(rng, 2), 2)
    with pytest.raises(DataError, match="^my digits holds at most 2 digits$"):
        digits.add(some_digit(rng, 3), 3)
    size = (tmp_path / "d.npz").stat().st_size
    monkeypatch.setattr(core.mydigits, "MAX_FILE_BYTES", size)
    assert len(MyDigits.read(tmp_path / "d.npz")) == 2  # at the limit: read
    monkeypatch.setattr(core.mydigits, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(DataError, match=f"d.npz: {size:,} bytes is too large for a my-digits"):
        MyDigits.read(tmp_path / "d.npz")


def test_saving_makes_missing_folders_and_names_the_file_it_cannot_write(tmp_path, rng):
    from core.errors import WriteError

    deep = MyDigits(tmp_path / "a" / "b" / "d.npz")
    deep.add(some_digit(rng, 1), 1)
    assert len(MyDigits.read(tmp_path / "a" / "b" / "d.npz")) == 1
    (tmp_path / "file").write_text("not a folder")
    blocked = MyDigits(tmp_path / "file" / "sub" / "d.npz")
    with pytest.raises(WriteError) as e:
        blocked.add(some_digit(rng, 1), 1)
    assert str(tmp_path / "file" / "sub" / "d.npz") in str(e.value)
    assert str(e.value).endswith("is a file")  # the reason, in words


@pytest.mark.parametrize("name", ["out", "out.npz"])
def test_export_adds_npz_only_when_missing(tmp_path, rng, name):
    digits = MyDigits(None)
    digits.add(some_digit(rng, 1), 1)
    written = digits.export(tmp_path / name)
    assert [p.name for p in written] == ["out.npz", "out-images-idx3-ubyte",
                                         "out-labels-idx1-ubyte"]


def test_idx_bytes_are_mnists_header_and_one_byte_a_value():
    from core.mydigits import idx_bytes

    data = idx_bytes(np.array([1, 2, 300 - 256]))  # ints of any type are written as bytes
    assert data == bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 44])


def test_a_damaged_file_is_named_by_the_utc_time_and_a_count(tmp_path, monkeypatch):
    from core.mydigits import set_aside

    monkeypatch.setattr(time, "gmtime", lambda *a: time.struct_time((2026, 1, 2, 3, 4, 5, 4, 2,
                                                                     0)))
    names = []
    for _ in range(3):
        (tmp_path / "my-digits.npz").write_bytes(b"junk")
        names.append(set_aside(tmp_path / "my-digits.npz").name)
    assert names == ["my-digits.damaged-20260102-030405.npz",
                     "my-digits.damaged-20260102-030405-1.npz",
                     "my-digits.damaged-20260102-030405-2.npz"]
    for k in range(3, 1000):
        (tmp_path / f"my-digits.damaged-20260102-030405-{k}.npz").write_bytes(b"")
    (tmp_path / "my-digits.npz").write_bytes(b"junk")
    with pytest.raises(DataError, match="my-digits.npz: too many damaged copies beside it; move "
                                        "some away"):
        set_aside(tmp_path / "my-digits.npz")


# --- a malformed file: each way it can be wrong, refused with what is wrong ------------------

def members(n=1, **changes):
    """The members of a good file of n digits, with ``changes`` (a member None: left out)."""
    good = {"images": np.zeros((n, 28, 28), np.uint8), "labels": np.arange(n, dtype=np.uint8),
            "times": np.zeros(n, np.float64), "ids": np.arange(1, n + 1, dtype=np.int64),
            "header": {"format": "ffn-gui my digits", "version": 1, "strokes": [None] * n}}
    good.update(changes)
    return {k: v for k, v in good.items() if v is not None}


def write(path, parts, compress=False):
    arrays = {k: (np.frombuffer(json.dumps(v).encode(), np.uint8) if isinstance(v, dict | list)
                  and k == "header" else v) for k, v in parts.items()}
    (np.savez_compressed if compress else np.savez)(path, **arrays)
    return path


def refusal(path) -> str:
    with pytest.raises(DataError) as e:
        MyDigits.read(path)
    return str(e.value).removeprefix(f"{path}: ")


MALFORMED = {
    "a member missing": (members(ids=None),
                         "not a my-digits file (it holds ['header', 'images', 'labels', 'times'])"),
    "a list for header": (members(header=[1, 2]), "not a my-digits file"),
    "another format": (members(header={"format": "x", "version": 1, "strokes": [None]}),
                       "not a my-digits file (format 'x')"),
    "version 3": (members(header={"format": "ffn-gui my digits", "version": 3,
                                  "strokes": [None]}),
                  "my-digits version 3; this program reads versions 1 to 2"),
    "strokes a dict": (members(header={"format": "ffn-gui my digits", "version": 1,
                                       "strokes": {}}), "its arrays do not fit together"),
    "one stroke too many": (members(header={"format": "ffn-gui my digits", "version": 1,
                                            "strokes": [None, None]}),
                            "its arrays do not fit together"),
    "labels a column": (members(labels=np.zeros((1, 1), np.uint8)),
                        "its arrays do not fit together"),
    "labels int64": (members(labels=np.zeros(1, np.int64)), "its arrays do not fit together"),
    "images float": (members(images=np.zeros((1, 28, 28), np.float32)),
                     "its arrays do not fit together"),
    "images 28x27": (members(images=np.zeros((1, 28, 27), np.uint8)),
                     "its arrays do not fit together"),
    "times float32": (members(times=np.zeros(1, np.float32)), "its arrays do not fit together"),
    "two times": (members(times=np.zeros(2)),
                  "its arrays do not fit together (images (1, 28, 28), labels (1,), times (2,), "
                  "ids (1,))"),
    "ids int32": (members(ids=np.ones(1, np.int32)), "its arrays do not fit together"),
    "two ids": (members(ids=np.arange(2, dtype=np.int64)), "its arrays do not fit together"),
    "label 10": (members(labels=np.array([10], np.uint8)), "labels beyond 9 or repeated ids"),
    "ids repeated": (members(2, ids=np.ones(2, np.int64)), "labels beyond 9 or repeated ids"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_file_is_refused_saying_what_is_wrong(tmp_path, kind):
    parts, message = MALFORMED[kind]
    problem = refusal(write(tmp_path / "d.npz", parts))
    assert problem == message if "(" in message or "version" in message else \
        problem.startswith(message), problem


def test_a_header_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, **{**members(header=None), "header": np.frombuffer(b"{nope", np.uint8)})
    assert refusal(path).startswith("its header is not JSON (")


def test_member_sizes_are_checked_before_reading_them(tmp_path, monkeypatch):
    """A member may declare MAX_DIGITS·784 bytes + 1 MiB, the header 64 MiB; an .npy of a
    1-D uint8 array is a 128-byte preamble and one byte a value."""
    import core.mydigits

    monkeypatch.setattr(core.mydigits, "MAX_DIGITS", 2)
    limit = 2 * 784 + 2**20
    at = refusal(write(tmp_path / "at.npz", members(labels=np.zeros(limit - 128, np.uint8))))
    assert at.startswith("its arrays do not fit together")  # the size was allowed
    past = refusal(write(tmp_path / "past.npz", members(labels=np.zeros(limit - 127, np.uint8))))
    assert past == f"member labels declares {limit + 1:,} bytes, too many for a my-digits file"
    monkeypatch.undo()
    big = np.zeros(64 * 2**20 - 128, np.uint8)
    at = refusal(write(tmp_path / "h.npz", members(header=None) | {"header": big}, True))
    assert at.startswith("its header is not JSON")  # 64 MiB: allowed
    past = refusal(write(tmp_path / "h1.npz", members(header=None) |
                         {"header": np.zeros(big.size + 1, np.uint8)}, True))
    assert past == f"member header declares {64 * 2**20 + 1:,} bytes, too many for a my-digits file"


class Boom:
    """Unpickling this creates a file: proof that a member was unpickled."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


def test_a_pickled_member_is_never_unpickled(tmp_path):
    witness = tmp_path / "unpickled"
    parts = members(times=np.array([Boom(witness)], dtype=object))
    problem = refusal(write(tmp_path / "d.npz", parts))
    assert problem.startswith("not a readable my-digits file") and not witness.exists()


def test_opening_a_damaged_file_says_why_and_where_it_went(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(time, "gmtime", lambda *a: time.struct_time((2026, 1, 2, 3, 4, 5, 4, 2,
                                                                     0)))
    path = default_path()
    path.parent.mkdir(parents=True)
    write(path, members(header={"format": "x", "version": 1, "strokes": [None]}))
    digits, notice = MyDigits.open()
    assert digits.path == path and len(digits) == 0
    assert notice == (f"Your digits file could not be read ({path}: not a my-digits file "
                      "(format 'x')). It was set aside as my-digits.damaged-20260102-030405.npz "
                      f"in {path.parent}, and a new, empty collection was started.")
