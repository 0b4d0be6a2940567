"""ffn-gui's engine: a feed-forward network written from scratch in NumPy.

"The notes" (in docstrings and comments) are the owner's notes on a Nielsen-style network:
784-128-128-10 sigmoid neurons, the quadratic cost, backpropagation's four equations BP1-BP4
and mini-batch gradient descent w ← w − (α/m)Σ∇w. ``core`` implements them exactly; their
settings are the preset ``training.NOTES_PRESET`` (called "seed" by the command line and the
window, and unrelated to the random ``seed`` of a training config).

Never imports Qt. A batch is rows: ``X.shape == (N, 784)``, values in [0, 1].
"""
