"""Check a page's snippet includes before Markdown runs them, naming the page and line.

pymdownx.snippets fails on a missing file or section, but its error names neither the page
line nor which include; this check does, and runs first. Includes and sections are read
with pymdownx.snippets' own patterns (engine/page.py), the block form included. Plain
Python: any renderer and the tests can call it.
"""
from pathlib import Path

from engine.page import Page, snippet_sections
from engine.problems import Problem

RULE = "include-exists"


def sections_of(snippet: Path) -> set[str]:
    """The sections pymdownx.snippets can extract from a file (engine/page.py)."""
    return set(snippet_sections(snippet.read_text(encoding="utf-8")))


def problems(markdown: str, page: str, root: Path) -> list[Problem]:
    """A problem at `docs/<page>:<line>` for each include whose file or section does not exist."""
    found = []
    for include in Page(markdown, f"docs/{page}").includes:
        path = root / include.path
        if not include.path or not path.is_file():
            found.append(Problem(f"docs/{page}", include.line, RULE,
                                 f"includes {include.path or include.spec}, which does not exist"))
        elif include.section and include.section not in sections_of(path):
            found.append(Problem(f"docs/{page}", include.line, RULE,
                                 f"{include.path} has no section {include.section!r}"))
    return found
