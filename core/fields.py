"""The training settings, one row each: what ``ffn train`` and the window's settings form offer.

A ``Field`` is plain data (core never imports Qt): the setting's name in ``TrainConfig``, the
command line's flag and argparse details, the form's widget kind and its label (``&`` marks the
Alt mnemonic) and tooltip. The command line's parser, the form's rows and its tips are built
from ``FIELDS``, in its order. Defaults and presets' values are ``TrainConfig``'s and
``PRESETS``' own; a field whose name ``TrainConfig`` lacks is shown but reaches no run.

Widget kinds: ``"text"`` (a line of text, here the hidden layers), ``"float"`` (a line holding a
number), ``"spin"`` (whole numbers in ``range``), ``"dspin"`` (decimals in ``range``), ``"combo"``
(the names of the registry ``choices`` = ("module", "REGISTRY"), each by its label and
tooltip) and ``"check"`` (a box with ``text``). ``register_field`` adds a row; adding a setting
is that row plus the code that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str  # TrainConfig's attribute, and the form's control
    widget: str  # "text", "float", "spin", "dspin", "combo" or "check"
    label: str  # the form's caption, with its unique & mnemonic
    tooltip: str
    flag: str = ""  # the command line's option (default: --name with dashes)
    cli: dict = field(default_factory=dict)  # more argparse keywords (help, metavar, dest...)
    cli_type: str = ""  # "count" (a whole number ≥ 0), "hidden", "float", "bool" or "" (str)
    choices: tuple[str, str] | None = None  # ("module", "REGISTRY") of core, for combos
    range: tuple[float, float] = (0, 0)  # a spin box's bounds
    step: float = 1  # a spin box's step
    decimals: int = 0  # a "dspin"'s decimals
    grouped: bool = False  # a spin box shows thousands separators
    text: str = ""  # a check box's text; a "text" line's placeholder; a "float"'s name in errors
    default: object = None  # the form's value when TrainConfig has no such setting

    @property
    def option(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")


FIELDS: dict[str, Field] = {}


WIDGETS = ("text", "float", "spin", "dspin", "combo", "check")
CLI_TYPES = ("", "count", "hidden", "float", "bool")


def register_field(f: Field) -> Field:
    """Offer the setting ``f`` on the command line and in the settings form; ValueError, naming
    the setting, for a row the parser or the form could not build."""
    problem = _problem(f)
    if problem:
        raise ValueError(f"setting {f.name!r}: {problem}")
    FIELDS[f.name] = f
    return f


def _problem(f: Field) -> str | None:
    if f.widget not in WIDGETS:
        return f"widget {f.widget!r} is not one of {', '.join(WIDGETS)}"
    if f.cli_type not in CLI_TYPES:
        return f"cli_type {f.cli_type!r} is not one of {', '.join(CLI_TYPES[1:])} or ''"
    if (f.widget == "combo") != bool(f.choices):
        return "a combo needs choices=(module, REGISTRY), and only a combo has them"
    if "&" not in f.label:
        return "its label has no & mnemonic"
    return None


def _rows(*rows: Field) -> None:
    for row in rows:
        register_field(row)


NAME_CHOICES = {"metavar": "NAME", "help": "%(choices)s"}

_rows(
    Field("hidden", "text", "Hidden la&yers", cli_type="hidden", text="e.g. 128, 128",
          cli={"metavar": "SIZES", "help": "hidden layers, e.g. 128,128"},
          tooltip="Units in each hidden layer, separated by commas or spaces: '128, 128' is two "
          "layers of 128. More units can learn finer features but train slower and overfit "
          "sooner; leave it empty for no hidden layer (a linear classifier)."),
    Field("activation", "combo", "&Activation", choices=("activations", "ACTIVATIONS"),
          cli=NAME_CHOICES,
          tooltip="The non-linearity of the hidden neurons. Sigmoid (the notes) saturates, so "
          "its gradients vanish in deep or large networks; tanh is centred on 0; ReLU keeps "
          "gradients alive and usually learns fastest."),
    Field("cost", "combo", "&Cost", choices=("costs", "COSTS"), cli=NAME_CHOICES,
          tooltip="What training minimises. Quadratic is the notes' ½‖a − y‖² on sigmoid "
          "outputs; it learns slowly when an output is confidently wrong. Cross-entropy on "
          "softmax outputs keeps a large gradient exactly then, and gives probabilities."),
    Field("init", "combo", "&Initial weights", choices=("inits", "INITS"),
          cli={"help": "normal = the notes' N(0,1); scaled = N(0,1/fan_in) (He for ReLU)"},
          tooltip="How the weights start. 'scaled' draws them with variance 1/fan-in (2/fan-in "
          "for ReLU) so neurons start unsaturated; 'normal' is the notes' N(0, 1), which "
          "saturates the first layer's 784 inputs and makes the first epochs slow."),
    Field("optimizer", "combo", "&Optimiser", choices=("optimizers", "OPTIMIZERS"),
          cli=NAME_CHOICES,
          tooltip="How each mini-batch's gradient moves the weights. SGD: w ← w − (α/m)Σ∇w. "
          "Momentum adds a running velocity that speeds up along consistent directions. Adam "
          "scales each weight's step by its gradient history and needs little tuning "
          "(α ≈ 0.001)."),
    Field("learning_rate", "float", "Lea&rning rate", flag="--lr", cli_type="float",
          text="the learning rate", cli={"metavar": "α", "help": "learning rate"},
          tooltip="α, the step size. Too small: learning crawls. Too large: the cost jumps "
          "around or diverges. SGD on the quadratic cost likes about 3; Adam about 0.001."),
    Field("momentum", "dspin", "&Momentum", cli_type="float", range=(0.0, 0.999), step=0.05,
          decimals=3, cli={"metavar": "μ",
                           "help": "the momentum optimiser's μ, in [0, 1) (presets: 0.9)"},
          tooltip="μ, how much of the previous step carries over (momentum optimiser only). "
          "0.9 is usual; higher smooths more but can overshoot."),
    Field("schedule", "combo", "Sched&ule", choices=("schedules", "SCHEDULES"),
          tooltip="How α changes over the run. Constant keeps it; cosine decay lowers it "
          "smoothly to 0 by the last epoch, which settles the weights and usually adds "
          "accuracy."),
    # 0 is in the spin boxes' ranges: it is refused with the engine's reason, not undone
    Field("batch_size", "spin", "&Batch size", cli_type="count", range=(0, 100_000),
          grouped=True,
          tooltip="m, the examples averaged into each gradient step. Small batches give "
          "noisy but many steps per epoch; large batches give smooth, fewer steps and run "
          "faster per example on the CPU."),
    Field("epochs", "spin", "Epoch&s", cli_type="count", range=(0, 10_000),
          tooltip="How many passes over the training set. More epochs learn more until the "
          "validation accuracy stops improving (then the network starts to overfit)."),
    Field("l2", "float", "&L2 decay", cli_type="float", text="L2 decay",  # Alt+2: a view's
          cli={"help": "L2 weight decay λ"},
          tooltip="λ, L2 weight decay: shrinks every weight a little each step. It keeps "
          "weights small, which fights overfitting; 0 turns it off, 1e-4 is a gentle value."),
    Field("validation", "spin", "Validatio&n", cli_type="count", range=(0, 1_000_000),
          step=1000, grouped=True,
          cli={"metavar": "N",
               "help": "training examples held out for validation (0 = train on all)"},
          tooltip="Training images held out to measure accuracy on data the network does "
          "not learn from. The validation curve tells you when more epochs stop helping."),
    Field("augment", "check", "Au&gmentation", cli_type="bool", text="shift, rotate, scale, pen",
          cli={"help": "random shifts, rotations, scale and stroke thickness each epoch"},
          tooltip="Shift, rotate and scale each training image a little, differently every "
          "epoch, draw some with a thicker or thinner pen, and redraw some along their "
          "skeleton with an even pen like the board's. The network sees more varied digits, "
          "overfits less and reads hand-drawn digits better; the run starts a few seconds "
          "later (preparing the redrawn digits) and each epoch takes a little longer. Some 0s, "
          "1s and 7s are redrawn with a slash, a lead-in stroke or a crossbar, as many people "
          "write them."),
    Field("deskew", "check", "Des&kew", cli_type="bool", text="shear digits upright",
          cli={"help": "shear digits upright before training (and before reading them)"},
          tooltip="Shear every digit upright (its principal axis vertical) before the network "
          "sees it, in training and when it reads your drawing: slanted writing then looks "
          "like upright writing. The model remembers it was trained so."),
    Field("nondigits", "dspin", "Non-digit mi&x", cli_type="float", range=(0.0, 1.0),
          step=0.05, decimals=2,
          cli={"metavar": "SHARE", "help": "add generated letters, shapes, scribbles and words "
               "(this share of the training digits) that teach the model to say 'not a digit' "
               "(0 = off; needs the cross-entropy cost)"},
          tooltip="Add drawings that are not digits (letters, shapes, scribbles, short words, "
          "generated from stroke templates), this share of the training digits, each taught "
          "as 'no digit more likely than another'. The model then answers 'not a digit' when "
          "it is unsure, from a threshold it records. 0 turns it off; needs the cross-entropy "
          "cost."),
    Field("seed", "spin", "See&d", cli_type="count", range=(0, 2**31 - 1),
          tooltip="The random seed for the starting weights, the shuffling and the "
          "augmentation. The same seed and settings give the same run."),
)
