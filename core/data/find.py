"""Finding MNIST (the path given, ``$MNIST_DIR``, the download folder) and ``load_data``, which
loads whichever of the three formats a path holds."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..errors import DataError
from .dataset import MnistData
from .files import _exists, _only_data_errors
from .idx import _find_idx, load_idx_folder
from .kaggle import load_kaggle_csv
from .keras import load_keras_npz


def default_data_dir() -> Path:
    """Where the app downloads MNIST: the user's cache folder, ``.../ffn-gui/mnist``."""
    return Path(platformdirs.user_cache_dir("ffn-gui")) / "mnist"


def _has_mnist(folder: Path) -> bool:
    try:
        return folder.is_dir() and all(_find_idx(folder, "train", k) for k in ("images", "labels"))
    except (OSError, DataError):
        return False


def find_mnist(path: str | os.PathLike | None = None) -> Path:
    """Where MNIST is: ``path`` if given (a folder of IDX files, a .csv or an .npz), else
    $MNIST_DIR, else ``default_data_dir()``, whichever first holds the training IDX files."""
    if path is not None:
        path = Path(path)
        if _exists(path) and (path.is_file() or _has_mnist(path)):
            return path
        problem = "does not exist" if not _exists(path) else "holds no MNIST training files"
        raise DataError(f"{path}: {problem} (expected a folder with train-images-idx3-ubyte.gz "
                        "and train-labels-idx1-ubyte.gz, a Kaggle .csv or a Keras .npz)")
    looked = []
    env = os.environ.get("MNIST_DIR")
    candidates = ([(Path(env), "$MNIST_DIR")] if env else []) + \
                 [(default_data_dir(), "the download folder")]
    for folder, what in candidates:
        if _has_mnist(folder):
            return folder
        looked.append(f"{folder} ({what})")
    raise DataError("MNIST not found: no train-images-idx3-ubyte.gz and "
                    f"train-labels-idx1-ubyte.gz in {' or '.join(looked)}; download it or "
                    "open a file")



@_only_data_errors
def load_data(path: str | os.PathLike | None = None) -> MnistData:
    """Load training data from a folder of IDX files, a Kaggle train.csv or a Keras .npz.

    ``path=None`` finds MNIST with ``find_mnist()``. An IDX file's path loads its folder.
    """
    path = find_mnist() if path is None else Path(path)
    if not _exists(path):
        raise DataError(f"{path}: file or folder not found (no such file)")
    if path.is_dir():
        return load_idx_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = load_kaggle_csv(path)
        if data.labels is None:
            raise DataError(f"{path}: is a Kaggle test file (no 'label' column): it has no "
                            "labels and cannot be trained on; open train.csv instead")
        return MnistData(data, None, str(path))
    if suffix == ".npz":
        return load_keras_npz(path)
    if path.name.startswith(("train-", "t10k-")) and "ubyte" in path.name:
        return load_idx_folder(path.parent)
    raise DataError(f"{path}: unknown data format {suffix or '(no extension)'!r}; open a folder "
                    "of MNIST IDX files, a Kaggle .csv or a Keras .npz")
