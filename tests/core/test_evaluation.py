"""core.evaluation: the confusion matrix, per-digit accuracy and galleries, checked against the
model's own predictions counted one example at a time; ``ffn evaluate`` prints the same."""

import numpy as np
import pytest
from helpers.datafiles import IDX_NAMES, write_idx
from helpers.synthetic import blobs

from core.cli import main
from core.evaluation import confusion_matrix, confusion_text, evaluate_model
from core.model_io import load_model, save_model
from core.training import TrainConfig, evaluate, train
from ffn_gui.resources import bundled_model_path


@pytest.fixture(scope="module")
def half_trained():
    """A network that reads blobs well but not perfectly, and a test set with every cell kind."""
    rng = np.random.default_rng(7)
    data = blobs(400, rng, noise=120)
    config = TrainConfig(hidden=(16,), activation="relu", cost="cross_entropy",
                         optimizer="adam", learning_rate=3e-3, batch_size=32, epochs=1,
                         validation=0)
    network = config.make_network()
    train(network, config, data)
    return network, blobs(500, rng, noise=200)


def test_confusion_matrix_counts_each_prediction_once(half_trained):
    network, test = half_trained
    result = evaluate_model(network, test.images, test.labels, chunk=64)
    expected = np.zeros((10, 10), int)
    for image, label in zip(test.images, test.labels):
        read = int(np.argmax(network.feedforward(image.reshape(1, 784) / 255.0)))
        expected[label, read] += 1
    np.testing.assert_array_equal(result.confusion, expected)
    assert 0.3 < result.accuracy < 1.0, "the fixture needs a network that makes mistakes"
    _, acc = evaluate(network, test.images, test.labels)
    assert result.accuracy == pytest.approx(acc)
    counts = np.bincount(test.labels, minlength=10)
    np.testing.assert_allclose(result.per_class, np.diag(expected) / counts)
    np.testing.assert_allclose(result.probs.sum(axis=1), 1, atol=1e-5)


def test_cells_hold_exactly_their_examples_in_gallery_order(half_trained):
    network, test = half_trained
    result = evaluate_model(network, test.images, test.labels)
    seen = []
    for t in range(10):
        for r in range(10):
            cell = result.cell(t, r)
            assert len(cell) == result.confusion[t, r]
            assert (test.labels[cell] == t).all() and (result.predicted[cell] == r).all()
            conf = result.probs[cell, r]
            assert (np.diff(conf) >= 0).all() if t == r else (np.diff(conf) <= 0).all()
            seen.extend(cell.tolist())
    assert sorted(seen) == list(range(len(test.labels)))
    wrong = result.most_confidently_wrong()
    assert len(wrong) == len(test.labels) - result.correct
    assert (np.diff(result.confidence(wrong)) <= 0).all()
    top = result.top(int(wrong[0]))
    assert top[0][0] == result.predicted[wrong[0]] and top[0][1] >= top[1][1] >= top[2][1]


def test_a_digit_with_no_examples_has_no_accuracy_and_empty_sets_work(half_trained):
    network, _ = half_trained
    images = np.zeros((3, 28, 28), np.uint8)
    result = evaluate_model(network, images, np.array([1, 1, 2], np.uint8))
    assert np.isnan(result.per_class[0]) and not np.isnan(result.per_class[1])
    empty = evaluate_model(network, images[:0], np.array([], np.uint8))
    assert len(empty) == 0 and empty.accuracy == 0 and empty.confusion.sum() == 0


def test_stop_abandons_and_progress_counts_up(half_trained):
    network, test = half_trained
    seen = []
    result = evaluate_model(network, test.images, test.labels, chunk=100,
                            progress=lambda done, total: seen.append((done, total)))
    assert seen == [(100, 500), (200, 500), (300, 500), (400, 500), (500, 500)]
    assert result is not None
    assert evaluate_model(network, test.images, test.labels, stop=lambda: True) is None


def test_confusion_matrix_of_known_pairs():
    m = confusion_matrix([0, 0, 1, 9, 9, 9], [0, 1, 1, 9, 9, 3])
    assert m[0, 0] == 1 and m[0, 1] == 1 and m[1, 1] == 1 and m[9, 9] == 2 and m[9, 3] == 1
    assert m.sum() == 6
    text = confusion_text(m).splitlines()
    assert len(text) == 11 and text[10].split()[1:] == ["0", "0", "0", "1", "0", "0", "0", "0",
                                                         "0", "2"]


