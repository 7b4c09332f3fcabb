"""Wrong edits of a page, `docs/**/*.md`: what a careless edit or a bad merge does to prose.

Every operator reads the page through engine/page.py, the one model the build and the
rules read, so a "sentence", a "table" or a "link" here is the one a rule checks: the
front matter's description and answers, table rows, headings, captions and admonitions
are prose; code blocks are not, except a ```pycon block for weaken-doctest. Each operator
is a pure function `(path, text) -> list[Mutant]`, general over any page, and yields no
edit that leaves the text as it was.
"""
import ast
import dataclasses
import doctest
import functools
import posixpath
import re

from engine.facts import PLACEHOLDER
from engine.page import Page
from tests import claims, meaning
from tests.mutate import equations
from tests.mutate.mutant import Mutant, edit, mutant, short, swapped

INLINE_CODE = re.compile(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
DISPLAY_MATH = re.compile(r"\$\$(?P<math>.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?P<math>(?:[^$\\]|\\.)+?)\$")
ANY_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")
URL = re.compile(r"\b\w+://\S+")

# Gate names a page writes out ("reset gate", "cell candidate"): the ones the rule
# gate-relation reads (tests/meaning.py), so the operator and the rule agree on what a gate is.
GATE_NAME = meaning.GATE_NAMES
GATE_LETTERS = "ifcgozrnh"
# Letters in an order-like list: "i, f, c, o", "z → r → h", "r/z/n".
LETTER = rf"(?<![\w\\])[{GATE_LETTERS}](?![\w'])"
LETTER_LIST = re.compile(rf"{LETTER}(?:[ \t]*(?:,|→|->|/)[ \t]*(?:and[ \t]+)?{LETTER})+")

NEAR = meaning.NEAR  # how far apart two things of one sentence may be to be swapped

INDEX = re.compile(r"(?<=\[)\d+(?=\])|(?<=_l)\d+\b")

# Each number word and the wrong one it becomes.
NUMBER_WORDS = {
    "three times": "twice", "twice": "three times", "once": "twice",
    "zero": "one", "one": "two", "two": "three", "three": "four", "four": "five",
    "five": "six", "six": "seven", "seven": "eight", "eight": "nine", "nine": "ten",
    "ten": "eleven", "eleven": "twelve", "twelve": "eleven",
    "first": "second", "second": "third", "third": "fourth", "fourth": "fifth",
    "single": "two", "double": "single",
}
# The words are the ones the rule number-word reads (tests/meaning.py), with the same
# exceptions (idioms, the pronoun "one", hyphenated names): one definition of a number word.
NUMBER_WORD = meaning.ANY_NUMBER
assert all(NUMBER_WORD.fullmatch(word) for word in NUMBER_WORDS), "a word the rule does not read"

LONGEST_LINE = 88  # a weakened doctest line stays within tests/rules.py's limit


def blanked(text: str, spans) -> str:
    for start, end in spans:
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


@dataclasses.dataclass
class Parts:
    """A page as the operators read it."""

    page: Page
    units: list[tuple[int, int]]  # sentences, table rows, headings, front-matter entries
    code: list[re.Match]  # inline code spans in prose
    math: list[tuple[int, int]]  # the inside of each `$...$` and `$$...$$`
    plain: str  # prose with code, math, placeholders and URLs blanked: words a reader reads


@functools.lru_cache(maxsize=16)
def parts(text: str) -> Parts:
    page = Page(text)
    prose = page.prose
    code = list(INLINE_CODE.finditer(prose))
    without_code = blanked(prose, [m.span() for m in code])
    math = [m.span("math") for m in DISPLAY_MATH.finditer(without_code)]
    without_display = blanked(without_code, [m.span() for m in DISPLAY_MATH.finditer(without_code)])
    math += [m.span("math") for m in INLINE_MATH.finditer(without_display)]
    plain = blanked(without_display, [m.span() for m in INLINE_MATH.finditer(without_display)])
    plain = blanked(plain, [m.span() for m in ANY_PLACEHOLDER.finditer(plain)])
    plain = blanked(plain, [m.span() for m in URL.finditer(plain)])
    units = [(s.start, s.start + len(s.text)) for s in page.sentences]
    return Parts(page, units, code, sorted(math), plain)


def in_unit(spans, unit):
    start, end = unit
    return [span for span in spans if start <= span[0] and span[1] <= end]


# --- operators ---------------------------------------------------------------------------

def swap_placeholders(path: str, text: str) -> list[Mutant]:
    """Two different `{{ fact }}`s of one sentence, table row or caption, exchanged."""
    p, found = parts(text), []
    for start, end in p.units:
        placeholders = list(PLACEHOLDER.finditer(p.page.prose, start, end))
        for i, first in enumerate(placeholders):
            for second in placeholders[i + 1:i + 1 + NEAR]:
                if first["name"] != second["name"]:
                    found.append(mutant(path, text, swapped(text, first.span(), second.span()),
                                        first.start(), "swap-placeholders",
                                        f"swap {first.group()} and {second.group()}"))
    return [m for m in found if m]


def swap_table_rows(path: str, text: str) -> list[Mutant]:
    """The labels (first cells) of two neighbouring body rows of a pipe table typed in the
    page, exchanged while the rest of each row stays: a label now pairs with another row's
    values. (Exchanging whole rows changes no pairing, so it would be no wrong edit.)"""
    lines, found = text.split("\n"), []
    for table in parts(text).page.tables:
        for (first, upper), (second, lower) in zip(table.rows, table.rows[1:]):
            upper_cells, lower_cells = upper.split("|"), lower.split("|")
            if len(upper_cells) < 3 or len(lower_cells) < 3 or upper_cells[1].strip() == lower_cells[1].strip():
                continue
            upper_cells[1], lower_cells[1] = lower_cells[1], upper_cells[1]
            edited = list(lines)
            edited[first - 1], edited[second - 1] = "|".join(upper_cells), "|".join(lower_cells)
            offset = sum(len(line) + 1 for line in lines[:first - 1])
            found.append(mutant(path, text, "\n".join(edited), offset, "swap-table-rows",
                                f"swap the labels of the rows `{short(upper, 30)}` and "
                                f"`{short(lower, 30)}`"))
    return [m for m in found if m]


def recased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def swap_gate_names(path: str, text: str) -> list[Mutant]:
    """Two different gates named in one sentence ("reset gate", "candidate"), or two
    letters of an order-like list ("i, f, c, o"), exchanged."""
    p, found = parts(text), []
    for start, end in p.units:
        names = list(GATE_NAME.finditer(p.plain, start, end))
        for i, first in enumerate(names):
            for second in names[i + 1:i + 1 + NEAR]:
                a, b = first.group(), second.group()
                if a.lower() != b.lower():
                    edits = [(first.start(), first.end(), recased(b.lower(), a)),
                             (second.start(), second.end(), recased(a.lower(), b))]
                    found.append(mutant(path, text, edit(text, edits), first.start(),
                                        "swap-gate-names", f'swap "{a}" and "{b}"'))
        for listed in LETTER_LIST.finditer(p.plain, start, end):
            letters = list(re.finditer(LETTER, p.plain[:listed.end()]))
            letters = [m for m in letters if m.start() >= listed.start()]
            for first, second in zip(letters, letters[1:]):
                if first.group() != second.group():
                    found.append(mutant(path, text, swapped(text, first.span(), second.span()),
                                        first.start(), "swap-gate-names",
                                        f"swap the letters {first.group()} and {second.group()} "
                                        f"in `{short(listed.group(), 30)}`"))
    return [m for m in found if m]


def swap_array_names(path: str, text: str) -> list[Mutant]:
    """Two different names of one kind (name_kind) quoted as inline code in one sentence
    (`kernel`, `recurrent_kernel`) exchanged, unless they are items of one unordered list; or
    the index inside one changed (`bias[0]` -> `bias[1]`, `weight_ih_l0` -> `weight_ih_l1`)."""
    p, found = parts(text), []
    for unit in p.units:
        # The pairs the rule name-relation reads (classes, other names); array-mapping
        # reports the sentences of the array and size pairs (tests/test_wrong_edits.py).
        for first, second, _ in meaning.name_pairs(p.page, *unit):
            found.append(mutant(path, text, swapped(text, first.span("code"), second.span("code")),
                                first.start(), "swap-array-names",
                                f"swap {first.group()} and {second.group()}"))
        names = meaning.quoted_names(p.page.prose, *unit)
        for name in names:
            for index in INDEX.finditer(name["code"]):
                number = int(index.group())
                other = str(number + 1 if number == 0 else number - 1)
                at = name.start("code") + index.start()
                changed = name["code"][:index.start()] + other + name["code"][index.end():]
                found.append(mutant(path, text, edit(text, [(at, at + len(index.group()), other)]),
                                    at, "swap-array-names",
                                    f"{name.group()} -> `{changed.strip()}`"))
    return [m for m in found if m]


def number_word(path: str, text: str) -> list[Mutant]:
    """A number word of the prose, not of code or math, made another: one -> two, twice ->
    three times, single -> two, first -> second."""
    p, found = parts(text), []
    for start, end in p.units:
        for word in NUMBER_WORD.finditer(p.plain, start, end):
            if meaning.counts_nothing(p.plain, *word.span()):
                continue
            wrong = recased(NUMBER_WORDS[word.group().lower()], word.group())
            found.append(mutant(path, text, edit(text, [(word.start(), word.end(), wrong)]),
                                word.start(), "number-word", f'"{word.group()}" -> "{wrong}"'))
    return [m for m in found if m]


def perturb_equation(path: str, text: str) -> list[Mutant]:
    """A formula typed in LaTeX (`$...$`, `$$...$$`), perturbed: a sign flipped, the operands
    of a difference or of a matrix product swapped, a term dropped, a parenthesis moved,
    a fraction turned over (tests/mutate/equations.py)."""
    found = []
    for start, end in parts(text).math:
        for change in equations.changes(text[start:end]):
            at = start + change.start
            found.append(mutant(path, text, edit(text, [(at, start + change.end, change.replacement)]),
                                at, "perturb-equation", change.description))
    return [m for m in found if m]


def anchors_of(page_text: str | None) -> list[tuple[str, int]]:
    """(id, level) of each heading with an id, in the page's order."""
    if page_text is None:
        return []
    return [(h.id, h.level) for h in Page(page_text).headings if h.id]


def other_anchor(anchors: list[tuple[str, int]], anchor: str) -> str | None:
    """The next id of the page after `anchor` and its subsections (the first if it is none
    of them). A subsection is skipped: a link moved into the section it pointed at still
    lands on what it meant (rule question-target accepts it as well), an equivalent mutant."""
    ids = [name for name, _ in anchors]
    if anchor not in ids:
        return ids[0] if ids else None
    index = ids.index(anchor)
    level = anchors[index][1]
    end = next((k for k in range(index + 1, len(anchors)) if anchors[k][1] <= level), len(anchors))
    candidates = ids[end:] + ids[:index]
    return candidates[0] if candidates else None


def retarget_link(path: str, text: str, read=None) -> list[Mutant]:
    """A link to a section (`[text](page.md#id)`, `(#id)`) or a question's `at:` pointed at
    another heading id that exists, on the same target page. `read(path)` gives another
    page's text (None if there is none)."""
    p, found = parts(text), []
    own = anchors_of(text)
    for link in p.page.links:
        if "#" not in link.target or "{{" in link.target or re.match(r"\w+:", link.target):
            continue
        if link.page:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), link.page))
            anchors = anchors_of(read(target)) if read else []
        else:
            anchors = own
        other = other_anchor(anchors, link.anchor)
        if other is None or other == link.anchor:
            continue
        raw = text[link.start:link.end]
        at = link.start + raw.rfind("#" + link.anchor) + 1
        found.append(mutant(path, text, edit(text, [(at, at + len(link.anchor), other)]), at,
                            "retarget-link", f"[{short(link.text, 30)}]({link.target}) -> #{other}"))
    front_matter = "\n".join(p.page.lines[:p.page.front_matter_end])
    for at_line in re.finditer(r"^[ \t]*at:[ \t]*(?P<id>[\w-]+)", front_matter, re.MULTILINE):
        other = other_anchor(own, at_line["id"])
        if other is not None and other != at_line["id"]:
            found.append(mutant(path, text, edit(text, [(*at_line.span("id"), other)]),
                                at_line.start("id"), "retarget-link",
                                f"question's at: {at_line['id']} -> {other}"))
    return [m for m in found if m]


