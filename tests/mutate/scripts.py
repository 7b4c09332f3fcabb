"""Wrong edits of the code behind the pages: facts scripts (`facts/**/*.py`), figures
(`diagrams/**/*.py`) and snippets (`snippets/**/*.py`).

Each operator finds its places in the syntax tree (`ast`) and edits only those characters
of the source, so the rest of the file keeps its layout and every mutant still parses
(one that would not is dropped). In the spirit of mutmut and cosmic-ray: a comparison
flipped, a ratio inverted, a proven order permuted, a check weakened, two facts' values
swapped. Each is a pure function `(path, text) -> list[Mutant]` and yields no no-op.
"""
import ast
import functools
import io
import re
import tokenize

from tests.mutate.mutant import Mutant, edit, mutant, short

FLIPPED = {ast.Lt: (">", "<"), ast.Gt: ("<", ">"), ast.LtE: (">=", "<="), ast.GtE: ("<=", ">="),
           ast.Eq: ("!=", "=="), ast.NotEq: ("==", "!=")}  # op: (flipped, as written)
# The gate letters of each family of layers: an order is some of one family's, each once.
GATE_FAMILIES = (frozenset("ifcgo"), frozenset("zrhn"))
# Where an order is only a set of gates, permuting it changes nothing: not an order there.
UNORDERED_CALLS = {"permutations", "set", "frozenset", "sorted", "Counter", "combinations"}
# Checks that compare two arrays: weakened to comparing their shapes.
ARRAY_CHECKS = {"assert_allclose", "assert_close", "assert_array_equal", "assert_equal",
                "assert_array_almost_equal", "assert_almost_equal"}
ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
LONGEST_LINE = 88


class Source:
    """A Python file's text and tree, with ast positions (UTF-8 byte columns) turned into
    offsets in the text."""

    def __init__(self, text: str):
        self.text = text
        self.tree = ast.parse(text)
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.parents = {child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}
        # Positions inside f-strings are unreliable before Python 3.12: never edited.
        self.in_fstring = {id(n) for node in ast.walk(self.tree) if isinstance(node, ast.JoinedStr)
                           for n in ast.walk(node)}

    def offset(self, line: int, byte_column: int) -> int:
        column = len(self.lines[line - 1].encode()[:byte_column].decode("utf-8", errors="ignore"))
        return self.starts[line - 1] + column

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def nodes(self, kind):
        return [node for node in ast.walk(self.tree) if isinstance(node, kind)
                and id(node) not in self.in_fstring]

    @functools.cached_property
    def operators(self) -> list[tuple[int, str]]:
        """(offset, text) of each operator token: where a comparison's `<` really is."""
        found = []
        for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
            if token.type == tokenize.OP:
                found.append((self.starts[token.start[0] - 1] + token.start[1], token.string))
        return found

    def indentation(self, node: ast.AST) -> str:
        line = self.lines[node.lineno - 1]
        return line[:len(line) - len(line.lstrip())]


@functools.lru_cache(maxsize=8)
def source_of(text: str) -> Source:
    return Source(text)


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def python_mutant(path, source: Source, edits, operator: str, description: str) -> Mutant | None:
    """A mutant that parses, or None. (Every edit changes an operator, an operand or a
    value, so a mutant that parses is never the same program.) Only the top-level
    statements the edits touch are parsed again: the rest of the file is unchanged."""
    text = edit(source.text, edits)
    first, last = min(e[0] for e in edits), max(e[1] for e in edits)
    spans = [source.span(statement) for statement in source.tree.body]
    touched = [(start, end) for start, end in spans if start <= last and first <= end] or [(0, len(source.text))]
    start, end = touched[0][0], touched[-1][1] + len(text) - len(source.text)
    if not parses(text[start:end]):
        return None
    return mutant(path, source.text, text, min(start for start, _end, _r in edits), operator, description)


def wrapped(source: Source, node: ast.AST) -> str:
    text = source.segment(node)
    simple = isinstance(node, ATOMS) and "\n" not in text
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and node.value < 0:
        simple = False
    return text if simple else f"({text})"


# --- operators ---------------------------------------------------------------------------

def in_a_check(source: Source, node: ast.AST) -> bool:
    """Inside an assert or a check call: flipping it fails the check itself, every time,
    which says nothing about the tests (weaken-assert probes the checks instead)."""
    while node in source.parents:
        node = source.parents[node]
        if isinstance(node, ast.Assert) or (isinstance(node, ast.Call) and check_name(node) in ARRAY_CHECKS):
            return True
    return False


