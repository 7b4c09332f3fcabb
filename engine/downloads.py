"""Snippets as downloads: the file a reader takes away runs alone and says what it was
verified with.

Each `snippets/<topic>/<file>.py` is served at the same path in the site, the snippets it
imports inlined (a reader's folder holds only that file) and its module docstring extended
with the library versions of the build. Plain Python: any renderer can
call it.

A snippet may import the converter package (`from weightatlas import keras_to_torch`),
which a reader may not have installed: its download carries the source of the package
modules it uses and imports them from there (`Package.carried`), and says that
`pip install` of the package makes that block unnecessary.
"""
import ast
import dataclasses
import functools
import io
import re
import textwrap
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
    its own imports first, so the file needs nothing of this project. The modules of the
    converter package that it or they import come first, carried whole (`Package.carried`)."""
    source = path.read_text(encoding="utf-8")
    inlined: list[Path] = []
    body = _without_snippet_imports(source, root, inlined)
    package = Package.of(root)
    users = [source, *(module.read_text(encoding="utf-8") for module in inlined)]
    modules = package.modules_for(users) if package else []
    if not inlined and not modules:
        return source
    lines = body.splitlines(keepends=True)
    at = _first_project_import_line(source, package)
    parts = [package.carried(modules)] if modules else []
    for module in inlined:
        name = module.relative_to(root).as_posix()
        code = _without_snippet_imports(module.read_text(encoding="utf-8"), root, [])
        parts.append(f"# --- {name}, inlined so that this file runs on its own "
                     f"(the site serves it at that path too) ---\n{code.rstrip()}\n# --- end of {name} ---\n\n")
    return "".join(lines[:at - 1]) + "".join(parts) + "".join(lines[at - 1:])


def _first_project_import_line(source: str, package: "Package | None") -> int:
    """The line of the first top-level import of a snippet or of the package: where the
    carried code goes (after the docstring and any `from __future__` import)."""
    lines = [node.lineno for node in _snippet_imports(source)]
    if package:
        lines += [node.lineno for node in package.imports_in(ast.parse(source), top_level=True)]
    return min(lines, default=(docstring_end_line(source) or 0) + 1)


def _snippet_imports(source: str) -> list[ast.ImportFrom]:
    return [node for node in ast.parse(source).body
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("snippets.")]


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


# What a download that uses the package carries: the source of each module it needs, and
# an import hook that imports them from that text under their own names, as if installed.
# Each module keeps its namespace, so names that two modules (or the snippet) share stay
# apart, relative and lazy imports work, and the package's own __init__ runs as written.
CARRIER = """
import importlib.abc, importlib.util, sys


class _CarriedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    \"\"\"Imports the modules above from their source text, as if they were installed.\"\"\"

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, name, path=None, target=None):
        if name not in self.sources:
            return None
        return importlib.util.spec_from_loader(name, self, is_package="." not in name)

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        code = compile(self.sources[module.__name__], f"<{module.__name__}: carried in this file>", "exec")
        exec(code, module.__dict__)


