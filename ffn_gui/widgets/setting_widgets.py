"""A control for each row of core's field table (core/fields.py): made, set and read here, so
the settings form handles every setting alike.

``make_control(field)`` is the row's widget; ``show(widget, field, value)`` puts a setting's
value in it; ``read(widget, field)`` takes it back out (ConfigError when a text does not parse:
every other rule is the engine's); ``changed(widget)`` is the signal that says it was edited.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from core.errors import ConfigError
from core.fields import Field
from core.text import parse_hidden


def registry(field: Field) -> dict:
    """The core registry (activations, costs, inits...) a combo's choices come from."""
    module, name = field.choices
    return getattr(importlib.import_module(f"core.{module}"), name)


def registry_combo(items: dict) -> QComboBox:
    """A choice of a core registry's entries: each by its label, with its tooltip."""
    combo = QComboBox()
    for name, item in items.items():
        combo.addItem(item.label, name)
        combo.setItemData(combo.count() - 1, item.tooltip, Qt.ItemDataRole.ToolTipRole)
    return combo


def _spin(field: Field) -> QSpinBox | QDoubleSpinBox:
    spin = QDoubleSpinBox() if field.widget == "dspin" else QSpinBox()
    lo, hi = field.range
    if field.widget == "dspin":
        spin.setDecimals(field.decimals)
        spin.setRange(lo, hi)
    else:
        spin.setRange(int(lo), int(hi))
    spin.setSingleStep(field.step)
    spin.setGroupSeparatorShown(field.grouped)
    return spin


def make_control(field: Field) -> QWidget:
    kind = field.widget
    if kind in ("spin", "dspin"):
        return _spin(field)
    if kind == "combo":
        return registry_combo(registry(field))
    if kind == "check":
        return QCheckBox(field.text)
    if kind in ("text", "float"):
        line = QLineEdit()
        if kind == "text" and field.text:
            line.setPlaceholderText(field.text)
        return line
    raise ValueError(f"setting {field.name!r}: unknown widget kind {kind!r}")


def show(widget: QWidget, field: Field, value) -> None:
    kind = field.widget
    if kind == "spin":
        widget.setValue(min(int(value), widget.maximum()))  # a seed may exceed a spin box's
    elif kind == "dspin":
        widget.setValue(float(value))
    elif kind == "combo":
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif kind == "check":
        widget.setChecked(bool(value))
    elif kind == "float":
        widget.setText(f"{value:g}")
    else:
        is_list = isinstance(value, tuple | list)
        widget.setText(", ".join(str(v) for v in value) if is_list else str(value))


def _parse_float(text: str, what: str) -> float:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise ConfigError(f"{what} must be a number, e.g. 0.001 or 1e-3") from None


def read(widget: QWidget, field: Field):
    kind = field.widget
    if kind == "spin":
        return int(widget.value())
    if kind == "dspin":
        return round(float(widget.value()), 6)
    if kind == "combo":
        return widget.currentData()
    if kind == "check":
        return widget.isChecked()
    if kind == "float":
        return _parse_float(widget.text(), field.text or field.name)
    return parse_hidden(widget.text()) if field.cli_type == "hidden" else widget.text()


def changed(widget: QWidget):
    """The signal ``widget`` sends when the user edits it."""
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return widget.valueChanged
