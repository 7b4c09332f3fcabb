"""Rules that tie a page's *words* to the code that proves them, not only its numbers.

A count in words, a gate order in any naming, which array maps to which, a table that pairs
labels with values, two values that could trade places, and an equation: each is a claim
about a library, so each comes from a fact (`{{ name }}`, computed and checked by
facts/<topic>/<page>.py), never typed. Each rule is registered with a good and a bad example
(engine/problems.py); tests/test_rules.py runs them over every page.
"""
import functools
import keyword
import re

from engine.page import INLINE_CODE, Page, blank, page_of
from engine.problems import Problem, rule

NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|single|double|"
                "triple|dozen|pair")
MULTIPLIERS = r"twice|thrice|three times|four times|half as many|double the|triple the"
# What a library has, holds or computes: a count of these is a fact about it.
LIBRARY_NOUNS = (
    r"rows?|columns?|arrays?|gates?|bias(?:es)?|blocks?|weights?|matri(?:x|ces)|parameters?|"
    r"units?|timesteps?|steps?|features?|layers?|directions?|states?|outputs?|inputs?|"
    r"tensors?|vectors?|dimensions?|dims?|ax[ie]s|cells?|filters?|channels?|kernels?|"
    r"elements?|entr(?:y|ies)|slices?|heads?|halves|variants?|orders?|products?|sets?|"
    r"numbers?|values?|activations?|operations?|multiplications?|additions?|terms?|"
    r"samples?|classes|seeds?|epochs?|pixels?|neurons?|positions?|places?|sequences?|batch(?:es)?"
)
# Nouns whose count is a claim about a library, a model or a run, though they are not arrays.
COUNTED_NOUNS = (r"modules?|objects?|calls?|arguments?|chunks?|pieces?|windows?|coordinates?|"
                 r"class|digits?|models?|networks?|functions?|stacks?|lines?")
COUNT_WORD = re.compile(
    rf"(?<![\w`{{-])(?P<word>{NUMBER_WORDS})(?:[-\s]+(?!(?:of|or|and|by|to|at)\b)[\w$^{{}}\\]+){{0,2}}?"
    rf"[-\s]+(?P<noun>{LIBRARY_NOUNS}|{COUNTED_NOUNS})\b|(?<![\w`])(?P<multiplier>{MULTIPLIERS})\b",
    re.IGNORECASE,
)


def prose_without_code_and_facts(page: Page) -> str:
    """The page's prose with inline code, placeholders and math blanked: what is left is
    typed by hand."""
    text = blank(page.prose, INLINE_CODE)
    text = blank(text, re.compile(r"\{\{.*?\}\}"))
    return blank(text, MATH)


@rule("count-word",
      good="`bias` has {{ n_bias_rows }} rows; the two colour schemes of the site.",
      bad="With `reset_after=False`, `bias` has three rows, one per gate.")
def count_words(text: str, path: str):
    """A count in words ("three rows", "twice", "a single row") is a fact: write a placeholder."""
    return typed_words(text, path, COUNT_WORD, "count-word",
                       "counts in words what a library does: write it with a {{ fact }} the "
                       "proof computes (facts/_words.py spells numbers)")


def typed_words(text: str, path: str, pattern: re.Pattern, rule_name: str, says: str):
    """A Problem for each match of `pattern` in the page's typed prose (code, placeholders
    and math left out): the words rules count-word, ordinal-word and zero-word look for."""
    page = page_of(text, path)
    prose = prose_without_code_and_facts(page)
    for match in pattern.finditer(prose):
        yield Problem(path, page.line_of(match.start()), rule_name, f"{match.group()!r} {says}")


# Positions a library decides: "the first argument", "the second axis", "the second bias row".
ORDINALS = "first|second|third|fourth|fifth"
POSITION_NOUNS = rf"{LIBRARY_NOUNS}|arguments?|entr(?:y|ies)|coordinates?|half"
ORDINAL_WORD = re.compile(
    rf"(?<![\w`{{-])(?P<word>{ORDINALS})(?:[-\s]+(?!(?:of|per|or|and|by|to|at|the|place)\b)[\w']+)?"
    rf"[-\s]+(?P<noun>{POSITION_NOUNS})\b",
    re.IGNORECASE,
)


@rule("ordinal-word",
      good="The {{ units_position }} argument of `LSTM` is `units`.",
      bad="The first argument of `LSTM` is `units`.")
def ordinal_words(text: str, path: str):
    """A position in words ("the first argument", "the second axis") is a fact: write a placeholder."""
    return typed_words(text, path, ORDINAL_WORD, "ordinal-word",
                       "names in words a position a library decides: write the ordinal with a "
                       "{{ fact }} the proof computes (facts/_words.py ordinal_word)")


# A value in words: what a layer, a gradient or a function returns.
ZERO_WORD = re.compile(r"(?<![\w`{-])zero(?![\w-])", re.IGNORECASE)


@rule("zero-word",
      good="ReLU maps every negative input to {{ relu_of_negatives }}.",
      bad="ReLU maps every negative input to zero.")
def zero_words(text: str, path: str):
    """A value in words ("stays exactly zero", "maps to zero") is a fact: write a placeholder."""
    return typed_words(text, path, ZERO_WORD, "zero-word",
                       "states in words a value the code computes: write it with a {{ fact }} "
                       "the proof computes (facts/_words.py count_word(0))")


# Every other number word: "batch first", "the two add", "at most one", "single except".
# A number word a reader reads is a claim unless it counts nothing: an idiom ("one by one"),
# the pronoun "one" ("the Keras one") or a hyphenated name ("one-to-one", "two-moons").
# tests/mutate/pages.py's number-word operator edits exactly the words this rule reads, so
# each of its mutants on a page that passes is a typed number word, and is caught.
ANY_NUMBER = re.compile(
    r"\b(?:three times|twice|once|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|first|second|third|fourth|single|double)\b", re.IGNORECASE)
