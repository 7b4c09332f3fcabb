"""Facts on pages come from code: each placeholder names a computed fact, each fact is shown,
and no number or order is typed into prose where a fact belongs.
"""
import pytest

from engine import facts as engine_facts
from engine._runner import FACTS, discover, render_all
from tests.project import DOCS, ROOT, code_blocks, pages, where
from tests.prose import typed_facts

PAGE_IDS = [page.relative_to(ROOT).as_posix() for page in pages()]


@pytest.fixture(scope="module")
def facts():
    """Every facts script's values, computed (or read from the cache) as the build does."""
    return engine_facts.load(render_all().facts)


def page_name(page):
    return page.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("page", pages(), ids=PAGE_IDS)
def test_every_placeholder_names_a_computed_fact(page, facts):
    try:
        engine_facts.substitute(page.read_text(encoding="utf-8"), page_name(page), facts)
    except engine_facts.UnknownFact as error:
        pytest.fail(str(error))


def test_every_fact_is_shown_by_a_page(facts):
    shown = set()
    for page in pages():
        shown |= engine_facts.used_names(page.read_text(encoding="utf-8"), page_name(page))
    unused = [
        f"facts/{name}.py: {key!r} is shown by no page"
        for name, values in facts.items() for key in values if (name, key) not in shown
    ]
    assert not unused, "\n".join(unused)


def test_every_facts_script_belongs_to_a_page():
    """facts/<topic>/<page_name>.py feeds docs/<topic>/<page-name>.md; a script without one
    is an orphan."""
    fed = {engine_facts.facts_name_of(page_name(page)) for page in pages()}
    orphans = [where(product.script) for product in discover([FACTS]) if product.name not in fed]
    assert not orphans, f"facts scripts with no page of the same name: {orphans}"


@pytest.mark.parametrize("page", pages(), ids=PAGE_IDS)
def test_no_placeholder_inside_a_code_block(page):
    """Code blocks are run as written (doctests, snippets): a placeholder there is never filled."""
    inside = [
        where(block.page, block.line) for block in code_blocks(page)
        if engine_facts.PLACEHOLDER.search(block.source)
    ]
    assert not inside, f"placeholders in code blocks: {inside}"


@pytest.mark.parametrize("sentence, caught", [
    ("The order is i, c, f, o.", "i, c, f, o"),
    ("Gates: input gate, forget gate, cell candidate.", "input gate, forget gate, cell candidate"),
    ("It has 12 blocks.", "12"),
    ("Here `kernel` is `(120, 480)`.", "(120, 480)"),
    ("Notation `<1x(4u)>`.", "<1x(4u)>"),
    ("With $4 \\cdot u$ columns.", "4"),
])
def test_a_typed_fact_in_prose_is_caught(sentence, caught):
    typed = typed_facts(f"# Page\n\n{sentence}\n", quotable="kernel = (120, 480)")
    assert [t.text for t in typed] == [caught] and typed[0].line == 3


@pytest.mark.parametrize("sentence", [
    "The order is **{{ gate_order }}**; see `weight_ih_l0` and $h_{t-1}$.",
    "Keras 3 and Keras 2 both call it `units`.",
    "Columns `units + j` of [the table](page.md#id-2).",
    "```python\nx = 12\n```",
])
def test_explanation_and_quoted_code_are_not_typed_facts(sentence):
    assert typed_facts(f"# Page\n\n{sentence}\n", quotable="columns = units + j") == []


def test_a_whole_term_is_all_of_an_argument_not_one_of_its_summands():
    """checked_term(..., whole=True) is what a page calls "the pre-activation": dropping a
    summand leaves a piece of the equation, which a plain term check would still find."""
    from facts._formulas import checked_term

    forget = [("f", "sigmoid(x @ W_f + h_prev @ U_f + b_f)")]
    assert checked_term("x @ W_f + h_prev @ U_f + b_f", forget, whole=True) == "x_t W_f + h_{t-1} U_f + b_f"
    assert checked_term("b_f", forget) == "b_f"  # a piece, as a term
    with pytest.raises(AssertionError, match="none of the checked equations"):
        checked_term("b_f", forget, whole=True)
    with pytest.raises(AssertionError, match="none of the checked equations"):
        checked_term("h_prev @ U_f + b_f", forget, whole=True)
