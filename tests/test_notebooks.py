"""Every page's code is a notebook download that is valid, runs, and prints what the page shows.

The notebooks are built from the pages (engine/notebooks.py); running one here proves that
a reader who downloads it gets working code, not just a file that parses. Every notebook is
checked valid; `make test` runs a sample of them, one for every pair of values of what a
notebook can hold (console blocks with outputs, a cell that raises, snippets that import
other snippets, the converter package carried), and `make test-whole` (the scheduled job)
runs them all. What each cell runs is also run by the page's own tests: its snippets by
tests/test_snippets.py, its console blocks by Sybil.
"""
import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from engine import downloads, notebooks
from tests.project import DOCS, ROOT, page_of, page_url, pages
from tests.sampling import sampled

PAGES_WITH_CODE = [page for page in pages()
                   if re.search(r"^\s*(--8<--|>>> )", page.read_text(encoding="utf-8"), re.MULTILINE)]
IDS = [page.relative_to(DOCS).as_posix() for page in PAGES_WITH_CODE]


def held(page) -> dict[str, bool]:
    """What the page's notebook holds, each a part of engine/notebooks.py that can fail alone."""
    text = page.read_text(encoding="utf-8")
    included = [ROOT / include.path for include in page_of(text, str(page)).includes]
    sources = [path.read_text(encoding="utf-8") for path in included if path.suffix == ".py" and path.is_file()]
    package = downloads.Package.of(ROOT)
    return {"console outputs": bool(re.search(r"^\s*>>> ", text, re.MULTILINE)),
            "a cell that raises": "Traceback (most recent call last)" in text,
            "snippets importing snippets": any(notebooks.snippet_modules(source, []) for source in sources),
            "the package carried": bool(package and sources and package.modules_for(sources))}


HELD = {page: held(page) for page in PAGES_WITH_CODE}
# The sample holds the same dicts it was given: each is its page's.
RUN = [page for case in sampled("page notebooks run", list(HELD.values()))
       for page, holds in HELD.items() if holds is case]


def served_notebook(site, page):
    return site / notebooks.download_path(page.relative_to(DOCS).as_posix())


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=IDS)
def test_every_page_with_code_links_a_valid_notebook_of_it(built_site, page):
    notebook_file = served_notebook(built_site, page)
    assert notebook_file.is_file(), f"{page.relative_to(DOCS)}: no notebook download"
    notebook = nbformat.read(notebook_file, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code" and not cell.source.startswith("%%"):
            compile(cell.source, str(notebook_file), "exec")
    html = (built_site / page_url(page) / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="notebook-download" href="([^"]+)"', html)
    assert link and (built_site / page_url(page) / link[1]).resolve() == notebook_file.resolve()


def shown(output) -> str | None:
    """The text a cell output shows, whitespace normalised as the doctests compare it."""
    if output.output_type == "stream" and output.name == "stdout":  # not warnings on stderr
        return " ".join(output.text.split())
    if output.output_type == "execute_result":
        return " ".join(output.data["text/plain"].split())
    return None


@pytest.mark.parametrize("page", RUN, ids=[page.relative_to(DOCS).as_posix() for page in RUN])
def test_a_page_notebook_runs_and_prints_what_the_page_shows(built_site, page, tmp_path):
    expected = nbformat.read(served_notebook(built_site, page), as_version=4)
    ran = nbformat.read(served_notebook(built_site, page), as_version=4)
    for cell in ran.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    # Run where a reader would: a folder of its own, the kernel of this environment.
    NotebookClient(ran, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for number, (before, after) in enumerate(zip(expected.cells, ran.cells), 1):
        if before.cell_type != "code" or not before.outputs:
            continue  # a snippet's cells: checked by its asserts (the run would have stopped)
        if "raises-exception" in before.metadata.get("tags", []):
            errors = [(output.ename, " ".join(output.evalue.split()))
                      for output in after.outputs if output.output_type == "error"]
            assert errors == [(before.outputs[0].ename, before.outputs[0].evalue)], (
                f"{page.relative_to(DOCS)}: notebook cell {number} should raise as the page shows")
            continue
        want = [shown(output) for output in before.outputs]
        got = [text for text in map(shown, after.outputs) if text is not None]
        assert got == want, f"{page.relative_to(DOCS)}: notebook cell {number}:\n{before.source}"
    shutil.rmtree(tmp_path, ignore_errors=True)
