"""The rules that keep the site's claims from being hollowed out, as plain functions.

Each takes a text and the name to report it under, and returns its problems, one string
each: `path/relative/to/repo:LINE: what is wrong`. The tests run them over the real files
(test_pages.py, test_claims_cannot_be_hollowed.py) and over small broken examples. The rules
at the end (bare-bool-doctest, shape-only-check, unchecked-fact) are registered with
engine/problems.py's `@rule`, with a good and a bad example, and return `Problem`s.
"""
import ast
import builtins
import collections
import doctest
import functools
import html
import re
import textwrap
from pathlib import Path

import markdown
import yaml
from markdown.treeprocessors import Treeprocessor

from conftest import DOCTEST_LANGUAGE
from engine.problems import Problem, rule
from engine.page import snippet_sections
from tests.project import CodeBlock, ROOT, fenced_blocks, page_includes, snippet_notation


def parse(source: str, name: str, first_line: int = 1) -> tuple[ast.Module | None, list[str]]:
    try:
        return ast.parse(source), []
    except SyntaxError as error:
        return None, [f"{name}:{first_line - 1 + (error.lineno or 1)}: does not parse: {error.msg}"]


def called_name(call: ast.Call) -> str:
    """`assert_allclose` for `np.testing.assert_allclose(...)`, `abs` for `abs(...)`."""
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


# --- Rule 1: a snippet asserts, and every section a page shows is checked -------------

def is_check(node: ast.AST) -> bool:
    """An `assert`, or a call of a function whose name starts with "assert":
    np.testing.assert_allclose, np.testing.assert_array_equal, torch.testing.assert_close."""
    if isinstance(node, ast.Assert):
        return True
    return isinstance(node, ast.Call) and called_name(node).startswith("assert")


def checks(tree: ast.AST) -> list[ast.Assert | ast.Call]:
    return [node for node in ast.walk(tree) if is_check(node)]


def names_a_check_reads(check: ast.Assert | ast.Call) -> set[str]:
    """The names loaded in an assert's expression or in an assert_* call's arguments."""
    if isinstance(check, ast.Assert):
        parts = [check.test]
    else:
        parts = [*check.args, *(keyword.value for keyword in check.keywords)]
    return {
        node.id for part in parts for node in ast.walk(part)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def snippet_asserts_nothing(source: str, name: str) -> list[str]:
    tree, problems = parse(source, name)
    if tree is None or checks(tree):
        return problems
    return [
        f"{name}:1: asserts nothing: a snippet's claims are its checks "
        "(assert ..., np.testing.assert_allclose(...)), so a snippet without one claims nothing"
    ]


# Sections are read where the build reads them (engine/page.py).
sections = snippet_sections


class Bindings(ast.NodeVisitor):
    """The module-level names a stretch of code defines or changes: assignment, for and
    with targets, `x.attribute = ...` and `x[i] = ...`, imports, def and class names.
    The locals of functions and comprehensions are not module names, so are left out."""

    def __init__(self):
        self.names: set[str] = set()

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.names.add(node.id)

    def visit_target_base(self, node):
        if isinstance(node.ctx, ast.Store):
            base = node
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name):
                self.names.add(base.id)
        self.generic_visit(node)

    visit_Attribute = visit_Subscript = visit_target_base

    def visit_FunctionDef(self, node):
        self.names.add(node.name)
        for decorator in node.decorator_list:
            self.visit(decorator)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node):
        pass

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda

    def visit_Import(self, node):
        for alias in node.names:
            self.names.add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import


def module_scope_statements(body: list[ast.stmt]):
    """Statements that run at module level: the module's, and those inside its `if`,
    `for`, `with`, `try`... but not inside a def or class body."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from module_scope_statements(getattr(statement, field, []))
        for handler in getattr(statement, "handlers", []):
            yield from module_scope_statements(handler.body)
        for case in getattr(statement, "cases", []):
            yield from module_scope_statements(case.body)


def hollow_sections(source: str, name: str) -> dict[str, str]:
    """{section: why} for each section that no check covers: it holds no check itself, and
    no check after it reads (directly) any name it defines. A check that only compares the
    sizes of two computed values (`assert a.shape == b.shape`, see shape_only()) covers
    nothing: it passes whatever the values are."""
    tree, _problems = parse(source, name)
    if tree is None:
        return {}
    sizes = size_names(tree)
    every_check = [check for check in checks(tree) if not shape_only(check, sizes)]
    hollow = {}
    for section, (start, end) in sections(source).items():
        if any(start < check.lineno < end for check in every_check):
            continue
        bindings = Bindings()
        for statement in module_scope_statements(tree.body):
            if start < statement.lineno < end:
                bindings.visit(statement)
        if checked_later(tree, bindings.names, end, every_check):
            continue
        defined = ", ".join(sorted(bindings.names)) or "no name"
        hollow[section] = (
            f"{name}:{start}: section {section!r} asserts nothing, and no check after it "
            f"reads what it defines ({defined}) or anything computed from it"
        )
    return hollow


def checked_later(tree: ast.Module, defined: set[str], end: int, every_check) -> bool:
    """Whether a check after line `end` reads a name in `defined`, or a name computed from
    one: `numpy_h = lstm_numpy(...)` then `assert_allclose(numpy_h, ...)` checks lstm_numpy.
    A def that uses a defined name makes its own name one too."""
    return first_check_later(tree, defined, end, every_check) is not None


def first_check_later(tree: ast.Module, defined: set[str], end: int, every_check):
    """The first of `every_check` after line `end` that reads a name in `defined` or
    computed from one (see checked_later), or None."""
    derived = set(defined)
    for statement in module_scope_statements(tree.body):
        if statement.lineno <= end:
            continue
        reads = {
            node.id for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        if not reads & derived:
            continue
        inside = sorted((c for c in every_check
                         if statement.lineno <= c.lineno <= statement.end_lineno),
                        key=lambda c: (c.lineno, c.col_offset))
        for check in inside:
            if names_a_check_reads(check) & derived:
                return check
        bound = Bindings()
        bound.visit(statement)
        derived |= bound.names
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            derived.add(statement.name)
    return None


def hollow_includes(text: str, page_name: str, root: Path = ROOT) -> list[str]:
    """Each include of a page whose section nothing checks, named at the page's line. A
    section of the package's source is checked by the package's tests instead."""
    problems = []
    for include in page_includes(text):
        path = root / include.path
        if include.section is None or path.suffix != ".py" or not path.is_file():
            continue  # include_problems() names these
        if is_package_source(path, root):
            continue  # a library module: tests/test_package_*.py check it, not asserts in it
        why = hollow_sections(path.read_text(encoding="utf-8"), include.path).get(include.section)
        if why:
            problems.append(
                f"{page_name}:{include.line}: shows {include.spec}, which nothing checks: {why}"
            )
    return problems


# --- Rule 2: tolerances stay tight -----------------------------------------------------

# float32 arithmetic over a short recurrence agrees to ~1e-6; 1e-5 leaves headroom and is
# the cap the converter issue uses. A looser tolerance lets a wrong claim pass as "close".
TOLERANCE_CAP = 1e-5

CLOSENESS_FUNCTIONS = {"assert_allclose", "assert_close", "allclose", "isclose"}
TOLERANCE_KEYWORDS = {"atol", "rtol", "abs_tol", "rel_tol"}
# numpy's and torch's allclose/isclose/assert_allclose take (a, b, rtol, atol) in order.
POSITIONAL_TOLERANCES = {2: "rtol", 3: "atol"}
# In `assert X < c`, X is an error, so c a tolerance, when X calls one of these or names
# something that holds one of these words.
ERROR_CALLS = {"abs", "absolute", "fabs", "max", "amax", "norm"}
ERROR_WORDS = ("error", "diff", "tol")


def number(node: ast.AST) -> float | None:
    """The value of a numeric literal (`1e-6`, `-1`), else None; True and False are no numbers."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign, node = (-1 if isinstance(node.op, ast.USub) else 1), node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value
    return None


