"""The engine's own exceptions.

Every error a user can cause (a broken file, a bad setting, a failed download, a diverging
run) is raised as one of these, with a message that names the file or setting and the problem.
Callers catch ``FFNError`` and show ``str(error)``; nothing else escapes the loaders.
"""


class FFNError(Exception):
    """Base class of every error the engine raises on purpose."""


class DataError(FFNError, ValueError):
    """A data file (IDX, CSV, NPZ) is missing, unreadable or malformed."""


class ModelFileError(FFNError, ValueError):
    """A model file is missing, unreadable, malformed or of an unknown format."""


class ConfigError(FFNError, ValueError):
    """A network or training setting is invalid (e.g. 0 hidden units, batch size < 1)."""


class TrainingDiverged(FFNError, ArithmeticError):
    """The cost became non-finite; the network was restored to its last good weights."""


class DownloadError(FFNError, OSError):
    """MNIST could not be downloaded from any mirror."""


class DownloadCancelled(DownloadError):
    """The user cancelled a download; nothing partial was kept."""


class WriteError(FFNError, OSError):
    """A file could not be written; the message names it and says why in words (``.errno``
    keeps the system's code). The file that was there, if any, is unchanged."""
