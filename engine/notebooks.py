"""Each page's code as a Jupyter notebook, built from the page itself: nothing is run here.

The cells are what the tests run, in page order under the headings they sit under:
- every snippet file the page includes, whole, written to its path with `%%writefile` and
  then imported, which runs it in its own namespace with its asserts, as the tests do (run
  in the notebook's namespace, its names would clobber those of the page's `>>>` lines);
- every `>>>` statement of a pycon block, with the output the doctest checked as its output;
- snippet modules that any of it imports, written first, so imports work as on the site.

Plain Python: any renderer and the tests can call it. The notebook is written as plain JSON
in nbformat 4.4: nbformat's own constructors validate every cell, which would cost a build
about a second; tests/test_notebooks.py validates every notebook the site serves.
"""
import ast
import functools
import json
import re
from pathlib import Path

from engine._cache_key import project_file
from engine.downloads import Package
from engine.page import Page

SECTION_MARK = re.compile(r"^\s*# --8<-- \[(start|end):[\w-]+\]\s*$")


def download_path(page_uri: str) -> str:
    """Where a page's notebook is served: lstm/weights.md -> notebooks/lstm/weights.ipynb."""
    return "notebooks/" + re.sub(r"\.(md|ipynb)$", "", page_uri) + ".ipynb"


def blocks(source: str):
    """("heading", level, text) / ("python", include paths) / ("pycon", text) in page order,
    read through the page model (engine/page.py), as the tests and the build read it."""
    page = Page(source)
    parts = [(heading.line, ("heading", heading.level, heading.text)) for heading in page.headings]
    for block in page.blocks:
        if block.language == "python":
            paths = [include.path for include in page.includes if block.line < include.line < block.end]
            parts.append((block.line, ("python", paths)))
        elif block.language == "pycon":
            parts.append((block.line, ("pycon", block.source)))
    for _line, part in sorted(parts, key=lambda item: item[0]):
        yield part


def statements(pycon: str) -> list[tuple[str, str]]:
    """(code, expected output) for each `>>>` statement of a doctest block."""
    found = []
    for line in pycon.splitlines():
        if line.startswith(">>> "):
            found.append([line[4:], []])
        elif line.startswith("... ") or line == "...":
            if found and not found[-1][1]:
                found[-1][0] += "\n" + line[4:]
            elif found:
                found[-1][1].append(line)  # "..." standing for a traceback's body
        elif found and line.strip():
            found[-1][1].append(line)
    return [(code, "\n".join(output)) for code, output in found]


def markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code_cell(source: str, outputs=(), tags=()) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": list(tags)} if tags else {},
            "outputs": list(outputs), "source": source}


def output_cell(code: str, output: str) -> dict:
    if not output:
        return code_cell(code)
    if output.startswith("Traceback (most recent call last):"):
        # The exception is the first line after the header that is not the elided stack;
        # its message may run on over the lines after it.
        lines = output.splitlines()[1:]
        start = next(i for i, line in enumerate(lines) if line.strip() != "..." and not line[:1].isspace())
        name, _, value = " ".join(lines[start:]).partition(":")
        error = {"output_type": "error", "ename": name.split(".")[-1], "evalue": " ".join(value.split()),
                 "traceback": output.splitlines()}
        return code_cell(code, [error], tags=["raises-exception"])  # Jupyter runs on past it
    last = ast.parse(code).body[-1]
    printed = isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and (
        getattr(last.value.func, "id", None) == "print")
    if printed or not isinstance(last, ast.Expr):
        return code_cell(code, [{"output_type": "stream", "name": "stdout", "text": output + "\n"}])
    return code_cell(code, [{"output_type": "execute_result", "execution_count": None,
                             "data": {"text/plain": output}, "metadata": {}}])


