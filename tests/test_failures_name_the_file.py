"""Each kind of breakage fails loudly, naming the file to fix; an edit of prose renders nothing.

Every test breaks a fresh copy of the project, never the real one. The copies share the
real figure cache, so only a figure the test changes is rendered again.
"""
import os
import re
import subprocess
import sys

import pytest

from engine._runner import cache_dir, discover
from tests.project import ROOT, SnippetFailed, run_snippet
from tests.site_build import build, copy_project

PAGE = "docs/lstm/weights.md"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{path}: test setup expected {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_a_prose_edit_rebuilds_without_rendering_a_figure(project, tmp_path):
    first = build(project, tmp_path / "site")  # warms the cache if it is cold
    assert first.returncode == 0, first.stderr
    edit(project / PAGE, "side by side", "next to each other")  # words only: nothing to run
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    products = len(discover())
    assert f"scripts: 0 run, {products} cached" in result.stderr


def test_a_figure_script_that_raises_fails_the_build_naming_it(project, tmp_path):
    script = project / "diagrams/lstm/fig_cell.py"
    edit(script, "def make_figure(", "_ = 1 / 0  # fails at import\n\n\ndef make_figure(")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "figure script diagrams/lstm/fig_cell.py failed" in result.stderr
    assert "ZeroDivisionError" in result.stderr  # the script's own traceback
    assert not (tmp_path / "site" / "diagrams").exists(), "a half-built site was left behind"


def test_a_missing_include_fails_the_build_naming_the_page(project, tmp_path):
    text = (project / PAGE).read_text()
    included = re.search(r'--8<-- "(snippets/[^":]+)', text)[1]
    edit(project / PAGE, included, included.replace(".py", "_missing.py"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"docs/lstm/weights\.md:\d+: \[include-exists\] includes snippets/\S+_missing\.py",
                     result.stderr)


def test_a_missing_include_section_fails_the_build_naming_page_and_line(project, tmp_path):
    edit(project / PAGE, "gate_order.py:numpy", "gate_order.py:numpi")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    line = line_of(project / PAGE, "gate_order.py:numpi")
    assert (f"docs/lstm/weights.md:{line}: [include-exists] snippets/lstm/gate_order.py has no "
            "section 'numpi'") in result.stderr


def test_a_broken_anchor_fails_the_build_naming_page_and_line(project, tmp_path):
    edit(project / PAGE, "(#gate-order)", "(#gate-ordre)")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    line = line_of(project / PAGE, "(#gate-ordre)")
    assert f"docs/lstm/weights.md:{line}: link '#gate-ordre'" in result.stderr


def test_a_placeholder_that_names_no_fact_fails_the_build_naming_page_and_line(project, tmp_path):
    edit(project / PAGE, "{{ gate_order }}", "{{ gate_ordre }}")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    line = line_of(project / PAGE, "{{ gate_ordre }}")
    assert f"docs/lstm/weights.md:{line}: no fact 'gate_ordre'" in result.stderr
    assert not (tmp_path / "site" / "lstm").exists(), "a half-built site was left behind"


def test_a_facts_script_whose_check_fails_fails_the_build_naming_it(project, tmp_path):
    """A formula the page would show is evaluated against Keras first: a wrong one stops the build."""
    edit(project / "facts/_lstm.py", '"f": "sigmoid"', '"f": "tanh"')  # a wrong equation
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "facts script facts/lstm/weights.py failed" in result.stderr
    assert "AssertionError" in result.stderr


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def pytest_in(project, *arguments):
    """Run the project's own tests on a broken copy, with the real cache for its facts."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
        cwd=project, capture_output=True, text=True,
        env={**os.environ, "WEIGHT_ATLAS_CACHE": str(cache_dir()), "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


# Edits a careless contributor made that once left `make test` green. Each now fails the
# named test, and the failure names the file.
TYPED_FACT_EDITS = {
    "an order typed into a sentence": (PAGE, "order **{{ gate_order }}**", "order **i, c, f, o**"),
    "a PyTorch shape typed into the notation page": (
        "docs/reference/notation.md", "{{ weights_table }}",
        "| $W$ | input weights | `kernel` | `(input_size, 4 * hidden_size)` |"),
    "a count typed into a sentence": (PAGE, "{{ blocks_per_array }} of `units`", "4 blocks of `units`"),
}


@pytest.mark.parametrize("edit_", TYPED_FACT_EDITS.values(), ids=TYPED_FACT_EDITS.keys())
def test_a_fact_typed_into_prose_fails_naming_the_page(tmp_path, edit_):
    project = copy_project(tmp_path / "project", with_tests=True)
    page, old, new = edit_
    edit(project / page, old, new)
    result = pytest_in(project, "tests/test_rules.py", "-k", "typed-fact")
    assert result.returncode != 0
    assert re.search(rf"{re.escape(page)}:\d+: .*typed by hand|{re.escape(page)}:\d+: .*no code on the page runs",
                     result.stdout), result.stdout[-2000:]


def test_a_swapped_gate_order_in_a_proof_fails_the_snippet_and_every_figure(project, tmp_path):
    """The order figures and tables index by is the one the proof accepts, not a typed tuple."""
    edit(project / "snippets/lstm/gate_order.py", 'matching == ["ifco"]', 'matching == ["icfo"]')
    with pytest.raises(SnippetFailed, match=r"snippets/lstm/gate_order\.py:\d+: AssertionError"):
        run_snippet(project / "snippets/lstm/gate_order.py")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "figure script diagrams/lstm/fig_cell.py failed" in result.stderr
    assert "facts script facts/lstm/weights.py failed" in result.stderr


def test_a_false_claim_in_an_inlined_snippet_fails_naming_that_snippet_and_line(project):
    """A snippet runs as its download does, the snippets it imports inlined: a failure in one
    of those is named by the inlined file's own line, not the download's."""
    inlined = project / "snippets/convert/recurrent.py"
    edit(inlined, 'TORCH_BLOCKS = {kind: list(family.torch_order) for kind, family in FAMILIES.items()}\n',
         'TORCH_BLOCKS = {kind: list(family.torch_order) for kind, family in FAMILIES.items()}\n'
         'assert TORCH_BLOCKS["GRU"] == ["z", "r", "n"]\n')
    line = inlined.read_text().splitlines().index('assert TORCH_BLOCKS["GRU"] == ["z", "r", "n"]') + 1
    with pytest.raises(SnippetFailed) as failure:
        run_snippet(project / "snippets/rnn/gru_textbook.py")
    assert str(failure.value).startswith(f"snippets/convert/recurrent.py:{line}: AssertionError"), failure.value


def test_a_broken_link_fails_the_build_naming_the_page(project, tmp_path):
    page = project / PAGE
    page.write_text(page.read_text() + "\nSee [nowhere](no-such-page.md).\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "lstm/weights.md" in result.stderr and "no-such-page.md" in result.stderr


def test_a_snippet_whose_claim_is_false_fails_naming_file_and_line(project):
    snippet = project / "snippets/lstm/reader_model.py"
    edit(snippet, "(5, 480), (120, 480)", "(5, 480), (120, 481)")
    with pytest.raises(SnippetFailed) as failure:
        run_snippet(snippet)
    line = next(
        number for number, text in enumerate(snippet.read_text().splitlines(), 1)
        if text.startswith("assert shapes ==")
    )
    assert str(failure.value).startswith(f"snippets/lstm/reader_model.py:{line}: AssertionError")


def test_a_stamp_that_pairs_a_name_with_another_version_is_caught(project, tmp_path):
    from tests.test_site_build import STAMP, STAMP_ENTRY
    import importlib.metadata

    edit(project / "hooks/verified_with.py", '"TensorFlow": "tensorflow",', '"TensorFlow": "keras",')
    edit(project / "hooks/verified_with.py", '"Keras": "keras",', '"Keras": "tensorflow",')
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    stamped = {m["name"]: m["version"] for m in STAMP_ENTRY.finditer(html)}
    expected = {name: importlib.metadata.version(dist) for name, dist in STAMP.items()}
    assert stamped["TensorFlow"] == expected["Keras"] and stamped != expected


def test_a_swapped_gate_name_fails_the_build_naming_the_facts_and_figure_scripts(project, tmp_path):
    """Names come from one place, checked against the equations: "forget gate" on the wrong
    block reaches no table and no figure."""
    edit(project / "facts/_lstm.py", '"f": "forget gate", "c": "cell candidate"',
         '"f": "cell candidate", "c": "forget gate"')
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "facts script facts/lstm/weights.py failed" in result.stderr
    assert "figure script diagrams/lstm/fig_cell.py failed" in result.stderr
    assert "is named 'cell candidate' but is not c_tilde" in result.stderr


def test_a_broken_build_is_one_failure_that_names_the_cause_even_in_ci(tmp_path):
    """The tests that read the built site step aside, saying why, instead of each failing."""
    project = copy_project(tmp_path / "project", with_tests=True)
    edit(project / PAGE, "(#gate-order)", "(#gate-ordre)")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_site_build.py", "tests/test_browser.py"],
        cwd=project, capture_output=True, text=True,
        env={**os.environ, "CI": "true", "WEIGHT_ATLAS_CACHE": str(cache_dir()),
             "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"1 failed, \d+ skipped in .*", summary), result.stdout[-2000:]
    assert "FAILED tests/test_site_build.py::test_the_site_builds_strictly" in result.stdout
    assert re.search(r"docs/lstm/weights\.md:\d+: link '#gate-ordre'", result.stdout)


def anchors_check(project):
    return pytest_in(project, "tests/test_anchors.py", "-p", "no:randomly")


def test_a_moved_page_needs_a_redirect(tmp_path):
    project = copy_project(tmp_path / "project", with_tests=True)
    (project / "published-anchors.txt").write_text((ROOT / "published-anchors.txt").read_text())
    (project / "docs/reference/symbols.md").write_text((project / "docs/reference/notation.md").read_text())
    (project / "docs/reference/notation.md").unlink()
    (project / "facts/reference/notation.py").rename(project / "facts/reference/symbols.py")
    for path in (project / "mkdocs.yml", *(project / "docs").rglob("*.md")):
        path.write_text(path.read_text().replace("reference/notation.md", "reference/symbols.md"))
    broken = anchors_check(project)
    assert "reference/notation/: the page is gone" in broken.stdout
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nextra:\n  redirects:\n    reference/notation/: reference/symbols.md\n")
    (project / "published-anchors.txt").write_text(
        (project / "published-anchors.txt").read_text()
        + "reference/symbols/\n" + "".join(f"reference/symbols/#{a}\n" for a in
                                           ("sizes", "vectors", "weights", "pytorch-names", "functions", "equations")))
    fixed = anchors_check(project)
    assert fixed.returncode == 0, fixed.stdout[-3000:]


def test_a_question_that_points_at_no_section_fails_the_build_naming_its_page(project, tmp_path):
    edit(project / PAGE, "    at: four-layers", "    at: four-layer")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/lstm/weights.md: the question 'Does an LSTM have four layers?' points at #four-layer" in result.stderr
