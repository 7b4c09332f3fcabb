"""Reconstruction error of exact inversion against condition number, depth and tanh saturation

Measured by the numerical-limits snippet, in float32 and float64: solving with a weight
matrix of condition number κ loses about κ·ε; a stack of default-initialised Linear+Tanh
layers loses more with each layer until atanh meets |z| ≥ 1 and returns NaN, drawn for
each of the snippet's seeds with the spread of the first NaN depth; and atanh does not
undo tanh once tanh has rounded to exactly 1.
"""
import functools
import math
import textwrap

import torch
from matplotlib.figure import Figure

from facts._spread import over_seeds
from snippets.inversion import numerical_limits as limits

COLOURS = {torch.float32: "#0072B2", torch.float64: "#D55E00"}
NAMES = {torch.float32: "float32", torch.float64: "float64"}
NAN_LEVEL = 1e3  # where NaN results are drawn: above the finite errors, and the note under it
# Where each saturation label sits: (offset from its line, height, alignment), clear of data.
LABEL_PLACES = {torch.float32: (0.3, 1e-13, "left"), torch.float64: (-0.3, 1e1, "right")}
# Where each precision's first-NaN label sits: (x as a share of the axis, alignment).
NAN_LABELS = {torch.float32: (0.02, "left"), torch.float64: (0.98, "right")}
# Per layout: where the panels go (on a desktop the atanh panel spans the figure below the
# other two, which leaves each panel room for its labels; on a phone they are stacked), and
# lettering in pt sized so the smallest, a log axis's exponent (0.7 of its tick label),
# reads >= 11 px on a desktop and >= 9 px on a phone (tests/lettering.py). The first-NaN
# labels' lines are "wrap" characters long, under a ceiling of "depth_top" that leaves them
# room above the crosses; "legend" is where the atanh panel's legend is clear of the dots.
LAYOUT = {
    "wide": {
        "size": (7.0, 6.0), "panels": [["condition", "depth"], ["saturation", "saturation"]],
        "heights": (1.15, 1), "title": 11, "label": 10.5, "log_tick": 12, "tick": 10,
        "note": 9, "wrap": 14, "depth_top": 1e14, "legend": "upper left",
    },
    "narrow": {
        "size": (3.6, 9.6), "panels": [["condition"], ["depth"], ["saturation"]],
        "heights": (1, 1, 1), "title": 10, "label": 9.5, "log_tick": 10.5, "tick": 9,
        "note": 8, "wrap": 24, "depth_top": 1e10, "legend": "lower right",
    },
}
# The same ticks in both layouts (matplotlib would pick more for a wider axis): one labelled
# tick per DECADES decades on a log axis, per STEP on a linear one.
DECADES, STEP = 5, 5


@functools.cache
def first_nans():
    """Each precision's first NaN depth over the snippet's seeds."""
    return {dtype: over_seeds(lambda seed, dtype=dtype: limits.first_nan[seed][dtype],
                              limits.seeds, "{:d}")
            for dtype in COLOURS}


def log_ticks(limits_of_axis):
    """Every DECADES-th power of ten within the axis limits."""
    low, high = (math.log10(limit) for limit in limits_of_axis)
    return [10.0**k for k in range(math.ceil(low / DECADES) * DECADES, math.floor(high) + 1,
                                   DECADES)]


def style(ax, sizes, title, x_label, y_label, log_x=False):
    """Title, axis labels and ticks at the layout's sizes; the ticks from the axis limits."""
    ax.set_title(title, fontsize=sizes["title"])
    ax.set_xlabel(x_label, fontsize=sizes["label"])
    ax.set_ylabel(y_label, fontsize=sizes["label"])
    ax.set_yticks(log_ticks(ax.get_ylim()))
    ax.tick_params(axis="y", labelsize=sizes["log_tick"])
    low, high = ax.get_xlim()
    ax.set_xticks(log_ticks((low, high)) if log_x else range(math.ceil(low), int(high) + 1, STEP))
    ax.tick_params(axis="x", labelsize=sizes["log_tick" if log_x else "tick"])


