"""A GRU's gate blocks in Keras (columns) and in PyTorch (rows, transposed), with both biases

First, the arrays of a Keras GRU with the default reset_after=True: the gates are column
blocks of kernel and recurrent_kernel, and bias has two rows. Then the same sizes in
torch.nn.GRU: the gates are row blocks, in another order, and the two bias rows are two
vectors. The block orders are the ones the two gate-order proofs accept; shading is each
layer's values. The wide layout sets the two libraries side by side, the narrow one (for
phones) PyTorch under Keras.
"""
import textwrap

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
MONO = "DejaVu Sans Mono"
NOTE = "#444444"
SHADES = 5
# Sizes per layout (inches per matrix entry, points): each keeps its smallest lettering at least
# 11 px on a desktop (wide) and 9 px on a phone (narrow) where the figure is shown. A gate's
# name ("h · candidate") must fit over its block of `units` columns.
SIZES = {
    "wide": {"cell": 0.23, "title": 13.5, "gate": 12, "code": 11.5, "name": 12, "note": 11.5,
             "wrap": 100, "side_by_side": True},
    "narrow": {"cell": 0.2, "title": 12, "gate": 10, "code": 9.5, "name": 10, "note": 9.5,
               "wrap": 52, "side_by_side": False},
}
KERAS_GAP, TORCH_GAP = 0.3, 0.3  # inches between arrays


def line(size):
    """The height of a line of lettering `size` points tall, in inches."""
    return size * 1.35 / 72


def colour_map(gate):
    return LinearSegmentedColormap.from_list(
        f"gru_{gate}", [tint(GATE_COLOURS[gate], 0.1), tint(GATE_COLOURS[gate], 0.7)], N=SHADES)


def draw_cells(ax, values, left, top, gates, axis, cell):
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
                    (left + column * cell, top - (row + 1) * cell), cell, cell,
                    facecolor=cmap(norm(values[row, column])), edgecolor="white", linewidth=0.6))
        start, stop = spans[gate]
        if axis == 1:
            box = (left + start * cell, top - rows * cell), (stop - start) * cell, rows * cell
        else:
            box = (left, top - stop * cell), columns * cell, (stop - start) * cell
        ax.add_patch(Rectangle(*box, fill=False, edgecolor=GATE_COLOURS[gate], linewidth=2.2))
    return spans


def draw_keras(ax, arrays, left, top, order, title, sizes):
    """Keras' arrays one under another, gates as column blocks, each array named above it;
    `arrays` is [(name, values)], the title's top left at (left, top). Returns the bottom."""
    cell = sizes["cell"]
    width = arrays[0][1].shape[1] * cell
    ax.text(left + width / 2, top, title, ha="center", va="top", size=sizes["title"],
            weight="bold")
    y = top - line(sizes["title"]) - 0.15
    spans = None
    for name, values in arrays:
        if spans is None:  # the first array's gate headers, then its name
            y -= line(sizes["gate"]) + line(sizes["code"]) + 0.1
            header = y
        ax.text(left, y - 0.06, f"{name} {values.shape}", va="bottom", family=MONO,
                size=sizes["name"], weight="bold")
        y -= 0.08
        spans = draw_cells(ax, values, left, y, order, axis=1, cell=cell)
        if name == "bias":  # what each row is added to
            for row, added_to in enumerate(("x·W", "h·U")):
                ax.text(left + width + 0.06, y - (row + 0.5) * cell, f"[{row}] + {added_to}",
                        va="center", size=sizes["note"], color=NOTE)
        y -= values.shape[0] * cell + KERAS_GAP
    for gate, (start, stop) in spans.items():
        middle = left + (start + stop) / 2 * cell
        ax.text(middle, header + line(sizes["name"]) + 0.06, f"cols {start}:{stop}",
                ha="center", va="bottom", family=MONO, size=sizes["code"])
        ax.text(middle, header + line(sizes["name"]) + line(sizes["code"]) + 0.06,
                f"{gate} · {GATE_NAMES[gate]}", ha="center", va="bottom", weight="bold",
                size=sizes["gate"], color=GATE_COLOURS[gate])
    return y + KERAS_GAP


