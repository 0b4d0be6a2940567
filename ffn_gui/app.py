"""The ``ffn-gui`` entry point. Arguments are parsed before Qt is imported, so ``--help`` is
instant."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ffn-gui",
        description="Draw a digit and watch a feed-forward network written from scratch in "
        "NumPy read it; train it on MNIST live and watch it learn.",
        epilog="MNIST is looked for in the folder last used, $MNIST_DIR and the download "
        "folder; the window can also download it (about 11 MB).",
    )
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="open this .npz model instead of the bundled one")
    parser.add_argument("--data", type=Path, metavar="PATH",
                        help="load MNIST from this folder of IDX files, Kaggle CSV or .npz")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from .system_libs import platform_problem

    problem = platform_problem()  # Qt would name one missing library and abort
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ffn_gui.shell.main_window import MainWindow

    from . import resources
    from .state import settings

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("ffn-gui")
    app.setDesktopFileName("ffn-gui")
    icon = resources.icon_path()
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow(search_data=args.data is None)
    if args.data is not None:
        window.load_data_from(args.data)
    if args.model is not None:
        window.open_model(args.model)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
