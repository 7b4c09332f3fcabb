"""The checks of tests/rules.py that keep code claims whole, as named rules.

tests/rules.py holds the checks themselves as plain functions (they report
`path:line: message`); this module registers each under a name (engine/problems.py), with a
good and a bad example, so that every rule reports the same `Problem`, can be excused only by
an inline marker, and is run over every page or script by tests/test_rules.py.

A rule that reads snippet files from a page is handed the project root by keyword (`root`);
its examples bring their own files (`example_context["files"]`).
"""
import re
from pathlib import Path

from engine.page import page_of
from engine.problems import Problem, rule
from tests import rules
from tests.project import CodeBlock, ROOT

REPORTED = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.*)\Z", re.DOTALL)
CODE_FOLDERS = ("snippets/", "facts/", "diagrams/", "results/", "notebooks/")
CHECKED_SNIPPET = "import numpy as np\n# --8<-- [start:shown]\nx = np.ones(3)\n# --8<-- [end:shown]\nassert x.sum() == 3\n"
HOLLOW_SNIPPET = "import numpy as np\n# --8<-- [start:shown]\nx = np.ones(3)\n# --8<-- [end:shown]\nassert 1 + 1 == 2\n"


def reported(rule_name: str, lines: list[str]):
    """Problems from the `path:line: message` strings tests/rules.py's checks return."""
    for text in lines:
        match = REPORTED.match(text)
        yield Problem(match["path"], int(match["line"]), rule_name, match["message"])


def doctest_blocks(text: str, path: str) -> list[CodeBlock]:
    return [CodeBlock(page=None, line=block.line, info=block.info, source=block.source,
                      end=block.end, info_as_written=block.info_as_written)
            for block in page_of(text, path).blocks if block.info_as_written == "pycon"]


def page_with(code: str) -> str:
    return f"# Page\n\n```python\n{code}\n```\n"


@rule("snippet-asserts", kind="python",
      good='"""A claim."""\ntotal = 3\nassert total == 3\n',
      bad='"""Builds a layer and claims nothing."""\nimport keras\nlayer = keras.layers.LSTM(4)\n')
def snippet_asserts(text: str, path: str):
    """A snippet's claims are its checks: a snippet without an assert claims nothing."""
    if path.startswith(("snippets/", "snippets/example")):
        yield from reported("snippet-asserts", rules.snippet_asserts_nothing(text, path))


@rule("shown-section-checked", needs=("root",),
      good=page_with('--8<-- "snippets/x.py:shown"'),
      bad=page_with('--8<-- "snippets/y.py:shown"'),
      example_context={"files": {"snippets/x.py": CHECKED_SNIPPET, "snippets/y.py": HOLLOW_SNIPPET}})
def shown_sections_checked(text: str, path: str, root: Path = ROOT):
    """Every section a page shows is checked: an assert in it, or after it on what it defines."""
    yield from reported("shown-section-checked", rules.hollow_includes(text, path, root=root))


@rule("include-section", needs=("root",),
      good=page_with('--8<-- "snippets/x.py:shown"'),
      bad=page_with('--8<-- "snippets/x.py"'),
      example_context={"files": {"snippets/x.py": CHECKED_SNIPPET}})
def include_sections(text: str, path: str, root: Path = ROOT):
    """An include is a named section of a .py file under snippets/ (or of the package's
    source, src/weightatlas/), inside a ```python block."""
    yield from reported("include-section", rules.include_problems(text, path, root=root))


@rule("tolerance-cap", kind="python",
      good="import numpy as np\nnp.testing.assert_allclose(a, b, atol=1e-6)\n",
      bad="import numpy as np\nnp.testing.assert_allclose(a, b, atol=1e-2)\n")
def tolerance_cap(text: str, path: str):
    """Closeness checks use a literal tolerance at or under the cap (1e-5)."""
    if path.startswith(CODE_FOLDERS) or path.startswith("snippets/example"):
        yield from reported("tolerance-cap", rules.loose_tolerances(text, path))


@rule("doctest-tolerance-cap",
      good="```pycon\n>>> import numpy as np\n>>> bool(np.allclose([1.0], [1.0], atol=1e-6))\nTrue\n```\n",
      bad="```pycon\n>>> import numpy as np\n>>> bool(np.allclose([1.0], [1.1], atol=0.2))\nTrue\n```\n")
def doctest_tolerance_cap(text: str, path: str):
    """A page's doctests use a tolerance at or under the cap (1e-5)."""
    for block in doctest_blocks(text, path):
        yield from reported("doctest-tolerance-cap", rules.loose_doctest_tolerances(block, path))


@rule("elided-output",
      good="```pycon\n>>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n```\n",
      bad="```pycon\n>>> list(range(9))\n[0, 1, ...]\n```\n")
def elided_outputs(text: str, path: str):
    """`...` in a doctest's output stands only for a traceback's body; no +SKIP or +ELLIPSIS."""
    for block in doctest_blocks(text, path):
        yield from reported("elided-output", rules.elided_output(block, path))


@rule("unrun-code",
      good="```pycon\n>>> 1 + 1\n2\n```\n\n```text\nnot code\n```\n",
      bad="```python\nx = 1\n```\n\nText.\n\n    y = 2\n")
def unrun_code(text: str, path: str):
    """Python on a page is a ```python include or a ```pycon doctest; nothing else holds code."""
    yield from reported("unrun-code", rules.unrun_fenced_blocks(text, path)
                        + rules.indented_code_blocks(text, path))


@rule("typed-version",
      good="Verified with the versions in the stamp; Keras 3 calls it `units`.",
      bad="Since Keras 3.15 the argument is `units`.")
def typed_versions(text: str, path: str):
    """No page types a library version: the "Verified with" stamp shows the installed ones."""
    yield from reported("typed-version", rules.typed_versions(text, path))


@rule("typed-version-code", kind="python",
      good='import keras\nassert keras.__version__.split(".")[0] == keras.__version__.split(".")[0]\n',
      bad='import keras\nassert keras.__version__ == "3.15.0"\n')
def typed_versions_in_code(text: str, path: str):
    """No code types a library version: the stamp and the cache read the installed ones."""
    yield from reported("typed-version-code", rules.typed_versions(text, path))


@rule("long-line", needs=("root",),
      good=page_with('--8<-- "snippets/x.py:shown"'),
      bad="```text\n" + "x" * 100 + "\n```\n",
      example_context={"files": {"snippets/x.py": CHECKED_SNIPPET}})
def long_lines(text: str, path: str, root: Path = ROOT):
    """Shown code lines stay within 88 characters (named at the snippet's line)."""
    yield from reported("long-line", rules.long_shown_lines(text, path, root=root))
