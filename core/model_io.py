"""Model files: one ``.npz`` holding the weights, the biases and a JSON header.

Layout: arrays ``w0, b0, w1, b1, ...`` (``w{l}.shape == (sizes[l+1], sizes[l])``, ``b{l}.shape ==
(sizes[l+1],)``) and ``header``, the UTF-8 bytes of a JSON object as a uint8 array::

    {"format": "ffn-gui-model", "format_version": 1, "sizes": [784, 128, 128, 10],
     "activation": "relu", "cost": "cross_entropy", "init": "scaled", "dtype": "float32",
     "name": "...", "config": {...TrainConfig...} | null, "metrics": {...},
     "data_checksum": "sha256 of the training data" | null, "params_sha256": "...",
     "created": "ISO time"}

A model that can say "not a digit" also holds ``"reject": {"score": "max_probability",
"below": 0.93}`` (``core.reject.RejectRule``: below that score of its outputs, a drawing is not
a digit) and is written as format version 2, so that an ffn-gui that would ignore the rule
refuses the file instead of reading every letter as a digit. A file without it (every version
1 file) reads as before: every drawing is a digit.

Saving is atomic (``atomic.atomic_open``), so a crash leaves either the old file or the
complete new one. Loading never unpickles
(``allow_pickle=False``), refuses archives whose arrays would expand past a size limit before
reading them, checks each member's .npy header against the member's size before any array is
allocated, and checks every field and shape; anything else is a ``ModelFileError`` naming the
file and the problem. Only a regular file is opened (a FIFO would block the reader forever),
once, and everything is read through that one handle.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from . import npy
from .activations import ACTIVATIONS
from .atomic import atomic_open
from .costs import COSTS
from .data import open_regular
from .errors import ConfigError, FFNError, ModelFileError
from .inits import INITS
from .network import Network, validate_sizes
from .reject import RejectRule
from .train_config import TrainConfig

FORMAT = "ffn-gui-model"
FORMAT_VERSION = 2  # the highest this reads; 2 = has a rejection rule ("reject")
MAX_BYTES = 256 * 2**20  # no model we make comes near; a bigger archive is refused unread
MAX_HEADER_BYTES = 1 * 2**20
MAX_MEMBERS = 1000  # a header and a w, b pair per layer


@dataclass
class Model:
    network: Network
    config: TrainConfig | None = None
    metrics: dict = field(default_factory=dict)
    name: str = ""
    data_checksum: str | None = None
    header: dict = field(default_factory=dict)


def params_checksum(network: Network) -> str:
    h = hashlib.sha256()
    for p in network.params:
        h.update(np.ascontiguousarray(p).tobytes())
    return h.hexdigest()


def save_model(
    path: str | os.PathLike,
    network: Network,
    *,
    config: TrainConfig | None = None,
    metrics: dict | None = None,
    data_checksum: str | None = None,
    name: str | None = None,
) -> Path:
    """Write ``network`` (and what it was trained with) to ``path`` atomically."""
    path = Path(path)
    header = {
        "format": FORMAT,
        "format_version": 1 if network.reject is None else 2,
        "sizes": network.sizes,
        "activation": network.activation.name,
        "cost": network.cost.name,
        "init": network.init,
        "dtype": network.dtype.name,
        "name": name if name is not None else path.stem,
        "config": config.to_dict() if config is not None else None,
        "metrics": metrics or {},
        "data_checksum": data_checksum,
        "params_sha256": params_checksum(network),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    if network.reject is not None:
        header["reject"] = network.reject.to_dict()
    arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
    for l, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    with atomic_open(path) as f:
        np.savez_compressed(f, **arrays)
    return path


HEADER_ROOM = 16 * 1024  # the JSON header, the .npy headers and the zip directory, with room


def model_file_bytes(sizes: list[int], dtype: str = "float32") -> int:
    """At most how many bytes ``save_model`` writes for a network of ``sizes``: its weights and
    biases uncompressed (compression only shrinks them) and room for the headers."""
    n_params = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    return n_params * np.dtype(dtype).itemsize + HEADER_ROOM


def load_model(path: str | os.PathLike) -> Model:
    """Read a model file written by ``save_model``; ModelFileError if it is anything else."""
    path = Path(path)
    where = f"model file {str(path)!r}"
    try:
        return _load(path, where)
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{where} does not exist") from None
    except IsADirectoryError:
        raise ModelFileError(f"{where} is a folder, not a file") from None
    except PermissionError:
        raise ModelFileError(f"{where} cannot be read: permission denied") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as e:
        raise ModelFileError(f"{where} is not a valid model archive (broken zip: {e})") from None
    except (ValueError, OSError, KeyError, TypeError, UnicodeError, FFNError,
            NotImplementedError, RuntimeError) as e:
        # np.load raises ValueError for object arrays and bad .npy headers, OSError/EOFError for
        # truncated members, zlib.error (an Exception) is caught below.
        raise ModelFileError(f"{where} is damaged or not a model file ({e})") from None
    except Exception as e:  # zlib.error and other decoder failures of a corrupt archive
        raise ModelFileError(f"{where} is damaged or not a model file ({e})") from None


def _check_members(zf: zipfile.ZipFile, where: str) -> set[str]:
    """The archive's array names, after checking every member without reading its data: at
    most MAX_MEMBERS, no name twice, each a .npy array of numbers (never a pickle) whose header
    declares exactly as many bytes as the member holds, all of them together at most MAX_BYTES.
    So no array is allocated from a size the file merely claims."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"{where} holds {len(infos):,} members, more than a model has; "
                             "refused unread")
    total = sum(i.file_size for i in infos)
    if total > MAX_BYTES:
        raise ModelFileError(
            f"{where} would expand to {total / 2**20:.0f} MiB, more than the "
            f"{MAX_BYTES // 2**20} MiB a model may take; refused unread"
        )
    names = [i.filename for i in infos]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ModelFileError(f"{where} holds {twice[0][:60]!r} twice (a damaged or tampered "
                             "archive)")
    for info in infos:
        key = info.filename.removesuffix(".npy")
        if not info.filename.endswith(".npy") or "/" in key:
            raise ModelFileError(f"{where} holds {info.filename[:60]!r}, which is not one of a "
                                 "model's arrays")
        with zf.open(info) as member:
            shape, _, dtype = npy.read_header(member, where, key, ModelFileError)
            declared = npy.nbytes(shape, dtype)
            if member.tell() + declared != info.file_size:
                raise ModelFileError(
                    f"{where}: array {key} declares shape {shape} ({declared:,} bytes) but its "
                    f"archive member holds {info.file_size - member.tell():,} bytes of data"
                )
    return {n.removesuffix(".npy") for n in names}


