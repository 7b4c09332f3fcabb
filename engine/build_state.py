"""What one site build has computed, shared by the hooks that serve it.

MkDocs loads each hook file as a module of its own, so hooks cannot share globals by
importing one another; they share this module instead. `hooks/computed.py` starts a build
here (the engine's report and the facts it loaded); the others read it. Page sources with
their facts filled in are kept too, so each page is checked and filled once per build, by
whichever hook asks first. Plain Python: imports no MkDocs.
"""
from pathlib import Path

from engine import facts as engine_facts, includes
from engine._cache_key import PROJECT_ROOT
from engine.products import Product, Report

COMMAND: str = "build"  # or "serve": a preview, which may show stand-ins (engine/background.py)
REPORT: Report | None = None  # the engine's report for this build
PENDING: list[Product] = []  # its products still being computed, shown as stand-ins (a preview's)
FACTS: dict[str, dict[str, str]] = {}  # "lstm/weights" -> {"gate_order": "i, f, c, o", ...}
FILLED: dict[str, str] = {}  # page src_uri -> its source with facts filled in, checked once


class PageSourceError(Exception):
    """A page's includes or placeholders are wrong; the message names the page and line."""


def start(report: Report, pending: list[Product] = ()) -> None:
    """A new build (`mkdocs serve` rebuilds in one process: sources and facts may have changed)."""
    global REPORT
    REPORT = report
    PENDING[:] = pending
    FACTS.clear()
    FACTS.update(engine_facts.load(report.facts, pending))
    FILLED.clear()


def filled_source(page: str, path: str) -> str:
    """Page `page`'s source (at `path`) with its facts filled in: the raw file, so line numbers
    are its own. Its includes are checked first, so a wrong one is named before anything reads it."""
    if page not in FILLED:
        source = Path(path).read_text(encoding="utf-8-sig")
        wrong = includes.problems(source, page, PROJECT_ROOT)
        if wrong:
            raise PageSourceError("\n".join(map(str, wrong)))
        try:
            FILLED[page] = engine_facts.substitute(source, page, FACTS)
        except engine_facts.UnknownFact as error:
            raise PageSourceError(str(error)) from None
    return FILLED[page]
