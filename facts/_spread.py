"""A number measured on random data, as its spread over seeds: never one seed's value.

Training, random initial weights and random inputs make a number that changes with the seed
(an accuracy, a ratio of losses, the depth at which float32 fails). A page states it as the
median and range over at least five seeds, so a lucky or an unlucky seed cannot be the claim
(tests/claims.py: measured-spread):

    >>> from facts._spread import over_seeds
    >>> str(over_seeds(lambda seed: [0.2, 0.3, 0.25, 0.4, 0.35][seed], range(5), "{:.2f}"))
    '0.30 (median of 5 seeds; range 0.20–0.40)'

`spread.median`, `.low`, `.high` and `.values` are there for asserts and figures.
"""
import dataclasses
import re
import statistics
from collections.abc import Callable, Iterable

MIN_SEEDS = 5
# How a Spread is written, for tests that read it back from a page's facts.
WRITTEN = re.compile(r"\((?:median) of (?P<seeds>\d+) seeds; range (?P<low>\S+(?: %)?)–(?P<high>\S+(?: %)?)\)\Z")


@dataclasses.dataclass(frozen=True)
class Spread:
    values: tuple[float, ...]
    seeds: tuple[int, ...]
    style: str = "{:.3g}"  # how one value is written: "{:.0%}", "{:.2f}", "{:d}"

    def __post_init__(self):
        if len(self.values) < MIN_SEEDS:
            raise ValueError(f"a spread needs at least {MIN_SEEDS} seeds, got {len(self.values)}")

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def count(self, holds: Callable[[float], bool]) -> int:
        """In how many seeds `holds(value)` is true: "held in 5 of 10 seeds"."""
        return sum(bool(holds(value)) for value in self.values)

    def written(self, value: float) -> str:
        return self.style.format(int(value) if self.style.endswith("d}") else value)

    def __str__(self) -> str:
        return (f"{self.written(self.median)} ({statistics.median.__name__} of {len(self.values)} "
                f"seeds; range {self.written(self.low)}–{self.written(self.high)})")


def over_seeds(measure: Callable[[int], float], seeds: Iterable[int] = range(MIN_SEEDS),
               style: str = "{:.3g}") -> Spread:
    """`measure(seed)` for each seed, as a Spread."""
    seeds = tuple(seeds)
    return Spread(tuple(float(measure(seed)) for seed in seeds), seeds, style)
