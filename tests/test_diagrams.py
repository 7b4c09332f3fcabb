"""Figures: deterministic SVG, a cache key that sees what matters and ignores prose."""
import ast
import os
import subprocess
import sys

import pytest

from engine._runner import FACTS, FIGURE, NOTEBOOK, narrow_of, product_of, render_forked, render_to
from engine._runner import render as render_cached
from tests.project import ROOT, figure_scripts
from tests.site_build import copy_project

FIGURES = figure_scripts()
FIGURE_IDS = [script.relative_to(ROOT / "diagrams").as_posix() for script in FIGURES]


def render(script, output, run=render_forked):
    result = run(script, output)
    assert result.returncode == 0, result.stderr
    return output.read_bytes()


@pytest.mark.parametrize("script", FIGURES, ids=FIGURE_IDS)
def test_two_renders_of_a_figure_are_byte_identical(script, tmp_path):
    """A second render draws the bytes of the one the cache holds for the same key (made by
    this run's build, or rendered here if not there yet): two renders, one of them served."""
    cached = product_of(FIGURE, script)
    render_cached(cached)  # nothing to do when it is cached
    assert render(script, tmp_path / "again.svg") == cached.output.read_bytes()
    narrow = narrow_of(tmp_path / "again.svg")  # the layout for phones, if it draws one
    assert narrow.exists() == (cached.narrow_output is not None)
    assert not narrow.exists() or narrow.read_bytes() == cached.narrow_output.read_bytes()


# One of each kind: the mechanism is the same for every script of a kind (and every figure
# is compared with a second render, forked, above). The facts script builds Keras layers and
# PyTorch modules, so both libraries run in the fork.
FRESH = [(FIGURE, ROOT / "diagrams/lstm/fig_cell.py"), (FACTS, ROOT / "facts/rnn/simple_rnn.py"),
         (NOTEBOOK, ROOT / "notebooks/training/mod_weights_notebook.py")]


@pytest.mark.parametrize("kind, script", FRESH, ids=[s.relative_to(ROOT).as_posix() for _, s in FRESH])
def test_a_fork_of_the_preloaded_server_makes_what_a_fresh_interpreter_makes(kind, script, tmp_path):
    """The engine runs each script in a fork of a process that imported the libraries first
    (engine/_runner.py); a fresh interpreter, as `python -m engine._render_one` starts one,
    must make the same bytes, or the fork would change what the site shows."""
    cached = product_of(kind, script)
    render_cached(cached)
    assert render(script, tmp_path / f"fresh{kind.suffix}", run=render_to) == cached.output.read_bytes()
    if cached.narrow_output is not None:
        assert narrow_of(tmp_path / f"fresh{kind.suffix}").read_bytes() == cached.narrow_output.read_bytes()


@pytest.mark.parametrize("script", FIGURES, ids=FIGURE_IDS)
def test_a_figure_script_only_draws(script):
    """Saving, showing and global style belong to the renderer, so every figure matches."""
    tree = ast.parse(script.read_text())
    calls = {
        node.attr for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"savefig", "show", "rcParams", "use"}
    }
    assert not calls, f"{script.relative_to(ROOT)} uses {sorted(calls)}"
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert "make_figure" in names and ast.get_docstring(tree), "needs a docstring title and make_figure()"


def cache_keys(project):
    """{figure: key} computed by the project's own code, as the hook would."""
    code = (
        "from engine._runner import FIGURE, discover\n"
        "for f in discover([FIGURE]): print(f.name, f.output.name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    return dict(line.split() for line in result.stdout.splitlines())


def test_cache_key_ignores_prose_and_comments_and_sees_imported_code_and_style(tmp_path):
    project = copy_project(tmp_path / "project")
    before = cache_keys(project)
    assert before == cache_keys(project), "the key is not stable"

    page = project / "docs/lstm/weights.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    assert cache_keys(project) == before, "a prose edit changed a figure's key"

    snippet = project / "snippets/lstm/reader_model.py"
    snippet.write_text(snippet.read_text().replace("import keras\n", "import keras  # a remark\n\n"))
    assert cache_keys(project) == before, "a comment and a blank line re-rendered a figure"

    snippet.write_text(snippet.read_text() + "\nmodel.trainable = True  # a change to the code\n")
    after_snippet = cache_keys(project)
    assert after_snippet["lstm/fig_cell"] != before["lstm/fig_cell"]

    style = project / "diagrams/_style.py"
    style.write_text(style.read_text() + "\nTEXT_COLOUR = TEXT_COLOUR  # every figure's style\n")
    after_style = cache_keys(project)
    assert all(after_style[name] != after_snippet[name] for name in before)


def test_cache_key_covers_the_versions_of_the_libraries_a_figure_uses():
    from engine._cache_key import dependencies, library_versions

    _files, modules = dependencies(ROOT / "diagrams/lstm/fig_cell.py")
    versions = library_versions(modules)
    # Keras draws the shapes, TensorFlow computes them, matplotlib draws the picture.
    assert {"keras", "tensorflow", "matplotlib"} <= versions.keys()


def test_a_rerun_says_which_input_changed():
    from engine._cache_key import what_changed

    before = {"python": "3.11.7", "snippets/lstm/reader_model.py": "aaa", "keras": "3.15.1"}
    assert what_changed(None, before) == "first run"
    assert what_changed(before, {**before, "snippets/lstm/reader_model.py": "bbb"}) == (
        "code changed in snippets/lstm/reader_model.py"
    )
    assert what_changed(before, {**before, "keras": "3.16.0"}) == "keras 3.15.1 -> 3.16.0"


def test_the_engine_reads_what_changed_from_the_last_run_it_recorded(tmp_path):
    """Under `mkdocs serve` the log then says which figure runs again, and why."""
    code = (
        "import json\n"
        "from engine._runner import FIGURE, discover\n"
        "figure = next(f for f in discover([FIGURE]) if f.name == 'lstm/fig_cell')\n"
        "figure.inputs_record.parent.mkdir(parents=True)\n"
        "figure.inputs_record.write_text(json.dumps({**figure.inputs, 'snippets/lstm/reader_model.py': 'old'}))\n"
        "print(figure.why())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "WEIGHT_ATLAS_CACHE": str(tmp_path)}, check=True)
    assert result.stdout.strip() == "code changed in snippets/lstm/reader_model.py"
