"""Issue 20 on the modulo page: each item it found, asserted against the code that proves the
corrected claim, so that the old claim fails if it comes back.

The facts, the results and the notebook are read from the build cache (computed in a
subprocess when missing), so this module imports no TensorFlow; the notebook test runs the
built notebook in a kernel of its own.
"""
import ast
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from engine.page import page_of
from engine._runner import NOTEBOOK, RESULTS, discover, render
from facts._spread import MIN_SEEDS
from tests import check_page
from tests.project import ROOT

PAGE = ROOT / "docs/training/mod-weights.md"
SPREAD = re.compile(r"^(?P<median>\d+) % \(median of (?P<seeds>\d+) seeds; "
                    r"range (?P<low>\d+) %–(?P<high>\d+) %\)$")
PROJECT_PACKAGES = ("engine", "facts", "results", "snippets", "diagrams", "notebooks", "tests")


def product(kind, name):
    """A cached output of the build, computed now (in a subprocess) if it is missing."""
    found = next(p for p in discover([kind]) if p.name == name)
    if not found.output.is_file():
        render(found)
    return found.output


@pytest.fixture(scope="module")
def facts():
    return check_page.facts_for([PAGE])["training/mod_weights"]


@pytest.fixture(scope="module")
def results():
    return json.loads(product(RESULTS, "training/mod_weights").read_text(encoding="utf-8"))


def page_text():
    return PAGE.read_text(encoding="utf-8")


def final(results, optimizer, variant):
    return [results["runs"][optimizer][f"{variant}_{seed}"]["accuracy"][-1]
            for seed in results["seeds"]]


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def spread(value: str) -> dict[str, int]:
    match = SPREAD.match(value)
    assert match, f"not a spread over seeds: {value!r}"
    return {key: int(number) for key, number in match.groupdict().items()}


def section(text: str, anchor: str) -> str:
    """The text under the heading with this id (engine/page.py)."""
    return page_of(text, "docs/training/mod-weights.md").section(anchor)


def test_w_mod_m_learns_badly_not_at_all(results):
    """Item 1: "stops a network from learning" was too strong. With Adam the w mod m MLP ends
    well above chance in most seeds and reaches far more at its best epoch, yet below Dense in
    each seed; the page says it learns badly, and keeps its heading ids."""
    text = page_text()
    assert not re.search(r"stops? (a network from )?learning", text)
    assert re.search(r"^# Why y = x·\(w mod m\) \+ b learns badly$", text, re.MULTILINE)
    chance = 1 / 10
    adam = final(results, "adam", "kernel_mod")
    best = [max(results["runs"]["adam"][f"kernel_mod_{seed}"]["accuracy"])
            for seed in results["seeds"]]
    dense = median(final(results, "adam", "dense"))
    assert median(adam) > 2 * chance and all(b > 2 * chance for b in best)
    assert all(a < 0.9 * dense for a in adam)
    for anchor in ("why", "experiment", "heavy-tail", "sign-of-m", "sawtooth",
                   "straight-through-mod", "instead", "bias-variant"):
        assert f"{{ #{anchor} }}" in text or f'data-was="{anchor}"' in text, anchor


def test_keras_does_not_draw_m_the_layer_does(facts):
    """Item 2: "Keras initialises w and m alike" was the page's own layer choosing to. The
    layer gives m the initializer Keras uses for a Dense kernel, and the page says whose
    choice that is."""
    text = page_text()
    assert "Keras initialises w and m alike" not in text
    assert "this page's choice, not Keras'" in section(text, "heavy-tail")
    tree = ast.parse((ROOT / "snippets/training/mod_layers.py").read_text(encoding="utf-8"))
    build = next(node for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef) and node.name == "build")
    given = {}
    for call in ast.walk(build):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "add_weight":
            keywords = {k.arg: k.value for k in call.keywords}
            given[keywords["name"].value] = ast.unparse(keywords["initializer"])
    assert given["w"] == given["m"] == "glorot"
    assert facts["dense_kernel_initializer"] == "`GlorotUniform`"


def test_each_cause_removed_in_turn_only_the_jumps_stop_learning(results, facts):
    """Item 3: the three causes were not separated. The experiment removes each in turn:
    without the jumps (folded) the MLP learns with each optimizer; without the heavy tail (m
    not trained, where m = 1 also has no tail) or without the fixed sign (centred) it does
    not."""
    assert results["causes"] == ["kernel_mod", "straight_through", "centred", "folded"]
    for optimizer in ("adam", "sgd"):
        assert set(results["causes"]) <= set(results["optimizers"][optimizer]["variants"])
        dense = median(final(results, optimizer, "dense"))
        assert all(a > 0.9 * dense for a in final(results, optimizer, "folded")), optimizer
        for variant in ("straight_through", "centred"):
            assert all(a < 0.5 * dense for a in final(results, optimizer, variant)), variant
    causes = section(page_text(), "causes")
    for shown in ('"snippets/training/mod_layers.py:causes"', "fig_causes.svg",
                  "{{ folded_adam_accuracy }}", "{{ straight_through_accuracy }}",
                  "{{ centred_adam_accuracy }}"):
        assert shown in causes, shown
    assert "removing the jumps alone restores learning" in page_text()
    assert facts["causes_table"].count("\n") == 1 + len(results["causes"])