# "the one that is right" is a pronoun, not a count.
PRONOUN = re.compile(r"\b(?:the|this|that|which|no|any|every|each|another)\s+$", re.IGNORECASE)
# So is "one" after an article and a modifier, with no noun of its own: "a small one with",
# "an ordinary one.", "the Keras one": "a small two" is nonsense, not a wrong count.
MODIFIED_PRONOUN = re.compile(r"\b(?:a|an|the)\s+[\w'-]+\s+$", re.IGNORECASE)
NO_NOUN_AFTER = re.compile(r"\s*(?:[.,;:)!?]|$|(?:that|which|with|whose|for|in|on|is|was|has)\b)")
# Phrases whose number word counts nothing: "one by one", "in the first place", "one of many".
IDIOM = re.compile(r"\b(?:one by one|one another|one of many|(?:in the )?first place|at first)\b",
                   re.IGNORECASE)
URL = re.compile(r"\b\w+://\S+")


def in_compound(plain: str, start: int, end: int) -> bool:
    """Whether the word at plain[start:end] is part of a hyphenated compound ("one-to-one",
    "many-to-one", "two-moons"): a name, not a count or a hedge."""
    return plain[start - 1:start] == "-" or plain[end:end + 1] == "-"


def counts_nothing(plain: str, start: int, end: int) -> bool:
    """Whether the number word at plain[start:end] is no claim: inside an idiom, the
    pronoun "one", or part of a hyphenated compound."""
    if in_compound(plain, start, end):
        return True
    if any(idiom.start() <= start < idiom.end()
           for idiom in IDIOM.finditer(plain, max(0, start - 20), min(len(plain), end + 20))):
        return True
    if plain[start:end].lower() != "one":
        return False
    return bool(PRONOUN.search(plain[max(0, start - 12):start]) or plain[end:].startswith(" another")
                or (MODIFIED_PRONOUN.search(plain[max(0, start - 40):start])
                    and NO_NOUN_AFTER.match(plain, end)))


def typed_number_words(page: Page):
    """(offset, word) for each number word of the page's typed prose that is a claim."""
    plain = blank(prose_without_code_and_facts(page), URL)
    for match in ANY_NUMBER.finditer(plain):
        if not counts_nothing(plain, *match.span()):
            yield match.start(), match.group()


@rule("number-word",
      good="Keras' recurrent layers put the batch {{ batch_position }}; a one-to-one map.",
      bad="Keras' recurrent layers put the batch first, and the two biases add.")
def number_words(text: str, path: str):
    """Any other number word ("batch first", "the two add", "at most one") is a fact too."""
    page = page_of(text, path)
    prose = prose_without_code_and_facts(page)
    seen = {match.start("word") if match.group("word") else match.start()
            for pattern in (COUNT_WORD, ORDINAL_WORD) for match in pattern.finditer(prose)}
    seen |= {match.start() for match in ZERO_WORD.finditer(prose)}
    for offset, word in typed_number_words(page):
        if offset not in seen:
            yield Problem(path, page.line_of(offset), "number-word",
                          f"{word!r} is a number word in typed prose: a count, a position or a "
                          "value is a claim, so write it with a {{ fact }} (facts/_words.py), or "
                          "say it without a number")


# --- Gate names in a row are an order -----------------------------------------------------

GATE_TERM = (r"(?:(?:the|an?)\s+)?(?:(?:input|forget|output|update|reset|new|cell|candidate)\s+gate"
             r"|(?:cell\s+|hidden\s+)?candidate(?:\s+layer)?|cell\s+input)")
GATE_SEQUENCE = re.compile(
    rf"{GATE_TERM}(?:\s*\$[^$]*\$)?(?:\s*(?:,|\band\b|\bthen\b|->|→|,\s*and|,\s*then)\s*{GATE_TERM}"
    rf"(?:\s*\$[^$]*\$)?){{1,}}",
    re.IGNORECASE,
)


@rule("gate-sequence",
      good="The gates come in the order {{ gate_order_names }}.",
      bad="Keras computes the update gate, reset gate, and the candidate in that order.")
def gate_sequences(text: str, path: str):
    """Gate names listed one after another, in any naming, are an order: a fact."""
    page = page_of(text, path)
    prose = blank(page.prose, re.compile(r"\{\{.*?\}\}"))
    prose = blank(prose, INLINE_CODE)
    for match in GATE_SEQUENCE.finditer(prose):
        yield Problem(path, page.line_of(match.start()), "gate-sequence",
                      f"{' '.join(match.group().split())!r} lists gates one after another, which "
                      "reads as an order: use the order fact the proof computes (a `*_names` fact)")


# Two gates in one sentence, not as a list: "the reset gate scales the candidate".
GATE_NAMES = re.compile(r"\b(?:input|forget|output|update|reset|cell|new)\s+gate\b|\b(?:cell\s+)?candidate\b",
                        re.IGNORECASE)


@rule("gate-relation",
      good="In a GRU, {{ reset_scaled_part }}.",
      bad="In a GRU, the reset gate scales the candidate's recurrent part.")
def gate_relations(text: str, path: str):
    """A sentence that relates two gates in typed words ("the reset gate scales the
    candidate's recurrent part") says which gate does what to which: a fact, generated by the
    code that proves it, so a swap of the two names is caught. A list is gate-sequence's."""
    page = page_of(text, path)
    prose = prose_without_code_and_facts(page)
    listed = [match.span() for match in GATE_SEQUENCE.finditer(prose)]
    for sentence in page.sentences:
        end = sentence.start + len(sentence.text)
        names = [m for m in GATE_NAMES.finditer(prose, sentence.start, end)
                 if not any(a <= m.start() < b for a, b in listed)]
        kinds = {re.sub(r"\s+", " ", m.group().lower()).removeprefix("cell ") for m in names}
        if len(kinds) > 1:
            yield Problem(path, page.line_of(names[0].start()), "gate-relation",
                          f"{names[0].group()!r} and {names[1].group()!r} in one sentence relate two "
                          "gates in typed words: generate the relation from the code that proves it")


