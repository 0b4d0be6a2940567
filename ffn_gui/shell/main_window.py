"""The main window: a shell that hosts the board, the views and the training panel.

What the window knows is in its ``Session`` (``session.py``): the model (``ModelState``), the
network reading the board, the drawing, the data and the run. Two controllers own the work off
the GUI thread: ``TrainingController`` (a run, Pause, Stop; a finished run arrives as one
``RunFuture``) and ``DataController`` (search, load, download). The menus come from the action
table (``actions.py``); the views are ``ffn_gui.views.VIEWS`` in tabs (``view_tabs.py``) and
the prediction view beside the board. The window itself, with its command mixins (models,
data, training, digits, help, theme, presenter: one file each), only:

- predicts the board on ``canvas.changed`` and on each new reader -> ``session.set_drawing``
  and ``prediction_changed``;
- turns Train into a run (``start_training``) and a finished run into the model;
- opens, saves and replaces models, asking before training nobody saved is lost.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QSize, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow, QMessageBox
from threadpoolctl import threadpool_limits

from core.predictor import Predictor
from core.training import PRESETS
from ffn_gui import resources
from ffn_gui.board.canvas import DrawingCanvas
from ffn_gui.board.draw_box import BRUSH_STEP, DrawBox
from ffn_gui.state.model_state import ModelState, last_or_bundled
from ffn_gui.state.session import Drawing, Session
from ffn_gui.state.settings import Settings
from ffn_gui.views.base import View
from ffn_gui.views.prediction_view import PredictionView, verdict
from ffn_gui.widgets.training_panel import TrainingPanel
from ffn_gui.work.data_controller import DataController
from ffn_gui.work.training_controller import TrainingController

from . import actions, dialogs
from .data_commands import DataCommands
from .digit_commands import DigitCommands
from .help_commands import HelpCommands
from .model_commands import ModelCommands
from .presenter import PresenterCommands
from .theme_commands import ThemeCommands
from .training_commands import TrainingCommands
from .view_tabs import ViewTabs
from .window_layout import build_layout, default_size

CLOSE_WAIT_MS = 2000


class MainWindow(DigitCommands, ModelCommands, DataCommands, TrainingCommands, HelpCommands,
                 ThemeCommands, PresenterCommands, QMainWindow):
    """The app's one window. ``MainWindow()`` starts as a new user's would: the bundled model,
    settings from the user's config folder, and a background search for MNIST."""

    prediction_changed = Signal(object)  # (10,) probabilities, or None for an empty board
    training_started = Signal()
    training_finished = Signal(object)  # TrainOutcome, or the exception that ended the run
    data_loaded = Signal(object)  # MnistData

    def __init__(self, settings: Settings | None = None, *, search_data: bool = True) -> None:
        super().__init__()
        # One BLAS thread for the whole process, the training thread included: training keeps
        # a core free for drawing, and the window's small NumPy calls would otherwise wake
        # spinning helper threads and make the stroke -> answer latency jitter. Restored when
        # the window closes.
        self._blas = threadpool_limits(limits=1, user_api="blas")
        self.settings = settings or Settings()
        self.last_error: tuple[str, str] | None = None
        self.last_message: tuple[str, str] | None = None  # what show_message showed last
        self.message_box: dialogs.Sheet | None = None  # and the sheet it is on
        self.download_options: dict = {}  # passed to the download (mirrors, timeout…)
        self._closing = False
        self._shown = False  # shown once: the workspace has its real size
        self._reading = False  # update_prediction is setting the board's drawing

        model, note, why_not_last = last_or_bundled(self.settings.last_model())
        self.session = Session(model, self)
        self.predictor = Predictor(model.network)
        self.trainer = TrainingController(self.session, self)
        self.data_ctl = DataController(self.session, self.settings, self)
        self._build_ui()
        self._connect()
        self._restore_settings()
        self.restore_theme()
        self._init_presenter()
        self.set_model(model, note=note)
        if why_not_last:
            self.statusBar().showMessage(why_not_last, 30_000)
        if self.settings.notice:  # an unusable settings file was set aside: say so, once
            self.statusBar().showMessage(self.settings.notice, 30_000)
        if search_data:
            self.search_data()
        else:
            self.training_panel.set_data_status("No data loaded.", False)

    # --- building ----------------------------------------------------------------------------

    def _build_ui(self) -> None:
        icon = resources.icon_path()
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))
        self.canvas = DrawingCanvas()
        self.view_tabs = ViewTabs(self.session, self.show_help)
        actions.build_menus(self)
        self.draw_box = DrawBox(self.canvas, self)
        self.prediction_view = PredictionView(self.session)
        self.training_panel = TrainingPanel()
        self.training_panel.bind(self.session)
        self._build_digit_parts()  # my digits, fine-tune, images, Kaggle (digit_commands.py)
        build_layout(self)
        self.statusBar().setSizeGripEnabled(True)

    def _connect(self) -> None:
        s, panel = self.session, self.training_panel
        self.canvas.changed.connect(self.update_prediction)
        self.canvas.changed.connect(self.update_actions)
        s.reader_changed.connect(self._on_reader)
        s.drawing_changed.connect(self._on_drawing)
        s.run_started.connect(self.update_title)
        s.run_finished.connect(self.update_title)
        s.data_changed.connect(self._on_data)
        self.trainer.done.connect(self._on_run_done)
        self.trainer.paused_changed.connect(panel.set_paused)
        d = self.data_ctl
        d.busy.connect(lambda text: panel.set_data_status(text, False))
        d.missing.connect(self._on_data_missing)
        d.error.connect(self._on_data_error)
        d.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        d.idle.connect(self.update_actions)
        panel.train_clicked.connect(self.start_training)
        panel.pause_clicked.connect(self.toggle_pause)
        panel.stop_clicked.connect(self.stop_training)
        panel.download_clicked.connect(self.ask_download)
        panel.open_folder_clicked.connect(self.ask_open_folder)
        panel.open_csv_clicked.connect(self.ask_open_csv)
        panel.settings_changed.connect(self._on_settings_changed)
        panel.preset_help.linkActivated.connect(self.open_link)  # "the notes"
        self.view_tabs.currentChanged.connect(self.update_actions)

    # --- the parts, for tests and tools ------------------------------------------------------

    @property
    def model(self) -> ModelState:
        return self.session.model

    @property
    def data(self):
        return self.session.data

    @property
    def training_progress(self):
        """Progress reports of the run (``session.run_progress``)."""
        return self.session.run_progress

    @property
    def prediction_pane(self):
        return self.prediction_view.pane

    @property
    def plots(self):
        return self.views["plots"].plots

    @property
    def download_dialog(self):
        return self.data_ctl.download_dialog

    @property
    def views(self) -> dict[str, View]:
        """Every view by name: the prediction beside the board, then the tabs'."""
        return {"prediction": self.prediction_view, **self.view_tabs.views}

    def show_view(self, name: str) -> View:
        """Raise the view called ``name`` (a tab, or the prediction beside the board)."""
        if name not in self.views:
            known = ", ".join(sorted(self.views))
            raise LookupError(f"there is no view called {name!r}; the views are: {known}")
        if name in self.view_tabs.views:
            self.view_tabs.show_view(name)
        return self.views[name]

    # --- what the actions can do now ---------------------------------------------------------

    @property
    def training(self) -> bool:
        return self.trainer.running

    @property
    def paused(self) -> bool:
        return self.trainer.paused

    @property
    def train_worker(self):
        """The worker of the run going on (for tests and tools), or None."""
        return self.trainer.worker

    @property
    def loading_data(self) -> bool:
        return self.data_ctl.loading

    def update_actions(self) -> None:
        """Enable each menu action that can be used now (its ``enabled`` in the table)."""
        actions.update_actions(self)

    # --- settings ----------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.workspace.restore(s)
        name = s.current_view()
        if name in self.view_tabs.views:
            self.view_tabs.show_view(name)
        preset, config = s.train_settings()
        self.training_panel.set_config(config, preset if preset in PRESETS else None)

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.geometry_to_keep())
        self.workspace.save(s)
        s.set_current_view(self.view_tabs.current_name() or "")
        config = self.training_panel.config()
        if config is not None:
            s.set_train_settings(self.training_panel.preset_name(), config)
        s.sync()

    def set_settings_open(self, open_: bool) -> None:
        """Open the training settings beside the views, or collapse them (what View → Training
        settings, Ctrl+, and the "Training settings" button at the run bar's end do)."""
        self.workspace.set_settings_open(bool(open_))
        if self.settings_action.isChecked() != bool(open_):
            self.settings_action.setChecked(bool(open_))

    def _on_settings_changed(self) -> None:
        if self.data is not None:
            self.training_panel.set_data_status(self._data_text(), True)
        self._update_continue()
        self.update_actions()

    # --- prediction --------------------------------------------------------------------------

    def update_prediction(self) -> None:
        """Predict the board's digit now and show it (connected to ``canvas.changed``)."""
        if self.canvas.is_empty():
            drawing = Drawing()
        else:
            image = self.canvas.image()
            probs, x28 = self.predictor.predict(image)
            drawing = Drawing(image, x28, probs, self.predictor.network)
        self._reading = True
        try:
            self.session.set_drawing(drawing)
        finally:
            self._reading = False
        self.prediction_changed.emit(drawing.probs)

    def reading(self) -> int | None:
        """The digit the prediction pane shows: None for an empty board, and for a drawing the
        model's rejection rule calls "not a digit" (``prediction_view.verdict``)."""
        return verdict(self.session.drawing).digit

    def _on_drawing(self, drawing) -> None:
        self._note_on_board(drawing)
        # A drawing set by a view (a test digit, a nudge, its undo) changes the prediction too;
        # the board's own is announced by update_prediction, after every view has it.
        if not self._reading:
            self.prediction_changed.emit(drawing.probs)

    def _note_on_board(self, drawing) -> None:
        """The board says so when the views show a digit that is not the board's."""
        if drawing.from_board:
            self.canvas.show_note(None)
            return
        what = "" if drawing.label is None else f", a {drawing.label}"
        self.canvas.show_note(f"The views show {drawing.source}{what}. Draw to replace it.")

    @Slot(object)
    def _on_reader(self, network) -> None:
        self.predictor.network = network
        drawing = self.session.drawing
        if not drawing.from_board and not drawing.empty:  # a test digit: read it again
            probs = network.predict_proba(np.asarray(drawing.x28).reshape(1, -1))[0]
            self.session.set_drawing(replace(drawing, probs=probs, network=network))
        elif not self.canvas.is_empty():
            self.update_prediction()

    def set_preprocess(self, on: bool) -> None:
        self.predictor.preprocess = bool(on)
        self.update_prediction()

    def set_deskew(self, on: bool) -> None:
        self.predictor.deskew = bool(on)
        self.update_prediction()

    def bigger_brush(self) -> None:
        self.draw_box.nudge_brush(+BRUSH_STEP)

    def smaller_brush(self) -> None:
        self.draw_box.nudge_brush(-BRUSH_STEP)

    # --- dialogs (one place each, so tests can replace them) ---------------------------------

    def show_error(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking (tests monkeypatch this)."""
        text = dialogs.capitalised(text)
        self.last_error = (title, text)
        self.statusBar().showMessage(f"{title}: {text}", 10000)
        dialogs.show_box(self, QMessageBox.Icon.Warning, title, text)

    def show_message(self, title: str, html: str, width: int = 640) -> dialogs.Sheet:
        """Show help or information without blocking, on a sheet that scrolls when long;
        remembered in ``last_message``."""
        self.last_message = (title, html)
        self.message_box = dialogs.show_sheet(self, title, html, width, self.open_link)
        return self.message_box

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._closing and not self._maybe_discard():
            event.ignore()
            return
        self._closing = True
        self.save_settings()
        for controller in (self.trainer, self.data_ctl, self.kaggle):
            if not controller.shut_down(CLOSE_WAIT_MS):
                # The work is in a step that does not look at the Stop flag (e.g. the engine
                # preparing augmentation). It has been told to stop; wait for it out of sight
                # rather than let the thread be destroyed while it runs.
                self.hide()
                controller.shut_down(-1)
        self._blas.restore_original_limits()
        self._restore_usual_font()
        event.accept()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            # Once laid out. A child timer, not QTimer.singleShot: a window closed before it
            # fires frees it and its connection (a pending singleShot kept the window alive).
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(self.workspace.shown)
            timer.timeout.connect(timer.deleteLater)
            timer.start(0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return default_size(self)