def weaken_doctest(path: str, text: str) -> list[Mutant]:
    """A ```pycon example whose output is a value, made to check only that the value is
    there: `>>> x.shape` / `(5, 480)` -> `>>> x.shape is not None` / `True`."""
    lines, found = text.split("\n"), []
    for block in parts(text).page.blocks:
        if block.info_as_written.strip() != "pycon":
            continue
        fence = lines[block.line - 1]
        indent = fence[:len(fence) - len(fence.lstrip())]
        first = block.line  # index of the block's first line in `lines`
        body = [line[len(indent):] if line.startswith(indent) else line
                for line in lines[first:block.end - 1]]
        for example in doctest.DocTestParser().get_examples("\n".join(body) + "\n"):
            if not example.want or example.exc_msg is not None:
                continue
            try:
                tree = ast.parse(example.source, mode="eval")
            except SyntaxError:
                continue  # a statement: nothing to weaken into a value
            if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                   and node.func.id == "print" for node in ast.walk(tree)):
                continue
            expression = ast.unparse(tree.body)
            simple = (ast.Name, ast.Attribute, ast.Call, ast.Subscript)
            value = expression if isinstance(tree.body, simple) else f"({expression})"
            prefix = indent + " " * example.indent
            check = f"{prefix}>>> {value} is not None"
            if len(check) > LONGEST_LINE:
                continue
            start = first + example.lineno
            stop = start + example.source.count("\n") + example.want.count("\n")
            edited = lines[:start] + [check, f"{prefix}True"] + lines[stop:]
            offset = sum(len(line) + 1 for line in lines[:start])
            found.append(mutant(path, text, "\n".join(edited), offset, "weaken-doctest",
                                f"`>>> {short(example.source, 40)}` -> `{short(value, 30)} is not None`"))
    return [m for m in found if m]


