"""My digits' "not a digit" label (issue 21): stored as 10 (``NOT_A_DIGIT``), round-trips
through the my-digits file and its export; the IDX pair (MNIST's labels are 0-9) leaves those
drawings out; the fine-tune learns them with the uniform target, or leaves them out for the
quadratic cost."""

import io
import json
import zipfile

import numpy as np
import pytest

from core.data import Dataset, MnistData, load_idx
from core.errors import DataError
from core.finetune import (
    NONDIGITS,
    FineTuneReport,
    accuracy,
    fine_tune_config,
    held_out,
    plan_fine_tune,
)
from core.mydigits import MyDigits
from core.network import Network
from core.reject import RejectRule
from core.rows import NOT_A_DIGIT


def drawing(rng, label):
    img = np.zeros((28, 28), np.uint8)
    img[4:24, 6 + label % 8 : 12 + label % 8] = rng.integers(128, 256)
    return img


@pytest.fixture
def mine(tmp_path, rng):
    digits, _ = MyDigits.open(tmp_path / "my-digits.npz")
    for label in (3, NOT_A_DIGIT, 7, NOT_A_DIGIT):
        digits.add(drawing(rng, label), label)
    return digits


def test_not_a_digit_round_trips_through_the_file(mine, tmp_path):
    again, notice = MyDigits.open(tmp_path / "my-digits.npz")
    assert notice is None and again.labels.tolist() == [3, 10, 7, 10]
    assert again.counts().tolist() == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 2]
    assert again.dataset().not_a_digit and again.dataset().labels.tolist() == [3, 10, 7, 10]
    again.relabel(int(again.ids[0]), NOT_A_DIGIT)
    again.relabel(int(again.ids[1]), 5)
    assert MyDigits.read(tmp_path / "my-digits.npz").labels.tolist() == [10, 5, 7, 10]


def test_a_set_of_only_not_a_digit_drawings_is_a_data_set_and_one_of_digits_a_plain_one(mine):
    others = mine.dataset([1, 3])  # the two "not a digit" drawings alone
    assert others.not_a_digit and others.labels.tolist() == [10, 10]
    np.testing.assert_array_equal(others.images, mine.images[[1, 3]])
    digits = mine.dataset([0, 2])  # the 3 and the 7: no label 10 in it, none allowed
    assert not digits.not_a_digit and digits.labels.tolist() == [3, 7]


def test_the_export_keeps_them_in_the_file_and_leaves_them_out_of_the_idx_pair(mine, tmp_path):
    npz, images, labels = mine.export(tmp_path / "mine")
    back = MyDigits.read(npz)
    assert back.labels.tolist() == [3, 10, 7, 10]
    np.testing.assert_array_equal(back.images, mine.images)
    assert load_idx(labels).tolist() == [3, 7]  # MNIST's loader reads the pair: digits only
    np.testing.assert_array_equal(load_idx(images), mine.images[[0, 2]])


def header_of(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(bytes(np.load(io.BytesIO(zf.read("header.npy")))).decode())


def test_a_file_with_not_a_digit_is_version_2_and_one_without_stays_version_1(mine, tmp_path):
    assert header_of(tmp_path / "my-digits.npz")["version"] == 2
    plain, _ = MyDigits.open(tmp_path / "plain.npz")
    plain.add(np.zeros((28, 28), np.uint8), 4)
    assert header_of(tmp_path / "plain.npz")["version"] == 1


def test_a_version_1_file_with_label_10_is_refused_by_name(mine, tmp_path):
    path = tmp_path / "my-digits.npz"
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "header.npy":
                h = {**header_of(path), "version": 1}
                b = io.BytesIO()
                np.save(b, np.frombuffer(json.dumps(h).encode(), np.uint8))
                data = b.getvalue()
            zf.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())
    with pytest.raises(DataError, match=r"my-digits.npz: labels beyond 9"):
        MyDigits.read(path)


def test_held_out_sets_aside_a_fifth_of_the_not_a_digit_drawings_too():
    labels = np.array([NOT_A_DIGIT] * 10 + [2] * 3, np.uint8)
    keep, hold = held_out(labels, np.random.default_rng(0))
    assert sorted([*keep, *hold]) == list(range(13))
    assert (labels[hold] == NOT_A_DIGIT).sum() == 2 and len(hold) == 2


def small_mnist(rng) -> MnistData:
    images = rng.integers(0, 256, (200, 28, 28), dtype=np.uint8)
    labels = np.arange(200, dtype=np.uint8) % 10
    return MnistData(Dataset(images, labels, "train"), Dataset(images[:50], labels[:50], "test"),
                     "random")


def test_the_fine_tune_trains_on_them_and_gets_a_rule_for_a_model_without_one(mine, rng):
    network = Network([784, 16, 10], "relu", "cross_entropy", rng=np.random.default_rng(0))
    plan = plan_fine_tune(network, None, small_mnist(rng), mine.dataset(), mnist_rows=100)
    assert plan.left_out == 0 and plan.config.nondigits == NONDIGITS
    assert (plan.data.train.labels == NOT_A_DIGIT).sum() >= 2 and plan.data.train.not_a_digit
    assert fine_tune_config(network).nondigits == 0  # no "not a digit" drawings: none added


def test_the_quadratic_cost_leaves_them_out_and_says_so(mine, rng):
    network = Network([784, 16, 10], "sigmoid", "quadratic", rng=np.random.default_rng(0))
    plan = plan_fine_tune(network, None, small_mnist(rng), mine.dataset(), mnist_rows=100)
    assert plan.left_out == 2 and plan.config.nondigits == 0
    assert NOT_A_DIGIT not in plan.data.train.labels and len(plan.trained_on) == 2
    text = FineTuneReport(2, 0, None, None, 0.9, 0.9, 1.0, left_out=2).describe()
    assert "Your 2 “not a digit” drawings were left out: this model's quadratic cost" in text


def test_accuracy_with_the_rule_counts_a_rejected_not_a_digit_as_right(rng):
    from core.rows import as_inputs

    network = Network([784, 16, 10], "relu", "cross_entropy", rng=np.random.default_rng(0))
    images = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    read = network.predict(as_inputs(images, network.dtype))
    labels = np.array([NOT_A_DIGIT] * 4 + list(read[4:]), np.uint8)
    data = Dataset(images, labels, "mine", not_a_digit=True)
    assert accuracy(network, data, rule=True) == pytest.approx(2 / 6)  # no rule: all digits
    network.reject = RejectRule("max_probability", 1.01)  # rejects everything
    assert accuracy(network, data, rule=True) == pytest.approx(4 / 6)
    assert accuracy(network, data) == pytest.approx(2 / 6)  # MNIST's figure: no rule
    network.reject = RejectRule("max_probability", 0.0)  # rejects nothing
    assert accuracy(network, data, rule=True) == pytest.approx(2 / 6)
