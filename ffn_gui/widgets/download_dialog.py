"""The "Download MNIST" dialog: a progress bar and Cancel while a worker thread downloads.

The dialog only shows progress; ``core.download.download_mnist`` does the work in a
``DownloadWorker`` on its own thread. Cancel sets the worker's flag; the dialog closes once the
thread has ended, so nothing is left running. ``options`` (mirrors, files, timeout,
allow_insecure_localhost) go straight to ``download_mnist``, which is how tests point it at a
local server.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from core.errors import DownloadCancelled
from ffn_gui.shell.theme import secondary_text
from ffn_gui.work import workers

MNIST_MB = 11


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


class DownloadDialog(QDialog):
    """Downloads MNIST into ``dest`` (None: the user's data folder).

    Signals (emitted after the worker thread has ended): ``downloaded(Path)`` with the folder,
    ``failed(Exception)``, ``cancelled()``. The dialog accepts on success and rejects otherwise.
    """

    downloaded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, dest: Path | str | None = None, parent: QWidget | None = None,
                 **options) -> None:
        super().__init__(parent)
        self.setWindowTitle("Download MNIST")
        self.setModal(True)
        self.setMinimumWidth(420)
        self.dest = dest
        self.options = options
        self.job: workers.Job | None = None
        self.folder: Path | None = None
        self.error: BaseException | None = None
        self._cancel_requested = False

        layout = QVBoxLayout(self)
        where = "your data folder" if dest is None else str(dest)
        self.message = QLabel(
            f"Downloading the MNIST handwritten digits (about {MNIST_MB} MB) into {where}."
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy until the size is known
        layout.addWidget(self.progress_bar)
        self.status = QLabel("Connecting…")
        secondary_text(self.status)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.cancel)
        layout.addWidget(self.buttons)

    # --- running -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the download (the dialog is shown with ``open()`` by the caller)."""
        if self.job is not None:
            return
        worker = workers.DownloadWorker(self.dest, **self.options)
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_succeeded)
        worker.failed.connect(self._on_failed)
        self.job = workers.Job(worker, self)
        self.job.done.connect(self._on_done)
        self.job.start()

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def cancel(self) -> None:
        """Ask the download to stop; the dialog closes when the worker has ended."""
        if self.running:
            self._cancel_requested = True
            self.job.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            super().reject()

    def reject(self) -> None:  # Esc, the window's close button
        self.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancel()
            event.ignore()
        else:
            super().closeEvent(event)

    # --- from the worker ---------------------------------------------------------------------

    @Slot(object, object)
    def _on_progress(self, done: int, total: int | None) -> None:
        if total:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * min(done / total, 1.0)))
            self.status.setText(f"{_mb(done)} of {_mb(total)}")
        else:
            self.status.setText(f"{_mb(done)}")

    @Slot(object)
    def _on_succeeded(self, folder: Path) -> None:
        self.folder = Path(folder)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self.error = error

    @Slot()
    def _on_done(self) -> None:
        if self.folder is not None:
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(1)
            self.status.setText("Done")
            self.accept()
            self.downloaded.emit(self.folder)
        elif isinstance(self.error, DownloadCancelled) or self._cancel_requested:
            QDialog.reject(self)
            self.cancelled.emit()
        else:
            QDialog.reject(self)
            self.failed.emit(self.error)
