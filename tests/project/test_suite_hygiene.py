"""The suite's own rules: no test module imports another, and what tests share comes from
tests/helpers/, always imported the one way (``from helpers.datafiles import ...``), never as a
bare module name or through ``tests.``."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
HELPERS = {p.stem for p in (TESTS / "helpers").glob("*.py") if p.stem != "__init__"}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_tests_import_no_test_module_and_helpers_one_way():
    files = [*TESTS.rglob("*.py"),
             *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "scripts").glob("*.py")]
    wrong = []
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top.startswith("test_") or top in ("tests", "conftest") or top in HELPERS:
                wrong.append(f"{path.relative_to(ROOT)}: import {name}")
    assert not wrong, "import shared test code as helpers.X:\n" + "\n".join(wrong)
