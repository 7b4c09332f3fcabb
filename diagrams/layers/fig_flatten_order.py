"""The same feature map flattened by Keras and by PyTorch: the values in another order

The page's snippet flattens a map whose values are their own indices with each library.
Each cell here is one value of the flat vector, in the order the library lists it, coloured
by the channel it came from and labelled with that channel: Keras' channels change at each
value, PyTorch's only after a whole height-by-width plane. Read from the snippet's two
flat vectors; the figure checks that both hold the same values and that their orders are
the ones the facts name.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._style import GATE_COLOURS, TEXT_COLOUR, tint
from facts.layers import flatten as flatten_facts
from snippets.layers import flatten_order

FIGURE_WIDTH = 7.0  # inches: about 390 px on a phone keeps the 13 pt lettering readable
LABEL_SIZE = 13
CELL_SIZE = 13  # about 9 px on a 358 px wide phone column
PER_ROW = 12  # cells per row: a flat vector of 24 values in two rows
CHANNEL_COLOURS = list(dict.fromkeys(GATE_COLOURS.values()))  # distinct Okabe–Ito hues


def channels(flat: np.ndarray, sizes: tuple[int, int, int]) -> np.ndarray:
    """The channel of each value of a flat vector whose values are (h, w, c) indices."""
    return np.unravel_index(flat.astype(int), sizes)[2]


def strip(figure, top, flat, sizes, title):
    """The flat vector as rows of cells, each coloured and labelled by its channel."""
    figure.text(0.01, top, title, fontsize=LABEL_SIZE, weight="bold", va="top")
    cell = 0.98 / PER_ROW
    for index, channel in enumerate(channels(flat, sizes)):
        row, place = divmod(index, PER_ROW)
        x, y = 0.01 + place * cell, top - 0.12 - (row + 1) * 0.15
        colour = CHANNEL_COLOURS[channel]
        figure.patches.append(Rectangle((x, y), cell * 0.94, 0.14,
                                        transform=figure.transFigure,
                                        facecolor=tint(colour, 0.45), edgecolor=colour,
                                        linewidth=1.5))
        figure.text(x + cell * 0.47, y + 0.07, f"c{channel}", ha="center", va="center",
                    fontsize=CELL_SIZE, color=TEXT_COLOUR)


def make_figure() -> Figure:
    order = flatten_order
    sizes = (order.h, order.w, order.c)
    assert sorted(order.keras_flat) == sorted(order.torch_flat)  # the same values
    assert order.c <= len(CHANNEL_COLOURS)
    keras_names = flatten_facts.listed_as(order.keras_flat, sizes)
    torch_names = flatten_facts.listed_as(order.torch_flat, sizes)
    assert keras_names != torch_names
    figure = Figure(figsize=(FIGURE_WIDTH, 3.5))
    strip(figure, 0.97, order.keras_flat, sizes,
          "Keras Flatten: (" + ", ".join(keras_names) + ")")
    strip(figure, 0.48, order.torch_flat, sizes,
          "PyTorch nn.Flatten: (" + ", ".join(torch_names) + ")")
    return figure
