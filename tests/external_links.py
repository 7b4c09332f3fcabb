"""A link to a library's documentation says what it documents: a link whose text is an API
name in code (`[`torch.nn.GRU`](https://...)`) points at an address that names it.

Rule `link-target` holds links inside the site to their headings; this one holds links out
of it to their names. Two such links swapped in a list of sources (`torch.nn.LSTM`'s text on
`torch.nn.GRU`'s page) read as right as before and send the reader to the wrong class.
"""
import re

from engine.page import page_of
from engine.problems import Problem, rule

CODE_LINK = re.compile(r"\[`(?P<name>[^`\]]+)`\]\((?P<url>https?://[^)\s]+)\)")


def stems(name: str) -> list[str]:
    """The words of an API name's last part that an address would spell, without a final
    "e" or "s" (`parametrize` is documented under "parametrizations")."""
    last = re.split(r"[.\s]", re.sub(r"\(.*\)$", "", name).strip())[-1]
    words = [word.lower() for word in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z][a-z])", last) if word]
    return [re.sub(r"(?<=..)[es]$", "", word) for word in words if len(word) >= 3] or [last.lower()]


def squashed(text: str) -> str:
    return re.sub(r"[-_]", "", text.lower())


def names_it(url: str, name: str) -> bool:
    """Whether the address names the API: an address ending in a dotted name
    (`.../torch.linalg.solve_ex.html`) ends with this one's (`torch.linalg.solve` does not);
    any other names a word of it."""
    page = re.sub(r"\.html?$", "", url.rstrip("/").split("/")[-1].split("#")[0])
    dotted = re.sub(r"\(.*\)$", "", name).strip()
    if "." in page and "." in dotted:
        return squashed(page) == squashed(dotted) or squashed(page).endswith("." + squashed(dotted))
    return any(squashed(stem) in squashed(url) for stem in stems(name))


@rule("external-link-text",
      good="See [`torch.nn.GRU`](https://pytorch.org/docs/stable/generated/torch.nn.GRU.html).\n",
      bad="See [`torch.nn.LSTM`](https://pytorch.org/docs/stable/generated/torch.nn.GRU.html).\n")
def external_link_texts(text: str, path: str):
    """A link whose text is an API name in code points at an address that names it."""
    page = page_of(text, path)
    prose = page.without_blocks
    for match in CODE_LINK.finditer(prose):
        if not names_it(match["url"], match["name"]):
            yield Problem(path, page.line_of(match.start()), "external-link-text",
                          f"[`{match['name']}`] points at {match['url']}, which does not name it: "
                          "link the name to its own documentation")
