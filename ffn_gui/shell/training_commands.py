"""The window's training commands: Train turned into a run (after asking before an unsaved
model is trained over), Pause, Stop, and a finished run turned into the current model. A mixin
of ``MainWindow``; the run itself is ``TrainingController``'s."""

from __future__ import annotations

from PySide6.QtCore import Slot

from core.errors import ConfigError
from ffn_gui.state.model_state import ModelState
from ffn_gui.state.session import Run


class TrainingCommands:
    def start_training(self) -> bool:
        """Train with the panel's settings on the loaded data, in a worker thread (what Train
        does). Returns False (and says why) if it cannot."""
        if self.training:
            return False
        data, config = self.data, self.training_panel.config()
        if data is None:
            self.show_error("No data", "Load MNIST first: Download, Open folder or Open CSV.")
            return False
        if config is None:
            self.show_error("Invalid settings", "\n".join(self.training_panel.errors().values()))
            return False
        try:
            config.validate(len(data.train))
        except ConfigError as error:
            self.show_error("Invalid settings", str(error))
            return False
        continued = self.training_panel.continue_requested()
        if not continued and not self._may_train_over():
            return False
        network = self.model.network.copy() if continued else config.make_network()
        self.trainer.start(network, config, data, continued=continued)
        self.save_settings()
        self.update_actions()
        self.statusBar().showMessage(f"Training {network.describe()}…")
        self.training_started.emit()
        return True

    def _may_train_over(self) -> bool:
        """True when a fresh run may replace the model (nothing unsaved, or the user said so)."""
        if not self.model.unsaved or not self.settings.ask_before_training_over():
            return True
        answer, dont_ask = self.ask_train_over()
        if dont_ask:
            self.settings.set_ask_before_training_over(False)
        if answer == "save":
            return self.ask_save()
        return answer == "discard"

    def pause_training(self) -> None:
        self.trainer.pause()

    def resume_training(self) -> None:
        self.trainer.resume()

    def toggle_pause(self) -> None:
        self.trainer.toggle_pause()

    def stop_training(self) -> None:
        """Ask the run to stop after the current mini-batch (the network so far is kept)."""
        if self.training:
            self.trainer.stop()
            self.statusBar().showMessage("Stopping…")

    @Slot(object)
    def _on_run_done(self, future) -> None:
        """The training thread has ended: adopt the trained network, or report the error."""
        if future.error is None:
            outcome = future.outcome
            name = Run(future.config, future.continued).network_name(self.model)
            self.set_model(ModelState(outcome.network, name, outcome.config,
                                      dict(outcome.metrics), data_checksum=outcome.data_checksum),
                           modified=True)
            how = "stopped" if outcome.result.stopped else "finished"
            self.statusBar().showMessage(f"Training {how}: {self.model.describe()}", 10000)
        else:
            self.session.set_reader(self.model.network)  # back to the model the window had
            if not self._closing:
                self.show_error("Training failed", str(future.error))
        self.update_actions()
        self.training_finished.emit(future.value)