def test_ffn_evaluate_prints_the_same_numbers(half_trained, tmp_path, capsys):
    network, test = half_trained
    folder = tmp_path / "mnist"
    folder.mkdir()
    for split in ("train", "test"):
        write_idx(folder / (IDX_NAMES[split, "images"] + ".gz"), test.images)
        write_idx(folder / (IDX_NAMES[split, "labels"] + ".gz"), test.labels)
    save_model(tmp_path / "m.npz", network)
    assert main(["evaluate", "--model", str(tmp_path / "m.npz"), "--data", str(folder)]) == 0
    text = capsys.readouterr().out.splitlines()
    result = evaluate_model(network, test.images, test.labels)
    assert f"test accuracy: {result.accuracy:.2%}" in text[1]
    assert text[2].startswith("per digit: 0: ") and f"{result.per_class[3]:.1%}" in text[2]
    assert "\n".join(text[3:14]) == confusion_text(result.confusion)


@pytest.mark.mnist
def test_bundled_model_on_mnist_test_set(mnist_dir):
    from core.data import load_idx_folder
    from core.preprocess import as_read_by

    data = load_idx_folder(mnist_dir)
    network = load_model(bundled_model_path()).network
    result = evaluate_model(network, data.test.images, data.test.labels)
    _, acc = evaluate(network, data.test.images, data.test.labels)
    assert result.accuracy == pytest.approx(acc) and result.accuracy > 0.97
    np.testing.assert_array_equal(
        result.confusion, confusion_matrix(data.test.labels, network.predict(
            as_read_by(network, data.test.images).reshape(-1, 784) / np.float32(255))))


# --- what an Evaluation promises beyond the counts -------------------------------------------

def tied(n=500, seed=3):
    """An Evaluation of n examples whose confidences take only three values (many ties),
    built from its definition: predicted = argmax of each row."""
    from core.evaluation import Evaluation

    rng = np.random.default_rng(seed)
    predicted = rng.integers(0, 10, n)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    probs = np.full((n, 10), 0.01, np.float32)
    probs[np.arange(n), predicted] = rng.choice(np.float32([0.5, 0.7, 0.9]), n)
    return Evaluation(probs, labels, predicted, confusion_matrix(labels, predicted))


def test_equal_confidences_keep_the_sets_order_in_galleries_and_mistakes():
    result = tied()
    conf = result.probs.max(axis=1)
    wrong = result.most_confidently_wrong()
    expected = sorted(np.flatnonzero(result.labels != result.predicted), key=lambda i: -conf[i])
    assert wrong.tolist() == expected  # Python's sort is stable: ties in the set's order
    assert result.most_confidently_wrong(5).tolist() == expected[:5]
    for t, r in [(3, 3), (3, 5)]:
        members = np.flatnonzero((result.labels == t) & (result.predicted == r))
        key = (lambda i: conf[i]) if t == r else (lambda i: -conf[i])
        assert result.cell(t, r).tolist() == sorted(members, key=key)
    assert np.array_equal(result.confidence(), conf)
    assert result.confidence([]).shape == (0,)


def test_the_result_has_the_documented_types_and_three_top_digits(half_trained):
    network, test = half_trained
    from core.rows import as_inputs

    result = evaluate_model(network, test.images, test.labels.astype(np.int64))
    assert result.probs.dtype == np.float32 and result.labels.dtype == np.uint8
    assert result.confusion.dtype == np.int64
    # the same float32 rows the window and `ffn predict` give the network: the same numbers
    assert np.array_equal(result.probs, network.predict_proba(as_inputs(test.images)))
    assert len(result.top(0)) == 3
    assert confusion_matrix([1, 2], [1, 1]).dtype == np.int64


def test_bad_shapes_and_a_network_that_is_not_784_to_10_are_refused(half_trained):
    from core.errors import ConfigError
    from core.network import Network

    network, test = half_trained
    with pytest.raises(ConfigError, match=r"^need \(N, 28, 28\) images with N labels, got images "
                                          r"\(500, 784\) and 500 labels$"):
        evaluate_model(network, test.images.reshape(500, 784), test.labels)
    with pytest.raises(ConfigError, match=r"got images \(500, 28, 28\) and 499 labels"):
        evaluate_model(network, test.images, test.labels[:499])
    with pytest.raises(ConfigError, match="^cannot evaluate: the network maps 784 inputs to 5 "
                                          "outputs"):
        evaluate_model(Network([784, 8, 5]), test.images, test.labels)


def test_the_confusion_text_is_aligned_whatever_the_counts():
    small = confusion_matrix([0, 0, 1], [0, 1, 1])
    assert confusion_text(small).splitlines()[:2] == [
        "true \\ predicted     0    1    2    3    4    5    6    7    8    9",
        "               0     1    1    0    0    0    0    0    0    0    0"]
    big = np.zeros((10, 10), np.int64)
    big[2, 2], big[2, 3] = 1_234_567, 7_654_321
    lines = confusion_text(big).splitlines()
    assert len({len(line) for line in lines}) == 1  # every column right-aligned
    assert lines[3].split() == ["2", "0", "0", "1234567", "7654321"] + ["0"] * 6
    assert lines[0].endswith("       8       9")  # 7-digit counts: columns 8 wide
