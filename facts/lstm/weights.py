"""Facts on the LSTM weights page: every shape, slice, order, count and equation it shows.

Each value comes from the layers the page's snippets build and prove; a formula that the
page shows is the string evaluated here against Keras over a grid of sizes.
"""
import inspect
import re

import keras
import keras.src.layers.rnn.lstm as keras_lstm_source
import numpy as np
import torch

from facts._formulas import aligned, evaluate, to_latex
from facts._lstm import GATE_NAMES, checked_equations
from facts._tables import code, markdown_table, shape_text
from snippets.lstm import gate_order, pytorch_gate_order, reader_model, unit_forget_bias

GATE_SYMBOLS = {"i": "$i$", "f": "$f$", "c": r"$\tilde{c}$", "o": "$o$"}
# colah's "Understanding LSTM Networks" draws the four gate layers left to right in this
# order (read off his figure, so typed here once); the page contrasts it with the proof's.
COLAH_ORDER = ("f", "i", "c", "o")
COLAH_SYMBOLS = {"f": "f", "i": "i", "c": "c̃", "o": "o"}

# Shapes and the parameter count as formulas in the layer's own argument names.
KERAS_SHAPES = {
    "kernel": ("input_dim", "4 * units"),
    "recurrent_kernel": ("units", "4 * units"),
    "bias": ("4 * units",),
}
PARAMETER_COUNT = "4 * (units * (input_dim + units) + units)"
TORCH_SHAPES = {
    "weight_ih_l0": ("4 * hidden_size", "input_size"),
    "weight_hh_l0": ("4 * hidden_size", "hidden_size"),
    "bias_ih_l0": ("4 * hidden_size",),
    "bias_hh_l0": ("4 * hidden_size",),
}
SIZES = [(1, 1), (2, 1), (3, 1), (4, 3), (120, 5), (7, 11)]  # (units, input_dim)

def checked_shapes(formulas, built):
    """Evaluate each shape formula for every size in SIZES and compare with real layers."""
    for sizes in SIZES:
        actual, names = built(*sizes)
        for array, formula in formulas.items():
            assert tuple(evaluate(term, names) for term in formula) == actual[array], (array, sizes)
    return {array: "(" + ", ".join(formula) + (",)" if len(formula) == 1 else ")")
            for array, formula in formulas.items()}


def keras_layer(units, input_dim):
    layer = keras.layers.LSTM(units=units)
    layer.build((None, None, input_dim))
    shapes = {weight.name: tuple(weight.shape) for weight in layer.weights}
    assert layer.count_params() == evaluate(PARAMETER_COUNT, {"units": units, "input_dim": input_dim})
    return shapes, {"units": units, "input_dim": input_dim}


def torch_layer(hidden_size, input_size):
    layer = torch.nn.LSTM(input_size=input_size, hidden_size=hidden_size)
    shapes = {name: tuple(parameter.shape) for name, parameter in layer.named_parameters()}
    return shapes, {"hidden_size": hidden_size, "input_size": input_size}


def keras_source_line(order):
    """Where Keras' own source splits kernel into the gate blocks, checked against the proof."""
    lines, first = inspect.getsourcelines(keras_lstm_source)
    for number, line in enumerate(lines, max(first, 1)):  # a module's lines start at 0
        match = re.search(r"k_(\w), k_(\w), k_(\w), k_(\w) = ops\.split\(self\.kernel, 4", line)
        if match:
            assert match.groups() == order, f"Keras' source splits as {match.groups()}"
            path = inspect.getsourcefile(keras_lstm_source)
            relative = path[path.rindex("keras/src/"):]
            url = f"https://github.com/keras-team/keras/blob/v{keras.version()}/{relative}#L{number}"
            return line.strip(), url
    raise LookupError("Keras' LSTM source no longer splits kernel with ops.split")


def slice_table(order, units):
    rows = []
    for block, (gate, W, U, b) in enumerate(zip(
        order,
        np.split(reader_model.kernel, 4, axis=1),
        np.split(reader_model.recurrent_kernel, 4, axis=1),
        np.split(reader_model.bias, 4),
    )):
        start, stop = block * units, (block + 1) * units
        np.testing.assert_array_equal(reader_model.kernel[:, start:stop], W)
        np.testing.assert_array_equal(reader_model.recurrent_kernel[:, start:stop], U)
        np.testing.assert_array_equal(reader_model.bias[start:stop], b)
        rows.append([
            str(block), f"{GATE_SYMBOLS[gate]} {GATE_NAMES[gate]}",
            code(f"kernel[:, {start}:{stop}]"), code(f"recurrent_kernel[:, {start}:{stop}]"),
            code(f"bias[{start}:{stop}]"),
        ])
    return markdown_table(["block", "gate", "`kernel`", "`recurrent_kernel`", "`bias`"], rows)


