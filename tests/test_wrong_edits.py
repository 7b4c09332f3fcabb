"""The wrong edits that once passed the whole suite now fail it, on any page.

Issue 19 listed realistic mistakes that left every test green: a count in words, gate names
in a row, a swapped mapping, look-alike placeholders, a typed table around computed cells, a
typed equation, a retargeted link, a hollowed doctest, a typed order in a figure... Each is
applied here to every page (or every figure script) it fits, and the named rule that catches
it must report it at the line of the edit.
"""
import re

import pytest

from engine.page import Page
from engine.problems import RULES
from tests import claims, external_links, meaning, prose, question_targets, rules  # noqa: F401  (they register their rules)
from tests.project import ROOT, facts_scripts, figure_scripts, pages, snippet_files, where

PAGES = pages()
IDS = [where(page) for page in PAGES]

# (rule that must catch it, the wrong sentence appended at the end of a page)
WRONG_SENTENCES = {
    "a count in words": ("count-word", "With `reset_after=False`, `bias` has three rows, one per gate."),
    "a multiplier in words": ("count-word", "Keras' docstring describes the default twice."),
    "a position in words": ("ordinal-word", "The first argument of `keras.layers.LSTM` is `units`."),
    "a value in words": ("zero-word", "ReLU maps every negative input to zero."),
    "a count of modules in words": ("count-word", "A stack of layers becomes one module."),
    "a count around inline code": ("count-word", "The layer holds one `LSTMCell` object, one per timestep."),
    "a position around inline code": ("ordinal-word", "Its first `Linear` layer ignores the input."),
    "a layout in words": ("number-word", "Keras' recurrent layers put the batch first."),
    "a value in words, other than zero": ("number-word", "Keras starts the forget-gate bias at one."),
    "a relation in words": ("number-word", "PyTorch adds the two, so a single bias would do."),
    "two states named in typed words": ("array-mapping", "`h` is the final hidden state and `c` the cell state."),
    "two sizes named in typed words": ("array-mapping", "`kernel` has `units` rows and `input_dim` columns."),
    "two classes related in typed words": ("name-relation", "`nn.LSTM` has the projection; `nn.GRU` refuses it."),
    "two arguments related in typed words": ("name-relation", "`return_state` adds the states to what `return_sequences` returns."),
    "a layer index in a name": ("indexed-code", "Put the whole bias in `bias_ih_l1`, the simplest split."),
    "two gates related in words": ("gate-relation", "In a GRU, the reset gate scales the candidate's recurrent part."),
    "gate names in a row": ("gate-sequence", "Keras computes the update gate, reset gate, and the candidate."),
    "a mapping in inline code": ("indexed-code", "Keras' `bias[1]` goes to `bias_ih_l0`."),
    "a typed equation": ("typed-math", "The candidate is $\\tanh(x_t W_h + (r_t \\odot h_{t-1}) U_h) + b_h$."),
    "a statistic by hand": ("statistic-word", "Accuracy {{ accuracy }}, the median over the seeds."),
    "a typed gate order": ("typed-fact", "The order is i, c, f, o."),
    # issue 20: a claim wider than its proof
    "a universal word without its proof": (
        "universal-word", "A zero gradient leaves a zero weight at zero with every optimizer."),
    "a general link without its proof mark": ("proof-mark", "The shapes hold for [each configuration](#grid)."),
    "a GPU claim not marked unchecked": ("unchecked-claim", "With cuDNN the layer runs faster."),
}
TYPED_TABLE = ("| where the bias goes | largest difference |\n| --- | --- |\n"
               "| inside the reset gate | {{ right_error }} |\n| summed | {{ summed_error }} |")
HOLLOW_DOCTEST = "```pycon\n>>> import keras\n>>> keras.layers.Dense(3).count_params() >= 0\nTrue\n```"


def appended(text: str, addition: str) -> tuple[str, int]:
    """The page with `addition` as a last paragraph, and the line it starts on."""
    text = text.rstrip("\n") + "\n\n"
    return text + addition + "\n", text.count("\n") + 1


