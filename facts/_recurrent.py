"""Shared by the GRU, SimpleRNN, Bidirectional, PyTorch and parameter-count facts.

- The symbols those pages' equations use, added to `facts._formulas.SYMBOLS` for the
  process that imports this module (never changing a symbol the table already has).
- `run_equations`: equations written as Python, stepped over a sequence, so a page's
  equation is the code compared with the library.
- `checked_count`: a parameter-count formula evaluated over a grid of sizes and compared
  with the library's own count.
- `source_line`: one line of an installed library's source, found by a pattern, with a
  link to it at the installed version.
- `scaled_by_the_reset_gate`: which bias a GRU's reset gate multiplies, found by shutting
  and opening the gate (the GRU page runs it on Keras, the conversion page on nn.GRU).
"""
import importlib.util
import re

import keras
import numpy as np

from facts import _formulas
from facts._formulas import evaluate

# Python name -> LaTeX, for GRU (z, r, candidate h̃; bias rows 0 and 1 of Keras' default
# layout as b^x and b^h), SimpleRNN (W, U, b) and PyTorch's names (stored transposed:
# the page writes x_t W_ir^T where PyTorch writes W_ir x_t).
RECURRENT_SYMBOLS = {
    "z": "z_t",
    "r": "r_t",
    "h_tilde": r"\tilde{h}_t",
    "n": "n_t",
    "W": "W",
    "U": "U",
    "b": "b",
    "hidden_size": "u",
    "input_size": "d",
    "timesteps": "T",
    "next_units": "u'",
}
for _gate in {"z", "r", "h"}:  # a set: symbols for each gate, in no order
    RECURRENT_SYMBOLS.update({
        f"W_{_gate}": f"W_{_gate}",
        f"U_{_gate}": f"U_{_gate}",
        f"b_{_gate}": f"b_{_gate}",
        f"bx_{_gate}": f"b^{{x}}_{_gate}",  # Keras bias[0]: joins x_t W
        f"bh_{_gate}": f"b^{{h}}_{_gate}",  # Keras bias[1]: joins h_{t-1} U
    })
for _gate in {"r", "z", "n"}:
    RECURRENT_SYMBOLS.update({
        f"W_i{_gate}": rf"W_{{i{_gate}}}^{{\top}}",
        f"W_h{_gate}": rf"W_{{h{_gate}}}^{{\top}}",
        f"b_i{_gate}": f"b_{{i{_gate}}}",
        f"b_h{_gate}": f"b_{{h{_gate}}}",
    })
RECURRENT_SYMBOLS.update({
    "W_ih": r"W_{ih}^{\top}", "W_hh": r"W_{hh}^{\top}", "b_ih": "b_{ih}", "b_hh": "b_{hh}",
})
for _name, _latex in RECURRENT_SYMBOLS.items():
    _known = _formulas.SYMBOLS.setdefault(_name, _latex)
    assert _known == _latex, f"{_name!r} is already {_known!r} in facts._formulas"

def count_latex(formula):
    """A parameter-count formula as LaTeX: products of sizes written with a centred dot."""
    return _formulas.to_latex(formula, product=r"\cdot")


ACTIVATIONS = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}


def run_equations(equations, inputs, weights, units):
    """The equations as written, step by step over `inputs` (batch, timesteps, features),
    from a zero state: every h_t, stacked as (batch, timesteps, units)."""
    names = {**ACTIVATIONS, **weights, "h": np.zeros((inputs.shape[0], units))}
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        names.update(x=x, h_prev=names["h"])
        for target, expression in equations:
            names[target] = evaluate(expression, names)
        all_h.append(names["h"])
    return np.stack(all_h, axis=1)


def blocks(prefix, array, order, axis):
    """{"W_z": block, ...}: `array` cut into one block per gate along `axis`."""
    return {f"{prefix}{gate}": block
            for gate, block in zip(order, np.split(array, len(order), axis=axis))}


def checked_count(formula, count_of, grid):
    """`formula` against `count_of(units, input_dim)` for every size in `grid`."""
    for units, input_dim in grid:
        expected = evaluate(formula, {"units": units, "input_dim": input_dim})
        actual = count_of(units, input_dim)
        assert actual == expected, (formula, units, input_dim, actual, expected)
    return formula


