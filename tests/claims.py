"""Rules that keep a claim as general as its proof (issue 20).

- universal-word: a sentence that says *always, never, every, only, any, all, cannot, must*
  (or the like) carries a proof link, `[every optimizer](#masked-weights-stay-zero){ .proof }`,
  or is narrowed to what is proven;
- proof-target: a proof link leads to a section that runs code (an included snippet section
  or a `>>>` doctest), on its page or another;
- measured-spread: a number measured on random data (an accuracy, a loss, a depth) is shown
  as its spread over seeds (facts/_spread.py), never as one seed's value;
- quoted-error: a question typed as an error message quotes what a doctest of the page prints;
- proof-mark: a link whose words are general ("each configuration") is a proof link;
- unchecked-claim: what cannot run here (a GPU path, a speed) stands in an `unchecked`
  admonition that says why, or carries a proof link.

Each rule is registered with a good and a bad example (engine/problems.py);
tests/test_rules.py runs them over every page.
"""
import re
from pathlib import Path

from engine import facts as engine_facts
from engine.page import Page, page_of
from engine.problems import Problem, rule
from tests.meaning import prose_without_code_and_facts

UNIVERSAL = re.compile(
    r"(?<![\w`{-])(?<!not )(?P<word>always|never|every(?:one|thing|where)?|only|any(?:thing|where)?|all|"
    r"cannot|can't|must|none|nothing|impossible)(?![\w`-])",
    re.IGNORECASE,
)
PROOF_CLASS = re.compile(r"\A\{[^}]*\.proof\b[^}]*\}")


def proof_links(page: Page):
    """The page's links written `[text](target){ .proof }`."""
    return [link for link in page.links if PROOF_CLASS.match(page.text[link.end:link.end + 80])]


@rule("universal-word",
      good="A masked weight stays at zero with [every optimizer in `torch.optim`](#masked-stays-zero){ .proof }.",
      bad="A masked weight stays at zero with every optimizer.")
def universal_words(text: str, path: str):
    """A general sentence (always, never, every, only, any, all, cannot, must) links the
    check that proves it over the whole family it names, `[every optimizer](#id){ .proof }`,
    or is narrowed to what is proven ("with SGD, Adam and AdamW")."""
    page = page_of(text, path)
    words = prose_without_code_and_facts(page)
    proven = [(link.start, link.end) for link in proof_links(page)]
    for sentence in page.sentences:
        stop = sentence.start + len(sentence.text)
        if any(sentence.start <= start < stop for start, _ in proven):
            continue
        for match in UNIVERSAL.finditer(words, sentence.start, stop):
            yield Problem(path, page.line_of(match.start()), "universal-word",
                          f"{match['word']!r} makes this sentence general: link its proof, "
                          "[the general words](#section-that-runs-it){ .proof }, or narrow it "
                          "to what the code proves")
            break  # one problem per sentence: one proof link covers it


def proving_section(page: Page, anchor: str) -> bool:
    """Does the section under heading `anchor` run code: an included snippet section or a
    doctest, before the next heading of its level or higher?"""
    if anchor not in page.heading_ids:
        return False
    start, end = page.section_lines(anchor)
    runs_include = any(start < include.line < end and include.section for include in page.includes)
    runs_doctest = any(start < block.line < end and ">>> " in block.source for block in page.blocks)
    return runs_include or runs_doctest


@rule("proof-target", needs=("root",),
      good="[Every optimizer](#proof){ .proof }.\n\n## Proof { #proof }\n\n"
           "--8<-- \"snippets/x.py:all\"\n",
      bad="[Every optimizer](#prose){ .proof }.\n\n## Prose { #prose }\n\nWords only.\n",
      example_context={"root": Path(".")})
def proof_targets(text: str, path: str, root: Path):
    """A proof link leads to a section that runs the proof: an included snippet section or a
    `>>>` doctest under that heading."""
    page = page_of(text, path)
    for link in proof_links(page):
        target = page
        if link.page:
            other = (root / path).parent / link.page
            if not other.is_file():
                yield Problem(path, link.line, "proof-target", f"proof link to {link.target!r}: no such page")
                continue
            target = page_of(other.read_text(encoding="utf-8"), str(other))
        if not proving_section(target, link.anchor):
            yield Problem(path, link.line, "proof-target",
                          f"proof link to {link.target!r}: no heading with that id whose section "
                          "includes a snippet section or a doctest")


# The words of a link's text that make it a general claim: "[each configuration](#grid)".
GENERAL_LINK = re.compile(r"(?<![\w`-])(?:each|every|all|any|none|no other|only|always|never)(?![\w`-])",
                          re.IGNORECASE)


@rule("proof-mark",
      good="The shapes hold for [each configuration, checked](#grid){ .proof }.",
      bad="The shapes hold for [each configuration, checked](#grid).")
def proof_marks(text: str, path: str):
    """A link to a section whose words are general ("each configuration", "every other
    order") is the proof of what it says: it carries `{ .proof }`, so proof-target checks that
    it runs, and so a dropped mark is caught rather than leaving the claim unproven."""
    page = page_of(text, path)
    proven = {link.start for link in proof_links(page)}
    for link in page.links:
        if link.anchor and link.start not in proven and GENERAL_LINK.search(link.text):
            yield Problem(path, link.line, "proof-mark",
                          f"[{' '.join(link.text.split())}] says something general and points at "
                          f"#{link.anchor}: mark it {{ .proof }} (its section must run the proof), "
                          "or say it without the general word")


# A question that is an error message, as a reader pastes it into a search.
ERROR_QUESTION = re.compile(r"^\s*(?P<kind>[A-Z]\w*(?:Error|Exception|Warning)):\s*(?P<message>.+)$", re.DOTALL)