def shape_notation():
    """The `<rows x columns>` notation of one answer, with u for units, from layers with one
    feature per timestep: kernel <1x(4u)>, recurrent_kernel <ux(4u)>, bias <4u>."""
    notations = set()
    for units in (1, 2, 3):
        layer = keras.layers.LSTM(units=units)
        layer.build((None, 1, 1))
        kernel, recurrent_kernel, bias = (tuple(weight.shape) for weight in layer.weights)
        gates = kernel[1] // units
        assert recurrent_kernel == (units, gates * units) and bias == (gates * units,)
        notations.add((f"<{kernel[0]}x({gates}u)>", f"<ux({gates}u)>", f"<{gates}u>"))
    (notation,) = notations  # the same notation for every units: one column block per gate
    return notation


def make_facts() -> dict[str, str | int]:
    order = gate_order.proven_order
    units, input_dim = reader_model.units, reader_model.input_dim
    assert set(COLAH_ORDER) == set(order) and COLAH_ORDER != order
    keras_shapes = checked_shapes(KERAS_SHAPES, keras_layer)
    torch_shapes = checked_shapes(TORCH_SHAPES, torch_layer)
    arrays = dict(zip(KERAS_SHAPES, reader_model.weights[:3]))
    source_line, source_url = keras_source_line(order)
    errors = gate_order.max_error
    wrong = {o: e for o, e in errors.items() if o != "".join(order)}
    stacked = {
        matrix: rf"{matrix} = \begin{{bmatrix}} " + " & ".join(f"{matrix}_{g}" for g in order)
        + r" \end{bmatrix}"
        for matrix in "WUb"
    }
    counts = {"units": units, "input_dim": input_dim}
    kernel_notation, recurrent_kernel_notation, bias_notation = shape_notation()
    set_to = unit_forget_bias.constant_bias_blocks_unique[True]
    forget = order.index("f")
    (constant,) = set_to[0]
    (forget_value,) = set_to[forget]
    assert all(block == [constant] for k, block in enumerate(set_to) if k != forget)
    return {
        "kernel_notation": code(kernel_notation),
        "recurrent_kernel_notation": code(recurrent_kernel_notation),
        "bias_notation": code(bias_notation),
        "forget_bias": f"{forget_value:g}",
        "constant_bias": f"{constant:g}",
        "added_bias": f"{constant + 1:g}",
        "unit_forget_bias_docstring": unit_forget_bias.docstring_says,
        "gate_order": ", ".join(order),
        "gate_order_names": ", ".join(GATE_NAMES[gate] for gate in order),
        "colah_order": ", ".join(COLAH_SYMBOLS[gate] for gate in COLAH_ORDER),
        "units": units,
        "input_dim": input_dim,
        "n_arrays": len(arrays),
        "n_gates": len(order),
        "n_blocks": len(arrays) * len(order),
        "n_orders": len(errors),
        "n_wrong_orders": len(wrong),
        "proven_order_error": f"{errors[''.join(order)]:.1e}",
        "smallest_wrong_error": f"{min(wrong.values()):.2f}",
        "gate_block_shapes": ", ".join(
            f"each {symbol} block {code(shape_text(np.split(array, 4, axis=-1)[0].shape))}"
            for symbol, array in zip(("$W$", "$U$", "$b$"), arrays.values())
        ),
        "array_table": markdown_table(
            ["array", "shape", "readers' layer", "multiplies"],
            [
                [f"{code(name)} {symbol}", code(keras_shapes[name]),
                 code(shape_text(arrays[name].shape)), multiplies]
                for name, symbol, multiplies in (
                    ("kernel", "$W$", "the input $x_t$"),
                    ("recurrent_kernel", "$U$", "the previous hidden state $h_{t-1}$"),
                    ("bias", "$b$", "nothing: added after both products"),
                )
            ],
        ),
        "slice_table": slice_table(order, units),
        "equations": aligned(checked_equations(order)),
        "stacked_blocks": r",\quad ".join(stacked.values()),
        "parameter_formula": to_latex(PARAMETER_COUNT, product=r"\cdot"),
        "parameter_formula_filled": to_latex(
            PARAMETER_COUNT.replace("units", str(units)).replace("input_dim", str(input_dim)),
            product=r"\cdot",
        ) + f" = {evaluate(PARAMETER_COUNT, counts)}",
        "keras_source_line": code(source_line),
        "keras_source_url": source_url,
        "torch_table": markdown_table(
            ["Keras", "PyTorch", "PyTorch shape"],
            [
                [code("kernel"), code("weight_ih_l0"), code(torch_shapes["weight_ih_l0"])],
                [code("recurrent_kernel"), code("weight_hh_l0"), code(torch_shapes["weight_hh_l0"])],
                [code("bias"), f"{code('bias_ih_l0')} + {code('bias_hh_l0')}",
                 f"{code(torch_shapes['bias_ih_l0'])} each"],
                [code("units"), code("hidden_size"), ""],
                [code("input_dim"), code("input_size"), ""],
            ],
        ),
        "torch_gate_order": ", ".join(pytorch_gate_order.proven_order),
    }
