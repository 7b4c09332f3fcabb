"""The LSTM cell: where kernel, recurrent_kernel and bias enter each gate

One time step of the reader's LSTM layer, its gates stacked in storage order as blocks
0–3. Each gate reads x_t through its columns of kernel (W), h_{t-1} through its columns of
recurrent_kernel (U), and adds its slice of bias (b); the ⊙, + and the activation of c_t on
the right hold no weights. Each activation drawn is the one the reader's layer object holds.
"""
from dataclasses import dataclass

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
CODE_FAMILY = "DejaVu Sans Mono"

# How an activation function is written, by its name.
ACTIVATION_SYMBOL = {"sigmoid": r"$\sigma$", "tanh": r"$\tanh$", "relu": "relu"}
OUTPUT_SYMBOL = {"i": r"$i_t$", "f": r"$f_t$", "c": r"$\tilde{c}_t$", "o": r"$o_t$"}
OVER = 3  # zorder of a wire that passes over another: above the gap `bridge` cuts
X_BUS = 0.0


@dataclass(frozen=True)
class Geometry:
    """One layout, in inches (the axes span the figure at equal aspect) and points (type).

    Cards stack top down in storage order; within a card the kernel, recurrent_kernel and
    bias lines each take the wire that feeds them: x_t's from the outer bus (at X_BUS),
    h_{t-1}'s from the inner one, b's own. The cell-state machinery runs on the right.
    """
    title_size: float  # a card's "block k · name"
    code_size: float  # a card's weight slices
    symbol_size: float  # c_t, i_t, a gate's activation...: the names the eye follows
    letter_size: float  # W_i, U_i, b_i on the wires
    input_size: float  # x_t, h_{t-1} with their sizes
    state_size: float  # the activation of c_t, in its box
    node_radius: float
    h_bus: float
    letter_x: float
    card_left: float
    card_width: float
    title_drop: float
    first_line_drop: float
    line_step: float
    card_height: float
    card_gap: float
    cell_rise: float  # from the top card to the cell-state line
    forget_dx: float  # the forget product, the write sum and the output right of the cards
    write_dx: float
    output_dx: float
    end_dx: float  # where c_t and h_t leave
    cell_label_above: bool  # c_{t-1} above the start of its line, else left of it
    left_margin: float  # beyond the outermost wires, for the labels there
    right_margin: float

    @property
    def card_right(self):
        return self.card_left + self.card_width


# The wide layout fills a desktop's column. The narrow one (phones) packs the same drawing
# closer, around cards sized to their code at larger type, so that a phone, which shrinks
# it to about 360 px, keeps every letter (a subscript too) at 9 px or more.
GEOMETRY = {
    "wide": Geometry(
        title_size=15, code_size=13, symbol_size=17, letter_size=16, input_size=15,
        state_size=15, node_radius=0.2, h_bus=0.45, letter_x=0.92, card_left=1.3,
        card_width=3.6, title_drop=0.3, first_line_drop=0.66, line_step=0.29, card_height=1.36,
        card_gap=0.22, cell_rise=0.6, forget_dx=0.62, write_dx=1.25, output_dx=1.82,
        end_dx=2.2, cell_label_above=False, left_margin=0.75, right_margin=0.45),
    "narrow": Geometry(
        title_size=14, code_size=12.5, symbol_size=17.5, letter_size=17.5, input_size=17.5,
        state_size=13.5, node_radius=0.14, h_bus=0.3, letter_x=0.66, card_left=0.96,
        card_width=3.2, title_drop=0.28, first_line_drop=0.62, line_step=0.3, card_height=1.36,
        card_gap=0.2, cell_rise=0.6, forget_dx=0.42, write_dx=0.84, output_dx=1.26, end_dx=1.56,
        cell_label_above=True, left_margin=0.15, right_margin=0.33),
}


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


def node(ax, x, y, kind, radius):
    """An element-wise node drawn as geometry, not a font glyph: ⊙ (product) or + (sum)."""
    ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor=LINE, lw=1.7,
                        zorder=4))
    if kind == "product":
        ax.add_patch(Circle((x, y), 0.045, color=LINE, zorder=5))
    else:
        arm = radius * 0.6
        ax.plot([x - arm, x + arm], [y, y], color=LINE, lw=1.7, zorder=5)
        ax.plot([x, x], [y - arm, y + arm], color=LINE, lw=1.7, zorder=5)