# --- Which array maps to which ----------------------------------------------------------

INDEXED = re.compile(r"^[A-Za-z_][\w.]*\s*\[[^\]]*\d[^\]]*\]")
# PyTorch's layer index is part of the name: `bias_hh_l0` is the first layer's, `_l1` the
# second's, so `weight_ih_l1` typed where `weight_ih_l0` is meant passes every other check.
LAYER_INDEXED = re.compile(r"^\w*_l\d+(?:_reverse)?$")


@rule("indexed-code",
      good="The input's bias is {{ input_bias_row }}; `bias` has two parts in `reset_after`.",
      bad="Keras' `bias[1]` goes to `bias_ih_l0`.")
def indexed_code(text: str, path: str):
    """Inline code that picks an index or slice (`bias[0]`, `kernel[:, 0:5]`) or a layer
    (`bias_hh_l0`, `_l1`) says which part is which: a fact, even when a snippet holds the
    same text."""
    page = page_of(text, path)
    prose = blank(page.prose, re.compile(r"\{\{.*?\}\}"))
    for match in INLINE_CODE.finditer(prose):
        if INDEXED.match(match["code"].strip()) or LAYER_INDEXED.match(match["code"].strip()):
            yield Problem(path, page.line_of(match.start()), "indexed-code",
                          f"{match.group()!r} names which part of an array, or which layer's "
                          "array, is which: a swapped index would pass every other check; write "
                          "it with a {{ fact }}")


# --- Tables -----------------------------------------------------------------------------

@rule("table-whole",
      good="{{ placement_table }}\n\n| the one row |\n| --- |\n| `kernel` |\n",
      bad="| placement | error |\n| --- | --- |\n| inside | {{ right_error }} |\n| summed | {{ summed_error }} |\n")
def tables_generated_whole(text: str, path: str):
    """A table pairs labels with values: it is generated whole, labels and values from one
    place, so swapping two rows' labels cannot pass (a table of one row pairs nothing)."""
    page = page_of(text, path)
    for table in page.tables:
        if len(table.rows) >= 2:
            yield Problem(path, table.line, "table-whole",
                          "a typed table: swapping two rows' labels would pass; generate it whole "
                          "in the facts script (facts/_tables.markdown_table) and show it with "
                          "one placeholder, or write it as prose")


# --- Placeholders that could trade places ---------------------------------------------

