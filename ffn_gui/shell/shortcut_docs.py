"""The keyboard shortcuts as a Markdown table, made from the window's action table.

The README's table is ``markdown_table()`` (``python scripts/shortcuts_table.py --write`` puts it
there; a test checks it), so it lists what F1 lists, from the same ``ACTIONS`` rows. One entry
per action with a shortcut, in menu order: its keys and "Menu → Item". A run of three or more
entries whose one key differs only in a digit (Ctrl+0 … Ctrl+9 for It's a 0 … It's a 9, Alt+1 …
Alt+6 for the views) is written as one entry. The entries fill two pairs of columns, read left
to right, a line at a time, so the table is half as long.

A standard key's binding (Ctrl+N for New, ...) comes from the platform, so a
``QGuiApplication`` must exist before the table is made.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence

from .actions import ACTIONS, ActionSpec

# The line just above the table in README.md.
MARKER = ("<!-- Made from ffn_gui/shell/actions.py by `python scripts/shortcuts_table.py --write`; "
          "tests/project/test_docs.py checks it. -->")
_DIGIT = re.compile(r"\d")
HEADER = ("| keys | action | keys | action |", "| --- | --- | --- | --- |")


def keys_text(spec: ActionSpec) -> list[str]:
    """The action's shortcuts as Qt writes them (portable text: "Ctrl+Shift+Z")."""
    portable = QKeySequence.SequenceFormat.PortableText
    return [QKeySequence(s).toString(portable) for s in spec.shortcuts]


def table_rows(specs=ACTIONS) -> list[tuple[str, str, list[str]]]:
    """(menu, item, keys) for every action with a shortcut, in menu order."""
    return [(spec.menu.replace("&", ""), spec.text.replace("&", ""), keys_text(spec))
            for spec in specs if spec.shortcuts]


def _digit_pattern(row: tuple[str, str, list[str]]) -> str | None:
    """The row's menu and one key with its digit taken out, or None when it has no digit."""
    menu, _, keys = row
    if len(keys) != 1 or len(_DIGIT.findall(keys[0])) != 1:
        return None
    return "|".join((menu, _DIGIT.sub("#", keys[0])))


def _run_item(first: str, last: str) -> str:
    """"It's a 0 … 9" for items that differ in a digit, else "Training view … My digits view"."""
    if _DIGIT.sub("#", first) == _DIGIT.sub("#", last) and _DIGIT.search(first):
        return _DIGIT.sub(f"{_DIGIT.search(first)[0]} … {_DIGIT.search(last)[0]}", first)
    return f"{first} … {last}"


def _collapsed(rows: list) -> list[tuple[str, str, list[str]]]:
    """Runs of three or more rows whose key differs only in a digit, as one "… " row."""
    out: list = []
    i = 0
    while i < len(rows):
        j = i + 1
        pattern = _digit_pattern(rows[i])
        while pattern and j < len(rows) and _digit_pattern(rows[j]) == pattern:
            j += 1
        if j - i >= 3:
            (menu, first, (k0,)), (_, last, (k1,)) = rows[i], rows[j - 1]
            out.append((menu, _run_item(first, last), [f"{k0} … {k1}"]))
        else:
            out.extend(rows[i:j])
        i = j
    return out


def entries(specs=ACTIONS) -> list[tuple[str, str]]:
    """("`keys`", "Menu → Item") for each (collapsed) row, in menu order."""
    return [(", ".join(f"`{k}`" for k in keys), f"{menu} → {item}")
            for menu, item, keys in _collapsed(table_rows(specs))]


def markdown_table(specs=ACTIONS) -> str:
    """The README's shortcut table: its header, then two entries a line."""
    lines = list(HEADER)
    found = entries(specs)
    for i in range(0, len(found), 2):
        pair = found[i:i + 2] + [("", "")] * (2 - len(found[i:i + 2]))
        lines.append("| " + " | ".join(cell for entry in pair for cell in entry) + " |")
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
