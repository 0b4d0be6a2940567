"""Model files: round trip, atomic saves, and every malformed file refused with a clear error."""

import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from helpers import reliability
from helpers.broken import BROKEN_MODELS

from core.errors import ModelFileError
from core.model_io import FORMAT_VERSION, load_model, save_model
from core.network import Network
from core.training import preset


@pytest.fixture
def net(rng):
    return Network([784, 16, 10], "relu", "cross_entropy", rng=rng)


@pytest.fixture
def saved(net, tmp_path):
    return save_model(tmp_path / "m.npz", net, config=preset("default", hidden=(16,)),
                      metrics={"test_accuracy": 0.9}, data_checksum="ab" * 32, name="mine")


def test_round_trip(net, saved, rng):
    model = load_model(saved)
    assert model.name == "mine" and model.metrics == {"test_accuracy": 0.9}
    assert model.config == preset("default", hidden=(16,))
    assert model.data_checksum == "ab" * 32
    # a model without a "not a digit" rule is written as version 1, which every reader reads
    assert model.header["format_version"] == 1 < FORMAT_VERSION
    X = rng.random((5, 784))
    np.testing.assert_array_equal(model.network.feedforward(X), net.feedforward(X))
    assert model.network.describe() == net.describe()


@pytest.mark.parametrize("case", BROKEN_MODELS)
def test_malformed_models_are_refused(case, saved):
    bad = BROKEN_MODELS[case](saved)
    with pytest.raises(ModelFileError) as e:
        load_model(bad)
    assert "variant.npz" in str(e.value)
    reliability.count("bad_input")


def test_object_arrays_are_refused_not_unpickled(saved, tmp_path):
    with np.load(saved) as npz:
        data = {k: npz[k] for k in npz.files}
    data["w0"] = np.array([object()] * 3, dtype=object)
    bad = tmp_path / "pickled.npz"
    np.savez(bad, **data)
    with pytest.raises(ModelFileError, match="pickled.npz"):
        load_model(bad)
    reliability.count("bad_input")


@pytest.mark.parametrize("content", [b"", b"hello", b"PK\x03\x04garbage", b"\x93NUMPY"])
def test_not_an_archive(tmp_path, content):
    p = tmp_path / "x.npz"
    p.write_bytes(content)
    with pytest.raises(ModelFileError, match="x.npz"):
        load_model(p)
    reliability.count("bad_input")


def test_truncated_archives(saved):
    data = saved.read_bytes()
    for cut in (10, len(data) // 3, len(data) // 2, len(data) - 30):
        saved.with_name("cut.npz").write_bytes(data[:cut])
        with pytest.raises(ModelFileError, match="cut.npz"):
            load_model(saved.with_name("cut.npz"))
        reliability.count("bad_input")


def test_zip_bomb_is_refused_before_reading(tmp_path):
    p = tmp_path / "bomb.npz"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        buf = io.BytesIO()
        np.save(buf, np.zeros((2**28 // 4 + 1000,), np.float32))  # > 256 MiB of zeros
        zf.writestr("w0.npy", buf.getvalue())
        zf.writestr("header.npy", b"")
    assert p.stat().st_size < 2**20
    with pytest.raises(ModelFileError, match="MiB"):
        load_model(p)
    reliability.count("bad_input")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path / "none.npz")
    with pytest.raises(ModelFileError, match="folder"):
        load_model(tmp_path)


def test_failed_save_leaves_the_old_file_and_no_temporary(net, saved, monkeypatch):
    before = saved.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(OSError):
        save_model(saved, net)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == ["m.npz"]


KILLER = r"""
import sys, numpy as np
sys.path.insert(0, {root!r})
from core.network import Network
from core.model_io import save_model
net = Network([784, 1024, 1024, 10], rng=np.random.default_rng(1))
print("ready", flush=True)
while True:
    save_model({path!r}, net)
    print("saved", flush=True)
"""

OLD, NEW = (784, 16, 10), (784, 1024, 1024, 10)


def test_sigkill_mid_save_leaves_old_or_complete_new(net, tmp_path):
    path = tmp_path / "model.npz"
    save_model(path, net)  # the old model: a different architecture from the new one
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    outcomes = []
    # the kill lands at an arbitrary point of a save: before the first save ends, or (waiting
    # for "saved" first) after one new model is complete and in the middle of the next save
    for delay, after_a_save in ((0.05, False), (0.15, False), (0.0, True), (0.05, True),
                                (0.15, True)):
        proc = subprocess.Popen([sys.executable, "-c", KILLER.format(root=root, path=str(path))],
                                stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        if after_a_save:
            assert proc.stdout.readline().strip() == b"saved"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        model = load_model(path)  # never a broken file
        outcomes.append(tuple(model.network.sizes))
        # a temporary file the kill left behind sits beside the target, never elsewhere
        assert all(p == path or p.name.startswith(".model.npz.") for p in tmp_path.iterdir())
    assert set(outcomes) <= {OLD, NEW}
    assert outcomes[2:] == [NEW] * 3, outcomes  # a completed save is never undone by a kill


def test_the_temporary_file_is_written_beside_the_target(net, tmp_path, monkeypatch):
    """os.replace is atomic only within one filesystem (and fails across two): the temporary
    file must be in the target's own folder."""
    import core.model_io as model_io

    replaced = []
    real = model_io.os.replace

    def spy(src, dst, *args, **kwargs):
        replaced.append((os.path.abspath(src), os.path.abspath(dst)))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(model_io.os, "replace", spy)
    path = save_model(tmp_path / "beside.npz", net)
    assert len(replaced) == 1
    src, dst = replaced[0]
    assert dst == os.path.abspath(path)
    assert os.path.dirname(src) == os.path.dirname(dst), replaced
    assert [p.name for p in tmp_path.iterdir()] == ["beside.npz"]


def test_saved_model_is_an_ordinary_readable_file(net, tmp_path):
    old = os.umask(0o022)
    try:
        path = save_model(tmp_path / "perm.npz", net)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.mnist
def test_bundled_model_reads_mnist_test_set(mnist_dir):
    """The model shipped in assets/ keeps >= 99.1% on the MNIST test set (it reads 99.16%;
    deterministic: a fixed model, the fixed test set)."""
    from pathlib import Path

    from core.data import load_idx_folder
    from core.training import evaluate

    model = load_model(Path(__file__).parents[2] / "assets" / "model.npz")
    test = load_idx_folder(mnist_dir).test
    accuracy = evaluate(model.network, test.images, test.labels)[1]
    assert accuracy >= 0.991, f"bundled model: {accuracy:.2%} on the MNIST test set"
