"""What the step-through says at each stage: the equation of the layer being computed, and that
equation worked by hand for one neuron j (and one weight w_jk), with the numbers plugged in.

``stage_text(walk, stage, j, k, given)`` returns (title, lines, shown): a one-line title, two
lines of arithmetic, and ``shown``, every number written into them as (name, index, value):
``name`` is a ``core.walkthrough.Stage`` array (``stage.<name>[index]`` is the value, so a test
can check each against core) or, for a partial sum of the shown terms, ("rest", (), value).
Layers carry the notes' numbers as superscripts (layer 1 is the input; L the output).
"""

from __future__ import annotations

import numpy as np

from core.walkthrough import Stage, Walkthrough, top_terms

TERMS = 3  # terms of a sum written out; the rest are added up as one number
SUPS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
FUNCTIONS = {"sigmoid": ("σ", "σ′"), "relu": ("ReLU", "ReLU′"), "tanh": ("tanh", "tanh′")}


def sup(n) -> str:
    return str(n).translate(SUPS)


def sub(*indices) -> str:
    return ",".join(str(i).translate(SUBS) for i in indices)


def num(value: float) -> str:
    """``value`` in four significant digits, with a true minus sign; ×10ⁿ for the very small
    or large (a student copies these)."""
    v = float(value)
    if v == 0:
        return "0"
    if 0.999 <= abs(v) < 1:  # as many decimals as show its distance from 1 (a − y)
        text = f"{v:.{min(int(np.ceil(-np.log10(1 - abs(v)))) + 2, 12)}f}".rstrip("0")
    elif 1e-3 <= abs(v) < 1e5:
        text = f"{v:.4g}"
    else:
        mantissa, exponent = f"{v:.3e}".split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')}×10{sup(int(exponent))}"
    return text.replace("-", "−")


