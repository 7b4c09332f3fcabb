"""kernel and recurrent_kernel as matrices, split into gate blocks

The reader's LSTM layer stores each weight as one matrix whose columns hold the four
gates side by side, as blocks 0–3 in the order the gate-order proof accepts. Shading
inside each block is the layer's actual initial values.
"""
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from facts._lstm import GATE_NAMES  # checked against the equations the build runs
from snippets.lstm import gate_order, reader_model

NAME_FONT = {"family": "DejaVu Sans Mono", "weight": "bold", "size": 13}
NOTE_COLOUR = "#444444"
# A few shades are enough to show the values' texture, and keep the embedded images of
# 120 × 480 random numbers small: PNG compresses noise of few levels far better.
SHADES = 5

# Layout in inches. recurrent_kernel is drawn with square cells; kernel (5 rows) and bias
# (1 row) would be slivers at that scale, so they get a fixed, enlarged height instead.
FIGURE_WIDTH = 10.0
MATRIX_LEFT, MATRIX_WIDTH = 2.55, 7.3
KERNEL_HEIGHT, BIAS_HEIGHT, GAP = 0.7, 0.4, 0.45
NOTES_HEIGHT, HEADER_HEIGHT = 0.95, 1.05


def gate_columns(order, units):
    """Each gate's column range (start, stop): block k of `order` holds columns k·units on."""
    return {gate: (k * units, (k + 1) * units) for k, gate in enumerate(order)}


def gate_colour_map(gate):
    """Pale to strong in the gate's own hue: the values read as shades of the block."""
    return LinearSegmentedColormap.from_list(
        f"values_{gate}", [tint(GATE_COLOURS[gate], 0.08), tint(GATE_COLOURS[gate], 0.75)],
        N=SHADES,
    )


def block_label(symbol, gate, block):
    """`W_i  (5, 120)`; a block holding a single value everywhere also says which."""
    label = rf"${symbol}_{gate}$  {block.shape}"
    if np.all(block == block.flat[0]):
        label += f"  all {block.flat[0]:g}"
    return label


def draw_matrix(ax, values, symbol, columns):
    """One weight matrix: each gate block shaded by its values, outlined, labelled.

    `values` may be 1-D (bias): it is drawn as a single row but labelled with its own shape.
    """
    grid = np.atleast_2d(values)
    rows = grid.shape[0]
    norm = Normalize(values.min(), values.max())  # one scale per matrix: blocks compare
    for gate, (start, stop) in columns.items():
        ax.imshow(grid[:, start:stop], extent=(start, stop, rows, 0), norm=norm,
                  cmap=gate_colour_map(gate), aspect="auto", interpolation="nearest")
        ax.add_patch(Rectangle((start, 0), stop - start, rows, fill=False,
                               edgecolor=GATE_COLOURS[gate], linewidth=2.5))
        ax.text((start + stop) / 2, rows / 2, block_label(symbol, gate, values[..., start:stop]),
                ha="center", va="center", fontsize=13,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.85,
                      "edgecolor": "none"})
    ax.set_xlim(0, grid.shape[1])
    ax.set_ylim(rows, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def side_label(ax, name, shape, rows_text):
    """Name and shape of the matrix, then what its rows are, to the left of it."""
    ax.text(-0.03, 0.5, f"{name}\n{shape}", transform=ax.transAxes, ha="right",
            va="bottom" if rows_text else "center", **NAME_FONT)
    if rows_text:
        ax.text(-0.03, 0.45, rows_text, transform=ax.transAxes, ha="right", va="top",
                fontsize=11, color=NOTE_COLOUR, linespacing=1.2)


def make_figure() -> Figure:
    kernel, recurrent_kernel, bias = (
        reader_model.kernel, reader_model.recurrent_kernel, reader_model.bias)
    units, input_dim = reader_model.units, reader_model.input_dim
    order = gate_order.proven_order  # the one order the 24-permutation proof accepts
    columns = gate_columns(accepted(order, gate_order), units)  # what the labels say
    width = len(order) * units  # 4·units columns in every matrix
    assert kernel.shape == (input_dim, width)
    assert recurrent_kernel.shape == (units, width) and bias.shape == (width,)
    # unit_forget_bias: the initial bias is ones in the forget block, zeros elsewhere. The
    # ones must sit under the block this figure labels f, and no other block is all ones.
    for gate, (start, stop) in columns.items():
        assert np.all(bias[start:stop] == 1) == (gate == "f"), (gate, start, stop)

    recurrent_height = MATRIX_WIDTH * recurrent_kernel.shape[0] / recurrent_kernel.shape[1]
    heights = [KERNEL_HEIGHT, recurrent_height, BIAS_HEIGHT]
    figure_height = NOTES_HEIGHT + sum(heights) + 2 * GAP + HEADER_HEIGHT
    figure = Figure(figsize=(FIGURE_WIDTH, figure_height))

    def add_matrix_axes(bottom, height):
        return figure.add_axes((MATRIX_LEFT / FIGURE_WIDTH, bottom / figure_height,
                                MATRIX_WIDTH / FIGURE_WIDTH, height / figure_height))

    bias_ax = add_matrix_axes(NOTES_HEIGHT, BIAS_HEIGHT)
    recurrent_ax = add_matrix_axes(NOTES_HEIGHT + BIAS_HEIGHT + GAP, recurrent_height)
    kernel_ax = add_matrix_axes(NOTES_HEIGHT + BIAS_HEIGHT + recurrent_height + 2 * GAP,
                                KERNEL_HEIGHT)

    draw_matrix(kernel_ax, kernel, "W", columns)
    draw_matrix(recurrent_ax, recurrent_kernel, "U", columns)
    draw_matrix(bias_ax, bias, "b", columns)
    side_label(kernel_ax, "kernel", kernel.shape,
               f"rows: input features\n(input_dim = {input_dim})")
    side_label(recurrent_ax, "recurrent_kernel", recurrent_kernel.shape,
               f"rows: previous hidden\nstate (units = {units})")
    side_label(bias_ax, "bias", bias.shape, "")

    # Gate names and column ranges once, above the top matrix: all three share them.
    for block, (gate, (start, stop)) in enumerate(columns.items()):
        middle = (start + stop) / 2
        kernel_ax.annotate(f"block {block}", (middle, 0), xytext=(0, 50),
                           textcoords="offset points", ha="center", va="bottom",
                           annotation_clip=False)
        kernel_ax.annotate(f"{gate} · {GATE_NAMES[gate]}", (middle, 0), xytext=(0, 30),
                           textcoords="offset points", ha="center", va="bottom",
                           weight="bold", annotation_clip=False)
        kernel_ax.annotate(f"columns {start}:{stop}", (middle, 0), xytext=(0, 8),
                           textcoords="offset points", ha="center", va="bottom",
                           family="DejaVu Sans Mono", fontsize=11, annotation_clip=False)

    kernel_scale = KERNEL_HEIGHT / (MATRIX_WIDTH * input_dim / kernel.shape[1])
    bias_scale = BIAS_HEIGHT / (MATRIX_WIDTH / bias.shape[0])
    bias_ax.text(
        0, -0.7,
        f"All three have 4·units = {width} columns: blocks 0–3 are gates "
        f"{', '.join(order)}, the proven order.\n"
        f"Heights: recurrent_kernel is to scale; kernel is drawn {kernel_scale:.0f}× and bias "
        f"{bias_scale:.0f}× taller so they stay visible.\n"
        "Shading: the layer's initial values, darker = larger.",
        transform=bias_ax.transAxes, va="top", fontsize=10.5, color=NOTE_COLOUR,
    )
    return figure
