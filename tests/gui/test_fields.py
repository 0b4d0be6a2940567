"""The field table of training settings (core/fields.py) builds ``ffn train``'s options and the
window's settings form; a setting added to it from this file alone appears in both."""

from __future__ import annotations

from dataclasses import fields

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel

from core.cli import main
from core.fields import FIELDS, Field, register_field
from core.training import TrainConfig


def test_every_setting_of_a_config_has_one_row_and_every_row_a_setting():
    assert list(FIELDS) and set(FIELDS) == {f.name for f in fields(TrainConfig)}
    labels = [f.label for f in FIELDS.values()]
    mnemonics = [label[label.index("&") + 1].lower() for label in labels]
    assert len(set(mnemonics)) == len(mnemonics), labels  # each Alt key opens one control
    assert all(f.tooltip for f in FIELDS.values())


def help_text(capsys) -> str:
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    return capsys.readouterr().out


def test_ffn_train_offers_every_setting_of_the_table(capsys):
    text = help_text(capsys)
    for f in FIELDS.values():
        assert f.option in text, f.name
    assert "--no-deskew" in text and "--momentum" in text


JITTER = Field("test_jitter", "dspin", "&Jitter (test)", cli_type="float", range=(0.0, 0.5),
               step=0.1, decimals=2, default=0.25, cli={"metavar": "PX", "help": "jitter (test)"},
               tooltip="How far each digit jitters (a setting added by its test alone).")


@pytest.fixture
def jitter():
    """The field table with JITTER added, restored afterwards."""
    saved = dict(FIELDS)
    register_field(JITTER)
    yield JITTER
    FIELDS.clear()
    FIELDS.update(saved)


def test_a_setting_added_to_the_table_is_an_option_of_ffn_train(jitter, capsys):
    text = help_text(capsys)
    assert "--test-jitter PX" in text and "jitter (test)" in text
    from core.cli import build_parser

    args = build_parser().parse_args(["train", "--test-jitter", "0.5"])
    assert args.test_jitter == 0.5


def test_a_setting_added_to_the_table_has_a_control_in_a_new_window(jitter, window, qtbot):
    panel = window.training_panel
    control = panel.controls["test_jitter"]
    assert isinstance(control, QDoubleSpinBox) and control.value() == 0.25
    assert control.maximum() == 0.5 and control.toolTip() == jitter.tooltip
    caption = next(label for label in panel.findChildren(QLabel) if label.buddy() is control)
    assert caption.text() == "&Jitter (test)" and caption.toolTip() == jitter.tooltip
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # its mnemonic
    qtbot.waitUntil(control.hasFocus)
    assert panel.isVisible()
    QTest.keyClick(control, Qt.Key.Key_Up)
    assert control.value() == pytest.approx(0.35)
    assert panel.config() is not None  # shown, but no run's setting: the config stays valid


@pytest.mark.parametrize("row, problem", [
    (Field("x", "slider", "&X", "t"), "widget 'slider' is not one of"),
    (Field("x", "spin", "&X", "t", cli_type="int"), "cli_type 'int' is not one of"),
    (Field("x", "combo", "&X", "t"), "a combo needs choices"),
    (Field("x", "spin", "X", "t"), "its label has no & mnemonic"),
])
def test_a_row_the_parser_or_the_form_could_not_build_is_refused(row, problem):
    with pytest.raises(ValueError, match=f"setting 'x': {problem}"):
        register_field(row)
    assert "x" not in FIELDS
