"""The converter package reaches readers as a reader gets it, and the house makes room for it.

- A wheel built from this checkout installs into a fresh virtual environment (no system
  site-packages, nothing of this project on the path) with only NumPy, from the pinned
  versions; there it imports, states its version, answers `python -m weightatlas --help`,
  and its NumPy-only functions work without Keras or PyTorch installed.
- A snippet that imports the package is downloaded carrying the source of the package
  modules it uses, imported from there (engine/downloads.py), and runs alone where the
  package is not installed; tests/test_snippets.py runs every one so.
- A page may show a named section of the package's source; the package's tests check it,
  so it need not assert anything itself (tests/rules.py).
"""
import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from engine import downloads
from tests import rules
from tests.project import ROOT, WITHOUT_THIS_PROJECT, snippet_files
from tests.sampling import SAMPLED, WHOLE

PACKAGE = "weightatlas"
PYPROJECT = ROOT / "pyproject.toml"


def pinned(distribution: str) -> str:
    """`name==version` of a distribution, as requirements.lock pins it."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(distribution)}==\S+$", lock, re.MULTILINE | re.IGNORECASE)
    assert match, f"requirements.lock pins no {distribution}"
    return match[0]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, command))}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_project_imports_the_package_from_its_own_source():
    """`make` installs the package editable: what the facts and snippets run is src/, the
    code the cache key hashes (engine/_cache_key.py), not a stale installed copy."""
    import weightatlas

    assert Path(weightatlas.__file__).resolve().is_relative_to(ROOT / "src"), (
        f"weightatlas is imported from {weightatlas.__file__}: run `pip install --no-deps -e .` (make does)")


# --- The wheel, in a fresh virtual environment ------------------------------------------

# What a wheel is built from: a copy of these, so the build writes nothing into the checkout.
SOURCE_DISTRIBUTION = ("pyproject.toml", "README.md", "CHANGELOG.md", "src")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel` builds from this checkout's package files (the build backend
    fetched by pip, as in CI: the project's venv need not hold setuptools)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for part in SOURCE_DISTRIBUTION:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, source / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif (ROOT / part).is_file():
            shutil.copy2(ROOT / part, source / part)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)])
    [built] = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory, wheel) -> Path:
    """The interpreter of a new virtual environment holding the wheel and pinned NumPy only.
    It is made without pip (saves seconds); this interpreter's pip installs into it."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         str(wheel), pinned("numpy")])
    return python


