"""The mutation operators (tests/mutate): each makes the wrong edits it promises on a small
page or script, never a no-op, code that still parses, and finds work on the real project.

Fast: no TensorFlow, no pytest run of a mutant (that is `make mutate`).
"""
import ast
import dataclasses
import collections
import textwrap

import pytest

from tests.mutate import pages, scripts
from tests.mutate.__main__ import SAMPLE, sample
from tests.mutate.affected import runs_for
from tests.mutate.operators import OPERATORS, mutants_of, project_mutants
from tests.mutate.runner import failures
from tests.project import ROOT

PAGE_PATH = "docs/rnn/sample.md"
PAGE = textwrap.dedent('''\
    ---
    description: >-
      What a GRU's kernel holds, in the order {{ gate_order }}.
    questions:
      - q: "Which bias row joins the input?"
        a: "{{ input_bias_row }} joins $x_t W$ and {{ recurrent_bias_row }} joins $h_{t-1} U$."
        at: bias-rows
    ---

    # GRU weights

    ## Bias rows { #bias-rows }

    By default `bias` has two rows: `bias[0]` joins the input and `recurrent_kernel` the state.
    The update gate and the reset gate read the candidate. Listed as z, r, h here.

    | where | difference |
    | --- | --- |
    | inside | {{ right_error }} |
    | summed | {{ summed_error }} |

    ## Proof { #proof }

    Each gate computes $x_t W + h_{t-1} U + b$: see [the rows](#bias-rows) and [this](#proof).
    Most layers keep it, and [every GRU](#proof){ .proof } does.

    ```pycon
    >>> import keras
    >>> keras.layers.GRU(4).units
    4
    >>> print("x")
    x
    ```
    ''')

SCRIPT_PATH = "facts/rnn/sample.py"
SCRIPT = textwrap.dedent('''\
    """Facts of a sample page."""
    import numpy as np

    from snippets.rnn import gru_gate_order

    ORDER = ("z", "r", "h")
    EQUATION = "x @ W + h_prev @ U"


    def ratio(a, b):
        return a / b


    def make_facts():
        order = gru_gate_order.proven_order
        assert len(order) == 3
        np.testing.assert_allclose(ratio(1, 2), 0.5, atol=1e-6)
        if len(order) < 4:
            order = order * 1
        return {"gate_order": ", ".join(order), "n_gates": len(order), "units": 5}
    ''')


def made(operator, path=PAGE_PATH, text=PAGE):
    return mutants_of(path, text, [OPERATORS[operator]], read=lambda other: None)


def changed_lines(mutant, original):
    """{line number: (before, after)} of the lines the mutant changed (same line count)."""
    before, after = original.split("\n"), mutant.text.split("\n")
    return {n: (a, b) for n, (a, b) in enumerate(zip(before, after), 1) if a != b}


def test_swap_placeholders_exchanges_two_facts_of_one_sentence():
    [mutant] = made("swap-placeholders")
    assert mutant.description == "swap {{ input_bias_row }} and {{ recurrent_bias_row }}"
    assert mutant.line == 6
    assert "a: \"{{ recurrent_bias_row }} joins $x_t W$ and {{ input_bias_row }} joins" in mutant.text


def test_swap_table_rows_exchanges_the_labels_of_neighbouring_body_rows():
    [mutant] = made("swap-table-rows")
    assert changed_lines(mutant, PAGE) == {
        19: ("| inside | {{ right_error }} |", "| summed | {{ right_error }} |"),
        20: ("| summed | {{ summed_error }} |", "| inside | {{ summed_error }} |"),
    }


def test_swap_gate_names_exchanges_names_and_letters_of_one_sentence():
    found = made("swap-gate-names")
    assert {m.description for m in found} == {
        'swap "update gate" and "reset gate"', 'swap "update gate" and "candidate"',
        'swap "reset gate" and "candidate"',
        "swap the letters z and r in `z, r, h`", "swap the letters r and h in `z, r, h`",
    }
    first = next(m for m in found if m.description == 'swap "update gate" and "reset gate"')
    assert "The reset gate and the update gate read the candidate." in first.text


