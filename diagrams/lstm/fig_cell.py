"""The LSTM cell: where kernel, recurrent_kernel and bias enter each gate

One time step of the reader's LSTM layer. Each coloured gate reads x_t and h_{t-1}
through its own column block of kernel, recurrent_kernel and bias; the ⊙ and + nodes and
tanh(c_t) hold no weights.
"""
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from diagrams._style import GATE_COLOURS, GATE_NAMES, KERAS_GATE_ORDER, gate_columns, tint
from snippets.lstm import reader_model

LINE = "#333333"
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 11.5}
NODE_RADIUS = 0.2

# Layout in inches (the axes span the figure at equal aspect). Cards are stacked from the
# forget gate down, so no wire crosses another: c_t = f ⊙ c_{t-1} + i ⊙ c̃ read top down.
CARD_LEFT, CARD_WIDTH, CARD_HEIGHT = 0.95, 3.3, 1.0
CARD_Y = {"f": 4.3, "i": 3.05, "c": 1.8, "o": 0.55}
CELL_Y = 5.65
BUS_X = 0.45
FORGET_X, WRITE_X, OUTPUT_X = 4.85, 5.75, 6.75
RIGHT_END = 7.45

ACTIVATION = {"i": r"$\sigma$", "f": r"$\sigma$", "c": r"$\tanh$", "o": r"$\sigma$"}
OUTPUT_SYMBOL = {"i": r"$i_t$", "f": r"$f_t$", "c": r"$\tilde{c}_t$", "o": r"$o_t$"}


def wire(ax, *points, arrow=True):
    """A polyline through `points`, with an arrowhead at the last one."""
    ax.add_patch(
        FancyArrowPatch(
            path=Path(points),
            arrowstyle="-|>" if arrow else "-",
            mutation_scale=14,
            color=LINE,
            linewidth=1.6,
            shrinkA=0,
            shrinkB=0,
        )
    )


def node(ax, x, y, kind):
    """An element-wise node drawn as geometry, not a font glyph: ⊙ (product) or + (sum)."""
    ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor="white", edgecolor=LINE, lw=1.6,
                        zorder=3))
    if kind == "product":
        ax.add_patch(Circle((x, y), 0.045, color=LINE, zorder=4))
    else:
        arm = NODE_RADIUS * 0.6
        ax.plot([x - arm, x + arm], [y, y], color=LINE, lw=1.6, zorder=4)
        ax.plot([x, x], [y - arm, y + arm], color=LINE, lw=1.6, zorder=4)


def gate_card(ax, gate, columns):
    """A gate box in its colour, listing the slices of the layer's weights that feed it."""
    start, stop = columns
    y = CARD_Y[gate]
    ax.add_patch(
        FancyBboxPatch(
            (CARD_LEFT, y - CARD_HEIGHT / 2), CARD_WIDTH, CARD_HEIGHT,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=tint(GATE_COLOURS[gate], 0.22),
            edgecolor=GATE_COLOURS[gate],
            linewidth=2.2,
        )
    )
    text_x = CARD_LEFT + 0.14
    ax.text(text_x, y + 0.3, f"{ACTIVATION[gate]}   {GATE_NAMES[gate]}",
            weight="bold", va="center")
    slices = (f"kernel[:, {start}:{stop}]",
              f"recurrent_kernel[:, {start}:{stop}]",
              f"bias[{start}:{stop}]")
    ax.text(text_x, y - 0.13, "\n".join(slices), va="center", linespacing=1.25, **CODE_FONT)


