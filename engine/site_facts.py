"""Facts about the site itself: `{{ site.unchecked_claims }}`, `{{ site.mutation_score }}`.

The landing page's promise says exactly what holds, so what it counts is generated:
- the claims marked `!!! unchecked "Not checked here: <why>"` (engine/page.py), which this
  machine cannot run (a GPU path, a speed), counted from the pages;
- the mutation score of the last full `make mutate` run (the weekly workflow, whose report
  the publishing workflow downloads to `<cache>/mutation/mutation-report.json`); a build
  without that report says so instead of showing an old or a sampled score.
Plain Python, cheap: pages and the report are read as text, nothing runs.
"""
import json
import os
import time
from pathlib import Path

from engine.page import page_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOCS = PROJECT_ROOT / "docs"


def mutation_report() -> Path:
    cache = Path(os.environ.get("WEIGHT_ATLAS_CACHE", PROJECT_ROOT / ".cache"))
    return cache / "mutation" / "mutation-report.json"


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def mutation_facts(report_file: Path) -> dict[str, str]:
    if not report_file.is_file():
        return {"mutation_score": "not measured for this build (the weekly full run publishes it)"}
    report = json.loads(report_file.read_text(encoding="utf-8"))
    if not report.get("full"):
        raise ValueError(f"{report_file}: a sampled run; the site shows only a full run's score")
    score = report["score"]
    when = report.get("date") or time.strftime("%Y-%m-%d", time.gmtime(report_file.stat().st_mtime))
    return {"mutation_score": f"{score['percent']} % of {plural(score['total'], 'wrong edit')} "
                              f"caught by the tests (full run of {when})"}


def site_facts(docs: Path = DOCS, report_file: Path | None = None) -> dict[str, str]:
    marked = {}
    for page in sorted(docs.rglob("*.md")):
        found = page_of(page.read_text(encoding="utf-8"), str(page)).unchecked
        if found:
            marked[page.relative_to(docs).as_posix()] = len(found)
    return {
        "unchecked_claims": plural(sum(marked.values()), "claim"),
        "unchecked_pages": plural(len(marked), "page"),
        **mutation_facts(report_file or mutation_report()),
    }
