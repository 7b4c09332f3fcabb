"""floor(w/m) of each kernel entry when w and m are both drawn like weights, seed by seed

From the cached experiment: the initial w and m of the MLPs with kernel = w mod m, one per
seed. Left, how many entries have each value of floor(w/m) near zero (bar: the median over
the seeds; whisker: lowest to highest); right, for each seed, the share whose |floor(w/m)|,
the size of the gradient m receives per unit of gradient w receives, is at least a given
size: about a straight line on log-log axes, a heavy tail.
"""
import numpy as np
from matplotlib.figure import Figure

from engine.results import load
from results.training import mod_weights
from snippets.training import mod_experiment
from snippets.training.mod_layers import KernelModDense

NEAR = 8  # the left panel shows floor(w/m) from -NEAR to NEAR


def initial_floors(results):
    """Per seed: {floor(w/m): how many kernel entries have it}."""
    return [{int(value): count for value, count in
             results["runs"]["adam"][f"kernel_mod_{seed}"]["initial_floors"].items()}
            for seed in results["seeds"]]


def make_figure() -> Figure:
    results = load(mod_weights)
    per_seed = initial_floors(results)
    network = mod_experiment.mlp(KernelModDense, 0)
    entries = sum(int(np.prod(weight.shape)) for weight in network.weights if weight.name == "w")
    assert all(sum(counts.values()) == entries for counts in per_seed)

    figure = Figure(figsize=(10, 3.8), layout="constrained")
    near_ax, tail_ax = figure.subplots(1, 2)
    values = np.arange(-NEAR, NEAR + 1)
    counts = np.array([[seed.get(int(v), 0) for v in values] for seed in per_seed])
    median = np.median(counts, axis=0)
    near_ax.bar(values, median, color="#0072B2", width=0.8)
    near_ax.errorbar(values, median, yerr=[median - counts.min(0), counts.max(0) - median],
                     fmt="none", ecolor="#1a1a1a", elinewidth=1, capsize=2)
    near_ax.set_xticks(values[::2])
    near_ax.set_xlabel("floor(w/m)")
    near_ax.set_ylabel(f"kernel entries of an MLP (of {entries:,})")
    near_ax.set_title("most are small")

    largest = max(abs(value) for seed in per_seed for value in seed)
    thresholds = np.unique(np.round(np.logspace(0, np.log10(largest), 40)))
    for index, seed in enumerate(per_seed):
        sizes = np.array(sorted(abs(value) for value, count in seed.items() for _ in range(count)))
        shares = [np.mean(sizes >= t) for t in thresholds if t <= sizes.max()]
        tail_ax.loglog(thresholds[:len(shares)], shares, "-", color="#D55E00", linewidth=1,
                       alpha=0.8, label=f"each of {len(per_seed)} seeds" if index == 0 else None)
    reference = np.mean([np.mean(np.array([abs(v) for v, c in seed.items() for _ in range(c)]) >= 1)
                         for seed in per_seed])
    tail_ax.loglog(thresholds, reference / thresholds, "--", color="#555555", linewidth=1,
                   label="∝ 1/t")
    tail_ax.set_xlabel("t")
    tail_ax.set_ylabel("share with |floor(w/m)| ≥ t")
    tail_ax.set_title("a few are huge")
    tail_ax.legend(fontsize=10, frameon=False)
    return figure
