"""The window's dialogs, one function each: messages (never blocking), help sheets that scroll
(never taller than a 1366×768 laptop's screen), questions and file pickers. The window calls
them through its own methods (``show_error``, ``show_message``, ``ask_save_changes``,
``ask_train_over``, ``ask_path``), which tests replace or drive.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
)

from core.text import capitalised as capitalised  # main_window's dialogs.capitalised

MODEL_FILTER = "ffn-gui models (*.npz);;All files (*)"
Button = QMessageBox.StandardButton
SHEET_MAX = QSize(860, 680)  # a help sheet fits a 1366×768 screen with a panel and title bar

# Links in the window's texts to pages of its own (``MainWindow.open_link``); others open in
# the browser.
NOTES_LINK = "ffn:notes"

ABOUT = (
    "<p><b>ffn-gui</b>: draw a digit and watch a feed-forward network, written from scratch "
    "in NumPy, read it, and learn MNIST live.</p>"
    "<p><b>The notes</b> are the owner's notes on a Nielsen-style network (after Michael "
    "Nielsen's <i>Neural Networks and Deep Learning</i>): 784 inputs (the 28×28 pixels), two "
    "hidden layers of 128 sigmoid neurons and 10 outputs, trained on the quadratic cost "
    "½‖a − y‖² by backpropagation, its four equations BP1–BP4 (the output error, the error "
    "passed back a layer, and the gradients for the biases and the weights), with stochastic "
    "gradient descent on mini-batches of 10 at α = 3.0. The <i>seed</i> preset is that "
    "network; <i>default</i> is the best found for the same shape. "
    f'<a href="{NOTES_LINK}">More about the notes\' network</a>.</p>'
)


def _nowrap(formula: str) -> str:
    return f'<span style="white-space:nowrap">{formula}</span>'


NOTES = (
    "<p><b>The notes</b> are the project owner's notes on a Nielsen-style network: Michael "
    "Nielsen's <i>Neural Networks and Deep Learning</i>, chapters 1–2 "
    '(<a href="http://neuralnetworksanddeeplearning.com/">neuralnetworksanddeeplearning.com'
    "</a>). The app grew from them.</p>"
    "<ul>"
    "<li><b>784-128-128-10 sigmoid neurons.</b> Layer 1 is the input, the 28×28 pixels; two "
    "hidden layers of 128; 10 outputs, one per digit: "
    f"{_nowrap('zˡ = wˡaˡ⁻¹ + bˡ')}, {_nowrap('aˡ = σ(zˡ)')}.</li>"
    f"<li><b>Quadratic cost</b> {_nowrap('C = ½‖y − aᴸ‖²')}, y the one-hot label.</li>"
    "<li><b>Backpropagation</b>, four equations (the Backprop view shows them for the digit "
    "on the board):<br>BP1 δᴸ = (aᴸ − y) ⊙ σ′(zᴸ)<br>BP2 δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ)"
    "<br>BP3 ∂C/∂bˡ = δˡ<br>BP4 ∂C/∂wˡ = δˡ(aˡ⁻¹)ᵀ</li>"
    f"<li><b>Mini-batch SGD</b>: {_nowrap('w ← w − (α/m)Σ∇w')} and "
    f"{_nowrap('b ← b − (α/m)Σ∇b')}, over m = 10 examples at a time, α = 3.0.</li>"
    "</ul>"
    "<p><b>Why it is here beside modern options.</b> Every number in it can be followed by "
    "hand and seen in the views, and it reads MNIST well (about 97%). The modern choices "
    "(ReLU, softmax with cross-entropy, Adam, larger batches, a schedule, augmentation) are "
    "what the <i>default</i> preset uses; changing one setting at a time from the notes shows "
    "what each buys.</p>"
    "<p><b>The <i>seed</i> preset is this network</b>: 784-128-128-10 sigmoid, quadratic "
    "cost, SGD on batches of 10 at α = 3.0, 30 epochs. One thing differs from the notes: its "
    "weights start with variance 1/fan-in (1/784 for w², into the first hidden layer), not N(0, 1), with which "
    "the 784-input sigmoids start saturated and learning crawls (76.8% against 96.9% after 5 "
    "epochs). Initial weights <i>normal N(0, 1)</i> gives the notes' start.</p>"
)




def show_box(parent, icon, title: str, text: str, on_link=None) -> QMessageBox:
    """A message that does not block: the window goes on while it is shown. A link in it
    calls ``on_link(href)`` when given (else it opens in the browser)."""
    box = QMessageBox(icon, title, text, Button.Close if icon == QMessageBox.Icon.NoIcon
                      else Button.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.RichText if text.lstrip().startswith("<")
                      else Qt.TextFormat.AutoText)
    label = box.findChild(QLabel, "qt_msgbox_label")
    if on_link is not None and label is not None:
        label.setOpenExternalLinks(False)
        label.linkActivated.connect(on_link)
    box.open()
    return box


class Sheet(QDialog):
    """Help or information as a page that scrolls when it is long, with Close. Not blocking
    (``open()``), window-modal like a message box."""

    def __init__(self, parent, title: str, html: str, width: int = 640, on_link=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.browser = QTextBrowser()
        if on_link is None:
            self.browser.setOpenExternalLinks(True)
        else:  # a link calls on_link(href): the window's own pages, or the browser
            self.browser.setOpenLinks(False)
            self.browser.anchorClicked.connect(lambda url: on_link(url.toString()))
        self.browser.setHtml(html)
        close = QDialogButtonBox.StandardButton.Close
        buttons = QDialogButtonBox(close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(self._fitted(width, buttons.sizeHint().height()))

    def _fitted(self, width: int, below: int) -> QSize:
        """As tall as the text needs, at most ``SHEET_MAX`` and the screen's available room."""
        room = SHEET_MAX
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry().size()
            room = room.boundedTo(QSize(available.width() - 40, available.height() - 60))
        width = min(width, room.width())
        document = self.browser.document()
        document.setTextWidth(width - 2 * self.browser.frameWidth() - 20)
        height = round(document.size().height()) + 2 * self.browser.frameWidth() + below + 40
        return QSize(width, min(height, room.height()))


