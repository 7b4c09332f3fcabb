"""A fact and the code that computes it carry one name: in the dict `make_facts()` returns,
each value is an expression whose names fit its own key at least as well as they fit a
neighbouring key's.

Two facts of the same kind (two accuracies, two shapes) swapped in that dict pass every
check of their values, and the page then prints each where the other belongs. Their names
tell them apart: `"adam_accuracy": over_seeds(sgd_runs)` reads wrong. Compute a value into a
variable named for its fact (`"adam_accuracy": adam_accuracy`) and a swap cannot hide.
"""
import ast
import re

from engine.problems import Problem, rule
from tests.meaning import content_words

NAME = re.compile(r"[A-Za-z_]\w{0,30}")


# A number with a unit or a dimension ("2d", "3d") tells two facts apart as a word does.
NUMBERED_WORD = re.compile(r"\b\d+[a-z]+\b")


def words(text: str) -> set[str]:
    return content_words(text) | set(NUMBERED_WORD.findall(text.lower()))


def key_words(key: str) -> set[str]:
    return words(key.replace("_", " "))


LABEL = re.compile(r"[A-Za-z][A-Za-z ]{0,40}")


def expression_words(node: ast.AST) -> set[str]:
    """The names an expression uses (variables, attributes, and strings that are names, such
    as `accuracy("adam", "kernel_mod")`'s, or labels that pick a value out, such as
    `misses["Gaussian prior"]`'s), split at `_`; an f-string's text is what the page reads, not
    a name, and is left out, but the names inside its braces count."""
    names = []
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            names.append(part.id)
        elif isinstance(part, ast.Attribute):
            names.append(part.attr)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str) and NAME.fullmatch(part.value):
            names.append(part.value)
        elif (isinstance(part, ast.Subscript) and isinstance(part.slice, ast.Constant)
              and isinstance(part.slice.value, str) and LABEL.fullmatch(part.slice.value)):
            names.append(part.slice.value)
    return words(" ".join(names).replace("_", " "))


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # the line ends Python's parser knows


def source_segment(lines: list[str], node: ast.AST) -> str:
    """ast.get_source_segment from the text's lines split once: that function splits the
    whole text at every call, which made this rule quadratic in a script's length.
    Column offsets count UTF-8 bytes, as the parser's do."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    return "".join([lines[first].encode()[node.col_offset:].decode(), *lines[first + 1:last],
                    lines[last].encode()[:node.end_col_offset].decode()])


def returned_entries(tree: ast.AST, text: str):
    """(key, value source, line) of each entry of each dict literal that make_facts()
    returns, directly or through a name bound to one, in order; one list per dict."""
    lines = LINE.findall(text)
    # make_facts is a module-level function (engine/_render_one.py reads it off the module).
    for function in (node for node in getattr(tree, "body", [tree]) if isinstance(node, ast.FunctionDef)
                     and node.name == "make_facts"):
        nodes = list(ast.walk(function))
        bound = {target.id: node.value for node in nodes if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Dict) for target in node.targets if isinstance(target, ast.Name)}
        for node in nodes:
            if isinstance(node, ast.Return) and node.value is not None:
                found = node.value if isinstance(node.value, ast.Dict) else bound.get(getattr(node.value, "id", None))
                if isinstance(found, ast.Dict):
                    yield [(key.value, value, source_segment(lines, value), key.lineno)
                           for key, value in zip(found.keys, found.values)
                           if isinstance(key, ast.Constant) and isinstance(key.value, str)]


@rule("fact-expression", kind="python",
      good='def make_facts():\n    return {"adam_accuracy": str(adam_accuracy), "sgd_accuracy": str(sgd_accuracy)}\n',
      bad='def make_facts():\n    return {"adam_accuracy": str(sgd_accuracy), "sgd_accuracy": str(adam_accuracy)}\n')
def fact_expressions(text: str, path: str):
    """Each fact make_facts() returns is computed by an expression whose names fit its key
    at least as well as a neighbouring key's (`"adam_accuracy": adam_accuracy`)."""
    if not path.startswith(("facts/", "snippets/example")) or "/_" in path:
        return
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    for entries in returned_entries(tree, text):
        used = [expression_words(value) for _, value, _, _ in entries]  # each once, not thrice
        for i, (key, value, source, line) in enumerate(entries):
            own = len(key_words(key) & used[i])
            for j in (j for j in (i - 1, i + 1) if 0 <= j < len(entries)):
                other_key = entries[j][0]
                if len(key_words(key) & used[j]) > own:
                    yield Problem(path, line, "fact-expression",
                                  f"{key!r} holds `{' '.join(source.split())[:50]}`, whose names fit it "
                                  f"less than {other_key!r}'s value does: compute it into a variable "
                                  f"named for it, so that two swapped values show")
                    break
