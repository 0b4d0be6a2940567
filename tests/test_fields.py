"""The field table of training settings (core/fields.py) builds ``ffn train``'s options and the
window's settings form; a setting added to it from this file alone appears in both."""

from __future__ import annotations

from dataclasses import fields

import pytest

from core.cli import main
from core.fields import FIELDS
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
