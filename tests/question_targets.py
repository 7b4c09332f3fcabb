"""A question's `at:` leads to the section that answers it: of all the sections of its page,
the one whose words are most like the question's and its answer's.

The questions index (docs/questions.md) links each question of a page's front matter to
`#<at>`. A heading id that exists (rule `question-anchor`) can still be the wrong one: an
`at:` moved to a neighbouring heading reads as well as the right one. So each section of the
page is compared with the question and its answer as a bag of words weighted by how rare
each word is on that page (tf-idf, cosine similarity): a word every section uses says
nothing, a word one section uses says where the answer is. A section's words are its
heading, its id and its own text up to the next heading, with the words of the facts
(`{{ bias_rows }}` says "bias rows") and of inline code (`weight_ih_l0`) it quotes.
"""
import collections
import math
import re

from engine.page import Page, page_of, snippet_sections
from engine.problems import Problem, rule
from tests.meaning import STOP_WORDS, singular
from tests.project import ROOT

# A target this close to the best section, as a share of the spread from the worst to the
# best of the page, fits as well: a sentence edited elsewhere on the page must not flip a
# question between two close sections, and on a page of a few alike sections the spread is small.
CLOSE = 0.15
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
NAMED = re.compile(r"\{\{\s*([\w.]+)[^}]*\}\}|`([^`\n]+)`")


def words(text: str) -> collections.Counter:
    """How often each content word occurs in `text` (as tests/meaning.content_words reads
    words), the words of fact names and inline code included (split at `_` and `.`)."""
    text = MATH.sub(" ", text)  # LaTeX commands are not what a section is about
    named = " ".join((fact or code).replace("_", " ").replace(".", " ") for fact, code in NAMED.findall(text))
    plain = re.sub(r"<[^>\n]*>|\{\{.*?\}\}|[`*_$\\{}]", " ", f"{text} {named}".lower())  # tags are not words
    return collections.Counter(singular(word) for word in re.findall(r"[a-z][a-z0-9]*", plain)
                               if word not in STOP_WORDS and len(word) >= 2)


def own_text(page: Page, heading, root=None) -> str:
    """The heading's line and the lines under it, up to the next heading of any level, with
    the code it includes from snippets/ (what the reader sees there)."""
    later = [h.line for h in page.headings if h.line > heading.line]
    end = min(later, default=len(page.lines) + 1)
    shown = [included(include, root) for include in page.includes if heading.line < include.line < end]
    return "\n".join([*page.lines[heading.line - 1:end - 1], *shown])


def included(include, root) -> str:
    """The text of an included snippet section, or "" when it cannot be read (rule
    include-section names that)."""
    file = (root or ROOT) / include.path
    if not file.is_file():
        return ""
    source = file.read_text(encoding="utf-8")
    span = snippet_sections(source).get(include.section) if include.section else None
    return "\n".join(source.split("\n")[span[0]:span[1] - 1]) if span else ""


def similarities(page: Page, question: str, root=None) -> list[tuple[float, str]]:
    """(cosine similarity, heading id) of every section with an id, best first. A section
    is read twice, its own text and with its subsections (a heading over subsections is
    answered by them), and scores the better of the two."""
    headings = [h for h in page.headings if h.level > 1 and h.id]
    own = {h.id: words(own_text(page, h, root) + " " + h.id.replace("-", " ")) for h in headings}
    whole = {h.id: sum((own[o.id] for o in headings if o is h or inside(page, o, h)), collections.Counter())
             for h in headings}
    if not own:
        return []
    frequency = collections.Counter(word for counts in own.values() for word in counts)
    weight = {word: math.log((1 + len(own)) / (1 + n)) + 1 for word, n in frequency.items()}

    def vector(counts):
        return {word: (1 + math.log(n)) * weight.get(word, 0.0) for word, n in counts.items()}

    def cosine(a, b):
        dot = sum(value * b.get(word, 0.0) for word, value in a.items())
        norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
        return dot / norm if norm else 0.0

    asked = vector(words(question))
    scores = {h.id: max(cosine(asked, vector(own[h.id])), cosine(asked, vector(whole[h.id]))) for h in headings}
    return sorted(((score, anchor) for anchor, score in scores.items()), key=lambda pair: (-pair[0], pair[1]))


def inside(page: Page, heading, parent) -> bool:
    """Whether `heading` is a subsection of `parent`."""
    start, end = page.section_lines(parent.id)
    return start < heading.line < end and heading.level > parent.level


GOOD = ('---\nquestions:\n  - q: "Which order are the gates in?"\n    a: "{{ gate_order }}"\n'
        '    at: gate-order\n---\n\n# Page\n\n## Gate order { #gate-order }\n\nThe gates, in order.\n\n'
        '## Bias rows { #bias-rows }\n\nTwo bias rows.\n')


@rule("question-target", good=GOOD, bad=GOOD.replace("at: gate-order", "at: bias-rows"), needs=("facts", "root"),
      example_context={"facts": {"example": {"gate_order": "i, f, c, o"}}})
def question_targets(text: str, path: str, facts, root):
    """A question's `at:` is the section of its page whose words fit the question and its
    answer best, or holds it, or is as close to the best as 15 % of the page's spread (tf-idf)."""
    page = page_of(text, path)
    read = rendered(text, path, facts)
    for number, entry in enumerate(page.questions):
        anchor = str(entry.get("at", ""))
        ranked = similarities(read, f"{entry.get('q', '')} {entry.get('a', '')}", root)
        if anchor not in page.heading_ids or not ranked:
            continue  # a missing id is rule question-anchor's
        best = read.heading_ids.get(ranked[0][1])
        if ranked[0][1] == anchor or inside(read, best, read.heading_ids[anchor]):
            continue  # the reader lands on the section that holds the answer
        mine = next(score for score, name in ranked if name == anchor)
        if ranked[0][0] - mine <= CLOSE * (ranked[0][0] - ranked[-1][0]):
            continue  # as good as the best, within what a word more or less changes
        yield Problem(path, at_line(page, number), "question-target",
                      f"the question {entry.get('q')!r} points at #{anchor} (similarity {mine:.2f}), "
                      f"but its words fit #{ranked[0][1]} better ({ranked[0][0]:.2f}): point it "
                      "there, or say in the question or answer what its section is about")


def rendered(text: str, path: str, facts) -> Page:
    """The page with its facts filled in, as a reader reads it (as written when a fact is
    not computed: rule typed-fact and the build name that)."""
    from engine import facts as engine_facts

    try:
        return Page(engine_facts.substitute(text, path.removeprefix("docs/"), facts), path)
    except engine_facts.UnknownFact:
        return page_of(text, path)


def at_line(page: Page, number: int) -> int:
    """The line of the `number`-th question's `at:` in the front matter."""
    ats = [n for n, line in enumerate(page.lines, 1) if re.match(r"\s*at:\s*\S", line)]
    return ats[number] if number < len(ats) else 1