def flip_comparison(path: str, text: str) -> list[Mutant]:
    """`<` <-> `>`, `<=` <-> `>=`, `==` <-> `!=`, at each comparison that is not itself a
    check."""
    source, found = source_of(text), []
    for compare in source.nodes(ast.Compare):
        if in_a_check(source, compare):
            continue
        operands = [compare.left, *compare.comparators]
        for k, op in enumerate(compare.ops):
            if type(op) not in FLIPPED:
                continue
            flipped, written = FLIPPED[type(op)]
            after, before = source.span(operands[k])[1], source.span(operands[k + 1])[0]
            at = next((offset for offset, token in source.operators
                       if after <= offset < before and token == written), None)
            if at is None:
                continue
            found.append(python_mutant(path, source, [(at, at + len(written), flipped)],
                                       "flip-comparison",
                                       f"`{short(source.segment(compare), 50)}`: `{written}` -> `{flipped}`"))
    return [m for m in found if m]


def is_path(node: ast.AST) -> bool:
    """A path, not a number: a string literal, an f-string, a `Path(...)`, or a join of them
    (`ROOT / "facts"`): `/` there joins, and `"facts" / ROOT` is no ratio turned over."""
    if isinstance(node, (ast.JoinedStr,)) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return True
    if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"Path", "PurePath"}:
        return True
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and (is_path(node.left) or is_path(node.right))


def invert_ratio(path: str, text: str) -> list[Mutant]:
    """`a / b` -> `b / a` (and `//`), where `/` divides: not a path join."""
    source, found = source_of(text), []
    for ratio in source.nodes(ast.BinOp):
        if not isinstance(ratio.op, (ast.Div, ast.FloorDiv)) or is_path(ratio):
            continue
        top, bottom = wrapped(source, ratio.left), wrapped(source, ratio.right)
        if top == bottom:
            continue
        symbol = "/" if isinstance(ratio.op, ast.Div) else "//"
        inverted = f"{bottom} {symbol} {top}"
        found.append(python_mutant(path, source, [(*source.span(ratio), inverted)], "invert-ratio",
                                   f"`{short(source.segment(ratio), 40)}` -> `{short(inverted, 40)}`"))
    return [m for m in found if m]


def is_order(letters) -> bool:
    letters = list(letters)
    return (len(letters) >= 3 and len(set(letters)) == len(letters)
            and any(set(letters) <= family for family in GATE_FAMILIES))


def order_is_only_a_set(source: Source, node: ast.AST) -> bool:
    """A literal iterated to fill a dict or a set, or passed to permutations() or set():
    its order does not reach anything."""
    parent = source.parents.get(node)
    if isinstance(parent, ast.For) and parent.iter is node:
        return True
    if isinstance(parent, ast.comprehension) and parent.iter is node:
        return isinstance(source.parents.get(parent), (ast.DictComp, ast.SetComp))
    if isinstance(parent, ast.Call) and node in parent.args:
        function = parent.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name in UNORDERED_CALLS
    return False


def read_as_a_set(source: Source, node: ast.AST) -> bool:
    """A value passed to permutations(), set(), sorted()... or unpacked into a set display
    (`{*proof.proven_order}`): a rotation of it reaches nothing, an equivalent mutant."""
    parent = source.parents.get(node)
    if isinstance(parent, ast.Starred):
        return isinstance(source.parents.get(parent), ast.Set)
    if isinstance(parent, ast.Call) and node in parent.args:
        function = parent.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        return name in UNORDERED_CALLS
    return False


def is_docstring(source: Source, node: ast.AST) -> bool:
    parent = source.parents.get(node)
    return isinstance(parent, ast.Expr)


ALLOWED_LITERAL = "atlas: allow order-literal"


def cited(text: str, node: ast.AST) -> bool:
    """A literal order excused on its line, or the line above, as a citation (colah's
    figure): typed by design, and no proof here can tell a rotation of it."""
    lines = text.splitlines()
    own, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
    return ALLOWED_LITERAL in own or (above.lstrip().startswith("#") and ALLOWED_LITERAL in above)


