"""My digits: the drawings the user has labelled, grouped by digit, and the fine-tune on them.

Each digit 0-9 has a row, and so do the drawings labelled "not a digit" (``NOT_A_DIGIT``), in
three columns of four rows: its count and a strip of thumbnails (one ``DigitGallery`` each, a list
view, not a widget per digit). Click a thumbnail to select it; Delete and "Relabel as" act on it.
Import adds the digits of a my-digits file; Export writes one and the MNIST IDX pair beside it.
The last fine-tune's numbers (held-out and MNIST accuracy before and after) are shown at the
bottom. What is shown comes from ``session.my_digits``; ``groups[d]`` holds the ids shown
in row ``d`` (``groups[NOT_A_DIGIT]``: the "not a digit" row), in order.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.rows import NOT_A_DIGIT
from ffn_gui.widgets.gallery import DigitGallery
from ffn_gui.widgets.labels import TwoLines

from .base import View

THUMB = 42  # px: 1.5 screen pixels per input pixel, so that five rows fit a laptop's view
GROUPS = NOT_A_DIGIT + 1  # 0-9, then "not a digit"


def group_name(label: int) -> str:
    return "not a digit" if label == NOT_A_DIGIT else str(label)


class MyDigitsView(View):
    name = "my digits"
    title = "My digits"
    help_text = (
        "The digits you have labelled, grouped by what you said they are.\n\n"
        "To add one, draw it on the board and press Ctrl+0 … Ctrl+9 (or click the digit after "
        "\"It's a\" under the prediction): the drawing is stored as the network reads it, with "
        "your strokes, and the board is cleared for the next one. A drawing that is no digit "
        "(a letter, a scribble) can be labelled \"Not a digit\" (Ctrl+Shift+D): the fine-tune "
        "teaches the network to doubt such drawings (to give no digit more than a tenth), and "
        "a model without a \"not a digit\" threshold gets one. They are kept in one file in "
        "your data folder, saved after every change.\n\n"
        "Training → Fine-tune on my digits continues training the current model for a few "
        "seconds on your digits mixed with MNIST's, so it learns your handwriting without "
        "forgetting MNIST. With at least 5 of a digit, a fifth of them is held out to measure "
        "it; the numbers before and after are shown below. Export writes your digits as a "
        "my-digits file and as an MNIST IDX pair (images and labels) other tools read; MNIST's "
        "labels are 0-9, so the pair leaves the \"not a digit\" drawings out (the my-digits "
        "file keeps them)."
    )

    fine_tune_requested = Signal()

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.store = session.my_digits
        self.groups: list[list[int]] = [[] for _ in range(GROUPS)]
        self.selected: int | None = None
        self._build()
        self.store.changed.connect(self.request_refresh)
        self.store.failed.connect(self._show_problem)
        self.store.fine_tuned.connect(self._show_report)
        if self.store.notice:
            self._show_problem(self.store.notice)

    def _build(self) -> None:
        self.summary = TwoLines()  # its text never widens the row of buttons
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.report = TwoLines()  # always in sight, under the rows
        self.report.setText("No fine-tune yet.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._tools())
        layout.addWidget(self.problem)
        layout.addWidget(self._rows(), 1)
        layout.addWidget(self.report)
        self._update_buttons()

    def _tools(self) -> QHBoxLayout:
        """The summary, then Delete, Relabel as…, Import…, Export… and Fine-tune."""
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.relabel_box = QComboBox()
        self.relabel_box.addItem("Relabel as…")
        self.relabel_box.addItems([group_name(d) for d in range(GROUPS)])
        self.relabel_box.activated.connect(self._on_relabel)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(lambda: self.ask_import())
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(lambda: self.ask_export())
        self.fine_tune_button = QPushButton("Fine-tune on my digits")
        self.fine_tune_button.clicked.connect(lambda: self.fine_tune_requested.emit())
        tools = QHBoxLayout()
        tools.addWidget(self.summary, 1)
        for w in (self.delete_button, self.relabel_box, self.import_button, self.export_button,
                  self.fine_tune_button):
            tools.addWidget(w)
        return tools

    def _rows(self) -> QScrollArea:
        """Three columns of four rows (0-3, 4-7, then 8, 9 and "not a digit"), a count and a
        gallery each: all eleven fit a laptop's view without scrolling (six rows did not fit
        680×430)."""
        grid = QGridLayout()
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.counts: list[QLabel] = []
        self.galleries: list[DigitGallery] = []
        for d in range(GROUPS):
            count = QLabel()
            gallery = DigitGallery(wrap=False, caption_lines=0, thumb=THUMB)
            gallery.digit_clicked.connect(self.select)
            row, column = d % 4, 2 * (d // 4)
            grid.addWidget(count, row, column)
            grid.addWidget(gallery, row, column + 1)
            self.counts.append(count)
            self.galleries.append(gallery)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        rows = QWidget()
        rows.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(rows)
        return scroll

    def refresh(self) -> None:
        digits = self.store.digits
        counts = digits.counts()
        self.summary.setText(f"<b>{len(digits)}</b> of my digits" if len(digits) else
                             "No digits yet: draw one, press Ctrl+ its digit.")
        for d in range(GROUPS):
            rows = np.flatnonzero(digits.labels == d)
            self.groups[d] = [int(i) for i in digits.ids[rows]]
            name = "not a<br>digit" if d == NOT_A_DIGIT else str(d)  # two lines: narrow
            self.counts[d].setText(f"<b>{name}</b>  ×{counts[d]}")
            self.galleries[d].set_digits(digits.images[rows], [""] * len(rows), self.groups[d])
        if self.selected is not None and self.selected not in digits.ids:
            self.selected = None
        self._update_buttons()

    def select(self, digit_id: int | None) -> None:
        self.selected = digit_id
        for g in self.galleries:
            if digit_id not in g.keys:
                g.clearSelection()
        self._update_buttons()

    def _update_buttons(self) -> None:
        on = self.selected is not None
        self.delete_button.setEnabled(on)
        self.relabel_box.setEnabled(on)
        self.export_button.setEnabled(len(self.store) > 0)
        self.fine_tune_button.setEnabled(len(self.store) > 0)

    def delete_selected(self) -> None:
        if self.selected is not None:
            self.store.delete(self.selected)
            self.selected = None
            self.flush()

    def _on_relabel(self, index: int) -> None:
        self.relabel_box.setCurrentIndex(0)
        if index > 0 and self.selected is not None:
            self.store.relabel(self.selected, index - 1)
            self.flush()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def _show_report(self, report) -> None:
        self.report.setText(report.describe())

    # --- files (tests patch ask_path) ----------------------------------------------------------

    def ask_path(self, kind: str) -> str | None:
        """A file name from a dialog: "import" (open) or "export" (save, asks before
        overwriting)."""
        filters = "My digits (*.npz);;All files (*)"
        if kind == "import":
            path, _ = QFileDialog.getOpenFileName(self, "Import my digits", "", filters)
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export my digits", "my-digits.npz",
                                                  filters)
        return path or None

    def ask_import(self) -> None:
        path = self.ask_path("import")
        if path:
            n = self.store.import_from(path)
            if n:
                self.summary.setText(f"Imported {n} digits")

    def ask_export(self) -> None:
        path = self.ask_path("export")
        if path:
            files = self.store.export_to(path)
            others = int(self.store.digits.counts()[NOT_A_DIGIT])
            if files:
                self.report.setText("Exported to " + ", ".join(f.name for f in files) +
                                    f" in {files[0].parent}" + (
                                        f" (the IDX pair without the {others} “not a digit”, "
                                        "MNIST's labels being 0-9)" if others else ""))
