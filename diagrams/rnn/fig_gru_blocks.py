"""A GRU's gate blocks in Keras (columns) and in PyTorch (rows, transposed), with both biases

Left, the arrays of a Keras GRU with the default reset_after=True: the gates are column
blocks of kernel and recurrent_kernel, and bias has two rows. Right, the same sizes in
torch.nn.GRU: the gates are row blocks, in another order, and the two bias rows are two
vectors. The block orders are the ones the two gate-order proofs accept; shading is each
layer's values.
"""
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from snippets.pytorch import gru_gate_order as torch_proof
from snippets.rnn import gru_gate_order as keras_proof

# What each axis draws: Keras' blocks are columns (axis 1), PyTorch's rows (axis 0), each in
# the order its own proof accepts (the Keras one for the default reset_after=True). draw_cells
# checks every call against the proof's measurements.
PROOF = {1: (keras_proof, True), 0: (torch_proof,)}
GATE_NAMES = {"z": "update", "r": "reset", "h": "candidate", "n": "candidate"}
NAME_FONT = {"family": "DejaVu Sans Mono", "weight": "bold", "size": 11.5}
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 10.5}
NOTE = "#444444"
CELL = 0.24  # inches per matrix entry
KERAS_GAP, TORCH_GAP = 0.4, 0.3
SHADES = 5


def colour_map(gate):
    return LinearSegmentedColormap.from_list(
        f"gru_{gate}", [tint(GATE_COLOURS[gate], 0.1), tint(GATE_COLOURS[gate], 0.7)], N=SHADES)


def draw_cells(ax, values, left, top, gates, axis):
    """`values` (2-D) with its top-left corner at (left, top); entries of gate block k along
    `axis` take gate k's colour, shaded by value. Returns each block's (start, stop)."""
    rows, columns = values.shape
    gates = accepted(gates, *PROOF[axis])
    size = values.shape[axis] // len(gates)
    norm = Normalize(values.min(), values.max())
    spans = {}
    for k, gate in enumerate(gates):
        spans[gate] = (k * size, (k + 1) * size)
        cmap = colour_map(gate)
        for row in range(rows):
            for column in range(columns):
                if (row, column)[axis] // size != k:
                    continue
                ax.add_patch(Rectangle(
                    (left + column * CELL, top - (row + 1) * CELL), CELL, CELL,
                    facecolor=cmap(norm(values[row, column])), edgecolor="white", linewidth=0.6))
        start, stop = spans[gate]
        if axis == 1:
            box = (left + start * CELL, top - rows * CELL), (stop - start) * CELL, rows * CELL
        else:
            box = (left, top - stop * CELL), columns * CELL, (stop - start) * CELL
        ax.add_patch(Rectangle(*box, fill=False, edgecolor=GATE_COLOURS[gate], linewidth=2.2))
    return spans


def make_figure() -> Figure:
    keras_order = keras_proof.proven_order  # accepted by the Keras proof, both variants
    torch_order = torch_proof.proven_order  # accepted by the PyTorch proof
    kernel, recurrent_kernel, bias = keras_proof.weights[True]
    weight_ih, weight_hh = torch_proof.weight_ih, torch_proof.weight_hh
    bias_ih, bias_hh = torch_proof.bias_ih, torch_proof.bias_hh
    units, input_dim = keras_proof.units, keras_proof.input_dim
    assert (torch_proof.hidden_size, torch_proof.input_size) == (units, input_dim)
    assert kernel.shape == weight_ih.shape[::-1] == (input_dim, 3 * units)
    assert recurrent_kernel.shape == weight_hh.shape[::-1] == (units, 3 * units)
    assert bias.shape == (2, 3 * units) and bias_ih.shape == bias_hh.shape == (3 * units,)

    width = 3 * units * CELL
    keras_left = 1.95
    torch_left = keras_left + width + 0.95
    top = 0.0
    torch_columns = input_dim + units + 2
    torch_width = torch_columns * CELL + 3 * TORCH_GAP
    figure_right = torch_left + torch_width + 1.05
    keras_height = (input_dim + units + 2) * CELL + 2 * KERAS_GAP
    bottom = -max(keras_height + 1.2, 3 * units * CELL + 1.0)
    figure = Figure(figsize=(figure_right, 1.3 - bottom))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, figure_right)
    ax.set_ylim(bottom, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")

    # Keras: three arrays stacked, gates as column blocks.
    ax.text(keras_left + width / 2, 1.1, f"Keras GRU(units={units}), {input_dim} features",
            ha="center", va="center", size=13, weight="bold")
    y = top
    for name, values in (("kernel", kernel), ("recurrent_kernel", recurrent_kernel),
                         ("bias", bias)):
        spans = draw_cells(ax, values, keras_left, y, keras_order, axis=1)
        ax.text(keras_left - 0.1, y - values.shape[0] * CELL / 2,
                f"{name}\n{values.shape}", ha="right", va="center", linespacing=1.3,
                **NAME_FONT)
        if name == "bias":  # what each row is added to
            for row, added_to in enumerate(("x·W", "h·U")):
                ax.text(keras_left + width + 0.06, y - (row + 0.5) * CELL,
                        f"[{row}] + {added_to}", va="center", size=9.5, color=NOTE)
        y -= values.shape[0] * CELL + KERAS_GAP
    for gate, (start, stop) in spans.items():
        middle = keras_left + (start + stop) / 2 * CELL
        ax.text(middle, top + 0.55, f"{gate} · {GATE_NAMES[gate]}", ha="center",
                va="center", weight="bold", size=12, color=GATE_COLOURS[gate])
        ax.text(middle, top + 0.22, f"cols {start}:{stop}", ha="center", va="center",
                **CODE_FONT)

    # PyTorch: four arrays side by side, gates as row blocks (the Keras arrays transposed).
    ax.text(torch_left + torch_width / 2 + 0.4, 1.1, f"PyTorch nn.GRU({input_dim}, {units})",
            ha="center", va="center", size=13, weight="bold")
    x = torch_left
    for name, values in (("weight_ih_l0", weight_ih), ("weight_hh_l0", weight_hh),
                         ("bias_ih_l0", bias_ih[:, None]), ("bias_hh_l0", bias_hh[:, None])):
        spans = draw_cells(ax, values, x, top, torch_order, axis=0)
        vector = values.shape[1] == 1
        shape = values.shape[:1] if vector else values.shape
        ax.text(x + values.shape[1] * CELL / 2, top + 0.1, f"{name}\n{shape}",
                ha="left" if vector else "center", va="bottom", rotation=90 if vector else 0,
                rotation_mode="anchor", linespacing=1.2, **CODE_FONT)
        x += values.shape[1] * CELL + TORCH_GAP
    for gate, (start, stop) in spans.items():
        middle = top - (start + stop) / 2 * CELL
        ax.text(x - TORCH_GAP + 0.12, middle + 0.15, f"{gate} · {GATE_NAMES[gate]}",
                va="center", weight="bold", size=12, color=GATE_COLOURS[gate])
        ax.text(x - TORCH_GAP + 0.12, middle - 0.17, f"rows {start}:{stop}", va="center",
                **CODE_FONT)
    ax.text(0.05, bottom + 0.08,
            "Keras: x · kernel, a column block per gate.  PyTorch: x · weight_ih_l0ᵀ, "
            "the same blocks as rows.\nKeras bias row 0 holds what bias_ih_l0 holds, "
            "row 1 what bias_hh_l0 holds.",
            va="bottom", size=10.5, color=NOTE, linespacing=1.5)
    return figure
