"""The LSTM cell: where kernel, recurrent_kernel and bias enter each gate

One time step of the reader's LSTM layer, its gates stacked in storage order as blocks
0–3. Each gate reads x_t through its columns of kernel (W), h_{t-1} through its columns of
recurrent_kernel (U), and adds its slice of bias (b); the ⊙, + and the activation of c_t on
the right hold no weights. Each activation drawn is the one the reader's layer object holds.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
import keras

from facts._lstm import ACTIVATION, GATE_NAMES  # checked against the equations the build runs
from snippets.lstm import gate_order, reader_model

LINE = "#333333"
TITLE_FONT = {"size": 15, "weight": "bold"}
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 13}
SYMBOL_SIZE = 17  # x_t, h_{t-1}, c_t, i_t, ...: the names the eye follows
NODE_RADIUS = 0.2

# How an activation function is written, by its name.
ACTIVATION_SYMBOL = {"sigmoid": r"$\sigma$", "tanh": r"$\tanh$", "relu": "relu"}
OUTPUT_SYMBOL = {"i": r"$i_t$", "f": r"$f_t$", "c": r"$\tilde{c}_t$", "o": r"$o_t$"}

# Layout in inches (the axes span the figure at equal aspect). Cards stack top down in
# storage order; within a card the kernel, recurrent_kernel and bias lines each take the
# wire that feeds them: x_t's from the outer bus, h_{t-1}'s from the inner one, b's own.
X_BUS, H_BUS, LETTER_X = 0.0, 0.45, 0.92
CARD_LEFT, CARD_WIDTH = 1.3, 3.6
TITLE_DROP, FIRST_LINE_DROP, LINE_STEP, CARD_HEIGHT = 0.3, 0.66, 0.29, 1.36
CARD_GAP = 0.22
CELL_RISE = 0.6  # from the top card to the cell-state line
CARD_RIGHT = CARD_LEFT + CARD_WIDTH
FORGET_X, WRITE_X, OUTPUT_X = CARD_RIGHT + 0.62, CARD_RIGHT + 1.25, CARD_RIGHT + 1.82
RIGHT_END = CARD_RIGHT + 2.2
OVER = 3  # zorder of a wire that passes over another: above the gap `bridge` cuts


def gate_columns(order, units):
    """Each gate's column range (start, stop): block k of `order` holds columns k·units on."""
    return {gate: (k * units, (k + 1) * units) for k, gate in enumerate(order)}


def checked_columns(order, units, kernel, recurrent_kernel, bias):
    """The column ranges the cards print, each checked against what np.split returns.

    np.split is how the gate-order proof cuts the weights into gates, so a range printed
    here is the block that proof feeds to that gate.
    """
    width = kernel.shape[1]
    columns = gate_columns(accepted(order, gate_order), units)
    index_blocks = np.split(np.arange(width), len(order))
    weight_blocks = [np.split(weight, len(order), axis=-1)
                     for weight in (kernel, recurrent_kernel, bias)]
    assert len(index_blocks) == len(columns) == len(order)
    for k, (gate, (start, stop)) in enumerate(columns.items()):
        assert np.array_equal(index_blocks[k], np.arange(start, stop)), gate
        for weight, blocks in zip((kernel, recurrent_kernel, bias), weight_blocks):
            assert np.array_equal(weight[..., start:stop], blocks[k]), gate
    return columns


def wire(ax, *points, arrow=True, zorder=2):
    """A polyline through `points`, with an arrowhead at the last one."""
    ax.add_patch(
        FancyArrowPatch(
            path=Path(points),
            arrowstyle="-|>" if arrow else "-",
            mutation_scale=15,
            color=LINE,
            linewidth=1.7,
            shrinkA=0,
            shrinkB=0,
            zorder=zorder,
        )
    )


def bridge(ax, x, y):
    """Where two wires cross unjoined, the horizontal one passes over: a gap in the other."""
    half = 0.1
    ax.add_patch(Rectangle((x - 0.05, y - half), 0.1, 2 * half, color="white",
                           zorder=OVER - 0.5))


def junction(ax, x, y):
    ax.add_patch(Circle((x, y), 0.05, color=LINE, zorder=4))


def node(ax, x, y, kind):
    """An element-wise node drawn as geometry, not a font glyph: ⊙ (product) or + (sum)."""
    ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor="white", edgecolor=LINE, lw=1.7,
                        zorder=4))
    if kind == "product":
        ax.add_patch(Circle((x, y), 0.045, color=LINE, zorder=5))
    else:
        arm = NODE_RADIUS * 0.6
        ax.plot([x - arm, x + arm], [y, y], color=LINE, lw=1.7, zorder=5)
        ax.plot([x, x], [y - arm, y + arm], color=LINE, lw=1.7, zorder=5)


