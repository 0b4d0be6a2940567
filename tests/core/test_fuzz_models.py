"""Fuzzing the model loader: mutated model files either load as a well-formed model or raise
ModelFileError naming the file. Any other exception, a hang or a malformed result is a bug.

Seeds are two valid saved models of different shapes, deflated (as ``save_model`` writes them)
and stored. Mutations: bit flips, byte overwrites, truncations, deletions, insertions and
splices (helpers/fuzz.py's ``mutated``), splices across the two models, random headers
around valid arrays, and random zips of random members. Every load runs under a time limit.
FUZZ_EXAMPLES=5000 runs a longer hunt (default 150 per test, about 15 s in all).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import reliability
from helpers.fuzz import mutated
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import ModelFileError
from core.model_io import Model, load_model, save_model
from core.network import Network

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMIT = 5.0  # seconds one load may take; a valid one takes about 5 ms


def _members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(members: list[tuple[str, bytes]], method: int) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are drawn on purpose
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, content in members:  # a ZipInfo, so that any name goes, even ""
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = method
                zf.writestr(info, content)
    return buf.getvalue()


def _seeds() -> dict[str, bytes]:
    rng = np.random.default_rng(11)
    with tempfile.TemporaryDirectory() as tmp:
        small = save_model(Path(tmp) / "small.npz", Network([784, 8, 10], rng=rng),
                           metrics={"a": 1})
        deep = save_model(Path(tmp) / "deep.npz", Network([784, 6, 5, 10], "sigmoid",
                                                          "quadratic", rng=rng), name="deep")
        seeds = {"small": small.read_bytes(), "deep": deep.read_bytes()}
    seeds["small stored"] = _zip(list(_members(seeds["small"]).items()), zipfile.ZIP_STORED)
    return seeds


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-models")


SEEDS = _seeds()
MEMBERS = {name: _members(seed) for name, seed in SEEDS.items()}
HEADER = json.loads(np.load(io.BytesIO(MEMBERS["small"]["header.npy"]), allow_pickle=False)
                    .tobytes())


def _npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def check_model(model: Model) -> None:
    """What a load that succeeds must give: a network whose arrays chain and are finite."""
    net = model.network
    assert isinstance(model, Model) and net.sizes[0] == 784
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        assert w.shape == (net.sizes[l + 1], net.sizes[l]) and b.shape == (net.sizes[l + 1],)
        assert w.dtype == b.dtype == net.dtype and np.isfinite(w).all() and np.isfinite(b).all()
    assert net.feedforward(np.zeros((1, 784))).shape == (1, net.sizes[-1])


def load_only_model_error(path: Path, content: bytes) -> None:
    reliability.count("fuzz_examples")
    path.write_bytes(content)
    try:
        with reliability.time_limit(LIMIT, f"loading {path.name}"):
            model = load_model(path)
    except ModelFileError as e:
        message = str(e)
        assert path.name in message, message
        outcome = message.replace(f"model file {str(path)!r}", "").split("(")[0]
        event(re.sub(r"'[^']*'|\d[\d,]*", "#", outcome).strip(" :")[:60])
        return
    check_model(model)
    event("loaded")


@FUZZ
@given(data=st.data(), seed=st.sampled_from(sorted(SEEDS)))
def test_mutated_model(folder, data, seed):
    """Bit flips, overwrites, truncations, deletions, insertions, splices of a saved model."""
    load_only_model_error(folder / "mutated.npz", data.draw(mutated(SEEDS[seed])))


@FUZZ
@given(data=st.data(), a=st.sampled_from(sorted(SEEDS)), b=st.sampled_from(sorted(SEEDS)))
def test_spliced_models(folder, data, a, b):
    """The start of one model file joined to the end of another (or of itself)."""
    x, y = SEEDS[a], SEEDS[b]
    cut_x = data.draw(st.integers(0, len(x)))
    cut_y = data.draw(st.integers(0, len(y)))
    load_only_model_error(folder / "spliced.npz", x[:cut_x] + y[cut_y:])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=4),
    max_leaves=12,
)
FIELDS = sorted(HEADER)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS + ["extra"]), JSON, max_size=4),
       drop=st.lists(st.sampled_from(FIELDS), max_size=3))
def test_random_header_fields(folder, changes, drop):
    """Valid arrays under a header whose fields hold random JSON (NaN and huge numbers too)."""
    header = {k: v for k, v in {**HEADER, **changes}.items() if k not in drop}
    raw = json.dumps(header).encode()
    members = dict(MEMBERS["small"]) | {"header.npy": _npy(np.frombuffer(raw, np.uint8))}
    load_only_model_error(folder / "header.npz", _zip(list(members.items()),
                                                      zipfile.ZIP_DEFLATED))


VALID_NAMES = sorted(MEMBERS["small"])  # header.npy, w0.npy, b0.npy, w1.npy, b1.npy
ODD_NAMES = ["w2.npy", "header", "w0", "x.npy", "../w0.npy", "dir/", "", "W0.NPY"]
DTYPES = ["<f4", ">f4", "<f8", "<f2", "<i8", "|u1", "|b1", "<c8", "<U2", "|V3", "<M8[s]"]


def content(draw, own: bytes) -> bytes:
    """A member's bytes: its own valid content, a mutation of it, an array of a random dtype
    and shape, or random bytes."""
    kind = draw(st.sampled_from(["own", "own", "mutated", "array", "bytes"]))
    if kind == "array":
        shape = tuple(draw(st.lists(st.integers(0, 20), max_size=3)))
        return _npy(np.zeros(shape, np.dtype(draw(st.sampled_from(DTYPES)))))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    return draw(mutated(own)) if kind == "mutated" else own


@st.composite
def random_zip(draw) -> list[tuple[str, bytes]]:
    """Most of a model's members, each with random content (see ``content``), now and then
    with a member of an odd name or one member twice, in a random order."""
    own = MEMBERS["small"]
    parts = [(name, content(draw, own[name])) for name in VALID_NAMES
             if draw(st.integers(0, 9)) > 1]
    if draw(st.integers(0, 4)) == 2:  # (not 0: hypothesis draws the bounds often)
        name = draw(st.sampled_from(ODD_NAMES)
                    | st.text(st.characters(exclude_categories=["Cs"]), max_size=12))
        parts.append((name, content(draw, own["w0.npy"])))
    if parts and draw(st.integers(0, 9)) == 3:
        parts.append(parts[0])
    return draw(st.permutations(parts))


@FUZZ
@given(parts=random_zip(), method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
def test_random_zips(folder, parts, method):
    """Zips of random members: a model's own names mostly, some odd ones; valid or mutated
    members of a real model, arrays of any dtype and shape, random bytes."""
    load_only_model_error(folder / "random.npz", _zip(parts, method))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seeds_load(folder, name):
    path = folder / f"{name}.npz"
    path.write_bytes(SEEDS[name])
    check_model(load_model(path))
