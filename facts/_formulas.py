"""Formulas written once, as Python: evaluated against the library, shown as LaTeX.

A page's equation is the same string that a facts script evaluates and compares with
Keras or PyTorch, so the two cannot drift: edit the expression and the comparison runs on
the edit. Only a small vocabulary is accepted, and a name without a LaTeX spelling is an
error, never a guess.
"""
import io
import tokenize

# Python name -> how the page writes it.
SYMBOLS = {
    "x": "x_t",
    "h_prev": "h_{t-1}",
    "c_prev": "c_{t-1}",
    "i": "i_t",
    "f": "f_t",
    "c_tilde": r"\tilde{c}_t",
    "g": "g_t",
    "o": "o_t",
    "c": "c_t",
    "h": "h_t",
    "sigmoid": r"\sigma",
    "tanh": r"\tanh",
    "units": "u",
    "input_dim": "d",
    # A matrix without a gate letter: any gate's (checked_term matches it to W_i, W_f...).
    "W": "W",
    "U": "U",
    "b": "b",
}
for letter in {"i", "f", "c", "g", "o"}:  # a set: a symbol per gate, in no order
    for matrix in "WUb":
        SYMBOLS[f"{matrix}_{letter}"] = f"{matrix}_{letter}"


def to_latex(expression: str, product: str = r"\odot", symbols: dict | None = None) -> str:
    """`sigmoid(x @ W_i + h_prev @ U_i + b_i)` -> `\\sigma(x_t W_i + h_{t-1} U_i + b_i)`.

    `@` (matrix product) is written by juxtaposition; `*` becomes `product`: `\\odot` for
    element-wise vectors, `\\cdot` for scalar counts. `symbols` replaces the page-wide
    SYMBOLS for a page with names of its own.
    """
    symbols = SYMBOLS if symbols is None else symbols
    operators = {"@": " ", "*": f" {product} ", "+": " + ", "-": " - ", "/": "/", "(": "(",
                 ")": ")"}
    parts = []
    for token in tokenize.generate_tokens(io.StringIO(expression).readline):
        if token.type == tokenize.NAME:
            if token.string not in symbols:
                raise KeyError(f"{token.string!r} in {expression!r} has no LaTeX symbol")
            parts.append(symbols[token.string])
        elif token.type == tokenize.NUMBER:
            parts.append(token.string)
        elif token.type == tokenize.OP:
            parts.append(operators[token.string])
        elif token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            raise ValueError(f"unexpected {token.string!r} in {expression!r}")
    return "".join(parts)


def evaluate(expression: str, names: dict):
    """The expression's value with only `names` in scope (no builtins)."""
    return eval(compile(expression, "<formula>", "eval"), {"__builtins__": {}}, names)


def aligned(equations: list[tuple[str, str]]) -> str:
    """`target = expression` lines as one LaTeX system aligned on the = signs."""
    lines = [f"{to_latex(target)} &= {to_latex(expression)}" for target, expression in equations]
    return "\\begin{split}\n" + " \\\\\n".join(lines) + "\n\\end{split}"


def tokens(expression: str) -> list[str]:
    return [token.string for token in tokenize.generate_tokens(io.StringIO(expression).readline)
            if token.type in (tokenize.NAME, tokenize.NUMBER, tokenize.OP)]


def checked_term(term: str, equations: list[tuple[str, str]], product: str = r"\odot",
                 whole: bool = False) -> str:
    """The LaTeX of `term`, a piece of one of `equations` (which the caller has evaluated
    against the library): `h_prev @ U_h + bh_h` in the GRU candidate. A name in the term
    without a gate letter stands for any gate's (`W` for `W_z`). Raises if no equation holds
    the term, so prose that names part of an equation names a part that was checked. With
    `whole`, the term is a whole argument (between a call's parentheses, or the whole right
    side): what prose calls "the pre-activation" is all of it, not one of its summands."""
    wanted = tokens(term)

    def same(mine: str, theirs: str) -> bool:
        return mine == theirs or (theirs.startswith(mine + "_") and len(theirs) == len(mine) + 2)

    for _target, expression in equations:
        have = tokens(expression)
        for start in range(len(have) - len(wanted) + 1):
            end = start + len(wanted)
            bounded = (start == 0 and end == len(have)) or (
                start > 0 and have[start - 1] == "(" and end < len(have) and have[end] == ")")
            if all(same(w, h) for w, h in zip(wanted, have[start:end])) and (bounded or not whole):
                return to_latex(term, product)
    raise AssertionError(f"{term!r} is in none of the checked equations")
