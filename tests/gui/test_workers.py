"""Workers on real QThreads: what they emit, Stop, errors, and that every thread ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace

import numpy as np
import pytest
from helpers.datafiles import write_mnist_folder

from core.errors import DataError
from core.training import PRESETS, BatchProgress, EpochProgress, TrainControl
from ffn_gui.work import train_worker, workers

# (the synthetic blobs are not digits: deskewing them is not what these tests are about)
CONFIG = replace(PRESETS["default"], hidden=(16,), epochs=3, validation=100, batch_size=32,
                 augment=False, deskew=False)


def run(qtbot, worker, timeout=30_000) -> workers.Job:
    job = workers.Job(worker)
    with qtbot.waitSignal(job.done, timeout=timeout):
        job.start()
    assert not job.running and workers.running_jobs() == []
    return job


def collect(signal) -> list:
    seen: list = []
    signal.connect(seen.append)
    return seen


@pytest.fixture(params=["process", "thread"])
def where(request, monkeypatch):
    """Both ways a run goes: in a child process (Linux) and on the worker's thread."""
    if request.param == "process" and not train_worker.PROCESS:
        pytest.skip("runs in a child process only where the platform forks")
    monkeypatch.setattr(train_worker, "PROCESS", request.param == "process")
    return request.param


def test_train_worker_reports_progress_snapshots_and_the_outcome(qtbot, small_mnist, where):
    network = CONFIG.make_network()
    worker = train_worker.TrainWorker(network, CONFIG, small_mnist(600, 100), min_gap=0.0)
    progress, snapshots, outcomes = (collect(worker.progress), collect(worker.snapshot),
                                     collect(worker.succeeded))
    failures = collect(worker.failed)
    run(qtbot, worker)
    assert failures == []
    items = [p for batch in progress for p in batch]
    epochs = [p for p in items if isinstance(p, EpochProgress)]
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert any(isinstance(p, BatchProgress) for p in items)
    # a snapshot with every emission holding an epoch end, each an independent copy
    assert len(snapshots) >= 3
    assert all(s is not network and s.weights[0] is not network.weights[0] for s in snapshots)
    np.testing.assert_array_equal(snapshots[-1].weights[0], network.weights[0])
    (outcome,) = outcomes
    assert outcome.network is network
    assert outcome.result.epochs_completed == 3
    # seed-fixed, so deterministic: 100% of the blobs on this machine; one miss in 50 allowed
    assert 0.98 <= outcome.test_accuracy <= 1
    assert outcome.data_checksum and len(outcome.data_checksum) == 64


def test_a_run_keeps_its_prepared_digits_unless_told_not_to(qtbot, small_mnist, where):
    from core.prepare import cache_folder

    config = replace(CONFIG, epochs=1, augment=True, deskew=True)
    data = small_mnist(600, 50)
    run(qtbot, train_worker.TrainWorker(config.make_network(), config, data, keep_prepared=False))
    assert not list(cache_folder().glob("*.npz"))
    run(qtbot, train_worker.TrainWorker(config.make_network(), config, data))  # kept by the child
    assert [f.name[:32] for f in cache_folder().glob("*.npz")] == [data.train.checksum()[:32]]


def test_tiny_epochs_are_bundled_not_flooded(qtbot, small_mnist, where):
    config = replace(CONFIG, epochs=200, batch_size=100)
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50))
    progress = collect(worker.progress)
    run(qtbot, worker)
    epochs = [p for batch in progress for p in batch if isinstance(p, EpochProgress)]
    assert len(epochs) == 200  # nothing lost
    assert len(progress) < 100  # but far fewer emissions than epochs


def test_stop_flag_ends_the_run_early(qtbot, small_mnist, where):
    config = replace(CONFIG, epochs=10_000)
    control = TrainControl()
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50), control)
    outcomes = collect(worker.succeeded)
    job = workers.Job(worker)
    worker.progress.connect(lambda items: control.stop())  # stop at the first report
    with qtbot.waitSignal(job.done, timeout=10_000):
        job.start()
    assert outcomes[0].result.stopped
    assert outcomes[0].result.epochs_completed < 10_000


def test_an_exception_in_the_worker_is_emitted(qtbot, small_mnist, where):
    bad = replace(CONFIG, validation=10_000)  # more than the 600 examples
    worker = train_worker.TrainWorker(bad.make_network(), bad, small_mnist(600, 50))
    failures = collect(worker.failed)
    run(qtbot, worker)
    assert len(failures) == 1 and "validation" in str(failures[0])


@pytest.mark.skipif(not train_worker.PROCESS, reason="runs in a child process only on Linux")
def test_the_run_goes_on_in_a_child_process_that_ends_with_it(qtbot, small_mnist):
    config = replace(CONFIG, epochs=30)
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50))
    pids = []
    worker.progress.connect(lambda _items: pids.append(worker.process.pid))
    run(qtbot, worker)
    assert pids and all(pid != os.getpid() for pid in pids)
    assert multiprocessing.active_children() == [] and worker.process is None


