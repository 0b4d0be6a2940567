"""What each training setting means: the form's tooltips. Each setting's own is its row's in
core's field table (core/fields.py), and each choice's is its registry entry's; the preset,
which is not a setting but a set of them, has its tip here."""

from __future__ import annotations

from core.fields import FIELDS

PRESET_TIP = (
    "Load a whole set of settings at once. 'seed' is the notes' network (sigmoid, quadratic "
    "cost, SGD, batch 10, α = 3.0); 'default' is the best found for the same 784-128-128-10 "
    "shape. Changing a setting makes it '… (modified)'; choose the preset again to restore it.")


def tips() -> dict[str, str]:
    """Each control's tooltip by its name: "preset" and every setting of the field table."""
    return {"preset": PRESET_TIP, **{name: f.tooltip for name, f in FIELDS.items()}}