def skeleton(value: str) -> str:
    """What a value looks like with its particulars removed: numbers become #, single
    letters @, runs of them one. Two placeholders with one skeleton could trade places in a
    sentence and nothing would notice."""
    value = re.sub(r"[-+]?\d+(?:\.\d+(?:e[-+]?\d+)?|e[-+]?\d+)", "#.#", value.strip())  # measured
    value = re.sub(r"(?<![#.\d])\d+(?![.\d])", "#", value)  # counted
    value = re.sub(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", "@", value)
    value = re.sub(r"([#@])(?:[\s,×x*/:–-]+[#@])+", r"\1", value)
    return value


def swappable_pairs(text: str, path: str, facts: dict[str, dict[str, str]]):
    """(sentence line, name, other name) for placeholders of one sentence whose values have
    the same skeleton but differ."""
    from engine import facts as engine_facts

    page = page_of(text, path)
    page_name = path.removeprefix("docs/")
    for sentence in page.sentences:
        names = list(dict.fromkeys(m["name"] for m in engine_facts.PLACEHOLDER.finditer(sentence.text)))
        values = {}
        for name in names:
            try:
                values[name] = engine_facts.lookup(name, page_name, facts)
            except engine_facts.UnknownFact:
                continue
        seen = {}
        for name, value in values.items():
            if "\n" in value:  # a table or a system of equations: generated whole already
                continue
            shape = skeleton(value)
            other = seen.get(shape)
            if other and values[other] != value:
                yield sentence.line, other, name
            seen.setdefault(shape, name)


@rule("swappable-placeholders",
      good="An `LSTM` of {{ units_noun }} over {{ timesteps_noun }}; its bias is {{ bias_shape }}.",
      bad="An `LSTM(units={{ units }})` over {{ timesteps }} timesteps.",
      needs=("facts",),
      example_context={"facts": {"example": {
          "units": "5", "timesteps": "3", "units_noun": "5 units", "timesteps_noun": "3 timesteps",
          "bias_shape": "`(20,)`"}}})
def swappable_placeholders(text: str, path: str, facts):
    """Two placeholders in one sentence whose values look alike (two numbers, two shapes,
    `bias[0]` and `bias[1]`) could trade places unnoticed: render each with its own noun
    ("5 units"), or generate the statement whole."""
    for line, first, second in swappable_pairs(text, path, facts):
        yield Problem(path, line, "swappable-placeholders",
                      f"{{{{ {first} }}}} and {{{{ {second} }}}} look alike, so swapping them "
                      "would pass: let each value carry its own noun, or make the sentence one fact")


# --- Math --------------------------------------------------------------------------------

MATH = re.compile(r"\$\$.*?\$\$|(?<![\\$])\$(?!\s)(?:[^$\n]|\n(?!\s*\n))+?(?<![\s\\])\$", re.DOTALL)
# One symbol: a letter or a command (\tilde{h}, \sigma), with sub- and superscripts.
SYMBOL = re.compile(
    r"\s*(?:\\[a-zA-Z]+\s*(?:\{[^{}]*\})?|[A-Za-z]|\\\{|\\\})"
    r"(?:\s*[_^]\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\[a-zA-Z]+|\w))*\s*\Z"
)


RELATION = re.compile(r"\s*(?:=|\\approx|<|>|\\le|\\ge|\\leq|\\geq)\s*\{\{[^}]*\}\}\s*\Z")


def one_symbol(math: str) -> bool:
    """`W`, `h_{t-1}`, `\\tilde{h}_t`, `W^\\top`; or a symbol and a fact: `z \\approx {{ z }}`."""
    math = RELATION.sub("", math)
    return not math.strip() or bool(SYMBOL.match(math)) or math.strip().startswith("{{") and \
        math.strip().endswith("}}") and math.count("{{") == 1


@rule("typed-math",
      good="The previous state $h_{t-1}$ and the candidate $\\tilde{h}_t$: $${{ equations }}$$",
      bad="The candidate is $\\tanh(x_t W_h + r_t \\odot (h_{t-1} U_h) + b_h)$.")
def typed_math(text: str, path: str):
    """Math with an operator or a function is an equation a facts script evaluates against
    the library (facts/_formulas.py); typed math is one symbol."""
    page = page_of(text, path)
    prose = blank(page.prose, INLINE_CODE)
    for match in MATH.finditer(prose):
        inner = match.group().strip("$")
        if inner and not one_symbol(inner):
            yield Problem(path, page.line_of(match.start()), "typed-math",
                          f"{' '.join(match.group().split())[:70]!r} is typed math with an "
                          "operator: make it a facts equation that is evaluated against the "
                          "library (facts/_formulas.py), or write one symbol")


TEX_COMMAND = re.compile(r"\\[A-Za-z]+")


@rule("math-slot", needs=("facts",),
      good="$$\n{{ count_formula }}\n$$\n\nFor rows of 28 pixels: {{ count_answer }}.",
      bad="$$\n{{ count_answer }}\n$$\n\nFor rows of 28 pixels: {{ count_formula }}.",
      example_context={"facts": {"example": {
          "count_formula": r"u \cdot (d + u) + u", "count_answer": r"$u \cdot (d + u) + u$, that is 20096"}}})
def math_slot(text: str, path: str, facts):
    """A fact stands where it reads as written: in math, a formula with no `$` of its own; in
    prose (and front matter), TeX only inside its own `$...$`. A math fact and a prose fact
    that trade places would show broken math or raw TeX, so each is held to its place."""
    from engine import facts as engine_facts

    page = page_of(text, path)
    spans = [match.span() for match in MATH.finditer(blank(page.prose, INLINE_CODE))]
    for placeholder in page.placeholders:
        try:
            value = blank(engine_facts.lookup(placeholder.name, path.removeprefix("docs/"), facts),
                          INLINE_CODE)
        except engine_facts.UnknownFact:
            continue  # test_facts names an unknown fact
        in_math = any(start < placeholder.start < end for start, end in spans)
        if in_math and "$" in value:
            yield Problem(path, placeholder.line, "math-slot",
                          f"{{{{ {placeholder.name} }}}} stands in math, but its value has math "
                          "delimiters of its own: it is prose; use the formula's own fact")
        elif not in_math and TEX_COMMAND.search(MATH.sub("", value)):
            yield Problem(path, placeholder.line, "math-slot",
                          f"{{{{ {placeholder.name} }}}} stands in prose, but its value has TeX "
                          "outside `$...$`: it belongs in math; use the prose fact, or put it in `$...$`")


# --- Links say where they go ------------------------------------------------------------

STOP_WORDS = frozenset(
    "a an the and or of in on to for from with by at as is are be it its this that these those "
    "what which how why when where who do does not no into than then there their your you see "
    "here more about each every all one".split()
)


def content_words(text: str) -> set[str]:
    """Lower-case words without stop words, markup or plural endings: what a text is about."""
    text = re.sub(r"\{\{.*?\}\}|[`*_$\\{}]", " ", text.lower())
    words = set()
    for word in re.findall(r"[a-z][a-z0-9]*", text):
        if word in STOP_WORDS or len(word) < 2:
            continue
        words.add(singular(word))
    return words


def singular(word: str) -> str:
    """A crude singular, the same for both forms: biases/bias, entries/entry, gates/gate."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x|z|[aiu]s)es$", word):
        return word[:-2]
    if word.endswith("s") and not re.search(r"(?:ss|[aiu]s)$", word) and len(word) > 3:
        return word[:-1]
    return word


def heading_words(heading) -> set[str]:
    return content_words(heading.text) | content_words((heading.id or "").replace("-", " "))


def anchor_words(anchor: str) -> set[str]:
    """The words of an id, each alone and each with the next joined (`simple-rnn` is about
    "simple", "rnn" and "simplernn", as a link says SimpleRNN)."""
    parts = anchor.lower().split("-")
    return content_words(" ".join(parts + [a + b for a, b in zip(parts, parts[1:])]))


def _target_page(link, path: str, root):
    """The Page a link points to, or None for an external link, a download or a fact."""
    from pathlib import PurePosixPath

    if "{{" in link.target or re.match(r"[a-z]+:", link.target):
        return None
    if not link.page:
        return "self"
    if not link.page.endswith(".md"):
        return None
    target = PurePosixPath(path).parent / link.page
    parts = []
    for part in target.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    file = root.joinpath(*parts)
    return _page_file(file, file.stat().st_mtime_ns, "/".join(parts)) if file.is_file() else None


@functools.lru_cache(maxsize=64)
def _page_file(file, _mtime_ns: int, path: str) -> Page:
    """A page read once per version of its file: links to it are checked many times."""
    return Page(file.read_text(encoding="utf-8"), path)


def link_problems(text: str, path: str, root=None):
    from tests.project import ROOT

    page = page_of(text, path)
    for link in page.links:
        target = _target_page(link, path, root or ROOT)
        if target is None:
            continue
        target = page if target == "self" else target
        said = content_words(link.text)
        if link.anchor:
            heading = target.heading_ids.get(link.anchor)
            if heading is None:
                # An anchor in a generated table row (`{ #keras-lstm }`): its id is all the
                # page's text says of it, so the link names what the id does (MkDocs' own
                # anchor check names one that does not exist).
                if not said & anchor_words(link.anchor):
                    yield Problem(path, link.line, "link-target",
                                  f"[{link.text}] points at #{link.anchor}, a row or an anchor "
                                  "of no heading, but shares no word with its id: say in the "
                                  "link which row it is")
                continue
            scores = {h.id or h.text: len(said & heading_words(h)) for h in target.headings
                      if h.level > 1}  # an anchor never points at the title
            best = max(scores.values(), default=0)
            mine = len(said & heading_words(heading))
            rivals = [name for name, score in scores.items() if score == best and name != link.anchor]
            if mine == 0 or mine < best or rivals:
                better = rivals
                yield Problem(path, link.line, "link-target",
                              f"[{link.text}] points at #{link.anchor} ({heading.text!r}), but "
                              + (f"its words fit #{better[0]} as well or better" if mine else
                                 "shares no word with it")
                              + ": say in the link what the section is about")
        else:
            title = next((h.text for h in target.headings if h.level == 1), "")
            about = content_words(title) | content_words(link.page.replace("-", " ").replace("/", " "))
            if not said & about:
                yield Problem(path, link.line, "link-target",
                              f"[{link.text}] points at {link.page} ({title!r}) but shares no "
                              "word with its title: say in the link where it goes")


@rule("link-target",
      good="## Gate order { #gate-order }\n\n## Bias rows { #bias-rows }\n\n"
           "See [the gate order](#gate-order) and [the bias rows](#bias-rows).\n",
      bad="## Gate order { #gate-order }\n\n## Bias rows { #bias-rows }\n\n"
          "See [the bias rows](#gate-order).\n")
def link_targets(text: str, path: str):
    """A link's words name its target: the heading it points at shares more of them than
    any other heading of that page, ties included (a link to a page shares a word with its
    title)."""
    yield from link_problems(text, path)


# --- Figures and facts draw what the proof returns -------------------------------------

GATE_LETTERS = frozenset("ifcgozrhn")


def is_order_literal(node) -> bool:
    """"zrh", ("i", "f", "c", "o") or ["z", "r", "n"]: gate letters in a written order."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        letters = node.value
        return 3 <= len(letters) <= 5 and set(letters) <= GATE_LETTERS and len(set(letters)) == len(letters)
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) >= 3:  # ("h", "c") are states
        return all(isinstance(e, ast.Constant) and isinstance(e.value, str) and len(e.value) == 1
                   and e.value in GATE_LETTERS for e in node.elts)
    return False


