"""A Bidirectional GRU's weight list: the forward layer's arrays, then the backward layer's

The arrays of the Bidirectional(GRU) that snippets/rnn/bidirectional_weights.py builds, in
get_weights() order, each with the GRU's gate blocks as columns in the order the gate-order proof
accepts. Shading is the layer's values. The wide layout sets the two directions side by side, the
narrow one (for phones) one under the other.
"""
import textwrap

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, tint
from snippets.rnn import bidirectional_weights, gru_gate_order

GATE_NAMES = {"z": "update", "r": "reset", "h": "candidate"}
NOTE = "#444444"
SHADES = 5
MONO_ADVANCE = 0.602  # DejaVu Sans Mono's glyph width, in ems: sizes the array-name column
# Sizes per layout, in inches and points: each keeps its smallest lettering at least 11 px on a
# desktop (wide) and 9 px on a phone (narrow) where the figure is shown.
SIZES = {
    "wide": {"cell": 0.26, "code": 11.5, "name": 11.5, "title": 13.5, "gate": 13, "note": 11.5,
             "wrap": 110, "side_by_side": True},
    "narrow": {"cell": 0.25, "code": 10, "name": 10.5, "title": 12.5, "gate": 12, "note": 10,
               "wrap": 44, "side_by_side": False},
}
ARRAY_GAP, GROUP_GAP, HEADER = 0.38, 0.5, 1.15  # inches


def draw_array(ax, values, left, top, order, cell):
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
                ax.add_patch(Rectangle((left + column * cell, top - (row + 1) * cell), cell, cell,
                                       facecolor=cmap(norm(grid[row, column])),
                                       edgecolor="white", linewidth=0.6))
        ax.add_patch(Rectangle((left + k * size * cell, top - rows * cell), size * cell,
                               rows * cell, fill=False, edgecolor=GATE_COLOURS[gate], linewidth=2))


def draw_direction(ax, arrays, corner, label_width, order, units, title, subtitle, sizes):
    """One direction's arrays one under another, its names in a column `label_width` wide,
    the header's top left at `corner`; `arrays` is [(label, values)]. Returns the last array's
    bottom."""
    cell = sizes["cell"]
    left, top = corner[0] + label_width, corner[1]
    middle = corner[0] + (label_width + 3 * units * cell) / 2  # over names and blocks
    ax.text(middle, top, title, ha="center", va="top", size=sizes["title"], weight="bold")
    ax.text(middle, top - 0.35, subtitle, ha="center", va="top", family="DejaVu Sans Mono",
            size=sizes["code"])
    for k, gate in enumerate(order):
        ax.text(left + (k + 0.5) * units * cell, top - HEADER + 0.1, gate, ha="center",
                va="bottom", size=sizes["gate"], weight="bold", color=GATE_COLOURS[gate])
    y = top - HEADER
    for label, values in arrays:
        rows = np.atleast_2d(values).shape[0]
        draw_array(ax, values, left, y, order, cell)
        ax.text(left - 0.12, y - rows * cell / 2, label, ha="right", va="center",
                linespacing=1.3, family="DejaVu Sans Mono", size=sizes["name"], weight="bold")
        y -= rows * cell + ARRAY_GAP
    return y + ARRAY_GAP


def make_figure(layout: str) -> Figure:
    sizes = SIZES[layout]
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

    labels = [f"[{index}] {path.rsplit('/', 1)[1]}\n{shape}"
              for index, (path, shape) in enumerate(weight_list)]
    label_width = (max(len(line) for label in labels for line in label.splitlines())
                   * MONO_ADVANCE * sizes["name"] / 72 + 0.2)
    group_width = label_width + 3 * units * sizes["cell"]
    body = (HEADER + sum(np.atleast_2d(weights[k]).shape[0] for k in range(half)) * sizes["cell"]
            + (half - 1) * ARRAY_GAP)
    note = textwrap.wrap(
        "Gate blocks: " + ", ".join(f"{g} {GATE_NAMES[g]}" for g in order)
        + f"; {units} columns each. Both directions have the same layout.",
        sizes["wrap"], break_on_hyphens=False)
    note_height = 0.3 + len(note) * sizes["note"] * 1.4 / 72
    if sizes["side_by_side"]:
        width, height = 2 * group_width + GROUP_GAP, body + note_height
        corners = [(0, 0), (group_width + GROUP_GAP, 0)]
    else:
        width, height = group_width, 2 * body + GROUP_GAP + note_height
        corners = [(0, 0), (0, -body - GROUP_GAP)]
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_aspect("equal")
    ax.axis("off")

    for corner, (direction, indices) in zip(corners, directions.items()):
        layer_name = weight_list[indices[0]][0].split("/")[1]
        layer = getattr(bidirectional_weights.bidirectional, f"{direction}_layer")
        assert layer.name == layer_name
        bottom = draw_direction(
            ax, [(labels[k], weights[k]) for k in indices], corner, label_width, order, units,
            layer_name, f"{direction}_layer · get_weights()[{indices[0]}:{indices[-1] + 1}]",
            sizes)
    ax.text(0.05, bottom - 0.3, "\n".join(note), va="top", size=sizes["note"], color=NOTE,
            linespacing=1.4)
    return figure
