"""One model of a page: what the site renders, each part with its line.

The build's checks, the tests' rules, the notebooks and `make mutate` all read a page
through this model, so they cannot disagree about what a page holds:

- front matter (YAML) and the questions in it;
- fenced code blocks, found by Sybil's lexer (the one that runs the page's doctests),
  indented ones inside tabs, admonitions and list items included;
- includes, found by pymdownx.snippets' own patterns (inline and block form);
- headings with their written ids (`## Gate order { #gate-order }`);
- `{{ fact }}` placeholders, with the one pattern engine/facts.py fills;
- links, tables and sentences of prose: what a reader reads as text.

Plain Python (Markdown's and pymdownx's patterns, no MkDocs): any renderer can call it.
"""
import dataclasses
import functools
import re

import markdown
import yaml
from sybil import Document
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when present
# `{{ name }}` or `{{ other.page.name }}`: the one pattern engine/facts.py fills.
PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\s*\}\}")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*(?:\{(?P<attrs>[^}]*)\})?[ \t]*$",
                     re.MULTILINE)
HEADING_ID = re.compile(r"#(?P<id>[\w-]+)")
# [text](target) not preceded by "!" (an image); the target up to a space or ")".
LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])+)\]"
                  r"\((?P<target>\{\{[^}]*\}\}[^)\s]*|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
INLINE_CODE = re.compile(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)")
TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
# Not prose: reference definitions, attribute lists, HTML comments and tags, block markers.
NOT_PROSE = [
    re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE),
    re.compile(r"\{\s*[#.][^}]*\}"),
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"</?[a-zA-Z][^>]*>"),
    re.compile(r"^[ \t]*/{3}.*$", re.MULTILINE),  # /// caption ... ///
    re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+|^[ \t]*===", re.MULTILINE),  # admonition, tab
]
# `!!! unchecked "Not checked here: <why>"`: a claim this machine cannot run, marked so.
UNCHECKED = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+unchecked\b[ \t]*(?:\"(?P<title>[^\"]*)\")?.*$",
                       re.MULTILINE)
# A sentence ends at . ! ? followed by space and a capital, a placeholder or a code span,
# or at a blank line, a heading, a list item or a table row.
SENTENCE_END = re.compile(r"(?<=[.!?])[ \t\n]+(?=[A-Z\[`{$*])|\n[ \t]*\n")


@dataclasses.dataclass(frozen=True)
class Block:
    line: int  # of the opening fence
    end: int  # of the closing fence
    info: str  # after the fence, stripped: "python", "pycon", "{ .py title=x }"
    info_as_written: str
    source: str  # between the fences, without the indentation of a tab or list item

    @property
    def language(self) -> str:
        """The language a renderer reads, lower case: `python title=x`, `Python`,
        `{ .python }` alike; "" for a block that names none."""
        if self.info.startswith("{"):
            first_class = re.search(r"(?:^|[\s{])\.([^\s{}.#=]+)", self.info)
            return first_class[1].lower() if first_class else ""
        return re.split(r"[\s{]", self.info, maxsplit=1)[0].lower()


@dataclasses.dataclass(frozen=True)
class Include:
    line: int
    spec: str  # as written: "snippets/lstm/split_gates.py:split"
    path: str  # "snippets/lstm/split_gates.py"
    section: str | None  # None for a whole file or a range of lines
    lines: bool  # True for `file:3:8`, which pages must not use


@dataclasses.dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  # without its attribute list
    id: str | None  # the written id, if any


@dataclasses.dataclass(frozen=True)
class Placeholder:
    line: int
    name: str  # "gate_order" or "lstm.weights.gate_order"
    start: int  # offsets in the page text
    end: int


@dataclasses.dataclass(frozen=True)
class Link:
    line: int
    text: str
    target: str  # "../pytorch/recurrent-layers.md#b-hn", "#bias-rows"
    start: int
    end: int

    @property
    def page(self) -> str:
        return self.target.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.target.partition("#")[2]


@dataclasses.dataclass(frozen=True)
class Sentence:
    line: int
    text: str  # as written: placeholders and inline code kept, non-prose blanked
    start: int  # offset in the page text


@dataclasses.dataclass(frozen=True)
class Table:
    line: int  # of the header row
    rows: tuple[tuple[int, str], ...]  # (line, text) of each body row, as written


