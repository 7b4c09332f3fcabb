"""floor(w/m) of every kernel entry when w and m are both initialised like weights

From the cached experiment: the initial w and m of the three MLPs with kernel = w mod m.
Left, how many entries have each value of floor(w/m) near zero; right, the share whose
|floor(w/m)|, the size of the gradient m receives per unit of gradient w receives, is at
least a given size: a straight line on log-log axes, a heavy tail.
"""
import numpy as np
from matplotlib.figure import Figure

from engine.results import load
from results.training import mod_weights
from snippets.training import mod_experiment

NEAR = 8  # the left panel shows floor(w/m) from -NEAR to NEAR


def initial_floor_ratios():
    results = load(mod_weights)
    counts = {}
    for seed in results["seeds"]:
        for value, count in results["runs"]["adam"][f"kernel_mod_{seed}"]["initial_floors"].items():
            counts[int(value)] = counts.get(int(value), 0) + count
    return counts, results


def make_figure() -> Figure:
    counts, results = initial_floor_ratios()
    network = mod_experiment.mlp(mod_experiment.VARIANTS["kernel_mod"], 0, "kernel_mod")
    entries = sum(int(np.prod(weight.shape)) for weight in network.weights if weight.name == "w")
    assert sum(counts.values()) == entries * len(results["seeds"])

    figure = Figure(figsize=(10, 3.8), layout="constrained")
    near_ax, tail_ax = figure.subplots(1, 2)
    values = np.arange(-NEAR, NEAR + 1)
    near_ax.bar(values, [counts.get(int(v), 0) for v in values], color="#0072B2", width=0.8)
    near_ax.set_xticks(values[::2])
    near_ax.set_xlabel("floor(w/m)")
    near_ax.set_ylabel("kernel entries")
    near_ax.set_title("most are small")

    sizes = np.array(sorted(abs(value) for value, count in counts.items()
                            for _ in range(count)))
    thresholds = np.unique(np.round(np.logspace(0, np.log10(sizes.max()), 40)))
    shares = [np.mean(sizes >= t) for t in thresholds]
    tail_ax.loglog(thresholds, shares, "o-", color="#D55E00", markersize=3)
    tail_ax.loglog(thresholds, shares[0] / thresholds, "--", color="#555555", linewidth=1,
                   label="∝ 1/t")
    tail_ax.set_xlabel("t")
    tail_ax.set_ylabel("share with |floor(w/m)| ≥ t")
    tail_ax.set_title("a few are huge")
    tail_ax.legend(fontsize=10, frameon=False)
    return figure
