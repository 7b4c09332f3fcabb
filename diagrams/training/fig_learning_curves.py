"""Test accuracy per epoch of every variant and seed, with Adam and with SGD

From the cached experiment (results/training/mod_weights.py): one line per MLP, three
seeds per variant in one colour. Chance is one digit in ten.
"""
from matplotlib.figure import Figure

from engine.results import load
from results.training import mod_weights
from snippets.training.mod_layers import LABELS

# Okabe–Ito colours, one per variant; the MLP without bias is the Dense one, dashed.
STYLES = {
    "dense": ("#0072B2", "-"),
    "no_bias": ("#56B4E9", "--"),
    "bias_mod": ("#009E73", "-"),
    "sigmoid": ("#000000", "-"),
    "kernel_mod": ("#D55E00", "-"),
    "straight_through": ("#CC79A7", "-"),
}
TITLES = {"adam": "Adam", "sgd": "SGD"}


def make_figure() -> Figure:
    results = load(mod_weights)
    figure = Figure(figsize=(10, 4.4), layout="constrained")
    axes = figure.subplots(1, len(results["runs"]), sharey=True)
    for ax, (optimizer, runs) in zip(axes, results["runs"].items()):
        settings = results["optimizers"][optimizer]
        for variant in settings["variants"]:
            colour, line = STYLES[variant]
            for index, seed in enumerate(results["seeds"]):
                accuracy = runs[f"{variant}_{seed}"]["accuracy"]
                assert len(accuracy) == results["epochs"]
                ax.plot(range(1, len(accuracy) + 1), accuracy, line, color=colour,
                        linewidth=1.4, label=LABELS[variant] if index == 0 else None)
        ax.axhline(0.1, color="#888888", linewidth=0.8, linestyle=":")
        ax.set_title(f"{TITLES[optimizer]}, learning rate {settings['learning_rate']:g}")
        ax.set_xlabel("epoch")
        ax.set_ylim(0, 1)
        ax.set_xlim(1, results["epochs"])
        ax.set_xticks([1, *range(5, results["epochs"] + 1, 5)])
    axes[0].set_ylabel("accuracy on held-out digits")
    axes[-1].text(results["epochs"], 0.11, "chance", ha="right", va="bottom", color="#555555",
                  fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=10,
                  frameon=False)
    return figure
