"""Finding MNIST (the path given, ``$MNIST_DIR``, the download folder); ``load_data``, which
loads whichever of the three formats a path holds, and ``load_test_data``, which needs only the
test files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..errors import DataError
from .dataset import Dataset, MnistData
from .files import only_data_errors, path_exists
from .idx import find_idx, idx_candidates, load_idx_folder, load_idx_split
from .kaggle import load_kaggle_csv
from .keras import load_keras_npz


def default_data_dir() -> Path:
    """Where the app downloads MNIST: the user's cache folder, ``.../ffn-gui/mnist``."""
    return Path(platformdirs.user_cache_dir("ffn-gui")) / "mnist"


SPLIT_FILES = {split: " and ".join(idx_candidates(split, k)[0] for k in ("images", "labels"))
               for split in ("train", "t10k")}
WINDOW_ADVICE = "download it or open a file"


def _has_mnist(folder: Path, split: str = "train") -> bool:
    try:
        return folder.is_dir() and all(find_idx(folder, split, k) for k in ("images", "labels"))
    except (OSError, DataError):
        return False


def find_mnist(path: str | os.PathLike | None = None, split: str = "train",
               advice: str = WINDOW_ADVICE) -> Path:
    """Where MNIST is: ``path`` if given (a folder of IDX files, a .csv or an .npz), else
    $MNIST_DIR, else ``default_data_dir()``, whichever first holds ``split``'s IDX files ("train"
    to train, "t10k" to test). ``advice`` ends the message when none does."""
    if path is not None:
        path = Path(path)
        if path_exists(path) and (path.is_file() or _has_mnist(path, split)):
            return path
        what = "training" if split == "train" else "test"
        problem = "does not exist" if not path_exists(path) else f"holds no MNIST {what} files"
        raise DataError(f"{path}: {problem} (expected a folder with {SPLIT_FILES[split]}, a "
                        "Kaggle .csv or a Keras .npz)")
    looked = []
    env = os.environ.get("MNIST_DIR")
    candidates = ([(Path(env), "$MNIST_DIR")] if env else []) + \
                 [(default_data_dir(), "the download folder")]
    for folder, what in candidates:
        if _has_mnist(folder, split):
            return folder
        looked.append(f"{folder} ({what})")
    raise DataError(f"MNIST not found: no {SPLIT_FILES[split]} in {' or '.join(looked)}; "
                    f"{advice}")


@only_data_errors
def load_data(path: str | os.PathLike | None = None) -> MnistData:
    """Load training data from a folder of IDX files, a Kaggle train.csv or a Keras .npz.

    ``path=None`` finds MNIST with ``find_mnist()``. An IDX file's path loads its folder.
    """
    path = find_mnist() if path is None else Path(path)
    if not path_exists(path):
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


@only_data_errors
def load_test_data(path: str | os.PathLike | None = None, advice: str = WINDOW_ADVICE) -> Dataset:
    """The labelled test split of a folder of IDX files (only the two t10k files are needed)
    or of a Keras .npz; ``path=None`` finds the t10k files with ``find_mnist``."""
    path = find_mnist(split="t10k", advice=advice) if path is None else Path(path)
    if not path_exists(path):
        raise DataError(f"{path}: file or folder not found (no such file)")
    if path.is_file() and path.name.startswith(("train-", "t10k-")) and "ubyte" in path.name:
        path = path.parent
    if path.is_dir():
        return load_idx_split(path, "t10k")
    test = load_data(path).test
    if test is None or test.labels is None:
        raise DataError(f"{path}: has no labelled test split (a Kaggle .csv has none; give a "
                        "folder with " + SPLIT_FILES["t10k"] + " or a Keras .npz)")
    return test
