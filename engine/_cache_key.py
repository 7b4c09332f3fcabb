"""The cache key of a generated product: everything that can change what it produces.

That is the code (the syntax tree: no comments, no layout) of the script and of every
project module it imports (followed recursively, so a figure or a fact that imports a
snippet is produced again when the snippet's code changes), the renderer, for a figure the
shared figure style, the environment every script runs with (pyproject.toml), and the
installed versions of the libraries those modules import.
Prose is not in it, so editing a page or a comment runs nothing.

The converter package under src/ (src/weightatlas) is the project's own code too, though
it is installed (editable) like a library: its modules are hashed like a snippet's, never
keyed by the version it declares, which an edit does not change; and all of them at once,
since the package imports its parts lazily.

A product that shows code is keyed by the exact text of those files instead, comments and
layout included, since they are in its output. The criterion (`shows_code`): it is a
notebook, or it imports, directly or not, engine/notebooks.py, whose `snippet_code` is how
a product quotes a project file. Its script may also name files by path
("snippets/training/mod_layers.py") that it quotes without importing; those are keyed too.
A figure or facts script that quotes project code another way (inspect.getsource) must use
snippet_code instead, or its key misses comment edits.
"""
import ast
import functools
import hashlib
import json
import importlib.metadata
import os
import re
import sys
from pathlib import Path

from engine.settings import SETTINGS

ENGINE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = ENGINE_DIR.parent
# Where the project's own importable code lives: the root (engine, snippets, facts...) and
# the src layout of the package readers install (src/weightatlas).
SOURCE_ROOTS = (PROJECT_ROOT, PROJECT_ROOT / "src")

# Files that shape a product whether or not its script imports them: the renderer every
# product, the style every figure (only figures: a style edit must not rerun the facts).
RENDERER = ENGINE_DIR / "_render_one.py"
FIGURE_STYLE = SETTINGS.figure_style
# What a product imports when it quotes project files (snippet_code): it shows code.
QUOTING_MODULE = ENGINE_DIR / "notebooks.py"
# Libraries that shape every figure, and libraries that another one runs on (Keras 3
# computes with its backend): from pyproject.toml, as the environment every script gets.
ALWAYS_VERSIONED = SETTINGS.always_versioned
IMPLIED_DISTRIBUTIONS = SETTINGS.implied_distributions


def memo_file() -> Path:
    """Per-file code hashes and imports from earlier runs, keyed by modification time and
    size: a warm build parses no file that has not changed (parsing all of them took a
    second of every build)."""
    return Path(os.environ.get("WEIGHT_ATLAS_CACHE", PROJECT_ROOT / ".cache")) / "inputs" / "files.json"


@functools.cache
def memo() -> dict:
    try:
        return json.loads(memo_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_memo() -> None:
    for gone in [name for name in memo() if not os.path.exists(name)]:
        del memo()[gone]  # files of deleted copies of the project (tests make many)
    path = memo_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(memo(), sort_keys=True), encoding="utf-8")
    os.replace(partial, path)  # another process may write it too: last one wins, both valid


def remembered(path: Path, what: str, compute):
    stat = path.stat()
    entry = memo().setdefault(str(path), {})
    stamp = [stat.st_mtime_ns, stat.st_size]
    if entry.get("stamp") != stamp:
        entry.clear()
        entry["stamp"] = stamp
    if what not in entry:
        entry[what] = compute()
    return entry[what]


