"""Print the README's keyboard-shortcut table, made from the window's action table
(``ffn_gui/shell/actions.py``), or put it in README.md in place of the old one.

    python scripts/shortcuts_table.py            # print it
    python scripts/shortcuts_table.py --write    # rewrite the table in README.md

Run it after adding or changing a shortcut; ``tests/project/test_docs.py`` fails until the README's
table is the one this prints. Needs no display (Qt runs offscreen).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table in README.md")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from ffn_gui.shell.shortcut_docs import markdown_table, with_table

    app = QGuiApplication.instance() or QGuiApplication([])  # standard keys come from it
    if not args.write:
        print(markdown_table(), end="")
        return 0
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = with_table(text)
    readme.write_text(new, encoding="utf-8")
    print(f"{readme}: {'table rewritten' if new != text else 'already up to date'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