def test_the_experiment_notebook_runs_alone_in_an_empty_folder(tmp_path):
    """Item 4: the notebook's last cell imported engine.results and results.training, which a
    reader does not have. The built notebook runs top to bottom where a reader runs it: a
    folder holding nothing else, a kernel that cannot import the project; and it prints the
    table the site shows."""
    built = nbformat.read(product(NOTEBOOK, "training/mod_weights_notebook"), as_version=4)
    for cell in built.cells:
        if cell.cell_type == "code" and not cell.source.startswith("%%writefile"):
            for node in ast.walk(ast.parse(cell.source)):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                         [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                for name in names:  # snippets/ are written by the notebook itself
                    assert name.split(".")[0] not in set(PROJECT_PACKAGES) - {"snippets"}, name
    ran = nbformat.read(product(NOTEBOOK, "training/mod_weights_notebook"), as_version=4)
    for cell in ran.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    ran.cells.insert(0, nbformat.v4.new_code_cell(
        "import importlib.util\n"
        f"assert not [n for n in {PROJECT_PACKAGES!r} if importlib.util.find_spec(n)]"))
    NotebookClient(ran, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert {path.name for path in tmp_path.iterdir()} == {"snippets"}
    table = next(cell for cell in built.cells if "print(accuracy_text(results))" in cell.source)
    printed = next(cell for cell in ran.cells if "print(accuracy_text(results))" in cell.source)
    stdout = "".join(o.text for o in printed.outputs if o.output_type == "stream"
                     and o.name == "stdout")
    assert stdout == table.outputs[0].text
    figures = [cell for cell in ran.cells if cell.source.rstrip().endswith("(draw(results))")]
    assert len(figures) == 2 and all(  # a drawing, shown as an image
        any(key.startswith("image/") for o in cell.outputs for key in o.get("data", {}))
        for cell in figures)


def test_measured_numbers_are_spreads_over_seeds(results, facts):
    """Item 5: each accuracy is its median and range over at least five seeds, in prose, in
    tables and in figures, and the statistic the words name is the one the code takes."""
    assert len(results["seeds"]) >= MIN_SEEDS
    for name in ("kernel_mod_adam_accuracy", "no_bias_accuracy", "sigmoid_adam_accuracy",
                 "straight_through_accuracy", "centred_adam_accuracy", "folded_adam_accuracy",
                 "clipped_adam_accuracy", "kernel_mod_adam_best", "torch_clamp_accuracy",
                 "torch_remainder_accuracy", "jumps_kernel_mod", "crossings_folded"):
        found = spread(facts[name])
        assert found["seeds"] >= MIN_SEEDS and found["low"] <= found["median"] <= found["high"]
    adam = sorted(round(100 * a) for a in final(results, "adam", "kernel_mod"))
    assert spread(facts["kernel_mod_adam_accuracy"]) == {
        "median": adam[len(adam) // 2], "seeds": len(adam), "low": adam[0], "high": adam[-1]}
    for table in ("accuracy_table", "causes_table"):
        assert all(re.search(r"\d+ % \(\d+ %–\d+ %\)|not run", row)
                   for row in facts[table].splitlines()[2:]), table
    curves = (ROOT / "diagrams/training/fig_learning_curves.py").read_text(encoding="utf-8")
    assert "fill_between(epochs, low, high" in curves  # a band from lowest to highest seed
    causes = (ROOT / "diagrams/training/fig_causes.py").read_text(encoding="utf-8")
    assert "ax.plot(values, np.full(len(values), y)" in causes  # a dot per seed
    floors = (ROOT / "diagrams/training/fig_floor_ratio.py").read_text(encoding="utf-8")
    assert "errorbar(" in floors and "for index, seed in enumerate(per_seed)" in floors
    for script in ("facts/training/mod_weights.py", "notebooks/training/mod_weights_notebook.py"):
        assert "AGGREGATE = statistics.median" in (ROOT / script).read_text(encoding="utf-8")


def test_weight_constraints_learn_where_w_mod_m_does_not(facts):
    """Item 6: the usual way to bound a weight is a constraint: a keras.constraints.Constraint
    the optimizer applies after each step, clamp_ under torch.no_grad() or a parametrization
    in PyTorch. Each learns where w mod m does not, seed by seed."""
    constraints = section(page_text(), "constraints")
    for shown in ('"snippets/training/mod_layers.py:constraint"',
                  '"snippets/training/bounded_weights_torch.py:clamp"',
                  '"snippets/training/bounded_weights_torch.py:parametrize"',
                  '"snippets/training/bounded_weights_torch.py:remainder"',
                  "keras.constraints.NonNeg()", "keras.constraints.MinMaxNorm("):
        assert shown in constraints, shown
    remainder = spread(facts["torch_remainder_accuracy"])
    for name in ("torch_clamp_accuracy", "torch_parametrize_accuracy"):
        assert spread(facts[name])["low"] > 2 * remainder["high"], name
    assert spread(facts["torch_at_bound"])["low"] > 0  # the clamp binds
    assert spread(facts["clipped_adam_accuracy"])["low"] > spread(
        facts["kernel_mod_adam_accuracy"])["high"]


def test_every_page_rule_passes_on_the_modulo_page(capsys):
    """Item 7: each universal word is proven or narrowed, and every other page rule holds."""
    assert check_page.main([str(PAGE)]) == 0, capsys.readouterr().out
    text = page_text()
    for old in ("with w and m both initialised like weights, w/m is a ratio",
                "never larger than one", "Every effective weight has the sign of m",
                "can never change sign"):
        assert old not in text, old