def test_swap_array_names_exchanges_quoted_names_and_changes_an_index():
    found = {m.description: m for m in made("swap-array-names")}
    assert set(found) == {
        "swap `bias` and `bias[0]`", "swap `bias` and `recurrent_kernel`",
        "swap `bias[0]` and `recurrent_kernel`", "`bias[0]` -> `bias[1]`",
    }
    assert "`bias[1]` joins the input" in found["`bias[0]` -> `bias[1]`"].text
    assert "By default `recurrent_kernel` has two rows" in found["swap `bias` and `recurrent_kernel`"].text


def test_swapping_two_items_of_an_unordered_list_is_no_mutant():
    assert made("swap-array-names", text="Use `GRU` or `LSTM`.\n\nSet `kernel`, `bias` and `units`.\n") == []
    [ordered] = made("swap-array-names", text="They come in the order `kernel`, `bias`.\n")
    assert "the order `bias`, `kernel`." in ordered.text
    [claim] = made("swap-array-names", text="`h` is the hidden state and `c` the cell state.\n")
    assert "`c` is the hidden state" in claim.text


def test_swap_array_names_swaps_names_of_one_kind_only():
    """A class with a class, a lower-case name with a lower-case name: swapping `Dense` and
    `keras_to_torch` makes nonsense, not a claim a reader would believe."""
    assert made("swap-array-names", text="Pass `Dense` to `keras_to_torch`.\n") == []
    [classes] = made("swap-array-names", text="`Dense` becomes `nn.Linear` in `torch`.\n")
    assert "`nn.Linear` becomes `Dense` in `torch`" in classes.text
    [names] = made("swap-array-names", text="`kernel` is `Dense`'s and `bias` is added.\n")
    assert "`bias` is `Dense`'s and `kernel` is added" in names.text


def test_number_word_changes_a_count_in_prose_only():
    [mutant] = made("number-word")
    assert mutant.description == '"two" -> "three"' and "has three rows" in mutant.text
    assert made("number-word", text="The `one` and $two$ and {{ one }}.\n") == []
    assert made("number-word", text="The one that is right.\n") == []  # a pronoun
    assert made("number-word", text="Use a small one with a hidden layer, or an ordinary one.\n") == []
    [count] = made("number-word", text="A GRU has one.\n")  # "has one": a count
    assert "A GRU has two." in count.text
    # a compound or an idiom counts nothing: editing its word makes nonsense, not a wrong claim
    assert made("number-word", text="It is one-to-one, on two-moons data, one by one, at first.\n") == []


def test_perturb_equation_perturbs_a_typed_formula():
    found = {m.text.split("\n")[23] for m in made("perturb-equation")}
    for wrong in ["$x_t W - h_{t-1} U + b$", "$h_{t-1} U + b$", "$x_t W + h_{t-1} U$",
                  "$W x_t + h_{t-1} U + b$", "$x_t W + U h_{t-1} + b$"]:
        assert any(wrong in line for line in found), wrong
    regrouped = made("perturb-equation", text="$$\n\\tanh(x W + (r \\odot h) U)\n$$\n")
    assert "\\tanh(x W + (r \\odot h U))" in {m.text.split("\n")[1] for m in regrouped}


def test_perturb_equation_leaves_notation_and_commuting_factors_alone():
    assert made("perturb-equation", text="Symbols $W$, $h_{t-1}$, $4 \\cdot u$ and $p(x) q(y)$.\n") == []


def test_perturb_equation_perturbs_a_formula_a_facts_script_writes_in_python():
    found = {m.description: m for m in made("perturb-equation", SCRIPT_PATH, SCRIPT)}
    assert {"`+` -> `-` in `x @ W + h_prev @ U`", "drop `h_prev @ U` from `x @ W + h_prev @ U`",
            "swap `x` and `W` around `@`"} <= set(found)
    assert 'EQUATION = "W @ x + h_prev @ U"' in found["swap `x` and `W` around `@`"].text
    assert scripts.formula_changes("right-padded") == []  # a word, not a formula


