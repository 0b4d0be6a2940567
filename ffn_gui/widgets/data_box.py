"""The data line: which data is loaded (or why none) on one line, and a small "Load data" menu
(Download MNIST…, Open folder…, Open Kaggle CSV…). It lives in the window's status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from .labels import OneLine


class DataLine(QWidget):
    download_clicked = Signal()
    open_folder_clicked = Signal()
    open_csv_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.data_label = OneLine("Looking for MNIST…", min_width=120)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.data_label, 1)
        self.menu = QMenu(self)
        self.download_action = self._add("Download MNIST…", self.download_clicked,
                                         "Download the MNIST digits (about 11 MB) into your "
                                         "data folder.")
        self.open_folder_action = self._add(
            "Open folder…", self.open_folder_clicked,
            "Load MNIST from a folder of IDX files (train-images-idx3-ubyte[.gz] and friends).")
        self.open_csv_action = self._add("Open Kaggle CSV…", self.open_csv_clicked,
                                         "Load the Kaggle 'Digit Recognizer' train.csv.")
        self.data_button = QToolButton()
        self.data_button.setText("Load data")
        self.data_button.setMenu(self.menu)
        self.data_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.data_button.setToolTip("Download MNIST, or open a folder of IDX files or "
                                    "Kaggle's train.csv")
        layout.addWidget(self.data_button)

    def _add(self, text: str, signal, tip: str) -> QAction:
        action = self.menu.addAction(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: signal.emit())
        return action

    def set_buttons_enabled(self, enabled: bool) -> None:
        self.data_button.setEnabled(enabled)
        for action in self.menu.actions():
            action.setEnabled(enabled)
