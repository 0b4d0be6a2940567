"""The settings form: a preset and every hyperparameter, checked by the engine's own rules.

The form turns its controls into a ``TrainConfig`` (or a message per invalid control, shown on
a line reserved under the control, so nothing moves when a message comes or goes). Every rule
about what is valid is ``TrainConfig.validate``'s; the form only parses text into numbers.
The preset combo shows the preset the settings came from, "seed (modified)" once a setting
differs, while its open list names each preset plainly; choosing a preset again restores it,
and the values it replaced can be brought back ("Back to my changes"), so picking a preset
never silently loses what was typed.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.errors import ConfigError
from core.fields import FIELDS
from core.optimizers import OPTIMIZERS
from core.text import capitalised
from core.training import PRESET_HELP, PRESETS, TrainConfig
from ffn_gui.shell.dialogs import NOTES_LINK
from ffn_gui.shell.theme import secondary_text

from . import setting_widgets
from .labels import TwoLines
from .settings_tips import PRESET_TIP, tips

ERROR_COLOR = "#dc2626"
MODIFIED = " (modified)"


def readable(message: str) -> str:
    """An engine message for people: capitalised, big numbers as "50,000" (not "50000.0")."""
    def group(m: re.Match) -> str:
        return f"{int(float(m.group(0))):,}"

    message = re.sub(r"(?<![\d.e-])\d{4,}(\.0+)?(?![\d.e])", group, message)
    return capitalised(message)


class ErrorLine(QLabel):
    """A one-line message under a control. Its line is reserved even while hidden, and a long
    message is elided (the whole of it in the tooltip), so the rows below never move."""

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(f"color: {ERROR_COLOR}; font-size: 11px;")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setFixedHeight(self.fontMetrics().height() + 1)
        self.setVisible(False)

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setToolTip(message or "")
        self.setVisible(bool(message))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.width())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         text)
        painter.end()


class PresetCombo(QComboBox):
    """Shows "seed (modified)" when closed; its open list says "seed", the preset you can
    choose to restore (as the hint under it says)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown_text = ""  # what the closed combo says; "" for the current item's name

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self.setItemText(self.currentIndex(), self.itemData(self.currentIndex()))
        super().showPopup()

    def hidePopup(self) -> None:  # noqa: N802 - Qt's name
        super().hidePopup()
        self.show_text(self.shown_text)

    def show_text(self, text: str) -> None:
        """Name every preset plainly, and the current one ``text`` while the list is closed."""
        self.shown_text = text
        for i in range(self.count()):
            self.setItemText(i, self.itemData(i))
        if text:
            self.setItemText(self.currentIndex(), text)


def _known(values: dict) -> dict:
    """The ``values`` of settings a TrainConfig has (a row may be shown but reach no run)."""
    names = {f.name for f in fields(TrainConfig)}
    return {name: value for name, value in values.items() if name in names}


