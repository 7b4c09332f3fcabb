"""A claim cannot be hollowed out silently: every snippet and every section a page shows is
checked, tolerances stay tight, doctests compare whole outputs, and in CI nothing skips.

The first tests hold the real project to the rules in tests/rules.py. The rest feed each
rule a small broken example and check that it names the file and line to fix.
"""
import ast
import doctest
import os
import subprocess
import sys
import textwrap

import pytest

import conftest
from tests import rules
from tests.project import DEPENDS_ON_FAILED, ROOT, code_blocks, fenced_blocks, pages, where


def doctest_blocks():
    """The blocks Sybil runs as doctests."""
    return [
        block for page in pages() for block in code_blocks(page)
        if block.info_as_written == conftest.DOCTEST_LANGUAGE
    ]


# --- The real project follows every rule: tests/test_rules.py runs each named rule ------

def test_doctests_compare_whole_outputs():
    assert not conftest.DOCTEST_FLAGS & doctest.ELLIPSIS, "conftest.py: DOCTEST_FLAGS has ELLIPSIS"


# --- Each rule catches its breakage, naming the file and line ---------------------------

def dedent(text):
    return textwrap.dedent(text).lstrip("\n")


def test_a_snippet_without_a_check_is_caught():
    source = dedent('''
        """Builds a layer and claims nothing."""
        import keras
        layer = keras.layers.LSTM(units=4)
    ''')
    assert rules.snippet_asserts_nothing(source, "snippets/x.py") == [
        "snippets/x.py:1: asserts nothing: a snippet's claims are its checks "
        "(assert ..., np.testing.assert_allclose(...)), so a snippet without one claims nothing"
    ]


@pytest.mark.parametrize("check", [
    "assert total == 3",
    "np.testing.assert_allclose(total, 3)",
    "np.testing.assert_array_equal(total, 3)",
    "torch.testing.assert_close(total, 3)",
])
def test_a_snippet_with_a_check_passes(check):
    assert rules.snippet_asserts_nothing(f"total = 3\n{check}\n", "snippets/x.py") == []


HOLLOW_SNIPPET = dedent("""
    import numpy as np

    # --8<-- [start:shown]
    weights = np.ones(3)
    # --8<-- [end:shown]
    other = np.zeros(2)
    assert other.sum() == 0
""")

CHECKED_THROUGH_A_RESULT = dedent("""
    import numpy as np

    # --8<-- [start:shown]
    def double(values):
        return 2 * values
    # --8<-- [end:shown]
    doubled = double(np.ones(3))
    assert doubled.sum() == 6
""")


def test_a_section_checked_through_what_it_computes_is_not_hollow():
    assert rules.hollow_sections(CHECKED_THROUGH_A_RESULT, "snippets/x.py") == {}


