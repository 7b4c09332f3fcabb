"""Reconstruction error of exact inversion against condition number, depth and tanh saturation

Measured by the numerical-limits snippet, in float32 and float64: solving with a weight
matrix of condition number κ loses about κ·ε; a stack of default-initialised Linear+Tanh
layers loses more with every layer until atanh meets |z| ≥ 1 and returns NaN; and atanh
cannot undo tanh once tanh has rounded to exactly 1.
"""
import math

import torch
from matplotlib.figure import Figure

from snippets.inversion import numerical_limits as limits

COLOURS = {torch.float32: "#0072B2", torch.float64: "#D55E00"}
NAMES = {torch.float32: "float32", torch.float64: "float64"}
# Where each saturation label sits: (offset from its line, height, alignment), clear of data.
LABEL_PLACES = {torch.float32: (0.3, 1e-13, "left"), torch.float64: (-0.3, 1e1, "right")}
NAN_LEVEL = 1e2  # where NaN results are drawn: above every finite error


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
        errors = limits.depth_errors[dtype]
        finite = [(d, e) for d, e in zip(limits.depths, errors) if not math.isnan(e)]
        nans = [d for d, e in zip(limits.depths, errors) if math.isnan(e)]
        assert nans and nans[0] == limits.first_nan[dtype]
        depth_ax.semilogy(*zip(*finite), "o-", color=colour, label=NAMES[dtype], markersize=4)
        depth_ax.semilogy(nans, [NAN_LEVEL] * len(nans), "x", color=colour, markersize=7)
    depth_ax.axhline(NAN_LEVEL / 3, color="#888888", linewidth=0.6)
    depth_ax.text(limits.depths[0], NAN_LEVEL * 3, "× NaN: atanh got |z| ≥ 1", fontsize=10)
    depth_ax.set_ylim(1e-16, 1e4)
    depth_ax.set_title("Linear+Tanh stack")
    depth_ax.set_xlabel("layers")
    depth_ax.set_ylabel("relative error of recovered x")
    depth_ax.legend(loc="center right", fontsize=10)

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
