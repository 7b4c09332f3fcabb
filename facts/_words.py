"""Numbers as words, for counts a page states in a sentence ("two rows", "twice").

A count in words is a fact like any number (tests/meaning.py: count-word): the facts script
computes it from the layer and spells it here, so a page never types "three".
"""

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve")
TIMES = {1: "once", 2: "twice"}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


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


def ordinal_word(index: int, noun: str | None = None) -> str:
    """A position from the 0-based index code computes: `ordinal_word(1)` -> "second";
    `ordinal_word(0, "argument")` -> "first argument"; -1 -> "last"."""
    index = int(index)
    if index < -1:
        raise ValueError(f"{index}: only -1, the last, is named from the end")
    word = "last" if index == -1 else ORDINALS[index]
    return word if noun is None else f"{word} {noun}"


def capitalised(text: str) -> str:
    """For a count that starts a sentence: "Two rows"."""
    return text[:1].upper() + text[1:]
