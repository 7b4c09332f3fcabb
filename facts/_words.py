"""Numbers as words, for counts a page states in a sentence ("two rows", "twice").

A count in words is a fact like any number (tests/meaning.py: count-word): the facts script
computes it from the layer and spells it here, so a page never types "three".
"""

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve")
TIMES = {1: "once", 2: "twice"}


def count_word(n: int, noun: str | None = None, plural: str | None = None) -> str:
    """`count_word(2)` -> "two"; `count_word(2, "row")` -> "two rows";
    `count_word(1, "row")` -> "one row". Past twelve, digits."""
    n = int(n)
    word = WORDS[n] if 0 <= n < len(WORDS) else str(n)
    if noun is None:
        return word
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def times_word(n: int) -> str:
    """How many times as much: 2 -> "twice", 3 -> "three times"."""
    n = int(n)
    return TIMES.get(n) or f"{count_word(n)} times"


def capitalised(text: str) -> str:
    """For a count that starts a sentence: "Two rows"."""
    return text[:1].upper() + text[1:]
