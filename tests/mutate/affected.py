"""Which tests an edit of a file can make fail: the one table to extend when a test is added.

For a mutant of a file, the first row whose pattern matches gives its pytest runs. They run
in order, cheapest first, each with `-x`, until one fails: that kills the mutant. A test
file that does not exist (yet) is left out of its run; a run left with no test file is
skipped. Words in braces are filled in for the edited file:

- `{path}`: the file, from the project root: `docs/rnn/gru.md`, `facts/rnn/gru.py`;
- `{page}`: the page it feeds: itself for a page, `docs/rnn/gru.md` for `facts/rnn/gru.py`,
  and `docs/` (every page) for a helper such as `facts/_tables.py`;
- `{name}`: the file under its top folder, as the tests' parameter ids write it
  (`rnn/gru_layout.py`, `lstm/fig_cell.py`); empty for a helper, so that `-k ""` keeps
  every case.

`-k "{page} or not docs/"` keeps a test file's cases for this page and every case that is
not about one page (whose id does not name a page). The browser tests and the full site
build are never run here: too slow for thousands of mutants.
"""
import fnmatch

# Every check of a script is recorded (tests/recorded_checks.py): a second, reading only the
# script, that an edited check is caught, before any run of the script itself.
RECORDED_CHECKS = ["tests/test_rules.py", "-k", "recorded"]

TESTS = [
    # (pattern of the edited file, [pytest arguments of each run, in order])
    ("docs/*.md", [
        # The page's rules and facts (placeholders, typed facts, includes, links, meaning)
        # and every rule's examples: a few seconds.
        ["tests/test_facts.py", "tests/test_pages.py", "tests/test_rules.py",
         "tests/test_claims_cannot_be_hollowed.py", "-k", "{page} or not docs/"],
        ["{path}"],  # the page's own ```pycon doctests (Sybil, conftest.py)
    ]),
    ("facts/*.py", [
        RECORDED_CHECKS,
        # Runs the facts script (its own checks), holds its page to the values, and the
        # rules on scripts (every returned value checked, no order literal...).
        ["tests/test_facts.py", "tests/test_rules.py",
         "tests/test_claims_cannot_be_hollowed.py", "-k", "{page} or not docs/"],
    ]),
    ("diagrams/*.py", [
        RECORDED_CHECKS,
        ["tests/test_rules.py", "tests/test_claims_cannot_be_hollowed.py", "-k", "not docs/"],
        # Renders the figure twice: its asserts run, its output is deterministic.
        ["tests/test_diagrams.py", "-k", "{name}"],
    ]),
    ("src/weightatlas/*.py", [
        # The converter package: its own tests, then the grid and the pages that run it.
        ["tests/test_package_recurrent.py", "tests/test_package_dense.py",
         "tests/test_package_conv.py", "tests/test_package_models.py",
         "tests/test_package_cli.py"],
        ["tests/test_converters.py"],
        ["tests/test_facts.py", "-k", "docs/convert/"],
    ]),
    ("snippets/*.py", [
        RECORDED_CHECKS,
        ["tests/test_snippets.py", "-k", "{name}"],  # runs it: its asserts are the claims
        # The rules on it and on every page that shows it (checked sections, tolerances).
        ["tests/test_rules.py", "tests/test_claims_cannot_be_hollowed.py"],
        # The facts and figures built on it, with their own checks (render_all).
        ["tests/test_facts.py", "-k", "test_every_fact_is_shown_by_a_page"],
    ]),
]


# Tests of one topic's corrected claims (issue 20), run last for an edit of its pages or of
# the scripts that feed them: (patterns of the edited file, test file).
TOPIC_TESTS = [
    (("facts/_releases.py",), "tests/test_other_releases.py"),
    (("docs/inversion/*", "facts/inversion/*", "snippets/inversion/*", "diagrams/inversion/*"),
     "tests/test_issue20_inversion.py"),
    (("docs/training/*", "facts/training/*", "snippets/training/*", "diagrams/training/*"),
     "tests/test_issue20_mod_weights.py"),
    (("docs/layers/*", "facts/layers/*", "snippets/layers/*", "diagrams/layers/*"),
     "tests/test_issue20_locally_connected.py"),
    (("docs/lstm/*", "docs/rnn/units-and-shapes.md", "docs/reference/parameter-counts.md", "facts/lstm/*",
      "facts/rnn/units_and_shapes.py", "facts/reference/parameter_counts.py", "snippets/lstm/*",
      "snippets/rnn/shapes_*", "diagrams/lstm/*"), "tests/test_issue20_lstm_units.py"),
    (("docs/pytorch/*", "docs/rnn/bidirectional-and-stacked.md", "docs/explorer/*", "facts/pytorch/*",
      "facts/rnn/bidirectional_and_stacked.py", "facts/explorer/*", "snippets/pytorch/*",
      "snippets/rnn/bidirectional_*", "snippets/rnn/stacked_layers.py"), "tests/test_issue20_pytorch_bidirectional.py"),
    (("docs/rnn/gru.md", "docs/rnn/simple-rnn.md", "docs/convert/*", "docs/reference/notation.md",
      "facts/rnn/gru.py", "facts/rnn/simple_rnn.py", "facts/convert/*", "facts/reference/notation.py",
      "snippets/rnn/gru_*", "snippets/rnn/simple_rnn_*", "snippets/convert/*"), "tests/test_issue20_gru_convert.py"),
]


def fields(path: str) -> dict[str, str]:
    top, _, rest = path.partition("/")
    helper = rest.split("/")[-1].startswith("_")
    if top == "docs":
        page = path
    elif top == "facts" and not helper:
        page = "docs/" + rest.removesuffix(".py").replace("_", "-") + ".md"
    else:
        page = "docs/"
    return {"path": path, "page": page, "name": "" if helper else rest}


def runs_for(path: str, exists=lambda test_file: True) -> list[list[str]]:
    """The pytest runs for an edit of `path`; `exists(test_file)` drops test files that are
    not there."""
    for pattern, runs in TESTS:
        if fnmatch.fnmatch(path, pattern):  # fnmatch's * crosses "/": docs/*.md is every page
            values = fields(path)
            filled = []
            for run in runs:
                arguments, kept, targets = [a.format(**values) for a in run], [], 0
                for k, argument in enumerate(arguments):
                    is_option = argument.startswith("-") or (k and arguments[k - 1] == "-k")
                    if is_option or exists(argument):
                        kept.append(argument)
                        targets += not is_option
                if targets:
                    filled.append(kept)
            topic = [test for patterns, test in TOPIC_TESTS
                     if any(fnmatch.fnmatch(path, p) for p in patterns) and exists(test)]
            return filled + ([topic] if topic else [])
    return []
