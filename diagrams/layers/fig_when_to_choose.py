"""Test error of each design against the number of training samples, over the seeds

From the page's measurement (snippets/layers/when_to_choose.py): for each kind of data and
each design, the median over the seeds as a line and the range from the lowest to the
highest seed as a band, on logarithmic axes. The dotted line is the target's variance:
above it, a constant prediction (the target's mean) would have done better.
"""
import statistics
from dataclasses import dataclass

from matplotlib.figure import Figure

from diagrams._style import GATE_COLOURS
from diagrams.layers.fig_locally_connected import LOCAL_COLOUR, LOOKS, NOTE_COLOUR
from snippets.layers import when_to_choose

# Okabe–Ito hues; the locally connected layer keeps its colour from the page's first figure.
DESIGN_COLOURS = {
    "shared filter": GATE_COLOURS["i"],
    "locally connected": LOCAL_COLOUR,
    "fully connected": GATE_COLOURS["f"],
}
MARKERS = {"shared filter": "o", "locally connected": "s", "fully connected": "^"}


@dataclass(frozen=True)
class Lettering:
    """Lettering of one layout, in points; the width and line breaks are the page's LOOKS."""
    height: float  # inches
    title: float
    axis: float  # tick labels (the powers of ten: their exponents are smaller) and axis labels
    note: float  # "target's variance" and the legend
    one_row: bool  # the legend lists the designs side by side, else one per line


LETTERING = {"wide": Lettering(9.6, 14, 13, 12, True),
             "narrow": Lettering(7.8, 13.5, 13.5, 12, False)}


def spread(truth, samples, design):
    """(lowest, median, highest) over the seeds of one cell of the measurement."""
    values = [errors[truth, samples, design] for errors in when_to_choose.runs.values()]
    return min(values), statistics.median(values), max(values)


def make_figure(layout: str) -> Figure:
    runs, sizes = when_to_choose.runs, when_to_choose.sizes
    assert len(runs) >= 10 and list(DESIGN_COLOURS) == list(when_to_choose.designs)
    truths = when_to_choose.truth_names
    look, lettering = LOOKS[layout], LETTERING[layout]
    figure = Figure(figsize=(look.width, lettering.height), layout="constrained")
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
                fontsize=lettering.note, color=NOTE_COLOUR)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [str(n) for n in sizes], fontsize=lettering.axis)
        ax.minorticks_off()
        ax.tick_params(axis="y", labelsize=lettering.axis)
        ax.set_title(f"The data came from {truth}", fontsize=lettering.title, loc="left")
        ax.set_ylabel(look.title_break.join(["test error /", "target's variance"]),
                      fontsize=lettering.axis)
    axes[-1].set_xlabel("training samples", fontsize=lettering.axis)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center",
                  ncols=len(labels) if lettering.one_row else 1, fontsize=lettering.note,
                  frameon=False)
    figure.suptitle(look.title_break.join([f"Median of {len(runs)} seeds (line)",
                                           "and their range (band)"]),
                    fontsize=lettering.title, x=0.02, ha="left")
    return figure
