"""core.prepare: the deskewed digits and pen redraws, made row by row and kept in a cache file."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers.synthetic import blobs
from helpers.synthetic import stroke_digits as digits

from core import prepare
from core.augment import PEN_WIDTHS, STYLE_SHARE, pen_redraw
from core.data import Dataset, MnistData
from core.errors import ConfigError
from core.prepare import Part, Prepared, cache_folder
from core.preprocess import deskew
from core.run import train_run
from core.training import PRESETS, BatchProgress, TrainConfig, train

LABELS = np.arange(1500, dtype=np.uint8) % 10


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    return digits(1500, seed=7)


def made(images, labels=LABELS, **kwargs) -> Prepared:
    return Prepared(images, labels, deskewed=True, pens=True, **kwargs)


def test_the_plan_redraws_a_share_with_every_width_and_styles_some_zeros_ones_and_sevens(images):
    p = made(images)
    assert abs(len(p.pen_rows) / len(images) - prepare.PEN_SHARE) < 0.05
    has, redrawn = p.pens_of(np.arange(len(images)))
    assert has.sum() == len(p.pen_rows) and redrawn.shape == (has.sum(), 28, 28)
    assert set(p.pen_width.tolist()) == set(range(len(PEN_WIDTHS)))
    source = deskew(images)[p.pen_rows]
    plain = [pen_redraw(source, w) for w in PEN_WIDTHS]
    same = np.array([any(np.array_equal(redrawn[k], q[k]) for q in plain)
                     for k in range(len(redrawn))])
    np.testing.assert_array_equal(same, ~p.pen_styled)  # the plain ones are pen_redraw's
    for digit in range(10):
        styled = p.pen_styled[LABELS[p.pen_rows] == digit].mean()
        assert abs(styled - STYLE_SHARE.get(digit, 0.0)) < 0.2, (digit, styled)


def test_a_row_comes_out_the_same_whichever_rows_are_made_with_it(images):
    whole = made(images)
    rows = np.arange(len(images))
    read, (_, redrawn) = whole.images_of(rows), whole.pens_of(rows)
    np.testing.assert_array_equal(read, deskew(images))
    bits = made(images)
    order = np.random.default_rng(3).permutation(len(images))
    for lo in range(0, len(order), 97):
        bits.pens_of(order[lo : lo + 97])  # a random few at a time, pens first
    np.testing.assert_array_equal(bits.images_of(rows), read)
    np.testing.assert_array_equal(bits.pens_of(rows)[1], redrawn)


def test_the_cache_misses_then_hits_and_a_hit_makes_nothing(images, tmp_path, monkeypatch):
    rows = np.arange(len(images))
    cold = made(images, checksum="ab" * 32, folder=tmp_path)
    assert cold.cache == "miss" and cold.save() is False  # nothing made yet
    expected = cold.images_of(rows), cold.pens_of(rows)[1]
    assert cold.save() is True and cold.save() is False  # only what is new is written
    assert [f.name for f in tmp_path.iterdir()] == [cold.path.name]
    monkeypatch.setattr(prepare, "deskew", None)  # a hit must not deskew (nor redraw)
    monkeypatch.setattr(prepare, "pen_redraw", None)
    warm = made(images, checksum="ab" * 32, folder=tmp_path)
    assert warm.cache == "hit" and warm.read_done.all() and warm.pen_done.all()
    np.testing.assert_array_equal(warm.images_of(rows), expected[0])
    np.testing.assert_array_equal(warm.pens_of(rows)[1], expected[1])
    assert made(images, checksum="cd" * 32, folder=tmp_path).cache == "miss"  # other data


def test_another_recipe_is_another_file(images, tmp_path, monkeypatch):
    made(images[:50], LABELS[:50], checksum="ab" * 32, folder=tmp_path).images_of(np.arange(3))
    first = made(images[:50], LABELS[:50], checksum="ab" * 32, folder=tmp_path)
    first.images_of(np.arange(3))
    first.save()
    monkeypatch.setattr(prepare, "RECIPE_VERSION", prepare.RECIPE_VERSION + 1)
    second = made(images[:50], LABELS[:50], checksum="ab" * 32, folder=tmp_path)
    assert second.cache == "miss" and second.path != first.path
    assert Prepared(images[:50], LABELS[:50], deskewed=False, pens=True, checksum="ab" * 32,
                    folder=tmp_path).path not in (first.path, second.path)


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "other data", "odd header"])
def test_a_damaged_cache_file_is_ignored_and_written_anew(images, tmp_path, damage):
    some, rows = images[:200], np.arange(200)
    first = made(some, LABELS[:200], checksum="ab" * 32, folder=tmp_path)
    expected = first.images_of(rows)
    first.save()
    raw = bytearray(first.path.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0xFF  # inside the deskewed digits: only the CRC tells
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "garbage":
        raw = bytearray(b"not a zip file at all")
    elif damage == "odd header":  # the right data and recipe, but it would write the labels
        import io
        import json
        import zlib

        zeros = np.zeros(200, np.uint8)
        meta = dict(first.meta, crc={"labels": zlib.crc32(zeros)})
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.array(json.dumps(meta)), labels=zeros)
        raw = bytearray(buffer.getvalue())
    else:  # a file of other digits under this name
        other = made(images[200:400], LABELS[:200], checksum="cd" * 32, folder=tmp_path)
        other.images_of(rows)
        other.save()
        raw = bytearray(other.path.read_bytes())
    first.path.write_bytes(bytes(raw))
    labels = LABELS[:200].copy()
    again = made(some, labels, checksum="ab" * 32, folder=tmp_path)
    assert again.cache == "damaged" and not again.read_done.any()
    np.testing.assert_array_equal(labels, np.arange(200) % 10)  # untouched
    np.testing.assert_array_equal(again.images_of(rows), expected)  # made again, right
    assert again.save() is True
    assert made(some, LABELS[:200], checksum="ab" * 32, folder=tmp_path).cache == "hit"


def test_only_the_most_recently_used_files_are_kept(images, tmp_path):
    for k in range(prepare.KEEP_FILES + 2):
        p = made(images[:20], LABELS[:20], checksum=f"{k:02d}" * 32, folder=tmp_path)
        p.images_of(np.arange(2))
        p.save()
    assert len(list(tmp_path.glob("*.npz"))) == prepare.KEEP_FILES
    assert p.path.exists()


def small(n_train=600, seed=0) -> MnistData:
    rng = np.random.default_rng(seed)
    train, test = blobs(n_train, rng), blobs(100, rng)
    return MnistData(Dataset(train.images, train.labels, "blobs"),
                     Dataset(test.images, test.labels, "blobs test"), "blobs")


DEFAULT_SMALL = replace(PRESETS["default"], hidden=(24,), epochs=2, validation=100,
                        batch_size=32)


def test_a_run_gives_the_same_bits_with_a_cold_a_warm_or_no_cache():
    data = small()
    cold = train_run(DEFAULT_SMALL, data)
    files = list(cache_folder().glob("*.npz"))
    assert len(files) == 1 and files[0].name.startswith(data.train.checksum()[:32])
    warm = train_run(DEFAULT_SMALL, data)
    none = train_run(DEFAULT_SMALL, data, cache=False)
    for other in (warm, none):
        for a, b in zip(cold.network.params, other.network.params, strict=True):
            np.testing.assert_array_equal(a, b)
    other_seed = train_run(replace(DEFAULT_SMALL, seed=1), data)  # other rows, same cache file
    assert not np.array_equal(cold.network.params[0], other_seed.network.params[0])
    assert list(cache_folder().glob("*.npz")) == files


def test_the_first_batch_is_trained_before_most_digits_are_prepared(monkeypatch):
    data = small(3000).train
    config = replace(DEFAULT_SMALL, epochs=1, validation=0)
    part = Part(made(data.images, data.labels), np.arange(3000))
    seen = []

    def on_progress(p):
        if isinstance(p, BatchProgress):
            seen.append((p.batch, int(part.prepared.read_done.sum()),
                         int(part.prepared.pen_done.sum())))

    train(config.make_network(), config, part, on_progress=on_progress, progress_interval=0)
    (batch, read, pens), last = seen[0], seen[-1]
    assert batch == 1 and read <= 1024 and pens <= 0.6 * 1024  # one chunk, not the set
    assert last[1:] == (3000, len(part.prepared.pen_rows))  # all made by the epoch's end


def test_a_part_prepared_otherwise_than_the_settings_say_is_refused():
    data = small(200).train
    part = Part(Prepared(data.images, data.labels, deskewed=False, pens=True), np.arange(200))
    config = replace(DEFAULT_SMALL, validation=0)
    with pytest.raises(ConfigError, match="prepared digits do not match"):
        train(config.make_network(), config, part)
    plain = TrainConfig(hidden=(8,), epochs=1, validation=0)
    train(plain.make_network(), plain, part)  # no deskewing, no augmentation: fine