@rule("order-literal", kind="python",
      good='order = gate_order.proven_order\nfor gate in order:\n    draw(gate)\n',
      bad='order = tuple("zrn")  # the proof said so\nfor gate in order:\n    draw(gate)\n')
def order_literals(text: str, path: str):
    """A figure or facts script takes every gate order from the proof that computes it: no
    order written as a literal ("zrh", ("i", "f", "c", "o"))."""
    import ast

    if not path.startswith(("diagrams/", "facts/", "snippets/example")):
        return
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return  # another rule names a file that does not parse
    for node in ast.walk(tree):
        if is_order_literal(node):
            yield Problem(path, node.lineno, "order-literal",
                          f"{ast.unparse(node)} is a gate order written by hand: take it from "
                          "the proof (`proven_order` of the snippet that proves it)")


# --- How a number was aggregated ---------------------------------------------------------

# The noun, not the verb ("what units mean"): after an article or before of/over/across.
STATISTIC = re.compile(
    r"(?<![\w`{])(?:(?:the|a|an|its|their)\s+(?:\w+\s+)?(?P<after>mean|median|average)\b(?!\s+(?:that|to)\b)"
    r"|(?P<before>mean|median|average)\s+(?:of|over|across|per)\b)",
    re.IGNORECASE,
)


@rule("statistic-word",
      good="Accuracy {{ accuracy_summary }} over the seeds.",
      bad="Accuracy {{ accuracy }}, the median over three seeds.")
def statistic_words(text: str, path: str):
    """The statistic a number is (mean, median, average) is named by the code that takes it:
    put the word in the fact (`statistics.mean.__name__`), never beside it by hand."""
    page = page_of(text, path)
    prose = prose_without_code_and_facts(page)
    for match in STATISTIC.finditer(prose):
        word = match["after"] or match["before"]
        yield Problem(path, page.line_of(match.start()), "statistic-word",
                      f"{word!r} names how a number was computed: let the facts "
                      "script say it from the function it calls (statistics.mean.__name__)")


# --- Notebook text is prose too ----------------------------------------------------------

MARKDOWN_CELL_CALLS = {"new_markdown_cell", "markdown_cell"}


@rule("notebook-prose", kind="python",
      good='cell = v4.new_markdown_cell(f"Accuracy, {AGGREGATE.__name__} over the seeds.")\n',
      bad='cell = v4.new_markdown_cell("Accuracy, the median over three seeds.")\n')
