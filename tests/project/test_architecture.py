"""The packages' folders are the ones docs/architecture.md draws: its trees name every file and
folder of ``core/`` and ``ffn_gui/``, in the folder it is in, and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "ffn_gui"
CORE = ROOT / "core"
PAGE = ROOT / "docs" / "architecture.md"


def drawn_tree(text: str, after: str = "one folder per role", root: str = "ffn_gui"
               ) -> dict[str, set[str]]:
    """The ```text block after ``after``: folder -> the files named on its lines ("" for
    ``root`` itself)."""
    block = text.split(after, 1)[1].split("```text", 1)[1].split("```", 1)[0]
    tree: dict[str, set[str]] = {}
    folder = None
    for line in block.splitlines():
        head = re.match(r"\s*([\w_]+/)\s", line + " ")
        if head:
            folder = head.group(1).rstrip("/")
            folder = "" if folder == root else folder
            tree.setdefault(folder, set())
        if folder is not None:
            tree[folder] |= set(re.findall(r"\b[\w]+\.py\b", line))
    return tree


def actual_tree(package: Path = GUI) -> dict[str, set[str]]:
    tree = {"": {p.name for p in package.glob("*.py") if p.name != "__init__.py"}}
    for folder in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
        if folder.name != "assets":
            tree[folder.name] = {p.name for p in folder.glob("*.py") if p.name != "__init__.py"}
    return tree


def differences(name: str, drawn: dict[str, set[str]], actual: dict[str, set[str]]) -> list:
    if set(drawn) != set(actual):
        return [f"{name} folders: drawn {sorted(drawn)}, there {sorted(actual)}"]
    return [f"{name}/{f}: missing from the page {sorted(actual[f] - drawn[f])}, "
            f"on the page but not there {sorted(drawn[f] - actual[f])}"
            for f in actual if drawn[f] != actual[f]]


def test_the_architecture_page_draws_the_engine_as_it_is():
    drawn = drawn_tree(PAGE.read_text(encoding="utf-8"), "one idea per file", "core")
    wrong = differences("core", drawn, actual_tree(CORE))
    assert not wrong, "\n".join(wrong)


def test_the_architecture_page_draws_the_window_as_it_is():
    wrong = differences("ffn_gui", drawn_tree(PAGE.read_text(encoding="utf-8")), actual_tree())
    assert not wrong, "\n".join(wrong)


def test_the_readme_names_the_windows_folders():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = readme.split("[Architecture and development]", 1)[1].split("\n- ", 1)[0]
    named = set(re.findall(r"`(\w+)/`", line)) - {"core", "ffn_gui"}
    assert named == set(actual_tree()) - {""}


def test_the_check_sees_a_file_left_out():
    text = PAGE.read_text(encoding="utf-8")
    drawn = drawn_tree(text.replace(" session.py", "", 1))
    assert "session.py" not in drawn["state"]


def test_no_flat_test_files():
    """tests/ holds only conftest.py at its top; every test is in core/, gui/ or project/."""
    tests = ROOT / "tests"
    assert sorted(p.name for p in tests.glob("test_*.py")) == []
    assert {p.parent.name for p in tests.rglob("test_*.py")} <= {"core", "gui", "project"}
