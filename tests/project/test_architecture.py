"""The window's folders are the ones docs/architecture.md draws: its tree names every file and
folder of ``ffn_gui/``, in the folder it is in, and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "ffn_gui"


def drawn_tree(text: str) -> dict[str, set[str]]:
    """The ```text block after "one folder per role": folder -> the files named on its lines."""
    block = text.split("one folder per role", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    tree: dict[str, set[str]] = {}
    folder = None
    for line in block.splitlines():
        head = re.match(r"\s*([\w_]+/)\s", line + " ")
        if head:
            folder = head.group(1).rstrip("/")
            folder = "" if folder == "ffn_gui" else folder
            tree.setdefault(folder, set())
        if folder is not None:
            tree[folder] |= set(re.findall(r"\b[\w]+\.py\b", line))
    return tree


def actual_tree() -> dict[str, set[str]]:
    tree = {"": {p.name for p in GUI.glob("*.py") if p.name != "__init__.py"}}
    for folder in sorted(p for p in GUI.iterdir() if (p / "__init__.py").exists()):
        if folder.name != "assets":
            tree[folder.name] = {p.name for p in folder.glob("*.py") if p.name != "__init__.py"}
    return tree


def test_the_architecture_page_draws_the_window_as_it_is():
    drawn = drawn_tree((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    actual = actual_tree()
    assert set(drawn) == set(actual), "folders: drawn {} vs there {}".format(
        sorted(drawn), sorted(actual))
    wrong = [f"ffn_gui/{f}: missing from the page {sorted(actual[f] - drawn[f])}, "
             f"on the page but not there {sorted(drawn[f] - actual[f])}"
             for f in actual if drawn[f] != actual[f]]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_file_left_out():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = drawn_tree(text.replace(" session.py", "", 1))
    assert "session.py" not in drawn["state"]


def test_no_flat_test_files():
    """tests/ holds only conftest.py at its top; every test is in core/, gui/ or project/."""
    tests = ROOT / "tests"
    assert sorted(p.name for p in tests.glob("test_*.py")) == []
    assert {p.parent.name for p in tests.rglob("test_*.py")} <= {"core", "gui", "project"}
