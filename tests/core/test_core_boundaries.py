"""What keeps ``core`` an engine: it never imports Qt or the window, and its modules keep their
private names (a leading underscore) to themselves. Both checks walk the whole package, so a
new module is covered the day it is added."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import core

CORE = Path(core.__file__).resolve().parent
GUI = ("PySide6", "pyqtgraph", "ffn_gui")


def core_modules() -> list[str]:
    return ["core", *(m.name for m in pkgutil.walk_packages(core.__path__, "core."))]


def test_no_core_module_imports_qt_or_the_window():
    """Every module of core is imported in turn in a fresh interpreter; after each, none of
    PySide6, pyqtgraph or ffn_gui may be loaded (the first module that loads one is named)."""
    modules = core_modules()
    assert len(modules) >= 30 and {"core.rows", "core.data.idx", "core.cli"} <= set(modules)
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            f"    loaded = [m for m in {GUI!r} if m in sys.modules]\n"
            "    if loaded:\n"
            "        print(json.dumps([name, loaded])); break\n"
            "else:\n"
            "    print(json.dumps(None))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=CORE.parent)
    assert run.returncode == 0, run.stderr
    culprit = json.loads(run.stdout.splitlines()[-1])
    assert culprit is None, f"importing {culprit[0]} loads {', '.join(culprit[1])}"


def private_uses(path: Path) -> list[str]:
    """``from x import _name`` and ``obj._name`` (obj not self or cls) in one file."""
    uses = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            uses += [f"from {node.module} import {a.name}" for a in node.names
                     if a.name.startswith("_") and not a.name.startswith("__")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
              and not node.attr.startswith("__")
              and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
            uses.append(ast.unparse(node))
    return uses


def private_names(path: Path) -> set[str]:
    """The underscore names a file defines: functions, classes, methods, module globals and
    the attributes its classes set on ``self`` or ``cls``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            names.add(node.attr)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_core_keeps_each_files_private_names_in_that_file():
    crossing = []
    for path in sorted(CORE.rglob("*.py")):
        mine = private_names(path)
        for use in private_uses(path):
            name = use.rsplit(" ", 1)[-1].rsplit(".", 1)[-1]
            if name not in mine:
                crossing.append(f"{path.relative_to(CORE.parent)}: {use}")
    assert not crossing, "\n".join(crossing)


def test_the_window_uses_no_name_private_to_core():
    core_private = set().union(*(private_names(p) for p in CORE.rglob("*.py")))
    crossing = []
    for path in sorted((CORE.parent / "ffn_gui").rglob("*.py")):
        mine = private_names(path)
        for use in private_uses(path):
            name = use.rsplit(" ", 1)[-1].rsplit(".", 1)[-1]
            if name in core_private and name not in mine:
                crossing.append(f"{path.relative_to(CORE.parent)}: {use}")
    assert not crossing, "\n".join(crossing)
