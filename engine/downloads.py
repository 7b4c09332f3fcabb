"""Snippets as downloads: the file a reader takes away says what it was verified with.

Each `snippets/<topic>/<file>.py` is served at the same path in the site, its module
docstring extended with the library versions of the build. Plain Python: any renderer can
call it.
"""
import ast
from pathlib import Path


def stamped(source: str, versions: dict[str, str]) -> str:
    """`source` with a "Verified with ..." line at the end of its module docstring, or a
    comment on top when it has none."""
    line = "Verified with " + ", ".join(f"{name} {version}" for name, version in versions.items()) + "."
    tree = ast.parse(source)
    docstring = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) else None
    if docstring is None or not isinstance(getattr(docstring.value, "value", None), str):
        return f"# {line}\n{source}"
    lines = source.splitlines(keepends=True)
    last = lines[docstring.end_lineno - 1]
    quote = last.rstrip()[-3:]
    body = last.rstrip()[:-3]
    if body.strip():  # closing quotes on the docstring's last line of text
        lines[docstring.end_lineno - 1] = f"{body}\n\n{line}\n{quote}\n"
    else:
        lines[docstring.end_lineno - 1] = f"\n{line}\n{last.lstrip() if not body else last}"
    return "".join(lines)


def snippet_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "snippets").rglob("*.py") if "__pycache__" not in path.parts)