class SettingsForm(QGroupBox):
    """Preset and hyperparameters; ``config()`` is a valid TrainConfig or None."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Network and training", parent)
        self._updating = False
        self._n_examples: int | None = None
        self._errors: dict[str, str] = {}
        self._config: TrainConfig | None = None
        self._preset = "default"  # the preset the settings came from
        self._replaced: TrainConfig | None = None  # what the last preset choice overwrote
        self.controls: dict[str, QWidget] = {}
        self.error_labels: dict[str, ErrorLine] = {}
        outer = QVBoxLayout(self)
        outer.addLayout(self._build_preset_row())
        outer.addWidget(self.preset_help)
        outer.addLayout(self._build_grid())
        self.config_error_label = ErrorLine()
        outer.addWidget(self.config_error_label)
        outer.addStretch(1)
        self.set_config(PRESETS["default"], "default")

    # --- building ----------------------------------------------------------------------------

    def _build_preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.preset_combo = PresetCombo()
        for name in PRESETS:
            self.preset_combo.addItem(name, name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, PRESET_HELP[name],
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.preset_combo.setToolTip(PRESET_TIP)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_index)
        self.preset_combo.activated.connect(self._on_preset_activated)
        label = QLabel("&Preset")
        label.setBuddy(self.preset_combo)
        label.setToolTip(PRESET_TIP)
        self.back_button = QPushButton("Back to my changes")
        self.back_button.setToolTip("Put back the settings the preset you chose replaced")
        self.back_button.setVisible(False)
        self.back_button.clicked.connect(self.back_to_changes)
        self.preset_help = TwoLines(lines=3)
        self.preset_help.setTextFormat(Qt.TextFormat.RichText)  # "the notes" links to them
        secondary_text(self.preset_help)
        row.addWidget(label)
        row.addWidget(self.preset_combo)
        row.addWidget(self.back_button)
        row.addStretch(1)
        return row

    def _build_grid(self) -> QGridLayout:
        self.grid = grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(0)
        self._cells: list[tuple[QLabel, QVBoxLayout]] = []
        tip = tips()
        for name, f in FIELDS.items():
            widget = setting_widgets.make_control(f)
            self._cells.append(self._make_cell(name, f.label, tip[name], widget))
            setting_widgets.changed(widget).connect(self._on_control_changed)
        self.columns = 0
        self.set_columns(2)
        return grid

    def set_columns(self, columns: int) -> None:
        """Lay the settings out in two columns, or one (a narrow window: it scrolls)."""
        if columns == self.columns:
            return
        grid = self.grid
        for caption, cell in self._cells:
            grid.removeWidget(caption)
            grid.removeItem(cell)
        half = (len(self._cells) + 1) // 2 if columns == 2 else len(self._cells)
        for i, (caption, cell) in enumerate(self._cells):
            row, col = (i, 0) if i < half else (i - half, 2)
            grid.addWidget(caption, row, col,
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addLayout(cell, row, col + 1)
        for col in (1, 3):
            grid.setColumnStretch(col, 1 if col == 1 or columns == 2 else 0)
        self.columns = columns

    def _make_cell(self, name: str, label: str, tip: str,
                   widget: QWidget) -> tuple[QLabel, QVBoxLayout]:
        widget.setToolTip(tip)
        if isinstance(widget, QLineEdit):  # its red border must not change its height
            widget.setFixedHeight(widget.sizeHint().height())
        caption = QLabel(label)
        caption.setToolTip(tip)
        caption.setBuddy(widget)
        error = ErrorLine()
        cell = QVBoxLayout()
        cell.setSpacing(0)
        cell.addWidget(widget)
        cell.addWidget(error)
        self.controls[name] = widget
        self.error_labels[name] = error
        return caption, cell

    # --- the settings ------------------------------------------------------------------------

    def set_config(self, config: TrainConfig, preset: str | None = None) -> None:
        """Show ``config`` in the controls, as coming from ``preset`` (default: the matching
        preset, else the one shown now)."""
        self._updating = True
        try:
            for name, f in FIELDS.items():
                setting_widgets.show(self.controls[name], f, getattr(config, name, f.default))
        finally:
            self._updating = False
        if preset in PRESETS:
            self._preset = preset
        else:
            self._preset = next((p for p, cfg in PRESETS.items() if cfg == config),
                                self._preset)
        self._revalidate()

    def set_preset(self, name: str) -> None:
        """Load preset ``name`` into the controls."""
        self.set_config(PRESETS[name], name)

    def preset_name(self) -> str:
        """The preset the settings came from (they may be modified since: ``modified``)."""
        return self._preset

    @property
    def modified(self) -> bool:
        """True when a setting differs from the preset's."""
        return self._values_config() != PRESETS[self._preset]

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

    def _on_preset_index(self, index: int) -> None:
        if not self._updating and index >= 0:
            self._choose_preset(self.preset_combo.itemData(index))

    def _on_preset_activated(self, index: int) -> None:
        """Chosen from the list: the same preset again restores its values."""
        if self.modified and self.preset_combo.itemData(index) == self._preset:
            self._choose_preset(self._preset)

    def _choose_preset(self, name: str) -> None:
        current = self._values_config()
        self._replaced = current if current not in PRESETS.values() else None
        self.set_config(PRESETS[name], name)
        self._show_preset()

    def back_to_changes(self) -> None:
        """Put back the values the last preset choice replaced."""
        if self._replaced is not None:
            replaced, self._replaced = self._replaced, None
            self.set_config(replaced, self._preset)

    def _on_control_changed(self) -> None:
        if not self._updating:
            self._revalidate()

    def _read_values(self) -> tuple[dict, dict[str, str]]:
        values: dict = {}
        errors: dict[str, str] = {}
        for name, f in FIELDS.items():
            try:
                values[name] = setting_widgets.read(self.controls[name], f)
            except ConfigError as e:
                errors[name] = str(e)
        return values, errors

    def _values_config(self) -> TrainConfig | None:
        """The controls as a config; None while a text does not parse or a value is invalid."""
        values, errors = self._read_values()
        try:
            return None if errors else replace(TrainConfig(), **_known(values))
        except ConfigError:  # a TrainConfig is checked as it is made
            return None

    def _check(self, values: dict, errors: dict[str, str]) -> TrainConfig | None:
        """Each control by the engine's rules (so its message lands next to it), then the
        whole, then against the data; fills ``errors``."""
        base = TrainConfig()
        for name, value in _known(values).items():
            try:
                replace(base, **{name: value})
            except ConfigError as e:
                errors.setdefault(name, str(e))
        config = None
        if not errors:
            try:
                config = replace(base, **_known(values))
            except ConfigError as e:
                errors["config"] = str(e)
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
                            batch_size=max(values["batch_size"], 1)).validate(n)
                except ConfigError as e:
                    errors.setdefault("batch_size", str(e))
        return None if errors else config

    def _revalidate(self) -> None:
        values, errors = self._read_values()
        self._config = self._check(values, errors)
        self._errors = {name: readable(text) for name, text in errors.items()}
        for name, label in self.error_labels.items():
            self._show_error(name, label, self._errors.get(name))
        self.config_error_label.show_message(self._errors.get("config"))
        self._enable_hyperparameters(values.get("optimizer"))
        self._show_preset()
        if not self._updating:
            self.changed.emit()

    def _enable_hyperparameters(self, name: str | None) -> None:
        """A control for an optimiser's hyperparameter (momentum's μ) is enabled only while
        the chosen optimiser takes it."""
        taken = getattr(OPTIMIZERS.get(name), "hyperparameters", ())
        for optimizer in OPTIMIZERS.values():
            for hyperparameter in optimizer.hyperparameters:
                if hyperparameter in self.controls:
                    self.controls[hyperparameter].setEnabled(hyperparameter in taken)

    def _show_error(self, name: str, label: ErrorLine, message: str | None) -> None:
        label.show_message(message)
        widget = self.controls[name]
        if isinstance(widget, QLineEdit):
            widget.setStyleSheet(f"border: 1px solid {ERROR_COLOR};" if message else "")

    def _show_preset(self) -> None:
        """The combo names the preset, "(modified)" when a setting differs from it."""
        modified = self.modified
        was, self._updating = self._updating, True
        try:
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(self._preset))
        finally:
            self._updating = was
        self.preset_combo.show_text(self._preset + MODIFIED if modified else "")
        about = PRESET_HELP.get(self._preset, "")
        if modified:
            about = f"{about}; changed here: choose {self._preset} in the list to restore it"
        elif self._replaced is not None:
            about = f"{about}; your changes are kept: Back to my changes"
        about = escape(about).replace("the notes", f'<a href="{NOTES_LINK}">the notes</a>', 1)
        self.preset_help.setText(about)
        self.back_button.setVisible(self._replaced is not None)
