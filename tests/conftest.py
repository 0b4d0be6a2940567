"""Shared fixtures. Qt runs offscreen; real-MNIST tests read the folder named by MNIST_DIR."""

import faulthandler
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

# tests/helpers/reliability.py: counts what the suite tried; prints and saves the README's numbers
pytest_plugins = ["helpers.reliability"]

MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The real MNIST folder from $MNIST_DIR. Fails (never skips) under CI when it is missing."""
    value = os.environ.get("MNIST_DIR")
    problem = None
    if not value:
        problem = "MNIST_DIR is not set"
    elif not all((Path(value) / f).is_file() for f in MNIST_FILES):
        problem = f"MNIST_DIR={value!r} does not hold the four MNIST IDX .gz files"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem}; .ci/run must export it (real-data tests cannot be skipped)")
        pytest.skip(problem)
    return Path(value)


@pytest.fixture(scope="session")
def mnist_test_images(mnist_dir) -> np.ndarray:
    """The 10,000 real MNIST test images, uint8 (10000, 28, 28)."""
    from core.data import load_idx

    return load_idx(mnist_dir / "t10k-images-idx3-ubyte.gz", kind="images")


@pytest.fixture(scope="session", autouse=True)
def _one_blas_thread():
    """The suite trains on one BLAS thread, as the window and ``ffn train`` do: core takes the
    threads its caller allows, and a second one spinning for a busy core slows training many
    times over. A test may allow more inside its own ``threadpool_limits``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Every test keeps its caches (core.prepare's prepared digits) in a folder of its own,
    never in the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


# --- hangs -------------------------------------------------------------------------------------
# A test that hangs (a deadlock between threads, say) must fail the run at once with every
# thread's stack, not run into CI's time limit in silence. A Python watchdog thread (such as
# pytest-timeout's) cannot help when the stuck thread holds the GIL; faulthandler's C thread can.
# It writes to the real stderr, duplicated while pytest's capture is suspended (configure time).
HANG_SECONDS = 15 * 60  # the slowest test, the soak, takes about a minute
_real_stderr: list[int] = []


def pytest_configure(config):
    _real_stderr.append(os.dup(2))


@pytest.fixture(autouse=True)
def _hang_watchdog():
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=_real_stderr[0])
    yield
    faulthandler.cancel_dump_traceback_later()


# --- Qt: isolation and leak checks for every test that uses qtbot ----------------------------


def _refuse_modal(name):
    def refuse(*args, **kwargs):
        raise AssertionError(
            f"{name} would open a blocking dialog in a test; monkeypatch the window's "
            "show_error / ask_save_changes / ask_path instead"
        )

    return refuse


@pytest.fixture(autouse=True)
def _qt_isolation(request, monkeypatch):
    """For GUI tests (those using qtbot): settings, config and data folders in tmp_path, no
    blocking dialogs, and a failure if the test leaves a worker thread running."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    tmp = request.getfixturevalue("tmp_path_factory").mktemp("qt-home")
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(var, str(tmp / var.lower()))
    if request.node.get_closest_marker("mnist") is None:
        monkeypatch.delenv("MNIST_DIR", raising=False)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    for name in ("question", "warning", "critical", "information", "about", "exec"):
        monkeypatch.setattr(QMessageBox, name, _refuse_modal(f"QMessageBox.{name}"))
    monkeypatch.setattr(QDialog, "exec", _refuse_modal("QDialog.exec"))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, _refuse_modal(f"QFileDialog.{name}"))

    yield

    from ffn_gui.work import workers

    leaked = []
    for job in workers.running_jobs():
        if not job.wait(1000):  # a worker that has just said "finished" gets a moment
            leaked.append(job.thread.objectName())
            job.cancel()
            job.wait(10_000)
    if leaked:
        pytest.fail(f"the test left worker threads running: {', '.join(leaked)}")
    import multiprocessing

    children = multiprocessing.active_children()  # also reaps those that have ended
    if children:
        for child in children:
            child.kill()
        pytest.fail(f"the test left processes running: {', '.join(c.name for c in children)}")


# --- the window and small data for GUI tests -------------------------------------------------


@pytest.fixture
def small_mnist():
    """Factory of a small learnable ``MnistData`` (helpers/synthetic.py's blobs, not MNIST)."""
    from helpers.synthetic import blobs

    from core.data import Dataset, MnistData

    def make(n_train: int = 600, n_test: int = 100, seed: int = 0) -> MnistData:
        rng = np.random.default_rng(seed)
        train, test = blobs(n_train, rng), blobs(n_test, rng)
        return MnistData(Dataset(train.images, train.labels, "synthetic (train)"),
                         Dataset(test.images, test.labels, "synthetic (test)"), "synthetic")

    return make


@pytest.fixture
def window(qtbot, monkeypatch):
    """A shown ``MainWindow()`` as a new user gets it, after its start-up search for MNIST has
    ended (none is found: the folders are isolated). Errors go to ``window.errors`` instead of
    a dialog; closing with an unsaved model, or training over it, discards it."""
    from ffn_gui import MainWindow

    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(MainWindow, "show_error", lambda self, title, text: errors.append(
        (title, text)))
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    monkeypatch.setattr(MainWindow, "ask_train_over", lambda self: ("discard", False))
    w = MainWindow()
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: not w.loading_data, timeout=10_000)
    w.errors = errors
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()  # here, while ask_save_changes is still patched