def _load(path: Path, where: str) -> Model:
    try:
        f = open_regular(path)
    except IsADirectoryError:
        raise ModelFileError(f"{where} is a folder, not a file") from None
    except (FileNotFoundError, PermissionError):
        raise
    except OSError as e:
        if e.errno == errno.EINVAL:
            raise ModelFileError(f"{where} is not a regular file (a pipe, device or socket)") \
                from None
        raise ModelFileError(f"{where} cannot be opened: {e.strerror or e}") from None
    with f:
        return _load_open(f, path, where)


def _load_open(f: BinaryIO, path: Path, where: str) -> Model:
    if f.read(2) != b"PK":
        raise ModelFileError(f"{where} is not a model file (not an .npz archive)")
    f.seek(0)
    with zipfile.ZipFile(f) as zf:
        names = _check_members(zf, where)
    if "header" not in names:
        raise ModelFileError(f"{where} has no header: not an ffn-gui model")
    f.seek(0)
    with np.load(f, allow_pickle=False) as npz:
        header = _read_header(npz, where)
        sizes, activation, cost, dtype = _network_fields(header, where)
        _check_names(names, sizes, where)
        weights, biases = _read_params(npz, sizes, where)
    init = header.get("init") if header.get("init") in INITS else "scaled"
    net = Network.from_params(weights, biases, activation, cost, init, dtype)
    return _model(header, net, path, where)


def _read_header(npz, where: str) -> dict:
    """The JSON header, checked to be an ffn-gui model's of a format version this reads."""
    raw = npz["header"]
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > MAX_HEADER_BYTES:
        raise ModelFileError(f"{where} has a malformed header")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelFileError(f"{where} has a header that is not valid JSON") from None
    except RecursionError:
        raise ModelFileError(f"{where} has a header nested too deeply to be a model's") \
            from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        raise ModelFileError(f"{where} has a header that cannot be read ({e})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{where} is not an ffn-gui model (unknown format)")
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ModelFileError(f"{where} has no valid format version")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{where} was written by a newer ffn-gui (format version {version}; this one "
            f"reads up to {FORMAT_VERSION}): update ffn-gui to open it"
        )
    if version < 1:
        raise ModelFileError(f"{where} has an invalid format version {version}")
    return header


