"""The window's data commands: search, load, download and open MNIST, and what the training
panel says about the data. A mixin of ``MainWindow``; the work is ``DataController``'s."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot

from core.training import PRESETS
from ffn_gui.work.data_controller import describe_data


class DataCommands:
    def search_data(self) -> None:
        """Look for MNIST in the background (last folder used, $MNIST_DIR, the cache)."""
        self.data_ctl.search()

    def load_data_from(self, path: str | Path) -> None:
        """Load a folder of IDX files, a Kaggle CSV or a Keras .npz in the background."""
        self.data_ctl.load(path)

    def set_data(self, data) -> None:
        """Use ``data`` (an ``MnistData``) for training."""
        self.data_ctl.use(data)

    def download_data(self, dest: str | Path | None = None, **options):
        """Open the download dialog and start downloading; load the data when it is done."""
        if self.training:
            return None
        return self.data_ctl.download(dest, self, **(self.download_options | options))

    @Slot(object)
    def _on_data(self, data) -> None:
        self.training_panel.set_n_examples(len(data.train))
        self.training_panel.set_data_status(self._data_text(), True)
        self.update_actions()
        self.data_loaded.emit(data)

    def _data_text(self) -> str:
        config = self.training_panel.config()
        validation = config.validation if config is not None else PRESETS["default"].validation
        return describe_data(self.data, validation)

    @Slot(str)
    def _on_data_missing(self, message: str) -> None:
        if self.data is None:
            self.training_panel.set_data_status(
                "No MNIST found. Download it (about 11 MB), or open a folder of IDX files or "
                "Kaggle's train.csv.", False
            )
            self.training_panel.data_label.setToolTip(message)

    def _on_data_error(self, title: str, text: str) -> None:
        if self.data is None:
            self.training_panel.set_data_status("No data loaded.", False)
        else:
            self.training_panel.set_data_status(self._data_text(), True)
        self.show_error(title, text)

    def ask_download(self) -> None:
        self.download_data()

    def ask_open_folder(self) -> None:
        path = self.ask_path("folder")
        if path:
            self.load_data_from(path)

    def ask_open_csv(self) -> None:
        path = self.ask_path("csv")
        if path:
            self.load_data_from(path)