def module_numbers(tree: ast.Module) -> dict[str, float]:
    """Module-level names assigned a numeric literal once and never rebound: `ATOL = 1e-6`."""
    stores = collections.Counter(
        node.id for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    )
    numbers = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target = statement.target
        else:
            continue
        value = number(statement.value)
        if isinstance(target, ast.Name) and value is not None and stores[target.id] == 1:
            numbers[target.id] = value
    return numbers


def error_like(expression: ast.AST) -> bool:
    for node in ast.walk(expression):
        if isinstance(node, ast.Call) and called_name(node) in ERROR_CALLS:
            return True
        words = ""
        if isinstance(node, ast.Name):
            words = node.id
        elif isinstance(node, ast.Attribute):
            words = node.attr
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            words = str(node.slice.value)
        if any(word in words.lower() for word in ERROR_WORDS):
            return True
    return False


def loose_tolerances(source: str, name: str, first_line: int = 1) -> list[str]:
    """Tolerances above TOLERANCE_CAP, or that a reader cannot read as a number, in
    closeness checks (atol=, rtol=, abs_tol=, rel_tol=) and in `assert error < c`."""
    tree, problems = parse(source, name, first_line)
    if tree is None:
        return problems
    numbers = module_numbers(tree)

    def value(node):
        return numbers.get(node.id) if isinstance(node, ast.Name) else number(node)

    def place(node):
        return f"{name}:{first_line - 1 + node.lineno}"

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node) in CLOSENESS_FUNCTIONS:
            if any(keyword.arg is None for keyword in node.keywords):
                problems.append(
                    f"{place(node)}: {called_name(node)}(**...) hides its tolerance: write it "
                    f"as a number ≤ {TOLERANCE_CAP:g} where it is used"
                )
            given = [(k.arg, k.value) for k in node.keywords if k.arg in TOLERANCE_KEYWORDS]
            given += [
                (POSITIONAL_TOLERANCES[index], argument)
                for index, argument in enumerate(node.args) if index in POSITIONAL_TOLERANCES
            ]
            for keyword, tolerance in given:
                written = f"{keyword}={ast.unparse(tolerance)}"
                if value(tolerance) is None:
                    problems.append(
                        f"{place(tolerance)}: {written} is not a number a test can read: write "
                        f"a literal (or a module constant) ≤ {TOLERANCE_CAP:g}"
                    )
                elif value(tolerance) > TOLERANCE_CAP:
                    problems.append(
                        f"{place(tolerance)}: {written} is looser than the cap {TOLERANCE_CAP:g} "
                        "(float32 over a short recurrence agrees to ~1e-6)"
                    )
        if isinstance(node, ast.Assert):
            for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
                operands = [compare.left, *compare.comparators]
                for left, operator, right in zip(operands, compare.ops, operands[1:]):
                    if isinstance(operator, (ast.Lt, ast.LtE)):
                        measured, bound = left, right
                    elif isinstance(operator, (ast.Gt, ast.GtE)):
                        measured, bound = right, left
                    else:
                        continue
                    if (value(bound) or 0) > TOLERANCE_CAP and error_like(measured):
                        problems.append(
                            f"{place(bound)}: `{ast.unparse(compare)}` allows an error of "
                            f"{ast.unparse(bound)}, looser than the cap {TOLERANCE_CAP:g}"
                        )
    return problems


def doctest_examples(block: CodeBlock) -> list[tuple[doctest.Example, int]]:
    """The `>>>` examples of a pycon block, each with the page line of its first line."""
    parsed = doctest.DocTestParser().parse(block.source)
    return [
        (example, block.line + 1 + example.lineno)
        for example in parsed if isinstance(example, doctest.Example)
    ]


def loose_doctest_tolerances(block: CodeBlock, page_name: str) -> list[str]:
    problems = []
    for example, line in doctest_examples(block):
        found = loose_tolerances(example.source, page_name, line)
        problems += [problem for problem in found if ": does not parse:" not in problem]
    return problems


# --- Rule 3: `...` in a doctest's output elides a traceback's body, nothing else -------

HOLLOWING_DIRECTIVES = {
    doctest.SKIP: "+SKIP",
    doctest.IGNORE_EXCEPTION_DETAIL: "+IGNORE_EXCEPTION_DETAIL",
}


def elided_output(block: CodeBlock, page_name: str) -> list[str]:
    """`...` in expected output outside a traceback's body, and directives that let an
    example pass without showing what it claims."""
    problems = []
    for example, line in doctest_examples(block):
        traceback = example.exc_msg is not None
        if example.options.get(doctest.ELLIPSIS) and not traceback:
            problems.append(
                f"{page_name}:{line}: +ELLIPSIS on an example that raises nothing: show the "
                "whole output, which is the claim"
            )
        for flag, directive in HOLLOWING_DIRECTIVES.items():
            if example.options.get(flag):
                problems.append(f"{page_name}:{line}: {directive} lets this example claim nothing")
        output = example.want.splitlines()
        # Only the lines between "Traceback (most recent call last):" and the exception
        # itself may be elided: doctest ignores them anyway.
        body = range(1, len(output) - len(example.exc_msg.splitlines())) if traceback else ()
        first_output_line = line + example.source.count("\n")
        for index, text in enumerate(output):
            if "..." in text and index not in body:
                problems.append(
                    f"{page_name}:{first_output_line + index}: `...` in expected output: show "
                    "the output a reader will see; `...` may only stand for a traceback's body"
                )
    return problems


# --- Rule 4: no Python that no test runs ----------------------------------------------

@functools.cache
def python_like_languages() -> frozenset[str]:
    """Every fence language Pygments highlights as Python code, console or traceback."""
    from pygments.lexers import get_all_lexers

    return frozenset(
        alias
        for lexer_name, aliases, *_ in get_all_lexers()
        if re.match(r"(?:I?Python|NumPy|Cython)(?: |$)", lexer_name)
        for alias in aliases
    ) | {"python", "pycon"}


def is_run_by_a_test(block: CodeBlock, notation: list[bool], include_lines: set[int]) -> bool:
    """A ```pycon block Sybil collects, or a ```python block of --8<-- includes only.

    `notation[n - 1]` says whether page line n is pymdownx.snippets notation, and
    `include_lines` holds the lines that include a file."""
    lines = [line for line in block.source.splitlines() if line.strip()]
    if block.info_as_written == DOCTEST_LANGUAGE:
        return bool(lines) and lines[0].lstrip().startswith(">>>")
    if not is_an_include_fence(block):
        return False
    content = [
        block.line + 1 + n for n, line in enumerate(block.source.splitlines()) if line.strip()
    ]
    return all(notation[n - 1] for n in content) and bool(include_lines & set(content))


def is_an_include_fence(block: CodeBlock) -> bool:
    """```python, with or without a title: the one fence a page includes code in."""
    return block.info.split()[:1] == ["python"]


