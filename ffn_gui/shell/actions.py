"""The window's menu actions as one table: text, shortcuts, slot, tip, when it is enabled.

Each row becomes a ``QAction`` named ``<name>_action`` on the window, added to its menu and to
the window itself (so its shortcut works wherever the focus is in the window). ``slot`` is a
function called with the window when the action fires (``lambda w: w.canvas.undo()``); a
checkable action's slot also gets the new state (``lambda w, on: w.canvas.set_eraser(on)``).
``triggered(bool)``'s flag is never passed to a plain action's slot. ``enabled`` is a predicate
of the window, true when the action can be used (``lambda w: not w.training``); the window
calls ``update_actions`` whenever that may have changed. Adding a menu entry is adding a row
here and, if it needs one, a method on the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from core.rows import NOT_A_DIGIT
from ffn_gui.state.my_digits import NOT_A_DIGIT_KEYS
from ffn_gui.views import VIEWS

if TYPE_CHECKING:
    from .main_window import MainWindow

K = QKeySequence.StandardKey
MENUS = ("&File", "&Edit", "&Training", "&View", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    name: str
    menu: str
    text: str
    slot: Callable[..., Any]  # (window) or, when checkable, (window, checked)
    shortcuts: tuple = ()
    tip: str = ""
    enabled: Callable[[MainWindow], bool] | None = None  # True when the action can be used
    checkable: bool = False
    checked: bool = False
    separator: bool = False  # a separator before it in its menu
    group: str = ""  # a submenu of its menu, by title; its actions exclude one another


def idle(w: MainWindow) -> bool:
    return not w.training


def can_load(w: MainWindow) -> bool:
    return not w.training and not w.loading_data


def can_train(w: MainWindow) -> bool:
    return not w.training and w.training_panel.can_train()


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    A("new", "&File", "&New network", lambda w: w.ask_new_network(), (K.New,),
      "A fresh, untrained network from the panel's settings", idle),
    A("open", "&File", "&Open model…", lambda w: w.ask_open_model(), (K.Open,),
      "Open a .npz model", idle),
    A("save", "&File", "&Save model", lambda w: w.ask_save(), (K.Save,), "Save the model"),
    A("save_as", "&File", "Save model &as…", lambda w: w.ask_save_as(), ("Ctrl+Shift+S",),
      "Save the model under a new name"),
    A("revert", "&File", "&Revert to bundled model", lambda w: w.ask_revert(), (),
      "Go back to the model that ships with the app", idle),
    A("download", "&File", "&Download MNIST…", lambda w: w.ask_download(), (),
      "Download MNIST (about 11 MB)", can_load, separator=True),
    A("open_folder", "&File", "Open MNIST &folder…", lambda w: w.ask_open_folder(),
      ("Ctrl+Shift+O",), "Load MNIST from a folder of IDX files", can_load),
    A("open_csv", "&File", "Open &Kaggle CSV…", lambda w: w.ask_open_csv(), (),
      "Load Kaggle's train.csv", can_load),
    A("open_image", "&File", "Open &image…", lambda w: w.ask_open_image(), ("Ctrl+I",),
      "Read a digit from a PNG, JPEG or BMP image (or drop one on the board)", separator=True),
    A("open_kaggle", "&File", "Open Kaggle &test.csv…", lambda w: w.ask_open_kaggle(), (),
      "Read every digit of Kaggle's test.csv with the current model",
      lambda w: w.can_read_kaggle),
    A("save_submission", "&File", "Save s&ubmission…", lambda w: w.ask_save_submission(), (),
      "Save the Kaggle predictions as ImageId,Label", lambda w: w.has_submission),
    A("quit", "&File", "&Quit", lambda w: w.close(), ("Ctrl+Q",), "Quit", separator=True),
    A("undo", "&Edit", "&Undo stroke", lambda w: w.canvas.undo(), (K.Undo,),
      "Take back the last stroke", lambda w: w.canvas.can_undo()),
    A("redo", "&Edit", "&Redo stroke", lambda w: w.canvas.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"),
      "Put back the stroke you took back", lambda w: w.canvas.can_redo()),
    A("clear", "&Edit", "&Clear board", lambda w: w.canvas.clear(), ("Ctrl+L", "Del", "Backspace"),
      "Wipe the board (Undo brings it back). Ctrl+L works everywhere; Del and Backspace edit "
      "a field instead while one has the focus"),
    A("eraser", "&Edit", "&Eraser", lambda w, on: w.canvas.set_eraser(on), ("E",),
      "Draw with the eraser (the right button always erases)", checkable=True, separator=True),
    A("bigger", "&Edit", "&Bigger brush", lambda w: w.bigger_brush(), ("]",),
      "Make the brush bigger"),
    A("smaller", "&Edit", "&Smaller brush", lambda w: w.smaller_brush(), ("[",),
      "Make the brush smaller"),
    *(A(f"label_{d}", "&Edit", f"It's a {d}", lambda w, d=d: w.label_as(d), (f"Ctrl+{d}",),
        f"Add the drawing to my digits as a {d} and clear the board", separator=d == 0)
      for d in range(10)),
    A("label_nondigit", "&Edit", "It's &not a digit", lambda w: w.label_as(NOT_A_DIGIT),
      (NOT_A_DIGIT_KEYS,), "Add the drawing to my digits as not a digit (a letter, a scribble) "
      "and clear the board"),
    A("train", "&Training", "&Train", lambda w: w.start_training(), ("Ctrl+T",),
      "Train a network with the panel's settings", can_train),
    A("pause", "&Training", "&Pause / resume", lambda w: w.toggle_pause(), ("Space",),
      "Pause or resume the run", lambda w: w.training),
    A("stop", "&Training", "&Stop", lambda w: w.stop_training(), ("Esc",),
      "Stop the run and keep the network as it is now", lambda w: w.training),
    A("fine_tune", "&Training", "&Fine-tune on my digits", lambda w: w.fine_tune(),
      ("Ctrl+Shift+T",),
      "Teach the current model your handwriting: a short run on your digits mixed with MNIST",
      lambda w: w.can_fine_tune, separator=True),
    A("grid", "&View", "Show pixel &grid", lambda w, on: w.canvas.set_grid_visible(on), ("G",),
      "Show the 28×28 input grid on the board", checkable=True),
    A("preprocess", "&View", "&MNIST-style centring", lambda w, on: w.set_preprocess(on), (),
      "Crop, scale and centre the drawing like MNIST before the network reads it",
      checkable=True, checked=True),
    A("deskew", "&View", "&Deskew the drawing", lambda w, on: w.set_deskew(on), (),
      "Shear the drawing upright before the network reads it, as a model trained on deskewed "
      "digits expects (what the network sees shows it)", checkable=True, checked=True),
    A("theme_system", "&View", "Follow the &system", lambda w, on: w.theme_toggled("system", on),
      (), "Light or dark as the desktop is set (the default)", checkable=True, group="&Theme",
      separator=True),
    A("theme_light", "&View", "&Light", lambda w, on: w.theme_toggled("light", on), (),
      "Always light", checkable=True, group="&Theme"),
    A("theme_dark", "&View", "&Dark", lambda w, on: w.theme_toggled("dark", on), (),
      "Always dark", checkable=True, group="&Theme"),
    A("settings", "&View", "Training &settings", lambda w, on: w.set_settings_open(on),
      ("Ctrl+,",), "Open the training settings beside the views, or collapse them out of the way",
      checkable=True, separator=True),
    A("presenter", "&View", "&Presenter mode", lambda w, on: w.set_presenter_mode(on), ("F11",),
      "Full screen with large type and thick lines, for a projector (F11 again to leave)",
      checkable=True),
    A("zoom_in", "&View", "Zoom &in", lambda w: w.zoom_in(), ("Ctrl+=", "Ctrl++"),
      "Make the interface's text larger"),
    A("zoom_out", "&View", "Zoom &out", lambda w: w.zoom_out(), ("Ctrl+-",),
      "Make the interface's text smaller"),
    A("zoom_reset", "&View", "&Actual size", lambda w: w.zoom_reset(), ("Ctrl+Shift+0",),
      "The interface's text at its usual size"),
    A("next_view", "&View", "&Next view", lambda w: w.view_tabs.next_view(), ("Ctrl+Tab",),
      "Show the next view tab", separator=True),
    A("previous_view", "&View", "Pre&vious view", lambda w: w.view_tabs.previous_view(),
      ("Ctrl+Shift+Tab",), "Show the previous view tab"),
    *(A(f"view_{i + 1}", "&View", f"{cls.title} view", lambda w, n=cls.name: w.show_view(n),
        (f"Alt+{i + 1}",), f"Show the {cls.title} view") for i, cls in enumerate(VIEWS)),
    A("what", "&Help", "&What am I looking at?", lambda w: w.show_current_help(), ("Shift+F1",),
      "Explain the view in front of you"),
    A("shortcuts", "&Help", "&Keyboard shortcuts", lambda w: w.show_shortcuts(), ("F1",),
      "List the keyboard shortcuts"),
    A("about", "&Help", "&About ffn-gui", lambda w: w.show_about(), (),
      "About ffn-gui and the notes"),
)


def _calls(slot, window):
    """``slot(window)``, as a function of nothing (so ``triggered(bool)``'s flag is not passed
    on)."""
    def call() -> None:
        slot(window)

    return call


def _toggles(slot, window):
    """``slot(window, checked)``, for a checkable action's ``toggled(bool)``."""
    def call(checked: bool) -> None:
        slot(window, checked)

    return call


