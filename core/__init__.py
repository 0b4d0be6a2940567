"""ffn-gui's engine: a feed-forward network written from scratch in NumPy.

Never imports Qt. A batch is rows: ``X.shape == (N, 784)``, values in [0, 1].
"""
