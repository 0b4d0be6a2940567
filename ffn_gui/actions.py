"""The window's menu actions as one table: text, shortcuts, slot, tip, when it is enabled.

Each row becomes a ``QAction`` named ``<name>_action`` on the window, added to its menu and to
the window itself (so its shortcut works wherever the focus is in the window). ``slot`` is a
dotted path from the window ("start_training", "canvas.undo"); a plain action's slot is called
with no arguments (``triggered(bool)``'s flag is never passed on), a checkable one's with the
new state. ``enabled`` names a window attribute that is true when the action can be used; the
window calls ``update_actions`` whenever that may have changed; ``args`` are passed to the slot
(the view actions name their view). Adding a menu entry is adding a row here and, if it needs
one, a method on the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from .views import VIEWS

K = QKeySequence.StandardKey
MENUS = ("&File", "&Edit", "&Training", "&View", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    name: str
    menu: str
    text: str
    slot: str
    shortcuts: tuple = ()
    tip: str = ""
    enabled: str | None = None  # a window attribute: True when the action can be used
    checkable: bool = False
    checked: bool = False
    separator: bool = False  # a separator before it in its menu
    group: str = ""  # a submenu of its menu, by title; its actions exclude one another
    args: tuple = ()  # passed to the slot


A = ActionSpec
ACTIONS: tuple[ActionSpec, ...] = (
    A("new", "&File", "&New network", "ask_new_network", (K.New,),
      "A fresh, untrained network from the panel's settings", "idle"),
    A("open", "&File", "&Open model…", "ask_open_model", (K.Open,), "Open a .npz model", "idle"),
    A("save", "&File", "&Save model", "ask_save", (K.Save,), "Save the model"),
    A("save_as", "&File", "Save model &as…", "ask_save_as", ("Ctrl+Shift+S",),
      "Save the model under a new name"),
    A("revert", "&File", "&Revert to bundled model", "ask_revert", (),
      "Go back to the model that ships with the app", "idle"),
    A("download", "&File", "&Download MNIST…", "ask_download", (),
      "Download MNIST (about 11 MB)", "can_load", separator=True),
    A("open_folder", "&File", "Open MNIST &folder…", "ask_open_folder", ("Ctrl+Shift+O",),
      "Load MNIST from a folder of IDX files", "can_load"),
    A("open_csv", "&File", "Open &Kaggle CSV…", "ask_open_csv", (),
      "Load Kaggle's train.csv", "can_load"),
    A("open_image", "&File", "Open &image…", "ask_open_image", ("Ctrl+I",),
      "Read a digit from a PNG, JPEG or BMP image (or drop one on the board)", separator=True),
    A("open_kaggle", "&File", "Open Kaggle &test.csv…", "ask_open_kaggle", (),
      "Read every digit of Kaggle's test.csv with the current model", "can_read_kaggle"),
    A("save_submission", "&File", "Save s&ubmission…", "ask_save_submission", (),
      "Save the Kaggle predictions as ImageId,Label", "has_submission"),
    A("quit", "&File", "&Quit", "close", ("Ctrl+Q",), "Quit", separator=True),
    A("undo", "&Edit", "&Undo stroke", "canvas.undo", (K.Undo,), "Take back the last stroke",
      "can_undo"),
    A("redo", "&Edit", "&Redo stroke", "canvas.redo", ("Ctrl+Shift+Z", "Ctrl+Y"),
      "Put back the stroke you took back", "can_redo"),
    A("clear", "&Edit", "&Clear board", "canvas.clear", ("Ctrl+L", "Del", "Backspace"),
      "Wipe the board (Undo brings it back). Ctrl+L works everywhere; Del and Backspace edit "
      "a field instead while one has the focus"),
    A("eraser", "&Edit", "&Eraser", "canvas.set_eraser", ("E",),
      "Draw with the eraser (the right button always erases)", checkable=True, separator=True),
    A("bigger", "&Edit", "&Bigger brush", "bigger_brush", ("]",), "Make the brush bigger"),
    A("smaller", "&Edit", "&Smaller brush", "smaller_brush", ("[",), "Make the brush smaller"),
    *(A(f"label_{d}", "&Edit", f"It's a {d}", f"label_as_{d}", (f"Ctrl+{d}",),
        f"Add the drawing to my digits as a {d} and clear the board", separator=d == 0)
      for d in range(10)),
    A("train", "&Training", "&Train", "start_training", ("Ctrl+T",),
      "Train a network with the panel's settings", "can_train"),
    A("pause", "&Training", "&Pause / resume", "toggle_pause", ("Space",),
      "Pause or resume the run", "running"),
    A("stop", "&Training", "&Stop", "stop_training", ("Esc",),
      "Stop the run and keep the network as it is now", "running"),
    A("fine_tune", "&Training", "&Fine-tune on my digits", "fine_tune", ("Ctrl+Shift+T",),
      "Teach the current model your handwriting: a short run on your digits mixed with MNIST",
      "can_fine_tune", separator=True),
    A("grid", "&View", "Show pixel &grid", "canvas.set_grid_visible", ("G",),
      "Show the 28×28 input grid on the board", checkable=True),
    A("preprocess", "&View", "&MNIST-style centring", "set_preprocess", (),
      "Crop, scale and centre the drawing like MNIST before the network reads it",
      checkable=True, checked=True),
    A("deskew", "&View", "&Deskew the drawing", "set_deskew", (),
      "Shear the drawing upright before the network reads it, as a model trained on deskewed "
      "digits expects (what the network sees shows it)", checkable=True, checked=True),
    A("theme_system", "&View", "Follow the &system", "theme_system", (),
      "Light or dark as the desktop is set (the default)", checkable=True, group="&Theme",
      separator=True),
    A("theme_light", "&View", "&Light", "theme_light", (), "Always light", checkable=True,
      group="&Theme"),
    A("theme_dark", "&View", "&Dark", "theme_dark", (), "Always dark", checkable=True,
      group="&Theme"),
    A("settings", "&View", "Training &settings", "set_settings_open", ("Ctrl+,",),
      "Open the training settings beside the views, or collapse them out of the way",
      checkable=True, separator=True),
    A("presenter", "&View", "&Presenter mode", "set_presenter_mode", ("F11",),
      "Full screen with large type and thick lines, for a projector (F11 again to leave)",
      checkable=True),
    A("zoom_in", "&View", "Zoom &in", "zoom_in", ("Ctrl+=", "Ctrl++"),
      "Make the interface's text larger"),
    A("zoom_out", "&View", "Zoom &out", "zoom_out", ("Ctrl+-",),
      "Make the interface's text smaller"),
    A("zoom_reset", "&View", "&Actual size", "zoom_reset", ("Ctrl+Shift+0",),
      "The interface's text at its usual size"),
    A("next_view", "&View", "&Next view", "view_tabs.next_view", ("Ctrl+Tab",),
      "Show the next view tab", separator=True),
    A("previous_view", "&View", "Pre&vious view", "view_tabs.previous_view",
      ("Ctrl+Shift+Tab",), "Show the previous view tab"),
    *(A(f"view_{i + 1}", "&View", f"{cls.title} view", "show_view", (f"Alt+{i + 1}",),
        f"Show the {cls.title} view", args=(cls.name,)) for i, cls in enumerate(VIEWS)),
    A("what", "&Help", "&What am I looking at?", "show_current_help", ("Shift+F1",),
      "Explain the view in front of you"),
    A("shortcuts", "&Help", "&Keyboard shortcuts", "show_shortcuts", ("F1",),
      "List the keyboard shortcuts"),
    A("about", "&Help", "&About ffn-gui", "show_about", (), "About ffn-gui and the notes"),
)


def _resolve(window, path: str):
    return reduce(getattr, path.split("."), window)


def _without_arguments(slot, args=()):
    def call() -> None:  # takes nothing, so triggered(bool)'s flag is not passed on
        slot(*args)

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
    slot = _resolve(window, spec.slot)
    if spec.checkable:
        action.setCheckable(True)
        action.setChecked(spec.checked)
        action.toggled.connect(slot)
    else:
        action.triggered.connect(_without_arguments(slot, spec.args))
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
    """Enable each action whose ``enabled`` attribute of the window is true."""
    for spec in specs:
        if spec.enabled is not None:
            value = _resolve(window, spec.enabled)
            getattr(window, f"{spec.name}_action").setEnabled(bool(value() if callable(value)
                                                                 else value))


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
