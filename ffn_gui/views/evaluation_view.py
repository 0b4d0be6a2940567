"""Where the current model is wrong: accuracy, per-digit accuracy, the confusion matrix, and the
test digits behind each of its cells.

The numbers come from ``core.evaluation.evaluate_model`` (as ``ffn evaluate``'s), computed by an
``EvaluateWorker`` off the GUI thread on a copy of the model's network: at the end of every run,
when the model or the data changed and the view is shown, and on demand (Evaluate). The view keeps
what it shows as attributes: ``result`` (the ``Evaluation``), ``images`` (the test images it was
computed on), ``gallery_indices`` (the test digits in the gallery, in order) and ``selected``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.preprocess import as_read_by
from ffn_gui.state.session import Drawing
from ffn_gui.widgets.confusion_map import ConfusionMap
from ffn_gui.widgets.gallery import DigitGallery
from ffn_gui.widgets.labels import TwoLines
from ffn_gui.widgets.prediction import InputView, ProbabilityBars
from ffn_gui.work import workers
from ffn_gui.work.eval_workers import EvaluateWorker

from .base import View

WRONG_SHOWN = 300  # the "most confidently wrong" gallery shows at most this many


def caption(result, i: int) -> str:
    return "\n".join(f"{d}: {p:.0%}" for d, p in result.top(i, 2))


def wrong_caption(result, i: int) -> str:
    """A misread digit's true label → what it was read as, and how sure (for a gallery of
    digits from several cells of the matrix)."""
    read = int(result.predicted[i])
    return f"{result.labels[i]} → {read}\n{result.probs[i, read]:.0%}"


class EvaluationView(View):
    name = "evaluation"
    title = "Evaluation"
    help_text = (
        "How the current model does on the test set (digits it never trained on).\n\n"
        "The heat map is the confusion matrix: each row is a true digit, each column the digit "
        "the network read; the number in a cell counts the test digits of that kind, and its "
        "colour follows the count on a logarithmic scale (legend on the right), so that a "
        "handful of mistakes still shows. The diagonal holds the digits read correctly.\n\n"
        "Click a cell to see its digits with their two most probable readings: off the "
        "diagonal the most confident mistakes first, on it the least confident correct ones. "
        "'Most confidently wrong' shows the worst mistakes of the whole test set. Click a "
        "digit to see it large; 'Show in the network views' puts it on the board's place in "
        "the network and backprop views.\n\n"
        "The evaluation runs by itself at the end of every training run; Evaluate runs it now."
    )

    evaluated = Signal(object)  # the Evaluation now shown

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.result = None
        self.images: np.ndarray | None = None
        self.gallery_indices = np.zeros(0, np.intp)
        self.selected: int | None = None
        self._job: workers.Job | None = None
        self._again = False
        self._stale = True
        self._evaluating: tuple = (None, None)  # (network, test set) of the last evaluation
        self._adopted = None  # a finished run's network, evaluated before it becomes the model
        self._build()
        session.run_started.connect(self._on_run_started)
        session.run_finished.connect(self._on_run_finished)
        session.model_changed.connect(self._on_model_changed)
        session.data_changed.connect(self._on_input_changed)

    def _build(self) -> None:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_matrix_side())
        split.addWidget(self._build_gallery_side())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([5000, 4000])  # the matrix a little wider than the gallery, at any width
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top_row())
        layout.addWidget(split, 1)
        self._show_result()
        self._show_detail()

    def _build_top_row(self) -> QHBoxLayout:
        self.summary = TwoLines()
        self.evaluate_button = QPushButton("Evaluate")
        self.evaluate_button.setToolTip("Evaluate the current model on the test set now")
        self.evaluate_button.clicked.connect(lambda: self.evaluate())
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.wrong_button = QPushButton("Most confidently wrong")
        self.wrong_button.setToolTip("The misread test digits the network was surest of")
        self.wrong_button.clicked.connect(lambda: self.show_most_wrong())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.progress)
        top.addWidget(self.wrong_button)
        top.addWidget(self.evaluate_button)
        return top

    def _build_matrix_side(self) -> QWidget:
        self.per_class = TwoLines()
        self.map = ConfusionMap()
        self.map.cell_clicked.connect(self.show_cell)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("True digit down, digit read across (click a cell):"))
        lv.addWidget(self.map, 1)
        lv.addWidget(self.per_class)
        return left

    def _build_gallery_side(self) -> QWidget:
        self.gallery_title = TwoLines()
        self.gallery_title.setText("Click a cell of the matrix to see its digits.")
        self.gallery = DigitGallery()
        self.gallery.digit_clicked.connect(self.select)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.gallery_title)
        rv.addWidget(self.gallery, 1)
        rv.addWidget(self._build_detail(), 0)
        return right

    def _build_detail(self) -> QWidget:
        """One digit large, with its probabilities and a way to the network views."""
        self.large = InputView(zoom=4)
        self.bars = ProbabilityBars()
        self._fit_bars()
        self.detail_text = TwoLines()
        self.send_button = QPushButton("Show in the network views")
        self.send_button.setToolTip("Put this digit on the session's drawing, where the network "
                                    "and backprop views show it")
        self.send_button.clicked.connect(lambda: self.send_to_board())
        detail = QWidget()
        dg = QHBoxLayout(detail)
        dg.setContentsMargins(0, 0, 0, 0)
        dg.addWidget(self.large, 0, Qt.AlignmentFlag.AlignTop)
        dcol = QVBoxLayout()
        dcol.addWidget(self.detail_text)
        dcol.addWidget(self.bars, 1)
        dcol.addWidget(self.send_button)
        dg.addLayout(dcol, 1)
        return detail

    def _fit_bars(self) -> None:
        """The probability bars ten short rows tall: the gallery above gets the rest."""
        line = self.fontMetrics().height()
        self.bars.setMinimumHeight(10 * max(11, line - 4))
        self.bars.setMaximumHeight(10 * max(14, line))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "bars"):
            self._fit_bars()

    # --- computing -----------------------------------------------------------------------------

    @property
    def evaluating(self) -> bool:
        return self._job is not None and self._job.running

    def test_set(self):
        data = self.session.data
        test = getattr(data, "test", None)
        if test is None or test.labels is None or not len(test.labels):
            return None
        return test

    def evaluate(self, network=None) -> bool:
        """Start evaluating ``network`` (default: the current model's) on the test set (False
        when there is none)."""
        model, test = self.session.model, self.test_set()
        network = network if network is not None else getattr(model, "network", None)
        if network is None or test is None:
            self._show_result()
            return False
        self._stale = False
        self._evaluating = (network, test)
        if self.evaluating:
            self._again = True
            self._job.cancel()
            return True
        worker = EvaluateWorker(network.copy(), test.images, test.labels)
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_result)
        worker.failed.connect(self._on_failed)
        self.progress.setValue(0)
        self.progress.show()
        self._pending_images = test.images
        self._job = workers.start(worker, self)
        self._job.done.connect(self._on_done)
        return True

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_result(self, result) -> None:
        if self._again:
            return  # a newer evaluation is on its way
        self.result, self.images = result, self._pending_images
        self.show_cell(*self._default_cell())
        self._show_result()
        self.evaluated.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.summary.setText(f"The evaluation failed: {error}")

    def _on_done(self) -> None:
        self.progress.hide()
        self._job = None
        if self._again:
            self._again = False
            self.evaluate(self._evaluating[0])

    def _on_run_started(self, _config) -> None:
        self._show_result()  # says what is shown while the run goes on

    def _on_run_finished(self, outcome) -> None:
        # The run's network: the window makes it the model only after this signal.
        if not isinstance(outcome, BaseException):
            self._adopted = getattr(outcome, "network", None)
            if self.isVisible():
                self.evaluate(self._adopted)
            else:  # hidden views do no work: evaluated when shown (by then it is the model)
                self._stale = True

    def _on_model_changed(self, model) -> None:
        adopted, self._adopted = self._adopted, None
        if adopted is None or getattr(model, "network", None) is not adopted:
            self._on_input_changed()  # not the run's network, already being evaluated

    def _on_input_changed(self, *_args) -> None:
        self._stale = True
        self.request_refresh()

    def refresh(self) -> None:
        if not self._stale:
            return
        if self.session.running or self.evaluating:
            self._show_result()  # evaluated when the run (or the evaluation) ends
        else:
            self.evaluate()

    # --- showing -------------------------------------------------------------------------------

    def _default_cell(self) -> tuple[int, int]:
        """The cell of the most frequent mistake (so the gallery starts somewhere useful)."""
        off = self.result.confusion.copy()
        np.fill_diagonal(off, -1)
        t, r = np.unravel_index(int(np.argmax(off)), off.shape)
        return int(t), int(r)

    def _show_result(self) -> None:
        r = self.result
        if r is None:
            self.map.set_matrix(None)
            self.summary.setText(
                "Load MNIST (Load data, bottom right) to evaluate the model on its test set."
                if self.test_set() is None else "Evaluating…" if self.evaluating else
                "Training: the new model is evaluated on the test set when the run ends."
                if self.session.running else "Not evaluated yet: press Evaluate.")
            self.per_class.setText("")
            return
        self.map.set_matrix(r.confusion)
        before = (" (the model before this run; the new one is evaluated when the run ends)"
                  if self.session.running else "")
        self.summary.setText(f"<b>Test accuracy {r.accuracy:.2%}</b>{before} — {r.correct:,} "
                             f"of {len(r):,} test digits read correctly, "
                             f"{len(r) - r.correct:,} misread.")
        self.per_class.setText("Accuracy per digit: " + "  ".join(
            f"<b>{d}</b> {a:.1%}" for d, a in enumerate(r.per_class) if not np.isnan(a)))

    def _show_gallery(self, indices: np.ndarray, title: str, captions=caption) -> None:
        self.gallery_indices = np.asarray(indices, np.intp)
        self.gallery_title.setText(title)
        self.gallery.set_digits(self.images[self.gallery_indices],
                                [captions(self.result, int(i)) for i in self.gallery_indices],
                                [int(i) for i in self.gallery_indices])
        self.select(int(self.gallery_indices[0]) if len(self.gallery_indices) else None)

    def show_cell(self, true: int, read: int) -> None:
        """Show the test digits ``true`` read as ``read`` in the gallery."""
        if self.result is None:
            return
        self.map.selected = (true, read)
        self.map.update()
        n = int(self.result.confusion[true, read])
        order = "least confident first" if true == read else "most confident first"
        what = f"{true}s read correctly" if true == read else f"{true}s read as {read}"
        self._show_gallery(self.result.cell(true, read), f"{what}: {n:,} ({order})")

    def show_most_wrong(self) -> None:
        if self.result is None:
            return
        self.map.selected = None
        self.map.update()
        wrong = self.result.most_confidently_wrong()
        shown = min(len(wrong), WRONG_SHOWN)
        self._show_gallery(wrong[:WRONG_SHOWN], f"Most confidently wrong: {shown:,} of the "
                           f"{len(wrong):,} mistakes, surest first (true digit → read as)",
                           wrong_caption)

    def select(self, index: int | None) -> None:
        """Show test digit ``index`` large with its probabilities."""
        self.selected = index
        self._show_detail()

    def _show_detail(self) -> None:
        i = self.selected
        self.send_button.setEnabled(i is not None)
        if i is None or self.result is None:
            self.large.set_image(None)
            self.bars.set_probabilities(None)
            self.detail_text.setText("")
            return
        r = self.result
        self.large.set_image(self.images[i] / np.float32(255))
        self.bars.set_probabilities(r.probs[i])
        verdict = "correct" if r.predicted[i] == r.labels[i] else "wrong"
        self.detail_text.setText(f"Test digit #{i + 1:,}: a <b>{r.labels[i]}</b>, read as "
                                 f"<b>{r.predicted[i]}</b> ({r.probs[i, r.predicted[i]]:.1%}, "
                                 f"{verdict})")

    def send_to_board(self) -> None:
        """Make the selected test digit, with its label, the session's drawing, and show the
        Network view."""
        if self.selected is None or self.result is None:
            return
        reader = self.session.reader
        digit = as_read_by(reader, self.images[self.selected])  # as the network reads it
        x28 = (digit / np.float32(255)).astype(np.float32)
        probs = None if reader is None else reader.predict_proba(x28.reshape(1, 784))[0]
        i = self.selected
        self.session.set_drawing(Drawing(image=x28, x28=x28, probs=probs, network=reader,
                                         source=f"test digit #{i + 1:,}",
                                         label=int(self.result.labels[i])))
        self.show_requested.emit("network")
