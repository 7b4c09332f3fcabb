"""Keras weights to PyTorch's, block by block: reordered, transposed, the bias split

recurrent.py's keras_to_torch_arrays applied to Keras arrays whose every entry holds its
own column number: each PyTorch cell shows the Keras column it came from. The GRU swaps
its first two blocks; the LSTM keeps its order; both are transposed. The wide layout sets
PyTorch's arrays beside Keras', the narrow one (for phones) under them.
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
# Keras array (the LSTM's four blocks) sets where PyTorch's side starts when it is beside it.
TORCH_LEFT = 4 * UNITS + 3.0
BIAS_WIDTH = 1.7  # a PyTorch bias vector's cells, wider than a weight's to hold its name
TITLE = 2.6  # how far above an array its side's title sits
ZERO = "#f2f2f2"
NOTE = "#444444"
# The Keras block letters the panels draw, each checked against the gate-order proof's
# measurements (the GRU's for the default reset_after=True).
KERAS_PROOFS = {"LSTM": (keras_lstm_proof,), "GRU": (keras_gru_proof, True)}
# Per layout: the figure's width (inches), the cells it spans (left, right), font sizes
# (points), and whether PyTorch's side is beside Keras' or under it. Each keeps its smallest
# lettering at least 11 px on a desktop (wide) and 9 px on a phone (narrow) where it is shown.
LAYOUTS = {
    "wide": {"width": 9.0, "x_range": (-3.2, TORCH_LEFT + INPUT_DIM + 10.6), "beside": True,
             "number": 12, "title": 15, "gate": 15, "block": 11.5, "code": 11.5,
             "torch_gate": 13, "action": 11.5},
    "narrow": {"width": 4.3, "x_range": (-3.2, INPUT_DIM + 9.8), "beside": False,
               "number": 11, "title": 13, "gate": 13, "block": 10, "code": 9.5,
               "torch_gate": 11.5, "action": 10},
}
ARROW = 2.2  # the narrow layout's downward arrow, in cells


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


def cell(ax, x, y, value, kind, fontsize, width=1.0):
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
    ax.text(x + width / 2, y + 0.5, label, ha="center", va="center", fontsize=fontsize)


def outline(ax, x, y, width, height, colour):
    ax.add_patch(
        Rectangle((x, y), width, height, fill=False, edgecolor=colour, linewidth=2.2)
    )


def code_label(ax, x, y, text, fontsize, **options):
    ax.text(x, y, text, family="DejaVu Sans Mono", fontsize=fontsize, **options)


def draw_keras(ax, kind, letters, kernel, bias, top, fonts):
    """Keras' kernel, then bias, columns grouped by gate, the kernel's top at `top`.
    Returns the bias' bottom."""
    columns = kernel.shape[1]
    bias_rows = np.atleast_2d(bias)
    ax.text(-3.0, top - TITLE, f"Keras {kind}", fontsize=fonts["title"], weight="bold",
            va="bottom")
    for i in range(INPUT_DIM):
        for j in range(columns):
            cell(ax, j, top + i, kernel[i, j], kind, fonts["number"])
    bias_top = top + INPUT_DIM + 1.2
    for r, row in enumerate(bias_rows):
        for j in range(columns):
            cell(ax, j, bias_top + r, row[j], kind, fonts["number"])
    for block, gate in enumerate(letters):
        x, colour = block * UNITS, COLOURS[kind][gate]
        outline(ax, x, top, UNITS, INPUT_DIM, colour)
        outline(ax, x, bias_top, UNITS, len(bias_rows), colour)
        ax.text(x + UNITS / 2, top - 0.15, gate, ha="center", va="bottom",
                fontsize=fonts["gate"], weight="bold", color=colour)
        ax.text(x + UNITS / 2, top - 1.0, f"block {block}", ha="center", va="bottom",
                fontsize=fonts["block"], color=colour)
    code_label(ax, -0.3, top + INPUT_DIM / 2, f"kernel\n{kernel.shape}", fonts["code"],
               ha="right", va="center")
    names = ["bias[0]", "bias[1]"] if len(bias_rows) == 2 else [f"bias\n{bias.shape}"]
    for r, name in enumerate(names):
        code_label(ax, -0.3, bias_top + r + 0.5, name, fonts["code"], ha="right",
                   va="center")
    return bias_top + len(bias_rows)


