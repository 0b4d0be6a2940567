"""The window's commands on digits of the user's own: label the board (Ctrl+0 … Ctrl+9),
fine-tune on my digits, open an image or drop one on the board, read a Kaggle test.csv and save
the submission.

A mixin of ``MainWindow`` (it uses the window's session, canvas, training controller, status bar
and ``show_error``); its menu entries are rows of the window's action table. The questions
are methods (``ask_image_path``, ``ask_kaggle_path``, ``ask_submission_path``) so tests can
answer them. The fine-tune is a run like any other (progress, Pause, Stop, ``training_finished``);
its numbers before and after go to ``MyDigitsStore.report`` as the run ends.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QProgressBar

from core.errors import FFNError
from core.finetune import FineTuneReport, accuracy, plan_fine_tune
from core.images import read_image
from ffn_gui.board.image_drop import ImageDrop
from ffn_gui.state.my_digits import LabelBar, label_drawing
from ffn_gui.work.kaggle import KaggleController


class DigitCommands:
    def _build_digit_parts(self) -> None:
        """Called by the window once its canvas, session and controllers exist."""
        self.my_digits = self.session.my_digits
        self.my_digits.failed.connect(lambda text: self.show_error("My digits", text))
        self.my_digits.changed.connect(self.update_actions)
        if self.my_digits.notice:
            self.statusBar().showMessage(self.my_digits.notice, 30_000)
        self.label_bar = LabelBar()
        self.label_bar.labelled.connect(self.label_as)
        self.image_drop = ImageDrop(self.canvas)
        self.image_drop.dropped.connect(self.open_image)
        self.kaggle = KaggleController(self)
        self.kaggle.finished.connect(self._on_kaggle_done)
        self.kaggle_progress = QProgressBar()
        self.kaggle_progress.setMaximumWidth(180)
        self.kaggle_progress.hide()
        self.kaggle.progress.connect(self._on_kaggle_progress)
        self.statusBar().addPermanentWidget(self.kaggle_progress)
        self._fine_tune = None  # (plan, report before, start time) of the fine-tune going on
        self.session.run_finished.connect(self._on_fine_tune_finished)
        view = self.views.get("my digits")
        if view is not None:
            view.fine_tune_requested.connect(self.fine_tune)

    # --- labelling -----------------------------------------------------------------------------

    def label_as(self, digit: int) -> None:
        """Add the board's drawing to my digits as ``digit`` and clear the board."""
        self.statusBar().showMessage(label_drawing(self.my_digits, self.session, self.canvas,
                                                   digit), 5000)
        self.update_actions()

    # --- fine-tune -----------------------------------------------------------------------------

    @property
    def can_fine_tune(self) -> bool:
        return not self.training and self.data is not None and len(self.my_digits) > 0

    def fine_tune(self) -> bool:
        """Continue training the current model on my digits mixed with MNIST (a short run);
        ends with ``training_finished`` like any run. False (and says why) if it cannot."""
        if self.training:
            return False
        if self.data is None:
            self.show_error("No data", "Load MNIST first: the fine-tune mixes your digits "
                            "with MNIST's so the network keeps reading those.")
            return False
        if not len(self.my_digits):
            self.show_error("No digits of yours", "Label some drawings first: draw a digit "
                            "and press Ctrl+ that digit.")
            return False
        network = self.model.network
        try:
            plan = plan_fine_tune(network, self.model.config, self.data,
                                  self.my_digits.digits.dataset(), seed=len(self.my_digits))
        except FFNError as error:
            self.show_error("Cannot fine-tune", str(error))
            return False
        before = (accuracy(network, plan.held_out, rule=True), accuracy(network, self.data.test))
        self._fine_tune = (plan, before, time.perf_counter())
        # A mix drawn afresh each time: its prepared digits are not worth a cache file.
        self.trainer.start(network.copy(), plan.config, plan.data, continued=True,
                           keep_prepared=False, fine_tune=True)
        self.update_actions()
        self.statusBar().showMessage(f"Fine-tuning on {len(plan.trained_on)} of your digits…")
        self.training_started.emit()
        return True

    def _on_fine_tune_finished(self, outcome) -> None:
        if self._fine_tune is None:
            return
        (plan, (held_before, mnist_before), t0), self._fine_tune = self._fine_tune, None
        if isinstance(outcome, BaseException):
            return
        held = 0 if plan.held_out is None else len(plan.held_out)
        self.my_digits.report(FineTuneReport(
            len(plan.trained_on), held, held_before,
            accuracy(outcome.network, plan.held_out, rule=True), mnist_before,
            outcome.test_accuracy, time.perf_counter() - t0, outcome.result.stopped,
            plan.left_out))

    # --- images --------------------------------------------------------------------------------

    def ask_image_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an image of a digit", str(Path.home()),
                                              "Images (*.png *.jpg *.jpeg *.bmp)")
        return path or None

    def ask_open_image(self) -> None:
        path = self.ask_image_path()
        if path:
            self.open_image(path)

    def open_image(self, path: str | Path) -> bool:
        """Put the image at ``path`` on the board, read like a drawing; False on a problem."""
        try:
            gray = read_image(path)
        except FFNError as error:
            self.show_error("Cannot open the image", str(error))
            return False
        self.canvas.show_picture(gray)
        self.statusBar().showMessage(f"Reading {Path(path).name}", 5000)
        return True

    # --- Kaggle --------------------------------------------------------------------------------

    @property
    def can_read_kaggle(self) -> bool:
        return not self.kaggle.running

    @property
    def has_submission(self) -> bool:
        return self.kaggle.has_predictions

    def ask_kaggle_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Kaggle test.csv", str(Path.home()),
                                              "CSV files (*.csv)")
        return path or None

    def ask_submission_path(self) -> str | None:
        """A file name to save to; the dialog asks before overwriting a file."""
        path, _ = QFileDialog.getSaveFileName(self, "Save submission",
                                              str(Path.home() / "submission.csv"),
                                              "CSV files (*.csv)")
        return path or None

    def ask_open_kaggle(self) -> None:
        path = self.ask_kaggle_path()
        if path:
            self.read_kaggle(path)

    def read_kaggle(self, path: str | Path) -> bool:
        if not self.kaggle.predict(self.model.network, path):
            return False
        self.kaggle_progress.setValue(0)
        self.kaggle_progress.show()
        self.statusBar().showMessage(f"Reading {Path(path).name}…")
        self.update_actions()
        return True

    def _on_kaggle_progress(self, done: int, total: int) -> None:
        self.kaggle_progress.setMaximum(total)
        self.kaggle_progress.setValue(done)

    def _on_kaggle_done(self, result) -> None:
        self.kaggle_progress.hide()
        self.update_actions()
        if isinstance(result, BaseException):
            self.show_error("Cannot read the Kaggle file", str(result))
            return
        self.statusBar().showMessage(f"Read {len(result):,} digits: File → Save submission… "
                                     "writes them", 10_000)

    def ask_save_submission(self) -> bool:
        path = self.ask_submission_path()
        if not path:
            return False
        try:
            n = self.kaggle.save(path)
        except (OSError, RuntimeError) as error:
            self.show_error("Cannot save the submission", getattr(error, "strerror", None)
                            or str(error))
            return False
        self.statusBar().showMessage(f"Saved {n:,} predictions to {path}", 10_000)
        return True