def test_perturb_equation_leaves_the_order_of_a_difference_whose_sign_is_dropped():
    """|a - b| is |b - a|: swapping them inside abs() or a norm is the same formula."""
    swaps = [c[3] for c in scripts.formula_changes("m * (1 - abs(mod(w / m, 2) - 1))")
             + scripts.formula_changes("np.linalg.norm(x - y) / scale")
             if c[3].startswith("swap")]
    assert swaps == ["swap `1` and `abs(mod(w / m, 2) -…` around `-`", "swap `w` and `m` around `/`",
                     "swap `np.linalg.norm(x - …` and `scale` around `/`"]


def test_perturb_equation_regroups_a_product_and_a_quotient_only_where_it_changes_the_value():
    regrouped = [c[3] for c in scripts.formula_changes("p(y | x) * p(x) / p(y)")
                 + scripts.formula_changes("w / m * scale")
                 if c[3].startswith("regroup")]
    assert regrouped == ["regroup `w / m * scale` as `(w / (m * scale))`"]


def test_permute_order_leaves_a_cited_order_excused_on_its_line():
    text = ('COLAH = ("f", "i", "c", "o")  # atlas: allow order-literal: a citation\n'
            'OURS = ("i", "f", "c", "o")\n')
    found = made("permute-order", SCRIPT_PATH, text)
    assert [m.description for m in found] == ['`("i", "f", "c", "o")` rotated']


def test_retarget_link_points_a_link_or_a_question_at_another_heading():
    found = {m.description for m in made("retarget-link")}
    assert found == {"[the rows](#bias-rows) -> #proof", "[this](#proof) -> #bias-rows",
                     "[every GRU](#proof) -> #bias-rows", "question's at: bias-rows -> proof"}


def test_retarget_link_reads_the_page_a_link_points_to():
    other = "# Other\n\n## A { #a }\n\n## B { #b }\n"
    text = "See [there](../lstm/other.md#a).\n"
    [mutant] = mutants_of("docs/rnn/x.md", text, [OPERATORS["retarget-link"]],
                          read={"docs/lstm/other.md": other}.get)
    assert mutant.text == "See [there](../lstm/other.md#b).\n"


def test_weaken_doctest_checks_only_that_the_value_is_there():
    [mutant] = made("weaken-doctest")
    assert ">>> keras.layers.GRU(4).units is not None\nTrue\n>>> print(\"x\")\nx\n" in mutant.text
    assert mutant.line == 29


def test_flip_comparison_flips_logic_but_not_the_checks_themselves():
    [mutant] = made("flip-comparison", SCRIPT_PATH, SCRIPT)
    assert "if len(order) > 4:" in mutant.text and "assert len(order) == 3" in mutant.text


def test_invert_ratio():
    [mutant] = made("invert-ratio", SCRIPT_PATH, SCRIPT)
    assert "return b / a" in mutant.text


def test_invert_ratio_leaves_a_path_join():
    joins = 'CACHE = Path(os.environ.get("X", "~")) / "weight-atlas"\nFILE = ROOT / "facts" / name\n'
    assert made("invert-ratio", SCRIPT_PATH, joins) == []


def test_permute_order_rotates_a_proven_order_and_a_literal_order():
    found = made("permute-order", SCRIPT_PATH, SCRIPT)
    assert len(found) == 2
    texts = "\n".join(m.text for m in found)
    assert 'ORDER = ("r", "h", "z")' in texts
    assert "order = (gru_gate_order.proven_order[1:] + gru_gate_order.proven_order[:1])" in texts
    assert made("permute-order", SCRIPT_PATH,
                'import itertools\nfor o in itertools.permutations("ifco"):\n    pass\n') == []
    # A proven order read as a set: its rotation reaches nothing (an equivalent mutant).
    assert made("permute-order", SCRIPT_PATH,
                "every = itertools.permutations(proof.proven_order)\nletters = {*proof.proven_order}\n") == []


