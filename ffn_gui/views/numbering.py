"""Layers numbered as in the notes (and Nielsen's book), for every view's texts.

The input is layer 1 (a¹ = x); wˡ and bˡ feed layer l; the output is layer L. core numbers a
layer by its weights instead (core.inspect's ``layer`` l is fed by ``weights[l]``: 0 = the
first hidden layer), so core's layer l is the notes' layer l + 2. A view's column i (0 = the
input) is the notes' layer i + 1.
"""

from __future__ import annotations

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n) -> str:
    """``n`` in superscript digits: sup(2) == "²"."""
    return str(n).translate(SUPERSCRIPTS)


def notes_layer(layer: int) -> int:
    """The notes' number of core's ``layer`` (fed by ``weights[layer]``)."""
    return layer + 2


def column_name(i: int, n_columns: int) -> str:
    """The name of column ``i`` of ``n_columns`` (0 = the input): "layer 1 (input)",
    "layer 2 (hidden)", ..., "layer 4 = L (output)"."""
    if i == 0:
        return "layer 1 (input)"
    if i == n_columns - 1:
        return f"layer {i + 1} = L (output)"
    return f"layer {i + 1} (hidden)"


def column_label(i: int, n_columns: int) -> str:
    """The short name a diagram writes over column ``i``: "input (1)", "hidden (2)", ...,
    "output (L)"."""
    if i == 0:
        return "input (1)"
    return "output (L)" if i == n_columns - 1 else f"hidden ({i + 1})"


def layer_name(layer: int, n_weight_layers: int) -> str:
    """``column_name`` of core's ``layer`` in a network with ``n_weight_layers`` weight
    matrices."""
    return column_name(layer + 1, n_weight_layers + 1)


def superscript(layer: int, n_weight_layers: int) -> str:
    """The notes' superscript of core's ``layer``: "²" for the first hidden layer, "ᴸ" for
    the output."""
    return "ᴸ" if layer == n_weight_layers - 1 else sup(notes_layer(layer))
