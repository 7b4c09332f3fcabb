"""What pages show is run, and what is run is shown: no untested code, no orphans."""
import ast

from tests import rules
from tests.project import (
    DIAGRAMS, FIGURE, ROOT, figure_scripts, facts_scripts, page_includes, pages, python_files,
    snippet_files, where,
)


def every_page():
    return [(page, page.read_text(encoding="utf-8"), where(page)) for page in pages()]


def test_every_python_block_is_an_include_or_a_doctest():
    """Fenced in any spelling (```Python, ```{ .py }, ~~~python) or indented, Python on a
    page is either included from a snippet that a test runs, or a doctest Sybil runs."""
    unrun = []
    for _page, text, name in every_page():
        unrun += rules.unrun_fenced_blocks(text, name) + rules.indented_code_blocks(text, name)
    assert not unrun, "\n".join(unrun)


def test_every_include_is_a_named_section_of_a_snippet_inside_a_python_block():
    wrong = [
        problem
        for _page, text, name in every_page()
        for problem in rules.include_problems(text, name)
    ]
    assert not wrong, "\n".join(wrong)


def test_every_snippet_is_shown_by_a_page():
    shown = {
        (ROOT / include.path).resolve()
        for _page, text, _name in every_page()
        for include in page_includes(text)
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


def files_that_could_type_a_version():
    """Pages, the code they show or run at build time, and the templates around them."""
    overrides = sorted(path for path in (ROOT / "overrides").rglob("*") if path.is_file())
    return [
        *pages(), *snippet_files(), *facts_scripts(), *python_files(DIAGRAMS),
        *python_files(ROOT / "hooks"), *overrides,
    ]


def test_no_file_types_a_library_version():
    """Versions come from the build (the "Verified with" stamp), never from the text."""
    typed = [
        problem
        for path in files_that_could_type_a_version()
        for problem in rules.typed_versions(path.read_text(encoding="utf-8"), where(path))
    ]
    assert not typed, "\n".join(typed)


def test_shown_code_lines_fit_without_scrolling_sideways():
    long = [problem for _page, text, name in every_page() for problem in rules.long_shown_lines(text, name)]
    assert not long, f"lines over {rules.LONGEST_SHOWN_LINE} characters:\n" + "\n".join(long)