def test_weaken_assert_keeps_the_values_and_drops_the_claim():
    found = "\n".join(m.text for m in made("weaken-assert", SCRIPT_PATH, SCRIPT))
    assert "    assert np.shape(ratio(1, 2)) == np.shape(0.5)\n" in found
    assert "    assert len(str(len(order))) > 0\n" in found


def test_swap_dict_values_exchanges_two_facts():
    found = {m.description: m for m in made("swap-dict-values", SCRIPT_PATH, SCRIPT)}
    assert set(found) == {'swap the values of "gate_order" and "n_gates"',
                          'swap the values of "n_gates" and "units"'}
    assert '{"gate_order": len(order), "n_gates": ", ".join(order)' in \
        found['swap the values of "gate_order" and "n_gates"'].text


def test_generalise_makes_a_hedge_universal_and_drops_a_proof_link():
    found = {m.description: m for m in made("generalise")}
    assert set(found) == {'"Most" -> "All"', "the proof link of [every GRU] dropped"}
    assert "All layers keep it" in found['"Most" -> "All"'].text
    assert "[every GRU](#proof) does" in found["the proof link of [every GRU] dropped"].text
    assert made("generalise", text="A many-to-one model.\n") == []  # a name, not a hedge
    # A mark that covers no general word: without it the link claims less, not more.
    assert made("generalise", text="See [why the rows differ](#rows){ .proof }.\n") == []
    [dropped] = made("generalise", text="It holds for all: [see why](#rows){ .proof }.\n")
    assert "[see why](#rows)." in dropped.text


def every_sample_mutant():
    return [*mutants_of(PAGE_PATH, PAGE, read=lambda other: None), *mutants_of(SCRIPT_PATH, SCRIPT)]


def test_every_operator_is_tried_on_the_samples():
    assert {m.operator for m in every_sample_mutant()} == set(OPERATORS)


@pytest.mark.parametrize("mutant", every_sample_mutant(), ids=str)
def test_a_mutant_changes_its_file_at_its_line_and_code_still_parses(mutant):
    original = PAGE if mutant.path == PAGE_PATH else SCRIPT
    assert mutant.text != original
    first_change = next(n for n, (a, b) in enumerate(
        zip(original.split("\n") + [None], mutant.text.split("\n") + [None]), 1) if a != b)
    assert mutant.line == first_change
    assert "\n" not in mutant.description
    if mutant.path.endswith(".py"):
        ast.parse(mutant.text)


@pytest.fixture(scope="module")
def project():
    return project_mutants()


# Operators whose targets a rule forbids in the project: they find work only in an edit that
# breaks that rule, which the rule then names (tests/test_wrong_edits.py applies them).
FORBIDDEN_BY_A_RULE = {"swap-table-rows": "table-whole", "number-word": "number-word",
                       "swap-gate-names": "gate-relation",
                       "swap-array-names": "array-mapping, name-relation and indexed-code"}


def test_every_operator_finds_work_on_the_real_project(project):
    counts = collections.Counter(m.operator for m in project)
    idle = [name for name in OPERATORS if not counts[name] and name not in FORBIDDEN_BY_A_RULE]
    assert not idle, counts


def test_no_mutant_of_the_real_project_is_a_no_op_or_made_twice(project):
    by_file = collections.defaultdict(list)
    for mutant in project:
        by_file[mutant.path].append(mutant)
    for path, found in by_file.items():
        original = (ROOT / path).read_text(encoding="utf-8")
        assert len({m.text for m in found}) == len(found), f"{path}: the same edit twice"
        assert original not in {m.text for m in found}, f"{path}: a no-op"


def test_the_sample_is_fixed_by_its_seed_and_spreads_over_the_operators(project):
    first, again = sample(project, SAMPLE, 0), sample(project, SAMPLE, 0)
    assert [str(m) for m in first] == [str(m) for m in again]
    # two of each: every operator measured, but those whose targets a rule forbids
    assert {m.operator for m in first} == set(OPERATORS) - set(FORBIDDEN_BY_A_RULE)
    assert [str(m) for m in sample(project, SAMPLE, 1)] != [str(m) for m in first]


