"""Where the bundled files are: the model and the icon.

Installed, the top-level ``assets/`` folder is the package ``ffn_gui.assets``; run from a
checkout without installing, it is the ``assets/`` folder next to ``ffn_gui/``. The rule lives
in ``core.package`` (the command line uses the bundled model too); this module names the files.
"""

from __future__ import annotations

from pathlib import Path

from core.package import MODEL_FILE, assets_dir, bundled_model_path

ICON_FILE = "icon.svg"

__all__ = ["ICON_FILE", "MODEL_FILE", "assets_dir", "bundled_model_path", "icon_path"]


def icon_path() -> Path:
    return assets_dir() / ICON_FILE
