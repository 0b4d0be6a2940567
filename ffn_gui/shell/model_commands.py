"""The window's commands on its model: new, open, save, save as, revert.

A mixin of ``MainWindow`` (it uses the window's session, panel, settings and dialogs). Every
command that replaces the model first asks about training that is in no file (``unsaved``);
a fresh, untrained network has nothing to lose and is never asked about. The questions are
methods (``ask_save_changes``, ``ask_train_over``, ``ask_path``) so tests can answer them.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import FFNError, WriteError
from core.text import capitalised
from core.training import continue_problem
from ffn_gui.state.model_state import (
    UNTITLED,
    ModelState,
    bundled_or_fresh,
    fresh_model,
    is_bundled_path,
    open_model_file,
)

from . import dialogs

APP_NAME = "ffn-gui"
TITLE_CHARS = 40


class ModelCommands:
    def set_model(self, model: ModelState, modified: bool = False, note: str | None = None):
        """Make ``model`` the window's; ``modified``: it holds training in no file."""
        model.unsaved = modified
        self.session.set_model(model)
        self.setWindowModified(modified)
        self.update_title()
        if note:
            self.prediction_view.note = note
            self.prediction_view.request_refresh()
            self.prediction_view.flush()
            self.statusBar().showMessage(note)
        self._update_continue()
        self.update_actions()

    def update_title(self, *_args) -> None:
        """The title names the network the window shows: the model's, or during a run the
        network being trained (untitled, unless the run trains the model further)."""
        run = self.session.run
        name = self.model.name if run is None else run.network_name(self.model)
        if len(name) > TITLE_CHARS:
            name = name[:TITLE_CHARS] + "…"
        doing = "" if run is None else f" ({run.describe()})"
        self.setWindowTitle(f"{name}{doing}[*] — {APP_NAME}")

    def new_network(self) -> bool:
        """Replace the model with a fresh untrained network from the panel's settings."""
        config = self.training_panel.config()
        if config is None or self.training:
            return False
        self.set_model(fresh_model(config))
        self.statusBar().showMessage("New untrained network: press Train to teach it", 5000)
        return True

    def open_model(self, path: str | Path) -> bool:
        """Load a model file; on any problem show an error and keep the current model."""
        path = Path(path)
        try:
            model = open_model_file(path, bundled=is_bundled_path(path))
        except FFNError as error:
            self.show_error("Cannot open the model", str(error))
            return False
        self.set_model(model)
        self.settings.set_last_model_dir(path.parent)
        self.settings.set_last_model(None if model.bundled else path)  # the next start's
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save_model(self, path: str | Path) -> bool:
        """Save the model to ``path`` (atomically); on a problem show an error."""
        from core.model_io import save_model

        path = Path(path)
        if path.suffix.lower() != ".npz":
            path = path.with_name(path.name + ".npz")
        m = self.model
        try:
            save_model(path, m.network, config=m.config, metrics=m.metrics,
                       data_checksum=m.data_checksum, name=path.stem)
        except (FFNError, OSError) as error:  # the model stays, unsaved: save it elsewhere
            text = str(error) if isinstance(error, WriteError) else f"{path}: {error}"
            self.show_error("Cannot save the model", text)
            return False
        m.path, m.name, m.bundled, m.description = path, path.stem, False, ""
        self.settings.set_last_model_dir(path.parent)
        self.settings.set_last_model(path)  # the next start's
        self.set_model(m)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def revert_to_bundled(self) -> bool:
        if self.training:
            return False
        model, note = bundled_or_fresh()
        self.set_model(model, note=note)
        self.settings.set_last_model(None)  # the next start's too
        return True

    def _update_continue(self) -> None:
        config = self.training_panel.config()
        net = self.model.network
        if config is None:
            self.training_panel.set_continue_available(False)
            return
        reason = continue_problem(net, config)
        self.training_panel.set_continue_available(
            reason is None, "" if reason is None else f"{capitalised(reason)}.")


    def ask_save_changes(self) -> str:
        """"save", "discard" or "cancel" for an unsaved model (tests monkeypatch this)."""
        return dialogs.ask_save_changes(self, self.model.name)

    def ask_train_over(self) -> tuple[str, bool]:
        """Before Train replaces an unsaved model: (answer, don't ask again) (tests patch it)."""
        return dialogs.ask_train_over(self, self.model.name)

    def ask_path(self, kind: str) -> str | None:
        """A path from a file dialog: kind is "open-model", "save-model", "folder" or "csv"."""
        start = self.settings.last_model_dir() or Path.home()
        return dialogs.ask_path(self, kind, start, self.model.name or UNTITLED)

    def _maybe_discard(self) -> bool:
        """True when the current model may be replaced (saved, or the user said so)."""
        if not self.model.unsaved:
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self.ask_save()
        return answer == "discard"

    def ask_new_network(self) -> None:
        if self._maybe_discard():
            self.new_network()

    def ask_open_model(self) -> None:
        if self._maybe_discard():
            path = self.ask_path("open-model")
            if path:
                self.open_model(path)

    def ask_revert(self) -> None:
        if self._maybe_discard():
            self.revert_to_bundled()

    def ask_save(self) -> bool:
        m = self.model
        if m.path is None or m.bundled:
            return self.ask_save_as()
        return self.save_model(m.path)

    def ask_save_as(self) -> bool:
        path = self.ask_path("save-model")
        return self.save_model(path) if path else False

