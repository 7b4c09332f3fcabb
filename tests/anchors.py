"""The registry of every published page and fixed anchor: `published-anchors.txt`.

A line is a page URL (`lstm/weights/`) or a page URL and a heading id written in the page
(`lstm/weights/#gate-order`). tests/test_anchors.py fails when one disappears without a
redirect or an alias. `make anchors` (`python -m tests.anchors`) adds what a build publishes
that the registry lacks; it never removes a line.
"""
import sys
from pathlib import Path

from engine import questions
from tests.project import DOCS, ROOT, notebook_page_urls, page_url, pages

REGISTRY = ROOT / "published-anchors.txt"


def registered() -> list[str]:
    lines = REGISTRY.read_text(encoding="utf-8").splitlines() if REGISTRY.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def published_now() -> list[str]:
    """Each page's URL and its explicit heading ids, from the Markdown sources."""
    entries = [page_url(DOCS / questions.PAGE)]  # the index the build generates
    for page in pages():
        url = page_url(page) or "/"  # the home page
        entries.append(url)
        entries += [f"{url}#{heading_id}" for heading_id in questions.HEADING_ID.findall(page.read_text())]
    return entries + notebook_page_urls()


def main() -> int:
    known = registered()
    added = [entry for entry in published_now() if entry not in known]
    header = "# Every page and fixed anchor the site has published: keep each alive (tests/anchors.py).\n"
    REGISTRY.write_text(header + "\n".join(sorted({*known, *added})) + "\n", encoding="utf-8")
    print(f"{len(added)} added to {REGISTRY.name}" + "".join(f"\n  {entry}" for entry in added))
    return 0


if __name__ == "__main__":
    sys.exit(main())
