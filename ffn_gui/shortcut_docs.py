"""The keyboard shortcuts as a Markdown table, made from the window's action table.

The README's table is ``markdown_table()`` (``python scripts/shortcuts_table.py --write`` puts it
there; a test checks it), so it lists what F1 lists, from the same ``ACTIONS`` rows. One row per
action with a shortcut, in menu order: its keys and "Menu → Item". A run of rows that differ
only in one digit (It's a 0 … It's a 9, Ctrl+0 … Ctrl+9) is written as one row.

A standard key's binding (Ctrl+N for New, ...) comes from the platform, so a
``QGuiApplication`` must exist before the table is made.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence

from .actions import ACTIONS, ActionSpec

# The line just above the table in README.md.
MARKER = ("<!-- Made from ffn_gui/actions.py by `python scripts/shortcuts_table.py --write`; "
          "tests/test_docs.py checks it. -->")
_DIGIT = re.compile(r"\d")
HEADER = ("| keys | action |", "| --- | --- |")


def keys_text(spec: ActionSpec) -> list[str]:
    """The action's shortcuts as Qt writes them (portable text: "Ctrl+Shift+Z")."""
    portable = QKeySequence.SequenceFormat.PortableText
    return [QKeySequence(s).toString(portable) for s in spec.shortcuts]


def table_rows(specs=ACTIONS) -> list[tuple[str, str, list[str]]]:
    """(menu, item, keys) for every action with a shortcut, in menu order."""
    return [(spec.menu.replace("&", ""), spec.text.replace("&", ""), keys_text(spec))
            for spec in specs if spec.shortcuts]


def _digit_pattern(row: tuple[str, str, list[str]]) -> str | None:
    """The row with its one varying digit taken out, or None when it has no digit to vary."""
    menu, item, keys = row
    if len(keys) != 1 or len(_DIGIT.findall(item)) != 1:
        return None
    return "|".join((menu, _DIGIT.sub("#", item), _DIGIT.sub("#", keys[0])))


def _collapsed(rows: list) -> list[tuple[str, str, list[str]]]:
    """Runs of three or more rows that differ only in a digit, as one "0 … 9" row."""
    out: list = []
    i = 0
    while i < len(rows):
        j = i + 1
        pattern = _digit_pattern(rows[i])
        while pattern and j < len(rows) and _digit_pattern(rows[j]) == pattern:
            j += 1
        if j - i >= 3:
            (menu, first, (k0,)), (_, last, (k1,)) = rows[i], rows[j - 1]
            digits = f"{_DIGIT.search(first)[0]} … {_DIGIT.search(last)[0]}"
            out.append((menu, _DIGIT.sub(digits, first), [f"{k0} … {k1}"]))
        else:
            out.extend(rows[i:j])
        i = j
    return out


def markdown_table(specs=ACTIONS) -> str:
    """The README's shortcut table, its header and one line per (collapsed) row."""
    lines = list(HEADER)
    for menu, item, keys in _collapsed(table_rows(specs)):
        shown = ", ".join(f"`{k}`" for k in keys)
        lines.append(f"| {shown} | {menu} → {item} |")
    return "\n".join(lines) + "\n"


def table_span(text: str) -> tuple[int, int]:
    """The table under ``MARKER`` in a Markdown text: (start, end) as character offsets, the
    table's lines being those that start with "|" right after the marker's line."""
    at = text.find(MARKER + "\n")
    if at < 0:
        raise ValueError(f"no line {MARKER!r} above a shortcut table")
    start = end = at + len(MARKER) + 1
    while text.startswith("|", end):
        end = text.index("\n", end) + 1 if "\n" in text[end:] else len(text)
    return start, end


def with_table(text: str, specs=ACTIONS) -> str:
    """``text`` with the table under ``MARKER`` replaced by ``markdown_table(specs)``."""
    start, end = table_span(text)
    return text[:start] + markdown_table(specs) + text[end:]