def blank(text: str, pattern: re.Pattern) -> str:
    """`text` with each match replaced by spaces, newlines kept: offsets and lines stay."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def snippet_sections(source: str) -> dict[str, tuple[int, int]]:
    """{name: (line of `# --8<-- [start:name]`, line of `# --8<-- [end:name]`)} of a
    snippet file, read with pymdownx.snippets' own pattern; a section it could not extract
    (an end before any start) is left out. The build's include check and the tests' rules
    both read sections here."""
    pattern = snippet_notation().RE_SNIPPET_SECTION
    starts, found, broken = {}, {}, set()
    for number, line in enumerate(source.split("\n"), 1):
        match = pattern.match(line) if "8<-" in line else None
        if match is None or match["escape"]:
            continue
        section, kind = match["name"], match["type"].lower()
        if kind == "start":
            starts.setdefault(section, number)
        elif section not in starts:
            broken.add(section)  # pymdownx stops at an end before any start
        else:
            found.setdefault(section, (starts[section], number))
    return {section: lines for section, lines in found.items() if section not in broken}


@functools.cache
def snippet_notation():
    """The pymdownx.snippets preprocessor itself: its patterns decide what is an include."""
    return markdown.Markdown(extensions=["pymdownx.snippets"]).preprocessors["snippet"]


class Page:
    """A page's source, read once into its parts. `path` names it in every problem."""

    def __init__(self, text: str, path: str = "<page>"):
        self.text = text
        self.path = path
        self.lines = text.split("\n")

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    # --- front matter -------------------------------------------------------------------

    @functools.cached_property
    def front_matter_end(self) -> int:
        """The line of the front matter's closing `---`; 0 when there is none."""
        match = FRONT_MATTER.match(self.text)
        return self.line_of(match.end()) - 1 if match else 0

    @functools.cached_property
    def front_matter(self) -> dict:
        match = FRONT_MATTER.match(self.text)
        return (yaml.load(match["yaml"], Loader=SAFE_LOADER) or {}) if match else {}

    @functools.cached_property
    def questions(self) -> list[dict]:
        entries = self.front_matter.get("questions", []) or []
        for entry in entries:
            if set(entry) != {"q", "a", "at"}:
                raise ValueError(f"{self.path}: a question needs exactly q, a and at: {entry}")
        return entries

    # --- code ----------------------------------------------------------------------------

    @functools.cached_property
    def blocks(self) -> list[Block]:
        lexer = RawFencedCodeBlockLexer(info_pattern=re.compile(r"(?P<info>.*)$\n", re.MULTILINE))
        return [
            Block(
                line=self.line_of(region.start),
                end=self.line_of(region.end),
                info=region.lexemes["info"].strip(),
                info_as_written=region.lexemes["info"],
                source=str(region.lexemes["source"]),
            )
            for region in lexer(Document(self.text, self.path))
        ]

    @functools.cached_property
    def block_lines(self) -> frozenset[int]:
        return frozenset(n for block in self.blocks for n in range(block.line, block.end + 1))

    @functools.cached_property
    def includes(self) -> list[Include]:
        """What pymdownx.snippets includes: inline `--8<-- "file:section"` lines and the
        paths of `--8<--` blocks; escaped `;--8<--` ones are text."""
        notation = snippet_notation()
        found, in_block = [], False
        for number, line in enumerate(self.lines, 1):
            match = notation.RE_ALL_SNIPPETS.match(line)
            if match and match["escape"]:
                continue
            if match and match["inline_marker"]:
                if not in_block:  # pymdownx ignores inline notation inside a block
                    found.append((number, match["snippet"][1:-1].strip()))
            elif match:
                in_block = not in_block
            elif in_block and line.strip() and not line.strip().startswith(";"):
                found.append((number, line.strip()))
        includes = []
        for number, spec in found:
            target = notation.parse_snippet_target(spec) or {"path": "", "start": [], "section": None}
            includes.append(Include(number, spec, target["path"], target["section"], bool(target["start"])))
        return includes

    # --- structure -----------------------------------------------------------------------

    @functools.cached_property
    def headings(self) -> list[Heading]:
        found = []
        for match in HEADING.finditer(self.text):
            line = self.line_of(match.start())
            if line in self.block_lines or line <= self.front_matter_end:
                continue  # a comment in a code block, or YAML
            written = HEADING_ID.search(match["attrs"] or "")
            found.append(Heading(line, len(match["hashes"]), match["text"].strip(),
                                 written["id"] if written else None))
        return found

    @functools.cached_property
    def heading_ids(self) -> dict[str, Heading]:
        return {heading.id: heading for heading in self.headings if heading.id}

    @functools.cached_property
    def placeholders(self) -> list[Placeholder]:
        return [Placeholder(self.line_of(m.start()), m["name"], m.start(), m.end())
                for m in PLACEHOLDER.finditer(self.text)]

    def section_lines(self, anchor: str) -> tuple[int, int]:
        """(line of the heading with id `anchor`, line of the next heading of its level or
        higher, or one past the last line): the lines a link to `#anchor` leads to."""
        heading = self.heading_ids.get(anchor)
        if heading is None:
            raise KeyError(f"{self.path}: no heading with the id {anchor!r}")
        later = [h.line for h in self.headings if h.line > heading.line and h.level <= heading.level]
        return heading.line, min(later, default=len(self.lines) + 1)

    def section(self, anchor: str) -> str:
        """The text under the heading with id `anchor`, the heading included."""
        start, end = self.section_lines(anchor)
        return "\n".join(self.lines[start - 1:end - 1])

    @functools.cached_property
    def unchecked(self) -> dict[int, set[int]]:
        """{line of each `!!! unchecked` admonition: the lines it covers, its title's included}."""
        found = {}
        for match in UNCHECKED.finditer(self.text):
            first = self.line_of(match.start())
            covered = {first}
            for number in range(first + 1, len(self.lines) + 1):
                line = self.lines[number - 1]
                if line.strip() and len(line) - len(line.lstrip()) <= len(match["indent"]):
                    break
                covered.add(number)
            found[first] = covered
        return found

    # --- prose ---------------------------------------------------------------------------

    @functools.cached_property
    def without_blocks(self) -> str:
        """The page with its code blocks blanked, lines and offsets kept."""
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line) + 1)
        text = self.text
        for block in self.blocks:
            start, stop = starts[block.line - 1], starts[block.end]
            text = text[:start] + re.sub(r"[^\n]", " ", text[start:stop]) + text[stop:]
        return text

    @functools.cached_property
    def prose(self) -> str:
        """What a reader reads as text, front matter included (its description and answers
        are shown too), same length and lines as the page: code blocks, comments, tags and
        attribute lists blanked; placeholders, inline code and link texts kept, link
        targets blanked."""
        text = self.without_blocks
        for pattern in NOT_PROSE:
            text = blank(text, pattern)
        text = LINK.sub(lambda m: m["text"].join(["[", "]" + " " * (len(m.group()) - len(m["text"]) - 2)]), text)
        if self.front_matter_end:  # YAML keys, quotes and comments are not prose
            head = "\n".join(self.lines[:self.front_matter_end])
            for pattern in (r"^[ \t]*at:.*$",  # a question's section id
                            r"^[ \t]*(?:-[ \t]*)?[a-z_]+[ \t]*:[ \t]*(?:>-|['\"])?",  # key:
                            r"['\"]?[ \t]+#[ \t].*$|['\"][ \t]*$",  # comment, closing quote
                            r"^---$"):
                head = blank(head, re.compile(pattern, re.MULTILINE))
            text = head + text[len(head):]
        return text

    @functools.cached_property
    def links(self) -> list[Link]:
        text = self.without_blocks  # a link in a code block is code
        in_code = [(m.start(), m.end()) for m in INLINE_CODE.finditer(text)]
        return [Link(self.line_of(m.start()), m["text"], m["target"], m.start(), m.end())
                for m in LINK.finditer(text)
                if not any(start < m.start() < end for start, end in in_code)]

    @functools.cached_property
    def tables(self) -> list[Table]:
        """Pipe tables typed in the page (a generated table is one placeholder)."""
        found, rows, header = [], [], None
        for number, line in enumerate([*self.lines, ""], 1):
            if number not in self.block_lines and TABLE_ROW.match(line):
                if header is None:
                    header = number
                elif not TABLE_RULE.match(line):
                    rows.append((number, line))
                continue
            if header is not None and rows:
                found.append(Table(header, tuple(rows)))
            header, rows = None, []
        return found

    @functools.cached_property
    def sentences(self) -> list[Sentence]:
        """The prose cut into sentences; a table row, a heading, a list item and a
        front-matter entry are each units of their own."""
        prose = self.prose
        cuts = {0, len(prose)}
        offset = 0
        for line in self.lines:  # structural boundaries: each of these lines starts a unit
            stripped = line.lstrip()
            if stripped.startswith(("|", "#", "- ", "* ", "1. ")) or re.match(r"\d+\. ", stripped):
                cuts.update({offset, offset + len(line)})
            offset += len(line) + 1
        cuts.update(match.end() for match in SENTENCE_END.finditer(prose))
        if self.front_matter_end:
            offset = 0
            for line in self.lines[:self.front_matter_end]:
                if re.match(r"\s*(?:-\s*)?(?:q|a|at|description)\s*:", line):
                    cuts.add(offset)
                offset += len(line) + 1
        found = []
        ordered = sorted(cuts)
        for start, stop in zip(ordered, ordered[1:]):
            piece = prose[start:stop]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                found.append(Sentence(self.line_of(start + lead), piece.strip(), start + lead))
        return found


@functools.lru_cache(maxsize=64)
def page_of(text: str, path: str = "<page>") -> Page:
    """The Page of a text, read once however many rules ask: every rule of a page parses
    the same text, and a Page never changes after it is made."""
    return Page(text, path)
