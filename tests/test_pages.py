"""What pages show is run, and what is run is shown: no untested code, no orphans."""
import ast

from engine.page import page_of
from tests import rules
from tests.project import (
    DOCS, FIGURE, ROOT, figure_scripts, page_includes, pages, python_files, snippet_files, where,
)


def every_page():
    return [(page, page.read_text(encoding="utf-8"), where(page)) for page in pages()]


def linked_snippets(page, text):
    """The snippets a page links as downloads (`[the file](../snippets/x/y.py)`): the site
    serves them at snippets/, beside the pages' folders."""
    for link in page_of(text, where(page)).links:
        if link.page.endswith(".py"):
            served = (page.parent / link.page).resolve()
            if served.is_relative_to(DOCS / "snippets"):
                yield ROOT / served.relative_to(DOCS)


def test_every_snippet_is_shown_by_a_page():
    """Included, or linked as a download where a page has no room to show it."""
    shown = {
        (ROOT / include.path).resolve()
        for _page, text, _name in every_page()
        for include in page_includes(text)
    } | {path.resolve() for page, text, _name in every_page() for path in linked_snippets(page, text)}
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
    """The templates and hooks around the pages: pages and the code they run are covered by
    the named rules typed-version and typed-version-code (tests/test_rules.py)."""
    overrides = sorted(path for path in (ROOT / "overrides").rglob("*") if path.is_file())
    return [*python_files(ROOT / "hooks"), *overrides]


def test_no_file_types_a_library_version():
    """Versions come from the build (the "Verified with" stamp), never from the text."""
    typed = [
        problem
        for path in files_that_could_type_a_version()
        for problem in rules.typed_versions(path.read_text(encoding="utf-8"), where(path))
    ]
    assert not typed, "\n".join(typed)




def nav_labels(items) -> list[str]:
    """Every label of mkdocs.yml's nav, sections and pages, in order."""
    labels = []
    for item in items:
        for label, value in (item.items() if isinstance(item, dict) else []):
            labels.append(label)
            if isinstance(value, list):
                labels += nav_labels(value)
    return labels


# The sidebar of Material at 1280 px fits about this many characters on one line.
LONGEST_NAV_LABEL = 34


def test_navigation_labels_are_in_sentence_case_on_one_line():
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=rules.AnyTagLoader)
    labels = nav_labels(config["nav"])
    assert len(labels) > 10, labels
    lower = [label for label in labels if not label[:1].isupper()]
    assert not lower, f"mkdocs.yml: nav labels start with a capital (sentence case): {lower}"
    long = [label for label in labels if len(label) > LONGEST_NAV_LABEL]
    assert not long, f"mkdocs.yml: nav labels longer than {LONGEST_NAV_LABEL} characters wrap: {long}"
