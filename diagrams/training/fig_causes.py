"""Final test accuracy per seed, each cause of the w mod m failure removed in turn

From the cached experiment (results/training/mod_weights.py): for x·(w mod m) + b and
for the variants that remove its heavy-tailed gradient for m, its fixed sign or its
jumps, each seed's accuracy after the last epoch as a dot and their median as a bar,
with Dense for reference, for each optimizer.
"""
import numpy as np
from matplotlib.figure import Figure

from engine.results import load
from results.training import mod_weights
from snippets.training.mod_layers import LABELS

COLOURS = {"Adam": "#0072B2", "SGD": "#D55E00"}  # Okabe–Ito blue and vermillion


def final_accuracies(results, optimizer, variant):
    runs = results["runs"][optimizer]
    return np.array([runs[f"{variant}_{seed}"]["accuracy"][-1]
                     for seed in results["seeds"]])


def draw(results) -> Figure:
    rows = [*results["causes"], "dense"]
    figure = Figure(figsize=(10, 4.2), layout="constrained")
    ax = figure.subplots()
    offsets = np.linspace(-0.15, 0.15, len(results["runs"]))
    for offset, optimizer in zip(offsets, results["runs"]):
        settings = results["optimizers"][optimizer]
        colour = COLOURS[settings["class"]]
        for row, variant in enumerate(rows):
            values = final_accuracies(results, optimizer, variant)
            y = len(rows) - 1 - row + offset
            ax.plot([np.median(values)] * 2, [y - 0.12, y + 0.12], color=colour,
                    linewidth=2.4)
            ax.plot(values, np.full(len(values), y), "o", color=colour, markersize=5,
                    markerfacecolor="white", label=None)
        ax.plot(
            [], [], "o-", color=colour, markerfacecolor="white",
            label=f"{settings['class']}, learning rate {settings['learning_rate']:g}")
    ax.set_yticks(range(len(rows)), [LABELS[variant] for variant in reversed(rows)])
    ax.axvline(0.1, color="#888888", linewidth=0.8, linestyle=":")
    ax.text(0.105, len(rows) - 0.6, "chance", color="#555555", fontsize=10)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(f"accuracy on held-out digits after {results['epochs']} epochs "
                  f"(dot: a seed; bar: median of {len(results['seeds'])})")
    ax.legend(loc="center right", fontsize=10, frameon=False)
    return figure


def make_figure() -> Figure:
    return draw(load(mod_weights))
