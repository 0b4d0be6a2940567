"""The training panel: the data box, the settings form (scrolls when room is short) and the run
box, side by side. It starts nothing itself: the window listens to its signals, and it follows
runs through the ``Session`` (``bind``). The parts are in ``data_box.py``,
``settings_form.py`` and ``run_box.py``; this class puts them together and answers for them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from core.training import TrainConfig

from .data_box import DataBox
from .run_box import RunBox
from .settings_form import SettingsForm


class TrainingPanel(QWidget):
    """Data, settings and run controls."""

    train_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()
    download_clicked = Signal()
    open_folder_clicked = Signal()
    open_csv_clicked = Signal()
    settings_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._running = False
        self._has_data = False
        self._two_columns_width: int | None = None
        self.data_box = DataBox()
        self.settings_box = SettingsForm()
        self.run_box = RunBox()
        self.settings_scroll = QScrollArea()
        self.settings_scroll.setWidget(self.settings_box)
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(6)
        root.addWidget(self.data_box)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.settings_scroll, 3)
        row.addWidget(self.run_box, 2)
        root.addLayout(row, 1)

        for name in ("controls", "error_labels", "preset_combo", "preset_help",
                     "config_error_label", "back_button"):
            setattr(self, name, getattr(self.settings_box, name))
        for name in ("train_button", "pause_button", "stop_button", "continue_box",
                     "progress_bar", "progress_label", "result_label"):
            setattr(self, name, getattr(self.run_box, name))
        for name in ("data_label", "download_button", "open_folder_button", "open_csv_button"):
            setattr(self, name, getattr(self.data_box, name))
        for source, signals in ((self.run_box, ("train_clicked", "pause_clicked", "stop_clicked")),
                                (self.data_box, ("download_clicked", "open_folder_clicked",
                                                 "open_csv_clicked"))):
            for signal in signals:
                getattr(source, signal).connect(getattr(self, signal))
        self.settings_box.changed.connect(self._on_settings_changed)
        self.settings_scroll.installEventFilter(self)
        self.run_box.setMaximumWidth(360)
        self._refresh_buttons()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.settings_scroll and event.type() == QEvent.Type.Resize:
            self._fit_settings()
        return super().eventFilter(watched, event)

    def _fit_settings(self) -> None:
        """Two columns of settings when they fit beside the run box, else one (scrolling)."""
        form = self.settings_box
        if self._two_columns_width is None:  # measured once, while the form has two columns
            form.layout().activate()
            self._two_columns_width = form.minimumSizeHint().width()
        scroll = self.settings_scroll
        room = scroll.width() - scroll.verticalScrollBar().sizeHint().width()
        form.set_columns(2 if room >= self._two_columns_width else 1)

    def bind(self, session) -> None:
        """Follow runs and the current model through ``session``."""
        session.run_started.connect(self.start_run)
        session.run_progress.connect(self.run_box.show_progress)
        session.run_finished.connect(self._on_run_finished)
        session.model_changed.connect(self.run_box.model_changed)

    # --- settings (the form's) ---------------------------------------------------------------

    def set_config(self, config: TrainConfig, preset: str | None = None) -> None:
        self.settings_box.set_config(config, preset)

    def set_preset(self, name: str) -> None:
        self.settings_box.set_preset(name)

    def preset_name(self) -> str:
        return self.settings_box.preset_name()

    @property
    def preset_modified(self) -> bool:
        return self.settings_box.modified

    def config(self) -> TrainConfig | None:
        return self.settings_box.config()

    def errors(self) -> dict[str, str]:
        return self.settings_box.errors()

    def set_n_examples(self, n: int | None) -> None:
        self.settings_box.set_n_examples(n)

    def _on_settings_changed(self) -> None:
        self._refresh_buttons()
        self.settings_changed.emit()

    # --- data --------------------------------------------------------------------------------

    def set_data_status(self, text: str, loaded: bool) -> None:
        self.data_label.setText(text)
        self._has_data = loaded
        self._refresh_buttons()

    # --- running -----------------------------------------------------------------------------

    def set_continue_available(self, available: bool, reason: str = "") -> None:
        self.continue_box.setEnabled(available and not self._running)
        if not available:
            self.continue_box.setChecked(False)
        tip = self.continue_box.toolTip().split("\n\n")[0]
        self.continue_box.setToolTip(tip + (f"\n\n{reason}" if reason else ""))

    def continue_requested(self) -> bool:
        return self.continue_box.isEnabled() and self.continue_box.isChecked()

    def set_running(self, running: bool) -> None:
        self._running = running
        self.settings_box.setEnabled(not running)
        if running:
            self.continue_box.setEnabled(False)  # the window re-enables it after the run
        self.run_box.set_paused(False)
        self.data_box.set_buttons_enabled(not running)
        self._refresh_buttons()

    def set_paused(self, paused: bool) -> None:
        self.run_box.set_paused(paused)

    def can_train(self) -> bool:
        return self.train_button.isEnabled()

    def _refresh_buttons(self) -> None:
        why = ""
        if self._running:
            why = "A run is going on"
        elif not self._has_data:
            why = "Load MNIST first (Download, Open folder or Open Kaggle CSV)"
        elif self.config() is None:
            first = next(iter(self.errors().values()), "")
            why = f"Fix the settings first: {first}"
        self.train_button.setEnabled(not why)
        self.train_button.setToolTip(why or "Train a network with these settings (Ctrl+T)")
        self.pause_button.setEnabled(self._running)
        self.stop_button.setEnabled(self._running)

    def start_run(self, config: TrainConfig) -> None:
        """Reset the progress for a new run."""
        self.run_box.start_run(config)
        self.set_running(True)

    def show_progress(self, items) -> None:
        self.run_box.show_progress(items)

    def finish_run(self, outcome=None, error: BaseException | None = None) -> None:
        self.set_running(False)
        self.run_box.finish_run(outcome, error)

    def _on_run_finished(self, value) -> None:
        if isinstance(value, BaseException):
            self.finish_run(error=value)
        else:
            self.finish_run(value)