def notebook_prose(text: str, path: str):
    """The text cells a notebook script writes follow every page rule: words there are
    facts as on a page."""
    import ast

    if not path.startswith(("notebooks/", "snippets/example")):
        return
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    from engine.problems import RULES

    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
                in MARKDOWN_CELL_CALLS and node.args):
            continue
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            markdown = argument.value
        elif isinstance(argument, ast.JoinedStr):  # an f-string: its literal parts are typed
            markdown = "".join(part.value if isinstance(part, ast.Constant) else "{{ computed }}"
                               for part in argument.values)
        else:
            continue
        page_path = "docs/" + path.removeprefix("notebooks/").removesuffix("_notebook.py") + ".md"
        for name, page_rule in RULES.items():
            if page_rule.kind != "page" or page_rule.needs or name == "link-target":
                continue
            for problem in page_rule(markdown, page_path):
                yield Problem(path, node.lineno, "notebook-prose",
                              f"a text cell breaks [{name}]: {problem.message}")


# --- Each placeholder stands where its name says ------------------------------------------

SLOT_WORDS = 5  # how many words on each side of a placeholder say what it is


def slot_context(sentence: str, start: int, end: int, others: list[tuple[int, int]]) -> set[str]:
    """The words around a placeholder, up to SLOT_WORDS on each side, not past another one."""
    before_limit = max((e for s, e in others if e <= start), default=0)
    after_limit = min((s for s, e in others if s >= end), default=len(sentence))
    before = re.findall(r"[A-Za-z][A-Za-z0-9]*", sentence[before_limit:start])[-SLOT_WORDS:]
    after = re.findall(r"[A-Za-z][A-Za-z0-9]*", sentence[end:after_limit])[:SLOT_WORDS]
    return content_words(" ".join(before + after))


def name_words(name: str) -> set[str]:
    """What a fact's name says it is: `lstm.weights.bias_rows` -> {bias, row}; the page path
    of a dotted name is not part of it."""
    return content_words(name.split(".")[-1].replace("_", " "))


@rule("placeholder-slot",
      good="{{ bias_rows }} in the bias of a layer, and the kernel of that layer has {{ kernel_columns }}.",
      bad="{{ kernel_columns }} in the bias of a layer, and the kernel of that layer has {{ bias_rows }}.")
def placeholder_slots(text: str, path: str):
    """Two placeholders in one sentence each stand where their names fit best: the words
    around each share more with its own name than with any other's, so a swap is caught.
    Name a fact for what it is (`bias_rows`), as the sentence says it."""
    from engine import facts as engine_facts

    page = page_of(text, path)
    for sentence in page.sentences:
        found = [(m.start(), m.end(), m["name"]) for m in engine_facts.PLACEHOLDER.finditer(sentence.text)]
        if len({name for _s, _e, name in found}) < 2:
            continue
        for start, end, name in found:
            others = [(s, e) for s, e, n in found if (s, e) != (start, end)]
            context = slot_context(sentence.text, start, end, others)
            mine = len(name_words(name) & context)
            rivals = [n for s, e, n in found if n != name and len(name_words(n) & context) >= mine]
            if rivals:
                yield Problem(path, page.line_of(sentence.start + start), "placeholder-slot",
                              f"{{{{ {name} }}}} stands where {{{{ {rivals[0]} }}}} fits as well "
                              f"(words around it: {', '.join(sorted(context)) or 'none'}): name "
                              "each fact for what the sentence says it is, so a swap is caught")


# --- Which array is which ---------------------------------------------------------------

# The arrays of the layers the site explains, as Keras and PyTorch name them.
ARRAY_NAME = re.compile(
    r"^(?:kernel|recurrent_kernel|bias|depthwise_kernel|pointwise_kernel|gamma|beta|moving_mean|"
    r"moving_variance|weight|(?:weight|bias)_[a-z]{2}_l(?:\d|\{\w+\})\w*|weight_[a-z]+|bias_[a-z]+|"
    r"in_proj_weight|out_proj|[hc]|[hc]_[n0]|state_[hc]|b_[ihn][rzn])(?:\.T)?(?:\[.*\])?$")
# The sizes that shape those arrays, as the layers' arguments name them: a sentence that
# relates two ("`kernel` is (`input_dim`, 4 × `units`)") is a mapping too.
SIZE_NAME = re.compile(r"^(?:units|input_dim|hidden_size|input_size|proj_size|timesteps|features|"
                       r"batch_size|num_layers)$")
A_LIST = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|/)\s*$")


# A list is an order when its clause says so: "in that order", "respectively", "first ...".
ORDER_WORDS = re.compile(r"\b(?:order|orders|ordered|respectively|first|then|followed|in sequence)\b",
                         re.IGNORECASE)
CLAUSE_END = re.compile(r"[;:()\[\].!?]")
FACT_OPENING = re.compile(r"\s*(?:\{\{|\$)")


@functools.lru_cache(maxsize=16)
def clause_text(prose: str) -> str:
    """The prose with inline code blanked and each placeholder kept as `{{  }}` with blank
    insides: dots in `nn.LSTM` or `{{ lstm.weights.gate_order }}` end no clause."""
    text = blank(prose, INLINE_CODE)
    return re.sub(r"\{\{.*?\}\}", lambda m: "{{" + " " * (len(m.group()) - 4) + "}}", text)


def ordered_list(prose: str, start: int, end: int) -> bool:
    """Whether the list at prose[start:end] is said to be in an order: an order word in its
    clause (up to ; : ( ) [ ] or a full stop) that is not about a computed order right after
    it ("in the order {{ gate_order }}" speaks of that fact, not of the list)."""
    text = clause_text(prose)
    cuts = [m.end() for m in CLAUSE_END.finditer(text, max(0, start - 300), start)]
    left = cuts[-1] if cuts else max(0, start - 300)
    after = CLAUSE_END.search(text, end, end + 300)
    right = after.start() if after else min(len(text), end + 300)
    return any(not FACT_OPENING.match(text, word.end())
               for word in ORDER_WORDS.finditer(text, left, right) if not start <= word.start() < end)


