"""Shared fixtures. Qt runs offscreen; real-MNIST tests read the folder named by MNIST_DIR."""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

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


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
