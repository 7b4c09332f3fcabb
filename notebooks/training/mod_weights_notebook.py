"""The w mod m experiment as a notebook: its code, with the outputs of the cached run.

The code cells are the snippet files the page includes, the results script and the figure
scripts, as the tests run them; a figure script reads the cached run through the project's
engine, so the notebook shows it without those imports and hands it the `results` the
notebook computed. Each cell runs in a folder that holds only the notebook (the tests run
it so). The outputs (the accuracy table, the figures) come from the cached results, not
from executing the notebook here.
"""
import ast
import inspect
import io
import re
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
FIGURE_SCRIPTS = ["diagrams/training/fig_learning_curves.py", "diagrams/training/fig_causes.py"]
# What a figure script imports to read the cached run; the notebook has `results` instead.
PROJECT_ONLY = ("engine", "results")

# Shows a matplotlib Figure in Jupyter whatever its matplotlib backend.
SHOWN = '''import io

from IPython.display import SVG


def shown(figure):
    """A matplotlib Figure as an SVG image that Jupyter displays."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return SVG(buffer.getvalue())
'''

# How the seeds of a variant are summed up: the table takes it, and the text names it.
AGGREGATE = statistics.median


def accuracy_text(results) -> str:
    """Final test accuracy per variant and optimizer: AGGREGATE, lowest and highest."""
    runs = results["runs"]
    lines = [f"{'each layer computes':38}" + "".join(f"{name:>20}" for name in runs)]
    for variant in results["optimizers"]["adam"]["variants"]:
        cells = []
        for optimizer in runs:
            if variant not in results["optimizers"][optimizer]["variants"]:
                cells.append(f"{'not run':>20}")
                continue
            final = [runs[optimizer][f"{variant}_{seed}"]["accuracy"][-1]
                     for seed in results["seeds"]]
            spread = f"({min(final):.0%}–{max(final):.0%})"
            cells.append(f"{AGGREGATE(final):>8.0%} {spread}")
        lines.append(f"{LABELS[variant]:38}" + "".join(cells))
    return "\n".join(lines)


def reader_code(path: str) -> str:
    """A figure script as a reader runs it: without the imports that read the cached run
    and without make_figure(), which calls draw() on it."""
    source = snippet_code(ROOT / path)
    dropped = set()
    for node in ast.parse(source).body:
        project_import = isinstance(node, ast.ImportFrom) and (
            node.module or "").split(".")[0] in PROJECT_ONLY
        if project_import or isinstance(node, ast.FunctionDef) and node.name == "make_figure":
            dropped.update(range(node.lineno, node.end_lineno + 1))
    lines = [line for number, line in enumerate(source.splitlines(), 1) if number not in dropped]
    code = re.sub(r"\n{3,}", "\n\n\n", "\n".join(lines)).strip() + "\n"
    assert "def draw(results)" in code and "make_figure" not in code
    return code


def figure_svg(path: str) -> str:
    """What draw() makes of the cached run, in the site's figure style."""
    matplotlib.use("svg")
    matplotlib.rcParams.update(_style.RC_PARAMS)
    namespace = {}
    exec(compile(reader_code(path), path, "exec"), namespace)
    buffer = io.StringIO()
    namespace["draw"](load(mod_weights)).savefig(
        buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def make_notebook():
    results = load(mod_weights)
    cells = [v4.new_markdown_cell(
        "# Why y = x·(w mod m) + b learns badly: the experiment\n\n"
        "The code of the experiment on [the page](mod-weights.md): the layers, the MLPs "
        "trained side by side, and the run. The outputs below are those of the cached run "
        "that the page's numbers come from ([results as JSON](../results/training/"
        "mod_weights.json)); running the notebook trains each MLP again, in a folder of its "
        "own."
    ), v4.new_markdown_cell(
        "The experiment's modules, written next to the notebook so that its imports work "
        "as they do on the site."
    ), v4.new_code_cell(
        "import os\n\nos.makedirs(\"snippets/training\", exist_ok=True)"
    )]
    for module in MODULES:
        cells.append(v4.new_code_cell(f"%%writefile {module}\n{snippet_code(ROOT / module)}"))
    cells.append(v4.new_markdown_cell(
        "## The run\n\nThe MLPs of each optimizer, side by side in a Keras model; the table "
        f"is the final accuracy on the held-out digits, {AGGREGATE.__name__} over the seeds "
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
    table.outputs = [v4.new_output("stream", name="stdout", text=accuracy_text(results) + "\n")]
    cells.append(table)
    cells.append(v4.new_markdown_cell(
        "## Figures\n\nThe page's figure scripts; on the site they read the cached run, here "
        "they draw the `results` above."
    ))
    cells.append(v4.new_code_cell(SHOWN))
    for path in FIGURE_SCRIPTS:
        figure = v4.new_code_cell(reader_code(path) + "\n\nshown(draw(results))")
        figure.outputs = [v4.new_output(
            "execute_result", data={"image/svg+xml": figure_svg(path),
                                    "text/plain": "<IPython.core.display.SVG object>"})]
        cells.append(figure)
    notebook = v4.new_notebook(cells=cells, metadata={
        # The page's meta description (search results, link previews).
        "description": "The w mod m experiment as a notebook: the Keras layers, the training "
                       "run on scikit-learn's digits, the learning curves and the causes "
                       "removed in turn, with the outputs of the run the site was built from.",
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    return notebook
