"""Verdicts that need no copy of the project and no test run: a mutant that a rule reading
only its own file reports is killed by that rule's test, known in milliseconds instead of
the seconds a pytest run takes. Most mutants are decided here: every weakened assert (the
rule `recorded-check`), and most page mutants (the page rules).

    python -m tests.mutate.screen KEYS VERDICTS

runs in the runner's snapshot (its working directory and PYTHONPATH), with the snapshot's
facts already in the cache (Runner.warm). KEYS is a JSON list of mutant keys (`key()`);
VERDICTS gets {key: [test, message]} for each of those mutants a rule reports. A mutant the
screen does not kill is not "survived": it goes on to its pytest runs (tests/mutate/affected.py).

A kill here is the same finding as the test it names: the same rule, on the same text, with
the same facts and project root, and only a problem the unmutated file does not have. Rules
on scripts that read facts are left to the test run: a script's mutant may change the facts.
"""
import collections
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path.cwd()


def key(path: str, text: str) -> str:
    """Names a mutant by its content: the runner and this process make the same mutants."""
    return hashlib.sha1(f"{path}\0{text}".encode()).hexdigest()


def findings(rule, text: str, path: str, context: dict) -> collections.Counter:
    """(rule, message) of each problem, counted: line numbers move when a mutant adds a line."""
    return collections.Counter((p.rule, p.message)
                               for p in rule(text, path, **{k: context[k] for k in rule.needs}))


def first_new(rules, mutant, context: dict, unmutated: dict) -> tuple[str, str] | None:
    """The first rule's first problem the mutant has and its unmutated file has not."""
    for rule in rules:
        if (mutant.path, rule.name) not in unmutated:
            original = (context["root"] / mutant.path).read_text(encoding="utf-8")
            unmutated[mutant.path, rule.name] = findings(rule, original, mutant.path, context)
        new = findings(rule, mutant.text, mutant.path, context) - unmutated[mutant.path, rule.name]
        if new:
            return sorted(new)[0]
    return None


def main(keys_file: str, verdicts_file: str) -> int:
    from engine import facts as engine_facts
    from engine._runner import FACTS, discover
    from engine.problems import RULES
    from tests import claims, code_rules, external_links, fact_expressions, meaning, prose, question_targets, recorded_checks, rules  # noqa: F401  (they register their rules)
    from tests.mutate.operators import project_mutants

    wanted = set(json.loads(Path(keys_file).read_text(encoding="utf-8")))
    facts = engine_facts.load(discover([FACTS]))  # computed by Runner.warm: never run here
    context = {"facts": facts, "root": ROOT}
    # The slowest rule (it parses every code block) last: most mutants are decided before it.
    page_rules = sorted((rule for rule in RULES.values() if rule.kind == "page"),
                        key=lambda rule: rule.name == "unrun-code")
    python_rules = [rule for rule in RULES.values() if rule.kind == "python"]
    python_rules.sort(key=lambda rule: rule.name != "recorded-check")  # what most mutants break
    unmutated: dict[tuple[str, str], collections.Counter] = {}
    verdicts = {}
    for mutant in project_mutants(ROOT):
        name = key(mutant.path, mutant.text)
        if name not in wanted:
            continue
        if mutant.path.endswith(".md"):
            rules = page_rules
            page = mutant.path.removeprefix("docs/")
            try:
                engine_facts.substitute(mutant.text, page, facts)
            except engine_facts.UnknownFact as error:
                test = f"tests/test_facts.py::test_every_placeholder_names_a_computed_fact[{mutant.path}]"
                verdicts[name] = [test, str(error)[:300]]
                continue
        else:
            rules = [rule for rule in python_rules if "facts" not in rule.needs]
        found = first_new(rules, mutant, context, unmutated)
        if found:
            rule, message = found
            test = (f"tests/test_rules.py::test_every_page_follows_the_rule[{rule}-{mutant.path}]"
                    if mutant.path.endswith(".md") else
                    f"tests/test_rules.py::test_every_script_follows_the_rule[{rule}]")
            verdicts[name] = [test, message[:300]]
    Path(verdicts_file).write_text(json.dumps(verdicts, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
