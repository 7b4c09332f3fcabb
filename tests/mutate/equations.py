"""Wrong edits of a typed LaTeX formula: a sign flipped, the operands of a difference or a
matrix product swapped, a term dropped, a parenthesis moved, a fraction turned over.

The formula is read as nested sequences: brackets and braces are groups, a subscript or
superscript belongs to what it follows, `\\frac{a}{b}` and `\\tilde{h}` are one factor, and a
name directly followed by `(` is a call (`p(x)`, `\\tanh(c_t)`). At each level `=`, `,` and
relations separate expressions, `+` and `-` separate terms, and juxtaposition or `\\odot`
separates factors. Swapping the two sides of a `+`, or two numbers, changes nothing a
reader could check, so neither is generated. Subscripts are notation (`h_{t-1}`) and are
left alone.
"""
import dataclasses
import re

from tests.mutate.mutant import short

DELIMITER = r"(?:\\[A-Za-z]+|\\.|[()\[\]|.])"
OPENING = r"(?:left|bigl|Bigl|biggl|Biggl)"
CLOSING = r"(?:right|bigr|Bigr|biggr|Biggr)"
TOKEN = re.compile(
    rf"(?P<placeholder>\{{\{{.*?\}}\}})"
    rf"|(?P<open>\\{OPENING}\s*{DELIMITER}|[(\[])"
    rf"|(?P<close>\\{CLOSING}\s*{DELIMITER}|[)\]])"
    r"|(?P<lbrace>\{)|(?P<rbrace>\})"
    r"|(?P<command>\\[A-Za-z]+|\\.)"
    r"|(?P<space>\s+)"
    r"|(?P<script>[_^])"
    r"|(?P<digits>\d+(?:\.\d+)?)"
    r"|(?P<char>.)",
    re.DOTALL,
)
ADD = {"+", "-"}
PRODUCT = {r"\odot", r"\cdot", r"\times", r"\otimes", r"\circ", "*"}
SEPARATORS = {
    "=", "<", ">", ",", ";", ".", "&", "|", ":", r"\\", r"\|", r"\mid", r"\propto", r"\approx",
    r"\leq", r"\geq", r"\le", r"\ge", r"\neq", r"\ne", r"\to", r"\in", r"\quad", r"\qquad",
    r"\Longleftrightarrow", r"\Leftrightarrow", r"\iff", r"\implies", r"\Rightarrow",
    r"\sim", r"\equiv", r"\bmod", r"\pmod", r"\mapsto", r"\dots", r"\ldots", r"\cdots",
}
SPACING = {r"\,", r"\;", r"\!", r"\ ", r"\:"}
FUNCTIONS = {
    r"\tanh", r"\sigma", r"\log", r"\exp", r"\det", r"\sin", r"\cos", r"\max", r"\min",
    r"\sum", r"\prod", r"\operatorname", r"\softmax", r"\relu", r"\ln", r"\arg", r"\lim",
    r"\partial", r"\nabla", r"\int",
}
ONE_ARGUMENT = {
    r"\tilde", r"\hat", r"\bar", r"\vec", r"\dot", r"\mathrm", r"\mathbf", r"\mathit",
    r"\mathcal", r"\operatorname", r"\sqrt", r"\text", r"\textrm", r"\widetilde",
    r"\widehat", r"\boldsymbol", r"\bm", r"\overline", r"\underline",
}
TWO_ARGUMENTS = {r"\frac", r"\dfrac", r"\tfrac", r"\binom"}


@dataclasses.dataclass
class Node:
    kind: str  # "atom", "paren", "brace", "op", "space"
    start: int
    end: int
    text: str = ""  # an op's or an atom's first token: "+", "\tanh", "x"
    inner: list["Node"] = dataclasses.field(default_factory=list)  # a group's contents
    parts: list["Node"] = dataclasses.field(default_factory=list)  # groups inside an atom
    call: bool = False  # a paren group that is a call's argument list: `f(x)`
    numeric: bool = False


@dataclasses.dataclass(frozen=True)
class Change:
    start: int  # in the formula
    end: int
    replacement: str
    description: str


def tokens(formula: str) -> list[tuple[str, int, int]]:
    return [(match.lastgroup, match.start(), match.end()) for match in TOKEN.finditer(formula)]