def parsed(path: Path) -> ast.Module:
    """A file's syntax tree, parsed once per process for as long as the file is unchanged
    (every script that imports a snippet would parse it again otherwise)."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=None)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_names(source_file: Path) -> set[str]:
    """Absolute dotted names a file imports, with `from a import b` giving a and a.b."""
    stat = source_file.stat()
    return remembered(source_file, "imports", lambda: sorted(
        _imported_names(source_file, stat.st_mtime_ns, stat.st_size)))


@functools.lru_cache(maxsize=None)
def _imported_names(source_file: Path, _mtime_ns: int, _size: int) -> frozenset[str]:
    tree = parsed(source_file)
    package = ".".join(source_file.relative_to(source_root(source_file)).parent.parts)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against this file's package
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(name for name in names if name)


def source_root(path: Path) -> Path:
    """The folder a project file is imported from: src/ for the package, else the root."""
    return next(root for root in reversed(SOURCE_ROOTS) if path.is_relative_to(root))


def project_file(dotted_name: str) -> Path | None:
    """The project file a dotted module name refers to, if it is one of ours."""
    for root in SOURCE_ROOTS:
        base = root.joinpath(*dotted_name.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def is_project_package(top: str) -> bool:
    """Whether a top-level import name is a folder of the project (engine, src's packages)."""
    return any((root / top).exists() for root in SOURCE_ROOTS)


def package_files(module: Path) -> list[Path]:
    """The files that importing `module` can run. A module of a package under src/ brings
    every module of its package: the package may import its parts lazily (a module-level
    `__getattr__`), which no import statement shows, so it counts as one unit."""
    package_root = PROJECT_ROOT / "src"
    if not module.is_relative_to(package_root):
        return [module]
    top = package_root / module.relative_to(package_root).parts[0]
    return sorted(path for path in top.rglob("*.py") if "__pycache__" not in path.parts) if top.is_dir() else [module]


def dependencies(script: Path) -> tuple[list[Path], set[str]]:
    """Project files the script needs (itself included) and third-party top-level modules."""
    seen, third_party, queue = set(), set(), [script.resolve()]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imported_names(current):
            found = project_file(name)
            top = name.split(".")[0]
            if found:
                queue.extend(package_files(found.resolve()))
            elif top not in sys.stdlib_module_names and not is_project_package(top):
                third_party.add(top)
    return sorted(seen), third_party


# Import names that differ from their distribution's, found without scanning every package.
DISTRIBUTION_OF = {"sklearn": "scikit-learn", "yaml": "PyYAML", "PIL": "pillow",
                   "weightatlas": "weight-atlas"}  # only where src/ is absent (a bare copy)


@functools.cache
def distributions_providing(module: str) -> tuple[str, ...]:
    """The installed distributions behind a top-level import name. By name first, which is
    cheap and right for keras, numpy, torch...; else from importlib's scan of every installed
    package's file list (about a second: at most once per process, only for names like
    sklearn that differ from their distribution's)."""
    try:
        return (importlib.metadata.distribution(DISTRIBUTION_OF.get(module, module)).metadata["Name"],)
    except importlib.metadata.PackageNotFoundError:
        return tuple(every_distribution_by_module().get(module, ()))


@functools.cache
def every_distribution_by_module() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def library_versions(top_level_modules: set[str]) -> dict[str, str]:
    """Installed distribution versions behind the given import names."""
    wanted = set(ALWAYS_VERSIONED)
    for module in top_level_modules:
        for distribution in distributions_providing(module):
            wanted.add(distribution)
            wanted.update(IMPLIED_DISTRIBUTIONS.get(distribution, ()))
    return {name: version_of(name) for name in sorted(wanted)}


@functools.cache
def version_of(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def code_hash(path: Path) -> str:
    return remembered(path, "code", lambda: hashlib.sha256(code_of(path)).hexdigest()[:16])


def code_of(path: Path) -> bytes:
    """What a Python file computes, without its comments and layout: its syntax tree.

    Editing a comment or re-wrapping a line in a snippet that a figure imports then
    renders nothing; a docstring (a figure's title) is code and still counts."""
    stat = path.stat()
    return _code_of(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=None)
def _code_of(path: Path, _mtime_ns: int, _size: int) -> bytes:
    return ast.dump(parsed(path), include_attributes=False).encode()


def text_hash(path: Path) -> str:
    """The hash of a file's exact bytes, for a product that quotes it (comments and all)."""
    return remembered(path, "text", lambda: hashlib.sha256(path.read_bytes()).hexdigest()[:16])


RELATIVE_PY_PATH = re.compile(r"(?:[\w-]+/)*[\w-]+\.py")  # no "..", no absolute path


def named_files(script: Path) -> set[Path]:
    """Project .py files the script names by a path relative to the project root, such as
    "snippets/training/mod_layers.py": what a notebook may quote without importing it."""
    return {PROJECT_ROOT / node.value for node in ast.walk(parsed(script))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and RELATIVE_PY_PATH.fullmatch(node.value) and (PROJECT_ROOT / node.value).is_file()}


def inputs_of(script: Path, *, figure: bool = False, notebook: bool = False) -> dict[str, str]:
    """Everything the output depends on, by name: {file: hash of its code, library: version}.

    `figure` adds the figure style; a notebook, or any product that imports QUOTING_MODULE,
    shows code and is keyed by its files' text (see the module docstring). Kept beside the
    cache, so a re-render can say which input changed."""
    files, third_party = dependencies(script)
    shows_code = notebook or QUOTING_MODULE in files
    hashed = {*files, RENDERER, *([FIGURE_STYLE] if figure else [])}
    if shows_code:
        hashed |= named_files(script)
    hash_of = text_hash if shows_code else code_hash
    inputs = {"python": ".".join(map(str, sys.version_info[:3])),
              "environment": json.dumps(SETTINGS.environment, sort_keys=True)}
    for path in sorted(hashed):
        inputs[path.relative_to(PROJECT_ROOT).as_posix()] = hash_of(path)
    inputs.update(library_versions(third_party))
    return inputs


def key_of(inputs: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]


def cache_key(script: Path) -> str:
    return key_of(inputs_of(script))


def what_changed(before: dict[str, str] | None, after: dict[str, str]) -> str:
    """Why a product runs again, in words: "first run", "code changed in snippets/x.py"."""
    if before is None:
        return "first run"
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    libraries = [f"{name} {before.get(name)} -> {after.get(name)}" for name in changed if "/" not in name
                 and not name.endswith(".py")]
    files = [name for name in changed if name.endswith(".py")]
    parts = ([f"code changed in {', '.join(files)}"] if files else []) + libraries
    return "; ".join(parts) or "cached output missing"