def in_fresh(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the fresh interpreter isolated (-I: no PYTHONPATH, no user site, not the cwd)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    return run([str(python), "-I", *args], cwd=cwd, env=env)


def test_the_wheel_holds_the_package_its_type_marker_and_nothing_of_the_site(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert f"{PACKAGE}/__init__.py" in names and f"{PACKAGE}/py.typed" in names, names
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {PACKAGE}, f"the wheel carries more than the package: {sorted(tops)}"


def test_the_wheel_installs_alone_in_a_fresh_venv_and_imports(fresh_python, tmp_path):
    version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    code = ("import importlib.metadata, importlib.util, sys, weightatlas\n"
            "print(weightatlas.__version__, importlib.metadata.version('weight-atlas'))\n"
            "print(weightatlas.__file__.startswith(sys.prefix))\n"
            "print([name for name in ('keras', 'torch', 'tensorflow') if importlib.util.find_spec(name)])\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('keras', 'torch')))\n")
    lines = in_fresh(fresh_python, "-c", code, cwd=tmp_path).stdout.splitlines()
    assert lines[0] == f"{version} {version}", "__version__, the wheel's metadata and pyproject.toml differ"
    assert lines[1] == "True", "imported the checkout's source, not the installed wheel"
    assert lines[2] == "[]", f"the fresh venv has {lines[2]}: the check below would prove nothing"
    assert lines[3] == "[]", f"importing {PACKAGE} imported {lines[3]}"


def test_the_installed_command_line_answers_help(fresh_python, tmp_path):
    shown = in_fresh(fresh_python, "-m", PACKAGE, "--help", cwd=tmp_path).stdout
    assert "inspect" in shown and "convert" in shown, shown
    script = fresh_python.parent / PACKAGE  # the console script pyproject.toml declares
    assert "inspect" in run([str(script), "--help"], cwd=tmp_path).stdout


NUMPY_ONLY = """
import numpy as np
from weightatlas import arrays, errors, families

kernel = arrays.as_array([[1.0, 2.0, 3.0, 4.0]], "kernel")
assert kernel.dtype == np.float64 and kernel.shape == (1, 4)
for refused in (None, [[1, 2]], np.arange(3)):
    try:
        arrays.as_array(refused, "kernel")
    except errors.ConversionError as error:
        assert "kernel" in str(error), error
    else:
        raise AssertionError(f"as_array accepted {refused!r}")
lstm = families.family_for_keras("LSTMCell")
blocks = lstm.keras_blocks("kernel", (3, 4 * 5))
assert [(b.start, b.stop) for b in blocks] == [(0, 5), (5, 10), (10, 15), (15, 20)], blocks
assert {b.axis for b in blocks} == {1}
torch_blocks = lstm.torch_blocks("weight_ih_l0", (4 * 5, 3))
assert sorted((b.axis, b.start, b.stop) for b in torch_blocks) == [(0, 0, 5), (0, 5, 10), (0, 10, 15), (0, 15, 20)]
print("numpy-only ok")
"""


def test_the_numpy_only_functions_work_without_keras_or_torch(fresh_python, tmp_path):
    assert in_fresh(fresh_python, "-c", NUMPY_ONLY, cwd=tmp_path).stdout.strip() == "numpy-only ok"


# --- The package's own tests, against the installed wheel, under the other Keras backend ---

# The files that test the package; each imports it as `weightatlas`, wherever it is installed.
PACKAGE_TESTS = ("tests/test_package_recurrent.py", "tests/test_converters.py",
                 "tests/test_package_cli.py", "tests/test_package_dense.py",
                 "tests/test_package_conv.py", "tests/test_package_models.py")
# Most command-line tests start their own interpreters to check what the command says and
# refuses, which no backend changes: `make test` runs those that name the torch backend, and
# every other package test; `make test-whole` runs them all.
TORCH_BACKEND_SAMPLE = "not test_package_cli or torch_backend"
TORCH_BACKEND_WHY = "the command line's tests only where they name the backend"
# Keras' torch backend turns a tensor into NumPy with np.array(tensor), which torch 2.13
# answers with NumPy 2's copy-keyword DeprecationWarning (their code, not ours or a reader's);
# pytest.ini makes every warning an error, so this one is named and let through.
KERAS_TORCH_WARNING = "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory, wheel) -> Path:
    """A new virtual environment holding the wheel, whose Keras, PyTorch, TensorFlow and
    pytest are this project's pinned ones: a path line to this venv's site-packages, read
    after the venv's own, so `weightatlas` is the wheel's (that venv's editable install
    is a .pth file there, which a path line does not run). Reinstalling 3.7 GB of pinned
    wheels would prove the same about the package and cost CI a minute and a half."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         str(wheel)])
    site_packages = Path(run([str(python), "-I", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             cwd=venv).stdout.strip())
    shared = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site_packages / "pinned_dependencies.pth").write_text("\n".join(sorted(shared)) + "\n")
    return python


def test_the_package_tests_pass_against_the_wheel_under_the_torch_backend(wheel_python):
    """Every package test, run by the wheel's venv under KERAS_BACKEND=torch: the grid of
    tests/test_converters.py, each refusal and the command line (the main run covers the
    TensorFlow backend and src/)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["KERAS_BACKEND"] = "torch"
    where = run([str(wheel_python), "-c", "import weightatlas; print(weightatlas.__file__)"],
                cwd=ROOT, env=env).stdout.strip()
    assert Path(where).is_relative_to(wheel_python.parents[1]), f"imported {where}, not the wheel"
    done = subprocess.run([str(wheel_python), "-m", "pytest", "-q", "-W", KERAS_TORCH_WARNING,
                           *PACKAGE_TESTS, *([] if WHOLE else ["-k", TORCH_BACKEND_SAMPLE])],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-6000:]
    assert re.search(r"\b\d+ passed\b", done.stdout) and not re.search(r"\d+ skipped", done.stdout), done.stdout[-2000:]
    if not WHOLE:
        passed, deselected = (int(re.search(rf"(\d+) {word}", done.stdout)[1]) for word in ("passed", "deselected"))
        SAMPLED["package tests under the torch backend"] = (passed, passed + deselected, TORCH_BACKEND_WHY)


# --- Downloads: the package modules a snippet uses travel with it -----------------------

# Runs a file as a reader would, with the pinned libraries but without this project: the
# project's folders and the editable install of the package are taken off the path first.
ALONE = WITHOUT_THIS_PROJECT + r"""
import runpy
if importlib.util.find_spec("weightatlas") is not None:
    sys.exit("weightatlas is importable: this run would not show that the download needs none")
sys.argv = [sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_alone(source: str, folder: Path) -> subprocess.CompletedProcess:
    path = folder / "download.py"
    path.write_text(source, encoding="utf-8")
    return subprocess.run([sys.executable, "-I", "-c", ALONE, str(ROOT), str(path)], cwd=folder,
                          capture_output=True, text=True, timeout=300)


def test_without_the_package_on_the_path_an_import_of_it_fails(tmp_path):
    """The check the downloads rely on: the project's own install is out of sight."""
    done = run_alone("import weightatlas\n", tmp_path)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, done.stderr


def test_a_snippet_that_imports_the_package_downloads_with_it_and_runs_alone(tmp_path):
    snippet = tmp_path / "project/snippets/demo/uses_package.py"
    snippet.parent.mkdir(parents=True)
    snippet.write_text('"""Uses the package."""\nimport numpy as np\n'
                       "from weightatlas import as_array, family_for_keras as family\n\n"
                       'kernel = as_array([[1.0, 2.0]], "kernel")\n'
                       'assert family("GRUCell") is not None\nassert kernel.shape == (1, 2)\n'
                       'print("ran alone")\n', encoding="utf-8")
    shutil.copytree(ROOT / "src", tmp_path / "project/src", ignore=shutil.ignore_patterns("__pycache__"))
    served = downloads.self_contained(snippet, tmp_path / "project")
    carried = re.findall(r"^    '([\w.]+)': ", served, re.MULTILINE)
    assert carried == ["weightatlas", "weightatlas.arrays", "weightatlas.errors", "weightatlas.families"], (
        f"carries {carried}: the modules the names it imports need, and no other")
    done = run_alone(served, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "ran alone", done.stderr[-3000:]


FAKE_PACKAGE = {
    "__init__.py": '"""A package re-exporting lazily."""\n'
                   "import importlib\n\n\ndef __getattr__(name):\n"
                   "    return getattr(importlib.import_module('fakepkg.core'), name)\n",
    "errors.py": '"""Errors."""\nclass FakeError(ValueError):\n    pass\n',
    "core.py": '"""Core."""\nfrom __future__ import annotations\n\n'
               "from fakepkg.errors import FakeError\n\n\n"
               "def double(x: Later) -> int:\n"
               "    from .helpers import twice  # lazily, inside the function\n"
               "    if x is None:\n        raise FakeError('no x')\n    return twice(x)\n",
    "helpers.py": '"""Helpers."""\nFACTOR = 2\n\n\ndef twice(x):\n    return FACTOR * x\n',
    "unused.py": '"""Imported by nobody."""\nraise RuntimeError("carried although unused")\n',
}


def fake_project(tmp_path: Path, snippet: str) -> Path:
    root = tmp_path / "project"
    for name, text in FAKE_PACKAGE.items():
        (root / "src/fakepkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "src/fakepkg" / name).write_text(text, encoding="utf-8")
    (root / "snippets/demo").mkdir(parents=True)
    (root / "snippets/demo/x.py").write_text(snippet, encoding="utf-8")
    return root


@pytest.mark.parametrize("imports, call", [
    ("from fakepkg import double as times_two", "times_two"),  # a lazy re-export, renamed
    ("import fakepkg.core", "fakepkg.core.double"),  # a module, by its dotted name
    ("from fakepkg import core", "core.double"),  # a module, from its package
    ("import fakepkg", "fakepkg.double"),  # a lazy re-export read off the package
    ("import fakepkg as fp", "fp.double"),  # the same, the package renamed
])
def test_a_download_carries_the_modules_it_imports_each_in_its_own_namespace(tmp_path, imports, call):
    """The snippet's FACTOR does not replace the package's, lazy and relative imports work."""
    snippet = f'"""Doubles."""\nimport math\n{imports}\n\nFACTOR = 10\n'
    snippet += f"assert {call}(math.floor(2.5)) == 4\nprint('ok')\n"
    root = fake_project(tmp_path, snippet)
    served = downloads.self_contained(root / "snippets/demo/x.py", root)
    assert "fakepkg.unused" not in served
    assert served.index("import math") < served.index("_FAKEPKG_SOURCES")
    done = run_alone(served, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_a_snippet_without_the_package_carries_none_of_it(tmp_path):
    root = fake_project(tmp_path, '"""No package."""\nassert 1 + 1 == 2\n')
    served = downloads.self_contained(root / "snippets/demo/x.py", root)
    assert served == (root / "snippets/demo/x.py").read_text(encoding="utf-8")


def test_a_served_snippet_that_uses_the_package_carries_it():
    """Every download as served: one that imports the package (itself or through a snippet it
    inlines) carries the package; tests/test_snippets.py runs each one."""
    for snippet in snippet_files():
        served = downloads.self_contained(snippet, ROOT)
        imports = [node for node in ast.walk(ast.parse(served))
                   if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE
                   or isinstance(node, ast.Import) and any(a.name.split(".")[0] == PACKAGE for a in node.names)]
        if imports:
            assert "_WEIGHTATLAS_SOURCES" in served, f"{snippet.relative_to(ROOT)}: imports {PACKAGE}, carries none"


# --- Pages may show the package's source ------------------------------------------------

UNASSERTED_SECTION = "def convert(x):\n    # --8<-- [start:rules]\n    return x\n    # --8<-- [end:rules]\n"


@pytest.fixture
def package_root(tmp_path):
    (tmp_path / "src/weightatlas").mkdir(parents=True)
    (tmp_path / "src/weightatlas/recurrent.py").write_text(UNASSERTED_SECTION, encoding="utf-8")
    (tmp_path / "src/other.py").write_text(UNASSERTED_SECTION, encoding="utf-8")
    return tmp_path


def test_a_page_may_show_a_section_of_the_package_without_asserts_in_it(package_root):
    page = '# Page\n\n```python\n--8<-- "src/weightatlas/recurrent.py:rules"\n```\n'
    assert rules.include_problems(page, "docs/x.md", root=package_root) == []
    assert rules.hollow_includes(page, "docs/x.md", root=package_root) == []


@pytest.mark.parametrize("include, says", [
    ('"src/other.py:rules"', "which is not under snippets/ or src/weightatlas/"),
    ('"src/weightatlas/recurrent.py"', "a whole file"),
    ('"src/weightatlas/recurrent.py:nothing"', "has no section 'nothing'"),
])
def test_a_wrong_include_of_the_package_is_caught(package_root, include, says):
    page = f"# Page\n\n```python\n--8<-- {include}\n```\n"
    [problem] = rules.include_problems(page, "docs/x.md", root=package_root)
    assert says in problem, problem