def test_each_file_maps_to_the_tests_it_can_affect():
    exists = lambda target: target != "tests/not_written_yet.py"  # noqa: E731 - a missing file
    assert runs_for("docs/rnn/gru.md", exists) == [
        ["tests/test_facts.py", "tests/test_pages.py", "tests/test_rules.py",
         "tests/test_claims_cannot_be_hollowed.py", "-k", "docs/rnn/gru.md or not docs/"],
        ["docs/rnn/gru.md"],
        ["tests/test_issue20_gru_convert.py"],  # its topic's corrected claims, last
    ]
    # A script's checks are compared with their record first: a second, without running it.
    for script in ("facts/rnn/units_and_shapes.py", "diagrams/lstm/fig_cell.py", "snippets/rnn/gru_layout.py"):
        assert runs_for(script, exists)[0] == ["tests/test_rules.py", "-k", "recorded"]
    assert runs_for("facts/rnn/units_and_shapes.py", exists)[1][-2:] == [
        "-k", "docs/rnn/units-and-shapes.md or not docs/"]
    assert runs_for("facts/_tables.py", exists)[1][-1] == "docs/ or not docs/"  # every page
    assert runs_for("diagrams/lstm/fig_cell.py", exists)[-2] == ["tests/test_diagrams.py", "-k", "lstm/fig_cell.py"]
    assert runs_for("snippets/rnn/gru_layout.py", exists)[1] == ["tests/test_snippets.py", "-k", "rnn/gru_layout.py"]
    assert runs_for("engine/page.py", exists) == []


def test_a_failed_run_names_its_failing_tests():
    output = ("F.\n=========================== short test summary info ============================\n"
              "FAILED tests/test_facts.py::test_x[docs/rnn/gru.md] - AssertionError: wrong\n"
              "ERROR docs/rnn/gru.md::line:12,column:1\n1 failed, 1 error in 2.00s\n")
    assert failures(output, 1) == {"tests/test_facts.py::test_x[docs/rnn/gru.md]": "AssertionError: wrong",
                                   "docs/rnn/gru.md::line:12,column:1": ""}
    assert list(failures("Interrupted: internal error\n", 3)) == ["<pytest exit 3>"]


def test_page_operators_read_the_page_through_the_shared_model():
    """A sentence, a table, a link: the same parts the build and the rules read."""
    assert pages.parts(PAGE).page.tables[0].rows[0][0] == 19


def test_the_screen_kills_a_weakened_assert_by_the_rule_its_test_runs():
    """tests/mutate/screen.py: a rule on the mutant's own file, against the unmutated file."""
    from engine.problems import RULES
    from tests import recorded_checks  # noqa: F401  (registers the rule)
    from tests.mutate.screen import first_new

    path = "snippets/rnn/gru_layout.py"
    weakened = next(m for m in mutants_of(path, (ROOT / path).read_text(encoding="utf-8"))
                    if m.operator == "weaken-assert")
    rules, context = [RULES["recorded-check"]], {"root": ROOT}
    found = first_new(rules, weakened, context, {})
    assert found and found[0] == "recorded-check"
    unchanged = dataclasses.replace(weakened, text=(ROOT / path).read_text(encoding="utf-8"))
    assert first_new(rules, unchanged, context, {}) is None  # its problems, if any, are not new


def test_each_documented_equivalent_says_why_and_names_a_mutant_the_project_makes(project):
    """tests/mutate/equivalents.txt lists survivors the summary sets apart: each must give
    its reason and still name a mutant of the project, or it would excuse nothing."""
    from tests.mutate.__main__ import equivalents

    made = {f"{m.path}: {m.operator}: {m.description}" for m in project}
    known = equivalents()
    assert known and all(len(why) > 20 for why in known.values())
    assert set(known) <= made, set(known) - made
