"""Check a page's snippet includes before Markdown runs them, naming the page and line.

pymdownx.snippets fails on a missing file or section, but its error names neither the page
line nor which include; this check does, and runs first. Plain Python: any renderer and the
tests can call it.
"""
import re
from pathlib import Path

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[^"]*))?"\s*$', re.MULTILINE)


def sections_of(snippet: Path) -> set[str]:
    """Sections marked in a file with both `[start:name]` and `[end:name]`."""
    text = snippet.read_text(encoding="utf-8")
    starts = set(re.findall(r"--8<-- \[start:([\w-]+)\]", text))
    return starts & set(re.findall(r"--8<-- \[end:([\w-]+)\]", text))


def problems(markdown: str, page: str, root: Path) -> list[str]:
    """`docs/<page>:<line>: ...` for each include whose file or section does not exist."""
    found = []
    for match in INCLUDE.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        path, section = root / match["path"], match["section"]
        if not path.is_file():
            found.append(f"docs/{page}:{line}: includes {match['path']}, which does not exist")
        elif section and section not in sections_of(path):
            found.append(f"docs/{page}:{line}: {match['path']} has no section {section!r}")
    return found