def test_a_shown_section_that_nothing_checks_is_caught_at_the_page_line(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/x.py").write_text(HOLLOW_SNIPPET)
    page = 'Text.\n\n```python\n--8<-- "snippets/x.py:shown"\n```\n'
    assert rules.hollow_includes(page, "docs/x.md", root=tmp_path) == [
        "docs/x.md:4: shows snippets/x.py:shown, which nothing checks: snippets/x.py:3: "
        "section 'shown' asserts nothing, and no check after it reads what it defines (weights) "
            "or anything computed from it"
    ]


@pytest.mark.parametrize("covered", [
    # A check inside the section.
    HOLLOW_SNIPPET.replace("np.ones(3)\n", "np.ones(3)\nassert weights.shape == (3,)\n"),
    # A later assert that reads a name the section defines.
    HOLLOW_SNIPPET.replace("assert other.sum() == 0", "assert weights.sum() == 3"),
    # A later assert_* call that reads one.
    HOLLOW_SNIPPET + "np.testing.assert_array_equal(weights, 1)\n",
])
def test_a_section_with_a_check_or_read_by_a_later_check_passes(covered):
    assert rules.hollow_sections(covered, "snippets/x.py") == {}


def test_a_name_a_function_uses_locally_does_not_count_as_checked():
    source = dedent("""
        # --8<-- [start:shown]
        def step(x):
            total = x + 1
            return total
        # --8<-- [end:shown]
        total = 3
        assert total == 3
    """)
    assert list(rules.hollow_sections(source, "snippets/x.py")) == ["shown"]


@pytest.mark.parametrize("line, expected", [
    ("np.testing.assert_allclose(a, b, atol=10)", "atol=10 is looser than the cap"),
    ("np.testing.assert_allclose(a, b, rtol=1e-3)", "rtol=0.001 is looser than the cap"),
    ("np.testing.assert_allclose(a, b, 1e-2)", "rtol=0.01 is looser than the cap"),
    ("torch.testing.assert_close(a, b, atol=1e-4, rtol=0)", "atol=0.0001 is looser than the cap"),
    ("assert np.allclose(a, b, atol=LOOSE)", "atol=LOOSE is looser than the cap"),
    ("assert math.isclose(a, b, rel_tol=0.5)", "rel_tol=0.5 is looser than the cap"),
    ("np.testing.assert_allclose(a, b, atol=tolerance())", "atol=tolerance() is not a number"),
    ("np.testing.assert_allclose(a, b, **options)", "assert_allclose(**...) hides its tolerance"),
    ("assert np.abs(a - b).max() < 0.1", "`np.abs(a - b).max() < 0.1` allows an error of 0.1"),
    ("assert max_error <= 1e-3", "`max_error <= 0.001` allows an error of 0.001"),
    ("assert 0.1 > abs(a - b)", "`0.1 > abs(a - b)` allows an error of 0.1"),
    ("assert diffs['largest'] < 1", "`diffs['largest'] < 1` allows an error of 1"),
])
def test_a_loose_tolerance_is_caught(line, expected):
    source = f"import numpy as np\nLOOSE = 1e-2\n{line}\n"
    problems = rules.loose_tolerances(source, "snippets/x.py")
    assert len(problems) == 1 and problems[0].startswith("snippets/x.py:3: "), problems
    assert expected in problems[0]


@pytest.mark.parametrize("line", [
    "np.testing.assert_allclose(a, b, atol=1e-6)",
    "np.testing.assert_allclose(a, b, atol=TIGHT, rtol=0)",
    "torch.testing.assert_close(a, b)",
    "assert max_error['ifco'] < 1e-6",
    "assert all(error > 1e-2 for error in errors)",  # a lower bound, not a tolerance
    "assert len(a) < 100",  # a count, not an error
])
def test_a_tight_or_unrelated_bound_passes(line):
    assert rules.loose_tolerances(f"TIGHT = 1e-6\n{line}\n", "snippets/x.py") == []


def test_a_loose_tolerance_in_a_doctest_is_caught_at_the_page_line():
    page = dedent("""
        # Page

        ```pycon
        >>> import numpy as np
        >>> np.allclose(np.ones(2),
        ...             np.ones(2) + 0.5, atol=1)
        True
        ```
    """)
    [block] = fenced_blocks(page)
    [problem] = rules.loose_doctest_tolerances(block, "docs/x.md")
    assert problem.startswith("docs/x.md:6: atol=1 is looser than the cap")


def pycon_block(body):
    [block] = fenced_blocks(f"# Page\n\n```pycon\n{dedent(body)}```\n")
    return block


@pytest.mark.parametrize("body, line, expected", [
    (">>> list(range(30))\n[0, 1, 2, ..., 29]\n", 5, "`...` in expected output"),
    (">>> print('a'); print('b')\na\n...\n", 6, "`...` in expected output"),
    (">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: ...\n", 7,
     "`...` in expected output"),
    (">>> print('abc')  # doctest: +ELLIPSIS\nabc\n", 4, "+ELLIPSIS on an example that raises"),
    (">>> print('abc')  # doctest: +SKIP\nabc\n", 4, "+SKIP lets this example claim nothing"),
    (">>> 1 / 0  # doctest: +IGNORE_EXCEPTION_DETAIL\nTraceback (most recent call last):\n"
     "ZeroDivisionError: division by zero\n", 4, "+IGNORE_EXCEPTION_DETAIL lets"),
])
def test_elided_doctest_output_is_caught(body, line, expected):
    [problem] = rules.elided_output(pycon_block(body), "docs/x.md")
    assert problem.startswith(f"docs/x.md:{line}: {expected}")


def test_an_elided_traceback_body_passes():
    body = """
        >>> 1 / 0
        Traceback (most recent call last):
          ...
        ZeroDivisionError: division by zero
        >>> print("loading...")
        loading...
    """
    problems = rules.elided_output(pycon_block(body), "docs/x.md")
    assert problems == [
        "docs/x.md:9: `...` in expected output: show the output a reader will see; "
        "`...` may only stand for a traceback's body"
    ]


UNRUN_FENCES = [
    "```Python\nx = 1\n```",
    "```PY3\nx = 1\n```",
    "```python3\nx = 1\n```",
    "```{ .python }\nx = 1\n```",
    '```{.py title="x"}\nx = 1\n```',
    "``` {.python}\nx = 1\n```",
    "~~~python\nx = 1\n~~~",
    "```python\nx = 1\n```",  # Python, but not an include
    '```python\n--8<-- "snippets/x.py:shown"\nx = 1\n```',  # an include and a line of code
    "```pycon title=\"x\"\n>>> 1\n1\n```",  # Sybil collects only ```pycon
    "``` pycon\n>>> 1\n1\n```",
    "```ipython\nIn [1]: 1\n```",
    "```pytb\nTraceback (most recent call last):\n```",
    "```\nx = 1\n```",  # no language: could be anything
]


@pytest.mark.parametrize("fence", UNRUN_FENCES)
def test_python_that_no_test_runs_is_caught(fence):
    page = f"# Page\n\nText.\n\n{fence}\n"
    problems = rules.unrun_fenced_blocks(page, "docs/x.md")
    assert len(problems) == 1 and problems[0].startswith("docs/x.md:5: "), problems


@pytest.mark.parametrize("fence", [
    '```python\n--8<-- "snippets/x.py:shown"\n--8<-- "snippets/x.py:other"\n```',
    '```python title="x.py"\n--8<-- "snippets/x.py:shown"\n```',
    "```pycon\n>>> 1\n1\n```",
    "~~~pycon\n>>> 1\n1\n~~~",
    "```text\nx = 1\n```",
    "```sh\nmake test\n```",
    '=== "Keras"\n\n    ```python\n    --8<-- "snippets/x.py:shown"\n    ```',
])
def test_python_a_test_runs_and_other_languages_pass(fence):
    assert rules.unrun_fenced_blocks(f"# Page\n\n{fence}\n", "docs/x.md") == []


@pytest.mark.parametrize("page, line", [
    ("# Page\n\nText.\n\n    x = 1\n    y = 2\n", 5),
    ("# Page\n\n- item\n\n        x = 1\n", 5),
    ("# Page\n\n> quote\n>\n>     x = 1\n", 5),
    ("# Page\n\n```python\nx = 1\n```\n\nText.\n\n    x = 1\n", 9),
    ("# Page\n\nText.\n\n    ```python\n    x = 1\n    ```\n", 5),  # a fence inside indented code
])
def test_an_indented_code_block_is_caught(page, line):
    problems = rules.indented_code_blocks(page, "docs/x.md")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"docs/x.md:{line}: an indented code block")


