"""Batch reports: each one's cost is the mean over exactly the batches since the report before,
epoch boundaries included, so the notes' run on real MNIST draws a batch-cost curve without
needles. The loop's clock is replaced by one that ticks once a call: the reports fall on the
same batches every run."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from helpers.synthetic import Arrays, blobs

from core import training
from core.data import load_idx_folder
from core.training import BatchProgress, TrainConfig, preset, train
from ffn_gui.plots import TrainingPlots


@pytest.fixture
def ticking_clock(monkeypatch):
    """``core.training``'s clock advances one second each time it is read."""
    ticks = itertools.count()
    monkeypatch.setattr(training, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))


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
def test_the_notes_run_on_mnist_draws_no_needles(mnist_dir, qtbot, ticking_clock):
    """The notes' network (sigmoid, quadratic cost, batches of 10) on 10,000 real digits for 6
    epochs, reported about 40 times an epoch. Each epoch's first report used to be one batch of
    10 digits alone: down to 1e-5 when all ten were easy, where the stretches around it average
    about 0.02. Those needles are gone from the plot's batch-cost series."""
    train_set = load_idx_folder(mnist_dir).train
    data = Arrays(train_set.images[:10_000], train_set.labels[:10_000])
    config = preset("seed", epochs=6, validation=0)
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.reset(config.epochs)
    plots.add_progress(batch_reports(config, data, 25))
    y = plots.batch_cost.y[: plots.batch_cost.n]
    assert len(y) > 200
    bad = needles(y)
    assert not bad, [(round(float(plots.batch_cost.x[i]), 3), f"{y[i]:.2g}") for i in bad]