def filled(formula, units, input_dim):
    """The formula with the sizes put in, as LaTeX, then its value: 3 (5 (4 + 5) ...) = 165."""
    value = evaluate(formula, {"units": units, "input_dim": input_dim})
    text = formula.replace("units", str(units)).replace("input_dim", str(input_dim))
    return _formulas.to_latex(text, product=r"\cdot") + f" = {value}"


def source_line(module_name, pattern):
    """(the stripped line of the installed Keras module `module_name` that matches `pattern`,
    a GitHub link to that line at the installed Keras version, the match).

    The file is read, not imported: a backend's module can be quoted under another backend."""
    path = importlib.util.find_spec(module_name).origin
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            match = re.search(pattern, line)
            if match:
                relative = path[path.rindex("keras/src/"):]
                url = (f"https://github.com/keras-team/keras/blob/v{keras.version()}/"
                       f"{relative}#L{number}")
                return line.strip(), url, match
    raise LookupError(f"no line of {module_name} matches {pattern!r}")


# A Keras recurrent layer's arrays and the symbols its equations give them.
ARRAY_SYMBOLS = {"kernel": "W", "recurrent_kernel": "U", "bias": "b"}
# What the equations multiply by an array, in words, with the size it has: the rows of the
# array multiplying it must match that size.
OPERANDS = {"x": ("the input", "input_dim"), "h_prev": ("the previous hidden state", "units")}


def array_roles(equations: str, arrays: dict, sizes: dict, symbol_end: str) -> str:
    """What each array does in checked equations, as one statement: what its symbol is
    multiplied by (`kernel` multiplies the input $x_t$, ...) and that the bias is only added.
    `equations` is their Python text, `arrays` the layer's arrays by name, `sizes` its
    input_dim and units (which must differ, so that a swapped operand shows), and
    `symbol_end` what follows a symbol there (`_` before a gate letter, or a word end)."""
    assert sizes["input_dim"] != sizes["units"]
    from facts._formulas import to_latex
    from facts._tables import code

    roles = []
    for name in ("kernel", "recurrent_kernel"):
        (operand,) = set(re.findall(rf"(\w+) @ {ARRAY_SYMBOLS[name]}{symbol_end}", equations))
        words, size = OPERANDS[operand]
        assert arrays[name].shape[0] == sizes[size], (name, operand)
        roles.append(f"{code(name)}{' multiplies' if not roles else ''} {words} ${to_latex(operand)}$")
    before_bias = re.findall(rf"(\S+) {ARRAY_SYMBOLS['bias']}[xh]?{symbol_end}", equations)
    assert before_bias and set(before_bias) == {"+"}, before_bias
    return f"{', '.join(roles)}, and {code('bias')} is added"


SHUT, OPEN = -1e4, 1e4  # a reset-gate bias that makes r = 0, and one that makes r = 1


def scaled_by_the_reset_gate(output, biases, gates):
    """(scaled bias, gate, free bias): the one block of `biases` x `gates` that stops moving
    the output when the reset gate is shut, while every other block still moves it; open,
    the gate's blocks of both biases act alike, so r multiplies the one, it does not pick.
    `output(reset_bias, bias=None, gate=None)` runs the layer with the reset gate's bias at
    `reset_bias` and, if given, that bias's block of that gate nudged."""
    shut, opened = output(SHUT), output(OPEN)
    effects = {(bias, gate): float(np.abs(output(SHUT, bias, gate) - shut).max())
               for bias in biases for gate in gates}
    ((scaled_bias, scaled),) = [key for key, effect in effects.items() if effect < 1e-6]
    assert all(effect > 1e-2 for key, effect in effects.items() if key != (scaled_bias, scaled))
    (free_bias,) = [bias for bias in biases if bias != scaled_bias]
    assert effects[(free_bias, scaled)] > 1e-2  # shut, the other bias's block still moves it
    np.testing.assert_allclose(output(OPEN, scaled_bias, scaled), output(OPEN, free_bias, scaled),
                               atol=1e-6)
    assert np.abs(output(OPEN, scaled_bias, scaled) - opened).max() > 1e-2
    return scaled_bias, scaled, free_bias
