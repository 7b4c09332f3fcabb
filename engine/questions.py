"""The "Questions this site answers" page, generated from the pages themselves.

A page lists the questions it answers in its front matter, each with a one-line answer (which
may use `{{ fact }}` placeholders) and the id of the section that proves it:

    questions:
      - q: "Which columns of an LSTM's kernel belong to which gate?"
        a: "Block k of every array, in the order {{ gate_order }}."
        at: which-columns

The index groups them by page, in the order of `pages`, and links each to its section, so
the build's link check fails on an entry whose section does not exist.
"""
import re

import yaml

from engine import facts as engine_facts

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster, same result
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
TITLE = re.compile(r"^# (?P<title>.+)$", re.MULTILINE)
# A heading whose id is written in the page (`## Gate order { #gate-order }`): an id that
# never changes, so it can be cited. The hook and the anchor registry use this one pattern.
HEADING_ID = re.compile(r"^#{2,6} .*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$", re.MULTILINE)
PAGE = "questions.md"
HEADER = """---
description: >-
  Every question Weight Atlas answers, each with a one-line answer and a link to the section
  that proves it by running Keras and PyTorch.
---

# Questions this site answers

Each answer links to the section that proves it. Search finds a question by the words you
would paste, error messages included.
"""


def questions_of(source: str) -> list[dict]:
    match = FRONT_MATTER.match(source)
    entries = (yaml.load(match["yaml"], Loader=SAFE_LOADER) or {}).get("questions", []) if match else []
    for entry in entries:
        if set(entry) != {"q", "a", "at"}:
            raise ValueError(f"a question needs exactly q, a and at: {entry}")
    return entries


def index_markdown(pages: list[tuple[str, str]], facts: dict[str, dict[str, str]]) -> str:
    """`pages` is [(src_uri, source)] in nav order; returns the index page's Markdown."""
    parts = [HEADER]
    for src_uri, source in pages:
        entries = questions_of(source)
        if not entries:
            continue
        title = engine_facts.substitute(TITLE.search(source)["title"], src_uri, facts)
        parts.append(f"\n## [{title}]({src_uri})\n")
        ids = set(HEADING_ID.findall(source))
        for entry in entries:
            question = engine_facts.substitute(entry["q"], src_uri, facts)  # as readers see it
            if entry["at"] not in ids:
                raise ValueError(f"docs/{src_uri}: the question {question!r} points at "
                                 f"#{entry['at']}, which is no fixed heading id on that page")
            # A link in an answer is written for its page (a proof link, `(#id)`): on the
            # index it must still lead there.
            answer = re.sub(r"\]\(#", f"]({src_uri}#", engine_facts.substitute(entry["a"], src_uri, facts))
            parts.append(f"- **[{question}]({src_uri}#{entry['at']})** {answer}")
    return "\n".join(parts) + "\n"
