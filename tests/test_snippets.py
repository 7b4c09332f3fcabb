"""Every snippet runs top to bottom and its asserts (the page's claims) hold."""
import pytest

from tests.project import ROOT, run_snippet, snippet_files


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: path.relative_to(ROOT / "snippets").as_posix()
)
def test_snippet_runs_and_its_claims_hold(snippet):
    run_snippet(snippet)
