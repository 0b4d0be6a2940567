"""Batch reports: each one's cost is the mean over exactly the batches since the report before,
epoch boundaries included, and over enough examples that one batch of easy digits cannot pass
for the cost of the network, so the notes' run on real MNIST draws a batch-cost curve without
needles. The loop's clock is replaced by one that ticks once a read (and, for a run that is
descheduled now and then, jumps ahead): the reports fall on the same batches every run."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from helpers.synthetic import Arrays, blobs

from core import training
from core.data import load_idx_folder
from core.training import REPORT_EXAMPLES, BatchProgress, TrainConfig, preset, train
from ffn_gui.plots.live import TrainingPlots


def replace_clock(monkeypatch, read) -> None:
    monkeypatch.setattr(training, "time", SimpleNamespace(perf_counter=read))


@pytest.fixture
def ticking_clock(monkeypatch):
    """``core.training``'s clock advances one second each time it is read."""
    ticks = itertools.count()
    replace_clock(monkeypatch, lambda: next(ticks))


@pytest.fixture
def stalling_clock(monkeypatch):
    """As ``ticking_clock``, but every 97th read finds 1000 s gone: the process was paused."""
    ticks = itertools.count()

    def read() -> int:
        k = next(ticks)
        return k + 1000 * (k // 97)

    replace_clock(monkeypatch, read)


def batch_reports(config, data, interval) -> list[BatchProgress]:
    reports = []
    train(config.make_network(), config, data, on_progress=reports.append,
          progress_interval=interval, train_metrics=False)
    return [r for r in reports if isinstance(r, BatchProgress)]


def test_a_report_is_the_mean_of_every_batch_since_the_last_across_epochs(rng, ticking_clock):
    config = TrainConfig(hidden=(16,), epochs=3, batch_size=10, validation=0)  # the notes' kind
    data = blobs(600, rng)  # 60 batches an epoch; a report about every 7 straddles each end
    single = batch_reports(config, data, 0)  # every batch reported alone: its own cost
    assert [r.examples for r in single] == list(range(10, 1801, 10))
    per_batch = np.array([r.cost for r in single])
    reports = batch_reports(config, data, 7)
    assert sum(r.batch <= 7 and r.epoch > 1 for r in reports) >= 1  # some begin an epoch
    for before, report in itertools.pairwise(reports):
        covered = per_batch[before.examples // 10 : report.examples // 10]
        assert report.cost == pytest.approx(covered.mean(), rel=1e-6), (
            f"epoch {report.epoch} batch {report.batch}: {report.cost:.4g} is not the mean of "
            f"the {len(covered)} batches since the last report ({covered.mean():.4g})")


def test_a_report_averages_enough_examples_however_often_the_clock_allows(rng, stalling_clock):
    """A report waits for REPORT_EXAMPLES examples (a hundredth of a small set) even when
    the clock says it is due: 50 here, 5 batches of 10."""
    config = TrainConfig(hidden=(16,), epochs=2, batch_size=10, validation=0)
    reports = batch_reports(config, blobs(5000, rng), 0)
    assert REPORT_EXAMPLES == 500
    covered = np.diff([0] + [r.examples for r in reports])
    assert covered.min() == 50 and len(reports) == 2 * 5000 // 50


def needles(y: np.ndarray, half: int = 4, decades: float = 1.0) -> list[int]:
    """Indices of points more than ``decades`` off (in log10) the median of their neighbours."""
    logs = np.log10(y)
    out = []
    for i in range(len(logs)):
        around = np.concatenate((logs[max(0, i - half) : i], logs[i + 1 : i + 1 + half]))
        if abs(logs[i] - np.median(around)) > decades:
            out.append(i)
    return out


@pytest.mark.mnist
def test_the_notes_run_on_mnist_draws_no_needles(mnist_dir, qtbot, stalling_clock):
    """The notes' network (sigmoid, quadratic cost, batches of 10) on 50,000 real digits for 3
    epochs, reported about every 60 batches, the run paused every 97 clock reads. A report
    used to be one batch of 10 digits alone at each epoch's start and after each pause: down
    to 1e-5 when all ten were easy, where the stretches around it average about 0.02. Those
    needles are gone from the plot's batch-cost series."""
    train_set = load_idx_folder(mnist_dir).train
    data = Arrays(train_set.images[:50_000], train_set.labels[:50_000])
    config = preset("seed", epochs=3, validation=0)
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.reset(config.epochs)
    plots.add_progress(batch_reports(config, data, 60))
    y = plots.batch_cost.y[: plots.batch_cost.n]
    assert len(y) > 200
    bad = needles(y)
    assert not bad, [(round(float(plots.batch_cost.x[i]), 3), f"{y[i]:.2g}") for i in bad]
