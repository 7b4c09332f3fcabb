"""Results scripts run once, before what reads them, reporting progress; notebook scripts
write valid notebooks. Checked on a copy of the project with a results, a facts and a
notebook script of its own (plain Python: no library the site explains)."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.site_build import copy_project

RESULTS = '''
"""Squares, slowly: a stand-in for a training run."""
from pathlib import Path


def make_results(progress):
    runs = Path(__file__).with_name("runs.log")
    runs.write_text(runs.read_text() + "run\\n" if runs.exists() else "run\\n")
    for step in range(1, 4):
        progress(f"step {step}/3")
    return {"squares": [step * step for step in range(4)]}
'''

FACTS = '''
"""The biggest square."""
from engine.results import load
from results.demo import squares


def make_facts():
    return {"biggest_square": max(load(squares)["squares"])}
'''

NOTEBOOK = '''
"""Squares as a notebook."""
from nbformat import v4

from engine.results import load
from results.demo import squares


def make_notebook():
    cell = v4.new_code_cell("print(SQUARES)")
    cell.outputs = [v4.new_output("stream", name="stdout", text=str(load(squares)["squares"]))]
    return v4.new_notebook(cells=[cell])
'''


def run_engine(project, cache):
    return subprocess.run([sys.executable, "-m", "engine"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "WEIGHT_ATLAS_CACHE": str(cache), "PYTHONPATH": str(project)})


@pytest.fixture
def project(tmp_path):
    project = copy_project(tmp_path / "project")
    for path, code in {"results/demo/squares.py": RESULTS, "facts/demo/squares.py": FACTS,
                       "notebooks/demo/squares_notebook.py": NOTEBOOK}.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(textwrap.dedent(code))
    return project


def test_results_run_once_before_their_readers_and_report_progress(project, tmp_path):
    cache = tmp_path / "cache"
    # A stand-in cache with every other product already made would be faithful but slow to
    # build; only the demo scripts matter here, so the others are left out of the project.
    for folder in ("diagrams", "facts", "notebooks", "results"):
        for script in (project / folder).glob("*/*.py"):
            if script.parent.name != "demo":
                script.unlink()
    first = run_engine(project, cache)
    assert first.returncode == 0, first.stderr
    assert "results demo/squares: step 2/3" in first.stdout, first.stdout
    assert first.stdout.index("done: results demo/squares") < first.stdout.index("done: facts demo/squares")
    facts = json.loads(next((cache / "facts/demo").glob("squares-*.json")).read_text())
    assert facts == {"biggest_square": 9}
    notebook = json.loads(next((cache / "notebooks/demo").glob("squares_notebook-*.ipynb")).read_text())
    assert "".join(notebook["cells"][0]["outputs"][0]["text"]) == "[0, 1, 4, 9]"
    assert run_engine(project, cache).returncode == 0
    assert (project / "results/demo/runs.log").read_text() == "run\n", "cached results ran again"


def test_a_notebook_script_that_makes_an_invalid_notebook_fails_naming_it(project, tmp_path):
    script = project / "notebooks/demo/squares_notebook.py"
    script.write_text(script.read_text().replace("    return v4", '    cell["execution_count"] = "first"\n    return v4'))
    output = tmp_path / "out.ipynb"
    result = subprocess.run([sys.executable, "-m", "engine._render_one", str(script), str(output)],
                            cwd=project, capture_output=True, text=True,
                            env={**os.environ, "WEIGHT_ATLAS_CACHE": str(tmp_path / "cache"),
                                 "PYTHONPATH": str(project)})
    assert result.returncode != 0 and "ValidationError" in result.stderr
    assert not output.exists()
