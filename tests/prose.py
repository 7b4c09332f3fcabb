"""A page's prose, and the facts typed into it that should come from code.

Prose is what a reader sees that is not a code block: sentences, headings, table cells,
captions, math. Numbers and orders there come from `{{ fact }}` placeholders (see
engine/facts.py); inline code that holds a number must quote code that the page runs.
"""
import dataclasses
import re

from engine.facts import ANY_PLACEHOLDER
from engine.page import Page, blank, page_of
from engine.problems import Problem, rule

# Any `{{ ... }}`, well formed or not: never prose (engine/facts.py rejects a malformed one).
PLACEHOLDER = ANY_PLACEHOLDER
INLINE_CODE = re.compile(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
# Digits that are notation, not data: the previous timestep, and a library's generation
# name without a version ("Keras 3"; a typed version is caught by another rule).
NOTATION = [
    re.compile(r"\bt\s*-\s*1\b"),
    re.compile(r"\b(?:Keras|PyTorch|NumPy|TensorFlow) \d\b(?!\.\d)"),
]
# A number is digits not inside an identifier: `1x` and `4u` count, `weight_ih_l0` does not.
NUMBER = re.compile(r"(?<![A-Za-z_.\\\d])\d+(?:\.\d+)?")

# Inline code that is only data (a shape, a number, a slice), with no name around it: it
# quotes no code, so a snippet that happens to hold the same text cannot vouch for it.
BARE_DATA = re.compile(r"[\d\s(),.:\[\]*+\-x]+\Z")

GATE_LETTER = r"(?:[ifcgozrh]|c̃|\\tilde\{c\})"
GATE_NAME = r"(?:input gate|forget gate|cell candidate|output gate|update gate|reset gate)"
TYPED_ORDER = re.compile(
    rf"(?<![\w\\]){GATE_LETTER}(?:\s*,\s*{GATE_LETTER}){{2,}}(?![\w])|{GATE_NAME}(?:\s*,\s*(?:and\s+)?{GATE_NAME}){{2,}}"
)


@dataclasses.dataclass
class Typed:
    line: int
    text: str
    why: str


def prose_of(page_text: str) -> str:
    """What a reader sees as text, front matter included (its description is the page's
    summary in search results and link previews), as the page model reads it
    (engine/page.py), with placeholders and link targets blanked."""
    return blank(page_of(page_text).prose, PLACEHOLDER)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def typed_facts(page_text: str, quotable: str) -> list[Typed]:
    """Numbers and orders typed into prose; inline code with a digit that `quotable` (the
    code the page runs) does not contain."""
    text = prose_of(page_text)
    found = []
    for match in INLINE_CODE.finditer(text):
        code = match["code"].strip()
        if not NUMBER.search(code):
            continue
        if BARE_DATA.match(code):
            found.append(Typed(line_of(text, match.start()), code,
                               "a value typed by hand: use a {{ fact }} computed by code"))
        elif code not in quotable:
            found.append(Typed(line_of(text, match.start()), code,
                               "inline code with a number that no code on the page runs"))
    for match in TYPED_ORDER.finditer(text):  # inline code too: `[i, f, c, o]` is typed
        found.append(Typed(line_of(text, match.start()), match.group(),
                           "an order typed by hand: use the fact that the proof computes"))
    text = blank(text, INLINE_CODE)
    for pattern in NOTATION:
        text = blank(text, pattern)
    for match in NUMBER.finditer(text):
        found.append(Typed(line_of(text, match.start()), match.group(),
                           "a number typed by hand: use a {{ fact }} computed by code"))
    return sorted(found, key=lambda typed: typed.line)


def quotable_code(page: Page, root) -> str:
    """The code a page runs: its doctests and every snippet file it includes."""
    texts = [block.source for block in page.blocks]
    for include in page.includes:
        path = root / include.path
        if path.is_relative_to(root / "snippets") and path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


@rule("typed-fact",
      good="The order is **{{ gate_order }}**; see `weight_ih_l0` and $h_{t-1}$.",
      bad="It has 12 blocks, in the order i, c, f, o; the kernel is `(120, 480)`.")
def typed_fact(text: str, path: str):
    """A number or a gate order typed into prose, or inline code with a number that no code
    on the page runs, is a fact typed by hand: write a `{{ fact }}`."""
    from tests.project import ROOT

    for typed in typed_facts(text, quotable_code(page_of(text, path), ROOT)):
        yield Problem(path, typed.line, "typed-fact", f"{typed.text!r}: {typed.why}")
