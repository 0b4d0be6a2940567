"""What ships with ffn-gui besides the code: its version and the bundled assets (the model).

Installed, the top-level ``assets/`` folder is the package ``ffn_gui.assets``; run from a
checkout, it is the ``assets/`` folder beside ``core/``. Finding it imports neither ffn_gui nor
Qt (``importlib.util.find_spec`` of a top-level package only locates it), so the command line
can use the bundled model without loading the window.
"""

from __future__ import annotations

import tomllib
from importlib import metadata, util
from pathlib import Path

DISTRIBUTION = "ffn-gui"
MODEL_FILE = "model.npz"


def checkout() -> Path | None:
    """The source checkout ``core`` runs from (the folder with pyproject.toml), or None when
    ``core`` is an installed copy."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def version() -> str:
    """The version: a checkout's pyproject.toml (it may be newer than what is installed), else
    the installed distribution's metadata, else "unknown"."""
    root = checkout()
    if root is not None:
        try:
            with open(root / "pyproject.toml", "rb") as f:
                return str(tomllib.load(f)["project"]["version"])
        except (OSError, tomllib.TOMLDecodeError, KeyError):
            pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def assets_dir() -> Path:
    """The folder of the bundled assets: a checkout's own ``assets/`` (an editable install
    elsewhere would otherwise hand out that other checkout's files), else the installed
    package's ``ffn_gui/assets``."""
    root = checkout()
    if root is not None and (root / "assets").is_dir():
        return root / "assets"
    spec = util.find_spec("ffn_gui")  # locates the package without running its __init__
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "assets").is_dir():
            return Path(location) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def bundled_model_path() -> Path:
    """The model the window starts with and ``ffn predict``/``evaluate`` use by default (it
    may not exist in a fresh checkout)."""
    return assets_dir() / MODEL_FILE