def unrun_fenced_blocks(text: str, page_name: str) -> list[str]:
    """Fenced blocks in a Python language that no test runs, and blocks that name no
    language (they could hold anything, Python included)."""
    notation = snippet_notation().get_syntax_mask(text.split("\n"))
    include_lines = {include.line for include in page_includes(text)}
    problems = []
    for block in fenced_blocks(text):
        if not block.language:
            problems.append(
                f"{page_name}:{block.line}: a code block that names no language: say what it "
                "holds (```text, ```sh); Python is a ```python include or a ```pycon doctest"
            )
        elif block.language in python_like_languages() and not is_run_by_a_test(
            block, notation, include_lines
        ):
            problems.append(
                f"{page_name}:{block.line}: ```{block.info} block that no test runs: Python on "
                f"a page is a ```python block of --8<-- includes or a ```{DOCTEST_LANGUAGE} doctest"
            )
    return problems


class AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!relative` and `!ENV` values as plain data."""


AnyTagLoader.add_multi_constructor(
    "!",
    lambda loader, _tag, node: (
        loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node)
    ),
)


class CodeElementRecorder(Treeprocessor):
    """Records every <pre> Python-Markdown built. It runs before pymdownx.highlight (30);
    by then fenced blocks are stashed HTML, so each <pre> is an indented code block."""

    def __init__(self, md, found: list[str]):
        super().__init__(md)
        self.found = found

    def run(self, root):
        for pre in root.iter("pre"):
            self.found.append(html.unescape("".join(pre.itertext())))


class IndentedCodeExtension(markdown.Extension):
    def __init__(self, found: list[str]):
        super().__init__()
        self.found = found

    def extendMarkdown(self, md):
        md.treeprocessors.register(CodeElementRecorder(md, self.found), "record_indented_code", 31)


@functools.cache
def page_renderer(config: Path = ROOT / "mkdocs.yml") -> tuple[markdown.Markdown, list[str]]:
    """Python-Markdown with mkdocs.yml's extensions, after MkDocs' built-in ones, and the
    list the indented code blocks of the last page it converted go into. pymdownx.snippets
    is left out: includes stay as written (other rules check them), and no hook runs."""
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=AnyTagLoader)
    extensions, extension_configs = ["toc", "tables", "fenced_code"], {}
    for entry in settings.get("markdown_extensions", []):
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "pymdownx.snippets":
            continue
        if name not in extensions:
            extensions.append(name)
        extension_configs[name] = options or {}
    found: list[str] = []
    converter = markdown.Markdown(
        extensions=[*extensions, IndentedCodeExtension(found)], extension_configs=extension_configs
    )
    return converter, found


def indented_code_blocks(text: str, page_name: str) -> list[str]:
    """Code blocks made by indenting, as the site's Markdown engine reads the page: wherever
    they are (after a paragraph, in a list item, a quote), no test runs them."""
    converter, found = page_renderer()
    found.clear()
    converter.reset().convert(text)
    fenced = {n for block in fenced_blocks(text) for n in range(block.line, block.end + 1)}
    lines = [re.sub(r"^[\s>]*", "", line).rstrip().expandtabs() for line in text.split("\n")]
    problems, after = [], 0
    for code in found:
        first = next((line.strip() for line in code.expandtabs().splitlines() if line.strip()), "")
        # The first line holding the block's first line of code, after the previous block's,
        # preferably not inside a fence (a fence indented as code is code, not a fence).
        candidates = [n for n in range(1, len(lines) + 1) if lines[n - 1] == first]
        ranked = sorted(candidates, key=lambda n: (n <= after, n in fenced, n))
        line = after = ranked[0] if ranked else 1
        problems.append(
            f"{page_name}:{line}: an indented code block, which no test runs: fence it with "
            "its language (```text), or make it a ```python include or a ```pycon doctest"
        )
    return problems


# --- Rule 5: includes are named sections of snippet files, inside ```python blocks ---

# The converter package's source (src/weightatlas): a page may show a section of it too.
PACKAGE_SOURCE = "src/weightatlas"


def include_roots(root: Path) -> tuple[Path, Path]:
    """The folders a page may include code from: snippets/ and the package's source."""
    return (root / "snippets").resolve(), (root / PACKAGE_SOURCE).resolve()


def is_package_source(path: Path, root: Path) -> bool:
    """Whether `path` is a module of the package (checked by its own tests, not by asserts)."""
    return path.resolve().is_relative_to((root / PACKAGE_SOURCE).resolve())


def include_problems(text: str, page_name: str, root: Path = ROOT) -> list[str]:
    python_blocks = [
        (block.line, block.end) for block in fenced_blocks(text) if is_an_include_fence(block)
    ]
    problems = []
    for include in page_includes(text):
        at = f"{page_name}:{include.line}: includes {include.spec!r}"
        if not any(start < include.line < end for start, end in python_blocks):
            problems.append(f"{at} outside a ```python block: an include is code a reader sees")
        path = (root / include.path).resolve()
        if not include.path or not any(path.is_relative_to(folder) for folder in include_roots(root)):
            problems.append(f"{at}, which is not under snippets/ or {PACKAGE_SOURCE}/")
        elif path.suffix != ".py":
            problems.append(f"{at}, which is not a .py file: snippets are code the tests run")
        elif not path.is_file():
            problems.append(f"{at}, which does not exist")
        elif include.lines:
            problems.append(
                f"{at} by line numbers, which drift: include a named section (file.py:name)"
            )
        elif include.section is None:
            problems.append(f"{at}, a whole file: include a named section (file.py:name)")
        elif include.section not in sections(path.read_text(encoding="utf-8")):
            problems.append(
                f"{at}, but {include.path} has no section {include.section!r} "
                f"(`# --8<-- [start:{include.section}]` ... `# --8<-- [end:{include.section}]`)"
            )
    return problems


# --- Rule 6: nobody types a library version --------------------------------------------

LIBRARIES = (
    "tensorflow", "tf_keras", "tf", "keras", "pytorch", "torch", "numpy", "np",
    "matplotlib", "mkdocs", "material",
)
TYPED_VERSION = re.compile(
    r"(?<![\w.])(?:" + "|".join(LIBRARIES) + r")(?!\w)"  # a library, named as a word,
    r"\s*(?:[=<>!~]=?=?|-)?\s*v?\d+(?:\.\d+)+"  # then a version with a dot: "Keras 3" is an era
    r"|version[^\n]*?[\"']v?\d+\.\d+"  # keras.__version__ == "3.15", version("keras") >= "3.0"
    r"|[\"']v?\d+\.\d+[^\"'\n]*[\"'][^\n]*?version"  # "3.15" == keras.__version__
    r"|(?<![\w.])v?\d+\.\d+\.\d+(?:[a-z]+\d*)?(?!\.?\d)(?!\w)",  # any bare 2.21.0
    re.IGNORECASE,
)


def typed_versions(text: str, name: str) -> list[str]:
    """Library versions typed into a page or into code; the build stamps the real ones."""
    by_line: dict[int, list[str]] = {}
    for match in TYPED_VERSION.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        by_line.setdefault(line, []).append(" ".join(match[0].split()))
    return [
        f"{name}:{line}: types a library version ({', '.join(map(repr, typed))}): the "
        "\"Verified with\" stamp shows the installed ones"
        for line, typed in by_line.items()
    ]


# --- Shown code fits a phone-friendly width ------------------------------------------------

# Lines longer than this scroll sideways even on a desktop; Black's default is the same.
LONGEST_SHOWN_LINE = 88


