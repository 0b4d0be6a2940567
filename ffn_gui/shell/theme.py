"""Colours from the palette: the plots' colours for the current palette, a dark palette, and
following the platform's light/dark setting.

Nothing in the window hard-codes a background or a text colour: widgets draw with their
``palette()``, and items Qt does not colour itself (pyqtgraph's plots) ask ``plot_colours`` for
the colours that go with it and ask again on ``QEvent.PaletteChange``. The series colours are
the Okabe-Ito set (readable by the common colour-blindnesses), lightened on dark backgrounds.

``secondary_text(label)`` shows a label's text quieter than the rest but readable in any palette
(a style sheet's ``palette(mid)`` is grey on grey, and frozen at the palette of the moment).

``set_theme(app, choice)`` colours the application light, dark, or in step with the
platform's colour scheme (``QStyleHints.colorScheme``; "system", what
``follow_color_scheme(app)`` sets): the View → Theme menu's three choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# (on light, on dark) for each series: Okabe-Ito blue / sky blue, orange, bluish green, vermillion.
_SERIES = {
    "cost": ("#0072B2", "#56B4E9"),
    "train": ("#D55E00", "#E69F00"),
    "validation": ("#009E73", "#2BC79A"),
    "test": ("#CC3311", "#FF7F5C"),
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b`` (opaque)."""
    return QColor.fromRgbF(*(x + t * (y - x) for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3])))


@dataclass(frozen=True)
class PlotColours:
    background: QColor
    text: QColor  # titles, legend text
    axis: QColor  # axis lines and tick labels
    grid_alpha: float
    legend_background: QColor
    cost: QColor  # the smoothed batch cost
    batch: QColor  # the raw batch cost: the cost colour half blended into the background
    train: QColor
    validation: QColor
    test: QColor


def plot_colours(palette: QPalette) -> PlotColours:
    """The plots' colours for ``palette`` (light or dark)."""
    dark = is_dark(palette)
    background = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    series = {name: QColor(pair[dark]) for name, pair in _SERIES.items()}
    legend = QColor(background)
    legend.setAlpha(215)
    return PlotColours(
        background=background,
        text=text,
        axis=mix(text, background, 0.3),
        grid_alpha=0.22 if dark else 0.16,
        legend_background=legend,
        cost=series["cost"],
        batch=mix(series["cost"], background, 0.55),
        train=series["train"],
        validation=series["validation"],
        test=series["test"],
    )


def dark_palette() -> QPalette:
    """A dark palette for styles that have none of their own (Fusion's colours, inverted)."""
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(128, 128, 128)
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, window), (roles.WindowText, text), (roles.Base, base),
        (roles.AlternateBase, window), (roles.ToolTipBase, window), (roles.ToolTipText, text),
        (roles.PlaceholderText, QColor(150, 150, 150)), (roles.Text, text),
        (roles.Button, window), (roles.ButtonText, text), (roles.BrightText, QColor("#ff6b6b")),
        (roles.Light, QColor(75, 75, 80)), (roles.Midlight, QColor(60, 60, 64)),
        (roles.Mid, QColor(100, 100, 105)), (roles.Dark, QColor(25, 25, 27)),
        (roles.Shadow, QColor(0, 0, 0)), (roles.Highlight, QColor(61, 142, 230)),
        (roles.HighlightedText, QColor(255, 255, 255)), (roles.Link, QColor(100, 170, 255)),
        (roles.LinkVisited, QColor(180, 140, 255)),
    ):
        p.setColor(role, colour)
    for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.PlaceholderText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


SECONDARY = 0.35  # how far secondary text moves from the text colour towards the window's


class _Recolour(QObject):
    """Gives its widget the secondary text colour again when the application palette changes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            _set_secondary(watched)
        return False


def _set_secondary(widget: QWidget) -> None:
    palette = QPalette(QApplication.palette(widget))
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text = palette.color(group, QPalette.ColorRole.WindowText)
        window = palette.color(group, QPalette.ColorRole.Window)
        palette.setColor(group, QPalette.ColorRole.WindowText, mix(text, window, SECONDARY))
    widget.setPalette(palette)


def secondary_text(widget: QWidget) -> None:
    """Show ``widget``'s text in a quieter colour of the palette, now and after it changes."""
    _set_secondary(widget)
    widget.installEventFilter(_Recolour(widget))


# The View → Theme choices: the platform's light/dark setting, or one of the two always.
THEMES = ("system", "light", "dark")


def light_palette(app: QApplication) -> QPalette:
    """The style's light palette (built from Fusion's button grey where the style's own
    palette follows a dark platform)."""
    palette = app.style().standardPalette()
    return palette if not is_dark(palette) else QPalette(QColor(239, 239, 239))


class _Theme:
    """Holds the theme chosen and keeps the palette in step with it and the platform's scheme:
    where the style does not turn dark itself when the platform does (Fusion on many Linux
    desktops), "system" sets ``dark_palette()``, and the platform's palette comes back when
    the platform turns light again or another theme is chosen."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.choice = "system"
        self.ours = False  # whether the palette now set is one of ours
        app.styleHints().colorSchemeChanged.connect(self.follow)

    def set(self, choice: str) -> None:
        if choice not in THEMES:
            raise ValueError(f"unknown theme {choice!r}; choose one of {', '.join(THEMES)}")
        self.choice = choice
        if choice == "system":
            if self.ours:  # the platform's own palette back before following it
                self.app.setPalette(QPalette())
                self.ours = False
            self.follow(self.app.styleHints().colorScheme())
        else:
            self.app.setPalette(dark_palette() if choice == "dark" else light_palette(self.app))
            self.ours = True

    def follow(self, scheme: Qt.ColorScheme) -> None:
        if self.choice != "system":
            return
        if scheme == Qt.ColorScheme.Dark and not is_dark(self.app.palette()):
            self.app.setPalette(dark_palette())
            self.ours = True
        elif scheme != Qt.ColorScheme.Dark and self.ours:
            self.app.setPalette(QPalette())
            self.ours = False


def set_theme(app: QApplication, choice: str) -> None:
    """Colour ``app`` light, dark, or as the platform's colour scheme says ("system"), now and
    whenever the platform's scheme changes."""
    controller = getattr(app, "_ffn_theme", None)
    if controller is None:
        controller = app._ffn_theme = _Theme(app)  # kept alive as long as the app
    controller.set(choice)


def follow_color_scheme(app: QApplication) -> None:
    """Keep ``app``'s palette in step with the platform's light/dark colour scheme."""
    set_theme(app, "system")
