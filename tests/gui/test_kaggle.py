"""Kaggle in the window's parts: a test.csv read off the GUI thread with progress, the
submission written as N rows of ImageId,Label; a broken file is the engine's error."""

import numpy as np
import pytest
from helpers.datafiles import write_kaggle_csv
from helpers.synthetic import blobs

from core.errors import DataError
from core.training import TrainConfig, train
from ffn_gui.work.kaggle import KaggleController


@pytest.fixture(scope="module")
def network():
    rng = np.random.default_rng(5)
    config = TrainConfig(hidden=(16,), activation="relu", cost="cross_entropy",
                         optimizer="adam", learning_rate=3e-3, batch_size=32, epochs=1,
                         validation=0)
    net = config.make_network()
    train(net, config, blobs(600, rng))
    return net


def test_predicts_every_row_with_progress_and_writes_the_submission(qtbot, tmp_path, network):
    data = blobs(2500, np.random.default_rng(1))
    write_kaggle_csv(tmp_path / "test.csv", data.images, None)
    kaggle = KaggleController()
    seen = []
    kaggle.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(kaggle.finished, timeout=30_000) as got:
        assert kaggle.predict(network, tmp_path / "test.csv")
    expected = network.predict(data.images.reshape(-1, 784) / 255.0)
    np.testing.assert_array_equal(got.args[0], expected)
    assert seen[-1] == (2500, 2500)
    out = tmp_path / "submission.csv"
    out.write_text("old\n")
    assert kaggle.save(out) == 2500
    rows = out.read_text().splitlines()
    assert rows[0] == "ImageId,Label" and len(rows) == 2501
    assert rows[1] == f"1,{expected[0]}" and rows[-1] == f"2500,{expected[-1]}"
    assert all(r.count(",") == 1 and r.split(",")[1] in "0123456789" for r in rows[1:])


def test_a_broken_csv_is_the_engines_error(qtbot, tmp_path, network):
    (tmp_path / "test.csv").write_text("pixel0,pixel1\n1,2\n")
    kaggle = KaggleController()
    with qtbot.waitSignal(kaggle.finished, timeout=30_000) as got:
        kaggle.predict(network, tmp_path / "test.csv")
    assert isinstance(got.args[0], DataError) and "test.csv" in str(got.args[0])
    assert not kaggle.has_predictions
    with pytest.raises(RuntimeError, match="open a Kaggle test.csv"):
        kaggle.save(tmp_path / "s.csv")
