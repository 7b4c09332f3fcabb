"""Put computed facts into a page: `{{ name }}` placeholders replaced by their values.

A page `docs/<topic>/<page-name>.md` reads the facts of `facts/<topic>/<page_name>.py` by
their bare name (`{{ gate_order }}`) and any other page's by a dotted path
(`{{ lstm.weights.gate_order }}`). An unknown name is an error naming the page and line:
a page never shows a placeholder or an empty gap. Plain Python, so any renderer can call it.
"""
import json
import re
from pathlib import Path

from engine.products import Product
from engine.page import PLACEHOLDER
from engine.placeholders import PENDING, PENDING_LINK, PendingFacts
from engine.site_facts import site_facts

ANY_PLACEHOLDER = re.compile(r"\{\{.*?\}\}")  # what a reader would see if it were left unfilled
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# A front-matter line whose value is a quoted scalar: `  a: 'It''s {{ x }}'`, `- q: "..."`.
YAML_QUOTED = re.compile(r"[ \t]*(?:-[ \t]*)?[\w-]+:[ \t]*(?P<quote>['\"])")


class UnknownFact(Exception):
    pass


def load(products: list[Product], pending: list[Product] = ()) -> dict[str, dict[str, str]]:
    """{"lstm/weights": {"gate_order": "i, f, c, o", ...}} from the cached facts files, and
    the site's own facts, counted from its pages (`{{ site.unchecked_claims }}`). The facts of
    a `pending` product (a preview's stand-in, engine/background.py) all read as PENDING."""
    waiting = {product.name for product in pending}
    facts = {
        product.name: PendingFacts() if product.name in waiting else
        {name: str(value) for name, value in json.loads(product.output.read_text()).items()}
        for product in products
    }
    facts["site"] = site_facts()
    return facts


def facts_name_of(page: str) -> str:
    """The facts a page reads by bare name: "rnn/units-and-shapes.md" -> "rnn/units_and_shapes"
    (pages are kebab-case, Python files snake_case)."""
    return Path(page).with_suffix("").as_posix().replace("-", "_")


def lookup(name: str, page: str, facts: dict[str, dict[str, str]]) -> str:
    if "." in name:
        *path, key = name.split(".")
        source = "/".join(path)
    else:
        source, key = facts_name_of(page), name
    if key not in facts.get(source, {}):
        known = ", ".join(sorted(facts.get(source, {}))) or "none: the script does not exist"
        raise UnknownFact(f"no fact {name!r} (facts/{source}.py defines: {known})")
    return facts[source][key]


def substitute(markdown: str, page: str, facts: dict[str, dict[str, str]]) -> str:
    """`markdown` with every placeholder replaced; UnknownFact names `docs/<page>:<line>`."""

    front_matter = FRONT_MATTER.match(markdown)
    front_matter_end = front_matter.end() if front_matter else 0

    def value_of(match: re.Match) -> str:
        try:
            value = lookup(match["name"], page, facts)
        except UnknownFact as error:
            line = markdown.count("\n", 0, match.start()) + 1
            raise UnknownFact(f"docs/{page}:{line}: {error}") from None
        if value is PENDING and markdown.endswith("](", 0, match.start()):
            return PENDING_LINK  # a link whose target is still being computed: to the banner
        if match.start() < front_matter_end:  # inside a quoted YAML scalar: keep it one
            line_start = markdown.rfind("\n", 0, match.start()) + 1
            quoted = YAML_QUOTED.match(markdown, line_start)
            if quoted and quoted["quote"] == "'":
                return value.replace("'", "''")
            if quoted:
                return value.replace("\\", "\\\\").replace('"', '\\"')
        return value

    filled = PLACEHOLDER.sub(value_of, markdown)
    malformed = ANY_PLACEHOLDER.search(PLACEHOLDER.sub("", markdown))
    if malformed:
        line = PLACEHOLDER.sub("", markdown).count("\n", 0, malformed.start()) + 1
        raise UnknownFact(f"docs/{page}:{line}: {malformed.group()!r} is no placeholder: a fact's "
                          "name is lower-case letters, digits, _ and dots ({{ gate_order }})")
    return filled


def used_names(markdown: str, page: str) -> set[tuple[str, str]]:
    """(facts name, key) pairs a page's placeholders refer to."""
    used = set()
    for match in PLACEHOLDER.finditer(markdown):
        *path, key = match["name"].split(".")
        used.add(("/".join(path) if path else facts_name_of(page), key))
    return used