def make_figure() -> Figure:
    units, input_dim = reader_model.units, reader_model.input_dim
    assert reader_model.kernel.shape == (input_dim, len(KERAS_GATE_ORDER) * units)
    columns = gate_columns(units)

    figure = Figure(figsize=(9.2, 7.0))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.9, RIGHT_END + 0.9)
    ax.set_ylim(-1.45, CELL_Y + 0.35)
    ax.set_aspect("equal")
    ax.axis("off")

    # Inputs: x_t and h_{t-1} join one bus that feeds every gate.
    join_y = -0.35
    wire(ax, (BUS_X, -1.0), (BUS_X, join_y), arrow=False)
    wire(ax, (-0.55, join_y), (BUS_X, join_y), arrow=False)
    ax.add_patch(Circle((BUS_X, join_y), 0.05, color=LINE))
    ax.text(BUS_X, -1.1, rf"$x_t$  (input_dim = {input_dim})", ha="center", va="top")
    ax.text(-0.6, join_y, r"$h_{t-1}$" + f"\n(units = {units})", ha="right", va="center")
    wire(ax, (BUS_X, join_y), (BUS_X, CARD_Y["f"]), arrow=False)
    for gate in KERAS_GATE_ORDER:
        wire(ax, (BUS_X, CARD_Y[gate]), (CARD_LEFT, CARD_Y[gate]))
        gate_card(ax, gate, columns[gate])

    # Cell state along the top: c_t = f ⊙ c_{t-1} + i ⊙ c̃.
    card_right = CARD_LEFT + CARD_WIDTH
    wire(ax, (-0.55, CELL_Y), (FORGET_X - NODE_RADIUS, CELL_Y))
    wire(ax, (FORGET_X + NODE_RADIUS, CELL_Y), (WRITE_X - NODE_RADIUS, CELL_Y))
    wire(ax, (WRITE_X + NODE_RADIUS, CELL_Y), (RIGHT_END, CELL_Y))
    ax.text(-0.6, CELL_Y, r"$c_{t-1}$", ha="right", va="center")
    ax.text(RIGHT_END + 0.05, CELL_Y, r"$c_t$", ha="left", va="center")
    node(ax, FORGET_X, CELL_Y, "product")
    node(ax, WRITE_X, CELL_Y, "sum")

    f_y, i_y, c_y, o_y = (CARD_Y[gate] for gate in "fico")
    wire(ax, (card_right, f_y), (FORGET_X, f_y), (FORGET_X, CELL_Y - NODE_RADIUS))
    write_y = i_y  # i ⊙ c̃ sits level with the input gate, so its wire runs straight
    wire(ax, (card_right, i_y), (WRITE_X - NODE_RADIUS, write_y))
    wire(ax, (card_right, c_y), (WRITE_X, c_y), (WRITE_X, write_y - NODE_RADIUS))
    node(ax, WRITE_X, write_y, "product")
    wire(ax, (WRITE_X, write_y + NODE_RADIUS), (WRITE_X, CELL_Y - NODE_RADIUS))

    # Output: h_t = o ⊙ tanh(c_t), read off the updated cell state.
    tanh_y = (CELL_Y + o_y) / 2
    wire(ax, (OUTPUT_X, CELL_Y), (OUTPUT_X, tanh_y + 0.22))
    ax.text(OUTPUT_X, tanh_y, r"$\tanh$", ha="center", va="center",
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": LINE,
                  "linewidth": 1.6})
    ax.add_patch(Circle((OUTPUT_X, CELL_Y), 0.05, color=LINE))
    wire(ax, (OUTPUT_X, tanh_y - 0.22), (OUTPUT_X, o_y + NODE_RADIUS))
    wire(ax, (card_right, o_y), (OUTPUT_X - NODE_RADIUS, o_y))
    node(ax, OUTPUT_X, o_y, "product")
    wire(ax, (OUTPUT_X + NODE_RADIUS, o_y), (RIGHT_END, o_y))
    ax.text(RIGHT_END + 0.05, o_y, r"$h_t$" + f"\n(units = {units})", ha="left", va="center")

    # Name each gate's output on its wire, just past the card.
    for gate in KERAS_GATE_ORDER:
        ax.text(card_right + 0.12, CARD_Y[gate] + 0.08, OUTPUT_SYMBOL[gate], va="bottom")

    order = ", ".join(KERAS_GATE_ORDER)
    ax.text(
        RIGHT_END + 0.85, -1.1,
        f"Keras stores the gate blocks side by side in the order {order}:\n"
        f"{units} columns each, 4·units = {len(KERAS_GATE_ORDER) * units} in all.",
        ha="right", va="top", fontsize=10.5, color="#444444",
    )
    return figure
