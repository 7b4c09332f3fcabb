"""An LSTM unrolled over its timesteps, each arrow labelled with its tensor shape

The model readers declare as LSTM(4) on look_back = 3 timesteps of one feature, drawn twice:
with return_sequences=False the layer returns the last h only, with return_sequences=True
every h. Each shape is the one Keras reports for the hand-unrolled model of
snippets/rnn/shapes_unrolled.py, whose outputs match the layer's.
"""
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from diagrams._style import TEXT_COLOUR
from snippets.rnn import shapes_unrolled

LINE = "#333333"
CELL_FILL = "#eeeeee"
STATE_COLOUR = {"h": LINE, "c": "#6b6b6b"}  # c's wire is drawn dashed as well
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 11.5}
SYMBOL_SIZE = 14

# Layout in inches.
CELL_WIDTH, CELL_HEIGHT, CELL_STEP = 1.3, 1.0, 2.85
FIRST_CELL_X = 1.75  # left edge of the first cell
C_Y, H_Y = 0.72, 0.28  # heights of the c and h wires, inside a cell's span 0..1
X_FROM = -1.0  # where each x_t arrow starts
INPUT_Y = -1.55  # the inputs bar
OUTPUT_Y = 2.05  # the output bar
PANEL_HEIGHT = 5.0


def shape_text(shape) -> str:
    return "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def arrow(ax, start, end, colour=LINE, dashed=False):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=colour,
                                 linewidth=1.6, linestyle=(0, (4, 2)) if dashed else "-",
                                 shrinkA=0, shrinkB=0, zorder=2))


def bar(ax, left, right, y, height, text):
    ax.add_patch(FancyBboxPatch((left, y - height / 2), right - left, height,
                                boxstyle="round,pad=0,rounding_size=0.06", facecolor="white",
                                edgecolor=LINE, linewidth=1.4, zorder=3))
    ax.text((left + right) / 2, y, text, ha="center", va="center", zorder=4, **CODE_FONT)


def state_label(ax, x, y, name, t, shape, above):
    """`h_t (None, 4)` beside a state wire: the symbol, then the shape Keras reports."""
    ax.text(x, y + (0.09 if above else -0.09), rf"${name}_{t}$ {shape_text(shape)}",
            ha="center", va="bottom" if above else "top", size=CODE_FONT["size"],
            family=CODE_FONT["family"], color=STATE_COLOUR[name], zorder=4)


def panel(ax, base, return_sequences, shapes):
    """One setting of return_sequences, its cells' bottoms at height `base`."""
    timesteps = len(shapes["x_t"])
    lefts = [FIRST_CELL_X + t * CELL_STEP for t in range(timesteps)]
    right_end = lefts[-1] + CELL_WIDTH
    ax.text(0, base + OUTPUT_Y + 0.55, f"return_sequences={return_sequences}", ha="left",
            va="center", weight="bold", size=13, family=CODE_FONT["family"])

    # The initial state enters from the left: zeros unless initial_state= is passed.
    h_0, c_0 = shapes["initial"]
    for name, y, shape in (("c", C_Y, c_0), ("h", H_Y, h_0)):
        arrow(ax, (0.15, base + y), (lefts[0], base + y), STATE_COLOUR[name], dashed=name == "c")
        state_label(ax, (0.15 + lefts[0]) / 2, base + y, name, 0, shape, above=name == "c")

    for t, left in enumerate(lefts, start=1):
        centre = left + CELL_WIDTH / 2
        ax.add_patch(FancyBboxPatch((left, base), CELL_WIDTH, CELL_HEIGHT,
                                    boxstyle="round,pad=0,rounding_size=0.1", facecolor=CELL_FILL,
                                    edgecolor=LINE, linewidth=1.8, zorder=3))
        ax.text(centre, base + CELL_HEIGHT / 2 + 0.12, "lstm.cell", ha="center", va="center",
                zorder=4, **CODE_FONT)
        ax.text(centre, base + CELL_HEIGHT / 2 - 0.16, "same weights", ha="center", va="center",
                size=10, zorder=4, color=TEXT_COLOUR)
        # x_t rises from its slice of the inputs.
        arrow(ax, (centre, base + X_FROM), (centre, base))
        ax.text(centre - 0.08, base + X_FROM / 2, rf"$x_{t}$ {shape_text(shapes['x_t'][t - 1])}",
                ha="right", va="center", size=CODE_FONT["size"], family=CODE_FONT["family"])
        # h_t and c_t leave to the right: into the next step, or out of the layer.
        wire_end = left + CELL_STEP if t < timesteps else right_end + 1.25
        for name, y in (("c", C_Y), ("h", H_Y)):
            arrow(ax, (left + CELL_WIDTH, base + y), (wire_end, base + y), STATE_COLOUR[name],
                  dashed=name == "c")
            state_label(ax, (left + CELL_WIDTH + wire_end) / 2, base + y, name, t,
                        shapes[f"{name}_t"][t - 1], above=name == "c")
        if return_sequences:  # every h_t goes up into the output
            arrow(ax, (centre, base + CELL_HEIGHT), (centre, base + OUTPUT_Y - 0.22))

    ax.text(right_end + 1.25, base - 0.3, "returned too with\nreturn_state=True", ha="right",
            va="top", size=10)
    bar(ax, lefts[0], right_end, base + INPUT_Y, 0.42,
        f"inputs {shape_text(shapes['inputs'])}: (batch, timesteps, features)")
    output = shape_text(shapes["output"][return_sequences])
    if return_sequences:
        bar(ax, lefts[0], right_end, base + OUTPUT_Y, 0.44,
            f"output {output}: every h_t, stacked on axis 1")
    else:  # only the last h_t is returned: it *is* the output
        last = lefts[-1] + CELL_WIDTH / 2
        arrow(ax, (last, base + CELL_HEIGHT), (last, base + OUTPUT_Y - 0.22))
        bar(ax, lefts[0], right_end, base + OUTPUT_Y, 0.44,
            f"output {output}: the last h_t only")


def make_figure() -> Figure:
    shapes = shapes_unrolled.shapes
    timesteps, units = shapes_unrolled.look_back, shapes_unrolled.units
    # What the figure draws is what Keras reports for the real models.
    assert len(shapes["x_t"]) == len(shapes["h_t"]) == len(shapes["c_t"]) == timesteps
    assert shapes["output"][False] == shapes["h_t"][-1] == (None, units)
    assert shapes["output"][True] == (None, timesteps, units)
    assert shapes["inputs"] == (None, timesteps, shapes["x_t"][0][-1])

    width = FIRST_CELL_X + (timesteps - 1) * CELL_STEP + CELL_WIDTH + 1.45
    height = 2 * PANEL_HEIGHT
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    for row, return_sequences in enumerate((False, True)):
        base = height - (row + 1) * PANEL_HEIGHT + 1.9
        panel(ax, base, return_sequences, shapes)
    return figure
