"""Saying "not a digit": the generated non-digits, their training rows, the rule in the model
file, ``reject.read`` and ``ffn predict``."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.nondigits import PROXY_HAND, proxy_nondigits
from PIL import Image

from core.costs import CrossEntropyCost
from core.data import Dataset
from core.errors import ConfigError
from core.nondigits import (
    KINDS,
    LETTERS,
    WORD_LETTERS,
    WORDS,
    nondigit_images,
    nondigit_strokes,
)
from core.outliers import nondigit_set
from core.rows import NOT_A_DIGIT, targets
from core.scrawl import arc_length, board_image
from core.train_config import preset

ISSUE_LETTERS = "c d f h k m n p r u v w x C E F H K L M N P R U V W X".split()


def test_the_kinds_are_the_issues_27_letters_then_shapes_scribbles_and_words():
    assert [k.removeprefix("letter ") for k in KINDS[:27]] == ISSUE_LETTERS
    assert set(KINDS[27:]) == {"scribble", "circle with cross", "star", "heart", "arrow",
                               "squiggle", "word"}
    for word in WORDS:  # every letter of every word has a template
        assert all(c in LETTERS or c in WORD_LETTERS for c in word), word


def test_the_generator_is_reproducible_draws_every_kind_and_reads_like_the_window():
    n = 2 * len(KINDS)
    images, kinds = nondigit_images(n, seed=5)
    again, _ = nondigit_images(n, seed=5)
    other, _ = nondigit_images(n, seed=6)
    assert images.dtype == np.uint8 and images.shape == (n, 28, 28)
    assert np.array_equal(images, again) and not np.array_equal(images, other)
    assert set(kinds) == set(KINDS) and kinds.count("letter K") == 2
    for img in images.astype(float):  # cropped into 20 px and centred by mass, as to_mnist does
        rows, cols = np.nonzero(img > 12)
        assert max(np.ptp(rows), np.ptp(cols)) in (18, 19, 20), "fitted into the 20 px box"
        mass = img.sum()
        centre = (img.sum(axis=1) @ np.arange(28) / mass, img.sum(axis=0) @ np.arange(28) / mass)
        assert np.allclose(centre, 14, atol=1.0)


def test_the_proxy_draws_other_drawings_than_training_gets():
    trained, _ = nondigit_images(len(KINDS), seed=0)
    measured, kinds = proxy_nondigits(len(KINDS), seed=0)
    assert kinds == list(KINDS)
    differ = [not np.array_equal(a, b) for a, b in zip(trained, measured)]
    assert all(differ)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_drawn_as_a_mouse_reports_it(kind):
    rng = np.random.default_rng(1)
    strokes = nondigit_strokes(kind, PROXY_HAND, rng)
    assert strokes and all(s.ndim == 2 and s.shape[1] == 2 for s in strokes)
    size = np.ptp(np.concatenate(strokes), axis=0).max()
    steps = np.concatenate([np.diff(arc_length(s)) for s in strokes if len(s) > 2])
    assert steps.max() < 0.15 * size  # points a few pixels apart, not a polyline's corners
    assert steps.std() > 0.2 * steps.mean()  # at an uneven pace
    image = board_image(strokes)
    assert image.shape == (280, 280) and image.max() == 1.0  # anti-aliased round pen
    assert 0 < np.mean((image > 0) & (image < 1)) < 0.1


def test_a_small_board_draws_what_the_canvas_renderer_draws():
    from core.scrawl import render_small
    from core.strokes import render_strokes

    rng = np.random.default_rng(2)
    for kind in ("letter W", "word", "scribble", "star"):
        strokes = [s * 60 + 12 for s in nondigit_strokes(kind, PROXY_HAND, rng)]
        strokes.append(np.array([[50.0, 50.0]]))  # a dot: one mouse press
        np.testing.assert_allclose(render_small(strokes, 100, 8.0),
                                   render_strokes(strokes, 100, 8.0), atol=1e-5)


def test_a_non_digit_row_is_taught_the_uniform_distribution():
    Y = targets(np.array([3, NOT_A_DIGIT, 0], np.uint8))
    assert np.array_equal(Y[0], np.eye(10)[3]) and np.array_equal(Y[2], np.eye(10)[0])
    assert np.allclose(Y[1], 0.1)
    z = np.array([[0.0] * 10, [5.0] + [0.0] * 9])
    _, cost, delta = CrossEntropyCost.fused(z, np.full((2, 10), 0.1))
    assert np.allclose(delta[0], 0) and delta[1, 0] > 0  # least cost: no digit favoured
    assert cost == pytest.approx(-np.sum(0.1 * np.log(np.exp(z) / np.exp(z).sum(1, keepdims=1))))


def test_a_run_mixes_in_that_share_of_non_digits_and_validates_on_digits_alone(monkeypatch):
    import core.run as run

    seen = {}

    def fake_train(network, config, train_set, valid_set, **kw):
        seen["train"], seen["valid"] = train_set.labels, valid_set.labels
        from core.progress import TrainResult

        return TrainResult((), False, 0.0)

    monkeypatch.setattr(run, "train", fake_train)
    rng = np.random.default_rng(0)
    digits = Dataset(rng.integers(0, 255, (500, 28, 28), dtype=np.uint8),
                     rng.integers(0, 10, 500).astype(np.uint8), "noise")
    outcome = run.train_run(preset("default", validation=100, nondigits=0.25), digits,
                            cache=False)
    assert np.count_nonzero(seen["train"] == NOT_A_DIGIT) == 100  # a quarter of 400 digits
    assert np.count_nonzero(seen["train"] != NOT_A_DIGIT) == 400
    assert NOT_A_DIGIT not in seen["valid"]
    assert outcome.network.reject is not None and outcome.network.reject.score == \
        "max_probability"
    plain = run.train_run(preset("default", validation=100), digits,
                          network=outcome.network, cache=False)
    assert NOT_A_DIGIT not in seen["train"] and plain.network.reject is None


def test_the_non_digit_rows_are_reproducible_and_labelled_as_no_digit():
    config = preset("default", nondigits=0.1)
    a, b = nondigit_set(config, 330), nondigit_set(config, 330)
    assert len(a) == 33 and np.array_equal(a.images, b.images)
    assert set(a.labels) == {NOT_A_DIGIT} and a.not_a_digit
    assert nondigit_set(preset("default"), 330) is None


@pytest.mark.parametrize("overrides,needle", [
    ({"nondigits": 1.5}, "non-digits must be a share"),
    ({"nondigits": -0.1}, "non-digits must be a share"),
    ({"nondigits": 0.1, "cost": "quadratic"}, "cross-entropy"),
])
def test_bad_non_digit_settings_are_refused_by_name(overrides, needle):
    with pytest.raises(ConfigError, match=needle):
        preset("default", **overrides)


def test_a_data_file_still_may_not_hold_label_10():
    from core.errors import DataError

    with pytest.raises(DataError, match="out of range"):
        Dataset(np.zeros((1, 28, 28), np.uint8), np.array([10], np.uint8), "file.npz")


def test_the_seed_preset_is_the_notes_network_without_non_digits():
    config = preset("seed")
    assert config.nondigits == 0 and config.cost == "quadratic"
    assert config.sizes == [784, 128, 128, 10]


def letter_png(path, letter: str = "K") -> None:
    rng = np.random.default_rng(7)
    strokes = nondigit_strokes(f"letter {letter}", PROXY_HAND, rng)
    Image.fromarray((board_image(strokes) * 255).astype(np.uint8)).save(path)


# --- the rule in the model file, reading with it ----------------------------------------------


@pytest.fixture
def small_net():
    return preset("default", hidden=(8,)).make_network()


def test_the_rule_round_trips_through_the_model_file(small_net, tmp_path):
    from core.model_io import load_model, save_model
    from core.reject import RejectRule

    small_net.reject = RejectRule("energy", 3.25)
    model = load_model(save_model(tmp_path / "m.npz", small_net))
    assert model.network.reject == RejectRule("energy", 3.25)
    assert model.header["format_version"] == 2 and model.header["reject"]["below"] == 3.25
    assert model.network.copy().reject == model.network.reject  # the window's snapshot has it


def test_a_model_file_without_a_rule_reads_as_before(small_net, tmp_path):
    from core.model_io import load_model, save_model
    from core.package import bundled_model_path

    model = load_model(save_model(tmp_path / "m.npz", small_net))
    assert model.network.reject is None and model.header["format_version"] == 1
    assert "reject" not in model.header
    assert load_model(bundled_model_path()).network.reject is None  # a version 1 file


@pytest.mark.parametrize("rule,needle", [
    ({"score": "vibes", "below": 0.5}, "unknown rejection score"),
    ({"score": "energy", "below": "high"}, "finite number"),
    ({"score": "energy"}, "a rejection rule is"),
    ([1, 2], "a rejection rule is"),
])
def test_a_bad_rule_in_a_model_file_is_named(small_net, tmp_path, rule, needle):
    from core.errors import ModelFileError
    from core.model_io import load_model

    path = _with_header(small_net, tmp_path, {"reject": rule, "format_version": 2})
    with pytest.raises(ModelFileError, match=needle) as e:
        load_model(path)
    assert "m.npz" in str(e.value)


def test_a_version_1_file_with_a_rule_is_refused(small_net, tmp_path):
    from core.errors import ModelFileError
    from core.model_io import load_model

    path = _with_header(small_net, tmp_path, {"reject": {"score": "energy", "below": 1.0}})
    with pytest.raises(ModelFileError, match="format version 1"):
        load_model(path)


def _with_header(network, tmp_path, changes: dict):
    import json

    from core.model_io import save_model

    path = save_model(tmp_path / "m.npz", network)
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    header = dict(json.loads(arrays["header"].tobytes()), **changes)
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    np.savez(path, **arrays)
    return path


def test_read_says_none_for_nothing_drawn_and_for_what_the_rule_rejects(small_net):
    from core.predictor import Predictor
    from core.reject import RejectRule, judge, read

    x = np.zeros((28, 28), np.float32)
    assert read(small_net, None) is None and read(small_net, x) is None
    assert Predictor(small_net).read(np.zeros((280, 280))) is None  # an empty board
    x[8:20, 13:15] = 1.0
    digit = read(small_net, x)
    assert digit == int(np.argmax(small_net.predict_proba(x.reshape(1, -1))))
    p = small_net.predict_proba(x.reshape(1, -1))[0].max()
    small_net.reject = RejectRule("max_probability", p + 1e-6)
    assert read(small_net, x) is None and judge(small_net, x)[1] == pytest.approx(p)
    small_net.reject = RejectRule("max_probability", p - 1e-6)
    assert read(small_net, x) == digit


# --- ffn predict -------------------------------------------------------------------------------


def test_ffn_predict_says_not_a_digit_for_a_letter_and_still_shows_the_ten(tmp_path, capsys,
                                                                          rng):
    from helpers.datafiles import write_blob_folder

    from core.cli import main

    folder = write_blob_folder(tmp_path / "mnist", rng, 1200, 300)
    out = tmp_path / "m.npz"
    assert main(["train", "--data", str(folder), "--preset", "default", "--epochs", "3",
                 "--validation", "200", "--no-augment", "--nondigits", "0.3",
                 "--out", str(out)]) == 0
    assert "not a digit: when its max probability is below" in capsys.readouterr().out
    letter_png(tmp_path / "k.png")
    assert main(["predict", "--model", str(out), str(tmp_path / "k.png")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("not a digit  (its max probability")
    assert "below the model's threshold" in text
    assert len([line for line in text.splitlines() if line.strip()[:2].rstrip(":").isdigit()]) \
        == 10
    from helpers.synthetic import blobs

    digits = blobs(20, rng)
    Image.fromarray(digits.images[0]).resize((140, 140), Image.NEAREST).save(tmp_path / "d.png")
    assert main(["predict", "--model", str(out), str(tmp_path / "d.png"), "--raw"]) == 0
    assert capsys.readouterr().out.startswith(f"digit: {digits.labels[0]}")