def draw_torch(ax, arrays, left, top, order, title, sizes):
    """PyTorch's arrays side by side, gates as row blocks (the Keras arrays transposed), each
    named above it, a vector's name turned upright; the title's top left at (left, top).
    Returns the bottom."""
    cell = sizes["cell"]
    names_height = max(len(name) * 0.602 * sizes["code"] / 72 if values.shape[1] == 1
                       else 2.4 * sizes["code"] / 72 for name, values in arrays)
    width = sum(values.shape[1] for _name, values in arrays) * cell + (len(arrays) - 1) * TORCH_GAP
    ax.text(left + width / 2, top, title, ha="center", va="top", size=sizes["title"],
            weight="bold")
    y = top - line(sizes["title"]) - 0.3 - names_height
    x = left
    for name, values in arrays:
        spans = draw_cells(ax, values, x, y, order, axis=0, cell=cell)
        vector = values.shape[1] == 1
        shape = values.shape[:1] if vector else values.shape
        ax.text(x + values.shape[1] * cell / 2, y + 0.1, f"{name}\n{shape}",
                ha="left" if vector else "center", va="bottom", rotation=90 if vector else 0,
                rotation_mode="anchor", linespacing=1.2, family=MONO, size=sizes["code"])
        x += values.shape[1] * cell + TORCH_GAP
    for gate, (start, stop) in spans.items():
        middle = y - (start + stop) / 2 * cell
        ax.text(x - TORCH_GAP + 0.12, middle, f"{gate} · {GATE_NAMES[gate]}", va="bottom",
                weight="bold", size=sizes["gate"], color=GATE_COLOURS[gate])
        ax.text(x - TORCH_GAP + 0.12, middle - 0.04, f"rows {start}:{stop}", va="top",
                family=MONO, size=sizes["code"])
    return y - arrays[0][1].shape[0] * cell


def make_figure(layout: str) -> Figure:
    sizes = SIZES[layout]
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
    keras_arrays = [("kernel", kernel), ("recurrent_kernel", recurrent_kernel), ("bias", bias)]
    torch_arrays = [("weight_ih_l0", weight_ih), ("weight_hh_l0", weight_hh),
                    ("bias_ih_l0", bias_ih[:, None]), ("bias_hh_l0", bias_hh[:, None])]
    keras_title = f"Keras GRU(units={units}), {input_dim} features"
    torch_title = f"PyTorch nn.GRU({input_dim}, {units})"
    note = [textwrap.fill(text, sizes["wrap"], break_on_hyphens=False) for text in (
        "Keras: x · kernel, a column block per gate.  PyTorch: x · weight_ih_l0ᵀ, "
        "the same blocks as rows.",
        "Keras bias row 0 holds what bias_ih_l0 holds, row 1 what bias_hh_l0 holds.")]

    # Widths in inches: Keras' blocks and the notes on its bias rows; PyTorch's arrays and
    # the gate names beside them.
    cell = sizes["cell"]
    keras_width = 3 * units * cell + 0.85 * sizes["note"] / 11.5
    torch_width = (input_dim + units + 2) * cell + 3 * TORCH_GAP + 1.4 * sizes["gate"] / 12
    width = (keras_width + 0.3 + torch_width if sizes["side_by_side"]
             else max(keras_width, torch_width))
    figure = Figure(figsize=(width, 1))  # its height is set once everything is drawn
    ax = figure.add_axes((0, 0, 1, 1))
    ax.axis("off")
    keras_bottom = draw_keras(ax, keras_arrays, 0.05, 0, keras_order, keras_title, sizes)
    # Wide: PyTorch beside Keras; narrow: under it.
    torch_corner = ((keras_width + 0.3, 0) if sizes["side_by_side"]
                    else (0.05, keras_bottom - 0.45))
    bottom = min(keras_bottom, draw_torch(ax, torch_arrays, *torch_corner, torch_order,
                                          torch_title, sizes))
    note = "\n".join(note)
    ax.text(0.05, bottom - 0.3, note, va="top", size=sizes["note"], color=NOTE, linespacing=1.5)
    height = 0.35 - bottom + len(note.splitlines()) * 1.5 * sizes["note"] / 72
    figure.set_size_inches(width, height)
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    return figure
