"""`python -m tests.mutate`: the project's mutation score (`make mutate`).

By default a fixed random sample (seed 0) of the mutants, two of every operator, run two
at a time: a few minutes. `--full` runs every mutant (the weekly workflow). Prints each
mutant as it is decided, then the surviving ones as `path:line: operator: description`
and the score. Exits 0 whatever the score: it is a measurement, not a test; only a
failure of the tool itself exits non-zero.
"""
import argparse
import collections
import fnmatch
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 28  # two of each operator: about six minutes on two cores


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="every mutant, not a sample")
    parser.add_argument("--operator", action="append", metavar="NAME",
                        help="only this operator (repeatable); --list --full shows them all")
    parser.add_argument("--path", action="append", metavar="GLOB",
                        help="only files matching this glob, e.g. 'docs/rnn/*' (repeatable)")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--seed", type=int, default=0, help="of the sample (default 0)")
    parser.add_argument("--limit", type=int, metavar="N",
                        help=f"size of the sample (default {SAMPLE}); with --full, the first N")
    parser.add_argument("--shard", metavar="K/N", help="only the K-th of N equal slices (CI)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                        help="per mutant; a mutant still running is counted killed (default 300)")
    parser.add_argument("--json", metavar="FILE", help="write the report here")
    parser.add_argument("--summary", nargs="+", metavar="REPORT",
                        help="run nothing: print the score, per operator, and the survivors of "
                             "these JSON reports (one run, or its shards) as Markdown; with "
                             "--json, also write them as one report")
    return parser.parse_args(argv)


def sample(mutants, size, seed):
    """`size` mutants drawn at random with `seed`, taking each operator in turn, so every
    operator is measured however few mutants it makes; in the project's order."""
    rng = random.Random(seed)
    by_operator = collections.defaultdict(list)
    for index, mutant in enumerate(mutants):
        by_operator[mutant.operator].append(index)
    names = sorted(by_operator)
    rng.shuffle(names)
    for name in names:
        rng.shuffle(by_operator[name])
    picked = []
    while len(picked) < size and any(by_operator.values()):
        for name in names:
            if by_operator[name] and len(picked) < size:
                picked.append(by_operator[name].pop())
    return [mutants[index] for index in sorted(picked)]


def select(mutants, options):
    if options.operator:
        mutants = [m for m in mutants if m.operator in options.operator]
    if options.path:
        mutants = [m for m in mutants if any(fnmatch.fnmatch(m.path, glob) for glob in options.path)]
    if options.full:
        mutants = mutants[:options.limit] if options.limit else mutants
    else:
        mutants = sample(mutants, options.limit or SAMPLE, options.seed)
    if options.shard:
        k, n = (int(part) for part in options.shard.split("/"))
        mutants = mutants[k - 1::n]
    return mutants


def merged(reports: list[dict]) -> dict:
    """The shards of one run as one report."""
    mutants = [m for report in reports for m in report["mutants"]]
    killed = sum(m["killed"] for m in mutants)
    return {
        "score": {"killed": killed, "total": len(mutants),
                  "percent": round(100 * killed / len(mutants), 1) if mutants else 0.0,
                  "timeouts": sum(m["status"] == "timeout" for m in mutants)},
        "seed": reports[0]["seed"] if reports else 0,
        "date": max((report.get("date", "") for report in reports), default=""),
        "full": all(report["full"] for report in reports),
        "seconds": sum(report["seconds"] for report in reports),
        "mutants": mutants,
    }


EQUIVALENTS = Path(__file__).with_name("equivalents.txt")


def equivalents() -> dict[str, str]:
    """The documented equivalent mutants: "path: operator: description" -> why."""
    found = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            mutant, separator, why = line.partition(" | ")
            assert separator and why.strip(), f"{EQUIVALENTS.name}: no reason: {line}"
            found[mutant.strip()] = why.strip()
    return found


def markdown(report: dict) -> str:
    from tests.mutate.runner import score_line

    mutants = report["mutants"]
    lines = [f"## {score_line(report['score'])}", ""]
    by_operator = collections.defaultdict(lambda: [0, 0])
    for m in mutants:
        by_operator[m["operator"]][0] += m["killed"]
        by_operator[m["operator"]][1] += 1
    lines += ["| operator | killed | mutants |", "| --- | --- | --- |"]
    lines += [f"| {name} | {k} | {n} |" for name, (k, n) in sorted(by_operator.items())]
    known = equivalents()
    survived = [m for m in mutants if m["status"] == "survived"]
    named = {id(m): f"{m['path']}: {m['operator']}: {m['description']}" for m in survived}
    equivalent = [m for m in survived if named[id(m)] in known]
    survivors = [m for m in survived if named[id(m)] not in known]
    if equivalent:
        lines += ["", f"### Documented equivalent mutants ({len(equivalent)}, "
                  f"tests/mutate/{EQUIVALENTS.name})", ""]
        lines += [f"- `{m['path']}:{m['line']}` {m['operator']}: {m['description']}: "
                  f"{known[named[id(m)]]}" for m in equivalent]
    if survivors:
        lines += ["", f"### Surviving mutants ({len(survivors)})", "", "```text"]
        lines += [f"{m['path']}:{m['line']}: {m['operator']}: {m['description']}" for m in survivors]
        lines += ["```"]
    return "\n".join(lines)


def main(argv=None) -> int:
    options = arguments(argv)
    if options.summary:
        report = merged([json.loads(Path(f).read_text(encoding="utf-8")) for f in options.summary])
        print(markdown(report))
        if options.json:
            Path(options.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        return 0

    from tests.mutate.operators import OPERATORS, project_mutants
    from tests.mutate.runner import Runner, score, score_line

    unknown = set(options.operator or ()) - set(OPERATORS)
    if unknown:
        sys.exit(f"unknown operator(s) {sorted(unknown)}; known: {', '.join(OPERATORS)}")
    if options.list:
        mutants = select(project_mutants(ROOT), options)
        for mutant in mutants:
            print(mutant)
        counts = collections.Counter(m.operator for m in mutants)
        print(f"{len(mutants)} mutants: " + ", ".join(f"{name} {counts[name]}" for name in OPERATORS))
        return 0

    started = time.perf_counter()
    runner = Runner(ROOT, jobs=options.jobs, timeout=options.timeout)
    try:
        mutants = select(project_mutants(runner.snapshot), options)  # made from the snapshot
        kind = "every mutant" if options.full else f"a sample (seed {options.seed})"
        print(f"{len(mutants)} mutants, {kind}, {options.jobs} at a time, "
              f"at most {options.timeout:.0f} s each", flush=True)
        runner.warm()
        outcomes = runner.run(mutants)
    finally:
        runner.close()
    result = score(outcomes)
    survivors = [o for o in outcomes if o.status == "survived"]
    print(f"\n{len(survivors)} surviving mutant(s):" if survivors else "\nno surviving mutant")
    for outcome in survivors:
        print(outcome.mutant)
    elapsed = time.perf_counter() - started
    print(f"{len(outcomes)} mutants in {elapsed:.0f} s; {result['timeouts']} counted killed by the time limit")
    print(score_line(result))
    if options.json:
        report = {"score": result, "seed": options.seed, "full": options.full, "seconds": round(elapsed),
                  "date": time.strftime("%Y-%m-%d", time.gmtime()),
                  "mutants": [outcome.as_json() for outcome in outcomes]}
        Path(options.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
