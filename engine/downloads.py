"""Snippets as downloads: the file a reader takes away says what it was verified with.

Each `snippets/<topic>/<file>.py` is served at the same path in the site, its module
docstring extended with the library versions of the build. Plain Python: any renderer can
call it.
"""
import io
import re
import tokenize
from pathlib import Path


def stamped(source: str, versions: dict[str, str]) -> str:
    """`source` with a "Verified with ..." line at the end of its module docstring, or a
    comment on top when it has none."""
    line = "Verified with " + ", ".join(f"{name} {version}" for name, version in versions.items()) + "."
    end_line = docstring_end_line(source)
    if end_line is None:
        return f"# {line}\n{source}"
    lines = source.splitlines(keepends=True)
    last = lines[end_line - 1]
    quote = last.rstrip()[-3:]
    body = last.rstrip()[:-3]
    if body.strip():  # closing quotes on the docstring's last line of text
        lines[end_line - 1] = f"{body}\n\n{line}\n{quote}\n"
    else:
        lines[end_line - 1] = f"\n{line}\n{last.lstrip() if not body else last}"
    return "".join(lines)


def docstring_end_line(source: str) -> int | None:
    """The line on which the module docstring ends, or None. Reads only the first statement's
    tokens (parsing every snippet for this was a tenth of a second of every warm build)."""
    significant = (token for token in tokenize.generate_tokens(io.StringIO(source).readline)
                   if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING))
    first = next(significant, None)
    if first is None or first.type != tokenize.STRING or not re.match(r"[rRuU]?['\"]", first.string):
        return None  # no docstring, or a bytes or f-string, which is no docstring
    after = next(significant, None)
    return first.end[0] if after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER) else None


def snippet_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "snippets").rglob("*.py") if "__pycache__" not in path.parts)
