"""A shared filter slid along the input: its connections and its weight matrix

The shared-filter design's first layer (Conv1d with one filter, then flatten), drawn from
the layer the page builds: the same three weights connect every neuron to its window, so
the layer's matrix repeats them along its diagonals.
"""
import numpy as np
from matplotlib.figure import Figure

from diagrams._style import GATE_COLOURS, tint
from diagrams.layers.fig_locally_connected import (
    LAYER_GAP, LOOKS, NOTE_COLOUR, draw_edges, draw_matrix, draw_nodes, first_layer_positions,
    network_axes,
)
from snippets.layers import shared_filter

# Okabe–Ito hues from the shared palette, one per place in the filter's window.
TAP_COLOURS = [GATE_COLOURS["i"], GATE_COLOURS["f"], GATE_COLOURS["c"]]

# Where the network and the matrix sit, as fractions of the figure: (height in inches,
# network axes, matrix axes, the legend's line length and gap between entries in ems).
PLACES = {
    "wide": (8.4, (0.0, 0.66, 1.0, 0.27), (0.07, 0.05, 0.9, 0.5), (1.4, 1.2)),
    "narrow": (6.4, (0.0, 0.655, 1.0, 0.19), (0.09, 0.06, 0.88, 0.475), (1.0, 0.8)),
}


def make_figure(layout: str) -> Figure:
    jacobian = shared_filter.jacobian.numpy()  # (neurons, inputs): the layer as a matrix
    filter_weights = shared_filter.filter_weights.numpy()
    neurons, in_features = jacobian.shape
    window = filter_weights.size
    assert window == len(TAP_COLOURS)
    taps = np.full(jacobian.shape, -1)  # which filter weight sits in each cell, -1 none
    for j in range(neurons):
        taps[j, j:j + window] = np.arange(window)
        assert np.allclose(jacobian[j, j:j + window], filter_weights, rtol=0, atol=1e-6)
    assert np.array_equal(taps >= 0, jacobian != 0)
    assert np.abs(filter_weights).min() >= 0.005  # none prints as 0.00

    look = LOOKS[layout]
    height, network_place, matrix_place, (line_length, entry_gap) = PLACES[layout]
    figure = Figure(figsize=(look.width, height))
    network_ax = figure.add_axes(network_place)
    matrix_ax = figure.add_axes(matrix_place)

    inputs, first = first_layer_positions(in_features, neurons, window)
    rows, columns = np.nonzero(taps >= 0)
    draw_edges(network_ax, inputs, 0, first, LAYER_GAP, list(zip(columns, rows)),
               [TAP_COLOURS[taps[r, c]] for r, c in zip(rows, columns)], 2.8)
    draw_nodes(network_ax, inputs, 0, f"{in_features} inputs", look)
    draw_nodes(network_ax, first, LAYER_GAP, f"{neurons} neurons,\n{window} inputs each", look)
    network_axes(network_ax, in_features, LAYER_GAP)
    for k, colour in enumerate(TAP_COLOURS):
        network_ax.plot([], [], color=colour, linewidth=3.5,
                        label=f"$w_{k}$ = {filter_weights[k]:.2f}")
    network_ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.98), frameon=False,
                      fontsize=look.label, ncol=window, handlelength=line_length,
                      columnspacing=entry_gap)
    figure.text(0.0, 0.995, look.title_break.join(["One shared filter:",
                                                  "the same weights slide along"]),
                fontsize=look.title, weight="bold", va="top")

    draw_matrix(matrix_ax, jacobian,
                [[tint(TAP_COLOURS[t], 0.45) if t >= 0 else None for t in row] for row in taps],
                f"The same layer as a {jacobian.shape} matrix", look)
    matrix_ax.text(0, neurons + 0.35,
                   f"{int((taps >= 0).sum())} connections, {window} weights (and one bias)",
                   va="top", fontsize=look.label, color=NOTE_COLOUR)
    return figure
