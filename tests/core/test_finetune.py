"""core.finetune: what is held out, how my digits are mixed in, the config of the short run, and
that a fine-tune teaches a network a new style without forgetting the old ones."""

import numpy as np
import pytest
from helpers.synthetic import blobs, stroke_digits

from core.data import Dataset, MnistData
from core.errors import ConfigError
from core.finetune import (
    FineTuneReport,
    accuracy,
    fine_tune_config,
    fine_tune_data,
    held_out,
    oversampled,
    plan_fine_tune,
)
from core.network import Network
from core.reject import RejectRule, calibrate, judge, read
from core.rows import NOT_A_DIGIT, as_inputs
from core.training import PRESETS, TrainConfig, train


def test_a_fifth_of_each_digit_with_five_or_more_is_held_out(rng):
    labels = np.array([0] * 10 + [1] * 5 + [2] * 4 + [3] * 2, np.uint8)
    keep, hold = held_out(labels, rng)
    assert sorted(np.concatenate([keep, hold]).tolist()) == list(range(len(labels)))
    assert np.bincount(labels[hold], minlength=10).tolist()[:4] == [2, 1, 0, 0]
    _, none = held_out(np.repeat(np.arange(10), 2).astype(np.uint8), rng)
    assert len(none) == 0  # two of each: all of them are trained on


def test_oversampling_makes_my_digits_the_share_asked(rng):
    mine = Dataset(np.zeros((20, 28, 28), np.uint8), np.repeat(np.arange(10), 2).astype(np.uint8))
    mixed = oversampled(mine, 12_000, rng, share=0.12)
    assert len(mixed) / (len(mixed) + 12_000) == pytest.approx(0.12, abs=1e-3)
    counts = np.bincount(mixed.labels, minlength=10)
    assert counts.max() - counts.min() <= 2  # every digit repeated about equally
    assert len(oversampled(mine, 10, rng)) == 20  # never fewer than once each


def test_the_config_continues_the_models_recipe_gently():
    network = PRESETS["default"].make_network()
    base = PRESETS["default"]
    config = fine_tune_config(network, base)
    assert config.learning_rate == pytest.approx(base.learning_rate / 10)
    assert (config.cost, config.optimizer, config.augment) == (base.cost, base.optimizer, True)
    assert config.validation == 0 and config.epochs <= 5
    other = TrainConfig(hidden=(32,), activation="tanh").make_network()
    derived = fine_tune_config(other, None)
    assert derived.sizes == other.sizes and derived.activation == "tanh"


def test_a_fine_tune_learns_a_new_style_and_keeps_the_old(rng):
    """Blobs are the 'MNIST'; 'my' 3s light the patch of the 7s (a style the network has never
    seen) and so are read as 7 before. After the fine-tune my held-out 3s are read as 3 and the
    other digits still as before."""
    base = blobs(2000, rng)
    config = TrainConfig(hidden=(32,), activation="relu", cost="cross_entropy", optimizer="adam",
                         learning_rate=3e-3, batch_size=32, epochs=2, validation=0)
    network = config.make_network()
    train(network, config, base)
    test = blobs(500, rng)
    mnist = MnistData(Dataset(base.images, base.labels), Dataset(test.images, test.labels), "b")
    sevens = blobs(400, rng)
    mine_images = sevens.images[sevens.labels == 7][:30]
    mine = Dataset(np.ascontiguousarray(mine_images), np.full(len(mine_images), 3, np.uint8))
    plan = plan_fine_tune(network, config, mnist, mine, mnist_rows=1500)
    assert len(plan.held_out) == len(mine) // 5 and len(plan.trained_on) == len(mine) - len(
        plan.held_out)
    held_before = accuracy(network, plan.held_out)
    mnist_before = accuracy(network, mnist.test)
    assert held_before == 0 and mnist_before > 0.95
    train(network, plan.config, plan.data.train)
    assert accuracy(network, plan.held_out) == 1.0
    others = mnist.test.labels != 7  # 7s and "my 3s" now look alike: only the others must hold
    sub = Dataset(np.ascontiguousarray(mnist.test.images[others]), mnist.test.labels[others])
    assert accuracy(network, sub) > 0.95
    report = FineTuneReport(len(plan.trained_on), len(plan.held_out), held_before, 1.0,
                            mnist_before, 0.9, 2.5)
    assert "6 held-out digits: 0.0% → 100.0%" in report.describe()


