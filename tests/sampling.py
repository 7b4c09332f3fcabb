"""Large grids, sampled in `make test` and run whole in `make test-whole` (the scheduled run).

A grid's sample is a covering one: every pair of option values that occurs together in the
whole grid occurs together in at least one sampled case ("all pairs"), so a sampled run
still meets each option with each other option's every value. A fault that needs three
options at once to show is what only the whole run finds; the scheduled job runs it.

WEIGHT_ATLAS_TESTS=whole (set by `make test-whole`) turns sampling off.
"""
import itertools
import os

WHOLE = os.environ.get("WEIGHT_ATLAS_TESTS", "").strip().lower() == "whole"

# {grid name: (cases sampled, cases in the grid, how they were chosen)}, reported at the end
# of a run (conftest.py).
SAMPLED: dict[str, tuple[int, int, str]] = {}


def pairs_of(case: dict) -> set:
    """Every pair of (option, value) the case holds; values compared by their repr."""
    items = sorted((name, repr(value)) for name, value in case.items())
    return set(itertools.combinations(items, 2))


def all_pairs(cases: list[dict]) -> list[dict]:
    """A subset of `cases`, in their order, holding every pair of option values that the
    whole list holds: greedily, the case that adds the most pairs not yet held, first."""
    wanted = set().union(*map(pairs_of, cases)) if cases else set()
    chosen: list[int] = []
    while wanted:
        best = max(range(len(cases)), key=lambda index: len(pairs_of(cases[index]) & wanted))
        chosen.append(best)
        wanted -= pairs_of(cases[best])
    return [cases[index] for index in sorted(chosen)]


def sampled(name: str, cases: list[dict]) -> list[dict]:
    """The grid `name` as this run tests it: whole, or its all-pairs sample."""
    cases = list(cases)
    chosen = cases if WHOLE else all_pairs(cases)
    SAMPLED[name] = (len(chosen), len(cases), "every pair of option values")
    return chosen


def one_each(name: str, items: list, kind_of) -> list:
    """The items this run tests: all of them, or the first of each kind (`kind_of(item)`),
    for a list known only while a test runs (links read from a page)."""
    items, first = list(items), {}
    for item in items:
        first.setdefault(kind_of(item), item)
    chosen = items if WHOLE else list(first.values())
    SAMPLED[name] = (len(chosen), len(items), "the first of each kind")
    return chosen
