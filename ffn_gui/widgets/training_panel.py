"""The training panel: the settings form (it scrolls when room is short), and the run bar and
the data line that go with it. The panel itself is the settings side panel; the window puts the
run bar above the views and the data line in the status bar (``window_layout.py``), so they
stay in sight when the panel is collapsed. It starts nothing itself: the window listens to its
signals, and it follows runs through the ``Session`` (``bind``). The parts are in
``data_box.py``, ``settings_form.py`` and ``run_box.py``; this class answers for them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from core.training import TrainConfig

from .data_box import DataLine
from .run_box import RunBar
from .settings_form import SettingsForm


class TrainingPanel(QWidget):
    """The settings side panel; it owns the run bar and the data line too."""

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
        self._session = None  # told of every change to the settings once bound
        self._two_columns_width: int | None = None
        self.data_line = DataLine()
        self.settings_box = SettingsForm()
        self.run_bar = RunBar()
        self.settings_scroll = QScrollArea()
        self.settings_scroll.setWidget(self.settings_box)
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self.settings_scroll)

        for name in ("controls", "error_labels", "preset_combo", "preset_help",
                     "config_error_label", "back_button"):
            setattr(self, name, getattr(self.settings_box, name))
        for name in ("train_button", "pause_button", "stop_button", "continue_box",
                     "progress_bar", "progress_label", "result_label"):
            setattr(self, name, getattr(self.run_bar, name))
        for name in ("data_label", "data_button", "download_action", "open_folder_action",
                     "open_csv_action"):
            setattr(self, name, getattr(self.data_line, name))
        for source, signals in ((self.run_bar, ("train_clicked", "pause_clicked", "stop_clicked")),
                                (self.data_line, ("download_clicked", "open_folder_clicked",
                                                  "open_csv_clicked"))):
            for signal in signals:
                getattr(source, signal).connect(getattr(self, signal))
        self.settings_box.changed.connect(self._on_settings_changed)
        self.settings_scroll.installEventFilter(self)
        self._measure()
        self._refresh_buttons()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.settings_scroll and event.type() == QEvent.Type.Resize:
            self._fit_settings()
        return super().eventFilter(watched, event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the interface zoom: measure again
            self._two_columns_width = None
            self._fit_settings()

    def _measure(self) -> None:
        """The form's width in two columns, and the panel's minimum: one column's, with room
        for a scroll bar."""
        form = self.settings_box
        columns = form.columns
        widths = {}
        for n in (2, 1):
            form.set_columns(n)
            form.layout().activate()
            widths[n] = form.minimumSizeHint().width()
        form.set_columns(columns)
        self._two_columns_width = widths[2]
        bar = self.settings_scroll.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(widths[1] + bar + 2)

    def _fit_settings(self) -> None:
        """Two columns of settings when they fit, else one (scrolling when room is short)."""
        if self._two_columns_width is None:
            self._measure()
        scroll = self.settings_scroll
        room = scroll.width() - scroll.verticalScrollBar().sizeHint().width()
        self.settings_box.set_columns(2 if room >= self._two_columns_width else 1)

    def bind(self, session) -> None:
        """Follow runs and the current model through ``session``; tell it the settings
        (``session.train_config``) now and at every change."""
        self._session = session
        session.set_train_config(self.config())
        session.run_started.connect(self.start_run)
        session.run_progress.connect(self.run_bar.show_progress)
        session.run_finished.connect(self._on_run_finished)
        session.model_changed.connect(self.run_bar.model_changed)

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
        if self._session is not None:
            self._session.set_train_config(self.config())
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
        self.run_bar.set_paused(False)
        self.data_line.set_buttons_enabled(not running)
        self._refresh_buttons()

    def set_paused(self, paused: bool) -> None:
        self.run_bar.set_paused(paused)

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
        self.run_bar.start_run(config)
        self.set_running(True)

    def show_progress(self, items) -> None:
        self.run_bar.show_progress(items)

    def finish_run(self, outcome=None, error: BaseException | None = None) -> None:
        self.set_running(False)
        self.run_bar.finish_run(outcome, error)

    def _on_run_finished(self, value) -> None:
        if isinstance(value, BaseException):
            self.finish_run(error=value)
        else:
            self.finish_run(value)