def nice_and_policy(pid: int) -> tuple[int, int]:
    """(nice, scheduling policy) of process ``pid``, from /proc/<pid>/stat (fields 19 and 41)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after the command's name, from field 3
    return int(fields[16]), int(fields[38])


@pytest.mark.skipif(not train_worker.PROCESS, reason="runs in a child process only on Linux")
def test_the_training_process_runs_at_idle_priority_and_the_window_at_its_own(qtbot,
                                                                              small_mnist):
    before = nice_and_policy(os.getpid()), os.sched_getscheduler(0)
    config = replace(CONFIG, epochs=10_000)
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50))
    seen = []

    def look(_items) -> None:
        if not seen:
            pid = worker.process.pid
            seen.append((nice_and_policy(pid), os.sched_getscheduler(pid)))
            worker.cancel()

    worker.progress.connect(look)
    run(qtbot, worker)
    (nice, policy), scheduler = seen[0]
    assert scheduler == os.SCHED_IDLE and policy == os.SCHED_IDLE  # the child: idle
    assert (nice_and_policy(os.getpid()), os.sched_getscheduler(0)) == before  # the window: not
    assert before[1] == os.SCHED_OTHER


@pytest.mark.skipif(not train_worker.PROCESS, reason="runs in a child process only on Linux")
def test_stop_puts_the_training_process_back_at_normal_priority(qtbot, small_mnist,
                                                                   monkeypatch):
    """Stop on a busy machine: an idle-priority child would not run to see the flag, so Stop
    puts it back in the normal class first (the soak under load timed out without this)."""
    config = replace(CONFIG, epochs=10_000)
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50))
    seen = []
    restore = train_worker.restore_priority

    def restore_and_look(pid: int) -> bool:
        seen.append(os.sched_getscheduler(pid))
        done = restore(pid)
        seen.append(os.sched_getscheduler(pid))
        return done

    monkeypatch.setattr(train_worker, "restore_priority", restore_and_look)
    worker.progress.connect(lambda _items: worker.control.stopped or worker.cancel())
    run(qtbot, worker)
    assert seen == [os.SCHED_IDLE, os.SCHED_OTHER]


def test_restoring_the_priority_of_a_process_that_is_gone_says_so():
    child = multiprocessing.get_context("fork").Process(target=int)
    child.start()
    child.join()
    assert train_worker.restore_priority(child.pid) is False


def test_lowering_the_priority_falls_back_to_nice_where_there_is_no_idle_class(monkeypatch):
    calls = []
    monkeypatch.delattr(os, "SCHED_IDLE", raising=False)
    monkeypatch.setattr(os, "nice", lambda inc: calls.append(inc) or 0)
    assert train_worker.lower_priority() == "nice" and calls == [0, 19]
    monkeypatch.delattr(os, "nice")
    assert train_worker.lower_priority() == "unchanged"


@pytest.mark.skipif(not train_worker.PROCESS, reason="runs in a child process only on Linux")
def test_a_training_process_that_dies_is_a_clear_error(qtbot, small_mnist):
    config = replace(CONFIG, epochs=10_000)
    worker = train_worker.TrainWorker(config.make_network(), config, small_mnist(600, 50))
    failures, outcomes = collect(worker.failed), collect(worker.succeeded)
    killed = []

    def kill(_items) -> None:
        if not killed:
            killed.append(worker.process.pid)
            os.kill(worker.process.pid, signal.SIGKILL)  # as the OOM killer would

    worker.progress.connect(kill)
    run(qtbot, worker)
    assert outcomes == [] and len(failures) == 1
    assert "ended unexpectedly (exit code -9)" in str(failures[0])
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not train_worker.PROCESS, reason="runs in a child process only on Linux")
def test_a_training_process_that_ignores_stop_is_ended(qtbot, small_mnist, monkeypatch):
    import time

    def deaf_run(config, data, network, *, on_progress, control, progress_interval, cache):
        while True:  # reports on and on, and never looks at Stop
            on_progress(BatchProgress(1, 1, 1, 10, 0.5, 10, 0.1))
            time.sleep(0.01)

    monkeypatch.setattr(train_worker, "train_run", deaf_run)  # the forked child has it too
    monkeypatch.setattr(train_worker, "KILL_AFTER", 0.5)
    worker = train_worker.TrainWorker(CONFIG.make_network(), CONFIG, small_mnist(600, 50),
                                 min_gap=0.0)
    failures = collect(worker.failed)
    worker.progress.connect(lambda _items: worker.cancel())
    run(qtbot, worker)
    assert "did not stop within 0.5 s" in str(failures[0])
    assert multiprocessing.active_children() == []


def test_an_error_crosses_from_the_child_as_its_class_and_message():
    from core.errors import TrainingDiverged

    diverged = train_worker.rebuilt_error("TrainingDiverged", "the cost rose")
    assert type(diverged) is TrainingDiverged and str(diverged) == "the cost rose"
    assert type(train_worker.rebuilt_error("MemoryError", "")) is MemoryError
    # neither the engine's nor Python's own
    other = train_worker.rebuilt_error("LocalError", "the cost rose")
    assert type(other) is RuntimeError and str(other) == "LocalError: the cost rose"
    assert type(train_worker.rebuilt_error("UnicodeDecodeError", "x")) is RuntimeError  # 5 args


def test_load_data_worker_finds_nothing_in_empty_folders(qtbot):
    worker = workers.LoadDataWorker()
    missing, loaded = collect(worker.not_found), collect(worker.succeeded)
    run(qtbot, worker)
    assert loaded == [] and "MNIST not found" in missing[0]


def test_load_data_worker_loads_a_folder_and_falls_back_from_a_stale_path(qtbot, tmp_path,
                                                                         monkeypatch):
    write_mnist_folder(tmp_path / "m", 100, 10, np.random.default_rng(0))
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "m"))
    worker = workers.LoadDataWorker(tmp_path / "gone", search=True)
    loaded = collect(worker.succeeded)
    run(qtbot, worker)
    assert len(loaded[0].train) == 100


def test_load_data_worker_reports_a_bad_file(qtbot, tmp_path):
    path = tmp_path / "x.npz"
    path.write_bytes(b"not a zip")
    worker = workers.LoadDataWorker(path, search=False)
    failures = collect(worker.failed)
    run(qtbot, worker)
    assert isinstance(failures[0], DataError)


@pytest.mark.parametrize("n_jobs", [1, 5])
def test_jobs_are_reaped_and_wait_works_without_an_event_loop(qtbot, small_mnist, n_jobs):
    config = replace(CONFIG, epochs=1)
    jobs = [workers.start(train_worker.TrainWorker(config.make_network(), config,
                                              small_mnist(300, 10)))
            for _ in range(n_jobs)]
    for job in jobs:
        assert job.wait(10_000)  # quit() is a direct call: no GUI event loop needed
    assert workers.running_jobs() == []


def test_worker_and_thread_are_deleted_on_the_gui_thread_holding_the_gil(qtbot):
    """Never by Qt on the worker's own thread (deleteLater): ~QObject there takes one of Qt's
    signal-slot mutexes and then waits for the GIL, while the GUI thread may hold the GIL and
    wait for that mutex, a deadlock the soak once hit. The Job lets go of both from Python."""
    import threading

    from PySide6.QtCore import QObject

    class Quick(workers.Worker):
        def work(self) -> None:
            pass

    deleted_on: dict[str, int] = {}
    worker = Quick()
    job = workers.Job(worker)
    thread = job.thread
    for name, obj in (("worker", worker), ("thread", thread)):
        obj.destroyed.connect(lambda *_, name=name: deleted_on.setdefault(
            name, threading.get_ident()))
    del worker, thread, obj  # the Job's are the only references left
    with qtbot.waitSignal(job.done, timeout=10_000):
        job.start()
    qtbot.waitUntil(lambda: len(deleted_on) == 2, timeout=5_000)
    assert deleted_on == {"worker": threading.get_ident(), "thread": threading.get_ident()}
    assert job.worker is None and job.thread is None
    assert isinstance(job, QObject) and not job.running and job.wait()


def test_the_work_runs_on_its_thread_and_the_worker_never_moves(qtbot):
    """The worker stays on the GUI thread (no moveToThread, there or back): a moveToThread takes
    Qt's signal-slot mutexes holding the GIL, and deadlocked with the GUI thread destroying a
    closed window from C++ (~QObject holds such a mutex and waits for the GIL); the suite hung
    so in the window fixture. Its signals still reach the GUI thread queued."""
    import threading

    from PySide6.QtCore import QThread

    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    class Probe(workers.Worker):
        def work(self) -> None:
            seen["work thread"] = threading.get_ident()
            seen["worker's thread during work"] = self.thread()
            self.failed.emit(RuntimeError("reached the GUI thread"))

    worker = Probe()
    worker.failed.connect(lambda error: seen.setdefault("slot thread", threading.get_ident()))
    job = workers.Job(worker)
    with qtbot.waitSignal(job.done, timeout=10_000):
        job.start()
    qtbot.waitUntil(lambda: "slot thread" in seen, timeout=5_000)
    assert seen["work thread"] != threading.get_ident()
    assert seen["worker's thread during work"] is gui
    assert seen["slot thread"] == threading.get_ident()