sys.meta_path.insert(0, _CarriedModules({sources_name}))
"""


@dataclasses.dataclass(frozen=True)
class Package:
    """The converter package under src/ (src/<name>/), as a download carries it: the
    package's `__init__` and each module that the snippet imports from, directly or through
    a name the package re-exports (`from weightatlas import keras_to_torch` needs the module
    that defines it), with the package modules those import, anywhere in them."""

    name: str
    folder: Path

    @staticmethod
    def of(root: Path) -> "Package | None":
        """The package under root/src, if there is one."""
        found = sorted(init.parent for init in (root / "src").glob("*/__init__.py"))
        return Package(found[0].name, found[0]) if found else None

    def modules(self) -> list[Path]:
        return sorted(path for path in self.folder.glob("*.py") if path.name != "__init__.py")

    def imports_in(self, tree: ast.Module, *, top_level: bool = False) -> list[ast.stmt]:
        """The package imports of a parsed file: relative ones (inside the package) and those
        naming the package; all of them, or only the file's top-level statements."""
        found = []
        for node in (tree.body if top_level else run_time_nodes(tree)):
            if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == self.name for alias in node.names):
                found.append(node)
            elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == self.name):
                found.append(node)
        return found

    def modules_named(self, node: ast.stmt) -> list[Path]:
        """The package modules an import statement needs (beyond the package's __init__)."""
        if isinstance(node, ast.Import):
            return [self.module_file(alias.name.split(".")[1:]) for alias in node.names
                    if alias.name.split(".")[0] == self.name]
        parts = (node.module or "").split(".")[1:] if not node.level else (node.module or "").split(".")
        parts = [part for part in parts if part]
        if parts:
            return [self.module_file(parts)]
        # `from weightatlas import name`: a module, or a name one defines
        return self.modules_providing(alias.name for alias in node.names)

    def modules_providing(self, names) -> list[Path]:
        """The modules that are, or define, the given names of the package's namespace."""
        found = []
        for name in names:
            if (self.folder / f"{name}.py").is_file():
                found.append(self.folder / f"{name}.py")
            else:
                found += [module for module in self.modules() if name in self.defined_names(module)]
        return found

    def names_read_off(self, tree: ast.Module, node: ast.stmt) -> list[str]:
        """For `import weightatlas` (or `as wa`), the names the file reads off it
        (`weightatlas.keras_to_torch`): the package's __init__ finds them lazily, by a name
        in a string, so the modules behind them are carried too."""
        if not isinstance(node, ast.Import):
            return []
        bound = {alias.asname or alias.name for alias in node.names if alias.name == self.name}
        return sorted({attribute.attr for attribute in ast.walk(tree)
                       if isinstance(attribute, ast.Attribute) and isinstance(attribute.value, ast.Name)
                       and attribute.value.id in bound})

    def module_file(self, parts: list[str]) -> Path:
        if not parts:
            return self.folder / "__init__.py"
        module = self.folder.joinpath(*parts).with_suffix(".py")
        return module if module.is_file() else self.folder.joinpath(*parts, "__init__.py")

    def defined_names(self, module: Path) -> frozenset[str]:
        """The names a module binds at its top level (definitions and assignments)."""
        return top_level_names(parsed(module))

    def dependencies(self, module: Path) -> list[Path]:
        """The package modules `module` imports, anywhere in it (a function's lazy import too)."""
        return [found for node in self.imports_in(parsed(module)) for found in self.modules_named(node)]

    def modules_for(self, sources: list[str]) -> list[Path]:
        """The package's __init__ and the modules the sources need, in a stable order; none
        when the sources do not import the package."""
        trees = [ast.parse(source) for source in sources]
        imports = [(tree, node) for tree in trees for node in self.imports_in(tree)]
        if not imports:
            return []
        carried: set[Path] = set()
        queue = [self.folder / "__init__.py"]
        for tree, node in imports:
            queue += self.modules_named(node) + self.modules_providing(self.names_read_off(tree, node))
        while queue:
            module = queue.pop()
            if module not in carried and module.is_file():
                carried.add(module)
                queue += self.dependencies(module)
        return sorted(carried, key=self.dotted_name)

    def dotted_name(self, module: Path) -> str:
        parts = module.relative_to(self.folder.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def carried(self, modules: list[Path]) -> str:
        """The block a download carries: each module's source, then the import hook."""
        sources_name = f"_{self.name.upper()}_SOURCES"
        names = textwrap.fill(", ".join(self.dotted_name(module) for module in modules), 84,
                              initial_indent="#   ", subsequent_indent="#   ")
        entries = "".join(f"    {self.dotted_name(module)!r}: {source_literal(module.read_text(encoding='utf-8'))},\n"
                          for module in modules)
        return (f"# --- the {self.name} package, carried so that this file runs on its own: the source\n"
                f"# of each module it needs, imported from here under its own name as if installed:\n"
                f"{names}\n# With the package installed (pip install), delete this block. ---\n"
                f"{sources_name} = {{\n{entries}}}\n{CARRIER.replace('{sources_name}', sources_name)}"
                f"# --- end of the {self.name} package ---\n\n")


def run_time_nodes(tree: ast.AST):
    """Every node of a tree except those under `if TYPE_CHECKING:`, which never runs."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            yield from (node for branch in child.orelse for node in [branch, *run_time_nodes(branch)])
            continue
        yield child
        yield from run_time_nodes(child)


def source_literal(source: str) -> str:
    """A module's source as a string literal that reads like the file (a raw triple-quoted
    string), or its repr where the text cannot sit in one unchanged."""
    literal = f"r\'\'\'{source}\'\'\'"
    try:
        if ast.literal_eval(literal) == source:
            return literal
    except (SyntaxError, ValueError):
        pass
    return repr(source)


def parsed(path: Path) -> ast.Module:
    """A file's syntax tree, parsed again only when the file changes (`mkdocs serve` keeps
    this module loaded while the package is edited)."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=None)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def top_level_names(tree: ast.Module) -> frozenset[str]:
    """The names a module's top-level definitions and assignments bind (imports aside)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name))
    return frozenset(names)
