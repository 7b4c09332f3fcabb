"""Every named rule (engine/problems.py) holds on every page and script it reads, and each
rule's own good example passes and its bad example fails, naming the file and line.

Rules are registered by the modules below when they are imported; a justified exception is
an inline `atlas: allow <rule>: <reason>` marker, listed at the end of every `make test`.
"""
import pytest

from engine import facts as engine_facts
from engine._runner import render_all
from engine.problems import RULES
from tests import claims, code_rules, external_links, fact_expressions, meaning, prose, question_targets, recorded_checks, rules  # noqa: F401  (they register their rules)
from tests.project import ROOT, facts_scripts, pages, python_files, snippet_files, where

PAGE_RULES = sorted(name for name, rule in RULES.items() if rule.kind == "page")
PYTHON_RULES = sorted(name for name, rule in RULES.items() if rule.kind == "python")


def python_sources():
    return [*snippet_files(), *facts_scripts(), *python_files(ROOT / "diagrams"),
            *python_files(ROOT / "notebooks")]


@pytest.fixture(scope="module")
def facts():
    """Every facts script's values, as the build computes them (cached)."""
    return engine_facts.load(render_all().facts)


def example_context(rule, tmp_path) -> dict:
    """What a rule's examples run with: files they bring are written under `tmp_path`,
    which is then the project root they read."""
    context = {key: value for key, value in rule.example_context.items() if key != "files"}
    for name, text in rule.example_context.get("files", {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    if "root" in rule.needs:
        context["root"] = tmp_path
    return context


@pytest.mark.parametrize("name", sorted(RULES))
def test_a_rules_good_example_passes_and_its_bad_example_fails(name, tmp_path):
    rule = RULES[name]
    path = "docs/example.md" if rule.kind == "page" else "snippets/example.py"
    context = example_context(rule, tmp_path)
    assert rule(rule.good, path, **context) == [], f"{name}: its good example fails"
    found = rule(rule.bad, path, **context)
    assert found, f"{name}: its bad example passes"
    assert all(problem.line >= 1 and problem.rule == name for problem in found)


@pytest.mark.parametrize("page", pages(), ids=[where(page) for page in pages()])
@pytest.mark.parametrize("name", PAGE_RULES)
def test_every_page_follows_the_rule(name, page, request):
    rule = RULES[name]
    context = {"root": ROOT}
    if "facts" in rule.needs:
        context["facts"] = request.getfixturevalue("facts")
    found = rule(page.read_text(encoding="utf-8"), where(page), **{k: context[k] for k in rule.needs})
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize("name", PYTHON_RULES)
def test_every_script_follows_the_rule(name, request):
    rule = RULES[name]
    context = {"root": ROOT}
    if "facts" in rule.needs:
        context["facts"] = request.getfixturevalue("facts")
    found = [problem for path in python_sources()
             for problem in rule(path.read_text(encoding="utf-8"), where(path),
                                 **{k: context[k] for k in rule.needs})]
    assert not found, "\n".join(map(str, found))


def test_every_rule_is_explained_in_the_readme():
    """README's "Writing a page" names each rule, so a contributor can look it up."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Writing a page")[2].partition("\n## ")[0]
    missing = [name for name in RULES if f"`{name}`" not in section]
    assert not missing, f"README.md, Writing a page: no entry for the rules {missing}"
