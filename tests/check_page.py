"""`python -m tests.check_page docs/rnn/gru.md ...`: every page rule on the given pages, fast.

Runs only those pages' facts scripts (when not cached); other pages' facts are read from
the cache where it has them, so a fact another page shows is checked when it is there.
Prints each problem as `path:line: [rule] message`; exits 1 if there is any. For the whole
site, `make test` runs the same rules (tests/test_rules.py).
"""
import json
import sys
from pathlib import Path

from engine import facts as engine_facts
from engine._runner import FACTS, discover, render
from engine.problems import RULES
from engine.site_facts import site_facts
from tests import claims, code_rules, external_links, meaning, prose, question_targets, rules  # noqa: F401  (they register their rules)
from tests.project import ROOT, where


def facts_for(pages: list[Path]) -> dict[str, dict[str, str]]:
    wanted = {engine_facts.facts_name_of(page.relative_to(ROOT / "docs").as_posix()) for page in pages}
    facts = {}
    for product in discover([FACTS]):
        if product.name in wanted and not product.output.is_file():
            print(f"computing facts/{product.name}.py ...", file=sys.stderr)
            render(product)
        if product.output.is_file():
            facts[product.name] = {k: str(v) for k, v in json.loads(product.output.read_text()).items()}
    facts["site"] = site_facts()  # as engine/facts.load adds them
    return facts


def main(arguments: list[str]) -> int:
    pages = [Path(argument).resolve() for argument in arguments]
    facts = facts_for(pages)
    problems = []
    for page in pages:
        text, name = page.read_text(encoding="utf-8"), where(page)
        for rule in RULES.values():
            if rule.kind == "page":
                context = {"facts": facts, "root": ROOT}
                problems += [str(p) for p in rule(text, name, **{k: context[k] for k in rule.needs})]
        try:
            engine_facts.substitute(text, page.relative_to(ROOT / "docs").as_posix(), facts)
        except engine_facts.UnknownFact as error:
            problems.append(f"{error} (or its facts script is not computed yet)")
    print("\n".join(problems) or "no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
