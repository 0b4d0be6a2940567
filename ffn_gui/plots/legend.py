"""The training plots' legends: a row under each plot (outside the data, so they never cover
the last points), with tight labels, wrapping into as many columns as fit the plot's width.
"""

from __future__ import annotations

import pyqtgraph as pg

SAMPLE_PX = 24  # a legend entry's sample and spacing, besides its label


def legend_width(widths: list[float], columns: int) -> float:
    """The width of legend entries of ``widths`` laid out in ``columns`` columns, row by row
    (each column as wide as its widest entry)."""
    return sum(max(widths[c::columns]) for c in range(min(columns, len(widths))))


def tight(label: pg.LabelItem) -> None:
    """A legend label without the text's 4 px margins all round (the entries fit one row)."""
    label.item.document().setDocumentMargin(1)
    label.resizeEvent(None)


def make_legend(graphics: pg.GraphicsLayoutWidget, col: int) -> pg.LegendItem:
    """A legend in the second row of ``graphics``, under the plot in column ``col``."""
    legend = pg.LegendItem(offset=None, colCount=2, labelTextSize="8pt", verSpacing=-6,
                           horSpacing=2)
    graphics.addItem(legend, row=1, col=col)
    return legend


def fit_columns(legend: pg.LegendItem, room: float) -> None:
    """As many columns as fit in ``room`` pixels (the entries wrap, never clip): one row when
    the entries side by side fit."""
    widths = [SAMPLE_PX + label.item.boundingRect().width() for _sample, label in legend.items]
    columns = next((c for c in range(len(widths), 1, -1)
                    if legend_width(widths, c) <= room), 1)
    if columns != legend.columnCount:
        legend.setColumnCount(columns)
