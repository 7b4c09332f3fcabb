"""A check is a claim, and a claim cannot change silently: every check in the code behind the
pages is recorded in tests/recorded-checks.txt, and the rule `recorded-check` fails on any
check that is not there as written, or recorded and gone.

A check is an `assert` statement or a call of a function whose name starts with `assert`
(`np.testing.assert_allclose`, `torch.testing.assert_close`, `assert_array_equal`...), in
snippets/, facts/, diagrams/ and notebooks/. It is recorded as its syntax tree prints it
(`ast.unparse`), so layout, comments and line numbers may change freely; what it compares,
with which tolerance, may not. A weakened check (`assert_allclose(a, b)` turned into a shape
comparison, a tolerance loosened, `==` turned into `>=`, an assert deleted) and a
strengthened one both fail until `make checks` records them: the change then shows in review
as a line of tests/recorded-checks.txt, where a reader of the diff can judge it.

    python -m tests.recorded_checks          # what differs from the record
    python -m tests.recorded_checks --write  # record the checks as they are (make checks)
"""
import argparse
import ast
import collections
import difflib
import functools
import sys
from pathlib import Path

from engine.problems import Problem, rule
from tests.project import ROOT, facts_scripts, python_files, snippet_files, where

RECORD = "tests/recorded-checks.txt"
HEADER = ("# Every check of the code behind the pages, as its syntax tree prints it: one per line,\n"
          "# `path<TAB>check`. Written by `make checks`; tests/recorded_checks.py says why.\n")


def checked_files(root: Path = ROOT) -> list[Path]:
    return sorted({*snippet_files(), *facts_scripts(), *python_files(root / "diagrams"),
                   *python_files(root / "notebooks")})


def is_check(node: ast.AST) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        function = node.value.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name.startswith("assert")
    return False


def checks_in(text: str) -> list[tuple[int, str]]:
    """(line, check as recorded) of every check in a Python source, in order."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []  # another rule (and Python itself) names a file that does not parse
    found = [(node.lineno, " ".join(ast.unparse(node).split())) for node in statements(tree) if is_check(node)]
    return sorted(found)


def statements(node: ast.AST):
    """Every statement under a node, nested bodies included: a check is a statement, so the
    expressions inside them need no visit (a tenth of the nodes ast.walk visits)."""
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, None) or ():
            if isinstance(child, ast.stmt):
                yield child
            yield from statements(child)


def read_record(root: Path) -> dict[str, collections.Counter]:
    path = root / RECORD
    stamp = path.stat().st_mtime_ns if path.exists() else None
    return _read_record(path, stamp)


@functools.lru_cache(maxsize=8)
def _read_record(path: Path, _stamp) -> dict[str, collections.Counter]:
    """The record, read again only when it changes (the wrong-edit tests ask for it a
    thousand times)."""
    recorded = collections.defaultdict(collections.Counter)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                file, _, check = line.partition("\t")
                recorded[file][check] += 1
    return recorded


def nearest_line(check: str, current: list[tuple[int, str]]) -> int:
    """The line of the current check most like a recorded one that is gone: where it was
    most probably edited (line 1 when the file has no check left). The first of equals, as
    max() gives; quick_ratio(), an upper bound, skips those that cannot beat the best."""
    if not current:
        return 1
    matcher = difflib.SequenceMatcher(None, a=check)
    best_line, best = current[0][0], -1.0
    for line, found in current:
        matcher.set_seq2(found)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            ratio = matcher.ratio()
            if ratio > best:
                best_line, best = line, ratio
    return best_line


@rule("recorded-check", kind="python", needs=("root",),
      good="import numpy as np\nnp.testing.assert_allclose(np.ones(3).sum(), 3)\n",
      bad="import numpy as np\nassert np.shape(np.ones(3).sum()) == np.shape(3)\n",
      example_context={"files": {RECORD: "snippets/example.py\tnp.testing.assert_allclose(np.ones(3).sum(), 3)\n"}})
def recorded_check(text: str, path: str, root: Path):
    """Every check (`assert`, `assert_allclose`...) is recorded as written in tests/recorded-checks.txt (`make checks`)."""
    if not path.startswith(("snippets/", "facts/", "diagrams/", "notebooks/")):
        return
    current = checks_in(text)
    recorded = read_record(root).get(path, collections.Counter())
    unmatched = collections.Counter(check for _, check in current) - recorded
    for check in sorted(recorded - collections.Counter(check for _, check in current)):
        yield Problem(path, nearest_line(check, current), "recorded-check",
                      f"a recorded check is changed or gone: it was `{check}`. A check is a claim: if "
                      f"the change is meant, run `make checks` and say in the commit why the claim changed")
    for line, check in current:
        if unmatched[check]:
            unmatched[check] -= 1
            yield Problem(path, line, "recorded-check",
                          f"a check that is not recorded: `{check}`. Run `make checks` to record it, "
                          f"so that a later change to it shows")


def record(root: Path = ROOT) -> str:
    rows = [f"{where(path)}\t{check}" for path in checked_files(root)
            for _, check in checks_in(path.read_text(encoding="utf-8"))]
    return HEADER + "".join(f"{row}\n" for row in sorted(rows))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.recorded_checks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"record the checks as they are in {RECORD}")
    options = parser.parse_args(argv)
    if options.write:
        (ROOT / RECORD).write_text(record(), encoding="utf-8")
        print(f"{RECORD}: {record().count(chr(10)) - HEADER.count(chr(10))} checks recorded")
        return 0
    problems = [problem for path in checked_files() for problem in
                recorded_check(path.read_text(encoding="utf-8"), where(path), root=ROOT)]
    print("\n".join(map(str, problems)) or "every check is recorded as written")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
