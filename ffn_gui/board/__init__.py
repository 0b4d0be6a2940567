"""The drawing board: the canvas, its strokes' history, its painting and the ink."""
