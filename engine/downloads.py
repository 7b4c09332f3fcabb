"""Snippets as downloads: the file a reader takes away runs alone and says what it was
verified with.

Each `snippets/<topic>/<file>.py` is served at the same path in the site, the snippets it
imports inlined (a reader's folder holds only that file) and its module docstring extended
with the library versions of the build. Plain Python: any renderer can
call it.
"""
import ast
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


def self_contained(path: Path, root: Path) -> str:
    """The source of snippet `path` as a reader downloads it: runnable alone, in a folder that
    holds nothing else. A snippet that imports another snippet (`from snippets.convert.recurrent
    import keras_to_torch`) gets that module's code in its place, marked, each module once and
    its own imports first, so the file needs nothing of this project."""
    source = path.read_text(encoding="utf-8")
    inlined: list[Path] = []
    body = _without_snippet_imports(source, root, inlined)
    if not inlined:
        return source
    lines = body.splitlines(keepends=True)
    at = _first_snippet_import_line(source)
    parts = []
    for module in inlined:
        name = module.relative_to(root).as_posix()
        code = _without_snippet_imports(module.read_text(encoding="utf-8"), root, [])
        parts.append(f"# --- {name}, inlined so that this file runs on its own "
                     f"(the site serves it at that path too) ---\n{code.rstrip()}\n# --- end of {name} ---\n\n")
    return "".join(lines[:at - 1]) + "".join(parts) + "".join(lines[at - 1:])


def _snippet_imports(source: str) -> list[ast.ImportFrom]:
    return [node for node in ast.parse(source).body
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("snippets.")]


def _first_snippet_import_line(source: str) -> int:
    return _snippet_imports(source)[0].lineno


def _without_snippet_imports(source: str, root: Path, inlined: list[Path]) -> str:
    """`source` with its snippet imports blanked; the modules they name (and theirs, first)
    appended to `inlined`, each once."""
    lines = source.splitlines(keepends=True)
    for node in reversed(_snippet_imports(source)):
        module = root / Path(*node.module.split(".")).with_suffix(".py")
        if not module.is_file():
            raise FileNotFoundError(f"{node.module}: imported by a snippet, no file {module}")
        if module not in inlined:
            _without_snippet_imports(module.read_text(encoding="utf-8"), root, inlined)
            if module not in inlined:
                inlined.append(module)
        del lines[node.lineno - 1:node.end_lineno]
    return "".join(lines)
