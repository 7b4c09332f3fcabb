"""Every download runs on its own: a reader's folder holds that one file and the pinned
libraries, nothing of this project.

Each `.py` the site serves is run as `python file.py` would run it, in a fresh temporary
folder holding only that file, by one isolated interpreter (`python -I`: no PYTHONPATH, no
working directory on the path) that cannot import `engine`, `facts`, `results` or
`snippets`, nor the converter package (`weightatlas`, installed editable in the project's
venv but not on a reader's machine: its path is taken away first; a download carries the
package modules it uses, engine/downloads.py); so a download that needs the project's
internals fails here, naming the served file and line. The notebooks run likewise: each page's in tests/test_notebooks.py, the
experiment's in tests/test_issue20_mod_weights.py.
"""
import json
import subprocess
import sys

import pytest

from tests.project import ROOT, WITHOUT_THIS_PROJECT, snippet_files

SERVED_SNIPPETS = [path.relative_to(ROOT).as_posix() for path in snippet_files()]
PROJECT_PACKAGES = ("engine", "facts", "results", "snippets", "diagrams", "notebooks", "tests", "weightatlas")

# Runs each file in its own empty folder, as `python file.py` would; prints one JSON line.
DRIVER = WITHOUT_THIS_PROJECT + r"""
import json, runpy, shutil, tempfile, traceback
project = [name for name in sys.argv[2:] if importlib.util.find_spec(name) is not None]
if project:
    sys.exit(f"the project is importable here: {project}")
results = {}
for served in json.load(sys.stdin):
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, os.path.basename(served))
    shutil.copy(served, path)
    before = set(sys.modules)
    os.chdir(folder)
    sys.path.insert(0, folder)
    try:
        runpy.run_path(path, run_name="__main__")
        results[served] = None
    except BaseException as error:
        lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
        detail = "".join(traceback.format_exception_only(error)).strip()
        results[served] = f"line {lines[-1] if lines else '?'}: {detail}"
    finally:
        sys.path.remove(folder)
        for name in set(sys.modules) - before:
            if (getattr(sys.modules[name], "__file__", None) or "").startswith(folder):
                del sys.modules[name]
        os.chdir("/")
        shutil.rmtree(folder, ignore_errors=True)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def runs(built_site):
    """{served path: None, or what went wrong} for every served snippet, in one interpreter."""
    files = [str(built_site / name) for name in SERVED_SNIPPETS]
    done = subprocess.run([sys.executable, "-I", "-c", DRIVER, str(ROOT), *PROJECT_PACKAGES],
                          input=json.dumps(files), capture_output=True, text=True, cwd="/",
                          timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return {name: json.loads(done.stdout.strip().splitlines()[-1])[str(built_site / name)]
            for name in SERVED_SNIPPETS}


@pytest.mark.parametrize("served", SERVED_SNIPPETS)
def test_a_py_download_runs_alone_in_an_empty_folder(runs, served):
    assert runs[served] is None, f"{served} as downloaded, alone in a folder: {runs[served]}"
