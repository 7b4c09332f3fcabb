"""Keras weights to PyTorch's, block by block: reordered, transposed, the bias split

recurrent.py's keras_to_torch_arrays applied to Keras arrays whose every entry holds its
own column number: each PyTorch cell shows the Keras column it came from. The GRU swaps
its first two blocks; the LSTM keeps its order; both are transposed.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from facts._convert import keras_letters, torch_letter
from snippets.convert import by_hand
from snippets.lstm import gate_order as keras_lstm_proof
from snippets.rnn import gru_gate_order as keras_gru_proof
from snippets.convert.recurrent import keras_to_torch_arrays, torch_rows

# Each gate letter keeps the colour it has in every figure (diagrams/_style.py).
COLOURS = {"LSTM": GATE_COLOURS, "GRU": GATE_COLOURS}
UNITS, INPUT_DIM = 2, 2  # small enough to number every cell
# Both panels share one layout in cell units, so their cells are the same size: the widest
# Keras array (the LSTM's four blocks) sets where PyTorch's side starts.
TORCH_LEFT = 4 * UNITS + 3.0
X_RANGE = (-3.2, TORCH_LEFT + INPUT_DIM + 10.6)
TOP = -2.7
ZERO = "#f2f2f2"
NOTE = "#444444"
# The Keras block letters the panels draw, each checked against the gate-order proof's
# measurements (the GRU's for the default reset_after=True).
KERAS_PROOFS = {"LSTM": (keras_lstm_proof,), "GRU": (keras_gru_proof, True)}


def index_arrays(kind):
    """Keras arrays that hold 1 + their column number (+ 100 on the GRU's recurrent row)."""
    columns = len(keras_letters(kind)) * UNITS
    numbers = np.arange(1, columns + 1, dtype=float)  # the converter refuses integers
    kernel = np.tile(numbers, (INPUT_DIM, 1))
    recurrent_kernel = np.tile(numbers, (UNITS, 1))
    bias = numbers
    if kind == "GRU":
        bias = np.stack([bias, bias + 100])
    return kernel, recurrent_kernel, bias


def source(value):
    """(Keras bias row, Keras column) an entry came from; None for a zero."""
    return None if value == 0 else (int(value) // 100, int(value) % 100 - 1)


def cell(ax, x, y, value, kind, width=1.0):
    """One cell at (x, y) (top-left corner, y downward), filled by the gate of its column."""
    found = source(value)
    if found is None:
        fill, label = ZERO, "0"
    else:
        gate = keras_letters(kind)[found[1] // UNITS]
        fill, label = tint(COLOURS[kind][gate], 0.35), str(found[1])
    ax.add_patch(
        Rectangle((x, y), width, 1, facecolor=fill, edgecolor="white", linewidth=1.5)
    )
    ax.text(x + width / 2, y + 0.5, label, ha="center", va="center", fontsize=12)


def outline(ax, x, y, width, height, colour):
    ax.add_patch(
        Rectangle((x, y), width, height, fill=False, edgecolor=colour, linewidth=2.2)
    )


def code_label(ax, x, y, text, fontsize=11, **options):
    ax.text(x, y, text, family="DejaVu Sans Mono", fontsize=fontsize, **options)


def draw_panel(ax, kind):
    letters = list(accepted(keras_letters(kind), *KERAS_PROOFS[kind]))
    kernel, recurrent_kernel, bias = index_arrays(kind)
    weight_ih, weight_hh, bias_ih, bias_hh = keras_to_torch_arrays(
        kind, kernel, recurrent_kernel, bias
    )
    rows = torch_rows(kind, UNITS)
    # What the figure shows is what the converter did: row k of weight_ih_l0 is kernel
    # column rows[k] in every cell, and so is entry k of each bias, from the bias row named.
    assert weight_ih.shape == kernel.shape[::-1]
    assert all(
        source(value)[1] == rows[k] for k, row in enumerate(weight_ih) for value in row
    )
    bias_rows = np.atleast_2d(bias)
    two_rows = len(bias_rows) == 2
    assert [source(value) for value in bias_ih] == [(0, column) for column in rows]
    assert [source(value) for value in bias_hh] == (
        [(1, column) for column in rows] if two_rows else [None] * len(rows)
    )
    columns = kernel.shape[1]

    # Keras, left: kernel, then bias; columns grouped by gate.
    ax.text(-3.0, -2.6, f"Keras {kind}", fontsize=15, weight="bold", va="bottom")
    for i in range(INPUT_DIM):
        for j in range(columns):
            cell(ax, j, i, kernel[i, j], kind)
    bias_top = INPUT_DIM + 1.2
    for r, row in enumerate(bias_rows):
        for j in range(columns):
            cell(ax, j, bias_top + r, row[j], kind)
    for block, gate in enumerate(letters):
        x, colour = block * UNITS, COLOURS[kind][gate]
        outline(ax, x, 0, UNITS, INPUT_DIM, colour)
        outline(ax, x, bias_top, UNITS, len(bias_rows), colour)
        ax.text(
            x + UNITS / 2,
            -0.15,
            gate,
            ha="center",
            va="bottom",
            fontsize=15,
            weight="bold",
            color=colour,
        )
        ax.text(
            x + UNITS / 2,
            -1.0,
            f"block {block}",
            ha="center",
            va="bottom",
            fontsize=11,
            color=colour,
        )
    code_label(
        ax, -0.3, INPUT_DIM / 2, f"kernel\n{kernel.shape}", ha="right", va="center"
    )
    names = ["bias[0]", "bias[1]"] if two_rows else [f"bias\n{bias.shape}"]
    for r, name in enumerate(names):
        code_label(ax, -0.3, bias_top + r + 0.5, name, ha="right", va="center")

    # PyTorch, right: weight_ih_l0, bias_ih_l0, bias_hh_l0; rows grouped by gate.
    left, bias_width = TORCH_LEFT, 1.7
    bias_ih_x = left + INPUT_DIM + 0.5
    bias_hh_x = bias_ih_x + bias_width + 1.5
    ax.text(left, -2.6, f"PyTorch nn.{kind}", fontsize=15, weight="bold", va="bottom")
    for k in range(columns):
        for i in range(INPUT_DIM):
            cell(ax, left + i, k, weight_ih[k, i], kind)
        cell(ax, bias_ih_x, k, bias_ih[k], kind, width=bias_width)
        cell(ax, bias_hh_x, k, bias_hh[k], kind, width=bias_width)
    for block in range(len(letters)):
        gate = letters[rows[block * UNITS] // UNITS]
        top, colour = block * UNITS, COLOURS[kind][gate]
        outline(ax, left, top, INPUT_DIM, UNITS, colour)
        outline(ax, bias_ih_x, top, bias_width, UNITS, colour)
        outline(ax, bias_hh_x, top, bias_width, UNITS, colour)
        ax.text(
            bias_hh_x + bias_width + 0.4,
            top + UNITS / 2,
            f"{torch_letter(kind, gate)} \u2190 block {letters.index(gate)}",
            ha="left",
            va="center",
            fontsize=13,
            weight="bold",
            color=colour,
        )
    code_label(
        ax,
        left + INPUT_DIM / 2,
        columns + 0.15,
        f"weight_ih_l0\n{weight_ih.shape}",
        ha="center",
        va="top",
    )
    sources = ("bias[0]", "bias[1]") if two_rows else ("bias", "zeros")
    for x, name, came_from in (
        (bias_ih_x, "bias_ih_l0", sources[0]),
        (bias_hh_x, "bias_hh_l0", sources[1]),
    ):
        code_label(
            ax,
            x + bias_width / 2,
            -0.15,
            f"{name}\n= {came_from}",
            ha="center",
            va="bottom",
            fontsize=10,
        )
    action = "reorder,\ntranspose" if list(rows) != sorted(rows) else "transpose"
    ax.annotate(
        "",
        xy=(left - 0.3, 1.0),
        xytext=(columns + 0.3, 1.0),
        arrowprops={"arrowstyle": "-|>", "color": NOTE, "linewidth": 1.8},
    )
    ax.text(
        (columns + left) / 2,
        1.4,
        action,
        ha="center",
        va="top",
        fontsize=11,
        color=NOTE,
    )
    bottom = max(columns + 1.6, bias_top + len(bias_rows)) + 0.2
    ax.set_xlim(*X_RANGE)
    ax.set_ylim(bottom, TOP)
    ax.set_aspect("equal")
    ax.axis("off")
    return bottom - TOP  # the panel's height in cells


def make_figure() -> Figure:
    # The GRU's reordering here is the one by_hand.py proves against real layers by hand.
    proven = by_hand.z_r_h_to_r_z_h(np.arange(3 * UNITS))
    np.testing.assert_array_equal(proven, torch_rows("GRU", UNITS))
    width = 9.0  # inches
    per_cell = width / (X_RANGE[1] - X_RANGE[0])
    heights = {
        "GRU": 10.5,
        "LSTM": 12.5,
    }  # in cells, checked against what each panel draws
    gap = 0.6  # inches between the panels
    figure_height = sum(heights.values()) * per_cell + gap
    figure = Figure(figsize=(width, figure_height))
    bottom = figure_height
    for kind, height in heights.items():
        bottom -= height * per_cell
        ax = figure.add_axes(
            (0, bottom / figure_height, 1, height * per_cell / figure_height)
        )
        assert draw_panel(ax, kind) == height, kind
        bottom -= gap
    return figure
