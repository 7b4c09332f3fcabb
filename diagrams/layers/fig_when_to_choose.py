"""Test error of each design against the number of training samples, over the seeds

From the page's measurement (snippets/layers/when_to_choose.py): for each kind of data and
each design, the median over the seeds as a line and the range from the lowest to the
highest seed as a band, on logarithmic axes. The dotted line is the target's variance:
above it, a constant prediction (the target's mean) would have done better.
"""
import statistics

from matplotlib.figure import Figure

from diagrams._style import GATE_COLOURS
from diagrams.layers.fig_locally_connected import LABEL_SIZE, LOCAL_COLOUR, NOTE_COLOUR
from snippets.layers import when_to_choose

# Okabe–Ito hues; the locally connected layer keeps its colour from the page's first figure.
DESIGN_COLOURS = {
    "shared filter": GATE_COLOURS["i"],
    "locally connected": LOCAL_COLOUR,
    "fully connected": GATE_COLOURS["f"],
}
MARKERS = {"shared filter": "o", "locally connected": "s", "fully connected": "^"}


def spread(truth, samples, design):
    """(lowest, median, highest) over the seeds of one cell of the measurement."""
    values = [errors[truth, samples, design] for errors in when_to_choose.runs.values()]
    return min(values), statistics.median(values), max(values)


def make_figure() -> Figure:
    runs, sizes = when_to_choose.runs, when_to_choose.sizes
    assert len(runs) >= 10 and list(DESIGN_COLOURS) == list(when_to_choose.designs)
    truths = when_to_choose.truth_names
    figure = Figure(figsize=(7.0, 9.6), layout="constrained")
    axes = figure.subplots(len(truths), 1, sharex=True, sharey=True)
    for ax, truth in zip(axes, truths):
        for design, colour in DESIGN_COLOURS.items():
            low, median, high = zip(*(spread(truth, n, design) for n in sizes))
            assert all(lo <= m <= hi for lo, m, hi in zip(low, median, high))
            # Translucent, so that where two designs' ranges overlap both stay visible.
            ax.fill_between(sizes, low, high, color=colour, alpha=0.2, linewidth=0)
            ax.plot(sizes, median, color=colour, marker=MARKERS[design], markersize=7,
                    linewidth=2.2, label=design)
        ax.axhline(1.0, color=NOTE_COLOUR, linewidth=1.0, linestyle=":")
        ax.text(sizes[-1], 1.15, "target's variance", ha="right", va="bottom",
                fontsize=LABEL_SIZE - 2, color=NOTE_COLOUR)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [str(n) for n in sizes], fontsize=LABEL_SIZE - 1)
        ax.minorticks_off()
        ax.tick_params(axis="y", labelsize=LABEL_SIZE - 1)
        ax.set_title(f"The data came from {truth}", fontsize=LABEL_SIZE, loc="left")
        ax.set_ylabel("test error / target's variance", fontsize=LABEL_SIZE - 1)
    axes[-1].set_xlabel("training samples", fontsize=LABEL_SIZE - 1)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=len(labels),
                  fontsize=LABEL_SIZE - 2, frameon=False)
    figure.suptitle(f"Median of {len(runs)} seeds (line) and their range (band)",
                    fontsize=LABEL_SIZE, x=0.02, ha="left")
    return figure