def draw_torch(ax, kind, letters, rows, arrays, sources, corner, title_x, fonts):
    """PyTorch's weight_ih_l0, bias_ih_l0, bias_hh_l0, rows grouped by gate, weight_ih_l0's
    top left at `corner`. Returns the bottom of weight_ih_l0's name."""
    weight_ih, bias_ih, bias_hh = arrays
    left, top = corner
    columns = len(rows)
    bias_ih_x = left + INPUT_DIM + 0.5
    bias_hh_x = bias_ih_x + BIAS_WIDTH + 1.5
    ax.text(title_x, top - TITLE, f"PyTorch nn.{kind}", fontsize=fonts["title"],
            weight="bold", va="bottom")
    for k in range(columns):
        for i in range(INPUT_DIM):
            cell(ax, left + i, top + k, weight_ih[k, i], kind, fonts["number"])
        cell(ax, bias_ih_x, top + k, bias_ih[k], kind, fonts["number"], width=BIAS_WIDTH)
        cell(ax, bias_hh_x, top + k, bias_hh[k], kind, fonts["number"], width=BIAS_WIDTH)
    for block in range(len(letters)):
        gate = letters[rows[block * UNITS] // UNITS]
        y, colour = top + block * UNITS, COLOURS[kind][gate]
        outline(ax, left, y, INPUT_DIM, UNITS, colour)
        outline(ax, bias_ih_x, y, BIAS_WIDTH, UNITS, colour)
        outline(ax, bias_hh_x, y, BIAS_WIDTH, UNITS, colour)
        ax.text(bias_hh_x + BIAS_WIDTH + 0.4, y + UNITS / 2,
                f"{torch_letter(kind, gate)} \u2190 block {letters.index(gate)}", ha="left",
                va="center", fontsize=fonts["torch_gate"], weight="bold", color=colour)
    code_label(ax, left + INPUT_DIM / 2, top + columns + 0.15,
               f"weight_ih_l0\n{weight_ih.shape}", fonts["code"], ha="center", va="top")
    for x, name, came_from in ((bias_ih_x, "bias_ih_l0", sources[0]),
                               (bias_hh_x, "bias_hh_l0", sources[1])):
        code_label(ax, x + BIAS_WIDTH / 2, top - 0.15, f"{name}\n= {came_from}",
                   fonts["code"], ha="center", va="bottom")
    return top + columns + 1.6


def draw_panel(ax, kind, top, layout):
    """One layer's panel, Keras' kernel's top at `top`. Returns the panel's bottom."""
    fonts = LAYOUTS[layout]
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
    two_rows = len(np.atleast_2d(bias)) == 2
    assert [source(value) for value in bias_ih] == [(0, column) for column in rows]
    assert [source(value) for value in bias_hh] == (
        [(1, column) for column in rows] if two_rows else [None] * len(rows)
    )
    columns = kernel.shape[1]
    sources = ("bias[0]", "bias[1]") if two_rows else ("bias", "zeros")
    action = "reorder,\ntranspose" if list(rows) != sorted(rows) else "transpose"

    keras_bottom = draw_keras(ax, kind, letters, kernel, bias, top, fonts)
    arrow = {"arrowstyle": "-|>", "color": NOTE, "linewidth": 1.8}
    if fonts["beside"]:  # Keras left, an arrow right to PyTorch
        corner, title_x = (TORCH_LEFT, top), TORCH_LEFT
        ax.annotate("", xy=(TORCH_LEFT - 0.3, top + 1.0), xytext=(columns + 0.3, top + 1.0),
                    arrowprops=arrow)
        ax.text((columns + TORCH_LEFT) / 2, top + 1.4, action, ha="center", va="top",
                fontsize=fonts["action"], color=NOTE)
    else:  # Keras above, an arrow down to PyTorch
        corner, title_x = (0, keras_bottom + 0.5 + ARROW + 1.5 + TITLE), -3.0
        x = INPUT_DIM / 2
        ax.annotate("", xy=(x, keras_bottom + 0.5 + ARROW), xytext=(x, keras_bottom + 0.5),
                    arrowprops=arrow)
        ax.text(x + 0.5, keras_bottom + 0.5 + ARROW / 2, action, ha="left", va="center",
                fontsize=fonts["action"], color=NOTE)
    torch_bottom = draw_torch(ax, kind, letters, rows, (weight_ih, bias_ih, bias_hh),
                              sources, corner, title_x, fonts)
    return max(keras_bottom, torch_bottom) + 0.2


def make_figure(layout: str) -> Figure:
    # The GRU's reordering here is the one by_hand.py proves against real layers by hand.
    proven = by_hand.z_r_h_to_r_z_h(np.arange(3 * UNITS))
    np.testing.assert_array_equal(proven, torch_rows("GRU", UNITS))
    sizes = LAYOUTS[layout]
    x_range = sizes["x_range"]
    per_cell = sizes["width"] / (x_range[1] - x_range[0])  # inches
    gap = 0.6 / per_cell  # between the panels, in cells
    figure = Figure(figsize=(sizes["width"], 1))  # its height is set once both are drawn
    ax = figure.add_axes((0, 0, 1, 1))
    top = -0.3 + TITLE
    for kind in ("GRU", "LSTM"):
        top = draw_panel(ax, kind, top, layout) + gap + TITLE
    bottom = top - gap - TITLE
    figure.set_size_inches(sizes["width"], (bottom + 0.3) * per_cell)
    ax.set_xlim(*x_range)
    ax.set_ylim(bottom, -0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return figure
