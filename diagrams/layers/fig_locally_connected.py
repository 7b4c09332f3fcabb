"""The locally connected network, and the weight matrix of its band-masked layer

Top: the network of the answer, drawn from its layers, with only the band's connections in
its first layer (each with a weight of its own) and full connections after it. Bottom: that
first layer's weight as the forward pass uses it, zero wherever the band mask is.
"""
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from diagrams._style import GATE_COLOURS, TEXT_COLOUR, tint
from snippets.layers import masked_linear

LOCAL_COLOUR = GATE_COLOURS["o"]  # reddish purple: none of the shared filter's three hues
FULL_COLOUR = "#b3b3b3"
MASKED_FILL = "#e6e6e6"
NOTE_COLOUR = "#444444"
NODE_RADIUS = 0.26
LAYER_GAP = 1.8  # vertical distance between layers in the network drawings


@dataclass(frozen=True)
class Look:
    """Sizes of one layout (points, but the width in inches), shared by this page's figures."""
    width: float
    label: float  # node and tick labels, notes
    cell: float  # a weight printed in its matrix cell
    title: float
    title_break: str  # between the parts of a long title: " " keeps it on one line


# A phone shows the narrow layout about 360 px wide: against its width, its type is larger
# (a subscript of a tick label too stays >= 9 px there), and long titles take two lines.
LOOKS = {"wide": Look(7.0, 14, 13, 15, " "), "narrow": Look(4.6, 13.5, 10.5, 14, "\n")}


def first_layer_positions(in_features, out_features, window):
    """Inputs at 0..in_features-1; neuron j above the middle of its window."""
    inputs = np.arange(in_features, dtype=float)
    neurons = np.arange(out_features) + (window - 1) / 2
    return inputs, neurons


def draw_nodes(ax, xs, y, label, look):
    for x in xs:
        ax.add_patch(Circle((x, y), NODE_RADIUS, facecolor="white", edgecolor=TEXT_COLOUR,
                            linewidth=1.4, zorder=3))
    ax.text(xs.max() + 0.6, y, label, ha="left", va="center", fontsize=look.label)


def draw_edges(ax, xs_from, y_from, xs_to, y_to, pairs, colours, width):
    for (i, j), colour in zip(pairs, colours):
        ax.plot([xs_from[i], xs_to[j]], [y_from + NODE_RADIUS, y_to - NODE_RADIUS],
                color=colour, linewidth=width, zorder=2, solid_capstyle="round")


def network_axes(ax, in_features, top):
    ax.set_xlim(-0.5, in_features + 2.6)
    ax.set_ylim(-0.5, top + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")


def draw_matrix(ax, weight, fills, title, look):
    """One cell per weight: its value printed on its fill; a None fill is a masked zero."""
    rows, columns = weight.shape
    for r in range(rows):
        for c in range(columns):
            fill = fills[r][c]
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=fill or MASKED_FILL,
                                   edgecolor="white", linewidth=1.5,
                                   hatch=None if fill else "////"))
            text = f"{weight[r, c]:.2f}" if fill else "0"
            ax.text(c + 0.5, r + 0.5, text, ha="center", va="center", fontsize=look.cell,
                    color=TEXT_COLOUR if fill else NOTE_COLOUR)
    ax.set_xlim(0, columns)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(columns) + 0.5, [f"$x_{c}$" for c in range(columns)],
                  fontsize=look.label)
    ax.set_yticks(np.arange(rows) + 0.5, [f"$h_{r}$" for r in range(rows)],
                  fontsize=look.label)
    ax.tick_params(length=0)
    ax.xaxis.set_ticks_position("top")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=look.label, pad=30, loc="left")


# Where the network and the matrix sit, as fractions of the figure: (height in inches,
# network axes, matrix axes).
PLACES = {
    "wide": (10.4, (0.0, 0.57, 1.0, 0.41), (0.07, 0.06, 0.9, 0.44)),
    "narrow": (7.4, (0.0, 0.58, 1.0, 0.37), (0.09, 0.07, 0.88, 0.40)),
}


def make_figure(layout: str) -> Figure:
    mask = masked_linear.mask.numpy()
    weight = masked_linear.local.weight.detach().numpy()  # weight * mask, as used
    assert np.array_equal(weight != 0, mask == 1)
    assert np.abs(weight[mask == 1]).min() >= 0.005  # no band weight prints as 0.00
    hidden, in_features = mask.shape
    window = int(mask.sum(axis=1)[0])
    assert np.all(mask.sum(axis=1) == window)
    second, output = masked_linear.model[2], masked_linear.model[4]
    assert second.in_features == hidden and output.in_features == second.out_features
    assert masked_linear.logits.shape[1] == output.out_features

    look = LOOKS[layout]
    height, network_place, matrix_place = PLACES[layout]
    figure = Figure(figsize=(look.width, height))
    network_ax = figure.add_axes(network_place)
    matrix_ax = figure.add_axes(matrix_place)

    inputs, first = first_layer_positions(in_features, hidden, window)
    centre = inputs.mean()
    layers = [
        (inputs, f"{in_features} inputs"),
        (first, f"{hidden} neurons,\n{window} inputs each"),
        (centre + np.arange(second.out_features) - (second.out_features - 1) / 2,
         f"{second.out_features} neurons,\nall connected"),
        (centre + np.arange(output.out_features) - (output.out_features - 1) / 2,
         f"{output.out_features} classes"),
    ]
    ys = [k * LAYER_GAP for k in range(len(layers))]
    rows, columns = np.nonzero(mask)  # one edge per weight the band keeps
    draw_edges(network_ax, inputs, ys[0], first, ys[1], list(zip(columns, rows)),
               [LOCAL_COLOUR] * len(rows), 2.4)
    for (xs_a, _), (xs_b, _), y_a, y_b in zip(layers[1:], layers[2:], ys[1:], ys[2:]):
        pairs = [(i, j) for i in range(len(xs_a)) for j in range(len(xs_b))]
        draw_edges(network_ax, xs_a, y_a, xs_b, y_b, pairs, [FULL_COLOUR] * len(pairs), 1.0)
    for (xs, label), y in zip(layers, ys):
        draw_nodes(network_ax, xs, y, label, look)
    network_axes(network_ax, in_features, ys[-1])
    network_ax.set_title(look.title_break.join(["Locally connected:", "a weight per connection"]),
                         fontsize=look.title, weight="bold", loc="left")

    band_fill = tint(LOCAL_COLOUR, 0.3)
    draw_matrix(matrix_ax, weight, [[band_fill if m else None for m in row] for row in mask],
                look.title_break.join([f"First layer's weight {weight.shape},",
                                       "band mask applied"]), look)
    matrix_ax.text(0, hidden + 0.35,
                   f"{int(mask.sum())} weights, each its own parameter;\n"
                   f"{int((mask == 0).sum())} held at 0 by the mask",
                   va="top", fontsize=look.label, color=NOTE_COLOUR)
    return figure