def plain_words(text: str) -> str:
    return " ".join(text.replace("`", "").split())


@rule("quoted-error",
      good="---\nquestions:\n  - q: \"ValueError: bad units\"\n    a: \"Pass units.\"\n    at: e\n---\n\n"
           "## E { #e }\n\n```pycon\n>>> f()\nTraceback (most recent call last):\nValueError: bad units\n```\n",
      bad="---\nquestions:\n  - q: \"ValueError: units are bad\"\n    a: \"Pass units.\"\n    at: e\n---\n\n"
          "## E { #e }\n\n```pycon\n>>> f()\nTraceback (most recent call last):\nValueError: bad units\n```\n")
def quoted_errors(text: str, path: str):
    """A question typed as an error message ("RuntimeError: `torch.solve` is deprecated...")
    quotes what the library prints: its words stand in a code block of the page that runs
    (a doctest's output), or come from a fact ({{ error }}), never typed from memory."""
    page = page_of(text, path)
    shown = plain_words(" ".join(block.source for block in page.blocks))
    for entry in page.questions:
        match = ERROR_QUESTION.match(str(entry["q"]))
        if not match or "{{" in match["message"]:
            continue
        message = match["message"].strip()
        # "`Unrecognized keyword arguments...`, or for ...": a quoted sentence, then our words
        quoted = re.match(r"`([^`]+ [^`]+)`(?=,|\s+(?:with|when|in|at)\b|$)", message)
        words = plain_words(quoted.group(1) if quoted else message)
        if words not in shown:
            line = next((n for n, row in enumerate(page.lines, 1) if row.strip().startswith("- q:")
                         and match["kind"] in row), 1)
            yield Problem(path, line, "quoted-error",
                          f"the question {entry['q']!r} quotes an error that no code block of the page "
                          "shows: quote the message a doctest prints, or write it with its {{ fact }}")


# --- Measured numbers show their spread -----------------------------------------------------

# A fact named for a measurement: an accuracy, a loss, an error, a ratio, a depth.
MEASURED_NAME = re.compile(r"accuracy|loss|_error$|error_|ratio|depth|miss|fraction|r2|score")
# A value that is one number (a single seed's), not a spread: 0.29, 29 %, 1.2e-3, 7.
BARE_NUMBER = re.compile(r"\A[~≈]?\s*[-+−]?\d[\d.,]*(?:e[-+−]?\d+)?\s*%?\Z", re.IGNORECASE)
FLOAT_PRECISION = 1e-4  # an agreement to float precision is a bound (tolerance-cap), not a result


def magnitude(value: str) -> float:
    number = float(re.sub(r"[^\d.e+-]", "", value.replace("−", "-")) or 0)
    return number / 100 if "%" in value else number


@rule("measured-spread", needs=("facts",),
      good="Adam reaches {{ adam_accuracy }}; the orders agree to {{ proven_order_error }}.",
      bad="Adam reaches {{ adam_accuracy_one_seed }}.",
      example_context={"facts": {"example": {
          "adam_accuracy": "29 % (median of 5 seeds; range 21 %–50 %)", "adam_accuracy_one_seed": "29 %",
          "proven_order_error": "2.1e-07"}}})
def measured_spread(text: str, path: str, facts: dict):
    """A number measured on training or random data (a fact named for an accuracy, a loss,
    an error, a ratio, a depth) comes from at least five seeds and shows its spread:
    `over_seeds(measure)` in the facts script (facts/_spread.py)."""
    page = page_of(text, path)
    for placeholder in page.placeholders:
        if not MEASURED_NAME.search(placeholder.name.rpartition(".")[2]):
            continue
        try:
            value = engine_facts.lookup(placeholder.name, path.removeprefix("docs/"), facts).strip()
        except engine_facts.UnknownFact:
            continue  # test_facts names an unknown fact
        if BARE_NUMBER.match(value) and abs(magnitude(value)) >= FLOAT_PRECISION:
            yield Problem(path, placeholder.line, "measured-spread",
                          f"{{{{ {placeholder.name} }}}} = {value!r} is one seed's measurement: "
                          "compute it over seeds (facts/_spread.over_seeds) so the page shows "
                          "the median and range")


# --- What cannot run here says so ------------------------------------------------------------

NOT_RUN_HERE = re.compile(r"\b(?:GPUs?|CUDA|cuDNN|TPUs?|faster|slower|speed(?:s|up)?|throughput)\b")


@rule("unchecked-claim",
      good='!!! unchecked "Not checked here: this machine has no GPU"\n\n    cuDNN runs only with `tanh`.\n',
      bad="cuDNN runs only with `tanh`.\n")
def unchecked_claims(text: str, path: str):
    """A claim about what cannot run here (a GPU path, a speed) stands in an
    `!!! unchecked "Not checked here: <why>"` admonition, or links a proof that runs here."""
    page = page_of(text, path)
    words = prose_without_code_and_facts(page)
    exempt = set().union(*page.unchecked.values())
    for line in page.unchecked:
        if not re.search(r'"Not checked here: \w[^"]+"', page.lines[line - 1]):
            yield Problem(path, line, "unchecked-claim", 'an unchecked admonition says why: '
                          '`!!! unchecked "Not checked here: <why>"`')
    proven = [link.start for link in proof_links(page)]
    for sentence in page.sentences:
        stop = sentence.start + len(sentence.text)
        if sentence.line in exempt or any(sentence.start <= start < stop for start in proven):
            continue
        match = NOT_RUN_HERE.search(words, sentence.start, stop)
        if match:
            yield Problem(path, page.line_of(match.start()), "unchecked-claim",
                          f"{match.group()!r}: this machine cannot run it; put the claim in "
                          '`!!! unchecked "Not checked here: <why>"` or link a proof that runs here')