def long_shown_lines(text: str, page_name: str, root: Path = ROOT) -> list[str]:
    """Lines longer than LONGEST_SHOWN_LINE that a page shows: in the snippet sections it
    includes (named at the snippet's line) and in its own code blocks."""
    problems = []
    for include in page_includes(text):
        path = root / include.path
        if include.section is None or not path.is_file():
            continue  # include_problems() names these
        source = path.read_text(encoding="utf-8")
        start, end = sections(source).get(include.section, (0, 0))
        for number, line in enumerate(source.split("\n")[start:end - 1], start + 1):
            if len(line) > LONGEST_SHOWN_LINE:
                problems.append(f"{include.path}:{number}: {len(line)} characters, shown by {page_name}")
    for block in fenced_blocks(text):
        shown = textwrap.dedent(block.source)  # a block inside a tab or admonition is indented
        for offset, line in enumerate(shown.split("\n"), 1):
            if len(line) > LONGEST_SHOWN_LINE and "--8<--" not in line:
                problems.append(f"{page_name}:{block.line + offset}: {len(line)} characters")
    return problems


# --- Claims cannot be weakened (issue 19, item 4) -----------------------------------------
# Registered rules (engine/problems.py): each names the file and line and says what to do.

# --- A doctest that shows only True or False ----------------------------------------------

# Wrappers that turn a comparison into the bool a doctest prints: bool(x), all(x), np.all(x),
# torch.all(x), x.all(), x.item().
BOOL_WRAPPERS = {"bool", "all", "item"}


def tolerance_comparison(node: ast.AST) -> bool:
    """Whether `node` is a closeness test at or under TOLERANCE_CAP: an allclose/isclose call
    whose tolerances (given, or the library's defaults) are numbers ≤ the cap, or
    `error < bound` with an error-like left side and 0 ≤ bound ≤ the cap, possibly wrapped
    in bool(), all(), .all() or .item(), or several of these joined by `and`."""
    while isinstance(node, ast.Call) and called_name(node) in BOOL_WRAPPERS:
        if node.args:
            node = node.args[0]
        elif isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return False
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return all(tolerance_comparison(value) for value in node.values)
    if isinstance(node, ast.Call) and called_name(node) in {"allclose", "isclose"}:
        if any(keyword.arg is None for keyword in node.keywords):
            return False
        given = [k.value for k in node.keywords if k.arg in TOLERANCE_KEYWORDS]
        given += [argument for index, argument in enumerate(node.args)
                  if index in POSITIONAL_TOLERANCES]
        return all(number(t) is not None and 0 <= number(t) <= TOLERANCE_CAP for t in given)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        operator = node.ops[0]
        if isinstance(operator, (ast.Lt, ast.LtE)):
            measured, bound = node.left, node.comparators[0]
        elif isinstance(operator, (ast.Gt, ast.GtE)):
            measured, bound = node.comparators[0], node.left
        else:
            return False
        value = number(bound)
        return value is not None and 0 <= value <= TOLERANCE_CAP and error_like(measured)
    return False


def shown_bools(example: doctest.Example) -> list[tuple[ast.AST | None, str]]:
    """(expression, shown) for each True or False the example's output shows: the whole
    output, or an item of a tuple the example's expression builds (`a.shape, ok` shows
    `((64, 6), True)`). The expression is None when it is not one Python expression."""
    want = example.want.strip()
    try:
        statements = ast.parse(example.source).body
    except SyntaxError:
        statements = []
    expression = statements[0].value if (
        len(statements) == 1 and isinstance(statements[0], ast.Expr)) else None
    if isinstance(expression, ast.Call) and called_name(expression) == "print" \
            and len(expression.args) == 1 and not expression.keywords:
        expression = expression.args[0]  # print(x > 0) shows what x > 0 does
    if want in ("True", "False"):
        return [(expression, want)]
    try:
        value = ast.literal_eval(want)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return []
    if isinstance(expression, ast.Tuple) and isinstance(value, tuple) \
            and len(value) == len(expression.elts):
        return [(item, repr(shown)) for item, shown in zip(expression.elts, value)
                if isinstance(shown, bool)]
    return []


BARE_BOOL_GOOD = """\
```pycon
>>> import numpy as np
>>> a = np.ones(3)
>>> np.allclose(a, a + 1e-7, atol=1e-6)
True
>>> float(np.abs(a - a).max()) < 1e-6
True
>>> len(a)
3
```
"""

BARE_BOOL_BAD = """\
```pycon
>>> import keras
>>> layer = keras.layers.Dense(4)
>>> layer.build((None, 3))
>>> layer.count_params() > 0
True
```
"""


@rule("bare-bool-doctest", good=BARE_BOOL_GOOD, bad=BARE_BOOL_BAD, kind="page")
def bare_bool_doctests(text: str, path: str):
    """A doctest that shows a bare `True`/`False` is a tolerance check ≤ 1e-5, else it shows the value."""
    for block in fenced_blocks(text):
        if block.info_as_written != DOCTEST_LANGUAGE:
            continue
        for example, line in doctest_examples(block):
            if example.exc_msg is not None:
                continue
            for expression, shown in shown_bools(example):
                if expression is not None and tolerance_comparison(expression):
                    continue
                source = " ".join(example.source.split())
                part = "" if expression is None or ast.unparse(expression) == source else (
                    f" for `{ast.unparse(expression)}`")
                yield Problem(
                    path, line, "bare-bool-doctest",
                    f"`>>> {source}` shows only {shown}{part}, which holds for many "
                    "wrong values: show the value itself (`>>> layer.count_params()` prints "
                    f"`60480`), or compare floats with a tolerance ≤ {TOLERANCE_CAP:g} "
                    "(`np.allclose(a, b, atol=1e-6)` or `float(np.abs(a - b).max()) < 1e-6`)",
                )


# --- A shape comparison covers no shown section -------------------------------------------

# a.shape, a.ndim, a.size (NumPy's element count)
SIZE_ATTRIBUTES = {"shape", "ndim", "size"}
# len(a), np.shape(a), np.ndim(a), np.size(a), a.size(), a.size(0), a.numel(), a.dim()
SIZE_CALLS = {"len", "shape", "ndim", "size", "numel", "nelement", "dim"}
# tuple(a.shape), list(a.shape), torch.Size(a.shape): the same size, as another type
SIZE_CONVERSIONS = {"tuple", "list", "Size"}