def permute_order(path: str, text: str) -> list[Mutant]:
    """A proven order replaced by a rotation of it: a value read from an attribute named
    `*order` (`proof.proven_order` -> `(proof.proven_order[1:] + proof.proven_order[:1])`),
    and a string or tuple literal of gate letters (`"ifco"` -> `"fcoi"`)."""
    source, found = source_of(text), []
    for attribute in source.nodes(ast.Attribute):
        parent = source.parents.get(attribute)
        if (not isinstance(attribute.ctx, ast.Load) or not attribute.attr.lower().endswith("order")
                or (isinstance(parent, ast.Call) and parent.func is attribute)
                or read_as_a_set(source, attribute)):
            continue
        value = source.segment(attribute)
        rotated = f"({value}[1:] + {value}[:1])"
        found.append(python_mutant(path, source, [(*source.span(attribute), rotated)],
                                   "permute-order", f"`{value}` -> rotated `{short(rotated, 50)}`"))
    for literal in source.nodes(ast.Constant):
        if (not isinstance(literal.value, str) or not is_order(literal.value)
                or order_is_only_a_set(source, literal) or is_docstring(source, literal)
                or cited(text, literal)):
            continue
        written = source.segment(literal)
        if written[1:-1] != literal.value:
            continue
        rotated = literal.value[1:] + literal.value[:1]
        found.append(python_mutant(path, source, [(*source.span(literal), written[0] + rotated + written[-1])],
                                   "permute-order", f"`{written}` -> `{written[0] + rotated + written[-1]}`"))
    for sequence in source.nodes((ast.Tuple, ast.List)):
        elements = sequence.elts
        if (not all(isinstance(e, ast.Constant) and isinstance(e.value, str) and len(e.value) == 1
                    for e in elements) or not is_order(e.value for e in elements)
                or order_is_only_a_set(source, sequence) or cited(text, sequence)):
            continue
        texts = [source.segment(e) for e in elements]
        edits = [(*source.span(e), texts[(k + 1) % len(texts)]) for k, e in enumerate(elements)]
        found.append(python_mutant(path, source, edits, "permute-order",
                                   f"`{short(source.segment(sequence), 40)}` rotated"))
    return [m for m in found if m]


def numpy_name(source: Source) -> str | None:
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    return alias.asname or "numpy"
    return None


def check_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def statement(indent: str, head: str, parts: list[str], tail: str, joiner: str) -> str:
    """`head(a) <joiner> head(b)tail` on one line if it fits, else one part a line."""
    one_line = head + joiner.join(parts) + tail
    if len(indent) + len(one_line) <= LONGEST_LINE and "\n" not in one_line:
        return one_line
    inner = indent + "    "
    return head.rstrip() + " (\n" + inner + f"\n{inner}{joiner.strip()} ".join(parts) + f"\n{indent})" + tail


def weaken_assert(path: str, text: str) -> list[Mutant]:
    """A check made nearly empty: `np.testing.assert_allclose(a, b, ...)` -> `assert
    np.shape(a) == np.shape(b)`; `assert a == b` (or any `assert x`) -> `assert
    len(str(a)) > 0`: the values are still computed, the claim is gone."""
    source, found = source_of(text), []
    np = numpy_name(source)
    for expression in source.nodes(ast.Expr):
        call = expression.value
        if not isinstance(call, ast.Call) or check_name(call) not in ARRAY_CHECKS or len(call.args) < 2:
            continue
        a, b = (source.segment(argument) for argument in call.args[:2])
        if np:
            parts, joiner = [f"{np}.shape({a})", f"{np}.shape({b})"], " == "
        else:
            parts, joiner = [f"len(str({a})) > 0", f"len(str({b})) > 0"], " and "
        weaker = statement(source.indentation(expression), "assert ", parts, "", joiner)
        found.append(python_mutant(path, source, [(*source.span(expression), weaker)], "weaken-assert",
                                   f"`{check_name(call)}({short(a, 20)}, {short(b, 20)}, …)` -> "
                                   f"`{short(weaker, 50)}`"))
    for check in source.nodes(ast.Assert):
        test = check.test
        kept = test.left if isinstance(test, ast.Compare) else test
        weaker = statement(source.indentation(check), "assert ", [f"len(str({source.segment(kept)})) > 0"],
                           "", "")
        found.append(python_mutant(path, source, [(*source.span(check), weaker)], "weaken-assert",
                                   f"`{short(source.segment(check), 40)}` -> `{short(weaker, 40)}`"))
    return [m for m in found if m]


def returned_dicts(function: ast.FunctionDef) -> list[ast.Dict]:
    """The dict literals `function` returns, directly or through a name bound to one."""
    bound = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound[target.id] = node.value
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            if isinstance(node.value, ast.Dict):
                found.append(node.value)
            elif isinstance(node.value, ast.Name) and node.value.id in bound:
                found.append(bound[node.value.id])
    return found


def swap_dict_values(path: str, text: str) -> list[Mutant]:
    """The values of two neighbouring facts in the dict a facts script's make_facts()
    returns, exchanged: each fact then shows the other's value."""
    source, found = source_of(text), []
    functions = [node for node in source.tree.body
                 if isinstance(node, ast.FunctionDef) and node.name == "make_facts"]
    for function in functions:
        for facts in returned_dicts(function):
            entries = [(key, value) for key, value in zip(facts.keys, facts.values) if key is not None]
            for (key_a, a), (key_b, b) in zip(entries, entries[1:]):
                if source.segment(a) == source.segment(b):
                    continue
                edits = [(*source.span(a), source.segment(b)), (*source.span(b), source.segment(a))]
                found.append(python_mutant(path, source, edits, "swap-dict-values",
                                           f"swap the values of {source.segment(key_a)} "
                                           f"and {source.segment(key_b)}"))
    return [m for m in found if m]