def wire_letter(ax, x, y, text):
    """A weight's name written on the wire it multiplies: x_t ─W─▶."""
    ax.text(x, y, text, ha="center", va="center", size=SYMBOL_SIZE - 1, zorder=6,
            bbox={"boxstyle": "square,pad=0.08", "facecolor": "white", "edgecolor": "none"})


def layer_activations(layer):
    """{gate: its activation's symbol, "c_t": that of the cell state's}, from `layer`.

    The checked equations write the default layer: a sigmoid where Keras applies
    `recurrent_activation`, tanh where it applies `activation` (asserted on a default layer),
    so each symbol drawn is the function the reader's layer object holds in that place.
    """
    default = keras.layers.LSTM(1)
    roles = {"sigmoid": "recurrent_activation", "tanh": "activation"}
    for written, role in roles.items():
        assert getattr(default, role).__name__ == written, (role, written)
    drawn = {gate: ACTIVATION_SYMBOL[getattr(layer, roles[ACTIVATION[gate]]).__name__]
             for gate in ACTIVATION}
    drawn["c_t"] = ACTIVATION_SYMBOL[layer.activation.__name__]  # h_t = o_t ⊙ activation(c_t)
    return drawn


def gate_card(ax, top, block, gate, columns, activation):
    """A gate box in its colour: block number, name, activation, and its weight slices."""
    start, stop = columns
    colour = GATE_COLOURS[gate]
    ax.add_patch(
        FancyBboxPatch(
            (CARD_LEFT, top - CARD_HEIGHT), CARD_WIDTH, CARD_HEIGHT,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=tint(colour, 0.28), edgecolor=colour, linewidth=2.6, zorder=3,
        )
    )
    text_x = CARD_LEFT + 0.14
    ax.text(text_x, top - TITLE_DROP, f"block {block} · {GATE_NAMES[gate]}", va="center",
            zorder=6, **TITLE_FONT)
    slices = (f"kernel[:, {start}:{stop}]",
              f"recurrent_kernel[:, {start}:{stop}]",
              f"bias[{start}:{stop}]")
    for line, text in enumerate(slices):
        ax.text(text_x, port_y(top, line), text, va="center", zorder=6, **CODE_FONT)
    # The activation sits where the gate's output leaves, after the short kernel line.
    ax.text(CARD_RIGHT - 0.14, port_y(top, 0), activation, ha="right", va="center",
            size=SYMBOL_SIZE, zorder=6)


def port_y(top, line):
    """Height of a card's text line 0 (kernel), 1 (recurrent_kernel) or 2 (bias)."""
    return top - FIRST_LINE_DROP - line * LINE_STEP


