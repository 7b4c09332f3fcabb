"""Each kind of breakage fails loudly, naming the file to fix; an edit of prose renders nothing.

Every test breaks a fresh copy of the project, never the real one. The copies share the
real figure cache, so only a figure the test changes is rendered again.
"""
import re

import pytest

from tests.project import ROOT, SnippetFailed, figure_scripts, run_snippet
from tests.site_build import build, copy_project

PAGE = "docs/lstm/weights.md"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{path}: test setup expected {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_a_prose_edit_rebuilds_without_rendering_a_figure(project, tmp_path):
    first = build(project, tmp_path / "site")  # warms the cache if it is cold
    assert first.returncode == 0, first.stderr
    edit(project / PAGE, "four", "4")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    count = len(figure_scripts())
    assert f"diagrams: {count} figures: 0 rendered, {count} cached" in result.stderr


def test_a_figure_script_that_raises_fails_the_build_naming_it(project, tmp_path):
    script = project / "diagrams/lstm/fig_cell.py"
    edit(script, "def make_figure(", "def make_figure(\n    _=1 / 0,\n")  # fails at import
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "figure script diagrams/lstm/fig_cell.py failed" in result.stderr
    assert "ZeroDivisionError" in result.stderr  # the script's own traceback
    assert not (tmp_path / "site" / "diagrams").exists(), "a half-built site was left behind"


def test_a_missing_include_fails_the_build_naming_the_page(project, tmp_path):
    text = (project / PAGE).read_text()
    included = re.search(r'--8<-- "(snippets/[^":]+)', text)[1]
    edit(project / PAGE, included, included.replace(".py", "_missing.py"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "lstm/weights.md" in result.stderr and "_missing.py" in result.stderr


def test_a_broken_link_fails_the_build_naming_the_page(project, tmp_path):
    page = project / PAGE
    page.write_text(page.read_text() + "\nSee [nowhere](no-such-page.md).\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "lstm/weights.md" in result.stderr and "no-such-page.md" in result.stderr


def test_a_snippet_whose_claim_is_false_fails_naming_file_and_line(project):
    snippet = project / "snippets/lstm/reader_model.py"
    edit(snippet, "(5, 480), (120, 480)", "(5, 480), (120, 481)")
    with pytest.raises(SnippetFailed) as failure:
        run_snippet(snippet)
    line = next(
        number for number, text in enumerate(snippet.read_text().splitlines(), 1)
        if text.startswith("assert shapes ==")
    )
    assert str(failure.value).startswith(f"snippets/lstm/reader_model.py:{line}: AssertionError")