# --- formulas: the Python expressions a page shows as equations --------------------------

ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.MatMult: "@", ast.Div: "/"}
ASSOCIATIVE = (ast.Add, ast.Mult, ast.MatMult)  # (a @ b) @ c is a @ (b @ c): not a change
SYMMETRIC = {"abs", "fabs", "norm"}  # functions of a difference that ignore its sign
FORMULA_SPACING = re.compile(r"\w\)? [-+*@/] \(?\w")  # how the project writes a formula: `x @ W + b`


def arithmetic(node) -> bool:
    return isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC


def formula_changes(formula: str) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, description) of each wrong edit of a formula written as a
    Python expression (`"tanh(x @ W_h + r * (h_prev @ U_h + bh_h))"`): a sign flipped, the
    operands of `-`, `/` or `@` swapped, a term dropped, a product regrouped."""
    try:
        tree = ast.parse(formula, mode="eval")
        source = Source(formula)
    except SyntaxError:
        return []
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    operations = [node for node in ast.walk(source.tree) if arithmetic(node)]
    if not operations or len(names) < 2 or not FORMULA_SPACING.search(formula):
        return []  # not a formula: "right-padded", "a/b" are words and paths
    # |a - b| is |b - a|: a difference that is all of an abs() or norm() has no order.
    symmetric = {id(call.args[0]) for call in ast.walk(source.tree)
                 if isinstance(call, ast.Call) and len(call.args) == 1
                 and getattr(call.func, "id", getattr(call.func, "attr", None)) in SYMMETRIC}
    changes = []
    for node in operations:
        symbol = ARITHMETIC[type(node.op)]
        left, right = source.segment(node.left), source.segment(node.right)
        start, end = source.span(node)
        if isinstance(node.op, (ast.Add, ast.Sub)):
            after, before = source.span(node.left)[1], source.span(node.right)[0]
            at = next((o for o, token in source.operators if after <= o < before and token == symbol), None)
            if at is not None:
                flipped = "-" if symbol == "+" else "+"
                changes.append((at, at + 1, flipped, f"`{symbol}` -> `{flipped}` in `{short(formula, 40)}`"))
            changes.append((start, end, left, f"drop `{short(right, 25)}` from `{short(formula, 40)}`"))
            rest = wrapped(source, node.right)
            changes.append((start, end, rest if symbol == "+" else f"-{rest}",
                            f"drop `{short(left, 25)}` from `{short(formula, 40)}`"))
        if isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult)) and id(node) not in symmetric:
            changes.append((start, end, f"{wrapped(source, node.right)} {symbol} {wrapped(source, node.left)}",
                            f"swap `{short(left, 20)}` and `{short(right, 20)}` around `{symbol}`"))
        inner = node.left if arithmetic(node.left) else node.right if arithmetic(node.right) else None
        # (a * b) / c is a * (b / c), and back: a regrouping that changes nothing.
        same_value = (isinstance(node.op, ast.Div) and inner is node.left and isinstance(inner.op, ast.Mult)) \
            or (isinstance(node.op, ast.Mult) and inner is node.right and isinstance(inner.op, ast.Div))
        if inner is not None and not same_value and not (
                type(inner.op) is type(node.op) and isinstance(node.op, ASSOCIATIVE)):
            a, b = source.segment(inner.left), source.segment(inner.right)
            s = ARITHMETIC[type(inner.op)]
            regrouped = (f"({wrapped(source, inner.left)} {s} ({b} {symbol} {right}))" if inner is node.left
                         else f"(({left} {symbol} {a}) {s} {wrapped(source, inner.right)})")
            changes.append((start, end, regrouped, f"regroup `{short(source.segment(node), 30)}` "
                                                   f"as `{short(regrouped, 30)}`"))
    meaning = ast.dump(tree)
    kept = []
    for start, end, replacement, description in changes:
        edited = formula[:start] + replacement + formula[end:]
        try:
            if ast.dump(ast.parse(edited, mode="eval")) != meaning:
                kept.append((start, end, replacement, description))
        except SyntaxError:
            continue
    return kept


def perturb_formula(path: str, text: str) -> list[Mutant]:
    """perturb-equation in code: each string literal that is a formula (a Python expression
    with arithmetic on at least two names), perturbed by formula_changes()."""
    source, found = source_of(text), []
    for literal in source.nodes(ast.Constant):
        if not isinstance(literal.value, str) or is_docstring(source, literal):
            continue
        written = source.segment(literal)
        if written[1:-1] != literal.value or "\n" in written:
            continue  # escapes, implicit concatenation, triple quotes: offsets would not map
        at = source.span(literal)[0] + 1
        for start, end, replacement, description in formula_changes(literal.value):
            found.append(python_mutant(path, source, [(at + start, at + end, replacement)],
                                       "perturb-equation", description))
    return [m for m in found if m]
