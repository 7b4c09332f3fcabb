"""tests/mutate/preloaded.py: a child of the process that has imported the libraries computes
a mutant's facts into that mutant's cache, as a fresh interpreter would; a script that fails
is reported with its traceback, and nothing is written for it.

About ten seconds: the process imports TensorFlow and PyTorch once.
"""
import json
import shutil
import subprocess
import sys
import textwrap

from tests.project import ROOT

SCRIPTS = {
    "facts/demo/right.py": '''\
        """Facts that hold."""
        import numpy as np


        def make_facts():
            assert np.ones(3).sum() == 3
            return {"answer": "42"}
    ''',
    "facts/demo/wrong.py": '''\
        """Facts whose own check fails."""


        def make_facts():
            assert 1 + 1 == 3, "the script's own check"
            return {"answer": "42"}
    ''',
}


def ask(server, project, tmp_path, scripts) -> dict:
    request = {"project": str(project), "cache": str(tmp_path / "cache"), "scripts": scripts,
               "log": str(tmp_path / "log"), "timeout": 60}
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    return json.loads(server.stdout.readline())


def test_a_child_computes_the_facts_or_reports_the_failing_script(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "engine", project / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    for settings in ("pyproject.toml", "diagrams/_style.py"):  # engine/settings.py reads them
        (project / settings).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / settings, project / settings)
    for name, text in SCRIPTS.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(textwrap.dedent(text), encoding="utf-8")
    with subprocess.Popen([sys.executable, str(ROOT / "tests/mutate/preloaded.py")], cwd="/", text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as server:
        right = ask(server, project, tmp_path, ["facts/demo/right.py"])
        # In turn, stopping at the first that fails; a cached one is not run again.
        both = ask(server, project, tmp_path, ["facts/demo/right.py", "facts/demo/wrong.py"])
        server.stdin.close()  # the server's loop ends
    assert right == {"exit": 0, "script": "facts/demo/right.py"}
    [written] = (tmp_path / "cache/facts/demo").glob("right-*.json")
    assert json.loads(written.read_text()) == {"answer": "42"}
    assert both == {"exit": 1, "script": "facts/demo/wrong.py"}
    assert "the script's own check" in (tmp_path / "log").read_text()
    assert not list((tmp_path / "cache/facts/demo").glob("wrong-*.json"))
