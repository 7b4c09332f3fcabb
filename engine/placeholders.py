"""Stand-ins for products still being computed, so `mkdocs serve` can show a page at once.

Only a preview uses them (engine/background.py): a figure becomes a box that says what is
being computed, a notebook a one-cell notebook, a results file a small JSON object, and the
facts of a script still running read as PENDING. `make build` never gets here: it computes
everything first, and refuses a page that shows PENDING (hooks/computed.py).
"""
import atexit
import dataclasses
import html
import json
import shutil
import tempfile
from pathlib import Path

from engine.products import FACTS, FIGURE, NOTEBOOK, RESULTS, Product

PENDING = "⟨being computed⟩"  # what a fact reads as until its script has run
PENDING_LINK = "#being-computed"  # what it reads as in a link target: the page's banner

_FOLDER: Path | None = None  # this process's stand-ins (two previews never share one)


def folder() -> Path:
    global _FOLDER
    if _FOLDER is None:
        _FOLDER = Path(tempfile.mkdtemp(prefix="weight-atlas-placeholders-"))
        atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
    return _FOLDER


class PendingFacts(dict):
    """The facts of a script still running: every name it may define reads as PENDING."""

    def __contains__(self, name) -> bool:
        return True

    def __missing__(self, name) -> str:
        return PENDING


def stand_in(product: Product, progress: str) -> Product:
    """`product` with its output replaced by a stand-in that says what is being computed."""
    what = f"being computed: {product.label}; {progress}"
    if product.kind is FIGURE:
        content = figure(what)
    elif product.kind is NOTEBOOK:
        content = notebook(what)
    elif product.kind is RESULTS:
        content = json.dumps({"being_computed": what}) + "\n"
    elif product.kind is FACTS:
        content = "{}\n"  # read as PendingFacts (engine/facts.py)
    else:
        raise ValueError(f"no stand-in for a {product.kind.name}")
    path = folder() / product.kind.folder / f"{product.name}{product.kind.suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return dataclasses.replace(product, output=path)


def figure(what: str) -> str:
    """A box as wide as a figure, with the words in it (the page sizes figures in points)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480pt" height="90pt" viewBox="0 0 640 120">'
        '<rect x="1" y="1" width="638" height="118" fill="#f5f5f5" stroke="#888" stroke-dasharray="6 4"/>'
        f'<text x="320" y="66" text-anchor="middle" style="font-size: 18px; font-family: sans-serif"'
        f' fill="#1a1a1a">{html.escape(what)}</text></svg>\n'
    )


def notebook(what: str) -> str:
    cell = {"cell_type": "markdown", "id": "pending", "metadata": {}, "source": f"*{what}*"}
    return json.dumps({"cells": [cell], "metadata": {"description": what}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1) + "\n"
