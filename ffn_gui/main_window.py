"""The main window: draw a digit, see the network's guess, train the network on MNIST live.

Glue only. The math, the data and the files are ``core``'s; the canvas, the prediction pane and
the training panel are views; training, loading and downloading run in workers on their own
threads (``workers.py``). The window holds the current model (``ModelState``: a network and
what is known about it) and the loaded data, and wires the parts together:

- ``canvas.changed`` -> predict (synchronously) -> prediction pane and ``prediction_changed``;
- Train -> a ``TrainWorker`` training a separate network -> progress to the panel and plots,
  weight snapshots to the predictor -> at the end the trained network becomes the model;
- File menu -> ``core.model_io``; data buttons -> ``LoadDataWorker`` / ``DownloadDialog``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSlider,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from threadpoolctl import threadpool_limits

from core.errors import ConfigError, FFNError
from core.network import Network
from core.predictor import Predictor
from core.training import PRESETS, TrainConfig, TrainControl, continue_problem, mnist_problem

from . import resources, workers
from .canvas import DrawingCanvas
from .download_dialog import DownloadDialog
from .prediction import PredictionPane
from .settings import Settings
from .training_panel import TrainingPanel

APP_NAME = "ffn-gui"
UNTITLED = "untitled"
MODEL_FILTER = "ffn-gui models (*.npz);;All files (*)"
CLOSE_WAIT_MS = 2000


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

    def describe(self) -> str:
        text = self.network.describe()
        acc = self.metrics.get("test_accuracy")
        if isinstance(acc, int | float):
            text += f" · test accuracy {100 * acc:.2f}%"
        return text


def _bundled_or_fresh() -> tuple[ModelState, str | None]:
    """The bundled model, or a fresh default network and a note saying why."""
    path = resources.bundled_model_path()
    if path.is_file():
        try:
            from core.model_io import load_model

            m = load_model(path)
            return ModelState(m.network, m.name or "bundled model", m.config, dict(m.metrics),
                              path, bundled=True, data_checksum=m.data_checksum), None
        except FFNError as error:
            note = f"The bundled model could not be read ({error}); this network is untrained."
    else:
        note = "No bundled model found; this network is untrained: train it on MNIST."
    config = PRESETS["default"]
    return ModelState(config.make_network(), UNTITLED, config), note


def describe_data(data, validation: int) -> str:
    """ "MNIST — 50,000 train · 10,000 validation · 10,000 test — from <folder>"."""
    source = Path(str(data.source)) if data.source else None
    suffix = source.suffix.lower() if source else ""
    kind = {".csv": "Kaggle CSV", ".npz": "MNIST (.npz)"}.get(suffix, "MNIST")
    n = len(data.train)
    valid = min(validation, n)
    parts = [f"{n - valid:,} train", f"{valid:,} validation"]
    parts.append(f"{len(data.test):,} test" if data.test is not None else "no test set")
    where = f" — from {source}" if source else ""
    return f"{kind} — {' · '.join(parts)}{where}"


class MainWindow(QMainWindow):
    """The app's one window. ``MainWindow()`` starts as a new user's would: the bundled model,
    settings from the user's config folder, and a background search for MNIST."""

    prediction_changed = Signal(object)  # (10,) probabilities, or None for an empty canvas
    training_started = Signal()
    training_progress = Signal(object)  # tuple of BatchProgress | EpochProgress, as shown
    training_finished = Signal(object)  # TrainOutcome, or the exception that ended the run
    data_loaded = Signal(object)  # MnistData
    data_missing = Signal(str)  # the start-up search found nothing (the engine's message)
    model_changed = Signal()

    def __init__(self, settings: Settings | None = None, *, search_data: bool = True) -> None:
        super().__init__()
        # One BLAS thread for the whole process, the training thread included: training keeps
        # a core free for drawing, and the window's small NumPy calls would otherwise wake
        # spinning helper threads and make the stroke -> answer latency jitter. Restored when
        # the window closes.
        self._blas = threadpool_limits(limits=1, user_api="blas")
        self.settings = settings or Settings()
        self.data = None
        self.last_error: tuple[str, str] | None = None
        self._train_job: workers.Job | None = None
        self._train_control: TrainControl | None = None
        self._train_outcome = None
        self._train_error: BaseException | None = None
        self._data_job: workers.Job | None = None
        self.download_dialog: DownloadDialog | None = None
        self._closing = False
        self._last_epoch = 0
        self._continued = False

        self.model, note = _bundled_or_fresh()
        self.predictor = Predictor(self.model.network)

        self._build_ui()
        self._build_actions()
        self._restore_settings()
        self._show_model(note)
        self._update_actions()
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
        self.prediction_pane = PredictionPane()
        self.training_panel = TrainingPanel()

        draw_box = QGroupBox("Draw a digit")
        draw_layout = QVBoxLayout(draw_box)
        draw_layout.addWidget(self.canvas, 1)
        self.tools = QHBoxLayout()
        draw_layout.addLayout(self.tools)

        predict_box = QGroupBox("Prediction")
        predict_layout = QVBoxLayout(predict_box)
        predict_layout.setContentsMargins(4, 4, 4, 4)
        predict_layout.addWidget(self.prediction_pane)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(draw_box, 3)
        left_layout.addWidget(predict_box, 2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.training_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)
        self.setCentralWidget(central)
        self.resize(1380, 860)

        self.canvas.changed.connect(self.update_prediction)
        self.canvas.changed.connect(self._update_edit_actions)
        panel = self.training_panel
        panel.train_clicked.connect(self.start_training)
        panel.pause_clicked.connect(self.toggle_pause)
        panel.stop_clicked.connect(self.stop_training)
        panel.download_clicked.connect(self.download_data)
        panel.open_folder_clicked.connect(self._ask_open_folder)
        panel.open_csv_clicked.connect(self._ask_open_csv)
        panel.settings_changed.connect(self._on_settings_changed)
        self.statusBar().setSizeGripEnabled(True)

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.NativeText)})"
                              if shortcut is not None else tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in the window
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self._action
        self.new_action = a("&New network", self._ask_new_network, K.New,
                            "A fresh, untrained network from the panel's settings")
        self.open_action = a("&Open model…", self._ask_open_model, K.Open, "Open a .npz model")
        self.save_action = a("&Save model", self._ask_save, K.Save, "Save the model")
        self.save_as_action = a("Save model &as…", self._ask_save_as, "Ctrl+Shift+S",
                                "Save the model under a new name")
        self.revert_action = a("&Revert to bundled model", self._ask_revert, None,
                               "Go back to the model that ships with the app")
        self.download_action = a("&Download MNIST…", self.download_data, None,
                                 "Download MNIST (about 11 MB)")
        self.open_folder_action = a("Open MNIST &folder…", self._ask_open_folder,
                                    "Ctrl+Shift+O", "Load MNIST from a folder of IDX files")
        self.open_csv_action = a("Open &Kaggle CSV…", self._ask_open_csv, None,
                                 "Load Kaggle's train.csv")
        self.quit_action = a("&Quit", self.close, "Ctrl+Q", "Quit")

        self.undo_action = a("&Undo stroke", self.canvas.undo, K.Undo, "Take back the last stroke")
        self.redo_action = a("&Redo stroke", self.canvas.redo, ["Ctrl+Shift+Z", "Ctrl+Y"],
                             "Put back the stroke you took back")
        self.clear_action = a("&Clear canvas", self.canvas.clear, ["Del", "Backspace"],
                              "Wipe the canvas (Undo brings it back)")
        self.eraser_action = a("&Eraser", self.canvas.set_eraser, "E",
                               "Draw with the eraser (the right button always erases)",
                               checkable=True)
        self.bigger_action = a("&Bigger brush", lambda: self._nudge_brush(+0.4), "]",
                               "Make the brush bigger")
        self.smaller_action = a("&Smaller brush", lambda: self._nudge_brush(-0.4), "[",
                                "Make the brush smaller")

        self.train_action = a("&Train", self.start_training, "Ctrl+T",
                              "Train a network with the panel's settings")
        self.pause_action = a("&Pause / resume", self.toggle_pause, "Space",
                              "Pause or resume the run")
        self.stop_action = a("&Stop", self.stop_training, "Esc", "Stop the run")

        self.grid_action = a("Show pixel &grid", self.canvas.set_grid_visible, "G",
                             "Show the 28×28 input grid on the canvas", checkable=True)
        self.preprocess_action = a("&MNIST-style centring", self._set_preprocess, None,
                                   "Crop, scale and centre the drawing like MNIST before "
                                   "the network reads it", checkable=True)
        self.preprocess_action.setChecked(True)
        self.shortcuts_action = a("&Keyboard shortcuts", self._show_shortcuts, "F1",
                                  "List the keyboard shortcuts")
        self.about_action = a("&About ffn-gui", self._show_about, None, "About")

        bar = self.menuBar()
        m = bar.addMenu("&File")
        for action in (self.new_action, self.open_action, self.save_action,
                       self.save_as_action, self.revert_action, None, self.download_action,
                       self.open_folder_action, self.open_csv_action, None, self.quit_action):
            m.addSeparator() if action is None else m.addAction(action)
        m = bar.addMenu("&Edit")
        for action in (self.undo_action, self.redo_action, self.clear_action, None,
                       self.eraser_action, self.bigger_action, self.smaller_action):
            m.addSeparator() if action is None else m.addAction(action)
        m = bar.addMenu("&Training")
        for action in (self.train_action, self.pause_action, self.stop_action):
            m.addAction(action)
        m = bar.addMenu("&View")
        m.addAction(self.grid_action)
        m.addAction(self.preprocess_action)
        m = bar.addMenu("&Help")
        m.addAction(self.shortcuts_action)
        m.addAction(self.about_action)

        # The canvas's tool row.
        def tool(action: QAction, text: str) -> QToolButton:
            action.setIconText(text)  # what a text-only tool button shows
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(26)
            return button

        brush_label = QLabel("Brush")
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(5, 60)  # tenths of an input pixel
        self.brush_slider.setValue(int(round(self.canvas.brush_size * 10)))
        self.brush_slider.setToolTip("Brush size ([ and ] change it)")
        self.brush_slider.setMinimumWidth(70)
        self.brush_slider.setMaximumWidth(120)
        self.brush_slider.valueChanged.connect(lambda v: self.canvas.set_brush_size(v / 10))
        self.tools.addWidget(brush_label)
        self.tools.addWidget(self.brush_slider)
        self.tools.addWidget(tool(self.eraser_action, "Eraser"))
        self.tools.addWidget(tool(self.grid_action, "Grid"))
        self.tools.addStretch(1)
        self.tools.addWidget(tool(self.undo_action, "Undo"))
        self.tools.addWidget(tool(self.redo_action, "Redo"))
        self.tools.addWidget(tool(self.clear_action, "Clear"))

    def _nudge_brush(self, delta: float) -> None:
        self.canvas.set_brush_size(self.canvas.brush_size + delta)
        self.brush_slider.setValue(int(round(self.canvas.brush_size * 10)))

    def _set_preprocess(self, on: bool) -> None:
        self.predictor.preprocess = bool(on)
        self.update_prediction()

    # --- settings ----------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = s.splitter_state()
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([440, 940])
        preset, config = s.train_settings()
        self.training_panel.set_config(config, preset if preset in PRESETS else None)

    def save_settings(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_splitter_state(self.splitter.saveState())
        config = self.training_panel.config()
        if config is not None:
            s.set_train_settings(self.training_panel.preset_name(), config)
        s.sync()

    def _on_settings_changed(self) -> None:
        if self.data is not None:
            self.training_panel.set_data_status(self._data_text(), True)
        self._update_continue()
        self._update_actions()

    # --- prediction --------------------------------------------------------------------------

    def update_prediction(self) -> None:
        """Predict the canvas's digit now and show it (connected to ``canvas.changed``)."""
        if self.canvas.is_empty():
            probs, img28 = None, None
        else:
            probs, img28 = self.predictor.predict(self.canvas.image())
        self.prediction_pane.set_probabilities(probs)
        self.prediction_pane.set_input_image(img28)
        self.prediction_changed.emit(probs)

    @Slot(object)
    def _on_snapshot(self, network: Network) -> None:
        self.predictor.network = network
        self.prediction_pane.set_status(
            f"Live: the network being trained, as of epoch {self._last_epoch or 1}"
        )
        if not self.canvas.is_empty():
            self.update_prediction()

    # --- the model ---------------------------------------------------------------------------

    def _show_model(self, note: str | None = None) -> None:
        m = self.model
        self.predictor.network = m.network
        self.setWindowTitle(f"{m.name}[*] — {APP_NAME}")
        status = f"{m.name}: {m.describe()}"
        self.prediction_pane.set_status(note or status)
        if note:
            self.statusBar().showMessage(note)
        self._update_continue()
        self._update_actions()
        self.update_prediction()
        self.model_changed.emit()

    def set_model(self, model: ModelState, modified: bool = False, note: str | None = None):
        self.model = model
        self.setWindowModified(modified)
        self._show_model(note)

    def new_network(self) -> bool:
        """Replace the model with a fresh untrained network from the panel's settings."""
        config = self.training_panel.config()
        if config is None or self.training:
            return False
        self.set_model(ModelState(config.make_network(), UNTITLED, config), modified=True)
        self.statusBar().showMessage("New untrained network: press Train to teach it", 5000)
        return True

    def open_model(self, path: str | Path) -> bool:
        """Load a model file; on any problem show an error and keep the current model."""
        from core.model_io import load_model

        path = Path(path)
        try:
            m = load_model(path)
            problem = mnist_problem(m.network)
            if problem:
                raise ConfigError(f"{path} {problem}")
        except FFNError as error:
            self.show_error("Cannot open the model", str(error))
            return False
        bundled = path.resolve() == resources.bundled_model_path().resolve()
        self.set_model(ModelState(m.network, m.name or path.stem, m.config, dict(m.metrics),
                                  path, bundled=bundled, data_checksum=m.data_checksum))
        self.settings.set_last_model_dir(path.parent)
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
        except (FFNError, OSError) as error:
            self.show_error("Cannot save the model", f"{path}: {error}")
            return False
        m.path, m.name, m.bundled = path, path.stem, False
        self.setWindowModified(False)
        self.settings.set_last_model_dir(path.parent)
        self._show_model()
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def revert_to_bundled(self) -> bool:
        if self.training:
            return False
        model, note = _bundled_or_fresh()
        self.set_model(model, modified=False, note=note)
        return True

    def _update_continue(self) -> None:
        config = self.training_panel.config()
        net = self.model.network
        if config is None:
            self.training_panel.set_continue_available(False)
            return
        reason = continue_problem(net, config)
        self.training_panel.set_continue_available(reason is None, reason or "")

    # --- data --------------------------------------------------------------------------------

    def search_data(self) -> None:
        """Look for MNIST in the background (last folder used, $MNIST_DIR, the cache)."""
        self._load_data(self.settings.last_data_path(), search=True)

    def load_data_from(self, path: str | Path) -> None:
        """Load a folder of IDX files, a Kaggle CSV or a Keras .npz in the background."""
        self._load_data(Path(path), search=False)

    def _load_data(self, path: Path | None, search: bool) -> None:
        if self.loading_data:
            return
        worker = workers.LoadDataWorker(path, search=search)
        worker.succeeded.connect(self.set_data)
        worker.not_found.connect(self._on_data_missing)
        worker.failed.connect(self._on_data_failed)
        self.training_panel.set_data_status(
            "Looking for MNIST…" if search else f"Loading {path}…", False
        )
        self._data_started = time.perf_counter()
        self._data_job = workers.Job(worker, self)
        self._data_job.done.connect(self._update_actions)
        self._data_job.start()

    @property
    def loading_data(self) -> bool:
        """True while a search for MNIST or a load runs in the background."""
        return self._data_job is not None and self._data_job.running

    @Slot(object)
    def set_data(self, data) -> None:
        """Use ``data`` (an ``MnistData``) for training."""
        self.data = data
        self.training_panel.set_n_examples(len(data.train))
        self.training_panel.set_data_status(self._data_text(), True)
        if data.source:
            self.settings.set_last_data_path(data.source)
        self._update_actions()
        self.data_loaded.emit(data)

    def _data_text(self) -> str:
        config = self.training_panel.config()
        validation = config.validation if config is not None else PRESETS["default"].validation
        return describe_data(self.data, validation)

    @Slot(str)
    def _on_data_missing(self, message: str) -> None:
        if self.data is None:
            self.training_panel.set_data_status(
                "No MNIST found. Download it (about 11 MB), or open a folder of IDX files or "
                "Kaggle's train.csv.", False
            )
            self.training_panel.data_label.setToolTip(message)
        self.data_missing.emit(message)

    @Slot(object)
    def _on_data_failed(self, error: BaseException) -> None:
        if self.data is None:
            self.training_panel.set_data_status("No data loaded.", False)
        else:
            self.training_panel.set_data_status(self._data_text(), True)
        self.show_error("Cannot load the data", str(error))

    def download_data(self, dest: str | Path | None = None, **options) -> DownloadDialog | None:
        """Open the download dialog and start downloading; load the data when it is done."""
        if self.training:
            return None
        dialog = DownloadDialog(dest, self, **options)
        dialog.downloaded.connect(self.load_data_from)
        dialog.failed.connect(lambda e: self.show_error("Download failed", str(e)))
        dialog.cancelled.connect(
            lambda: self.statusBar().showMessage("Download cancelled", 5000)
        )
        dialog.finished.connect(self._forget_download_dialog)
        self.download_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _forget_download_dialog(self) -> None:
        if self.download_dialog is not None:
            self.download_dialog.deleteLater()
            self.download_dialog = None

    # --- training ----------------------------------------------------------------------------

    @property
    def training(self) -> bool:
        return self._train_job is not None and self._train_job.running

    @property
    def train_worker(self) -> workers.TrainWorker | None:
        """The worker of the run going on (for tests and tools), or None."""
        return self._train_job.worker if self.training else None

    def start_training(self, dataset=None) -> bool:
        """Train on ``dataset`` (an MnistData or a Dataset; default: the loaded data) with the
        panel's settings, in a worker thread. Returns False (and says why) if it cannot."""
        if self.training:
            return False
        if dataset is not None and not hasattr(dataset, "train"):
            from core.data import MnistData

            dataset = MnistData(dataset, None, dataset.source)
        data = dataset if dataset is not None else self.data
        config = self.training_panel.config()
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
        self._continued = self.training_panel.continue_requested()
        network = self.model.network.copy() if self._continued else config.make_network()
        self._train_control = TrainControl()
        self._train_outcome = self._train_error = None
        self._last_epoch = 0
        worker = workers.TrainWorker(network, config, data, self._train_control)
        worker.progress.connect(self._on_progress)
        worker.snapshot.connect(self._on_snapshot)
        worker.succeeded.connect(self._on_train_succeeded)
        worker.failed.connect(self._on_train_failed)
        self._train_job = workers.Job(worker, self)
        self._train_job.done.connect(self._on_train_done)
        self.training_panel.start_run(config)
        self._on_snapshot(network.copy())  # from now on the canvas is read by the run's network
        self._train_job.start()
        self.save_settings()
        self._update_actions()
        self.statusBar().showMessage(f"Training {network.describe()}…")
        self.training_started.emit()
        return True

    def pause_training(self) -> None:
        if self.training and not self._train_control.paused:
            self._train_control.pause()
            self.training_panel.set_paused(True)

    def resume_training(self) -> None:
        if self.training and self._train_control.paused:
            self._train_control.resume()
            self.training_panel.set_paused(False)

    def toggle_pause(self) -> None:
        if not self.training:
            return
        if self._train_control.paused:
            self.resume_training()
        else:
            self.pause_training()

    @property
    def paused(self) -> bool:
        return self.training and self._train_control.paused

    def stop_training(self) -> None:
        """Ask the run to stop after the current mini-batch (the network so far is kept)."""
        if self.training:
            self._train_control.stop()
            self.training_panel.set_paused(False)
            self.statusBar().showMessage("Stopping…")

    @Slot(object)
    def _on_progress(self, items) -> None:
        if items:
            self._last_epoch = items[-1].epoch
        self.training_panel.show_progress(items)
        self.training_progress.emit(items)

    @Slot(object)
    def _on_train_succeeded(self, outcome) -> None:
        self._train_outcome = outcome

    @Slot(object)
    def _on_train_failed(self, error: BaseException) -> None:
        self._train_error = error

    @Slot()
    def _on_train_done(self) -> None:
        """The training thread has ended: adopt the trained network, or report the error."""
        outcome, error = self._train_outcome, self._train_error
        self._train_outcome = self._train_error = None
        panel = self.training_panel
        if outcome is not None:
            panel.finish_run(outcome)
            name = self.model.name if self._continued and not self.model.bundled else UNTITLED
            self.set_model(ModelState(outcome.network, name, outcome.config, dict(outcome.metrics),
                                      data_checksum=outcome.data_checksum), modified=True)
            how = "stopped" if outcome.result.stopped else "finished"
            self.statusBar().showMessage(f"Training {how}: {self.model.describe()}", 10000)
            result = outcome
        else:
            error = error or RuntimeError("the training worker ended without a result")
            panel.finish_run(error=error)
            self._show_model()  # back to the model the window had
            if not self._closing:
                self.show_error("Training failed", str(error))
            result = error
        self._update_actions()
        self.training_finished.emit(result)

    # --- actions' state ----------------------------------------------------------------------

    def _update_edit_actions(self) -> None:
        self.undo_action.setEnabled(self.canvas.can_undo())
        self.redo_action.setEnabled(self.canvas.can_redo())

    def _update_actions(self) -> None:
        running = self.training
        loading = self.loading_data
        for action in (self.new_action, self.open_action, self.revert_action,
                       self.download_action, self.open_folder_action, self.open_csv_action):
            action.setEnabled(not running)
        for action in (self.download_action, self.open_folder_action, self.open_csv_action):
            action.setEnabled(not running and not loading)
        self.train_action.setEnabled(not running and self.training_panel.can_train())
        # Space and Esc only mean something during a run; disabled, they don't steal keys.
        self.pause_action.setEnabled(running)
        self.stop_action.setEnabled(running)
        self._update_edit_actions()

    # --- dialogs (one place each, so tests can replace them) ---------------------------------

    def show_error(self, title: str, text: str) -> None:
        """Tell the user about a problem without blocking (tests monkeypatch this)."""
        self.last_error = (title, text)
        self.statusBar().showMessage(f"{title}: {text}", 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ask_save_changes(self) -> str:
        """"save", "discard" or "cancel" for an unsaved model (tests monkeypatch this)."""
        answer = QMessageBox.question(
            self,
            "Unsaved model",
            f"The model “{self.model.name}” has changes that are not saved. Save it first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(answer, "cancel")

    def ask_path(self, kind: str) -> str | None:
        """A path from a file dialog: kind is "open-model", "save-model", "folder" or "csv"."""
        start = str(self.settings.last_model_dir() or Path.home())
        if kind == "open-model":
            path, _ = QFileDialog.getOpenFileName(self, "Open model", start, MODEL_FILTER)
        elif kind == "save-model":
            suggested = str(Path(start) / f"{self.model.name or UNTITLED}.npz")
            path, _ = QFileDialog.getSaveFileName(self, "Save model", suggested, MODEL_FILTER)
        elif kind == "folder":
            path = QFileDialog.getExistingDirectory(self, "Open a folder of MNIST IDX files",
                                                    str(Path.home()))
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Open Kaggle train.csv",
                                                  str(Path.home()), "CSV files (*.csv)")
        return path or None

    def _maybe_discard(self) -> bool:
        """True when the current model may be replaced (saved, or the user said so)."""
        if not self.isWindowModified():
            return True
        answer = self.ask_save_changes()
        if answer == "save":
            return self._ask_save()
        return answer == "discard"

    def _ask_new_network(self) -> None:
        if self._maybe_discard():
            self.new_network()

    def _ask_open_model(self) -> None:
        if self._maybe_discard():
            path = self.ask_path("open-model")
            if path:
                self.open_model(path)

    def _ask_revert(self) -> None:
        if self._maybe_discard():
            self.revert_to_bundled()

    def _ask_save(self) -> bool:
        m = self.model
        if m.path is None or m.bundled:
            return self._ask_save_as()
        return self.save_model(m.path)

    def _ask_save_as(self) -> bool:
        path = self.ask_path("save-model")
        return self.save_model(path) if path else False

    def _ask_open_folder(self) -> None:
        path = self.ask_path("folder")
        if path:
            self.load_data_from(path)

    def _ask_open_csv(self) -> None:
        path = self.ask_path("csv")
        if path:
            self.load_data_from(path)

    def _show_shortcuts(self) -> None:
        rows = []
        for action in self.actions():
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                             for s in action.shortcuts())
            if keys:
                rows.append(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;"
                            f"{action.text().replace('&', '')}</td></tr>")
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          "<table>" + "".join(rows) + "</table>",
                          QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _show_about(self) -> None:
        QMessageBox.about(
            self, "About ffn-gui",
            "<b>ffn-gui</b><br>Draw a digit and watch a feed-forward network, written from "
            "scratch in NumPy, read it — and learn MNIST live.",
        )

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._closing and not self._maybe_discard():
            event.ignore()
            return
        self._closing = True
        self.save_settings()
        for job in (self._train_job, self._data_job):
            if job is not None and job.running:
                job.cancel()
        if self._train_control is not None:
            self._train_control.stop()
        dialog = self.download_dialog
        if dialog is not None and dialog.running:
            dialog.job.cancel()
            dialog.job.wait(CLOSE_WAIT_MS)
        for job in (self._train_job, self._data_job):
            if job is not None and not job.wait(CLOSE_WAIT_MS):
                # The work is in a step that does not look at the Stop flag (e.g. the engine
                # preparing augmentation). It has been told to stop; wait for it out of sight
                # rather than let the thread be destroyed while it runs.
                self.hide()
                job.wait(-1)
        self._blas.restore_original_limits()
        event.accept()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(1380, 860)