# A hedged or narrowed word and the universal one a careless edit puts back (issue 20).
GENERAL_FORMS = {"some": "all", "most": "all", "many": "all", "several": "all", "usually": "always",
                 "often": "always", "typically": "always", "rarely": "never", "seldom": "never"}
HEDGE = re.compile(r"\b(?:" + "|".join(GENERAL_FORMS) + r")\b", re.IGNORECASE)
PROOF_CLASS = re.compile(r"\{[^}\n]*\.proof\b[^}\n]*\}")


def generalise(path: str, text: str) -> list[Mutant]:
    """A claim made more general than its proof: a hedge of the prose made universal
    ("most" -> "all", "usually" -> "always"), or a proof link's `{ .proof }` dropped so the
    universal words it covered stand unproven."""
    p, found = parts(text), []
    for start, end in p.units:
        for word in HEDGE.finditer(p.plain, start, end):
            if meaning.in_compound(p.plain, *word.span()):
                continue
            wrong = recased(GENERAL_FORMS[word.group().lower()], word.group())
            found.append(mutant(path, text, edit(text, [(word.start(), word.end(), wrong)]),
                                word.start(), "generalise", f'"{word.group()}" -> "{wrong}"'))
    # A dropped mark generalises only where it covered general words, in the link or in its
    # sentence: elsewhere the link claims less without it, not more (an equivalent mutant).
    words = meaning.prose_without_code_and_facts(p.page)
    for link in p.page.links:
        mark = PROOF_CLASS.match(text, link.end)
        unit = next(((start, end) for start, end in p.units if start <= link.start < end), None)
        covers = claims.GENERAL_LINK.search(link.text) or (
            unit and claims.UNIVERSAL.search(words, *unit))
        if mark and covers:
            found.append(mutant(path, text, edit(text, [mark.span() + ("",)]), link.start,
                                "generalise", f"the proof link of [{short(link.text)}] dropped"))
    return [m for m in found if m]
