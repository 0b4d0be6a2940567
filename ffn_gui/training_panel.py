"""The training panel: data status, hyperparameters, Train/Pause/Stop, progress and plots.

A view: it turns its controls into a ``TrainConfig`` (or a message per invalid control) and
shows the progress it is given. It starts nothing itself; the window listens to its signals.
Every rule about what is valid is the engine's (``TrainConfig.validate``); the panel only
parses text into numbers and shows the engine's message next to the control it is about.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.activations import ACTIVATIONS
from core.costs import COSTS
from core.errors import ConfigError
from core.optimizers import OPTIMIZERS
from core.text import format_duration, parse_hidden
from core.training import (
    PRESET_HELP,
    PRESETS,
    BatchProgress,
    EpochProgress,
    TrainConfig,
)

from .plots import TrainingPlots
from .runs import run_label
from .theme import secondary_text

CUSTOM = "custom"
PAUSED = "Paused – "
ERROR_COLOR = "#dc2626"

INITS = {"scaled": "scaled (1/√fan-in)", "normal": "normal N(0, 1)"}
SCHEDULES = {"constant": "constant", "cosine": "cosine decay"}

TIPS = {
    "preset": "Load a whole set of settings at once. 'seed' is the notes' network (sigmoid, "
    "quadratic cost, SGD, batch 10, α = 3.0); 'default' is the best found for the same "
    "784-128-128-10 shape. Changing any setting makes it 'custom'.",
    "hidden": "Units in each hidden layer, separated by commas: '128, 128' is two layers of "
    "128. More units can learn finer features but train slower and overfit sooner; leave it "
    "empty for no hidden layer (a linear classifier).",
    "activation": "The non-linearity of the hidden neurons. Sigmoid (the notes) saturates, so "
    "its gradients vanish in deep or large networks; tanh is centred on 0; ReLU keeps "
    "gradients alive and usually learns fastest.",
    "cost": "What training minimises. Quadratic is the notes' ½‖a − y‖² on sigmoid outputs; "
    "it learns slowly when an output is confidently wrong. Cross-entropy on softmax outputs "
    "keeps a large gradient exactly then, and gives probabilities.",
    "init": "How the weights start. 'scaled' draws them with variance 1/fan-in (2/fan-in for "
    "ReLU) so neurons start unsaturated; 'normal' is the notes' N(0, 1), which saturates the "
    "first layer's 784 inputs and makes the first epochs slow.",
    "optimizer": "How each mini-batch's gradient moves the weights. SGD: w ← w − (α/m)Σ∇w. "
    "Momentum adds a running velocity that speeds up along consistent directions. Adam "
    "scales each weight's step by its gradient history and needs little tuning (α ≈ 0.001).",
    "learning_rate": "α, the step size. Too small: learning crawls. Too large: the cost jumps "
    "around or diverges. SGD on the quadratic cost likes about 3; Adam about 0.001.",
    "momentum": "μ, how much of the previous step carries over (momentum optimiser only). "
    "0.9 is usual; higher smooths more but can overshoot.",
    "schedule": "How α changes over the run. Constant keeps it; cosine decay lowers it "
    "smoothly to 0 by the last epoch, which settles the weights and usually adds accuracy.",
    "batch_size": "m, the examples averaged into each gradient step. Small batches give "
    "noisy but many steps per epoch; large batches give smooth, fewer steps and run faster "
    "per example on the CPU.",
    "epochs": "How many passes over the training set. More epochs learn more until the "
    "validation accuracy stops improving (then the network starts to overfit).",
    "l2": "λ, L2 weight decay: shrinks every weight a little each step. It keeps weights "
    "small, which fights overfitting; 0 turns it off, 1e-4 is a gentle value.",
    "augment": "Shift, rotate and scale each training image a little, differently every "
    "epoch, draw some with a thicker or thinner pen, and redraw some along their skeleton with "
    "an even pen like the canvas's. The network sees more varied digits, overfits less and "
    "reads hand-drawn digits better; the run starts a few seconds later and each epoch takes "
    "a little longer. Some 0s, 1s and 7s are redrawn with a slash, a lead-in stroke or a "
    "crossbar, as many people write them.",
    "deskew": "Shear every digit upright (its principal axis vertical) before the network "
    "sees it, in training and when it reads your drawing: slanted writing then looks like "
    "upright writing. The model remembers it was trained so.",
    "validation": "Training images held out to measure accuracy on data the network does "
    "not learn from. The validation curve tells you when more epochs stop helping.",
    "seed": "The random seed for the starting weights, the shuffling and the augmentation. "
    "The same seed and settings give the same run.",
}


def _parse_hidden(text: str) -> tuple[int, ...]:
    return parse_hidden(text)


def _parse_float(text: str, what: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise ConfigError(f"{what} must be a number, e.g. 0.001 or 1e-3") from None


def _format_float(x: float) -> str:
    return f"{x:g}"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR}; font-size: 11px;")
    label.setVisible(False)
    return label


class TrainingPanel(QWidget):
    """Data, settings, run controls and live plots."""

    train_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()
    download_clicked = Signal()
    open_folder_clicked = Signal()
    open_csv_clicked = Signal()
    settings_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self._running = False
        self._paused = False
        self._n_examples: int | None = None
        self._has_data = False
        self._errors: dict[str, str] = {}
        self._config: TrainConfig | None = None

        self.controls: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(8)
        root.addWidget(self._build_data_box())
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self._build_settings_box(), 3)
        row.addWidget(self._build_run_box(), 2)
        root.addLayout(row)
        self.plots = TrainingPlots()
        root.addWidget(self.plots, 1)

        self.set_config(PRESETS["default"], "default")
        self._refresh_buttons()

    # --- building ----------------------------------------------------------------------------

    def _build_data_box(self) -> QGroupBox:
        box = QGroupBox("Data")
        layout = QHBoxLayout(box)
        self.data_label = QLabel("Looking for MNIST…")
        self.data_label.setWordWrap(True)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.data_label, 1)
        self.download_button = QPushButton("Download MNIST…")
        self.download_button.setToolTip(
            "Download the MNIST digits (about 11 MB) into your data folder."
        )
        self.open_folder_button = QPushButton("Open folder…")
        self.open_folder_button.setToolTip(
            "Load MNIST from a folder of IDX files (train-images-idx3-ubyte[.gz] and friends)."
        )
        self.open_csv_button = QPushButton("Open Kaggle CSV…")
        self.open_csv_button.setToolTip("Load the Kaggle 'Digit Recognizer' train.csv.")
        for button, signal in (
            (self.download_button, self.download_clicked),
            (self.open_folder_button, self.open_folder_clicked),
            (self.open_csv_button, self.open_csv_clicked),
        ):
            button.clicked.connect(signal)
            layout.addWidget(button)
        return box

    def _add(self, grid: QGridLayout, row: int, col: int, name: str, label: str,
             widget: QWidget) -> None:
        widget.setToolTip(TIPS[name])
        caption = QLabel(label)
        caption.setToolTip(TIPS[name])
        caption.setBuddy(widget)
        error = _error_label()
        cell = QVBoxLayout()
        cell.setSpacing(1)
        cell.addWidget(widget)
        cell.addWidget(error)
        cell.addStretch(1)  # the control stays at the top when a neighbour's message wraps
        grid.addWidget(caption, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addLayout(cell, row, col + 1)
        self.controls[name] = widget
        self.error_labels[name] = error

    @staticmethod
    def _combo(items: dict[str, str]) -> QComboBox:
        combo = QComboBox()
        for key, text in items.items():
            combo.addItem(text, key)
        return combo

    @staticmethod
    def _registry_combo(registry: dict) -> QComboBox:
        """A choice of core's registered activations, costs or optimisers: each by its label,
        with its tooltip."""
        combo = QComboBox()
        for name, item in registry.items():
            combo.addItem(item.label, name)
            combo.setItemData(combo.count() - 1, item.tooltip, Qt.ItemDataRole.ToolTipRole)
        return combo

    def _build_settings_box(self) -> QGroupBox:
        box = QGroupBox("Network and training")
        outer = QVBoxLayout(box)
        top = QHBoxLayout()
        self.preset_combo = QComboBox()
        for name in PRESETS:
            self.preset_combo.addItem(name, name)
            self.preset_combo.setItemData(
                self.preset_combo.count() - 1, PRESET_HELP[name], Qt.ItemDataRole.ToolTipRole
            )
        self.preset_combo.addItem(CUSTOM, CUSTOM)
        self.preset_combo.setToolTip(TIPS["preset"])
        preset_label = QLabel("&Preset")
        preset_label.setBuddy(self.preset_combo)
        preset_label.setToolTip(TIPS["preset"])
        self.preset_help = QLabel()
        secondary_text(self.preset_help)
        self.preset_help.setWordWrap(True)
        top.addWidget(preset_label)
        top.addWidget(self.preset_combo)
        top.addWidget(self.preset_help, 1)
        outer.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        hidden = QLineEdit()
        hidden.setPlaceholderText("e.g. 128, 128")
        learning_rate = QLineEdit()
        l2 = QLineEdit()
        momentum = QDoubleSpinBox()
        momentum.setRange(0.0, 0.999)
        momentum.setSingleStep(0.05)
        momentum.setDecimals(3)
        batch = QSpinBox()
        batch.setRange(1, 100_000)
        epochs = QSpinBox()
        epochs.setRange(1, 10_000)
        validation = QSpinBox()
        validation.setRange(0, 1_000_000)
        validation.setSingleStep(1000)
        validation.setGroupSeparatorShown(True)
        seed = QSpinBox()
        seed.setRange(0, 2**31 - 1)
        augment = QCheckBox("shift, rotate, scale, pen")
        deskew = QCheckBox("shear digits upright")

        left = [
            ("hidden", "&Hidden layers", hidden),
            ("activation", "&Activation", self._registry_combo(ACTIVATIONS)),
            ("cost", "&Cost", self._registry_combo(COSTS)),
            ("init", "&Initial weights", self._combo(INITS)),
            ("optimizer", "&Optimiser", self._registry_combo(OPTIMIZERS)),
            ("learning_rate", "&Learning rate", learning_rate),
            ("momentum", "&Momentum", momentum),
        ]
        right = [
            ("schedule", "Sched&ule", self._combo(SCHEDULES)),
            ("batch_size", "&Batch size", batch),
            ("epochs", "&Epochs", epochs),
            ("l2", "L&2 decay", l2),
            ("validation", "&Validation", validation),
            ("augment", "Au&gmentation", augment),
            ("deskew", "Des&kew", deskew),
            ("seed", "See&d", seed),
        ]
        for row, (name, label, widget) in enumerate(left):
            self._add(grid, row, 0, name, label, widget)
        for row, (name, label, widget) in enumerate(right):
            self._add(grid, row, 2, name, label, widget)
        outer.addLayout(grid)
        outer.addStretch(1)

        for widget in self.controls.values():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._on_control_changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._on_control_changed)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._on_control_changed)
            else:
                widget.valueChanged.connect(self._on_control_changed)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_chosen)
        self.settings_box = box
        return box

    def _build_run_box(self) -> QGroupBox:
        box = QGroupBox("Run")
        layout = QVBoxLayout(box)
        buttons = QHBoxLayout()
        self.train_button = QPushButton("Train")
        self.train_button.setDefault(True)
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        for button in (self.train_button, self.pause_button, self.stop_button):
            button.setMinimumHeight(30)
            buttons.addWidget(button)
        self.train_button.clicked.connect(self.train_clicked)
        self.pause_button.clicked.connect(self.pause_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.pause_button.setToolTip("Pause the run between two mini-batches (Space)")
        self.stop_button.setToolTip("Stop the run and keep the network as it is now (Esc)")
        layout.addLayout(buttons)

        self.continue_box = QCheckBox("Continue from the current model")
        self.continue_box.setToolTip(
            "Train the model in the window further instead of a fresh network. Possible when "
            "its layers, activation and cost match the settings."
        )
        layout.addWidget(self.continue_box)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("Not started")
        layout.addWidget(self.progress_bar)
        self.progress_label = QLabel(" ")
        secondary_text(self.progress_label)
        layout.addWidget(self.progress_label)

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.result_label)
        self.config_error_label = _error_label()
        layout.addWidget(self.config_error_label)
        layout.addStretch(1)
        return box

    # --- settings ----------------------------------------------------------------------------

    def set_config(self, config: TrainConfig, preset: str | None = None) -> None:
        """Show ``config`` in the controls; the preset combo shows ``preset`` or the matching
        preset (or "custom")."""
        self._updating = True
        try:
            c = self.controls
            c["hidden"].setText(", ".join(str(h) for h in config.hidden))
            for name in ("activation", "cost", "init", "optimizer", "schedule"):
                combo: QComboBox = c[name]
                combo.setCurrentIndex(max(combo.findData(getattr(config, name)), 0))
            c["learning_rate"].setText(_format_float(config.learning_rate))
            c["l2"].setText(_format_float(config.l2))
            c["momentum"].setValue(config.momentum)
            c["batch_size"].setValue(config.batch_size)
            c["epochs"].setValue(config.epochs)
            c["validation"].setValue(config.validation)
            c["seed"].setValue(min(config.seed, 2**31 - 1))
            c["augment"].setChecked(config.augment)
            c["deskew"].setChecked(config.deskew)
        finally:
            self._updating = False
        self._revalidate(preset_hint=preset)

    def set_preset(self, name: str) -> None:
        """Load preset ``name`` into the controls."""
        self.set_config(PRESETS[name], name)

    def preset_name(self) -> str:
        return self.preset_combo.currentData()

    def config(self) -> TrainConfig | None:
        """The settings as a valid TrainConfig, or None while any control is invalid."""
        return self._config

    def errors(self) -> dict[str, str]:
        """Control name -> message, for every invalid control ("config" for the whole)."""
        return dict(self._errors)

    def set_n_examples(self, n: int | None) -> None:
        """The number of labelled training images available (bounds validation and batch)."""
        self._n_examples = n
        self._revalidate()

    def _on_preset_chosen(self) -> None:
        if self._updating:
            return
        name = self.preset_name()
        if name in PRESETS:
            self.set_config(PRESETS[name], name)
        else:
            self._update_preset_help()
            self.settings_changed.emit()

    def _on_control_changed(self) -> None:
        if not self._updating:
            self._revalidate()

    def _read_values(self) -> tuple[dict, dict[str, str]]:
        c = self.controls
        values: dict = {}
        errors: dict[str, str] = {}
        try:
            values["hidden"] = _parse_hidden(c["hidden"].text())
        except ConfigError as e:
            errors["hidden"] = str(e)
        for name, what in (("learning_rate", "the learning rate"), ("l2", "L2 decay")):
            try:
                values[name] = _parse_float(c[name].text(), what)
            except ConfigError as e:
                errors[name] = str(e)
        for name in ("activation", "cost", "init", "optimizer", "schedule"):
            values[name] = c[name].currentData()
        for name in ("batch_size", "epochs", "validation", "seed"):
            values[name] = int(c[name].value())
        values["momentum"] = round(float(c["momentum"].value()), 6)
        values["augment"] = c["augment"].isChecked()
        values["deskew"] = c["deskew"].isChecked()
        return values, errors

    def _revalidate(self, preset_hint: str | None = None) -> None:
        values, errors = self._read_values()
        base = TrainConfig()
        # Each control is checked on its own by the engine's own rules, so the engine's
        # message lands next to the control it is about.
        for name, value in values.items():
            try:
                replace(base, **{name: value}).validate()
            except ConfigError as e:
                errors.setdefault(name, str(e))
        config = None
        if not errors:
            config = replace(base, **values)
            try:
                config.validate()
            except ConfigError as e:
                errors["config"] = str(e)
                config = None
        n = self._n_examples
        if n is not None and "validation" not in errors:
            # Checked against the data even while another control is invalid.
            try:
                replace(base, validation=values["validation"], batch_size=1).validate(n)
            except ConfigError as e:
                errors["validation"] = str(e)
            else:
                try:
                    replace(base, validation=values["validation"],
                            batch_size=values["batch_size"]).validate(n)
                except ConfigError as e:
                    errors.setdefault("batch_size", str(e))
        if errors:
            config = None
        self._errors = errors
        self._config = config
        for name, label in self.error_labels.items():
            self._show_error(name, label, errors.get(name))
        general = errors.get("config")
        self.config_error_label.setText(general or "")
        self.config_error_label.setVisible(bool(general))
        optimizer = OPTIMIZERS.get(values["optimizer"])
        self.controls["momentum"].setEnabled(
            optimizer is not None and "momentum" in optimizer.hyperparameters)
        self._sync_preset(values if not errors else None, preset_hint)
        self._refresh_buttons()
        if not self._updating:
            self.settings_changed.emit()

    def _show_error(self, name: str, label: QLabel, message: str | None) -> None:
        widget = self.controls[name]
        if message:
            message = message[0].upper() + message[1:]
        label.setText(message or "")
        label.setVisible(bool(message))
        invalid = bool(message)
        if isinstance(widget, QLineEdit):
            widget.setStyleSheet(f"border: 1px solid {ERROR_COLOR};" if invalid else "")

    def _sync_preset(self, values: dict | None, hint: str | None) -> None:
        """Show which preset the controls equal, or "custom"."""
        name = CUSTOM
        if values is not None:
            current = replace(TrainConfig(), **values)
            matches = [p for p, cfg in PRESETS.items() if cfg == current]
            if hint in matches:
                name = hint
            elif self.preset_name() in matches:
                name = self.preset_name()
            elif matches:
                name = matches[0]
        elif hint in PRESETS:
            name = hint
        was = self._updating
        self._updating = True
        try:
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
        finally:
            self._updating = was
        self._update_preset_help()

    def _update_preset_help(self) -> None:
        name = self.preset_name()
        self.preset_help.setText(PRESET_HELP.get(name, "your own settings"))

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
        self._paused = False
        self.settings_box.setEnabled(not running)
        if running:
            self.continue_box.setEnabled(False)  # the window re-enables it after the run
        self.pause_button.setText("Pause")
        for button in (self.download_button, self.open_folder_button, self.open_csv_button):
            button.setEnabled(not running)
        self._refresh_buttons()

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setToolTip(
            ("Resume the run" if paused else "Pause the run between two mini-batches")
            + " (Space)"
        )
        text = self.progress_bar.format().removeprefix(PAUSED)
        self.progress_bar.setFormat(PAUSED + text if paused else text)

    def can_train(self) -> bool:
        return self.train_button.isEnabled()

    def _refresh_buttons(self) -> None:
        why = ""
        if self._running:
            why = "A run is going on"
        elif not self._has_data:
            why = "Load MNIST first (Download, Open folder or Open Kaggle CSV)"
        elif self._config is None:
            first = next(iter(self._errors.values()), "")
            why = f"Fix the settings first: {first}"
        self.train_button.setEnabled(not why)
        self.train_button.setToolTip(why or "Train a network with these settings (Ctrl+T)")
        self.pause_button.setEnabled(self._running)
        self.stop_button.setEnabled(self._running)

    def start_run(self, config: TrainConfig) -> None:
        """Reset the progress and the plots for a new run."""
        self.plots.reset(config.epochs, label=run_label(config))
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat(f"Epoch 1/{config.epochs}")
        self.progress_label.setText("Starting…")
        self.result_label.setText("")
        self.set_running(True)

    def show_progress(self, items) -> None:
        """Show progress reports (one, or a sequence oldest first) in the bar and plots."""
        if isinstance(items, BatchProgress | EpochProgress):
            items = (items,)
        if not items:
            return
        self.plots.add_progress(items)
        epochs = [p for p in items if isinstance(p, EpochProgress)]
        if epochs:
            e = epochs[-1]
            val = f" · validation {100 * e.val_accuracy:.2f}%" if e.val_accuracy is not None else ""
            self.result_label.setText(f"Epoch {e.epoch}: train {100 * e.train_accuracy:.2f}%{val}")
        p = items[-1]
        if isinstance(p, BatchProgress):
            done = (p.epoch - 1 + p.batch / p.batches) / p.epochs
            eta = p.elapsed * (1 - done) / done if done > 0 else None
            epoch = p.epoch
        else:
            done = p.epoch / p.epochs
            eta = p.eta
            epoch = min(p.epoch + 1, p.epochs)
        self.progress_bar.setValue(int(round(1000 * done)))
        paused = PAUSED if self._paused else ""
        self.progress_bar.setFormat(f"{paused}Epoch {epoch}/{p.epochs}")
        self.progress_label.setText(
            f"{format_duration(p.elapsed)} elapsed · ETA {format_duration(eta)}"
        )

    def finish_run(self, outcome=None, error: BaseException | None = None) -> None:
        """Show the end of a run: the test accuracy, or that it stopped or failed."""
        self.set_running(False)
        if error is not None:
            self.progress_bar.setFormat("Failed")
            self.progress_label.setText(str(error))
            return
        result = outcome.result
        epochs = outcome.config.epochs
        self.progress_bar.setFormat(
            f"Stopped after {result.epochs_completed}/{epochs} epochs"
            if result.stopped
            else f"Done: {result.epochs_completed}/{epochs} epochs"
        )
        if not result.stopped:
            self.progress_bar.setValue(self.progress_bar.maximum())
        self.progress_label.setText(f"{format_duration(result.elapsed)} of training")
        parts = []
        if outcome.test_accuracy is not None:
            parts.append(f"<b>Test accuracy {100 * outcome.test_accuracy:.2f}%</b>")
        if result.history:
            last = result.history[-1]
            parts.append(f"train {100 * last.train_accuracy:.2f}%")
            if last.val_accuracy is not None:
                parts.append(f"validation {100 * last.val_accuracy:.2f}%")
        self.result_label.setText(" · ".join(parts))
        self.plots.set_test_accuracy(outcome.test_accuracy)

