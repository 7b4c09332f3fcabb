"""Reconstruction error of exact inversion against condition number, depth and tanh saturation

Measured by the numerical-limits snippet, in float32 and float64: solving with a weight
matrix of condition number κ loses about κ·ε; a stack of default-initialised Linear+Tanh
layers loses more with each layer until atanh meets |z| ≥ 1 and returns NaN, drawn for
each of the snippet's seeds with the spread of the first NaN depth; and atanh does not
undo tanh once tanh has rounded to exactly 1.
"""
import math

import torch
from matplotlib.figure import Figure

from facts._spread import over_seeds
from snippets.inversion import numerical_limits as limits

COLOURS = {torch.float32: "#0072B2", torch.float64: "#D55E00"}
NAMES = {torch.float32: "float32", torch.float64: "float64"}
# Where each saturation label sits: (offset from its line, height, alignment), clear of data.
LABEL_PLACES = {torch.float32: (0.3, 1e-13, "left"), torch.float64: (-0.3, 1e1, "right")}
NAN_LEVEL = 1e2  # where NaN results are drawn: above the finite errors
# Where each precision's first-NaN label sits: (x as a share of the axis, alignment).
NAN_LABELS = {torch.float32: (0.02, "left"), torch.float64: (0.98, "right")}


def make_figure() -> Figure:
    # The saturation dots are embedded as an image at this resolution (rasterized);
    # lines and lettering stay vector.
    figure = Figure(figsize=(11, 3.9), layout="constrained", dpi=200)
    condition_ax, depth_ax, tanh_ax = figure.subplots(1, 3)

    for dtype, colour in COLOURS.items():
        errors = limits.condition_errors[dtype]
        bound = [condition * limits.epsilon[dtype] for condition in limits.conditions]
        assert all(error <= 4 * b for error, b in zip(errors, bound))
        condition_ax.loglog(limits.conditions, errors, "o-", color=colour, label=NAMES[dtype],
                            markersize=4)
        condition_ax.loglog(limits.conditions, bound, "--", color=colour, linewidth=1)
    condition_ax.set_ylim(1e-17, 1e2)
    condition_ax.set_title("one square layer")
    condition_ax.set_xlabel("condition number κ of W")
    condition_ax.set_ylabel("relative error of recovered x")
    condition_ax.text(1e6, 1e-15, "dashed: κ·ε", fontsize=10)
    condition_ax.legend(loc="upper left", fontsize=10)

    for dtype, colour in COLOURS.items():
        first_nan = over_seeds(lambda seed: limits.first_nan[seed][dtype], limits.seeds, "{:d}")
        for seed, first in zip(first_nan.seeds, first_nan.values):
            errors = limits.errors_by_seed[seed][dtype]
            finite = [(d, e) for d, e in zip(limits.depths, errors) if not math.isnan(e)]
            assert finite[-1][0] == first - 1 and math.isnan(errors[int(first) - 1])
            depth_ax.semilogy(*zip(*finite), "-", color=colour, linewidth=0.8, alpha=0.6,
                              label=NAMES[dtype] if seed == first_nan.seeds[0] else None)
        # One cross per stack at its first NaN depth, stacked when several share a depth.
        for depth in sorted(set(first_nan.values)):
            count = first_nan.count(lambda value, depth=depth: value == depth)
            depth_ax.semilogy([depth] * count, [NAN_LEVEL * 2.2**k for k in range(count)],
                              "x", color=colour, markersize=5)
        x_share, alignment = NAN_LABELS[dtype]
        spread = str(first_nan).replace(" (", "\n(").replace("; ", ";\n")
        depth_ax.text(x_share, 0.97, f"first NaN at {spread}", color=colour, fontsize=9,
                      ha=alignment, va="top", transform=depth_ax.transAxes)
    depth_ax.axhline(NAN_LEVEL / 3, color="#888888", linewidth=0.6)
    depth_ax.text(limits.depths[0], NAN_LEVEL / 2.5, "× NaN: atanh got |z| ≥ 1", fontsize=10,
                  va="top")
    depth_ax.set_ylim(1e-16, 1e9)
    depth_ax.set_xlim(0, max(first[dtype] for first in limits.first_nan for dtype in COLOURS) + 1)
    depth_ax.set_title(f"Linear+Tanh stacks ({len(limits.seeds)} seeds)")
    depth_ax.set_xlabel("layers")
    depth_ax.set_ylabel("relative error of recovered x")
    depth_ax.legend(loc="lower right", fontsize=10)

    for dtype, colour in COLOURS.items():
        z = limits.pre_activations[dtype]
        errors = limits.saturation_errors[dtype]
        shown = torch.isfinite(errors) & (errors > 0)
        tanh_ax.semilogy(z[shown].double(), errors[shown].double(), ".", color=colour,
                         markersize=2, label=NAMES[dtype], rasterized=True)
        edge = limits.tanh_is_one_from[dtype]
        assert not torch.isfinite(errors[z >= edge]).any()
        tanh_ax.axvline(edge, color=colour, linestyle=":", linewidth=1.2)
        label_place = LABEL_PLACES[dtype]
        tanh_ax.text(edge + label_place[0], label_place[1], f"tanh(z) = 1\nfrom z ≈ {edge:.1f}",
                     color=colour, fontsize=10, ha=label_place[2], va="top")
    tanh_ax.set_ylim(1e-17, 1e2)
    tanh_ax.set_xlim(0, 21)
    tanh_ax.set_title("atanh(tanh(z))")
    tanh_ax.set_xlabel("pre-activation z")
    tanh_ax.set_ylabel("relative error")
    tanh_ax.legend(loc="upper left", fontsize=10, markerscale=4)
    return figure
