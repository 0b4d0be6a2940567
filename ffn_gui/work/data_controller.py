"""The data controller: finds, loads and downloads MNIST off the GUI thread.

It owns the loading worker and the download dialog. Loaded data goes to the ``Session``
(``set_data``: ``data_changed``) and the folder is remembered in the settings; what the user
should be told comes out as signals: ``busy(text)`` when a search or load starts,
``missing(message)`` when the start-up search found nothing, ``error(title, text)``,
``message(text)`` for the status bar, and ``idle()`` when the background work has ended.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ffn_gui.widgets.download_dialog import DownloadDialog

from . import workers


def describe_data(data, validation: int) -> str:
    """"MNIST — 50,000 train · 10,000 validation · 10,000 test — from <folder>"."""
    source = Path(str(data.source)) if data.source else None
    suffix = source.suffix.lower() if source else ""
    kind = {".csv": "Kaggle CSV", ".npz": "MNIST (.npz)"}.get(suffix, "MNIST")
    n = len(data.train)
    valid = min(validation, n)
    parts = [f"{n - valid:,} train", f"{valid:,} validation"]
    parts.append(f"{len(data.test):,} test" if data.test is not None else "no test set")
    where = f" — from {source}" if source else ""
    return f"{kind} — {' · '.join(parts)}{where}"


class DataController(QObject):
    busy = Signal(str)
    missing = Signal(str)
    error = Signal(str, str)
    message = Signal(str)
    idle = Signal()

    def __init__(self, session, settings, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.job: workers.Job | None = None
        self.download_dialog: DownloadDialog | None = None

    @property
    def loading(self) -> bool:
        """True while a search for MNIST or a load runs in the background."""
        return self.job is not None and self.job.running

    def search(self) -> None:
        """Look for MNIST in the background (last folder used, $MNIST_DIR, the cache)."""
        self._load(self.settings.last_data_path(), search=True)

    def load(self, path: str | Path) -> None:
        """Load a folder of IDX files, a Kaggle CSV or a Keras .npz in the background."""
        self._load(Path(path), search=False)

    def _load(self, path: Path | None, search: bool) -> None:
        if self.loading:
            return
        worker = workers.LoadDataWorker(path, search=search)
        worker.succeeded.connect(self.use)
        worker.not_found.connect(self.missing)
        worker.failed.connect(self._on_failed)
        self.busy.emit("Looking for MNIST…" if search else f"Loading {path}…")
        self.job = workers.Job(worker, self)
        self.job.done.connect(self.idle)
        self.job.start()

    @Slot(object)
    def use(self, data) -> None:
        """Use ``data`` (an ``MnistData``) for training, and remember where it came from."""
        if data.source:
            self.settings.set_last_data_path(data.source)
        self.session.set_data(data)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self.error.emit("Cannot load the data", str(error))

    def download(self, dest: str | Path | None = None, parent=None,
                 **options) -> DownloadDialog:
        """Open the download dialog and start downloading; load the data when it is done."""
        dialog = DownloadDialog(dest, parent, **options)
        dialog.downloaded.connect(self.load)
        dialog.failed.connect(lambda e: self.error.emit("Download failed", str(e)))
        dialog.cancelled.connect(lambda: self.message.emit("Download cancelled"))
        dialog.finished.connect(self._forget_download_dialog)
        self.download_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _forget_download_dialog(self) -> None:
        if self.download_dialog is not None:
            self.download_dialog.deleteLater()
            self.download_dialog = None

    def shut_down(self, msecs: int) -> bool:
        """Cancel the download and the load; True if every thread ended within ``msecs``."""
        dialog = self.download_dialog
        if dialog is not None and dialog.running:
            dialog.job.cancel()
            dialog.job.wait(msecs)
        if self.job is None:
            return True
        self.job.cancel()
        return self.job.wait(msecs)