class Numbers:
    """Writes a stage's numbers into text and keeps a record of each (``shown``)."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.shown: list[tuple[str, tuple, float]] = []

    def __call__(self, name: str, *index: int, bracket: bool = False) -> str:
        return self.put(name, index, float(getattr(self.stage, name)[index]), bracket)

    def put(self, name: str, index: tuple, value: float, bracket: bool = False) -> str:
        self.shown.append((name, tuple(index), value))
        text = num(value)
        return f"({text})" if bracket and value < 0 else text


def written_sum(n: Numbers, w: str, w_index, v: str, size: int) -> tuple[str, float]:
    """Σₖ wₖ vₖ with the TERMS largest terms written out and the rest added up: (text, the
    rest's sum). ``w_index(k)`` is the index of the weight of term k."""
    stage = n.stage
    weights = np.array([getattr(stage, w)[w_index(k)] for k in range(size)], np.float64)
    values = np.asarray(getattr(stage, v), np.float64)
    terms = weights * values
    top = [int(k) for k in top_terms(weights, values, TERMS) if terms[k] != 0]
    parts = [f"{n(w, *w_index(k), bracket=True)}×{n(v, k, bracket=True)}" for k in top]
    others = np.flatnonzero(terms)
    others = others[~np.isin(others, top)]
    rest = float(terms[others].sum()) if len(others) else 0.0
    if len(others):
        word = "term" if len(others) == 1 else "terms"
        parts.append(f"[{len(others)} more {word}: {n.put('rest', (), rest)}]")
    return (" + ".join(parts) if parts else "0"), rest


def forward_text(walk: Walkthrough, s: Stage, j: int, n: Numbers) -> tuple[str, list[str]]:
    l, L = s.layer, walk.n_layers
    up, down = sup(l), sup(l - 1)
    out = l == L
    fn = "softmax" if out and walk.cost_name == "cross_entropy" else (
        "σ" if out else FUNCTIONS.get(walk.activation_name, (walk.activation_name,))[0])
    title = (f"Forward, layer {l} of {L}: z{up} = w{up}a{down} + b{up},  a{up} = {fn}(z{up})"
             f"  — {len(s.z)} neurons, each a sum over the {len(s.a_prev)} a{down}")
    terms, _rest = written_sum(n, "w", lambda k: (j, k), "a_prev", len(s.a_prev))
    line1 = (f"neuron j = {j}:  z{up}{sub(j)} = Σₖ w{up}{sub(j)}ₖ a{down}ₖ + b{up}{sub(j)} = "
             f"{terms} + {n('b', j, bracket=True)} = {n('z', j)}")
    if fn == "softmax":
        line2 = f"a{up}{sub(j)} = softmax(z{up}){sub(j)} = e^z{sub(j)} / Σᵢ e^zᵢ = {n('a', j)}"
    else:
        line2 = f"a{up}{sub(j)} = {fn}(z{up}{sub(j)}) = {fn}({n('z', j)}) = {n('a', j)}"
    return title, [line1, line2]


def bp1_text(walk: Walkthrough, s: Stage, j: int, n: Numbers, given: str):
    pair = _pair(j, walk.label, s.delta)
    y = f"y = {walk.label}{given}, so yⱼ = 1 for j = {walk.label}, else 0"
    if s.prime is None:
        title = f"BP1, output layer L = {s.layer}: δᴸ = aᴸ − y   (softmax + cross-entropy); {y}"
        work = [f"δᴸ{sub(i)} = aᴸ{sub(i)} − y{sub(i)} = {n('a', i)} − {n('y', i)} = "
                f"{n('delta', i)}" for i in pair]
    else:
        title = f"BP1, output layer L = {s.layer}: δᴸ = (aᴸ − y) ⊙ σ′(zᴸ);  {y}"
        work = [f"δᴸ{sub(i)} = (aᴸ{sub(i)} − y{sub(i)}) σ′(zᴸ{sub(i)}) = ({n('a', i)} − "
                f"{n('y', i)}) × {n('prime', i)} = {n('delta', i)}" for i in pair]
    other = "the true digit's" if j != walk.label else "the next largest δ's"
    return title, [f"neuron j = {j}:  {work[0]}", f"{other} neuron:  {work[1]}"]


def _pair(j: int, label: int, delta: np.ndarray) -> list[int]:
    """j and the true digit's neuron; when j is it, j and the largest |δ| of the others."""
    if j != label:
        return [j, label]
    others = np.abs(np.asarray(delta, np.float64))
    others[label] = -1
    return [j, int(np.argmax(others))]


def bp2_text(walk: Walkthrough, s: Stage, j: int, n: Numbers) -> tuple[str, list[str]]:
    l = s.layer
    up, nx = sup(l), sup(l + 1)
    p = FUNCTIONS.get(walk.activation_name, ("", f"{walk.activation_name}′"))[1]
    title = (f"BP2, layer {l}: δ{up} = ((w{nx})ᵀ δ{nx}) ⊙ {p}(z{up})  — the error of layer "
             f"{l + 1} carried back through its weights")
    terms, rest = written_sum(n, "w_next", lambda k: (k, j), "delta_next", len(s.delta_next))
    carried = float(np.dot(np.asarray(s.w_next[:, j], np.float64),
                           np.asarray(s.delta_next, np.float64)))
    return title, [
        f"neuron j = {j}:  δ{up}{sub(j)} = (Σₖ w{nx}ₖ{sub(j)} δ{nx}ₖ) {p}(z{up}{sub(j)}) = "
        f"({terms}) × {n('prime', j, bracket=True)}",
        f"= {n.put('carried', (), carried, bracket=True)} × {n('prime', j, bracket=True)} = "
        f"{n('delta', j)}   (z{up}{sub(j)} = {n('z', j)})"]


def bp34_text(walk: Walkthrough, s: Stage, j: int, k: int, n: Numbers):
    l = s.layer
    up, down = sup(l), sup(l - 1)
    title = (f"BP3, BP4, layer {l}: ∂C/∂b{up} = δ{up},  ∂C/∂w{up} = δ{up} (a{down})ᵀ  — one "
             f"number for each of its {s.grad_b.size} biases and {s.grad_w.size} weights")
    return title, [
        f"neuron j = {j}:  ∂C/∂b{up}{sub(j)} = δ{up}{sub(j)} = {n('grad_b', j)}",
        f"its largest, k = {k}:  ∂C/∂w{up}{sub(j, k)} = δ{up}{sub(j)} a{down}{sub(k)} = "
        f"{n('delta', j, bracket=True)} × {n('a_prev', k, bracket=True)} = "
        f"{n('grad_w', j, k)}"]


def update_text(walk: Walkthrough, s: Stage, j: int, k: int, n: Numbers):
    l, a = s.layer, num(walk.alpha)
    up = sup(l)
    title = (f"Update, layer {l}: w{up} ← w{up} − α ∂C/∂w{up},  b{up} ← b{up} − α ∂C/∂b{up},  "
             f"α = {a}, this digit alone (m = 1); shown, not applied (Backprop's "
             f"Take one step applies it)")
    return title, [
        f"w{up}{sub(j, k)} ← {n('w', j, k)} − {a} × {n('grad_w', j, k, bracket=True)} = "
        f"{n('w_new', j, k)}",
        f"b{up}{sub(j)} ← {n('b', j)} − {a} × {n('grad_b', j, bracket=True)} = "
        f"{n('b_new', j)}"]


def stage_text(walk: Walkthrough, stage: Stage, j: int, k: int | None, given: str = ""):
    """(title, [two lines], shown) for ``stage`` worked for neuron ``j`` (weight w_jk)."""
    n = Numbers(stage)
    if stage.kind == "forward":
        title, lines = forward_text(walk, stage, j, n)
    elif stage.kind == "BP1":
        title, lines = bp1_text(walk, stage, j, n, given)
    elif stage.kind == "BP2":
        title, lines = bp2_text(walk, stage, j, n)
    elif stage.kind == "BP3-4":
        title, lines = bp34_text(walk, stage, j, k, n)
    else:
        title, lines = update_text(walk, stage, j, k, n)
    return title, lines, n.shown