# --- the fine-tune's data: every digit keeps its own label, nothing is drawn twice -----------

def numbered(n: int, first: int = 0) -> Dataset:
    """n distinct digits whose pixels spell their number (first, first+1, ...) and whose label is
    that number mod 10: a digit's image tells which it is and what its label must be."""
    k = np.arange(first, first + n)
    images = np.zeros((n, 28, 28), np.uint8)
    images[:, 0, 0], images[:, 0, 1], images[:, 0, 2] = k % 256, k // 256 % 256, k // 65536
    return Dataset(images, (k % 10).astype(np.uint8), f"numbered from {first}")


def numbers_of(dataset: Dataset) -> np.ndarray:
    corner = dataset.images[:, 0, :3].astype(np.int64)
    return corner[:, 0] + 256 * corner[:, 1] + 65536 * corner[:, 2]


MINE_FROM = 100_000  # my digits are numbered from here, MNIST's from 0


def test_the_mix_is_distinct_mnist_digits_plus_mine_each_with_its_own_label(rng):
    mnist = MnistData(numbered(300), numbered(40, 50_000), "the folder")
    mine = numbered(12, MINE_FROM)
    data = fine_tune_data(mnist, mine, rng, mnist_rows=290)
    numbers = numbers_of(data.train)
    assert (data.train.labels == numbers % 10).all()  # every image with its own label
    from_mnist, from_mine = numbers[numbers < MINE_FROM], numbers[numbers >= MINE_FROM]
    assert len(from_mnist) == 290 and len(np.unique(from_mnist)) == 290  # drawn without repeats
    assert set(from_mine) == set(range(MINE_FROM, MINE_FROM + 12))  # each of mine, several times
    assert len(from_mine) / len(numbers) == pytest.approx(0.2, abs=0.01)
    assert data.test is mnist.test and data.source == "the folder"
    assert data.train.source == "290 MNIST + 12 of my digits"


def test_fine_tuning_with_no_labelled_digits_of_mine_is_refused(rng):
    mnist = MnistData(numbered(50), None, "m")
    empty = Dataset(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))
    unlabelled = Dataset(numbered(5).images, None)
    for mine in (empty, unlabelled):
        with pytest.raises(ConfigError, match="^there are no digits of your own to fine-tune on: "
                                              "label some first$"):
            fine_tune_data(mnist, mine, rng)


def test_one_digit_of_mine_is_repeated_to_the_share_and_none_stays_none(rng):
    mine = numbered(1, MINE_FROM)
    mixed = oversampled(mine, 100, rng)
    assert len(mixed) == 25 and (numbers_of(mixed) == MINE_FROM).all()  # 25 / 125 = 20%
    assert mixed.source == mine.source
    assert len(oversampled(Dataset(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8)),
                           100, rng)) == 0


def test_a_plan_is_reproducible_from_its_seed_and_measures_on_held_out_digits():
    network = PRESETS["default"].make_network()
    mnist = MnistData(numbered(400), numbered(30, 50_000), "m")
    mine = numbered(40, MINE_FROM)  # four of each digit: nothing held out ...
    first = plan_fine_tune(network, None, mnist, mine, seed=5, mnist_rows=60)
    again = plan_fine_tune(network, None, mnist, mine, seed=5, mnist_rows=60)
    assert (first.data.train.images == again.data.train.images).all()
    assert first.config.seed == 5  # the run's shuffles follow the same seed
    assert first.held_out is None and first.trained_on.source == "my digits"
    assert (numbers_of(first.data.train) < MINE_FROM).sum() == 60
    more = numbered(60, MINE_FROM)  # ... six of each: one of each held out
    plan = plan_fine_tune(network, None, mnist, more, seed=5, mnist_rows=60)
    assert len(plan.held_out) == 10 and plan.held_out.source == "my digits (held out)"
    held, trained = set(numbers_of(plan.held_out)), set(numbers_of(plan.trained_on))
    assert not held & trained and held | trained == set(range(MINE_FROM, MINE_FROM + 60))
    assert not held & set(numbers_of(plan.data.train))  # held-out digits are never trained on
    assert (plan.held_out.labels == numbers_of(plan.held_out) % 10).all()