def _network_fields(header: dict, where: str) -> tuple[list[int], str, str, str]:
    """(sizes, activation, cost, dtype) from the header, each checked."""
    sizes = header.get("sizes")
    try:
        if not isinstance(sizes, list) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in sizes
        ):
            raise ConfigError("layer sizes must be a list of whole numbers")
        sizes = validate_sizes(sizes)
    except ConfigError as e:
        raise ModelFileError(f"{where} has invalid layer sizes {sizes!r}: {e}") from None
    activation, cost = header.get("activation"), header.get("cost")
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ModelFileError(f"{where} names an unknown activation {str(activation)[:40]!r}")
    if not isinstance(cost, str) or cost not in COSTS:
        raise ModelFileError(f"{where} names an unknown cost {str(cost)[:40]!r}")
    dtype = header.get("dtype", "float32")
    if not isinstance(dtype, str) or dtype not in ("float32", "float64"):
        raise ModelFileError(f"{where} has an unsupported dtype {dtype!r}")
    return sizes, activation, cost, dtype


def _check_names(names: set[str], sizes: list[int], where: str) -> None:
    """The archive holds exactly the header and a w, b pair per layer."""
    expected = {"header"}
    for l in range(len(sizes) - 1):
        expected |= {f"w{l}", f"b{l}"}
    missing = sorted(expected - names)
    if missing:
        more = f" and {len(missing) - 8:,} more" if len(missing) > 8 else ""
        raise ModelFileError(f"{where} is missing arrays: {', '.join(missing[:8])}{more}")
    extra = sorted(names - expected)
    if extra:
        raise ModelFileError(
            f"{where} has arrays that do not belong to a {'-'.join(map(str, sizes))} "
            f"network: {', '.join(extra[:5])}"
        )


def _read_params(npz, sizes: list[int], where: str) -> tuple[list, list]:
    """The weights and biases, each of the shape the sizes say, finite floats."""
    params: dict[str, list[np.ndarray]] = {"w": [], "b": []}
    for l, (x, y) in enumerate(zip(sizes[:-1], sizes[1:])):
        for kind, shape in (("w", (y, x)), ("b", (y,))):
            key = f"{kind}{l}"
            a = npz[key]
            if a.shape != shape:
                raise ModelFileError(
                    f"{where}: array {key} has shape {a.shape}, but a "
                    f"{'-'.join(map(str, sizes))} network needs {shape} (layers do not chain)"
                )
            if a.dtype.kind != "f":
                raise ModelFileError(f"{where}: array {key} holds {a.dtype}, not floats")
            if not np.isfinite(a).all():
                raise ModelFileError(f"{where}: array {key} holds non-finite values (NaN/inf)")
            params[kind].append(a)
    return params["w"], params["b"]


def _model(header: dict, net: Network, path: Path, where: str) -> Model:
    """The Model, after checking the weights against their checksum and the other fields."""
    checksum = header.get("params_sha256")
    if checksum is not None and checksum != params_checksum(net):
        raise ModelFileError(f"{where} is corrupt: its weights do not match their checksum")
    config = None
    if header.get("config") is not None:
        try:
            config = TrainConfig.from_dict(header["config"])
        except (ConfigError, TypeError, ValueError) as e:
            raise ModelFileError(f"{where} has an invalid training config: {e}") from None
    net.deskew = bool(config is not None and config.deskew)
    net.reject = _reject_rule(header, where)
    metrics = header.get("metrics") or {}
    if not isinstance(metrics, dict):
        raise ModelFileError(f"{where} has malformed metrics")
    name = header.get("name") if isinstance(header.get("name"), str) else path.stem
    data_checksum = header.get("data_checksum")
    if data_checksum is not None and not isinstance(data_checksum, str):
        raise ModelFileError(f"{where} has a malformed data checksum")
    return Model(net, config, metrics, name or path.stem, data_checksum, header)


def _reject_rule(header: dict, where: str) -> RejectRule | None:
    """The model's rule for "not a digit" (None for a file without one), checked."""
    if header.get("reject") is None:
        return None
    if header.get("format_version", 1) < 2:
        raise ModelFileError(f"{where} has a rejection rule but format version 1")
    try:
        return RejectRule.from_dict(header["reject"])
    except ConfigError as e:
        raise ModelFileError(f"{where} has an invalid rejection rule: {e}") from None
