"""Files one idea each and functions short enough to read at a glance: no file in core/ or
ffn_gui/ over 400 lines, no function over 50 (issue 18). A file that outgrows it is split by
responsibility, as main_window.py's command mixins and plots.py's series, legends and ranges
were."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_LINES, MAX_FUNCTION_LINES = 400, 50


def sources():
    for package in ("core", "ffn_gui"):
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_file_is_over_400_lines():
    long = [f"{p.relative_to(ROOT)}: {n} lines" for p in sources()
            if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_FILE_LINES]
    assert not long, "split these by responsibility: " + "; ".join(long)


def test_no_function_is_over_50_lines():
    long = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert not long, "split these into steps: " + "; ".join(long)
