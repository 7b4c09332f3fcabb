"""Every snippet runs as a reader runs its download, and its asserts (the page's claims) hold.

What runs is the file the site serves at the snippet's path (engine/downloads.py: the
snippets it imports inlined, the converter package's modules it uses carried), alone in an
empty folder with nothing of this project importable (tests/project.run_snippet); so one
run proves the claims and that the download needs nothing but the pinned libraries. A
failure names the project file and line it came from. The notebooks run likewise: each
page's in tests/test_notebooks.py, the experiment's in tests/test_issue20_mod_weights.py.
"""
import pytest

from tests.project import ROOT, run_snippet, snippet_files


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: path.relative_to(ROOT / "snippets").as_posix()
)
def test_snippet_runs_and_its_claims_hold(snippet):
    run_snippet(snippet)


def test_a_download_cannot_import_this_project(tmp_path):
    """The check the runs rely on: while a download runs, the project is out of sight, and
    is back afterwards."""
    snippet = tmp_path / "project/snippets/demo/imports_project.py"
    snippet.parent.mkdir(parents=True)
    (tmp_path / "project/mkdocs.yml").write_text("site_name: demo\n")
    for name in ("engine", "snippets.lstm.gate_order", "weightatlas"):
        snippet.write_text(f'"""Imports {name}."""\nimport {name}\n')
        with pytest.raises(AssertionError, match=f"imports_project.py:2: ModuleNotFoundError: No module named '{name.split('.')[0]}'"):
            run_snippet(snippet)
    import engine  # noqa: F401  (back)