def size_of_computed(node: ast.AST, sizes: set[str] = frozenset()) -> bool:
    """Whether `node` reads only the size of a computed value: `a.shape`, `a.shape[0]`,
    `tuple(a.shape)`, `len(a)`, `np.shape(a)`, `a.size()`, `a.numel()`, or a name that holds
    one (`sizes`). A shape written out, `(5, 4 * units)`, is no such read: it is the claim."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Name):
        return node.id in sizes
    if isinstance(node, ast.Attribute):
        return node.attr in SIZE_ATTRIBUTES
    if isinstance(node, ast.Call):
        if called_name(node) in SIZE_CONVERSIONS and len(node.args) == 1:
            return size_of_computed(node.args[0], sizes)
        if node.args and counts_distinct_values(node.args[0]):
            return False  # len(set(x)) == len(x): the values are distinct, a claim on them
        return called_name(node) in SIZE_CALLS
    return False


def counts_distinct_values(node: ast.AST) -> bool:
    """`set(x)`, `{...}`, `{k: v for ...}`, `np.unique(x)`: their length depends on the values."""
    if isinstance(node, (ast.Set, ast.SetComp, ast.DictComp)):
        return True
    return isinstance(node, ast.Call) and called_name(node) in {"set", "frozenset", "unique"}


def size_names(tree: ast.AST) -> set[str]:
    """Names every assignment binds to a size read: `expected = b.shape`,
    `batch, features = x.shape`."""
    bound: dict[str, list[bool]] = collections.defaultdict(list)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound[target.id].append(size_of_computed(node.value))
                elif isinstance(target, (ast.Tuple, ast.List)):
                    for element in target.elts:
                        if isinstance(element, ast.Name):
                            bound[element.id].append(size_of_computed(node.value))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound[node.id]  # a for, with or walrus target: no size read
    stores = collections.Counter(
        node.id for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    )
    return {name for name, reads in bound.items() if reads and all(reads)
            and len(reads) == stores[name]}


# The arguments an assert_* call compares: its first two, by position or by name.
COMPARED_KEYWORDS = ("actual", "desired", "x", "y", "a", "b", "first", "second", "expected")


def shape_only(check: ast.Assert | ast.Call, sizes: set[str] = frozenset()) -> bool:
    """Whether a check compares only the sizes of computed values with each other:
    `assert a.shape == b.shape`, `assert len(x) == len(y)`, `assert np.shape(a) == np.shape(b)`,
    `np.testing.assert_equal(a.shape, b.shape)`, or several such joined by `and`. It passes
    whatever the values hold, so it checks no value a section computes. A comparison with a
    shape written out, `assert kernel.shape == (5, 4 * units)`, or with any other value
    (`assert len(x) == 3`), is a claim about a shape, not this; so is a count of distinct
    values, `assert len(set(x)) == len(x)`."""
    if isinstance(check, ast.Assert):
        return compares_sizes_only(check.test, sizes)
    compared = list(check.args[:2]) + [
        keyword.value for keyword in check.keywords if keyword.arg in COMPARED_KEYWORDS
    ]
    return len(compared) >= 2 and all(size_of_computed(part, sizes) for part in compared[:2])


def compares_sizes_only(test: ast.AST, sizes: set[str]) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return all(compares_sizes_only(value, sizes) for value in test.values)
    return isinstance(test, ast.Compare) and all(
        size_of_computed(operand, sizes) for operand in (test.left, *test.comparators)
    )


SHAPE_ONLY_GOOD = """\
import numpy as np

# --8<-- [start:backward]
backward = np.cumsum(np.ones(4)[::-1])[::-1]
# --8<-- [end:backward]
expected = np.array([4.0, 3.0, 2.0, 1.0])
assert backward.shape == (4,)
np.testing.assert_allclose(backward, expected, atol=1e-6)
"""

SHAPE_ONLY_BAD = """\
import numpy as np

# --8<-- [start:backward]
backward = np.cumsum(np.ones(4)[::-1])[::-1]
# --8<-- [end:backward]
expected = np.array([4.0, 3.0, 2.0, 1.0])
assert backward.shape == expected.shape
"""


@rule("shape-only-check", good=SHAPE_ONLY_GOOD, bad=SHAPE_ONLY_BAD, kind="python")
def shape_only_checks(text: str, path: str):
    """A shown section is checked by its values, not only by comparing shapes or lengths."""
    tree, _problems = parse(text, path)
    if tree is None:
        return
    sizes = size_names(tree)
    every_check = checks(tree)
    value_checks = [check for check in every_check if not shape_only(check, sizes)]
    for section, (start, end) in sections(text).items():
        if section_check(tree, start, end, value_checks) is not None:
            continue
        check = section_check(tree, start, end, every_check)
        if check is None:
            continue  # hollow with or without it: hollow_sections() names it
        yield Problem(
            path, check.lineno, "shape-only-check",
            f"section {section!r} (line {start}) is checked only by "
            f"`{' '.join(ast.unparse(check).split())}`, which compares sizes and passes "
            "whatever the values are: compare the values (np.testing.assert_allclose(a, b, "
            "atol=1e-6)), or the shape with the one the page states (assert a.shape == (5, 480))",
        )


def section_check(tree: ast.Module, start: int, end: int, candidates) -> ast.AST | None:
    """The check among `candidates` that covers the section on lines start..end: one
    inside it, or the first after it that reads what it defines (see hollow_sections)."""
    inside = sorted((check for check in candidates if start < check.lineno < end),
                    key=lambda check: check.lineno)
    if inside:
        return inside[0]
    bindings = Bindings()
    for statement in module_scope_statements(tree.body):
        if start < statement.lineno < end:
            bindings.visit(statement)
    return first_check_later(tree, bindings.names, end, candidates)



# --- Every value a facts script returns is checked ----------------------------------------
#
# A facts script's values reach a page as prose, so a value it computes wrongly (a ratio
# inverted, an error measured between the wrong arrays) says the opposite of the data, and
# nothing fails unless the script asserts what the page states. unchecked-fact reads the
# script statically (it is never imported): module level and make_facts() as one namespace,
# each statement binding names from the names it reads. A name is
#   - checked when an assert or assert_* call (not one that compares sizes only, see
#     shape_only()) reads it, or a name computed from it, anywhere in the script;
#   - given when every value bound to it is a snippet's (`gru_gate_order.proven_order`: the
#     snippet asserts it) or a constant's (literals, library symbols, functions), reached
#     through attributes, items, conversions (float, len, sorted...) and methods, what a
#     checking function returns (a def of the script or of a facts/ module that holds an
#     assert, an assert_* call or `raise AssertionError`, or calls one that does), or these
#     and checked names put together without computing: formatting helpers (f-strings,
#     facts/_tables.py, the script's own defs that neither check, nor read data, nor return
#     arithmetic), text and lists joined, comprehensions without a filter.
# Arithmetic, comparisons, filters, library calls (np.mean, statistics.mean) and helpers that
# return arithmetic compute: a name bound to one must be checked. For each value
# make_facts() returns, unchecked-fact then reports
#   - each name the value reads that is neither checked nor given, at the line that binds it
#     (where the assert goes);
#   - arithmetic or a comparison between two values (a snippet's, the script's, or a loop
#     variable) written inside the returned value, or a call of a helper that returns such
#     arithmetic: nothing can check a result that has no name;
#   - a call that reads a snippet or a library with literal arguments only (`keras.version()`,
#     a helper like `results_table()` that reads a snippet and checks nothing).
# A value that needs no check (a quoted source line, its link) carries
# `# atlas: allow unchecked-fact: <reason>` on the line that binds it, or the line above.

BUILTIN_NAMES = frozenset(dir(builtins))
# Calls that change a value's type or count it: a snippet's value passed through them is
# still the snippet's value, not one the facts script computed.
CONVERSIONS = {"float", "int", "str", "bool", "tuple", "list", "dict", "set", "frozenset",
               "repr", "len", "sorted"}
# Standard modules that compute from their arguments alone: calling one with literals reads
# no library.
PURE_MODULES = {"itertools", "math", "statistics", "functools", "operator", "collections",
                "string", "textwrap", "re", "io", "tokenize", "fractions", "decimal"}


def origin(module: str) -> str:
    """"snippets", "facts" or "library", for an imported module's dotted name."""
    top = module.split(".")[0]
    return top if top in ("snippets", "facts") else "library"


def loaded_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def call_arguments(call: ast.Call) -> list[ast.AST]:
    return [*call.args, *(keyword.value for keyword in call.keywords)]


