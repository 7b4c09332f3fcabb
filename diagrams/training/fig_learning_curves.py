"""Test accuracy per epoch of each variant over the seeds, with Adam and with SGD

From the cached experiment (results/training/mod_weights.py): per variant, a line
through the median of the seeds at each epoch and a band from the lowest seed to the
highest. Chance is one digit in ten.
"""
import numpy as np
from matplotlib.figure import Figure

from engine.results import load
from results.training import mod_weights
from snippets.training.mod_layers import LABELS

# Okabe–Ito colours, one per variant; the MLP without bias is the Dense one, dashed.
STYLES = {
    "dense": ("#0072B2", "-"),
    "no_bias": ("#56B4E9", "--"),
    "bias_mod": ("#009E73", "-"),
    "clipped": ("#E69F00", "-"),
    "sigmoid": ("#000000", "-"),
    "kernel_mod": ("#D55E00", "-"),
}

# Per layout: inches, type (pt), whether the optimizers' panels are stacked and the
# legend's columns. Wide is at most 688 px, a desktop's column, so 10 pt shows as 13 px;
# narrow fits a phone's 358 px unshrunk.
LAYOUTS = {
    "wide": {"size": (7, 4.8), "text": 10, "title": 11, "stacked": False,
             "columns": 2},
    "narrow": {"size": (3.6, 6.6), "text": 8.5, "title": 9, "stacked": True,
               "columns": 1},
}


def seed_curves(results, optimizer, variant):
    """(epochs, seeds) test accuracies of one variant."""
    runs = results["runs"][optimizer]
    curves = np.array([runs[f"{variant}_{seed}"]["accuracy"]
                       for seed in results["seeds"]]).T
    assert curves.shape == (results["epochs"], len(results["seeds"]))
    return curves


def draw_laid_out(results, layout) -> Figure:
    """The figure for a desktop ("wide") or a phone ("narrow")."""
    look = LAYOUTS[layout]
    text = look["text"]
    figure = Figure(figsize=look["size"], layout="constrained")
    figure.get_layout_engine().set(wspace=0.05)  # keeps "20" and "1" apart side by side
    panels = len(results["runs"])
    axes = figure.subplots(*((panels, 1) if look["stacked"] else (1, panels)),
                           sharex=True, sharey=True)
    epochs = np.arange(1, results["epochs"] + 1)
    for ax, optimizer in zip(axes, results["runs"]):
        settings = results["optimizers"][optimizer]
        for variant, (colour, line) in STYLES.items():
            if variant not in settings["variants"]:
                continue
            curves = seed_curves(results, optimizer, variant)
            median, low, high = (np.median(curves, 1), curves.min(1), curves.max(1))
            assert np.all(low <= median) and np.all(median <= high)
            ax.fill_between(epochs, low, high, color=colour, alpha=0.18, linewidth=0)
            ax.plot(epochs, median, line, color=colour, linewidth=1.6,
                    label=LABELS[variant])
        ax.axhline(0.1, color="#888888", linewidth=0.8, linestyle=":")
        ax.set_title(
            f"{settings['class']}, learning rate {settings['learning_rate']:g}",
            fontsize=look["title"])
        ax.tick_params(labelsize=text)
        ax.set_ylim(0, 1)
        ax.set_xlim(1, results["epochs"])
        ax.set_xticks([1, *range(5, results["epochs"] + 1, 5)])
    # Stacked, "epoch" once under the lower panel; side by side, the y axis named once.
    for ax in axes[-1:] if look["stacked"] else axes:
        ax.set_xlabel("epoch", fontsize=text)
    for ax in axes if look["stacked"] else axes[:1]:
        ax.set_ylabel("accuracy on held-out digits", fontsize=text)
    axes[-1].text(results["epochs"], 0.11, "chance", ha="right", va="bottom",
                  color="#555555", fontsize=text)
    labels = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            labels.setdefault(label, handle)
    figure.legend(
        list(labels.values()), list(labels), loc="outside lower center",
        ncols=look["columns"], fontsize=text, title_fontsize=text, frameon=False,
        title=f"line: median of {len(results['seeds'])} seeds; band: lowest to highest")
    return figure


def draw(results) -> Figure:
    """The wide figure, as the notebook shows it."""
    return draw_laid_out(results, "wide")


def make_figure(layout: str) -> Figure:
    return draw_laid_out(load(mod_weights), layout)