def caught(rule_name: str, text: str, path: str, line: int, **context) -> list:
    return [problem for problem in RULES[rule_name](text, path, **context) if problem.line >= line]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
@pytest.mark.parametrize("example", sorted(WRONG_SENTENCES))
def test_a_wrong_sentence_is_caught_on_any_page(example, page):
    rule_name, sentence = WRONG_SENTENCES[example]
    text, line = appended(page.read_text(encoding="utf-8"), sentence)
    assert caught(rule_name, text, where(page), line), f"{where(page)}: {example} passes [{rule_name}]"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_wrong_word_in_the_front_matter_is_caught(page):
    """Descriptions and question answers are prose: the index and link previews show them."""
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        pytest.skip("no front matter")  # every page has one today; CI fails a skip
    text = text.replace("---\n", "---\ndescription_note: 'a bias of three rows'\n", 1)
    assert caught("count-word", text, where(page), 2)


ASKED = [page for page in PAGES if "\nquestions:\n" in page.read_text(encoding="utf-8")]


@pytest.mark.parametrize("page", ASKED, ids=[where(page) for page in ASKED])
def test_an_error_question_with_its_names_swapped_is_caught(page):
    """A question a reader pastes from a traceback quotes the library's words, not ours."""
    text = page.read_text(encoding="utf-8")
    question = ('  - q: "RuntimeError: `torch.linalg.solve` is deprecated in favor of `torch.solve`"\n'
                '    a: "Swap them."\n    at: nowhere\n')
    text = text.replace("\nquestions:\n", "\nquestions:\n" + question, 1)
    assert caught("quoted-error", text, where(page), 1)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_table_of_typed_rows_around_computed_values_is_caught(page):
    text, line = appended(page.read_text(encoding="utf-8"), TYPED_TABLE)
    assert caught("table-whole", text, where(page), line)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_look_alike_placeholders_in_one_sentence_are_caught(page):
    """A caption whose `{{ units }}` and `{{ timesteps }}` could change places."""
    name = page.relative_to(ROOT / "docs").with_suffix("").as_posix().replace("-", "_")
    facts = {name: {"units": "5", "timesteps": "3"}}
    text, line = appended(page.read_text(encoding="utf-8"),
                          "An `LSTM(units={{ units }})` over {{ timesteps }} timesteps.")
    assert caught("swappable-placeholders", text, where(page), line, facts=facts)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_hollowed_doctest_is_caught(page):
    text, line = appended(page.read_text(encoding="utf-8"), HOLLOW_DOCTEST)
    assert caught("bare-bool-doctest", text, where(page), line)


def retargeted(page: Page):
    """Each link to an anchor, pointed at every other heading of its target page."""
    for link in page.links:
        target = meaning._target_page(link, page.path, ROOT)
        if not link.anchor or target is None:
            continue
        target = page if target == "self" else target
        if link.anchor not in target.heading_ids:
            continue
        for other in target.headings:
            if other.id and other.id != link.anchor and other.level > 1:
                yield link, other.id


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_a_link_retargeted_to_another_real_anchor_is_caught(page):
    text = page.read_text(encoding="utf-8")
    wrong_already = {problem.line for problem in RULES["link-target"](text, where(page))}
    missed = []
    for link, anchor in retargeted(Page(text, where(page))):
        if link.line in wrong_already:
            continue  # tests/test_rules.py reports it
        wrong = text[:link.start] + text[link.start:link.end].replace(f"#{link.anchor})", f"#{anchor})") \
            + text[link.end:]
        if not caught("link-target", wrong, where(page), link.line):
            missed.append(f"{where(page, link.line)}: [{link.text}] -> #{anchor}")
    assert not missed, "retargeted links that pass:\n" + "\n".join(missed)


