"""The plots' actions: compare with the previous run, and export (PNG, SVG, CSV).

The actions are in the plots' context menu (right click) and behind their Export button. PNG
and SVG come from pyqtgraph's exporters and hold both plots with their legends, in the colours
on screen; the CSV holds every run of the session (``runs.runs_csv``). Every file is written
with ``core.atomic.write_atomic`` (a temporary file in the same folder, then ``os.replace``),
so a failed export never leaves a half-written file where the user's was. The file dialog is
``ask_save_path`` and errors go to ``show_error``: tests replace both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyqtgraph.exporters import ImageExporter, SVGExporter
from PySide6.QtCore import QBuffer, QIODevice, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from core.atomic import write_atomic
from core.errors import WriteError
from ffn_gui.state.runs import runs_csv


def png_bytes(item) -> bytes:
    """A pyqtgraph scene item (e.g. a GraphicsLayout) rendered as PNG, at its size on screen
    (the exporter's larger widths re-lay the plots out with mismatched text sizes)."""
    exporter = ImageExporter(item)
    image = exporter.export(toBytes=True)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "PNG"):
        raise OSError("the plots could not be rendered as PNG")
    return bytes(buffer.data())


def svg_bytes(item) -> bytes:
    """A pyqtgraph scene item as SVG, through pyqtgraph's exporter.

    Qt 6.11 ends closed paths with a bare ``Z`` that pyqtgraph 0.14's coordinate fix-up cannot
    parse (pyqtgraph issue #3485: every plot fails to export). For the length of this call
    the fix-up is given the paths without their ``Z`` and the ``Z`` is put back after it."""
    module = sys.modules[SVGExporter.__module__]
    correct = module.correctCoordinates

    def tolerant(node, defs, item, options):
        closed = []
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            if "Z" in tokens or "z" in tokens:
                path.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
                closed.append(path)
        correct(node, defs, item, options)
        for path in closed:
            path.setAttribute("d", path.getAttribute("d").strip() + " Z")

    module.correctCoordinates = tolerant
    try:
        return SVGExporter(item).export(toBytes=True)
    finally:
        module.correctCoordinates = correct


class PlotExports(QObject):
    """The Compare and Export actions of a ``TrainingPlots``."""

    FORMATS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)",
               "csv": "CSV table (*.csv)"}

    def __init__(self, plots) -> None:
        super().__init__(plots)
        self.plots = plots
        self.compare_action = QAction("Compare with previous run", plots, checkable=True)
        self.compare_action.setToolTip("Overlay the previous run of this session, dashed (on "
                                       "accuracy only, if it minimised another cost)")
        self.compare_action.toggled.connect(lambda on: plots.set_compare(on))
        self.png_action = QAction("Export plots as PNG…", plots)
        self.png_action.triggered.connect(lambda: self.export("png"))
        self.svg_action = QAction("Export plots as SVG…", plots)
        self.svg_action.triggered.connect(lambda: self.export("svg"))
        self.csv_action = QAction("Export runs as CSV…", plots)
        self.csv_action.setToolTip("Every run of this session: epoch, batch, costs, accuracies")
        self.csv_action.triggered.connect(lambda: self.export("csv"))
        self.menu = QMenu(plots)
        self.menu.addActions([self.png_action, self.svg_action, self.csv_action])
        graphics = plots.graphics
        graphics.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        graphics.addActions([self.compare_action, self.png_action, self.svg_action,
                             self.csv_action])

    def export(self, kind: str) -> Path | None:
        """Ask where, then write the plots (``png``, ``svg``) or the runs (``csv``) there.
        Returns the path written, or None when the user cancelled or it failed."""
        name = "ffn-runs.csv" if kind == "csv" else f"ffn-plots.{kind}"
        path = self.ask_save_path(f"Export {kind.upper()}", name, self.FORMATS[kind])
        if path is None:
            return None
        if not path.suffix:
            path = path.with_suffix(f".{kind}")
        try:
            if kind == "csv":
                data = runs_csv(self.plots.runs).encode("utf-8")
            elif kind == "svg":
                data = svg_bytes(self.plots.graphics.ci)
            else:
                data = png_bytes(self.plots.graphics.ci)
            write_atomic(path, data)
        except WriteError as e:  # names the file and says why
            self.show_error("Export failed", str(e))
            return None
        except OSError as e:
            self.show_error("Export failed", f"Could not write {path}: {e.strerror or e}")
            return None
        return path

    # --- what tests replace ------------------------------------------------------------------

    def ask_save_path(self, title: str, name: str, file_filter: str) -> Path | None:
        """The save dialog (it asks before overwriting); None when cancelled."""
        parent: QWidget = self.plots
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name),
                                                file_filter)
        return Path(chosen) if chosen else None

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.plots, title, text)
