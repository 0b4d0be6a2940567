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
