"""One owner for each piece of state (issue 18): a view gets what it shows from the ``Session``
(or what the window hands it), never from the window or a controller; and nothing shared is
looked up as a singleton with ``findChild``: its owner holds it as an attribute.

Read from the source with ``ast`` (no import, no Qt), so the rule holds for a module no test
imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GUI = Path(__file__).resolve().parents[2] / "ffn_gui"
VIEWS = GUI / "views"
SHELL = "ffn_gui.shell"  # the window and its commands
FORBIDDEN = {"ffn_gui.work.kaggle"}


def imported(path: Path) -> set[str]:
    package = ".".join(path.relative_to(GUI.parent).with_suffix("").parts[:-1])
    return imports_of(path.read_text(encoding="utf-8"), package)


def imports_of(source: str, package: str) -> set[str]:
    """Every module ``source`` (a module of ``package``) imports, relative imports resolved to
    absolute names (``from x import y`` counts as importing ``x`` and ``x.y``: y may be a
    module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def forbidden(name: str) -> bool:
    return (name in FORBIDDEN or name == SHELL or name.startswith(SHELL + ".")
            or name.rsplit(".", 1)[-1].endswith("_controller"))


@pytest.mark.parametrize("line", [
    "import ffn_gui.shell.main_window",
    "from ffn_gui.shell.main_window import MainWindow",
    "from ffn_gui.work import training_controller",
    "from ..work.data_controller import DataController",
    "from ..work import kaggle",
    "from ..work.kaggle import KaggleController",
    "from ..shell import actions",
    "from ffn_gui.shell.dialogs import show_help",
])
def test_the_check_catches_each_way_of_importing_the_window_or_a_controller(line):
    assert any(forbidden(name) for name in imports_of(line, "ffn_gui.views"))


def test_the_check_lets_a_view_import_the_session_and_its_siblings():
    names = imports_of("from ..state.session import Drawing\nfrom .base import View\n"
                       "from ffn_gui.widgets.labels import TwoLines", "ffn_gui.views")
    assert {"ffn_gui.state.session", "ffn_gui.views.base", "ffn_gui.widgets.labels"} <= names
    assert not any(forbidden(name) for name in names)


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_a_view_imports_neither_the_window_nor_a_controller(path):
    bad = sorted(name for name in imported(path) if forbidden(name))
    assert bad == [], f"{path.name} imports {bad}: take it from the Session instead"


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_a_view_never_reaches_into_its_window(path):
    """No ``self.window()``, no walking up ``parent()``/``parentWidget()``: a view asks the
    window to do something through a signal (``show_requested``)."""
    calls = [node.func.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr in ("window", "parent", "parentWidget", "nativeParentWidget")]
    assert calls == [], f"{path.name} calls {calls}"


@pytest.mark.parametrize("path", sorted(GUI.rglob("*.py")), ids=lambda p: str(p.relative_to(GUI)))
def test_no_singleton_is_found_with_find_child(path):
    """``findChild(SomeClass)`` to fetch shared state, or an ``of(owner)`` class lookup, hides
    who owns it; ``findChildren`` over widgets (layout checks) and a named Qt part
    (``findChild(QLabel, "qt_msgbox_label")``) are fine."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "findChild" and len(node.args) < 2):
            found.append(f"line {node.lineno}: findChild without an object name")
        if isinstance(node, ast.FunctionDef) and node.name == "of":
            found.append(f"line {node.lineno}: def of(...), a singleton lookup")
    assert found == [], f"{path.relative_to(GUI)}: {found}"
