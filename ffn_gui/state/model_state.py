"""The model in the window and what is known about it. Plain Python, no Qt.

``ModelState`` is a network with its name, training config, metrics, the file it came from and
whether it holds training nobody has saved (``unsaved``). A fresh, untrained network is never
``unsaved``: there is nothing in it to lose. ``bundled_or_fresh()`` is what a new user starts
with; ``open_model_file()`` reads a model and checks that this app can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ConfigError, FFNError
from core.network import Network
from core.training import PRESETS, TrainConfig, mnist_problem
from ffn_gui import resources

UNTITLED = "untitled"


@dataclass
class ModelState:
    """The network in the window and what is known about it."""

    network: Network
    name: str = UNTITLED
    config: TrainConfig | None = None
    metrics: dict = field(default_factory=dict)
    path: Path | None = None  # the file it was loaded from or saved to
    bundled: bool = False
    data_checksum: str | None = None
    description: str = ""  # what the file says about itself, beyond its short name
    unsaved: bool = False  # holds training that is in no file

    @property
    def trained(self) -> bool:
        return bool(self.metrics) or self.path is not None

    def describe(self) -> str:
        text = self.network.describe()
        acc = self.metrics.get("test_accuracy")
        if isinstance(acc, int | float):
            text += f" · test accuracy {100 * acc:.2f}%"
        return text

    def model_line(self) -> str:
        """"name (description): 784-128-128-10 relu … · test accuracy 98.93%"."""
        about = f" ({self.description})" if self.description else ""
        return f"{self.name}{about}: {self.describe()}"


def split_name(name: str) -> tuple[str, str]:
    """A file's model name "bundled (default preset, 30 epochs)" -> ("bundled", "default
    preset, 30 epochs"): the short part for the window title, the rest for the model line."""
    name = name.strip()
    if name.endswith(")") and " (" in name:
        short, rest = name.split(" (", 1)
        return short.strip(), rest[:-1].strip()
    return name, ""


def open_model_file(path: str | Path, bundled: bool = False) -> ModelState:
    """The model in ``path``; raises FFNError (naming the file) for anything this app cannot use."""
    from core.model_io import load_model

    path = Path(path)
    m = load_model(path)
    problem = mnist_problem(m.network)
    if problem:
        raise ConfigError(f"{path} {problem}")
    name, description = split_name(m.name or path.stem)
    return ModelState(m.network, name or path.stem, m.config, dict(m.metrics), path,
                      bundled=bundled, data_checksum=m.data_checksum, description=description)


def fresh_model(config: TrainConfig) -> ModelState:
    """A new, untrained network for ``config``."""
    return ModelState(config.make_network(), UNTITLED, config)


def bundled_or_fresh() -> tuple[ModelState, str | None]:
    """The bundled model, or a fresh default network and a note saying why."""
    path = resources.bundled_model_path()
    if path.is_file():
        try:
            return open_model_file(path, bundled=True), None
        except FFNError as error:
            note = f"The bundled model could not be read ({error}); this network is untrained."
    else:
        note = "No bundled model found; this network is untrained: train it on MNIST."
    return fresh_model(PRESETS["default"]), note


def last_or_bundled(last: Path | None) -> tuple[ModelState, str | None, str | None]:
    """What a start opens: the model the user last opened or saved (``last``), else the bundled
    one (or a fresh network). Returns the model, a note about the bundled model (as
    ``bundled_or_fresh``) and why the last model was not opened (None when it was, or when
    there was none)."""
    why = None
    if last is not None and not is_bundled_path(last):
        if last.is_file():
            try:
                return open_model_file(last), None, None
            except FFNError as error:
                why = f"The model you last used could not be read ({error})"
        else:
            why = f"The model you last used, {last}, is no longer there"
    model, note = bundled_or_fresh()
    if why:
        why += "; opened the bundled model instead." if model.bundled else "."
    return model, note, why


def is_bundled_path(path: Path) -> bool:
    return path.resolve() == resources.bundled_model_path().resolve()
