"""What a product's cache key hashes: the text of what a notebook quotes, only the code of
what a fact imports, the figure style only for figures, and the converter package's source
(src/weightatlas, installed editable) like the project's own code, never its version. Keys
are computed on a copy of the project by its own engine, as a build would; nothing is run,
so no TensorFlow loads."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.project import ROOT
from tests.site_build import copy_project

# Quoted, comments and all, by notebooks/training/mod_weights_notebook.py; imported by
# facts/training/mod_weights.py and results/training/mod_weights.py.
SNIPPET = "snippets/training/mod_layers.py"
COMMENT = "\n# A remark that changes no code.\n"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def keys(project) -> dict[str, str]:
    """{"notebook training/mod_weights_notebook": key, ...} for every product of the copy."""
    code = "from engine._runner import discover\nfor p in discover(): print(p.label, p.output.name)"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "WEIGHT_ATLAS_CACHE": str(project / ".cache")})
    assert result.returncode == 0, result.stderr
    return dict(line.rsplit(" ", 1) for line in result.stdout.splitlines())


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_comment_edit_in_a_quoted_snippet_changes_the_notebook_key(project):
    before = keys(project)
    append(project / SNIPPET, COMMENT)
    assert keys(project)["notebook training/mod_weights_notebook"] != (
        before["notebook training/mod_weights_notebook"]), "the notebook would show the old comment"


def test_a_comment_edit_in_an_imported_snippet_keeps_the_facts_and_results_keys(project):
    before = keys(project)
    append(project / SNIPPET, COMMENT)
    after = keys(project)
    for label in ("facts training/mod_weights", "results training/mod_weights"):
        assert after[label] == before[label], f"a comment would run {label} (TensorFlow) again"


def test_the_figure_style_is_in_the_figure_keys_only(project):
    before = keys(project)
    append(project / "diagrams/_style.py", "\nTEXT_COLOUR = TEXT_COLOUR  # a change to the code\n")
    after = keys(project)
    for label in before:
        if label.startswith("figure "):
            assert after[label] != before[label], f"{label} would keep the old style"
        elif label.startswith(("facts ", "results ")):
            assert after[label] == before[label], f"a style edit would run {label} again"


def test_a_notebook_is_keyed_by_a_file_it_names_but_does_not_import(project):
    script = project / "notebooks/demo/quotes.py"
    script.parent.mkdir()
    script.write_text('"""Quotes a snippet it never imports."""\nQUOTED = "snippets/lstm/gate_order.py"\n')
    before = keys(project)["notebook demo/quotes"]
    append(project / "snippets/lstm/gate_order.py", COMMENT)
    assert keys(project)["notebook demo/quotes"] != before


# The converter package: installed editable like a library, hashed like the project's code.
PACKAGE_USER = '"""Facts from the package."""\nfrom weightatlas import {name}\n'


@pytest.fixture
def project_with_package(project):
    """The copy, with the package's source beside it as in the project (src/weightatlas)."""
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"),
                    dirs_exist_ok=True)  # tests/site_build.py copies src/ too
    return project


def uses_package(project, name: str) -> str:
    """A facts script of the copy that imports `name` from the package; its product label."""
    script = project / "facts/demo/uses_package.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(PACKAGE_USER.format(name=name), encoding="utf-8")
    return "facts demo/uses_package"


def test_a_code_edit_in_the_package_changes_the_key_of_a_script_that_imports_it(project_with_package):
    label = uses_package(project_with_package, "arrays")
    before = keys(project_with_package)[label]
    append(project_with_package / "src/weightatlas/arrays.py", "\nEDITED = True\n")
    assert keys(project_with_package)[label] != before, "an edit of the package would rerun no fact"


def test_a_module_the_package_imports_lazily_is_in_the_key(project_with_package):
    """`from weightatlas import keras_to_torch` names no module: the package re-exports it
    lazily, so every module of the package is in the key."""
    label = uses_package(project_with_package, "keras_to_torch")
    before = keys(project_with_package)[label]
    append(project_with_package / "src/weightatlas/recurrent.py", "\nEDITED = True\n")
    assert keys(project_with_package)[label] != before


def test_a_comment_edit_in_the_package_keeps_the_key(project_with_package):
    label = uses_package(project_with_package, "arrays")
    before = keys(project_with_package)[label]
    append(project_with_package / "src/weightatlas/arrays.py", COMMENT)
    assert keys(project_with_package)[label] == before, "a comment would run a fact again"
