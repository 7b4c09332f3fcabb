"""One kind of problem, and named rules that find them.

Every check of a page or a script, at build time or in the tests, is a named `Rule` that
returns `Problem(path, line, rule, message)`: one shape, so the build's checks and the
tests' report alike, and `make mutate` can tell which rule killed a wrong edit. Each rule
carries a good and a bad example beside it; tests/test_rules.py checks that the good one
passes and the bad one fails.

A justified exception is written where it applies, on the line itself or the line above,
with its reason, and `make test` lists every one:

    Both colour schemes. <!-- atlas: allow count-word: a site setting, not a library fact -->
    KERNEL = "ifco"  # atlas: allow order-literal: the old Keras 1 order, checked against it

Plain Python: any renderer and the tests can call it.
"""
import dataclasses
import re
from collections.abc import Callable, Iterable
from pathlib import Path

# `atlas: allow <rule>: <reason>`, in an HTML comment or a Python comment.
ALLOW = re.compile(r"atlas:\s*allow\s+(?P<rule>[a-z][a-z0-9-]*)\s*:\s*(?P<reason>[^>\n]*?)\s*(?:-->|$)")


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    path: str  # as the project names it: docs/rnn/gru.md, snippets/lstm/gate_order.py
    line: int
    rule: str  # the rule's name: count-word
    message: str  # what is wrong and what to do

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    check: Callable  # (text, path) -> Iterable[Problem]
    good: str  # an example the rule accepts
    bad: str  # an example the rule rejects
    kind: str  # "page" (Markdown) or "python"
    summary: str  # one line: what the rule asks for
    needs: tuple[str, ...] = ()  # what else the check takes, by keyword: ("facts",)
    example_context: dict = dataclasses.field(default_factory=dict)  # for good and bad

    def __call__(self, text: str, path: str, **context) -> list[Problem]:
        """The problems in `text` that no justified exception covers. A rule that needs
        more than the text (the computed facts) is handed it by keyword."""
        lines = text.split("\n")
        return sorted(
            problem for problem in self.check(text, path, **{k: context[k] for k in self.needs})
            if not allowed_at(lines, problem.line, self.name)
        )


RULES: dict[str, Rule] = {}


def rule(name: str, *, good: str, bad: str, kind: str = "page", needs: tuple[str, ...] = (),
         example_context: dict | None = None):
    """Register `check(text, path) -> Iterable[Problem]` as the rule `name`; its docstring's
    first line is the rule's summary (the README's "Writing a page" quotes it)."""

    def register(check: Callable[[str, str], Iterable[Problem]]) -> Rule:
        if name in RULES:
            raise ValueError(f"two rules named {name!r}")
        summary = (check.__doc__ or "").strip().splitlines()[0] if check.__doc__ else ""
        if not summary:
            raise ValueError(f"rule {name!r} needs a docstring: its first line is its summary")
        RULES[name] = Rule(name, check, good, bad, kind, summary, needs, example_context or {})
        return RULES[name]

    return register


def allowed_at(lines: list[str], line: int, rule_name: str) -> bool:
    """Whether line `line` (1-based), or the line above it, carries
    `atlas: allow <rule_name>: <reason>` with a reason."""
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            for match in ALLOW.finditer(lines[number - 1]):
                if match["rule"] == rule_name and match["reason"].strip():
                    return True
    return False


@dataclasses.dataclass(frozen=True)
class Exception_:
    path: str
    line: int
    rule: str
    reason: str


def justified_exceptions(files: Iterable[Path], root: Path) -> list[Exception_]:
    """Every `atlas: allow` marker in the given files, with its reason."""
    found = []
    for path in files:
        for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            for match in ALLOW.finditer(text):
                found.append(Exception_(path.relative_to(root).as_posix(), number,
                                        match["rule"], match["reason"].strip()))
    return found