def draw_condition(ax, sizes):
    for dtype, colour in COLOURS.items():
        errors = limits.condition_errors[dtype]
        bound = [condition * limits.epsilon[dtype] for condition in limits.conditions]
        assert all(error <= 4 * b for error, b in zip(errors, bound))
        ax.loglog(limits.conditions, errors, "o-", color=colour, label=NAMES[dtype],
                  markersize=4)
        ax.loglog(limits.conditions, bound, "--", color=colour, linewidth=1)
    ax.set_ylim(1e-17, 1e2)
    ax.text(1e6, 1e-15, "dashed: κ·ε", fontsize=sizes["note"])
    ax.legend(loc="upper left", fontsize=sizes["note"])
    style(ax, sizes, "one square layer", "condition number κ of W",
          "relative error of recovered x", log_x=True)


def draw_depths(ax, sizes):
    for dtype, colour in COLOURS.items():
        first_nan = first_nans()[dtype]
        for seed, first in zip(first_nan.seeds, first_nan.values):
            errors = limits.errors_by_seed[seed][dtype]
            finite = [(d, e) for d, e in zip(limits.depths, errors) if not math.isnan(e)]
            assert finite[-1][0] == first - 1 and math.isnan(errors[int(first) - 1])
            ax.semilogy(*zip(*finite), "-", color=colour, linewidth=0.8, alpha=0.6,
                        label=NAMES[dtype] if seed == first_nan.seeds[0] else None)
        # One cross per stack at its first NaN depth, stacked when several share a depth.
        for depth in sorted(set(first_nan.values)):
            count = first_nan.count(lambda value, depth=depth: value == depth)
            ax.semilogy([depth] * count, [NAN_LEVEL * 2.2**k for k in range(count)],
                        "x", color=colour, markersize=5)
        x_share, alignment = NAN_LABELS[dtype]
        ax.text(x_share, 0.97, textwrap.fill(f"first NaN at {first_nan}", sizes["wrap"]),
                color=colour, fontsize=sizes["note"], ha=alignment, va="top",
                transform=ax.transAxes)
    ax.axhline(NAN_LEVEL / 3, color="#888888", linewidth=0.6)
    ax.text(limits.depths[0], NAN_LEVEL / 2.5, "× NaN: atanh got |z| ≥ 1",
            fontsize=sizes["note"], va="top")
    ax.set_ylim(1e-16, sizes["depth_top"])
    ax.set_xlim(0, max(first[dtype] for first in limits.first_nan for dtype in COLOURS) + 1)
    ax.legend(loc="lower right", fontsize=sizes["note"])
    style(ax, sizes, f"Linear+Tanh stacks ({len(limits.seeds)} seeds)", "layers",
          "relative error of recovered x")


def draw_saturation(ax, sizes):
    for dtype, colour in COLOURS.items():
        z = limits.pre_activations[dtype]
        errors = limits.saturation_errors[dtype]
        shown = torch.isfinite(errors) & (errors > 0)
        ax.semilogy(z[shown].double(), errors[shown].double(), ".", color=colour,
                    markersize=2, label=NAMES[dtype], rasterized=True)
        edge = limits.tanh_is_one_from[dtype]
        assert not torch.isfinite(errors[z >= edge]).any()
        ax.axvline(edge, color=colour, linestyle=":", linewidth=1.2)
        offset, height, alignment = LABEL_PLACES[dtype]
        ax.text(edge + offset, height, f"tanh(z) = 1\nfrom z ≈ {edge:.1f}", color=colour,
                fontsize=sizes["note"], ha=alignment, va="top")
    ax.set_ylim(1e-17, 1e2)
    ax.set_xlim(0, 21)
    ax.legend(loc=sizes["legend"], fontsize=sizes["note"], markerscale=4)
    style(ax, sizes, "atanh(tanh(z))", "pre-activation z", "relative error")


def make_figure(layout: str) -> Figure:
    sizes = LAYOUT[layout]
    # The saturation dots are embedded as an image at this resolution (rasterized);
    # lines and lettering stay vector.
    figure = Figure(figsize=sizes["size"], layout="constrained", dpi=200)
    axes = figure.subplot_mosaic(sizes["panels"], height_ratios=sizes["heights"])
    draw_condition(axes["condition"], sizes)
    draw_depths(axes["depth"], sizes)
    draw_saturation(axes["saturation"], sizes)
    return figure
