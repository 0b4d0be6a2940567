"""What the window remembers between runs, kept with QSettings.

Settings live in an INI file in the user's config folder (``~/.config/ffn-gui/ffn-gui.ini`` on
Linux). Every read checks what it gets: a missing, mistyped or corrupt value falls back to the
default instead of stopping the app.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.errors import ConfigError
from core.training import PRESETS, TrainConfig
from ffn_gui.shell.theme import THEMES

ORGANIZATION = "ffn-gui"
APPLICATION = "ffn-gui"
DEFAULT_PRESET = "default"


# PySide6 turns an INI value "@Variant(... PySide::PyObjectWrapper ...)" back into a Python
# object with pickle when it is read, whatever type is asked for: a settings file holding one
# could run code. We never write such values, so a file that holds one was made by someone else.
UNSAFE_MARKERS = (b"PyObjectWrapper", b"@Variant(")


def qsettings() -> tuple[QSettings, str | None]:
    """The app's settings store (IniFormat, so QSettings.setPath can redirect it in tests), and
    a notice for the user when the file was unusable and has been set aside."""
    def open_store() -> QSettings:
        return QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    store = open_store()
    path = Path(store.fileName())
    try:
        data = path.read_bytes() if path.is_file() else b""
    except OSError:
        data = b""
    problem = None
    if any(marker in data for marker in UNSAFE_MARKERS):
        problem = "it holds a value that could run code"
    elif store.status() != QSettings.Status.NoError:
        problem = "it cannot be read"
    if problem is None:
        return store, None
    del store
    aside = path.with_name(path.name + ".bad")
    try:
        path.replace(aside)
        where = f"it was moved to {aside}"
    except OSError:
        where = "it could not be moved aside"
    return open_store(), (f"The settings file {path} was ignored because {problem}; {where}. "
                          "Default settings are used.")


class Settings:
    """Typed access to the stored settings, with defaults for anything unusable."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.notice: str | None = None  # set when the settings file had to be set aside
        if store is None:
            store, self.notice = qsettings()
        self.store = store

    # --- helpers -----------------------------------------------------------------------------

    def _str(self, key: str) -> str | None:
        try:
            value = self.store.value(key)
        except Exception:  # noqa: BLE001 - a corrupt value must not stop the app
            return None
        return value if isinstance(value, str) and value else None

    def _bytes(self, key: str) -> QByteArray | None:
        try:
            value = self.store.value(key)
        except Exception:  # noqa: BLE001
            return None
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def sync(self) -> None:
        self.store.sync()

    # --- training settings -------------------------------------------------------------------

    def train_settings(self) -> tuple[str, TrainConfig]:
        """The preset the settings came from and the hyperparameters (which may differ from
        the preset's). Files from before "(modified)" presets may say "custom"."""
        name = self._str("training/preset") or DEFAULT_PRESET
        if name not in PRESETS:
            name = DEFAULT_PRESET
        text = self._str("training/config")
        if text is None:
            return name, PRESETS.get(name, PRESETS[DEFAULT_PRESET])
        try:
            config = TrainConfig.from_dict(json.loads(text))
        except (ValueError, TypeError, ConfigError):
            return DEFAULT_PRESET, PRESETS[DEFAULT_PRESET]
        return name, config

    def set_train_settings(self, preset: str, config: TrainConfig) -> None:
        self.store.setValue("training/preset", preset)
        self.store.setValue("training/config", json.dumps(config.to_dict()))

    # --- folders -----------------------------------------------------------------------------

    def last_data_path(self) -> Path | None:
        """The data folder or file the user last loaded, if it still exists."""
        text = self._str("data/last_path")
        if text is None:
            return None
        path = Path(text)
        return path if path.exists() else None

    def set_last_data_path(self, path: Path | str | None) -> None:
        self.store.setValue("data/last_path", "" if path is None else str(path))

    def last_model_dir(self) -> Path | None:
        text = self._str("models/last_dir")
        return Path(text) if text and Path(text).is_dir() else None

    def set_last_model_dir(self, path: Path | str) -> None:
        self.store.setValue("models/last_dir", str(path))

    def last_model(self) -> Path | None:
        """The model file the user last opened or saved (it may have gone since: the window
        checks, and says so)."""
        text = self._str("models/last_model")
        return Path(text) if text else None

    def set_last_model(self, path: Path | str | None) -> None:
        """``path`` is what the next start opens; None: the bundled model."""
        self.store.setValue("models/last_model", "" if path is None else str(path))

    # --- window ------------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, data: QByteArray) -> None:
        self.store.setValue("window/geometry", data)

    def splitter_state(self, name: str) -> QByteArray | None:
        """A splitter's state: "workspace" (board | views | settings) or "column" (board /
        prediction)."""
        return self._bytes(f"window/{name}_splitter")

    def set_splitter_state(self, name: str, data: QByteArray) -> None:
        self.store.setValue(f"window/{name}_splitter", data)

    def _int(self, key: str, default: int, low: int, high: int) -> int:
        text = self._str(key)
        try:
            value = int(text) if text is not None else default
        except ValueError:
            return default
        return value if low <= value <= high else default

    def settings_open(self) -> bool:
        """Whether the training settings' side panel is open (collapsed at first)."""
        return self._str("window/settings_open") == "yes"

    def set_settings_open(self, open_: bool) -> None:
        self.store.setValue("window/settings_open", "yes" if open_ else "no")

    def settings_width(self) -> int | None:
        """The settings panel's width when open, if the user has set one."""
        value = self._int("window/settings_width", 0, 150, 4000)
        return value or None

    def set_settings_width(self, width: int) -> None:
        self.store.setValue("window/settings_width", str(int(width)))

    def presenter(self) -> bool:
        """Whether presenter mode (full screen, large type) was on."""
        return self._str("window/presenter") == "yes"

    def set_presenter(self, on: bool) -> None:
        self.store.setValue("window/presenter", "yes" if on else "no")

    def zoom(self) -> int:
        """The interface zoom in steps of ``ZOOM_STEP`` (0: the platform's font size)."""
        return self._int("window/zoom", 0, -4, 12)

    def set_zoom(self, steps: int) -> None:
        self.store.setValue("window/zoom", str(int(steps)))

    def current_view(self) -> str | None:
        """The name of the view tab in front when the window last closed."""
        return self._str("window/current_view")

    def set_current_view(self, name: str) -> None:
        self.store.setValue("window/current_view", name)

    def theme(self) -> str:
        """View → Theme: "system" (the default), "light" or "dark"."""
        value = self._str("window/theme")
        return value if value in THEMES else "system"

    def set_theme(self, choice: str) -> None:
        self.store.setValue("window/theme", choice)

    # --- questions ---------------------------------------------------------------------------

    def ask_before_training_over(self) -> bool:
        """Whether Train asks before a fresh run replaces a trained model nobody saved."""
        return self._str("ask/train_over") != "no"

    def set_ask_before_training_over(self, ask: bool) -> None:
        self.store.setValue("ask/train_over", "yes" if ask else "no")