def test_indented_content_that_is_no_code_block_passes():
    page = dedent("""
        # Page

        !!! note

            Text inside an admonition.

        === "Keras"

            ```python
            --8<-- "snippets/x.py:shown"
            ```

        - item

            A second paragraph of the item.

        1.  An annotation.
    """)
    assert rules.indented_code_blocks(page, "docs/x.md") == []


@pytest.fixture
def snippet_root(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/x.py").write_text(HOLLOW_SNIPPET)
    (tmp_path / "snippets/x.txt").write_text("text\n")
    (tmp_path / "README.md").write_text("# Read me\n")
    return tmp_path


@pytest.mark.parametrize("include, expected", [
    ('--8<-- "snippets/x.txt"', "which is not a .py file"),
    ('--8<-- "snippets/x.py:3:5"', "by line numbers"),
    ('--8<-- "snippets/x.py:3"', "by line numbers"),
    ('--8<-- "snippets/x.py"', "a whole file"),
    ('--8<-- "snippets/x.py:missing"', "has no section 'missing'"),
    ('--8<-- "README.md"', "which is not under snippets/"),
    ('--8<-- "snippets/../README.md"', "which is not under snippets/"),
    ('--8<-- "snippets/y.py:shown"', "which does not exist"),
])
def test_a_wrong_include_is_caught(snippet_root, include, expected):
    page = f"# Page\n\n```python\n{include}\n```\n"
    [problem] = rules.include_problems(page, "docs/x.md", root=snippet_root)
    assert problem.startswith("docs/x.md:4: includes ") and expected in problem, problem


@pytest.mark.parametrize("page, line", [
    ('# Page\n\n--8<-- "snippets/x.py:shown"\n', 3),  # outside any fence
    ('# Page\n\n```pycon\n--8<-- "snippets/x.py:shown"\n```\n', 4),
    ('# Page\n\n--8<--\nsnippets/x.py:shown\n--8<--\n', 4),  # the block form
])
def test_an_include_outside_a_python_block_is_caught(snippet_root, page, line):
    [problem] = rules.include_problems(page, "docs/x.md", root=snippet_root)
    expected = "includes 'snippets/x.py:shown' outside a ```python block"
    assert problem.startswith(f"docs/x.md:{line}: {expected}")


def test_a_named_section_in_a_python_block_and_an_escaped_include_pass(snippet_root):
    page = '# Page\n\n```python\n--8<-- "snippets/x.py:shown"\n```\n\n;--8<-- "snippets/x.txt"\n'
    assert rules.include_problems(page, "docs/x.md", root=snippet_root) == []


@pytest.mark.parametrize("text", [
    "Verified with TensorFlow 2.21.",
    "pip install tensorflow==2.21.0",
    "Keras v3.15 renamed it.",
    "keras 3.15.1",
    "torch-2.9.1",
    "PyTorch 2.13 added it.",
    "NumPy 2.4.6",
    "numpy>=2.0",
    "tf 2.21",
    "tf_keras 2.15",
    "Matplotlib 3.10 draws it.",
    "Material for MkDocs 9.6",
    'assert keras.__version__ == "3.15"',
    'if importlib.metadata.version("torch") >= "2.9":',
    "Works since 2.21.0.",
    "Released as v2.21.0rc1",
    "TensorFlow\n2.21 wrapped onto the next line",
])
def test_a_typed_library_version_is_caught(text):
    page = f"# Page\n\n{text}\n"
    [problem] = rules.typed_versions(page, "docs/x.md")
    assert problem.startswith("docs/x.md:3: types a library version")


@pytest.mark.parametrize("text", [
    "Keras 3 declares the input with keras.Input.",
    "Tutorials written for Keras 2 use input_shape.",
    "PyTorch 2 and NumPy 2 agree.",
    "TensorFlow 2 runs Keras 3.",
    "ifco 0.00   ofci 0.85",
    "np.testing.assert_allclose(a, b, atol=1e-6)",
    "4 * (120 * (5 + 120) + 120) = 60480",
    "http://127.0.0.1:8000",
    "shape (5, 480), torch.randn(3, 1, 5)",
])
def test_an_era_name_or_a_number_that_is_no_version_passes(text):
    assert rules.typed_versions(f"# Page\n\n{text}\n", "docs/x.md") == []


# --- In CI a skip fails, unless a check it depends on already failed --------------------

SKIPPING_TESTS = f"""
import pytest

def test_needs_a_tool():
    pytest.skip("chromium is not installed")

@pytest.mark.skip(reason="not today")
def test_marked():
    pass

def test_needs_the_build():
    pytest.skip({DEPENDS_ON_FAILED!r} + "the site build")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False
"""


def run_pytest_with_this_conftest(tmp_path, ci):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_skips.py").write_text(SKIPPING_TESTS)
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment["PYTHONPATH"] = str(ROOT)
    if ci is not None:
        environment["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-rA", "-q"],
        cwd=tmp_path, env=environment, capture_output=True, text=True,
    )