def show_sheet(parent, title: str, html: str, width: int = 640, on_link=None) -> Sheet:
    sheet = Sheet(parent, title, html, width, on_link)
    sheet.open()
    return sheet


def ask_save_changes(parent, name: str) -> str:
    """"save", "discard" or "cancel" for a model with training in no file."""
    answer = QMessageBox.question(
        parent, "Unsaved model",
        f"The model “{name}” holds training that is not saved in a file. Save it first?",
        Button.Save | Button.Discard | Button.Cancel, Button.Save)
    return {Button.Save: "save", Button.Discard: "discard"}.get(answer, "cancel")


def ask_train_over(parent, name: str) -> tuple[str, bool]:
    """Before Train replaces an unsaved trained model: ("save" | "discard" | "cancel", whether
    the user asked not to be asked again)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Replace the trained model?",
                      f"Train starts a fresh network and replaces “{name}”, whose training is "
                      "not saved in a file. Save it first?",
                      Button.Save | Button.Discard | Button.Cancel, parent)
    box.setDefaultButton(Button.Save)
    box.button(Button.Discard).setText("Train without saving")
    again = QCheckBox("Don't ask again")
    box.setCheckBox(again)
    answer = box.exec()
    choice = {Button.Save: "save", Button.Discard: "discard"}.get(Button(answer), "cancel")
    return choice, again.isChecked() and choice != "cancel"


def ask_path(parent, kind: str, start: Path, suggested_name: str) -> str | None:
    """A path from a file dialog: kind is "open-model", "save-model", "folder" or "csv"."""
    if kind == "open-model":
        path, _ = QFileDialog.getOpenFileName(parent, "Open model", str(start), MODEL_FILTER)
    elif kind == "save-model":
        path, _ = QFileDialog.getSaveFileName(parent, "Save model",
                                              str(start / f"{suggested_name}.npz"), MODEL_FILTER)
    elif kind == "folder":
        path = QFileDialog.getExistingDirectory(parent, "Open a folder of MNIST IDX files",
                                                str(Path.home()))
    else:
        path, _ = QFileDialog.getOpenFileName(parent, "Open Kaggle train.csv", str(Path.home()),
                                              "CSV files (*.csv)")
    return path or None


def shortcuts_html(rows) -> str:
    """The F1 sheet: keys, what they do, and the fine print."""
    cells = "".join(
        f"<tr><td><b>{escape(keys)}</b></td><td>&nbsp;&nbsp;{escape(text)}</td>"
        f"<td>&nbsp;&nbsp;<small>{escape(tip)}</small></td></tr>" for keys, text, tip in rows)
    return ("<p>Alt with a menu's underlined letter opens it; Alt with a setting's underlined "
            "letter jumps to it (and opens the training settings). Tab moves from the board "
            "to the prediction, the run bar, the view and the settings.</p>"
            "<table cellspacing='2'>" + cells + "</table>")