def snippet_modules(code: str, found: list[Path]) -> list[Path]:
    """Add to `found` the snippet files that `code` imports, directly or through them,
    each after its own dependencies."""
    for name in sorted(imported_names_of(code)):
        module = project_file(name) if name.startswith("snippets.") else None
        if module is not None and module not in found:
            snippet_modules(module.read_text(encoding="utf-8"), found)
            if module not in found:
                found.append(module)
    return found


@functools.lru_cache(maxsize=None)
def imported_names_of(code: str) -> frozenset[str]:
    """What the code's top-level statements import from snippets/ (where snippets import)."""
    if "snippets" not in code:
        return frozenset()  # most cells: no need to parse them
    names = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def snippet_code(path: Path) -> str:
    """The file as it runs, without the section markers that only the site reads."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not SECTION_MARK.match(line)).strip() + "\n"


def page_notebook(source: str, page_uri: str, root: Path, versions: dict[str, str],
                  page_link: str) -> dict | None:
    """The notebook of a page whose facts are filled in, or None when it shows no code."""
    parts = list(blocks(source))
    title = next((text for kind, *rest in parts if kind == "heading" and rest[0] == 1
                  for text in [rest[1]]), page_uri)
    written: list[Path] = []

    package = Package.of(root)

    def notebook_path(path: Path) -> str:
        """Where the notebook writes a file: a snippet at its site path, a module of the
        package under its import name (weightatlas/...), so imports find it in the folder."""
        relative = path.relative_to(root)
        return (relative.relative_to("src") if relative.parts[0] == "src" else relative).as_posix()

    def write(module: Path) -> list[dict]:
        """%%writefile cells for a snippet file, the snippet modules it imports and the
        package modules any of them use, each once, dependencies first: the files the site's
        imports expect, so the notebook runs where the package is not installed."""
        snippets = [*snippet_modules(module.read_text(encoding="utf-8"), []), module]
        sources = [path.read_text(encoding="utf-8") for path in snippets]
        cells = []
        for path in [*(package.modules_for(sources) if package else []), *snippets]:
            if path not in written:
                written.append(path)
                code = snippet_code(path) if path.is_relative_to(root / "snippets") else path.read_text(encoding="utf-8")
                cells.append(code_cell(f"%%writefile {notebook_path(path)}\n{code}"))
        return cells

    body, imported, pending_headings = [], set(), []
    for kind, *rest in parts:
        if kind == "heading":
            level, text = rest
            if level > 1:
                pending_headings = [h for h in pending_headings if h[0] < level] + [(level, text)]
            continue
        new_cells = []
        if kind == "python":
            for include in rest[0]:
                path = root / include
                if path.suffix == ".py" and path not in imported:
                    imported.add(path)
                    module = ".".join(path.relative_to(root).with_suffix("").parts)
                    # Imported, as the tests run it: in its own namespace, asserts and all.
                    new_cells += [*write(path), code_cell(f"import {module}  # runs the file above")]
        else:
            for code, output in statements(rest[0]):
                for path in snippet_modules(code, []):
                    new_cells += write(path)
                new_cells.append(output_cell(code, output))
        if new_cells:
            body += [markdown_cell(f"{'#' * level} {text}") for level, text in pending_headings]
            pending_headings = []
            body += new_cells
    if not body:
        return None
    stamp = ", ".join(f"{name} {version}" for name, version in versions.items())
    folders = sorted({Path(notebook_path(path)).parent.as_posix() for path in written})
    head = [
        markdown_cell(
            f"# {title}\n\nThe code of [{title}]({page_link}), in page order. Each snippet the "
            "page shows is written to the file the site serves (`%%writefile`) and imported, "
            "which runs it with its asserts; each `>>>` line carries the output its test "
            f"checked. Verified with {stamp}."),
        code_cell("import os\n\n" + "".join(f'os.makedirs("{folder}", exist_ok=True)\n' for folder in folders)),
    ]
    return {"nbformat": 4, "nbformat_minor": 4, "cells": head + body, "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }}


def as_json(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