def test_in_ci_a_skip_fails_unless_it_depends_on_a_failed_check(tmp_path):
    result = run_pytest_with_this_conftest(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout + result.stderr
    summary = result.stdout
    assert "FAILED test_skips.py::test_needs_a_tool" in summary
    assert "test_skips.py:5: skipped in CI (chromium is not installed)" in summary
    assert "ERROR test_skips.py::test_marked" in summary  # a skip mark skips at setup
    assert "SKIPPED [1] test_skips.py:12: depends on a check that failed: the site build" in summary
    assert "XFAIL test_skips.py::test_known_bug" in summary


def test_outside_ci_a_skip_is_a_skip(tmp_path):
    result = run_pytest_with_this_conftest(tmp_path, ci="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 skipped, 1 xfailed" in result.stdout


@pytest.mark.parametrize("value, in_ci", [
    (None, False), ("", False), ("0", False), ("false", False), ("False", False),
    ("true", True), ("1", True), ("yes", True),
])
def test_ci_is_on_when_the_variable_says_so(value, in_ci):
    environment = {} if value is None else {"CI": value}
    assert conftest.running_in_ci(environment) is in_ci


def test_a_long_shown_line_is_caught_at_the_snippet_line(tmp_path):
    (tmp_path / "snippets").mkdir()
    source = "# --8<-- [start:shown]\nx = 1\nname = " + repr("a" * 90) + "\nassert x\n# --8<-- [end:shown]\n"
    (tmp_path / "snippets/x.py").write_text(source)
    page = 'Text.\n\n```python\n--8<-- "snippets/x.py:shown"\n```\n\n```pycon\n>>> ' + "b" * 90 + "\n```\n"
    problems = rules.long_shown_lines(page, "docs/x.md", root=tmp_path)
    assert [p.split(":")[:2] for p in problems] == [["snippets/x.py", "3"], ["docs/x.md", "8"]]


# --- Claims cannot be weakened (issue 19, item 4): the registered rules ------------------

NEW_RULES = ("bare-bool-doctest", "shape-only-check", "unchecked-fact")


def rule_named(name):
    from engine.problems import RULES

    return RULES[name]


@pytest.mark.parametrize("name, path, line", [
    ("bare-bool-doctest", "docs/x.md", 5),
    ("shape-only-check", "snippets/x.py", 7),
    ("unchecked-fact", "facts/x/y.py", 6),
])
def test_each_new_rule_catches_its_bad_example_at_its_line(name, path, line):
    rule = rule_named(name)
    assert rule.summary and rule.kind == ("page" if path.endswith(".md") else "python")
    assert rule(rule.good, path) == []
    [problem] = rule(rule.bad, path)
    assert (problem.path, problem.line, problem.rule) == (path, line, name)
    assert str(problem).startswith(f"{path}:{line}: [{name}] ")


# A doctest that shows only True or False.

@pytest.mark.parametrize("body, line", [
    # The mutation: the count replaced by a comparison that holds for any count.
    (">>> import keras\n>>> model = keras.Sequential([keras.layers.Dense(4)])\n"
     ">>> model.count_params() > 0\nTrue\n", 6),
    (">>> print(len(weights) == 3)\nTrue\n", 4),
    (">>> layer.built\nTrue\n", 4),
    (">>> a.shape == b.shape\nTrue\n", 4),
    (">>> np.array_equal(a, b)\nFalse\n", 4),
    (">>> np.allclose(a, b, atol=1e-3)\nTrue\n", 4),  # looser than the cap
    (">>> np.allclose(a, b, **options)\nTrue\n", 4),
    (">>> float(np.abs(a - b).max()) < 0.1\nTrue\n", 4),
    (">>> count > 1e-6\nTrue\n", 4),  # not an error under a tolerance
    (">>> x.shape, layer.count_params() > 0\n((64, 6), True)\n", 4),  # a bool in a tuple
])
def test_a_doctest_that_shows_a_bare_bool_is_caught(body, line):
    page = f"# Page\n\n```pycon\n{body}```\n"
    [problem] = rule_named("bare-bool-doctest")(page, "docs/x.md")
    assert str(problem).startswith(f"docs/x.md:{line}: [bare-bool-doctest] ")
    assert "show the value itself" in problem.message


@pytest.mark.parametrize("body", [
    ">>> np.allclose(a, b, atol=1e-6)\nTrue\n",
    ">>> torch.allclose(a, b, rtol=0, atol=1e-7)\nTrue\n",
    ">>> np.allclose(a, b)\nTrue\n",  # NumPy's defaults are within the cap
    ">>> bool(np.isclose(a, b, atol=1e-6).all())\nTrue\n",
    ">>> float(np.abs(a - b).max()) < 1e-6\nTrue\n",
    ">>> 1e-6 > max_error and np.allclose(a, b, atol=1e-6)\nTrue\n",
    ">>> x.shape, bool(np.abs(x - y).max() <= 1e-6)\n((64, 6), True)\n",
    ">>> model.count_params()\n60480\n",
    ">>> 1 / 0\nTraceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n",
])
def test_a_tolerance_check_or_a_shown_value_passes(body):
    page = f"# Page\n\n```pycon\n{body}```\n"
    assert rule_named("bare-bool-doctest")(page, "docs/x.md") == []


# A shape comparison does not check a shown section.

SHOWN_BACKWARD_HALF = dedent("""
    import numpy as np

    rng = np.random.default_rng(0)
    output = rng.normal(size=(2, 6))
    # --8<-- [start:backward]
    backward = output[:, 3:]
    # --8<-- [end:backward]
    expected = output[:, 3:].copy()
    np.testing.assert_allclose(backward, expected, atol=1e-6)
""")


@pytest.mark.parametrize("weakened", [
    "assert backward.shape == expected.shape",
    "assert len(backward) == len(expected)",
    "assert np.shape(backward) == np.shape(expected)",
    "np.testing.assert_equal(backward.shape, expected.shape)",
    "assert tuple(backward.shape) == tuple(expected.shape) and backward.ndim == expected.ndim",
])
def test_a_value_check_weakened_to_a_shape_comparison_makes_the_section_hollow(weakened, tmp_path):
    assert rules.hollow_sections(SHOWN_BACKWARD_HALF, "snippets/x.py") == {}
    source = SHOWN_BACKWARD_HALF.replace(
        "np.testing.assert_allclose(backward, expected, atol=1e-6)", weakened)
    assert list(rules.hollow_sections(source, "snippets/x.py")) == ["backward"]
    [problem] = rule_named("shape-only-check")(source, "snippets/x.py")
    assert str(problem).startswith("snippets/x.py:9: [shape-only-check] section 'backward'")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/x.py").write_text(source)
    page = 'Text.\n\n```python\n--8<-- "snippets/x.py:backward"\n```\n'
    [problem] = rules.hollow_includes(page, "docs/x.md", root=tmp_path)
    assert problem.startswith("docs/x.md:4: shows snippets/x.py:backward, which nothing checks")


def test_a_real_sections_backward_half_weakened_to_shapes_is_hollow():
    """snippets/rnn/bidirectional_weights.py proves which half of the output is which layer's;
    with both halves compared by shape only, the section a page shows proves nothing."""
    path = ROOT / "snippets/rnn/bidirectional_weights.py"
    source = path.read_text(encoding="utf-8")
    assert "prove" not in rules.hollow_sections(source, where(path))
    for half in ("output[:, :units], forward_gru(inputs)", "output[:, units:], backward_gru(inputs)"):
        checked = f"np.testing.assert_allclose({half}, atol=1e-6)"
        assert checked in source
        first, second = half.rsplit(", ", 1)
        source = source.replace(checked, f"assert {first}.shape == np.shape({second})")
    assert "prove" in rules.hollow_sections(source, where(path))
    problems = rule_named("shape-only-check")(source, where(path))
    assert [problem.line for problem in problems] == [
        number for number, line in enumerate(source.splitlines(), 1) if "np.shape(" in line][:1]


@pytest.mark.parametrize("check, only_shapes", [
    ("assert a.shape == b.shape", True),
    ("assert len(a) == len(b)", True),
    ("assert a.shape[0] == b.shape[1]", True),
    ("assert a.size() == b.size() and a.dim() == b.dim()", True),
    ("assert a.numel() == torch.numel(b)", True),
    ("np.testing.assert_array_equal(a.shape, b.shape)", True),
    ("assert a.shape == expected_shape", True),  # expected_shape = b.shape below
    ("assert kernel.shape == (5, 4 * units)", False),  # a shape the page states
    ("assert len(a) == 3", False),
    ("assert a.shape == b.shape and np.allclose(a, b, atol=1e-6)", False),
    ("assert len(set(a)) == len(a)", False),  # the values are distinct: a claim on them
    ("np.testing.assert_allclose(a, b, atol=1e-6)", False),
])
def test_what_counts_as_comparing_shapes_only(check, only_shapes):
    tree = ast.parse(f"expected_shape = b.shape\n{check}\n")
    [found] = rules.checks(tree)
    assert rules.shape_only(found, rules.size_names(tree)) is only_shapes


# Every value a facts script returns is checked.

def facts_problems(source, path="facts/x/y.py"):
    return rule_named("unchecked-fact")(dedent(source), path)


def test_a_ratio_returned_without_an_assert_is_caught_at_its_line():
    """The issue's mutation: a ratio inverted in a facts script says the opposite of the data,
    and nothing fails unless the script asserts the direction the page states."""
    source = """
        from snippets.training import mod_gradients_tf as grads


        def make_facts():
            ratio = grads.a / grads.b
            return {"gradient_ratio": f"{ratio:.1f}"}
    """
    [problem] = facts_problems(source)
    assert str(problem).startswith(
        "facts/x/y.py:5: [unchecked-fact] `ratio`, shown as {{ gradient_ratio }}, is computed "
        "here but no assert reads it")
    checked = source.replace("grads.b\n", "grads.b\n            assert ratio > 1\n")
    assert facts_problems(checked) == []


def test_the_real_gradient_ratio_is_caught_without_its_assert():
    path = ROOT / "facts/training/mod_weights.py"
    source = path.read_text(encoding="utf-8")
    rule = rule_named("unchecked-fact")
    assert rule(source, where(path)) == []
    claim = "    assert all(ratio > 1 for ratio in ratios)\n"
    assert claim in source
    [problem] = rule(source.replace(claim, ""), where(path))
    binding = next(number for number, line in enumerate(source.splitlines(), 1)
                   if line.strip() == 'ratios = [r["m"] / r["w"] for r in ratios]')
    assert (problem.line, problem.rule) == (binding, "unchecked-fact")
    assert "`ratios`, shown as {{ gradient_ratio }}" in problem.message


GIVEN_AND_CHECKED = dedent("""
    from facts._tables import code
    from snippets.lstm import gate_order

    MNIST_PIXELS = 28 * 28


    def percent(share):
        return f"{100 * share:.0f} %"


    def checked_table():
        assert gate_order.proven_order
        return code(str(gate_order.proven_order))


    def keras_line():
        import keras
        return keras.version()

""")


def facts_script(header, body):
    """`header`, then `def make_facts():` with `body` (lines joined by newlines) inside."""
    return header + "\ndef make_facts():\n" + textwrap.indent(body, "    ")


@pytest.mark.parametrize("body", [
    # A snippet's value: the snippet asserts it.
    'return {"order": ", ".join(gate_order.proven_order)}',
    "units = gate_order.units\nreturn {'units': units, 'n': len(gate_order.max_error) - 1}",
    # Built by a function that checks.
    "return {'table': checked_table()}",
    "rows = checked_table()\nreturn {'table': rows}",
    # Computed, then asserted directly or through what is computed from it.
    "error = abs(gate_order.a - gate_order.b)\nassert error < 1e-6\n"
    "return {'error': f'{error:.1e}'}",
    "ratios = [a / b for a, b in gate_order.pairs]\nsmallest = min(ratios)\n"
    "assert smallest > 1\nreturn {'ratios': ', '.join(map(str, ratios))}",
    # Constants typed in the script, and formatting.
    "return {'pixels': MNIST_PIXELS, 'share': percent(gate_order.share)}",
    "def shown(key):\n    return percent(gate_order.shares[key])\nreturn {'a': shown('a')}",
    # A threshold from a loop over literals is no second value.
    "return {'tail': ', '.join(percent(gate_order.mean(gate_order.sizes >= t)) "
    "for t in (10, 100))}",
    # A justified exception, on the line or the line above.
    "# atlas: allow unchecked-fact: a quoted source line\nline = keras_line()\n"
    "return {'line': line}",
])
def test_a_checked_or_given_value_passes(body):
    assert facts_problems(facts_script(GIVEN_AND_CHECKED, body)) == []


UNCHECKED_HEADER = dedent("""
    import keras
    from facts._recurrent import source_line
    from facts._tables import code
    from snippets.lstm import gate_order


    def unchecked_table():
        return code(str(gate_order.max_error))


    def ratio(a, b):
        return a / b

""")


@pytest.mark.parametrize("body, line, expected", [
    # Computed and returned with no assert.
    ("wrong = [e for o, e in gate_order.errors if o != 'ifco']\n"
     "return {'smallest': f'{min(wrong):.2f}'}", 1, "`wrong`, shown as {{ smallest }}"),
    # Asserted only by comparing sizes, which holds whatever the values are.
    ("ratios = [a / b for a, b in gate_order.pairs]\n"
     "assert len(ratios) == len(gate_order.pairs)\n"
     "return {'ratio': str(ratios)}", 1, "`ratios`, shown as {{ ratio }}"),
    # Computed where it is returned.
    ("return {'ratio': f'{gate_order.a / gate_order.b:.1f}'}", 1,
     "fact 'ratio' computes `gate_order.a / gate_order.b`"),
    # Computed by a helper of the script: its arithmetic is no formatting.
    ("return {'ratio': f'{ratio(gate_order.a, gate_order.b):.1f}'}", 1,
     "fact 'ratio' computes `ratio(gate_order.a, gate_order.b)`"),
    ("r = ratio(gate_order.a, gate_order.b)\nreturn {'ratio': f'{r:.1f}'}", 1,
     "`r`, shown as {{ ratio }}"),
    # Read from a library with literal arguments, or by a helper that reads a snippet.
    ("return {'version': keras.version()}", 1, "fact 'version' shows `keras.version()`"),
    ("return {'table': unchecked_table()}", 1, "fact 'table' shows `unchecked_table()`"),
    # A helper from facts/_*.py that checks nothing.
    ("line, url, match = source_line('keras.src.layers.rnn.gru', 'x')\n"
     "return {'line': code(line)}", 1, "`line`, shown as {{ line }}"),
    # A dict built up and returned by name.
    ("facts = {}\nfacts['share'] = gate_order.hits / gate_order.total\nreturn facts", 2,
     "fact 'share' computes"),
])
def test_an_unchecked_value_is_caught_at_its_line(body, line, expected):
    """`line` counts from the first line of make_facts()'s body."""
    source = facts_script(UNCHECKED_HEADER, body)
    first = source.split("\n").index("def make_facts():") + 2
    problems = facts_problems(source)
    assert [problem.line for problem in problems] == [first + line - 1], problems
    assert expected in problems[0].message


def test_unchecked_fact_reads_only_facts_scripts():
    source = "def make_facts():\n    return {'x': 1 / 3}\n"
    assert facts_problems("x = 1 / 3\n") == []  # no make_facts(): not a facts script
    assert facts_problems(source, "facts/_helpers.py") == []  # a helper, checked by its callers
    assert facts_problems(source) == []  # literals are constants