def make_figure() -> Figure:
    kernel, recurrent_kernel, bias = (
        reader_model.kernel, reader_model.recurrent_kernel, reader_model.bias)
    units, input_dim = reader_model.units, reader_model.input_dim
    order = gate_order.proven_order  # the one order the 24-permutation proof accepts
    assert kernel.shape == (input_dim, len(order) * units)
    assert recurrent_kernel.shape == (units, len(order) * units)
    assert bias.shape == (len(order) * units,)
    columns = checked_columns(order, units, kernel, recurrent_kernel, bias)
    layer = reader_model.model.get_layer("lstm")
    activations = layer_activations(layer)

    tops = {gate: -k * (CARD_HEIGHT + CARD_GAP) for k, gate in enumerate(order)}
    out_y = {gate: port_y(top, 0) for gate, top in tops.items()}  # each gate's output
    cell_y = CELL_RISE
    h_source = min(tops.values()) - CARD_HEIGHT - 0.3
    x_source = h_source - 0.4
    left, right = X_BUS - 0.75, RIGHT_END + 0.45
    low, high = x_source - 0.25, cell_y + 0.3

    figure = Figure(figsize=(right - left, high - low))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(left, right)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    ax.axis("off")

    # Inputs: x_t and h_{t-1} climb separate buses; each gate takes its own branch of each,
    # through its block of kernel (W) and of recurrent_kernel (U), and adds its bias (b).
    first = order[0]
    wire(ax, (X_BUS, x_source), (X_BUS, port_y(tops[first], 0)), arrow=False)
    wire(ax, (H_BUS, h_source), (H_BUS, port_y(tops[first], 1)), arrow=False)
    for x, y, text in ((X_BUS, x_source, rf"$x_t$  (input_dim = {input_dim})"),
                       (H_BUS, h_source, rf"$h_{{t-1}}$  (units = {units})")):
        junction(ax, x, y)
        ax.text(x + 0.14, y, text, ha="left", va="center", size=SYMBOL_SIZE - 2)
    for block, gate in enumerate(order):
        top = tops[gate]
        kernel_y, recurrent_y, bias_y = (port_y(top, line) for line in range(3))
        wire(ax, (X_BUS, kernel_y), (CARD_LEFT, kernel_y), zorder=OVER)
        wire(ax, (H_BUS, recurrent_y), (CARD_LEFT, recurrent_y))
        wire(ax, (LETTER_X + 0.15, bias_y), (CARD_LEFT, bias_y))
        if gate != first:
            junction(ax, X_BUS, kernel_y)
            junction(ax, H_BUS, recurrent_y)
            bridge(ax, H_BUS, kernel_y)  # x_t's branch over h_{t-1}'s bus
        wire_letter(ax, LETTER_X, kernel_y, rf"$W_{gate}$")
        wire_letter(ax, LETTER_X, recurrent_y, rf"$U_{gate}$")
        ax.text(LETTER_X, bias_y, rf"$b_{gate}$", ha="center", va="center",
                size=SYMBOL_SIZE - 1, zorder=6)
        gate_card(ax, top, block, gate, columns[gate], activations[gate])
        ax.text(CARD_RIGHT + 0.1, out_y[gate] + 0.06, OUTPUT_SYMBOL[gate], va="bottom",
                size=SYMBOL_SIZE)

    # Cell state along the top: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t.
    wire(ax, (X_BUS, cell_y), (FORGET_X - NODE_RADIUS, cell_y))
    wire(ax, (FORGET_X + NODE_RADIUS, cell_y), (WRITE_X - NODE_RADIUS, cell_y))
    wire(ax, (WRITE_X + NODE_RADIUS, cell_y), (RIGHT_END, cell_y))
    ax.text(X_BUS - 0.08, cell_y, r"$c_{t-1}$", ha="right", va="center", size=SYMBOL_SIZE)
    ax.text(RIGHT_END + 0.08, cell_y, r"$c_t$", ha="left", va="center", size=SYMBOL_SIZE)
    node(ax, FORGET_X, cell_y, "product")
    node(ax, WRITE_X, cell_y, "sum")

    i_y, f_y, c_y, o_y = out_y["i"], out_y["f"], out_y["c"], out_y["o"]  # by name, not position
    # f_t rises to the forget product and i_t's wire passes over it: with the gates in
    # storage order, f sits between the two gates multiplied together, so one crossing
    # is the fewest this layout allows.
    wire(ax, (CARD_RIGHT, f_y), (FORGET_X, f_y), (FORGET_X, cell_y - NODE_RADIUS))
    wire(ax, (CARD_RIGHT, i_y), (WRITE_X - NODE_RADIUS, i_y), zorder=OVER)
    bridge(ax, FORGET_X, i_y)
    wire(ax, (CARD_RIGHT, c_y), (WRITE_X, c_y), (WRITE_X, i_y - NODE_RADIUS))
    node(ax, WRITE_X, i_y, "product")
    wire(ax, (WRITE_X, i_y + NODE_RADIUS), (WRITE_X, cell_y - NODE_RADIUS))

    # Output: h_t = o_t ⊙ activation(c_t), read off the updated cell state.
    tanh_y = (i_y + c_y) / 2
    junction(ax, OUTPUT_X, cell_y)
    wire(ax, (OUTPUT_X, cell_y), (OUTPUT_X, tanh_y + 0.24))
    ax.text(OUTPUT_X, tanh_y, activations["c_t"], ha="center", va="center", size=SYMBOL_SIZE - 2,
            zorder=6, bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                            "edgecolor": LINE, "linewidth": 1.7})
    wire(ax, (OUTPUT_X, tanh_y - 0.24), (OUTPUT_X, o_y + NODE_RADIUS))
    wire(ax, (CARD_RIGHT, o_y), (OUTPUT_X - NODE_RADIUS, o_y))
    node(ax, OUTPUT_X, o_y, "product")
    wire(ax, (OUTPUT_X + NODE_RADIUS, o_y), (RIGHT_END, o_y))
    ax.text(RIGHT_END + 0.08, o_y, r"$h_t$", ha="left", va="center", size=SYMBOL_SIZE)
    return figure
