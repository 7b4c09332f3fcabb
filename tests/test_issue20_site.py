"""Issue 20, the site-wide items: the landing page's promise says exactly what holds, with
its counts generated; every download runs on its own; the new claim rules catch what they
are for. Fast: nothing here imports TensorFlow or builds the site."""
import ast
import json

import pytest

from engine import downloads
from engine.site_facts import mutation_facts, site_facts
from tests.project import DOCS, ROOT, snippet_files


def test_the_landing_page_promises_only_what_holds():
    """"Every claim on this site is executed" was false: some claims need a GPU. The promise
    names what is executed and counts, from the pages, what is not."""
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "Every claim on this site is executed" not in index
    assert "{{ site.unchecked_claims }}" in index and "{{ site.unchecked_pages }}" in index
    assert "{{ site.mutation_score }}" in index


def test_unchecked_claims_are_counted_from_the_pages(tmp_path):
    (tmp_path / "a.md").write_text(
        '# A\n\n!!! unchecked "Not checked here: no GPU"\n\n    cuDNN is used.\n\n'
        '??? unchecked "Not checked here: a speed"\n\n    It is faster.\n', encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\n!!! note\n\n    Checked.\n", encoding="utf-8")
    facts = site_facts(tmp_path, report_file=tmp_path / "none.json")
    assert (facts["unchecked_claims"], facts["unchecked_pages"]) == ("2 claims", "1 page")
    assert facts["mutation_score"].startswith("not measured")


def test_the_site_shows_only_a_full_mutation_run(tmp_path):
    report = tmp_path / "report.json"
    score = {"killed": 96, "total": 100, "percent": 96.0, "timeouts": 0}
    report.write_text(json.dumps({"full": True, "date": "2026-12-13", "score": score}))
    assert mutation_facts(report)["mutation_score"] == (
        "96.0 % of 100 wrong edits caught by the tests (full run of 2026-12-13)")
    report.write_text(json.dumps({"full": False, "score": score}))
    with pytest.raises(ValueError, match="sampled"):
        mutation_facts(report)


@pytest.mark.parametrize("snippet", snippet_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_served_snippet_imports_nothing_of_the_project(snippet):
    """The download is self-contained: the snippets it imports are inlined (engine/downloads.py);
    tests/test_snippets.py runs each one alone in an empty folder."""
    served = downloads.self_contained(snippet, ROOT)
    internals = {"snippets", "engine", "facts", "results", "diagrams", "notebooks", "tests"}
    imported = [name for node in ast.walk(ast.parse(served))
                for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                             [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])]
    project = [name for name in imported if name.split(".")[0] in internals]
    assert not project, f"{snippet.relative_to(ROOT)}: its download imports {project}"
