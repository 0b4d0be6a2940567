"""Where the bundled files are: the model and the icon.

Installed, the top-level ``assets/`` folder is the package ``ffn_gui.assets``; run from a
checkout without installing, it is the ``assets/`` folder next to ``ffn_gui/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODEL_FILE = "model.npz"
ICON_FILE = "icon.svg"


def assets_dir() -> Path:
    """The folder holding the bundled assets: a checkout's own ``assets/`` when ffn_gui runs from
    a checkout (an editable install elsewhere would otherwise hand out that other checkout's
    files), else the installed package's."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "assets").is_dir():
        return checkout / "assets"
    try:
        folder = Path(str(resources.files("ffn_gui.assets")))
    except (ModuleNotFoundError, TypeError):
        folder = None
    if folder is not None and folder.is_dir():
        return folder
    return Path(__file__).resolve().parent.parent / "assets"


def bundled_model_path() -> Path:
    """The model the window starts with (it may not exist in a fresh checkout)."""
    return assets_dir() / MODEL_FILE


def icon_path() -> Path:
    return assets_dir() / ICON_FILE
