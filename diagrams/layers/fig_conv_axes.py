"""A Conv2D kernel and an nn.Conv2d weight: the same numbers, the axes moved

The axes of the page's first snippet's two arrays, each with its size, and an arrow from
each Keras axis to where the copy (`kernel.transpose(axes)`) puts it in PyTorch's weight.
Names, sizes and the move are read from the snippet, which checked that the moved kernel
gives Keras' outputs; the figure checks that every arrow joins two axes of one size.
"""
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from diagrams._style import GATE_COLOURS, TEXT_COLOUR, tint
from snippets.layers import conv_layout

FIGURE_WIDTH = 7.0  # inches: about 390 px on a phone keeps 13 pt text readable
LABEL_SIZE = 13
# Okabe–Ito hues from the shared palette, one per Keras axis (no gates here: the four
# distinct colours, in the palette's own order).
AXIS_COLOURS = list(dict.fromkeys(GATE_COLOURS.values()))[:4]
SAME_AXIS = {"filters": "out_channels"}  # Keras' name for PyTorch's output channels


def column(figure, names, sizes, colours, x, title):
    """One box per axis, top to bottom, its name and its size on one line."""
    for index, (name, size, colour) in enumerate(zip(names, sizes, colours)):
        y = TOP - (index + 1) * ROW
        figure.patches.append(FancyBboxPatch(
            (x, y + 0.015), BOX, ROW - 0.03, boxstyle="round,pad=0,rounding_size=0.02",
            transform=figure.transFigure, facecolor=tint(colour, 0.35), edgecolor=colour,
            linewidth=2))
        figure.text(x + 0.03, y + ROW / 2, name, ha="left", va="center",
                    fontsize=LABEL_SIZE, color=TEXT_COLOUR)
        figure.text(x + BOX - 0.03, y + ROW / 2, str(size), ha="right", va="center",
                    fontsize=LABEL_SIZE, color=TEXT_COLOUR, weight="bold")
    figure.text(x, TOP + 0.02, title, fontsize=LABEL_SIZE, weight="bold", va="bottom",
                linespacing=1.3)


TOP, ROW, BOX = 0.80, 0.19, 0.40  # figure fractions: first box's top, row height, box width
LEFT, RIGHT = 0.01, 0.59


def make_figure() -> Figure:
    layout = conv_layout
    kernel, weight, axes = layout.kernel, layout.weight, layout.axes
    assert layout.largest_difference < 1e-5  # the move the figure draws is the proven copy
    assert kernel.transpose(axes).shape == weight.shape
    for target, source in enumerate(axes):  # each arrow joins one axis to itself
        keras_name, torch_name = layout.keras_axes[source], layout.torch_axes[target]
        assert SAME_AXIS.get(keras_name, keras_name) == torch_name
        assert kernel.shape[source] == weight.shape[target]

    figure = Figure(figsize=(FIGURE_WIDTH, 5.6))
    column(figure, layout.keras_axes, kernel.shape, AXIS_COLOURS, LEFT,
           f"Keras Conv2D\nkernel {kernel.shape}")
    column(figure, layout.torch_axes, weight.shape, [AXIS_COLOURS[s] for s in axes], RIGHT,
           f"PyTorch nn.Conv2d\nweight {weight.shape}")
    for target, source in enumerate(axes):
        figure.patches.append(FancyArrowPatch(
            (LEFT + BOX + 0.01, TOP - (source + 0.5) * ROW),
            (RIGHT - 0.01, TOP - (target + 0.5) * ROW),
            transform=figure.transFigure, arrowstyle="-|>", mutation_scale=18,
            linewidth=2, color=AXIS_COLOURS[source]))
    return figure