def is_facts_check(node: ast.AST, sizes: set[str] = frozenset()) -> bool:
    """An assert or assert_* call that compares more than sizes, or `raise AssertionError`."""
    if is_check(node):
        return not shape_only(node, sizes)
    if isinstance(node, ast.Raise) and node.exc is not None:
        exception = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exception, ast.Name) and exception.id == "AssertionError"
    return False


def module_file(module: str, root: Path = ROOT) -> Path | None:
    """facts._tables -> ROOT/facts/_tables.py (or a package's __init__.py)."""
    base = root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@functools.cache
def facts_module(module: str) -> "ScriptReading | None":
    """A facts/ module read from its source (never imported), or None if there is none."""
    path = module_file(module)
    if path is None:
        return None
    try:
        return ScriptReading(ast.parse(path.read_text(encoding="utf-8")))
    except SyntaxError:
        return None


class ScriptReading:
    """What a static reading of a Python module knows: where each imported name comes from
    ("snippets", "facts" or "library"), its functions, which of them check (see
    is_facts_check; or call one that does) and which read data (a snippet, or a library
    called with literal arguments; or call one that does), and its constants."""

    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.sizes = size_names(tree)
        self.functions = {
            statement.name: statement for statement in tree.body
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        # name: (kind, module, attribute or None for a module)
        self.imports: dict[str, tuple[str, str, str | None]] = {}
        for statement in module_scope_statements(tree.body):
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    full = alias.name if alias.asname else alias.name.split(".")[0]
                    self.imports[alias.asname or full] = (origin(alias.name), full, None)
            elif isinstance(statement, ast.ImportFrom) and statement.module:
                kind = origin(statement.module) if statement.level == 0 else "library"
                for alias in statement.names:
                    local = alias.asname or alias.name
                    if kind == "facts" and statement.module == "facts":
                        self.imports[local] = (kind, f"facts.{alias.name}", None)
                    else:
                        self.imports[local] = (kind, statement.module, alias.name)
            elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call) \
                    and called_name(statement.value) == "import_module":
                for target in statement.targets:  # tf_rnn = importlib.import_module("...")
                    if isinstance(target, ast.Name):
                        self.imports[target.id] = ("library", "importlib", None)
        self.constants = self._constants()
        self.checking = self._closure(
            lambda function: any(is_facts_check(node, self.sizes) for node in ast.walk(function)),
            "checking")
        self.reading = self._closure(self._reads_itself, "reading")
        self.computing = self._closure(self._computes_itself, "computing") - self.checking

    # Functions -------------------------------------------------------------------------

    def facts_function(self, callee: ast.AST) -> tuple[str, str] | None:
        """(module, name) of the facts/ function `callee` names: `code` imported from
        facts._tables, or `_formulas.to_latex` after `from facts import _formulas`."""
        if isinstance(callee, ast.Name) and callee.id in self.imports:
            kind, module, attribute = self.imports[callee.id]
            if kind == "facts" and attribute is not None:
                return module, attribute
        if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) \
                and callee.value.id in self.imports:
            kind, module, attribute = self.imports[callee.value.id]
            if kind == "facts" and attribute is None:
                return module, callee.attr
        return None

    def function_is(self, callee: ast.AST, which: str) -> bool:
        """Whether `callee` names a function of this module, or of a facts/ module, that is
        in that module's `which` set ("checking" or "reading")."""
        if isinstance(callee, ast.Name) and callee.id in self.functions:
            return callee.id in getattr(self, which, set())
        found = self.facts_function(callee)
        other = facts_module(found[0]) if found else None
        return other is not None and found[1] in getattr(other, which)

    def _closure(self, itself, which: str) -> set[str]:
        """The functions for which `itself(function)` holds, or that call one of them."""
        found: set[str] = set()
        setattr(self, which, found)  # calls to functions already found count
        while True:
            more = {
                name for name, function in self.functions.items() if name not in found and (
                    itself(function) or any(
                        isinstance(node, ast.Call) and self.function_is(node.func, which)
                        for node in ast.walk(function)))
            }
            if not more:
                return found
            found |= more

    def _computes_itself(self, function) -> bool:
        """Returns arithmetic or a comparison between two of its own values (parameters or
        locals): `return a / b`. Such a helper computes, it does not format."""
        own = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
        own |= {n.id for n in ast.walk(function)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for returned in ast.walk(function):
            if isinstance(returned, ast.Return) and returned.value is not None:
                for node in ast.walk(returned.value):
                    if sum(bool(loaded_names(operand) & own) for operand in operands(node)) >= 2:
                        return True
        return False

    def _reads_itself(self, function) -> bool:
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and self.imports.get(node.id, ("",))[0] == "snippets":
                return True
            if isinstance(node, ast.Call) and self.reads_library(node, function):
                return True
        return False

    # Libraries and constants -------------------------------------------------------------

    def library_root(self, node: ast.AST) -> str | None:
        """The library module an expression starts from: `np` in `np.linalg.solve(...)`,
        `engine.results` for a `load` imported from it."""
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name) and self.imports.get(node.id, ("",))[0] == "library":
            return self.imports[node.id][1]
        return None

    def reads_library(self, call: ast.Call, scope: ast.AST | None = None) -> bool:
        """A call into a library (not a pure standard module) with literal arguments only:
        `keras.version()`, `inspect.getsourcelines(keras_gru_source)`. Inside a function
        (`scope`), an argument that reads the function's parameters is not literal."""
        root = self.library_root(call.func)
        if root is None or root.split(".")[0] in PURE_MODULES:
            return False
        parameters = set()
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            parameters = {n.arg for n in ast.walk(scope.args) if isinstance(n, ast.arg)}
            parameters |= {n.id for n in ast.walk(scope) if isinstance(n, ast.Name)
                           and isinstance(n.ctx, ast.Store)}  # its locals: data too
        return all(self.static(argument) and not loaded_names(argument) & parameters
                   for argument in call_arguments(call))

    def static(self, node: ast.AST, constants: set[str] | None = None) -> bool:
        """An expression that reads no data: literals, builtins, imported library and
        facts names, functions, `constants` (default: the module's), and its own lambda
        and comprehension variables; no call reads a library with literals."""
        constants = self.constants if constants is None else constants
        own = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
               and isinstance(n.ctx, ast.Store)}
        own |= {a.arg for n in ast.walk(node) if isinstance(n, ast.Lambda)
                for a in ast.walk(n.args) if isinstance(a, ast.arg)}
        for name in loaded_names(node) - own:
            kind = self.imports.get(name, ("",))[0]
            if not (name in BUILTIN_NAMES or name in constants or name in self.functions
                    or kind in ("library", "facts")):
                return False
        return not any(isinstance(n, ast.Call) and self.reads_library(n) for n in ast.walk(node))

    def _constants(self) -> set[str]:
        """Module-level names every binding of which is static: `LEARNED = 0.6`,
        `MNIST_PIXELS = 28 * 28`, `ROWS = [(..., keras_count(keras.layers.LSTM))]`."""
        values: dict[str, list] = collections.defaultdict(list)
        for statement in module_scope_statements(self.tree.body):
            for name, value, _reads in bindings_of(statement):
                values[name].append(value)
        constants: set[str] = set()
        self.constants = constants
        while True:
            more = {name for name, bound in values.items()
                    if name not in constants and name not in self.imports
                    and name not in self.functions
                    and all(value is not None and self.static(value, constants) for value in bound)}
            if not more:
                return constants
            constants |= more


