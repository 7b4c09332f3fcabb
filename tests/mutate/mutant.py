"""A mutant: one wrong edit of one file, and the few text helpers every operator uses."""
import dataclasses


@dataclasses.dataclass(frozen=True)
class Mutant:
    path: str  # the file it edits, from the project root: "docs/rnn/gru.md"
    line: int  # the first line the edit changes
    operator: str  # "swap-placeholders"
    description: str  # one line: "swap {{ units }} and {{ timesteps }}"
    text: str = dataclasses.field(repr=False, compare=False)  # the whole file, edited

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.operator}: {self.description}"


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def edit(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) applied; the spans must not overlap."""
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def swapped(text: str, first: tuple[int, int], second: tuple[int, int]) -> str:
    """`text` with two non-overlapping spans exchanged."""
    (a, b), (c, d) = sorted([first, second])
    return edit(text, [(a, b, text[c:d]), (c, d, text[a:b])])


def short(snippet: str, width: int = 60) -> str:
    """A piece of a file on one line, for a description."""
    flat = " ".join(snippet.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def mutant(path: str, original: str, text: str, offset: int, operator: str,
           description: str) -> Mutant | None:
    """A Mutant, or None for an edit that changes nothing: no operator yields a no-op."""
    if text == original:
        return None
    return Mutant(path, line_of(original, offset), operator, description, text)
