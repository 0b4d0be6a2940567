"""The data box: which data is loaded (or why none), and Download, Open folder, Open CSV."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QWidget

from .labels import TwoLines


class DataBox(QGroupBox):
    download_clicked = Signal()
    open_folder_clicked = Signal()
    open_csv_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        layout = QHBoxLayout(self)
        self.data_label = TwoLines()  # two lines reserved: a long path moves nothing
        self.data_label.setText("Looking for MNIST…")
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_label.setMinimumWidth(120)
        layout.addWidget(self.data_label, 1)
        self.download_button = QPushButton("Download MNIST…")
        self.download_button.setToolTip(
            "Download the MNIST digits (about 11 MB) into your data folder."
        )
        self.open_folder_button = QPushButton("Open folder…")
        self.open_folder_button.setToolTip(
            "Load MNIST from a folder of IDX files (train-images-idx3-ubyte[.gz] and friends)."
        )
        self.open_csv_button = QPushButton("Open Kaggle CSV…")
        self.open_csv_button.setToolTip("Load the Kaggle 'Digit Recognizer' train.csv.")
        for button, signal in (
            (self.download_button, self.download_clicked),
            (self.open_folder_button, self.open_folder_clicked),
            (self.open_csv_button, self.open_csv_clicked),
        ):
            button.clicked.connect(signal)
            layout.addWidget(button)

    def set_buttons_enabled(self, enabled: bool) -> None:
        for button in (self.download_button, self.open_folder_button, self.open_csv_button):
            button.setEnabled(enabled)