def bindings_of(statement: ast.stmt) -> list[tuple[str, ast.AST | None, set[str]]]:
    """(name, the value it gets or None, the names that value reads) for each name a
    statement binds or changes, without looking inside a compound statement's body:
    `a, b = x, f(y)` binds a to x and b to f(y); `for k in items` binds k to items;
    `rows.append(row)` and `table[k] = v` change rows and table; a def binds its name to
    itself, reading the names its body reads."""
    found = []

    def pair(target, value):
        if isinstance(target, ast.Name):
            found.append((target.id, value, loaded_names(value) if value is not None else set()))
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts) \
                    and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts)):
                for element, part in zip(target.elts, value.elts):
                    pair(element, part)
            else:
                for element in target.elts:
                    pair(element, value)
        elif isinstance(target, ast.Starred):
            pair(target.value, value)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            root = target
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name):
                reads = loaded_names(value) | (loaded_names(target) - {root.id})
                found.append((root.id, value, reads))

    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            pair(target, statement.value)
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        pair(statement.target, statement.value)
    elif isinstance(statement, ast.AugAssign):
        bound = Bindings()
        bound.visit(statement.target)
        for name in bound.names:
            found.append((name, statement, loaded_names(statement)))
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        pair(statement.target, statement.iter)
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        for item in statement.items:
            if item.optional_vars is not None:
                pair(item.optional_vars, item.context_expr)
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call) \
            and isinstance(statement.value.func, ast.Attribute):
        root = statement.value.func.value
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if isinstance(root, ast.Name):  # rows.append(row), facts.update(...)
            found.append((root.id, statement.value, loaded_names(statement.value) - {root.id}))
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        found.append((statement.name, statement, loaded_names(statement)))
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        bound = Bindings()
        bound.visit(statement)
        found.extend((name, None, set()) for name in bound.names)
    return found