def with_others(n: int) -> Dataset:
    """n of my digits numbered from MINE_FROM, those numbered ...0 labelled "not a digit"."""
    digits = numbered(n, MINE_FROM)
    labels = np.where(digits.labels == 0, NOT_A_DIGIT, digits.labels).astype(np.uint8)
    return Dataset(digits.images, labels, "mine", not_a_digit=True)


def label_of(numbers: np.ndarray) -> np.ndarray:
    """The label with_others gives each number."""
    return np.where(numbers % 10 == 0, NOT_A_DIGIT, numbers % 10)


def test_the_quadratic_cost_trains_on_my_digits_alone_each_with_its_own_image():
    network = TrainConfig(hidden=(16,)).make_network()  # quadratic: no target for the others
    mnist = MnistData(numbered(400), numbered(30, 50_000), "m")
    plan = plan_fine_tune(network, None, mnist, with_others(60), mnist_rows=60)
    assert plan.left_out == 6 and NOT_A_DIGIT not in plan.data.train.labels
    numbers = [*numbers_of(plan.trained_on), *numbers_of(plan.held_out)]
    assert sorted(numbers) == [n for n in range(MINE_FROM, MINE_FROM + 60) if n % 10]
    for part in (plan.trained_on, plan.held_out, plan.data.train):
        assert (part.labels == numbers_of(part) % 10).all()  # each image with its own label


def test_a_fifth_of_the_not_a_digit_drawings_is_held_out_and_the_rest_trained_on():
    network = TrainConfig(hidden=(16,), cost="cross_entropy").make_network()
    mnist = MnistData(numbered(400), numbered(30, 50_000), "m")
    plan = plan_fine_tune(network, None, mnist, with_others(60), mnist_rows=60)
    assert plan.left_out == 0 and plan.held_out.not_a_digit
    assert sorted(plan.held_out.labels.tolist()) == [*range(1, 10), NOT_A_DIGIT]  # 1 of 6 each
    held, trained = set(numbers_of(plan.held_out)), set(numbers_of(plan.trained_on))
    assert not held & trained and held | trained == set(range(MINE_FROM, MINE_FROM + 60))
    mix = plan.data.train
    for labels, numbers in ((plan.held_out.labels, numbers_of(plan.held_out)),
                            (plan.trained_on.labels, numbers_of(plan.trained_on)),
                            (mix.labels, numbers_of(mix))):
        mine = numbers >= MINE_FROM
        assert (labels[mine] == label_of(numbers[mine])).all()
        assert (labels[~mine] == numbers[~mine] % 10).all()  # MNIST's (numbered from 0)


def test_the_short_run_keeps_the_models_cost_anneals_and_uses_small_batches():
    other = TrainConfig(hidden=(16,), cost="quadratic", batch_size=128,
                        schedule="constant").make_network()
    derived = fine_tune_config(other, None, seed=3)
    assert derived.cost == "quadratic" and derived.seed == 3
    assert derived.schedule == "cosine" and derived.batch_size == 64
    small = TrainConfig(hidden=(16,), batch_size=32, schedule="constant")
    gentle = fine_tune_config(small.make_network(), small)
    assert gentle.batch_size == 32 and gentle.schedule == "cosine"


def test_accuracy_is_none_without_labelled_digits_and_reads_as_the_network_was_trained():
    from core.preprocess import deskew

    network = TrainConfig(hidden=(16,)).make_network()
    assert accuracy(network, None) is None
    assert accuracy(network, Dataset(numbered(3).images, None)) is None
    assert accuracy(network, Dataset(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8))) \
        is None
    images = stroke_digits(200)
    network.deskew = True
    labels = network.predict(as_inputs(deskew(images))).astype(np.uint8)  # right, deskewed
    assert (network.predict(as_inputs(images)) != labels).any()  # deskewing matters here
    assert accuracy(network, Dataset(images, labels)) == 1.0


