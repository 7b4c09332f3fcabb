"""What pages show is run, and what is run is shown: no untested code, no orphans."""
import ast
import re

import pytest

from conftest import DOCTEST_LANGUAGE
from tests.project import (
    FIGURE, ROOT, SNIPPETS, code_blocks, figure_scripts, includes, pages, snippet_files, where,
)

# Fence languages that hold Python. Only two are allowed: "python" blocks made of
# includes from snippets/ (run by test_snippets.py) and "pycon" doctests (run by Sybil).
PYTHON_LIKE = {"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "pyi"}


def blocks_of_every_page():
    return [block for page in pages() for block in code_blocks(page)]


def test_every_python_block_is_an_include_or_a_doctest():
    unrun = []
    for block in blocks_of_every_page():
        if block.language not in PYTHON_LIKE:
            continue
        lines = [line for line in block.source.splitlines() if line.strip()]
        if block.language == "python" and lines and len(includes(block.source)) == len(lines):
            continue
        if block.info == DOCTEST_LANGUAGE and lines and lines[0].startswith(">>>"):
            continue
        unrun.append(f"{where(block.page, block.line)}: ```{block.info} block that no test runs")
    assert not unrun, "\n".join(unrun)


def test_every_include_names_a_snippet_file():
    wrong = [
        f"{where(block.page, block.line)}: includes {path!r}, which is not under snippets/"
        for block in blocks_of_every_page()
        for path, _section in includes(block.source)
        if not (ROOT / path).resolve().is_relative_to(SNIPPETS)
    ]
    assert not wrong, "\n".join(wrong)


def test_every_snippet_is_shown_by_a_page():
    shown = {
        (ROOT / path).resolve()
        for block in blocks_of_every_page()
        for path, _section in includes(block.source)
    }
    orphans = [where(path) for path in snippet_files() if path.resolve() not in shown]
    assert not orphans, f"snippets no page includes: {orphans}"


def figure_titles():
    return {
        script.relative_to(ROOT / "diagrams").with_suffix("").as_posix():
        (ast.get_docstring(ast.parse(script.read_text())) or "").splitlines()[0:1]
        for script in figure_scripts()
    }


def test_every_figure_is_shown_by_a_page_with_its_title_as_alt_text():
    shown = {}
    for page in pages():
        for match in FIGURE.finditer(page.read_text(encoding="utf-8")):
            shown.setdefault(match["name"], []).append((page, match["alt"]))
    problems = []
    for name, title in figure_titles().items():
        if not title:
            problems.append(f"diagrams/{name}.py: no docstring title")
        elif name not in shown:
            problems.append(f"diagrams/{name}.py: no page shows this figure")
        for page, alt in shown.get(name, []):
            if title and alt != title[0]:
                problems.append(f"{where(page)}: alt text {alt!r} is not the title {title[0]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", pages(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_page_types_no_library_version(page):
    """Versions come from the build (the "verified with" stamp), never from the text."""
    typed = re.findall(r"(?:TensorFlow|Keras|PyTorch|torch|NumPy)\s+\d+\.\d+\.\d+", page.read_text())
    assert not typed, f"{where(page)}: types versions {typed}; the stamp shows them"