def parse(formula: str) -> list[Node]:
    """The formula as a sequence of nodes; unbalanced brackets give an empty sequence."""
    stack: list[tuple[str, int, list[Node]]] = [("top", 0, [])]
    for kind, start, end in tokens(formula):
        text = formula[start:end]
        if kind in ("open", "lbrace"):
            stack.append((kind, start, []))
        elif kind in ("close", "rbrace"):
            opened, begin, inner = stack.pop()
            if (opened == "lbrace") != (kind == "rbrace") or not stack:
                return []
            group = "brace" if kind == "rbrace" else "paren"
            stack[-1][2].append(Node(group, begin, end, formula[begin:begin + 1], attach(inner, formula)))
        elif kind == "space" or text in SPACING:
            stack[-1][2].append(Node("space", start, end, text))
        elif kind == "script":
            stack[-1][2].append(Node("op", start, end, text))
        elif text in ADD or text in PRODUCT or text in SEPARATORS:
            stack[-1][2].append(Node("op", start, end, text))
        else:
            stack[-1][2].append(Node("atom", start, end, text, numeric=kind == "digits"))
    if len(stack) != 1:
        return []
    return attach(stack[0][2], formula)


def attach(items: list[Node], formula: str) -> list[Node]:
    """Join what belongs together: scripts to their base, arguments to their command, a
    call's parentheses to its name."""
    joined: list[Node] = []
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        wanted = 2 if item.text in TWO_ARGUMENTS else 1 if item.text in ONE_ARGUMENT else 0
        if item.kind == "atom" and wanted:
            while wanted and index < len(items) and items[index].kind in ("brace", "atom"):
                item = Node("atom", item.start, items[index].end, item.text,
                            parts=[*item.parts, items[index]])
                index += 1
                wanted -= 1
        while (index + 1 < len(items) and items[index].kind == "op"
               and items[index].text in ("_", "^") and item.kind != "op"):
            script = items[index + 1]  # notation: kept whole, not perturbed inside
            item = Node("atom", item.start, script.end, item.text, parts=item.parts,
                        numeric=item.numeric)
            index += 2
        if (item.kind == "atom" and index < len(items) and items[index].kind == "paren"
                and items[index].start == item.end and not item.numeric):
            argument = items[index]
            argument.call = True
            item = Node("atom", item.start, argument.end, item.text, parts=[*item.parts, argument])
            index += 1
        joined.append(item)
    return joined


def changes(formula: str) -> list[Change]:
    """Every wrong edit of the formula, each once, in the order they appear."""
    found: list[Change] = []
    perturb(parse(formula), formula, found)
    unique = {}
    for change in found:
        edited = formula[:change.start] + change.replacement + formula[change.end:]
        if edited != formula:
            unique.setdefault(edited, change)
    return list(unique.values())


def text_of(nodes: list[Node], formula: str) -> str:
    return formula[nodes[0].start:nodes[-1].end] if nodes else ""


def split(items: list[Node], separators) -> list[list[Node]]:
    pieces, current = [], []
    for item in items:
        if item.kind == "op" and separators(item, current):
            pieces.append(current)
            current = []
        else:
            current.append(item)
    pieces.append(current)
    return pieces


def terms_of(expression: list[Node]) -> tuple[list[list[Node]], list[Node]]:
    """An expression's terms (spaces stripped) and the binary + and - between them; a sign
    before the first factor is part of its term."""
    terms, operators, current = [], [], []
    for item in expression:
        if item.kind == "op" and item.text in ADD and any(n.kind != "space" for n in current):
            terms.append(current)
            operators.append(item)
            current = []
        else:
            current.append(item)
    terms.append(current)
    stripped = [[n for n in term if n.kind != "space"] for term in terms]
    return stripped, operators


