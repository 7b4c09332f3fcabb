"""The rules that keep the site's claims from being hollowed out, as plain functions.

Each takes a text and the name to report it under, and returns its problems, one string
each: `path/relative/to/repo:LINE: what is wrong`. The tests run them over the real files
(test_pages.py, test_claims_cannot_be_hollowed.py) and over small broken examples.
"""
import ast
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


def sections(source: str) -> dict[str, tuple[int, int]]:
    """{name: (line of `# --8<-- [start:name]`, line of `# --8<-- [end:name]`)}, read
    with pymdownx.snippets' own pattern; a section it could not extract is left out."""
    pattern = snippet_notation().RE_SNIPPET_SECTION
    starts, found, broken = {}, {}, set()
    for number, line in enumerate(source.split("\n"), 1):
        match = pattern.match(line) if "8<-" in line else None
        if match is None or match["escape"]:
            continue
        section, kind = match["name"], match["type"].lower()
        if kind == "start":
            starts.setdefault(section, number)
        elif section not in starts:
            broken.add(section)  # the engine stops at an end before any start
        else:
            found.setdefault(section, (starts[section], number))
    return {section: lines for section, lines in found.items() if section not in broken}


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
    no check after it reads (directly) any name it defines."""
    tree, _problems = parse(source, name)
    if tree is None:
        return {}
    every_check = checks(tree)
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
        inside = [c for c in every_check if statement.lineno <= c.lineno <= statement.end_lineno]
        if any(names_a_check_reads(check) & derived for check in inside):
            return True
        bound = Bindings()
        bound.visit(statement)
        derived |= bound.names
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            derived.add(statement.name)
    return False


def hollow_includes(text: str, page_name: str, root: Path = ROOT) -> list[str]:
    """Each include of a page whose section nothing checks, named at the page's line."""
    problems = []
    for include in page_includes(text):
        path = root / include.path
        if include.section is None or path.suffix != ".py" or not path.is_file():
            continue  # include_problems() names these
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

def include_problems(text: str, page_name: str, root: Path = ROOT) -> list[str]:
    python_blocks = [
        (block.line, block.end) for block in fenced_blocks(text) if is_an_include_fence(block)
    ]
    snippets = (root / "snippets").resolve()
    problems = []
    for include in page_includes(text):
        at = f"{page_name}:{include.line}: includes {include.spec!r}"
        if not any(start < include.line < end for start, end in python_blocks):
            problems.append(f"{at} outside a ```python block: an include is code a reader sees")
        path = (root / include.path).resolve()
        if not include.path or not path.is_relative_to(snippets):
            problems.append(f"{at}, which is not under snippets/")
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
