"""A Bidirectional GRU's weight list: the forward layer's arrays, then the backward layer's

The arrays of the Bidirectional(GRU) that snippets/rnn/bidirectional_weights.py builds, in
get_weights() order, each with the GRU's gate blocks as columns in the order the gate-order proof
accepts. Shading is the layer's values.
"""
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from snippets.rnn import bidirectional_weights, gru_gate_order

GATE_NAMES = {"z": "update", "r": "reset", "h": "candidate"}
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 11}
NAME_FONT = {"family": "DejaVu Sans Mono", "size": 11.5, "weight": "bold"}
NOTE = "#444444"
CELL = 0.3
SHADES = 5
LABEL_WIDTH, GROUP_GAP, ARRAY_GAP = 2.35, 0.5, 0.42


def draw_array(ax, values, left, top, order):
    """One array, its gate blocks as columns in `order` (accepted by the proof): each entry
    tinted by its gate and value."""
    grid = np.atleast_2d(values)
    rows, columns = grid.shape
    size = columns // len(order)
    norm = Normalize(grid.min(), grid.max())
    for k, gate in enumerate(order):
        cmap = LinearSegmentedColormap.from_list(
            gate, [tint(GATE_COLOURS[gate], 0.1), tint(GATE_COLOURS[gate], 0.7)], N=SHADES)
        for row in range(rows):
            for column in range(k * size, (k + 1) * size):
                ax.add_patch(Rectangle((left + column * CELL, top - (row + 1) * CELL), CELL, CELL,
                                       facecolor=cmap(norm(grid[row, column])),
                                       edgecolor="white", linewidth=0.6))
        ax.add_patch(Rectangle((left + k * size * CELL, top - rows * CELL), size * CELL,
                               rows * CELL, fill=False, edgecolor=GATE_COLOURS[gate], linewidth=2))


def make_figure() -> Figure:
    weight_list = bidirectional_weights.weight_list  # (path, shape), get_weights() order
    weights = bidirectional_weights.bidirectional.get_weights()
    # Blocks, labels and legend all draw this one order, which the proof accepts.
    order = accepted(gru_gate_order.proven_order, gru_gate_order, variant=True)  # reset_after=True
    units = bidirectional_weights.units
    half = len(weights) // 2
    assert [tuple(w.shape) for w in weights] == [shape for _path, shape in weight_list]
    directions = {"forward": range(half), "backward": range(half, len(weights))}
    for direction, indices in directions.items():
        assert all(f"/{direction}_gru/" in weight_list[k][0] for k in indices)

    group_width = LABEL_WIDTH + 3 * units * CELL
    heights = [np.atleast_2d(weights[k]).shape[0] * CELL for k in range(half)]
    body = sum(heights) + (half - 1) * ARRAY_GAP
    width = 2 * group_width + GROUP_GAP + 0.2
    height = body + 1.55 + 0.75
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-body - 0.75, 1.55)
    ax.set_aspect("equal")
    ax.axis("off")

    for group, (direction, indices) in enumerate(directions.items()):
        left = group * (group_width + GROUP_GAP) + LABEL_WIDTH
        layer_name = weight_list[indices[0]][0].split("/")[1]
        layer = getattr(bidirectional_weights.bidirectional, f"{direction}_layer")
        assert layer.name == layer_name
        ax.text(left + 1.5 * units * CELL, 1.3, layer_name, ha="center", size=13, weight="bold")
        ax.text(left + 1.5 * units * CELL, 1.0,
                f"{direction}_layer · get_weights()[{indices[0]}:{indices[-1] + 1}]",
                ha="center", **CODE_FONT)
        for k, gate in enumerate(order):
            ax.text(left + (k + 0.5) * units * CELL, 0.25, gate, ha="center", size=12,
                    weight="bold", color=GATE_COLOURS[gate])
        top = 0.0
        for index, row_height in zip(indices, heights):
            path, shape = weight_list[index]
            draw_array(ax, weights[index], left, top, order)
            ax.text(left - 0.12, top - row_height / 2,
                    f"[{index}] {path.rsplit('/', 1)[1]}\n{shape}", ha="right", va="center",
                    linespacing=1.3, **NAME_FONT)
            top -= row_height + ARRAY_GAP
    ax.text(0.1, -body - 0.3,
            "Gate blocks: " + ", ".join(f"{g} {GATE_NAMES[g]}" for g in order)
            + f"; {units} columns each. Both directions have the same layout.",
            va="top", size=10.5, color=NOTE)
    return figure