def test_accuracy_with_the_rule_reads_each_drawing_as_the_window_does():
    """core.reject.judge is the window's reading of one drawing (None: "not a digit") and its
    score; accuracy with the rule agrees with it drawing by drawing, for two hidden layers too."""
    network = TrainConfig(hidden=(24, 12), cost="cross_entropy").make_network()
    images = stroke_digits(60)
    rows = as_inputs(images, network.dtype)
    network.reject = RejectRule("energy", 0.0)
    scores = np.sort([judge(network, row)[1] for row in rows])
    network.reject = RejectRule("energy", float(scores[29] + scores[30]) / 2)  # rejects 30
    window = np.array([NOT_A_DIGIT if (r := read(network, row)) is None else r for row in rows])
    assert (window == NOT_A_DIGIT).sum() == 30
    labels = np.where(np.arange(60) % 3 == 0, NOT_A_DIGIT, network.predict(rows)).astype(np.uint8)
    data = Dataset(images, labels, "mine", not_a_digit=True)
    assert accuracy(network, data, rule=True) == pytest.approx((window == labels).mean())
    assert accuracy(network, data) == pytest.approx(40 / 60)  # no rule: a digit for each


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_rule_calibrated_on_drawings_rejects_the_share_of_them_it_promised(dtype):
    """calibrate's threshold is one drawing's score exactly, so accuracy must read that drawing
    from the very inputs calibrate saw (pixel × 1/255 in the network's dtype) to keep it."""
    network = Network([784, 16, 10], "relu", "cross_entropy", rng=np.random.default_rng(1),
                      dtype=dtype)
    images = stroke_digits(40, seed=3)
    rows = as_inputs(images, dtype)  # the inputs as this network reads them
    others = Dataset(images, np.full(40, NOT_A_DIGIT, np.uint8), "others", not_a_digit=True)
    for k in range(0, 40, 3):
        network.reject = calibrate(network, rows, "energy", (k + 0.5) / 40)
        assert accuracy(network, others, rule=True) == k / 40  # k rejected: read as not a digit


@pytest.mark.parametrize("report, text", [
    (FineTuneReport(30, 6, 0.5, 1.0, 0.9, 0.95, 2.0),
     "Fine-tuned on 30 of your digits in 2.0 s. Accuracy on your 6 held-out digits: 50.0% → "
     "100.0%; on the MNIST test set: 90.0% → 95.0%."),
    (FineTuneReport(8, 0, None, None, None, 0.5, 1.25, stopped=True),
     "Fine-tuned on 8 of your digits in 1.2 s (stopped). Accuracy on too few digits to hold any "
     "out (5 of a digit are needed); on the MNIST test set: – → 50.0%."),
    (FineTuneReport(4, 0, None, None, 0.9, 0.9, 1.0, left_out=1),
     "Fine-tuned on 4 of your digits in 1.0 s. Accuracy on too few digits to hold any out (5 of "
     "a digit are needed); on the MNIST test set: 90.0% → 90.0%. Your 1 “not a digit” drawing "
     "was left out: this model's quadratic cost has no target for such drawings (the "
     "cross-entropy cost has: train a model with it to teach them)."),
    (FineTuneReport(40, 8, 0.25, 0.75, 0.9, 0.9, 3.0, left_out=12),
     "Fine-tuned on 40 of your digits in 3.0 s. Accuracy on your 8 held-out digits: 25.0% → "
     "75.0%; on the MNIST test set: 90.0% → 90.0%. Your 12 “not a digit” drawings were left "
     "out: this model's quadratic cost has no target for such drawings (the cross-entropy cost "
     "has: train a model with it to teach them)."),
])
def test_the_report_says_before_and_after(report, text):
    assert report.describe() == text