def perturb(items: list[Node], formula: str, found: list[Change]) -> None:
    for expression in split(items, lambda op, _current: op.text in SEPARATORS):
        terms, operators = terms_of(expression)
        if any(not term for term in terms):
            continue  # `a + = b`: not an expression this reader understands
        whole = short(text_of([n for n in expression if n.kind != "space"], formula), 50)
        for k, operator in enumerate(operators):
            left, right = terms[k], terms[k + 1]
            flipped = "-" if operator.text == "+" else "+"
            found.append(Change(operator.start, operator.end, flipped,
                                f"`{operator.text}` -> `{flipped}` in `{whole}`"))
            if operator.text == "-":
                a, b = text_of(left, formula), text_of(right, formula)
                if a != b and left[0].text not in ADD:
                    found.append(Change(left[0].start, right[-1].end,
                                        b + formula[left[-1].end:right[0].start] + a,
                                        f"swap `{short(a, 25)}` and `{short(b, 25)}` around `-`"))
        if len(terms) > 1:
            for k, term in enumerate(terms):
                dropped = short(text_of(term, formula), 30)
                if k == 0:
                    sign = "-" if operators[0].text == "-" else ""
                    change = Change(term[0].start, terms[1][0].start, sign, "")
                else:
                    change = Change(terms[k - 1][-1].end, term[-1].end, "", "")
                found.append(dataclasses.replace(change, description=f"drop `{dropped}` from `{whole}`"))
        for term in terms:
            factors(term, formula, found)
    for item in items:
        inner_groups = item.inner if item.kind in ("paren", "brace") else []
        if inner_groups:
            perturb(inner_groups, formula, found)
        for part in item.parts:
            if part.kind in ("paren", "brace"):
                perturb(part.inner, formula, found)
        if item.kind == "atom" and item.text in TWO_ARGUMENTS and len(item.parts) == 2:
            top, bottom = item.parts
            a, b = formula[top.start + 1:top.end - 1], formula[bottom.start + 1:bottom.end - 1]
            if a != b:
                found.append(Change(top.start, bottom.end, f"{{{b}}}{{{a}}}",
                                    f"turn `{short(formula[item.start:item.end], 40)}` upside down"))


def is_function(node: Node) -> bool:
    return node.kind == "atom" and node.text in FUNCTIONS and not any(p.call for p in node.parts)


def is_matrix(node: Node) -> bool:
    """Capital letters are matrices in this notation (`W`, `U_h`, `X`): the factors whose
    order matters."""
    return node.kind == "atom" and bool(re.fullmatch(r"[A-Z]", node.text))


def factors(term: list[Node], formula: str, found: list[Change]) -> None:
    """Swap two juxtaposed factors of a matrix product (`x_t W`), and move a parenthesis one
    factor outwards (`(r_t h) U` -> `(r_t h U)`), or past the first term inside."""
    nodes = [n for n in term if n.kind != "op" or n.text not in ADD]
    for k in range(len(nodes) - 1):
        a, b = nodes[k], nodes[k + 1]
        if a.kind == "op" or b.kind == "op" or is_function(a) or is_function(b):
            continue
        if a.numeric or b.numeric or not (is_matrix(a) or is_matrix(b)):
            continue  # numbers and scalars commute: swapping them changes nothing
        first, second = formula[a.start:a.end], formula[b.start:b.end]
        if first != second:
            found.append(Change(a.start, b.end, second + formula[a.end:b.start] + first,
                                f"swap the factors `{short(first, 25)}` and `{short(second, 25)}`"))
    for k, node in enumerate(nodes):
        if node.kind != "paren" or node.call or not node.inner:
            continue
        opening = formula[node.start:node.inner[0].start].rstrip()
        closing = formula[node.inner[-1].end:node.end].lstrip()
        inner = formula[node.inner[0].start:node.inner[-1].end]
        after = next((n for n in nodes[k + 1:] if n.kind != "op"), None)
        before = next((n for n in reversed(nodes[:k]) if n.kind != "op"), None)
        if after is not None and not is_function(after):
            found.append(Change(node.start, after.end,
                                opening + inner + formula[node.end:after.start]
                                + formula[after.start:after.end] + closing,
                                f"move `{closing}` past `{short(formula[after.start:after.end], 25)}`"))
        elif before is not None and not is_function(before):
            found.append(Change(before.start, node.end,
                                opening + formula[before.start:before.end]
                                + formula[before.end:node.start] + inner + closing,
                                f"move `{opening}` before `{short(formula[before.start:before.end], 25)}`"))
        else:
            inner_terms, operators = terms_of(node.inner)
            if len(inner_terms) > 1 and all(inner_terms):
                second = inner_terms[1][0].start
                found.append(Change(node.start, node.end,
                                    formula[node.inner[0].start:second] + opening
                                    + formula[second:node.inner[-1].end] + closing,
                                    f"move `{opening}` past `{short(text_of(inner_terms[0], formula), 25)}`"))
