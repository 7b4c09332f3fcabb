"""Every mutation operator, what it edits, and the mutants of a file or of the project.

An operator is a pure function `(path, text) -> list[Mutant]`: general (it finds its places
by pattern in any page or script, never from a list of known mistakes), deterministic, and
never a no-op. retarget-link also reads the page a link points to, through `read`.
"""
import dataclasses
from pathlib import Path
from typing import Callable

from tests.mutate import pages, scripts
from tests.mutate.mutant import Mutant

ROOT = Path(__file__).resolve().parents[2]

PAGES = (("docs",), ".md")
CODE = (("facts", "diagrams", "snippets"), ".py")
FACTS = (("facts",), ".py")  # where issue 19 places flipped comparisons and inverted ratios
FIGURES_AND_FACTS = (("facts", "diagrams"), ".py")  # where an order is drawn or stated


@dataclasses.dataclass(frozen=True)
class Operator:
    name: str
    function: Callable[..., list[Mutant]]
    folders: tuple[str, ...]  # top folders of the files it edits
    suffix: str  # ".md" or ".py"; "" for both
    example: str  # what one of its edits looks like

    def applies_to(self, path: str) -> bool:
        parts = path.split("/")
        return (parts[0] in self.folders and path.endswith(self.suffix or (".md", ".py"))
                and parts[-1] != "__init__.py" and "__pycache__" not in parts)


def perturb_equation(path: str, text: str) -> list[Mutant]:
    """A typed LaTeX formula of a page, or a formula a facts script writes as a Python
    expression and shows as LaTeX (facts/_formulas.py), perturbed."""
    if path.endswith(".md"):
        return pages.perturb_equation(path, text)
    return scripts.perturb_formula(path, text)


OPERATORS = {op.name: op for op in [
    Operator("swap-placeholders", pages.swap_placeholders, *PAGES,
             "swap {{ input_bias_row }} and {{ recurrent_bias_row }}"),
    Operator("swap-table-rows", pages.swap_table_rows, *PAGES,
             "swap the labels of the rows `| both rows summed…` and `| rows swapped…`"),
    Operator("swap-gate-names", pages.swap_gate_names, *PAGES, 'swap "update gate" and "reset gate"'),
    Operator("swap-array-names", pages.swap_array_names, *PAGES,
             "swap `kernel` and `recurrent_kernel`; `bias[0]` -> `bias[1]`"),
    Operator("number-word", pages.number_word, *PAGES, '"two" -> "three"'),
    Operator("perturb-equation", perturb_equation, ("docs", "facts"), "",
             "regroup `(r * h_prev) @ U_h` as `(r * (h_prev @ U_h))`; `x_t W` -> `W x_t`"),
    Operator("retarget-link", pages.retarget_link, *PAGES,
             "[proof](#bias-rows) -> #keras-and-pytorch"),
    Operator("weaken-doctest", pages.weaken_doctest, *PAGES,
             "`>>> layer.units` / `4` -> `>>> layer.units is not None` / `True`"),
    Operator("generalise", pages.generalise, *PAGES,
             '"most" -> "all", "usually" -> "always"; a proof link\'s `{ .proof }` dropped'),
    Operator("flip-comparison", scripts.flip_comparison, *FACTS, "`error < 1e-6`: `<` -> `>`"),
    Operator("invert-ratio", scripts.invert_ratio, *FACTS, "`a / b` -> `b / a`"),
    Operator("permute-order", scripts.permute_order, *FIGURES_AND_FACTS,
             "`gate_order.proven_order` -> `(gate_order.proven_order[1:] + gate_order.proven_order[:1])`"),
    Operator("weaken-assert", scripts.weaken_assert, *CODE,
             "`np.testing.assert_allclose(a, b)` -> `assert np.shape(a) == np.shape(b)`"),
    Operator("swap-dict-values", scripts.swap_dict_values, ("facts",), ".py",
             "swap the values of \"n_gates\" and \"n_arrays\" in make_facts()"),
]}


def reader(root: Path) -> Callable[[str], str | None]:
    """`read(path)`: a file of the project under `root`, or None."""
    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(encoding="utf-8") if file.is_file() else None
    return read


def mutants_of(path: str, text: str, operators=None, read=None) -> list[Mutant]:
    """Every mutant of one file by the operators that apply to it, each edit once."""
    read = read or reader(ROOT)
    found, seen = [], set()
    for op in (operators or OPERATORS.values()):
        if not op.applies_to(path):
            continue
        made = op.function(path, text, read=read) if op.name == "retarget-link" else op.function(path, text)
        for m in made:
            if m.text != text and m.text not in seen:
                seen.add(m.text)
                found.append(m)
    return found


def project_files(root: Path = ROOT) -> list[str]:
    """The files the operators edit, from the project root: pages, facts, figures, snippets."""
    files = []
    for folders, suffix in (PAGES, CODE):
        for folder in folders:
            files += [path.relative_to(root).as_posix() for path in (root / folder).rglob(f"*{suffix}")]
    return sorted(path for path in files if any(op.applies_to(path) for op in OPERATORS.values()))


def project_mutants(root: Path = ROOT, operators=None, paths=None) -> list[Mutant]:
    """Every mutant of the project under `root`, file by file, in a fixed order."""
    read = reader(root)
    found = []
    for path in (paths if paths is not None else project_files(root)):
        found += mutants_of(path, read(path), operators, read)
    return found
