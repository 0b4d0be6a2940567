"""Each optimiser against a plain, one-array-at-a-time reference of the published algorithm,
over 200 steps of random gradients, through both places its rule runs: ``Optimizer.step`` (per
array, after ``Network.backprop``) and ``Optimizer.apply_flat`` (the fused step's flat buffer).

The references follow PyTorch's documented update rules (torch.optim.SGD with dampening 0 and
nesterov off; torch.optim.AdamW, i.e. Kingma & Ba's Adam with bias correction), written out
here, with γ the learning rate, g the mean gradient over the mini-batch and λ the L2 weight
decay. Weight decay is decoupled, as AdamW does it (θ ← θ − γλθ, then the update; for plain SGD
the same as PyTorch's SGD adding λθ to g), and applies to the weights only, never the biases.
Momentum is Sutskever et al.'s v ← μv − γg, θ ← θ + v, which PyTorch's SGD documents as the
equivalent of its θ ← θ − γb, b ← μb + g while γ stays constant; both are checked.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.optimizers import make_optimizer

SHAPES = [(6, 5), (6,), (4, 6), (4,)]  # w0, b0, w1, b1: Network.params' order
STEPS = 200
M = 10  # examples per mini-batch: the gradients handed over are sums over them


def sgd_reference(lr, l2):
    """PyTorch SGD: g ← g + λθ; θ ← θ − γg."""
    def update(theta, g, state, t, decay):
        return theta - lr(t) * (g + (l2 if decay else 0.0) * theta)
    return update


def momentum_reference(lr, l2, mu, pytorch_form):
    """Sutskever: v ← μv − γg; θ ← θ(1 − γλ) + v. PyTorch (γ constant): b ← μb + g (b₁ = g₁);
    θ ← θ(1 − γλ) − γb."""
    def update(theta, g, state, t, decay):
        theta = theta - lr(t) * (l2 if decay else 0.0) * theta
        if pytorch_form:
            state["b"] = g.copy() if t == 1 else mu * state["b"] + g
            return theta - lr(t) * state["b"]
        state["v"] = mu * state.get("v", 0.0) - lr(t) * g
        return theta + state["v"]
    return update


def adamw_reference(lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    """PyTorch AdamW: θ ← θ − γλθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); θ ← θ − γ m̂/(√v̂ + ε)."""
    def update(theta, g, state, t, decay):
        theta = theta - lr(t) * (l2 if decay else 0.0) * theta
        state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
        state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
        m_hat = state["m"] / (1 - beta1**t)
        v_hat = state["v"] / (1 - beta2**t)
        return theta - lr(t) * m_hat / (np.sqrt(v_hat) + eps)
    return update


def constant(rate):
    return lambda t: rate


def cosine(rate):
    return lambda t: rate * 0.5 * (1 + math.cos(math.pi * (t - 1) / STEPS))


# (optimiser, its TrainConfig hyperparameters, learning rate, the reference for (lr, l2))
CASES = {
    "sgd": ("sgd", {}, 0.5, sgd_reference),
    "momentum": ("momentum", {"momentum": 0.9}, 0.05,
                 lambda lr, l2: momentum_reference(lr, l2, 0.9, pytorch_form=False)),
    "momentum, PyTorch's form": ("momentum", {"momentum": 0.8}, 0.05,
                                 lambda lr, l2: momentum_reference(lr, l2, 0.8,
                                                                   pytorch_form=True)),
    "adam": ("adam", {}, 0.01, adamw_reference),
}


def run(path, case, l2, schedule, rng):
    """The optimiser's parameters and the reference's after STEPS steps of the same random
    summed gradients (scaled up now and then, so Adam's second moment matters)."""
    name, hyper, rate, reference = CASES[case]
    if case.endswith("PyTorch's form"):
        schedule = constant  # the two forms differ once γ changes
    lr = schedule(rate)
    opt = make_optimizer(name, lr(1), l2, **hyper)
    update = reference(lr, l2)
    start = [rng.normal(size=s) for s in SHAPES]
    ours, theirs = [p.copy() for p in start], [p.copy() for p in start]
    states = [{} for _ in SHAPES]
    sizes = [int(np.prod(s)) for s in SHAPES]
    flat = np.concatenate([ours[0].ravel(), ours[2].ravel(), ours[1], ours[3]])  # weights first
    n_weights = sizes[0] + sizes[2]
    for t in range(1, STEPS + 1):
        grads = [rng.normal(size=s) * M * (10.0 if t % 17 == 0 else 1.0) for s in SHAPES]
        opt.learning_rate = lr(t)
        for i, (g, state) in enumerate(zip(grads, states)):
            theirs[i] = update(theirs[i], g / M, state, t, decay=i % 2 == 0)
        if path == "per array":
            opt.step(ours, [g.copy() for g in grads], M)
        else:
            opt.start_step()
            g = np.concatenate([grads[0].ravel(), grads[2].ravel(), grads[1], grads[3]])
            g *= opt.grad_scale(M)
            new = np.empty_like(flat)
            opt.apply_flat(flat, g, new, n_weights)
            flat = new
    if path == "flat":
        at = np.cumsum([0, sizes[0], sizes[2], sizes[1]])
        ours = [flat[at[0]:at[1]].reshape(SHAPES[0]), flat[at[2]:at[3]],
                flat[at[1]:at[2]].reshape(SHAPES[2]), flat[at[3]:]]
    return start, ours, theirs


@pytest.mark.parametrize("schedule", [constant, cosine], ids=["constant rate", "cosine"])
@pytest.mark.parametrize("l2", [0.0, 0.01], ids=["no decay", "L2"])
@pytest.mark.parametrize("path", ["per array", "flat"])
@pytest.mark.parametrize("case", list(CASES))
def test_each_optimiser_follows_its_published_rule_for_200_steps(case, path, l2, schedule, rng):
    start, ours, theirs = run(path, case, l2, schedule, rng)
    for mine, reference, before in zip(ours, theirs, start):
        assert np.abs(reference - before).max() > 0.1  # far enough for the check to mean much
        np.testing.assert_allclose(mine, reference, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_step_count_advances_once_per_step_on_either_path(name, rng):
    opt = make_optimizer(name, 0.1)
    opt.step([np.zeros(3), np.zeros(1)], [np.ones(3), np.ones(1)], 1)
    assert opt.t == 1
    flat = np.zeros(4)
    fused = make_optimizer(name, 0.1)
    for t in (1, 2):
        fused.start_step()
        fused.apply_flat(flat, np.ones(4) * fused.grad_scale(1), flat, 3)
        assert fused.t == t
    fused.grad_scale(1)  # asking for the scale is not a step
    assert fused.t == 2


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("made", ["by name", "by class"])
def test_left_out_settings_mean_no_decay_and_the_published_defaults(name, made, rng):
    """``make_optimizer(name, α)`` and the class called with α alone: no weight decay, μ = 0.9
    (Sutskever et al.'s value), β₁ = 0.9, β₂ = 0.999, ε = 1e-8 (Kingma & Ba's)."""
    from core.optimizers import OPTIMIZERS

    rate = {"sgd": 0.5, "momentum": 0.05, "adam": 0.01}[name]
    opt = make_optimizer(name, rate) if made == "by name" else OPTIMIZERS[name](rate)
    update = {"sgd": lambda: sgd_reference(constant(rate), 0.0),
              "momentum": lambda: momentum_reference(constant(rate), 0.0, 0.9, False),
              "adam": lambda: adamw_reference(constant(rate), 0.0)}[name]()
    ours = [rng.normal(size=s) for s in SHAPES]
    theirs, states = [p.copy() for p in ours], [{} for _ in SHAPES]
    for t in range(1, 21):
        grads = [rng.normal(size=s) * M for s in SHAPES]
        theirs = [update(p, g / M, st, t, decay=True) for p, g, st in zip(theirs, grads, states)]
        opt.step(ours, [g.copy() for g in grads], M)
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine, reference, rtol=1e-12, atol=1e-13)


def test_an_unknown_optimiser_is_named_in_the_error_with_the_choices():
    from core.errors import ConfigError

    with pytest.raises(ConfigError) as refused:
        make_optimizer("nadam", 0.1)
    message = str(refused.value)
    assert "'nadam'" in message
    assert "sgd, momentum, adam" in message
