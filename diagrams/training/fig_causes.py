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

# Per layout: inches, type (pt) and how the rows are named. Wide is at most 688 px, a
# desktop's column, so 10 pt shows as 13 px; narrow fits a phone's 358 px unshrunk, its
# rows named above their dots: beside them, the names would leave the dots no room.
LAYOUTS = {
    "wide": {"size": (7, 4), "text": 10, "legend_columns": 2,
             "names_above": False},
    "narrow": {"size": (3.6, 4.6), "text": 8.5, "legend_columns": 1,
               "names_above": True},
}


def final_accuracies(results, optimizer, variant):
    runs = results["runs"][optimizer]
    return np.array([runs[f"{variant}_{seed}"]["accuracy"][-1]
                     for seed in results["seeds"]])


def draw_laid_out(results, layout) -> Figure:
    """The figure for a desktop ("wide") or a phone ("narrow")."""
    look = LAYOUTS[layout]
    text = look["text"]
    rows = [*results["causes"], "dense"]
    figure = Figure(figsize=look["size"], layout="constrained")
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
    names = [LABELS[variant] for variant in reversed(rows)]
    if look["names_above"]:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        for y, name in enumerate(names):
            ax.text(0, y + 0.3, name, fontsize=text, va="bottom",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    else:
        ax.set_yticks(range(len(rows)), names)
    ax.tick_params(labelsize=text)
    ax.axvline(0.1, color="#888888", linewidth=0.8, linestyle=":")
    ax.text(0.105, -0.55, "chance", color="#555555", fontsize=text, va="bottom")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(rows) - 0.4 + 0.3 * look["names_above"])
    ax.set_xlabel(f"accuracy on held-out digits after {results['epochs']} epochs\n"
                  f"(dot: a seed; bar: median of {len(results['seeds'])})",
                  fontsize=text)
    figure.legend(loc="outside upper center", ncols=look["legend_columns"],
                  fontsize=text, frameon=False)
    return figure


def draw(results) -> Figure:
    """The wide figure, as the notebook shows it."""
    return draw_laid_out(results, "wide")


def make_figure(layout: str) -> Figure:
    return draw_laid_out(load(mod_weights), layout)