def wire_letter(ax, x, y, text, size):
    """A weight's name written on the wire it multiplies: x_t ─W─▶."""
    ax.text(x, y, text, ha="center", va="center", size=size, zorder=6,
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


def gate_card(ax, g, top, block, gate, columns, activation):
    """A gate box in its colour: block number, name, activation, and its weight slices."""
    start, stop = columns
    colour = GATE_COLOURS[gate]
    ax.add_patch(
        FancyBboxPatch(
            (g.card_left, top - g.card_height), g.card_width, g.card_height,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=tint(colour, 0.28), edgecolor=colour, linewidth=2.6, zorder=3,
        )
    )
    text_x = g.card_left + 0.14
    ax.text(text_x, top - g.title_drop, f"block {block} · {GATE_NAMES[gate]}", va="center",
            zorder=6, size=g.title_size, weight="bold")
    slices = (f"kernel[:, {start}:{stop}]",
              f"recurrent_kernel[:, {start}:{stop}]",
              f"bias[{start}:{stop}]")
    for line, text in enumerate(slices):
        ax.text(text_x, port_y(g, top, line), text, va="center", zorder=6,
                family=CODE_FAMILY, size=g.code_size)
    # The activation sits where the gate's output leaves, after the short kernel line.
    ax.text(g.card_right - 0.14, port_y(g, top, 0), activation, ha="right", va="center",
            size=g.symbol_size, zorder=6)


def port_y(g, top, line):
    """Height of a card's text line 0 (kernel), 1 (recurrent_kernel) or 2 (bias)."""
    return top - g.first_line_drop - line * g.line_step


def make_figure(layout: str) -> Figure:
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

    g = GEOMETRY[layout]
    radius, h_bus, letter_x, card_left, card_right = (
        g.node_radius, g.h_bus, g.letter_x, g.card_left, g.card_right)
    forget_x, write_x, output_x, right_end = (
        card_right + g.forget_dx, card_right + g.write_dx, card_right + g.output_dx,
        card_right + g.end_dx)
    tops = {gate: -k * (g.card_height + g.card_gap) for k, gate in enumerate(order)}
    out_y = {gate: port_y(g, top, 0) for gate, top in tops.items()}  # each gate's output
    cell_y = g.cell_rise
    h_source = min(tops.values()) - g.card_height - 0.3
    x_source = h_source - 0.4
    left, right = X_BUS - g.left_margin, right_end + g.right_margin
    low, high = x_source - 0.25, cell_y + (0.55 if g.cell_label_above else 0.3)

    figure = Figure(figsize=(right - left, high - low))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(left, right)
    ax.set_ylim(low, high)
    ax.set_aspect("equal")
    ax.axis("off")

    # Inputs: x_t and h_{t-1} climb separate buses; each gate takes its own branch of each,
    # through its block of kernel (W) and of recurrent_kernel (U), and adds its bias (b).
    first = order[0]
    wire(ax, (X_BUS, x_source), (X_BUS, port_y(g, tops[first], 0)), arrow=False)
    wire(ax, (h_bus, h_source), (h_bus, port_y(g, tops[first], 1)), arrow=False)
    for x, y, text in ((X_BUS, x_source, rf"$x_t$  (input_dim = {input_dim})"),
                       (h_bus, h_source, rf"$h_{{t-1}}$  (units = {units})")):
        junction(ax, x, y)
        ax.text(x + 0.14, y, text, ha="left", va="center", size=g.input_size)
    for block, gate in enumerate(order):
        top = tops[gate]
        kernel_y, recurrent_y, bias_y = (port_y(g, top, line) for line in range(3))
        wire(ax, (X_BUS, kernel_y), (card_left, kernel_y), zorder=OVER)
        wire(ax, (h_bus, recurrent_y), (card_left, recurrent_y))
        wire(ax, (letter_x + 0.15, bias_y), (card_left, bias_y))
        if gate != first:
            junction(ax, X_BUS, kernel_y)
            junction(ax, h_bus, recurrent_y)
            bridge(ax, h_bus, kernel_y)  # x_t's branch over h_{t-1}'s bus
        wire_letter(ax, letter_x, kernel_y, rf"$W_{gate}$", g.letter_size)
        wire_letter(ax, letter_x, recurrent_y, rf"$U_{gate}$", g.letter_size)
        ax.text(letter_x, bias_y, rf"$b_{gate}$", ha="center", va="center",
                size=g.letter_size, zorder=6)
        gate_card(ax, g, top, block, gate, columns[gate], activations[gate])
        ax.text(card_right + 0.1, out_y[gate] + 0.06, OUTPUT_SYMBOL[gate], va="bottom",
                size=g.symbol_size)

    # Cell state along the top: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t.
    wire(ax, (X_BUS, cell_y), (forget_x - radius, cell_y))
    wire(ax, (forget_x + radius, cell_y), (write_x - radius, cell_y))
    wire(ax, (write_x + radius, cell_y), (right_end, cell_y))
    if g.cell_label_above:
        ax.text(X_BUS - 0.08, cell_y + 0.08, r"$c_{t-1}$", ha="left", va="bottom",
                size=g.symbol_size)
    else:
        ax.text(X_BUS - 0.08, cell_y, r"$c_{t-1}$", ha="right", va="center",
                size=g.symbol_size)
    ax.text(right_end + 0.08, cell_y, r"$c_t$", ha="left", va="center", size=g.symbol_size)
    node(ax, forget_x, cell_y, "product", radius)
    node(ax, write_x, cell_y, "sum", radius)

    i_y, f_y, c_y, o_y = out_y["i"], out_y["f"], out_y["c"], out_y["o"]  # by name, not position
    # f_t rises to the forget product and i_t's wire passes over it: with the gates in
    # storage order, f sits between the two gates multiplied together, so one crossing
    # is the fewest this layout allows.
    wire(ax, (card_right, f_y), (forget_x, f_y), (forget_x, cell_y - radius))
    wire(ax, (card_right, i_y), (write_x - radius, i_y), zorder=OVER)
    bridge(ax, forget_x, i_y)
    wire(ax, (card_right, c_y), (write_x, c_y), (write_x, i_y - radius))
    node(ax, write_x, i_y, "product", radius)
    wire(ax, (write_x, i_y + radius), (write_x, cell_y - radius))

    # Output: h_t = o_t ⊙ activation(c_t), read off the updated cell state.
    tanh_y = (i_y + c_y) / 2
    junction(ax, output_x, cell_y)
    wire(ax, (output_x, cell_y), (output_x, tanh_y + 0.24))
    ax.text(output_x, tanh_y, activations["c_t"], ha="center", va="center", size=g.state_size,
            zorder=6, bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                            "edgecolor": LINE, "linewidth": 1.7})
    wire(ax, (output_x, tanh_y - 0.24), (output_x, o_y + radius))
    wire(ax, (card_right, o_y), (output_x - radius, o_y))
    node(ax, output_x, o_y, "product", radius)
    wire(ax, (output_x + radius, o_y), (right_end, o_y))
    ax.text(right_end + 0.08, o_y, r"$h_t$", ha="left", va="center", size=g.symbol_size)
    return figure
