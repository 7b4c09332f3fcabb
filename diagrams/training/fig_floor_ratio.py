"""floor(w/m) of each kernel entry when w and m are both drawn like weights, seed by seed

From the cached experiment: the initial w and m of the MLPs with kernel = w mod m, one per
seed. Left (above on a phone), how many entries have each value of floor(w/m) near zero
(bar: the median over the seeds; whisker: lowest to highest); right (below), for each seed,
the share whose |floor(w/m)|, the size of the gradient m receives per unit of gradient w
receives, is at least a given size: about a straight line on log-log axes, a heavy tail.
"""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator

from engine.results import load
from results.training import mod_weights
from snippets.training import mod_experiment
from snippets.training.mod_layers import KernelModDense

NEAR = 8  # the first panel shows floor(w/m) from -NEAR to NEAR

# Per layout: inches, type (pt) and whether the panels are stacked. Wide is at most 688 px,
# a desktop's column, narrow fits a phone's 358 px unshrunk. The log axes' exponents are
# set at 0.7 of their tick labels, so those are larger: 12 pt keeps 10^-5's "-5" at 11 px.
LAYOUTS = {
    "wide": {"size": (7, 3.6), "text": 11, "title": 12, "log_ticks": 12, "stacked": False},
    "narrow": {"size": (3.6, 5.8), "text": 9, "title": 9.5, "log_ticks": 10, "stacked": True},
}


def initial_floors(results):
    """Per seed: {floor(w/m): how many kernel entries have it}."""
    return [{int(value): count for value, count in
             results["runs"]["adam"][f"kernel_mod_{seed}"]["initial_floors"].items()}
            for seed in results["seeds"]]


def draw_near(ax, per_seed, entries, look):
    """Bars: the median count of each floor(w/m) near zero; whiskers: lowest to highest."""
    values = np.arange(-NEAR, NEAR + 1)
    counts = np.array([[seed.get(int(v), 0) for v in values] for seed in per_seed])
    median = np.median(counts, axis=0)
    ax.bar(values, median, color="#0072B2", width=0.8)
    ax.errorbar(values, median, yerr=[median - counts.min(0), counts.max(0) - median],
                fmt="none", ecolor="#1a1a1a", elinewidth=1, capsize=2)
    ax.set_xticks(values[::2])
    ax.tick_params(labelsize=look["text"])
    ax.set_xlabel("floor(w/m)", fontsize=look["text"])
    ax.set_ylabel(f"kernel entries of an MLP (of {entries:,})", fontsize=look["text"])
    ax.set_title("most are small", fontsize=look["title"])


def draw_tail(ax, per_seed, look):
    """Per seed, the share of entries with |floor(w/m)| >= t, against t on log-log axes."""
    largest = max(abs(value) for seed in per_seed for value in seed)
    thresholds = np.unique(np.round(np.logspace(0, np.log10(largest), 40)))
    for index, seed in enumerate(per_seed):
        sizes = np.array(sorted(abs(value) for value, count in seed.items()
                                for _ in range(count)))
        shares = [np.mean(sizes >= t) for t in thresholds if t <= sizes.max()]
        ax.loglog(thresholds[:len(shares)], shares, "-", color="#D55E00", linewidth=1,
                  alpha=0.8, label=f"each of {len(per_seed)} seeds" if index == 0 else None)
    reference = np.mean([np.mean(np.array([abs(v) for v, c in seed.items()
                                           for _ in range(c)]) >= 1)
                         for seed in per_seed])
    ax.loglog(thresholds, reference / thresholds, "--", color="#555555", linewidth=1,
              label="∝ 1/t")
    ax.tick_params(labelsize=look["log_ticks"])
    ax.xaxis.set_major_locator(LogLocator(numticks=12))  # every decade, however large the type
    ax.set_xlabel("t", fontsize=look["text"])
    ax.set_ylabel("share with |floor(w/m)| ≥ t", fontsize=look["text"])
    ax.set_title("a few are huge", fontsize=look["title"])
    ax.legend(fontsize=look["text"], frameon=False)


def make_figure(layout: str) -> Figure:
    results = load(mod_weights)
    per_seed = initial_floors(results)
    network = mod_experiment.mlp(KernelModDense, 0)
    entries = sum(int(np.prod(weight.shape)) for weight in network.weights
                  if weight.name == "w")
    assert all(sum(counts.values()) == entries for counts in per_seed)

    look = LAYOUTS[layout]
    figure = Figure(figsize=look["size"], layout="constrained")
    near_ax, tail_ax = figure.subplots(*((2, 1) if look["stacked"] else (1, 2)))
    draw_near(near_ax, per_seed, entries, look)
    draw_tail(tail_ax, per_seed, look)
    return figure