@rule("array-mapping",
      good="A Keras LSTM keeps `kernel`, `recurrent_kernel` and `bias`; {{ transpose_map }}.",
      bad="It is its transpose: `weight_ih_l0` is `kernel.T` and `weight_hh_l0` is `recurrent_kernel.T`.")
def array_mappings(text: str, path: str):
    """A sentence that relates two arrays ("`weight_ih_l0` is `kernel.T`") says which is
    which: a fact generated by the code that maps them, so a swap is caught. A plain list
    of arrays is no mapping."""
    page = page_of(text, path)
    for sentence in page.sentences:
        codes = [m for m in INLINE_CODE.finditer(sentence.text) if ARRAY_NAME.match(m["code"].strip())]
        sizes = [m for m in INLINE_CODE.finditer(sentence.text) if SIZE_NAME.match(m["code"].strip())]
        for first, second in [*zip(codes, codes[1:]), *zip(sizes, sizes[1:])]:
            between = sentence.text[first.end():second.start()]
            if first["code"] == second["code"]:
                continue
            if not A_LIST.match(between):
                yield Problem(path, page.line_of(sentence.start + first.start()), "array-mapping",
                              f"{first.group()} ... {second.group()} relates two arrays or two sizes "
                              "in typed words: generate the mapping from the code that proves it")
                break
            at = sentence.start + first.start()
            if ordered_list(page.prose, at, sentence.start + second.end()):
                yield Problem(path, page.line_of(at), "array-mapping",
                              f"{first.group()} ... {second.group()} lists arrays or sizes in an "
                              "order the sentence states: generate the order from the code that "
                              "proves it")
                break


# --- Which name is which ------------------------------------------------------------

# A name a sentence quotes as inline code: `kernel`, `bias[0]`, `nn.GRU`, `weight_ih_l0`.
IDENTIFIER = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\[[^\]\s]+\])*")
# Two names of one sentence are a pair when at most this many apart (in its order): a
# sentence that quotes eight names makes a handful of pairs, not twenty-eight.
NEAR = 2
# Only list separators between two names: "`GRU` or `LSTM`", "`kernel`, `recurrent_kernel`
# and `bias`". Two items of a list trade places and the list says the same, unless it is an
# order (ordered_list). A list of links is a list too: "[`a`](...), [`b`](...)" (the prose
# keeps a link's brackets and blanks its target).
LIST_SEPARATORS = re.compile(r"(?:\s|,|/|\[|\]|\b(?:and|or|nor)\b)*")


def name_kind(code: str) -> str:
    """An array (`kernel`, `bias_hh_l0`, `h_n`: ARRAY_NAME), a size (`units`, `hidden_size`:
    SIZE_NAME), a class (`Dense`, `nn.LSTM`, `ConversionError`) or another lower-case name
    (an argument, function or module: `return_sequences`, `keras_to_torch`). A wrong edit
    confuses two things of one kind; `kernel` for `units`, or `nn.Linear` for
    `keras_to_torch`, is nonsense no reader would believe, not a wrong claim."""
    code = code.strip()
    if ARRAY_NAME.match(code):
        return "array"
    if SIZE_NAME.match(code):
        return "size"
    last = code.split("[")[0].split(".")[-1]
    return "class" if last[:1].isupper() else "name"


def quoted_names(prose: str, start: int, end: int) -> list[re.Match]:
    """The names quoted as inline code in prose[start:end], in order."""
    return [m for m in INLINE_CODE.finditer(prose, start, end)
            if IDENTIFIER.fullmatch(m["code"].strip()) and not keyword.iskeyword(m["code"].strip())]


def same_list(prose: str, first: re.Match, second: re.Match) -> bool:
    """Whether two quoted names are items of one list in a sentence that says nothing of
    their order: trading their places says the same thing."""
    between = blank(prose[first.end():second.start()], INLINE_CODE)
    return (LIST_SEPARATORS.fullmatch(between) is not None
            and not ordered_list(prose, first.start(), second.end()))


def name_pairs(page: Page, start: int, end: int):
    """(first, second, kind): two different names of one kind (name_kind), at most NEAR
    apart, quoted in prose[start:end] and not items of one unordered list: a sentence that
    relates them says which is which, and trading them makes another claim."""
    kinds = [(name, name_kind(name["code"])) for name in quoted_names(page.prose, start, end)]
    # sorted: a set of str iterates in a per-process order, and mutate's shards must agree
    for kind in sorted({kind for _, kind in kinds}):
        of_kind = [name for name, its_kind in kinds if its_kind == kind]
        for i, first in enumerate(of_kind):
            for second in of_kind[i + 1:i + 1 + NEAR]:
                if (first["code"].strip() != second["code"].strip()
                        and not same_list(page.prose, first, second)):
                    yield first, second, kind


@rule("name-relation",
      good="Both convert: `keras_to_torch` and `torch_to_keras`.\n\n"
           "{{ projection_layer }} has the projection; {{ layers_that_refuse_the_argument }} refuse the argument.\n",
      bad="`nn.LSTM` has the projection; `nn.GRU` and `nn.RNN` refuse it.\n")
def name_relations(text: str, path: str):
    """A sentence that relates two classes, or two functions, arguments or modules
    ("`ConversionError`, itself a `ValueError`"; "`return_state` also returns the states,
    `return_sequences` each step") says which is which: generate the names from the code
    that proves the relation, so a swap is caught. A list of names is no relation. Arrays
    and sizes are the rule array-mapping's."""
    page = page_of(text, path)
    for sentence in page.sentences:
        start = sentence.start
        for first, second, kind in name_pairs(page, start, start + len(sentence.text)):
            if kind in ("class", "name"):
                yield Problem(path, page.line_of(first.start()), "name-relation",
                              f"{first.group()} ... {second.group()} relates two "
                              f"{'classes' if kind == 'class' else 'names'} in typed words: "
                              "generate them from the code that proves the relation")
                break


