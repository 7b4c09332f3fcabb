"""A Dense kernel and an nn.Linear weight: the same numbers, transposed

The two arrays of the page's first snippet, after its copy: each input's numbers are a row
of the Keras kernel and a column of the PyTorch weight, one colour per input. Shapes, axis
names and values are read from the layers, and the figure checks that the weight it draws
is the kernel transposed.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._style import GATE_COLOURS, TEXT_COLOUR, tint
from snippets.layers import dense_layout

FIGURE_WIDTH = 7.0  # inches: about 390 px on a phone keeps 14 pt text readable
LABEL_SIZE = 14
CELL_TEXT_SIZE = 13
# Okabe–Ito hues from the shared palette, one per input feature.
INPUT_COLOURS = [GATE_COLOURS["i"], GATE_COLOURS["f"], GATE_COLOURS["c"]]


def draw(ax, array, colour_of, title, row_label, column_label):
    """One cell per number, printed on the colour of the input it belongs to."""
    rows, columns = array.shape
    for r in range(rows):
        for c in range(columns):
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=tint(colour_of(r, c), 0.45),
                                   edgecolor="white", linewidth=1.5))
            ax.text(c + 0.5, r + 0.5, f"{array[r, c]:.2f}", ha="center", va="center",
                    fontsize=CELL_TEXT_SIZE, color=TEXT_COLOUR)
    ax.set_xlim(0, columns)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(columns) + 0.5, [str(c) for c in range(columns)],
                  fontsize=LABEL_SIZE)
    ax.set_yticks(np.arange(rows) + 0.5, [str(r) for r in range(rows)], fontsize=LABEL_SIZE)
    ax.set_xlabel(column_label, fontsize=LABEL_SIZE, labelpad=8)
    ax.set_ylabel(row_label, fontsize=LABEL_SIZE)
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    ax.xaxis.set_ticks_position("top")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=LABEL_SIZE, loc="left", pad=48, weight="bold")


def make_figure() -> Figure:
    layout = dense_layout
    kernel = layout.kernel
    weight = layout.linear.weight.detach().numpy()
    np.testing.assert_array_equal(weight, kernel.T)  # what the figure says: a transpose
    inputs_axis = layout.keras_axes.index("inputs")
    in_axis = layout.torch_axes.index("in_features")
    assert kernel.shape[inputs_axis] == weight.shape[in_axis] == len(INPUT_COLOURS)
    assert np.abs(kernel).min() >= 0.005  # none prints as 0.00

    figure = Figure(figsize=(FIGURE_WIDTH, 8.2))
    keras_ax = figure.add_axes((0.16, 0.58, 0.78, 0.27))
    torch_ax = figure.add_axes((0.16, 0.04, 0.78, 0.36))

    def input_of(axis):
        return lambda r, c: INPUT_COLOURS[(r, c)[axis]]

    draw(keras_ax, kernel, input_of(inputs_axis),
         f"Keras Dense: kernel, shape {kernel.shape}",
         layout.keras_axes[0], layout.keras_axes[1])
    draw(torch_ax, weight, input_of(in_axis),
         f"PyTorch nn.Linear: weight, shape {weight.shape}",
         layout.torch_axes[0], layout.torch_axes[1])
    figure.text(0.02, 0.995, "The same numbers, transposed", fontsize=15, weight="bold",
                va="top")
    return figure