class FactsFlow:
    """The data flow of a facts script: module level and make_facts() as one namespace,
    statement by statement (a def in make_facts is a value computed from what it reads)."""

    def __init__(self, reading: ScriptReading, make_facts: ast.FunctionDef):
        self.reading = reading
        self.make_facts = make_facts
        module = [s for s in module_scope_statements(reading.tree.body)
                  if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        inside = list(module_scope_statements(make_facts.body))
        self.bindings: dict[str, list[tuple[ast.stmt, ast.AST | None]]] = collections.defaultdict(list)
        self.readers: dict[str, set[str]] = collections.defaultdict(set)  # name: names computed from it
        for statement in module + inside:
            for name, value, reads in bindings_of(statement):
                self.bindings[name].append((statement, value))
                for read in reads - {name}:
                    self.readers[read].add(name)
        local = {name for statement in inside for name, _value, _reads in bindings_of(statement)}
        self.constants = reading.constants - local
        checks = [node for statement in module for node in ast.walk(statement)]
        checks += list(ast.walk(make_facts))
        self.checked = set().union(*(
            names_a_check_reads(node) for node in checks
            if is_check(node) and not shape_only(node, reading.sizes)))
        self.given = self._given()

    def reaches_a_check(self, name: str) -> bool:
        """Whether a check reads `name`, or a name computed from it."""
        seen, todo = {name}, [name]
        while todo:
            current = todo.pop()
            if current in self.checked:
                return True
            for reader in self.readers[current] - seen:
                seen.add(reader)
                todo.append(reader)
        return False

    def _given(self) -> set[str]:
        """Names every value bound to which is given (see given_value): the largest such
        set, so `rows = []` then `rows.append(given)` makes rows given."""
        given = set(self.bindings)
        while True:
            dropped = {name for name in given
                       if not all(self.given_value(value, given) for _s, value in self.bindings[name])}
            if not dropped:
                return given
            given -= dropped

    def given_value(self, node: ast.AST | None, given: set[str], local=frozenset()) -> bool:
        """Whether `node` computes nothing the script must check: a snippet's value, a
        constant or a checked name, reached by attributes, items, conversions and methods;
        what a checking function returns; or these put together by formatting (helpers that
        neither read data nor return arithmetic, f-strings, text and lists joined,
        comprehensions without a filter, defs of make_facts that return such values)."""
        reading = self.reading
        if node is None:
            return False
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return (node.id in given or node.id in local or node.id in self.constants
                    or node.id in BUILTIN_NAMES or node.id in reading.imports
                    or node.id in reading.functions
                    or node.id in self.bindings and self.reaches_a_check(node.id))
        if isinstance(node, (ast.Attribute, ast.Starred)):
            return self.given_value(node.value, given, local)
        if isinstance(node, ast.Subscript):
            return self.given_value(node.value, given, local) and \
                self.given_value(node.slice, given, local)
        if isinstance(node, ast.Slice):
            return all(self.given_value(part, given, local)
                       for part in (node.lower, node.upper, node.step) if part is not None)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return all(self.given_value(element, given, local) for element in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.given_value(part, given, local)
                       for part in (*node.keys, *node.values) if part is not None)
        if isinstance(node, ast.JoinedStr):
            return all(self.given_value(part, given, local) for part in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.given_value(node.value, given, local)
        if isinstance(node, ast.UnaryOp):
            return number(node) is not None
        if isinstance(node, ast.BinOp) and (joins_text(node.left) or joins_text(node.right)):
            # "a " + b or "%s" % b: text put together, no arithmetic
            return self.given_value(node.left, given, local) and \
                self.given_value(node.right, given, local)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            # each item of a given collection, formatted: no filter (an `if` selects, which
            # is a computation)
            inner = set(local)
            for generator in node.generators:
                if generator.ifs or not self.given_value(generator.iter, given, inner):
                    return False
                inner |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            parts = (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)
            return all(self.given_value(part, given, inner) for part in parts)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # a def of make_facts that returns given values: jump_share(v) formats them
            inner = set(local) | {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
            inner |= {n.id for n in ast.walk(node)
                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            returned = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)]
            return bool(returned) and all(self.given_value(value, given, inner)
                                          for value in returned)
        if isinstance(node, ast.Call):
            if reading.function_is(node.func, "checking"):
                return True
            arguments_given = all(self.given_value(argument, given, local)
                                  for argument in call_arguments(node))
            if isinstance(node.func, ast.Name) and node.func.id in CONVERSIONS:
                return arguments_given
            if (isinstance(node.func, ast.Name) and node.func.id in reading.functions
                    or reading.facts_function(node.func)) \
                    and not reading.function_is(node.func, "reading") \
                    and not reading.function_is(node.func, "computing"):
                return arguments_given  # formatting: percent(x), code(x), markdown_table(...)
            if isinstance(node.func, ast.Name) and self.data(node.func.id):
                # a def of make_facts that a check reads, called on given values
                return arguments_given and self.given_value(node.func, given, local)
            if isinstance(node.func, ast.Attribute) and reading.library_root(node.func) is None:
                # a method of a given value: .numpy(), .item(), .index("f"), .append(row)
                return arguments_given and self.given_value(node.func.value, given, local)
        return False

    def data(self, name: str) -> bool:
        """A name the script binds that is no constant, function or import."""
        return (name in self.bindings and name not in self.constants
                and name not in self.reading.imports and name not in self.reading.functions)

    def last_binding_line(self, name: str) -> int:
        return max(statement.lineno for statement, _value in self.bindings[name])


def operands(node: ast.AST) -> list[ast.AST]:
    """The operands of arithmetic or a comparison (not of text put together), else []."""
    if isinstance(node, ast.BinOp) and not joins_text(node):
        return [node.left, node.right]
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    return []


def joins_text(node: ast.AST) -> bool:
    """Text or a list written out: `+` or `%` with one puts pieces together, no arithmetic.
    A string literal, an f-string, `str(...)`, `", ".join(...)`, a list or tuple display or
    comprehension, or a `+` of one of these."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return joins_text(node.left) or joins_text(node.right)
    if isinstance(node, ast.Call):
        return called_name(node) in {"str", "repr", "join", "format", "upper", "lower",
                                     "title", "capitalize", "strip", "replace"}
    return isinstance(node, (ast.JoinedStr, ast.List, ast.Tuple, ast.ListComp)) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def returned_facts(make_facts: ast.FunctionDef, flow: FactsFlow) -> list[tuple[str, ast.AST]]:
    """(key, value expression) of each fact make_facts() returns: from `return {...}`, or
    from the dict a returned name is built as (`facts = {...}`, `facts[key] = value`,
    `facts.update({...})`). A key that is not a string literal is written as code."""
    returns = []
    todo = list(make_facts.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            returns.append(node.value)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))

    def items(dictionary: ast.Dict):
        return [(ast.literal_eval(key) if isinstance(key, ast.Constant) else
                 ast.unparse(key) if key is not None else "**", value)
                for key, value in zip(dictionary.keys, dictionary.values)]

    found = []
    for value in returns:
        if isinstance(value, ast.Dict):
            found += items(value)
        elif isinstance(value, ast.Name) and value.id in flow.bindings:
            for statement, bound in flow.bindings[value.id]:
                if isinstance(bound, ast.Dict):
                    found += items(bound)
                elif isinstance(statement, ast.Assign) and isinstance(bound, ast.AST) and any(
                        isinstance(target, ast.Subscript) for target in statement.targets):
                    target = next(t for t in statement.targets if isinstance(t, ast.Subscript))
                    key = target.slice
                    found.append((ast.literal_eval(key) if isinstance(key, ast.Constant)
                                  else ast.unparse(key), bound))
                elif isinstance(bound, ast.Call) and called_name(bound) == "update":
                    for argument in bound.args:
                        if isinstance(argument, ast.Dict):
                            found += items(argument)
                        else:
                            found.append(("**", argument))
                    found += [(keyword.arg or "**", keyword.value) for keyword in bound.keywords]
        else:
            found.append(("the returned value", value))
    return found


class UncheckedValues(ast.NodeVisitor):
    """In one returned value: the data names that are neither checked nor given, and the
    calls that read a snippet or a library with literal arguments only."""

    def __init__(self, flow: FactsFlow):
        self.flow = flow
        self.local: set[str] = set()
        self.names: set[str] = set()
        self.calls: list[ast.Call] = []
        self.computations: list[ast.AST] = []
        self.data_local: set[str] = set()  # loop variables that take data

    def reads_data(self, node: ast.AST) -> bool:
        """Whether an operand reads a snippet's value, a value the script binds or a loop
        variable of the returned expression: not only constants, libraries and functions."""
        flow = self.flow
        return any(name in self.data_local
                   or name not in self.local and (
                       flow.data(name) or flow.reading.imports.get(name, ("",))[0] == "snippets")
                   for name in loaded_names(node))

    def visit_BinOp(self, node):
        if sum(self.reads_data(operand) for operand in operands(node)) >= 2:
            self.computations.append(node)
        self.generic_visit(node)

    visit_Compare = visit_BinOp

    def visit_Name(self, node):
        flow = self.flow
        if isinstance(node.ctx, ast.Load) and node.id not in self.local and flow.data(node.id) \
                and node.id not in flow.given and not flow.reaches_a_check(node.id):
            self.names.add(node.id)

    def visit_Call(self, node):
        reading = self.flow.reading
        if reading.function_is(node.func, "checking"):
            return  # built by a function that checks
        if reading.function_is(node.func, "computing"):
            self.computations.append(node)  # ratio(m, w): a helper's arithmetic
        literal = all(reading.static(argument, self.flow.constants)
                      for argument in call_arguments(node))
        if literal and (reading.function_is(node.func, "reading") or reading.reads_library(node)):
            self.calls.append(node)
            return
        self.generic_visit(node)

    def visit_Lambda(self, node):
        saved = set(self.local)
        self.local |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        self.visit(node.body)
        self.local = saved

    def visit_comprehension_owner(self, node):
        saved, saved_data = set(self.local), set(self.data_local)
        for generator in node.generators:
            targets = {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            if self.reads_data(generator.iter):  # `for t in TAIL` takes constants
                self.data_local |= targets
            self.local |= targets
        self.generic_visit(node)
        self.local, self.data_local = saved, saved_data

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_comprehension_owner


UNCHECKED_FACT_GOOD = """\
from snippets.training import mod_gradients_tf


def make_facts():
    grad_m, grad_w = mod_gradients_tf.grad_m, mod_gradients_tf.grad_w
    ratio = grad_m / grad_w
    assert ratio > 1  # the page: m receives more gradient than w
    return {"gradient_ratio": f"{ratio:.1f}", "d_w": mod_gradients_tf.d_w}
"""

UNCHECKED_FACT_BAD = """\
from snippets.training import mod_gradients_tf


def make_facts():
    grad_m, grad_w = mod_gradients_tf.grad_m, mod_gradients_tf.grad_w
    ratio = grad_w / grad_m
    return {"gradient_ratio": f"{ratio:.1f}", "d_w": mod_gradients_tf.d_w}
"""


@rule("unchecked-fact", good=UNCHECKED_FACT_GOOD, bad=UNCHECKED_FACT_BAD, kind="python")
def unchecked_facts(text: str, path: str):
    """Every value make_facts() returns is asserted in the script, or a snippet's, or built by a checking helper."""
    if Path(path).name.startswith("_"):
        return  # facts/_*.py: helpers, whose checks count where a script calls them
    tree, problems = parse(text, path)
    if tree is None:
        return
    make_facts = next((s for s in tree.body if isinstance(s, ast.FunctionDef)
                       and s.name == "make_facts"), None)
    if make_facts is None:
        return
    flow = FactsFlow(ScriptReading(tree), make_facts)
    unchecked: dict[str, list[str]] = collections.defaultdict(list)
    for key, value in returned_facts(make_facts, flow):
        finder = UncheckedValues(flow)
        finder.visit(value)
        for name in sorted(finder.names):
            unchecked[name].append(key)
        for computation in finder.computations:
            yield Problem(
                path, computation.lineno, "unchecked-fact",
                f"fact {key!r} computes `{' '.join(ast.unparse(computation).split())}` where "
                "it is returned, so no check can read the result: bind it to a name above, "
                "assert what the page says of it, and return the name",
            )
        for call in finder.calls:
            yield Problem(
                path, call.lineno, "unchecked-fact",
                f"fact {key!r} shows `{' '.join(ast.unparse(call).split())}`, read from a "
                "snippet or a library with nothing in this script checking it: bind it to a "
                "name and assert what the page says of it, or return a snippet's value (the "
                "snippet asserts it)",
            )
    for name, keys in unchecked.items():
        shown = ", ".join(f"{{{{ {key} }}}}" for key in dict.fromkeys(keys))
        yield Problem(
            path, flow.last_binding_line(name), "unchecked-fact",
            f"`{name}`, shown as {shown}, is computed here but no assert reads it or anything "
            "computed from it: assert what the page says of it (for a ratio the page calls "
            "larger than one, `assert ratio > 1`), or take it from a snippet that asserts it",
        )