@pytest.mark.parametrize("script", figure_scripts(), ids=[where(s) for s in figure_scripts()])
def test_a_typed_order_in_a_figure_is_caught(script):
    text = script.read_text(encoding="utf-8")
    wrong = re.sub(r"^def make_figure\(.*\).*:$", lambda m: m.group() + '\n    order = tuple("zrn")',
                   text, count=1, flags=re.MULTILINE)
    assert wrong != text
    assert RULES["order-literal"](wrong, where(script))


def test_a_figure_drawing_a_permutation_of_the_proven_order_fails():
    """diagrams/_proof.accepted: the order a figure draws is one its proof measured agreeing
    with the library, so a permutation fails the render. The proof here is a real one's
    measurements (a dict of orders to errors), without importing TensorFlow."""
    from types import SimpleNamespace

    from diagrams._proof import accepted

    proof = SimpleNamespace(__name__="gate_order", proven_order=tuple("ifco"),
                            max_error={"ifco": 2e-7, "fico": 0.4, "cfio": 0.3})
    assert accepted(("i", "f", "c", "o"), proof) == tuple("ifco")
    with pytest.raises(AssertionError, match="measured 0.3"):
        accepted(tuple("cfio"), proof)
    with pytest.raises(AssertionError, match="never"):
        accepted(tuple("zrn"), proof)


def weakened_checks(text: str):
    """(line, text with that one check hollowed) for each check of a script: the whole
    statement, however many lines it takes, becomes one that cannot fail."""
    import ast

    from tests.recorded_checks import is_check
    lines = text.split("\n")
    for node in ast.walk(ast.parse(text)):
        if is_check(node):
            indent = re.match(r"\s*", lines[node.lineno - 1]).group()
            hollow = f"{indent}assert len(str({node.lineno})) > 0"
            yield node.lineno, "\n".join([*lines[:node.lineno - 1], hollow, *lines[node.end_lineno:]])


SCRIPTS = sorted({*figure_scripts(), *facts_scripts(), *snippet_files()})


@pytest.mark.parametrize("script", SCRIPTS, ids=[where(s) for s in SCRIPTS])
def test_a_weakened_check_in_any_script_is_caught(script):
    """Each check of the script, hollowed in turn, is reported at its line (the record,
    tests/recorded_checks.py): a claim cannot be weakened without the record changing too."""
    from tests import recorded_checks  # noqa: F401  (registers its rule)
    text, missed = script.read_text(encoding="utf-8"), []
    for line, wrong in weakened_checks(text):
        if not any(problem.line == line for problem in RULES["recorded-check"](wrong, where(script), root=ROOT)):
            missed.append(where(script, line))
    assert not missed, "weakened checks that pass:\n" + "\n".join(missed)


