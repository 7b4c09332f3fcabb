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
    only_demo_scripts(project)
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


def only_demo_scripts(project):
    """Leave only the demo scripts: the others would all run, and only these matter here."""
    for folder in ("diagrams", "facts", "notebooks", "results"):
        for script in (project / folder).glob("*/*.py"):
            if script.parent.name != "demo":
                script.unlink()


def with_facts_script(project, name, code):
    (project / f"facts/demo/{name}.py").write_text(textwrap.dedent(code))


def test_a_script_over_the_time_limit_is_stopped_and_named(project, tmp_path):
    only_demo_scripts(project)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("time-limit-seconds = 600", "time-limit-seconds = 1"))
    with_facts_script(project, "slow", '''
        """Never done."""
        import time


        def make_facts():
            time.sleep(60)
        ''')
    result = run_engine(project, tmp_path / "cache")
    assert result.returncode == 1
    assert "facts script facts/demo/slow.py failed" in result.stderr, result.stderr
    assert "TimeoutError: stopped after the time limit of 1 s" in result.stderr
    assert not list((tmp_path / "cache/facts/demo").glob("slow-*")), "a stopped run left output"


def test_a_run_the_kernel_kills_is_reported_as_killed_likely_for_memory(project, tmp_path):
    """The kernel's out-of-memory killer sends SIGKILL; the script here sends it to itself."""
    only_demo_scripts(project)
    with_facts_script(project, "killed", '''
        """Killed."""
        import os
        import signal


        def make_facts():
            os.kill(os.getpid(), signal.SIGKILL)
        ''')
    result = run_engine(project, tmp_path / "cache")
    assert result.returncode == 1
    assert "facts script facts/demo/killed.py failed" in result.stderr, result.stderr
    assert "MemoryError: killed by SIGKILL (most likely by the kernel, out of memory" in result.stderr


def test_a_notebook_is_byte_identical_in_two_runs(project, tmp_path):
    """nbformat gives new cells random ids; the renderer fixes them."""
    only_demo_scripts(project)
    notebooks = []
    for cache in (tmp_path / "one", tmp_path / "two"):
        assert run_engine(project, cache).returncode == 0
        notebooks.append(next((cache / "notebooks/demo").glob("squares_notebook-*.ipynb")).read_bytes())
    assert notebooks[0] == notebooks[1]