def make_action(window, spec: ActionSpec) -> QAction:
    action = QAction(spec.text, window)
    action.setObjectName(f"{spec.name}_action")
    if spec.shortcuts:
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
    if spec.tip:
        action.setStatusTip(spec.tip)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{spec.tip} ({keys})" if keys else spec.tip)
    if spec.checkable:
        action.setCheckable(True)
        action.setChecked(spec.checked)
        action.toggled.connect(_toggles(spec.slot, window))
    else:
        action.triggered.connect(_calls(spec.slot, window))
    window.addAction(action)  # shortcuts work wherever the focus is in the window
    return action


def build_menus(window, specs=ACTIONS) -> dict[str, QAction]:
    """Make every action of ``specs``, set ``window.<name>_action`` and fill the menu bar
    (``window.menus``) and the submenus of grouped actions (``window.submenus``)."""
    menus = {title: window.menuBar().addMenu(title) for title in MENUS}
    submenus: dict[str, QMenu] = {}
    groups: dict[str, QActionGroup] = {}
    actions: dict[str, QAction] = {}
    for spec in specs:
        action = make_action(window, spec)
        setattr(window, f"{spec.name}_action", action)
        actions[spec.name] = action
        menu = menus[spec.menu]
        if spec.separator:
            menu.addSeparator()
        if spec.group and spec.group not in groups:
            submenus[spec.group] = menu.addMenu(spec.group)
            groups[spec.group] = QActionGroup(window)  # exclusive
        if spec.group:
            groups[spec.group].addAction(action)
            menu = submenus[spec.group]
        menu.addAction(action)
    window.menus, window.submenus = menus, submenus  # submenus by their titles
    return actions


def update_actions(window, specs=ACTIONS) -> None:
    """Enable each action whose ``enabled`` predicate holds for the window now."""
    for spec in specs:
        if spec.enabled is not None:
            getattr(window, f"{spec.name}_action").setEnabled(bool(spec.enabled(window)))


def shortcut_rows(window, specs=ACTIONS) -> list[tuple[str, str, str]]:
    """(keys, text, tip) for every action with a shortcut, in menu order (what F1 lists)."""
    rows = []
    for spec in specs:
        action = getattr(window, f"{spec.name}_action")
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                         for s in action.shortcuts())
        if keys:
            rows.append((keys, action.text().replace("&", ""), spec.tip))
    return rows