QUESTION_PAGES = [page for page in PAGES if "\nquestions:" in page.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def facts():
    from engine import facts as engine_facts
    from engine._runner import render_all
    return engine_facts.load(render_all().facts)


@pytest.mark.parametrize("page", QUESTION_PAGES, ids=[where(page) for page in QUESTION_PAGES])
def test_a_question_pointed_at_the_wrong_section_is_caught(page, facts):
    """Each question's `at:` moved to the section of its page that fits it least (rule
    question-target), on any page with questions."""
    from tests.question_targets import at_line, rendered, similarities
    text, name = page.read_text(encoding="utf-8"), where(page)
    model, read = Page(text, name), rendered(text, name, facts)
    lines, missed = text.split("\n"), []
    for number, entry in enumerate(model.questions):
        line = at_line(model, number)
        worst = [name for _, name in similarities(read, f"{entry['q']} {entry['a']}", ROOT)
                 if name != entry["at"]][-1]
        wrong = "\n".join([*lines[:line - 1], re.sub(r"at:\s*\S+.*", f"at: {worst}", lines[line - 1]),
                           *lines[line:]])
        if not caught("question-target", wrong, name, line, facts=facts, root=ROOT):
            missed.append(f"{where(page, line)}: #{entry['at']} -> #{worst}")
    assert not missed, "questions retargeted that pass:\n" + "\n".join(missed)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_two_documentation_links_with_their_names_swapped_are_caught(page):
    """Each pair of neighbouring links to documentation, their code names exchanged (rule
    external-link-text), on any page that has two."""
    from tests.external_links import CODE_LINK
    text, missed = page.read_text(encoding="utf-8"), []
    links = list(CODE_LINK.finditer(text))
    for first, second in zip(links, links[1:]):
        if first["name"] == second["name"]:
            continue
        wrong = (text[:first.start("name")] + second["name"] + text[first.end("name"):second.start("name")]
                 + first["name"] + text[second.end("name"):])
        line = text.count("\n", 0, first.start()) + 1
        if not caught("external-link-text", wrong, where(page), line):
            missed.append(f"{where(page, line)}: {first['name']} <-> {second['name']}")
    assert not missed, "swapped documentation links that pass:\n" + "\n".join(missed)


def named_pairs(text: str) -> list:
    """Neighbouring entries of make_facts()' dict whose expressions each name their own fact
    and not the other: the pairs a swap of which fact-expression must catch."""
    import ast

    from tests import fact_expressions as fx
    return [(a, b) for entries in fx.returned_entries(ast.parse(text), text) for a, b in zip(entries, entries[1:])
            if fx.key_words(a[0]) & fx.expression_words(a[1]) - fx.expression_words(b[1])
            and fx.key_words(b[0]) & fx.expression_words(b[1]) - fx.expression_words(a[1])]


NAMED_FACTS = [s for s in facts_scripts() if named_pairs(s.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("script", NAMED_FACTS, ids=[where(s) for s in NAMED_FACTS])
def test_two_facts_values_swapped_are_caught(script):
    """In every facts script, two neighbouring facts whose expressions each name their own
    fact, their values exchanged (rule fact-expression): the page would print each in the
    other's place."""
    text, missed = script.read_text(encoding="utf-8"), []
    for (key_a, _, source_a, line), (key_b, _, source_b, _) in named_pairs(text):
        start = text.index(source_a, text.index(f'"{key_a}":') + len(key_a) + 3)
        end = text.index(source_b, text.index(f'"{key_b}":') + len(key_b) + 3)
        wrong = text[:start] + source_b + text[start + len(source_a):end] + source_a + text[end + len(source_b):]
        if not caught("fact-expression", wrong, where(script), line):
            missed.append(f"{where(script, line)}: {key_a} <-> {key_b}")
    assert not missed, "swapped facts that pass:\n" + "\n".join(missed)


# The operators whose targets rules forbid (tests/test_mutate.py FORBIDDEN_BY_A_RULE): each
# reads what its rules read, so on a page that passes them it finds nothing to edit, and each
# edit it could make of a sentence appended to any page is on a line the rules report.
FORBIDDING_RULES = {
    "number-word": (("count-word", "ordinal-word", "zero-word", "number-word"),
                    "Keras puts the batch first; PyTorch adds the two biases, and a single one "
                    "would do, since the forget rows start at one."),
    "swap-gate-names": (("gate-relation", "gate-sequence"),
                        "The reset gate scales the candidate's recurrent part; the update gate mixes."),
    "swap-array-names": (("array-mapping", "name-relation", "indexed-code"),
                         "`nn.LSTM` has the projection and `nn.GRU` refuses it; `return_state` "
                         "adds to `return_sequences`; `h` is the hidden state, `c` the cell's."),
}


@pytest.mark.parametrize("operator", sorted(FORBIDDING_RULES))
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_edit_of_an_operator_a_rule_forbids_is_caught(page, operator):
    from tests.mutate.operators import OPERATORS

    rules, sentence = FORBIDDING_RULES[operator]
    text, line = appended(page.read_text(encoding="utf-8"), sentence)
    flagged = {problem.line for name in rules for problem in RULES[name](text, where(page))}
    edited = OPERATORS[operator].function(where(page), text)
    assert edited and all(m.line in flagged for m in edited)
    assert not [m for m in edited if m.line < line], f"{operator} edits the page itself"
