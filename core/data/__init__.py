"""MNIST data: the ``Dataset`` the trainer reads, and loaders for the three common file formats.

Shapes: ``images.shape == (N, 28, 28)`` uint8 (0 = background, 255 = ink), ``labels.shape == (N,)``
uint8 in 0..9 (or ``None`` for an unlabelled set). ``core.rows.as_inputs(images)`` gives the
batch-as-rows view the network takes: ``X.shape == (N, 784)`` float32 in [0, 1].

One file per format, each short enough to read in one sitting:

- ``dataset.py``: ``Dataset`` and ``MnistData``;
- ``files.py``: opening files safely; every failure a ``DataError`` naming the file;
- ``idx.py``: a folder of IDX files (``train-images-idx3-ubyte[.gz]`` and friends, as LeCun
  published them and ``download.py`` fetches them);
- ``kaggle.py``: Kaggle's ``train.csv`` (``label,pixel0..pixel783``) and ``test.csv``;
- ``keras.py``: Keras' ``mnist.npz`` (``x_train, y_train, x_test, y_test``), never unpickled;
- ``find.py``: where MNIST is, ``load_data`` for whichever format a path holds, and
  ``load_test_data`` for the test split alone (what evaluating needs).

Every loader checks what it reads: a malformed, truncated, oversized or unreadable file raises
``DataError`` with the file's path and the problem, never a numpy/pandas/zlib traceback. Declared
sizes are checked against a limit before anything of that size is allocated.
"""

from .dataset import PIXELS, SIDE, Dataset, MnistData
from .files import MAX_BYTES, UNFORESEEN, open_regular
from .find import default_data_dir, find_mnist, load_data, load_test_data
from .idx import load_idx, load_idx_folder
from .kaggle import load_kaggle_csv
from .keras import load_keras_npz

__all__ = ["MAX_BYTES", "PIXELS", "SIDE", "UNFORESEEN", "Dataset", "MnistData",
           "default_data_dir", "find_mnist", "load_data", "load_idx", "load_idx_folder",
           "load_kaggle_csv", "load_keras_npz", "load_test_data", "open_regular"]
