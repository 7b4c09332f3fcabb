"""The w mod m experiment as a notebook: its code, with the outputs of the cached run.

The code cells are the snippet files the page includes and the results script, as the
tests run them; the outputs (the accuracy table, the learning curves) come from the cached
results, not from executing the notebook here.
"""
import inspect
import io
import statistics
from pathlib import Path

import matplotlib
import nbformat
from nbformat import v4

from diagrams import _style
from engine.notebooks import snippet_code
from engine.results import load
from results.training import mod_weights
from snippets.training.mod_layers import LABELS

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["snippets/training/mod_layers.py", "snippets/training/mod_experiment.py"]
RESULTS_SCRIPT = "results/training/mod_weights.py"
FIGURE_SCRIPT = "diagrams/training/fig_learning_curves.py"


# How the seeds of a variant are summed up: the table takes it, and the text names it.
AGGREGATE = statistics.mean


def accuracy_text(results) -> str:
    """Final test accuracy per variant and optimizer: AGGREGATE, lowest and highest seed."""
    runs = results["runs"]
    lines = [f"{'each layer computes':36}" + "".join(f"{name:>22}" for name in runs)]
    for variant in results["optimizers"]["adam"]["variants"]:
        cells = []
        for optimizer in runs:
            if variant not in results["optimizers"][optimizer]["variants"]:
                cells.append(f"{'not run':>22}")
                continue
            final = [runs[optimizer][f"{variant}_{seed}"]["accuracy"][-1]
                     for seed in results["seeds"]]
            cells.append(f"{AGGREGATE(final):>10.1%} ({min(final):.0%}–{max(final):.0%})")
        lines.append(f"{LABELS[variant]:36}" + "".join(cells))
    return "\n".join(lines) + "\n"


def figure_svg() -> str:
    matplotlib.use("svg")
    matplotlib.rcParams.update(_style.RC_PARAMS)
    from diagrams.training import fig_learning_curves

    buffer = io.StringIO()
    fig_learning_curves.make_figure().savefig(
        buffer, format="svg", bbox_inches="tight", metadata={"Date": None}
    )
    return buffer.getvalue()


def make_notebook():
    results = load(mod_weights)
    cells = [v4.new_markdown_cell(
        "# Why y = x·(w mod m) + b stops a network from learning: the experiment\n\n"
        "The code of the experiment on [the page](mod-weights.md): the layers, the MLPs "
        "trained side by side, and the run. The outputs below are those of the cached run "
        "that the page's numbers come from ([results as JSON](../results/training/"
        "mod_weights.json)); running the notebook trains everything again."
    ), v4.new_markdown_cell(
        "The experiment's modules, written next to the notebook so that its imports work "
        "as they do on the site."
    ), v4.new_code_cell(
        "import os\n\nos.makedirs(\"snippets/training\", exist_ok=True)\n"
        "os.makedirs(\"results/training\", exist_ok=True)"
    )]
    for module in MODULES:
        cells.append(v4.new_code_cell(f"%%writefile {module}\n{snippet_code(ROOT / module)}"))
    cells.append(v4.new_markdown_cell(
        "## The run\n\nEvery MLP of each optimizer in one Keras model; the table is the "
        f"final accuracy on the held-out digits, {AGGREGATE.__name__} over the seeds "
        "(lowest–highest)."
    ))
    cells.append(v4.new_code_cell(
        snippet_code(ROOT / RESULTS_SCRIPT) + "\n\nresults = make_results(print)"
    ))
    table = v4.new_code_cell(
        "import statistics\n\nfrom snippets.training.mod_layers import LABELS\n\n"
        f"AGGREGATE = statistics.{AGGREGATE.__name__}\n\n\n"
        + inspect.getsource(accuracy_text) + "\n\nprint(accuracy_text(results))"
    )
    table.outputs = [v4.new_output("stream", name="stdout", text=accuracy_text(results))]
    cells.append(table)
    cells.append(v4.new_markdown_cell(
        "## Learning curves\n\nThe page's figure script; on the site `load(mod_weights)` "
        "reads the cached run, here it is the `results` above."
    ))
    figure = v4.new_code_cell(snippet_code(ROOT / FIGURE_SCRIPT) + "\n\nmake_figure()")
    figure.outputs = [v4.new_output(
        "display_data", data={"image/svg+xml": figure_svg(), "text/plain": "<Figure>"}
    )]
    cells.append(figure)
    notebook = v4.new_notebook(cells=cells, metadata={
        # The page's meta description (search results, link previews).
        "description": "The w mod m experiment as a notebook: the Keras layers, the training run "
                       "on scikit-learn's digits and the learning curves, with the outputs of the "
                       "run the site was built from.",
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return notebook