@rule("question-anchor",
      good="---\nquestions:\n  - q: \"Which order?\"\n    a: \"{{ gate_order }}\"\n    at: gate-order\n---\n\n# Page\n\n## Gate order { #gate-order }\n",
      bad="---\nquestions:\n  - q: \"Which order?\"\n    a: \"{{ gate_order }}\"\n    at: gate-orders\n---\n\n# Page\n\n## Gate order { #gate-order }\n")
def question_anchors(text: str, path: str):
    """A question in the front matter points at a fixed heading id of its page (the
    questions index links it there)."""
    page = page_of(text, path)
    for entry in page.questions:
        if entry["at"] not in page.heading_ids:
            line = next((n for n, line in enumerate(page.lines, 1)
                         if re.match(rf"\s*at:\s*{re.escape(str(entry['at']))}\s*$", line)), 1)
            yield Problem(path, line, "question-anchor",
                          f"the question {entry['q']!r} points at #{entry['at']}, which is no "
                          "fixed heading id on this page")


# --- A fact is what its name says ----------------------------------------------------

# The kind a fact's name ends in, and what a value of that kind looks like.
FACT_KINDS = {
    "table": lambda value: value.lstrip().startswith("|") and "\n" in value,
    "equation": lambda value: "=" in value or "\\begin" in value,
    "equations": lambda value: "=" in value or "\\begin" in value,
    # a formula has a variable (a letter that is no LaTeX command's, or a name in code):
    # "u \\cdot (d + u)", "`bias_ih_l0` + `bias_hh_l0`";
    # the same with numbers put in ("5 \\cdot (4 + 5) = 45") is an example
    "formula": lambda value: "\n" not in value and re.search(r"[=+*()\\]", value) is not None
    and re.search(r"(?<![\\\w])[A-Za-z](?![\w])|`[A-Za-z_]", value) is not None,
    "shape": lambda value: re.search(r"\([^()]*\)", value) is not None,
    "order": lambda value: re.search(r"\S(?:,| then) +\S", value) is not None,
    "url": lambda value: value.startswith(("http://", "https://", "../", "./")),
    "preset": lambda value: value.startswith(("http://", "https://", "../", "./")),
    # an error is measured (a number) or raised (its message, quoted as code); an accuracy
    # is a percentage
    "error": lambda value: value.startswith("`") or MEASURED.search(value) is not None,
    "errors": lambda value: value.startswith("`") or MEASURED.search(value) is not None,
    "accuracy": lambda value: "%" in value,
    "accuracies": lambda value: "%" in value,
    "missed": lambda value: "%" in value,
    # counts, in digits or in words; a citation names its year
    "count": lambda value: COUNTED.match(value) is not None,
    "position": lambda value: re.match(rf"(?:{ORDINALS}|last)\b", value, re.IGNORECASE) is not None,
    "word": lambda value: COUNTED.match(value) is not None,
    "cited": lambda value: re.search(r"\b(?:1[89]|20)\d\d\b", value) is not None,
}
# A name's first word that says its kind: `n_gates` is a count.
FACT_PREFIXES = {"n": "count"}
# 4.2, 4 × 10⁻¹², 4e-12, 0, 12 %, or a bound as a power of ten: 10⁻⁹
MEASURED = re.compile(r"\d\.\d|\d\s*[×e]\s*-?10|\de-?\d|\b0\b|\d+(?:\.\d+)?\s*%|\b10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+")
COUNTED = re.compile(rf"(?:\d|(?:{NUMBER_WORDS}|zero|no|none|thirteen|fourteen|fifteen|sixteen|twenty)\b)", re.IGNORECASE)


@rule("fact-kind", kind="python", needs=("facts",),
      good='def make_facts():\n    return {"count_table": table(), "gate_order": order()}\n',
      bad='def make_facts():\n    return {"count_table": order(), "gate_order": table()}\n',
      example_context={"facts": {"example": {"count_table": "| a |\n| --- |\n| 1 |",
                                             "gate_order": "i, f, c, o"}}})
def fact_kinds(text: str, path: str, facts):
    """A fact whose name ends in its kind (`_table`, `_equation`, `_formula`, `_shape`,
    `_order`, `_url`) holds a value of that kind, so two facts' values swapped in a facts
    script cannot pass as each other."""
    import ast

    if path.startswith("snippets/example"):
        name = "example"
        # The example stands for a script whose values are what its calls say they are.
        tree = ast.parse(text)
        made = {node.value: facts[name]["count_table" if call.func.id == "table" else "gate_order"]
                for dictionary in ast.walk(tree) if isinstance(dictionary, ast.Dict)
                for node, call in zip(dictionary.keys, dictionary.values)}
        values = made
    elif path.startswith("facts/") and "/_" not in path:
        name = path.removeprefix("facts/").removesuffix(".py")
        values = facts.get(name, {})
    else:
        return
    lines = {node.value: node.lineno for node in ast.walk(ast.parse(text))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for key, value in values.items():
        kind = FACT_PREFIXES.get(key.split("_", 1)[0]) if "_" in key else None
        kind = kind or key.rsplit("_", 1)[-1]
        if kind in FACT_KINDS and not FACT_KINDS[kind](str(value)):
            yield Problem(path, lines.get(key, 1), "fact-kind",
                          f"{key!r} is named a {kind} but holds {str(value)[:50]!r}: a value "
                          "and its name from one place (were two values swapped?)")
