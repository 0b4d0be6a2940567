"""core.text: hidden layers as typed, durations as shown (the same in the CLI and the window)."""

import math

import pytest

from core.errors import ConfigError
from core.text import format_duration, parse_hidden


@pytest.mark.parametrize("text", ["128,128", "128 128", "128, 128", " 128 ;128 ", "128,,128"])
def test_hidden_layers_in_any_usual_form(text):
    assert parse_hidden(text) == (128, 128)


def test_no_hidden_layer_and_one():
    assert parse_hidden("") == parse_hidden("  ") == ()
    assert parse_hidden("30") == (30,)


@pytest.mark.parametrize("text", ["128, abc", "1.5", "12a"])
def test_anything_but_whole_numbers_is_refused_with_an_example(text):
    with pytest.raises(ConfigError, match="whole numbers.*e.g. 128, 64"):
        parse_hidden(text)


@pytest.mark.parametrize("seconds,text", [(0, "0:00"), (59.4, "0:59"), (59.6, "1:00"),
                                          (754, "12:34"), (3600, "1:00:00"), (3725, "1:02:05"),
                                          (None, "–"), (math.nan, "–"), (math.inf, "–")])
def test_durations(seconds, text):
    assert format_duration(seconds) == text


def test_the_command_line_reads_hidden_layers_the_same_way():
    from core.cli import build_parser

    args = build_parser().parse_args(["train", "--hidden", "64 32"])
    assert args.hidden == (64, 32)


def test_a_message_is_capitalised_by_one_rule_everywhere():
    from pathlib import Path

    from core.text import capitalised

    assert capitalised("cannot train: x") == "Cannot train: x" and capitalised("") == ""
    assert capitalised("ändern") == "Ändern"
    root = Path(__file__).resolve().parents[2]
    by_hand = [f"{p.relative_to(root)}:{n}"
               for folder in ("core", "ffn_gui") for p in (root / folder).rglob("*.py")
               if p.name != "text.py"
               for n, line in enumerate(p.read_text().splitlines(), 1)
               if "[:1].upper()" in line or "[0].upper()" in line]
    assert not by_hand, by_hand
