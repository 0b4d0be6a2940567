"""The live training plots (pyqtgraph): curves, legends, ranges, axis, export."""
