"""Facts on the GRU page: shapes, slices, the gate order, both variants' equations, the bias
rows, the docstring's two accounts of the default, and the other backend.

Every equation is the Python expression run here against the layers
`snippets/rnn/gru_gate_order.py` proves the order with; every shape formula is evaluated over
a grid of sizes against real layers.
"""
import keras
import numpy as np

from facts._formulas import aligned, evaluate
from facts._recurrent import blocks, run_equations, source_line
from facts._tables import code, markdown_table, shape_text
from snippets.rnn import gru_bias_rows, gru_gate_order, gru_layout, gru_torch_backend

GATE_NAMES = {"z": "update gate", "r": "reset gate", "h": "candidate"}
GATE_SYMBOLS = {"z": "$z$", "r": "$r$", "h": r"$\tilde{h}$"}

# Each gate's equation, in both variants; the gates are computed in the order the proof
# accepts, the state last. x_t W and h_{t-1} U are row vectors times matrices, as Keras computes.
AFTER = {  # reset_after=True: bias row 0 (b^x) joins x W, row 1 (b^h) joins h U
    "z": ("z", "sigmoid(x @ W_z + bx_z + h_prev @ U_z + bh_z)"),
    "r": ("r", "sigmoid(x @ W_r + bx_r + h_prev @ U_r + bh_r)"),
    "h": ("h_tilde", "tanh(x @ W_h + bx_h + r * (h_prev @ U_h + bh_h))"),
}
BEFORE = {  # reset_after=False: one bias; r multiplies h before U
    "z": ("z", "sigmoid(x @ W_z + h_prev @ U_z + b_z)"),
    "r": ("r", "sigmoid(x @ W_r + h_prev @ U_r + b_r)"),
    "h": ("h_tilde", "tanh(x @ W_h + (r * h_prev) @ U_h + b_h)"),
}
STATE = ("h", "z * h_prev + (1 - z) * h_tilde")

SHAPES = {
    True: {"kernel": ("input_dim", "3 * units"), "recurrent_kernel": ("units", "3 * units"),
           "bias": ("2", "3 * units")},
    False: {"kernel": ("input_dim", "3 * units"), "recurrent_kernel": ("units", "3 * units"),
            "bias": ("3 * units",)},
}
# Which row of the default two-row bias joins x W (b^x) and which joins h U (b^h): the
# equations below are checked with these rows, so a swap fails the build.
INPUT_ROW, RECURRENT_ROW = 0, 1
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (units, input_dim)


def checked_equations(reset_after, order):
    variant = AFTER if reset_after else BEFORE
    equations = [variant[gate] for gate in ("z", "r", "h")] + [STATE]
    kernel, recurrent_kernel, bias = gru_gate_order.weights[reset_after]
    weights = {**blocks("W_", kernel, order, 1), **blocks("U_", recurrent_kernel, order, 1)}
    if reset_after:
        weights.update({**blocks("bx_", bias[INPUT_ROW], order, 0),
                        **blocks("bh_", bias[RECURRENT_ROW], order, 0)})
    else:
        weights.update(blocks("b_", bias, order, 0))
    all_h = run_equations(equations, gru_gate_order.inputs, weights, gru_gate_order.units)
    np.testing.assert_allclose(all_h, gru_gate_order.all_h[reset_after], atol=1e-6)
    return aligned(equations)


def checked_shapes(reset_after):
    for units, input_dim in GRID:
        gru = keras.layers.GRU(units=units, reset_after=reset_after)
        gru.build((None, None, input_dim))
        names = {"units": units, "input_dim": input_dim}
        for weight, formula in zip(gru.weights, SHAPES[reset_after].values()):
            assert tuple(evaluate(term, names) for term in formula) == tuple(weight.shape)
    return {name: "(" + ", ".join(formula) + (",)" if len(formula) == 1 else ")")
            for name, formula in SHAPES[reset_after].items()}


def slice_table(order, units):
    kernel, recurrent_kernel, bias = gru_gate_order.weights[True]
    _, _, single_bias = gru_gate_order.weights[False]
    rows = []
    for block, gate in enumerate(order):
        start, stop = block * units, (block + 1) * units
        for array, axis in ((kernel, 1), (recurrent_kernel, 1), (bias, 1), (single_bias, 0)):
            np.testing.assert_array_equal(
                np.take(array, range(start, stop), axis=axis), np.split(array, 3, axis=axis)[block])
        rows.append([
            str(block), f"{GATE_SYMBOLS[gate]} {GATE_NAMES[gate]}",
            f"{code(f'kernel[:, {start}:{stop}]')}<br>"
            f"{code(f'recurrent_kernel[:, {start}:{stop}]')}",
            code(f"bias[:, {start}:{stop}]"),
            code(f"bias[{start}:{stop}]"),
        ])
    return markdown_table(
        ["block", "gate", "`kernel`, `recurrent_kernel`", "`bias`, both rows (default)",
         "`bias` (`reset_after=False`)"],
        rows,
    )


def make_facts() -> dict[str, str | int]:
    order = gru_gate_order.proven_order
    assert set(order) == set(GATE_NAMES)
    units, input_dim = gru_layout.units, gru_layout.input_dim
    assert (gru_gate_order.units, gru_gate_order.input_dim) == (units, input_dim)
    after, before = checked_shapes(True), checked_shapes(False)
    readers = {reset_after: dict(shapes) for reset_after, shapes in gru_layout.layout.items()}
    errors = gru_gate_order.max_error
    proven = "".join(order)
    wrong = [error for variant in errors.values() for o, error in variant.items() if o != proven]
    line, url, match = source_line(
        "keras.src.layers.rnn.gru", r"x_(\w), x_(\w), x_(\w) = ops\.split\(matrix_x, 3")
    assert match.groups() == order, f"Keras' source splits as {match.groups()}"
    placement = gru_bias_rows.max_error
    backend_difference = float(np.abs(np.subtract(
        gru_torch_backend.on_torch["all_h"], gru_torch_backend.on_tensorflow["all_h"])).max())
    # The docstring's variant paragraph calls the "before" variant the default; the layer's
    # own default builds the "after" variant's two-row bias.
    assert gru_layout.default_reset_after is True and len(readers[True]["bias"]) == 2
    return {
        "gate_order": ", ".join(order),
        "gate_order_names": ", ".join(f"{GATE_NAMES[g]} {GATE_SYMBOLS[g]}" for g in order),
        "n_gates": len(order),
        "n_arrays": len(readers[True]),
        "units": units,
        "input_dim": input_dim,
        "array_table": markdown_table(
            ["array", "`reset_after=True` (default)", "`reset_after=False`",
             f"`GRU(units={units})` on {input_dim} features"],
            [
                [f"{code(name)} {symbol}", code(after[name]), code(before[name]),
                 " or ".join(dict.fromkeys(
                     code(shape_text(readers[v][name])) for v in (True, False)))]
                for name, symbol in (
                    ("kernel", "$W$"), ("recurrent_kernel", "$U$"), ("bias", "$b$"),
                )
            ],
        ),
        "default_bias_shape": code(after["bias"]),
        "input_bias_row": code(f"bias[{INPUT_ROW}]"),
        "recurrent_bias_row": code(f"bias[{RECURRENT_ROW}]"),
        "reset_before_bias_shape": code(before["bias"]),
        "slice_table": slice_table(order, gru_gate_order.units),
        "equations_after": checked_equations(True, order),
        "equations_before": checked_equations(False, order),
        "docstring_variants": gru_layout.variants_say,
        "docstring_argument": gru_layout.argument_says,
        "default_reset_after": code(f"reset_after={gru_layout.default_reset_after}"),
        "n_orders": len(errors[True]),
        "n_wrong_orders": len(errors[True]) - 1,
        "proven_order_error": f"{max(errors[True][proven], errors[False][proven]):.1e}",
        "smallest_wrong_error": f"{min(wrong):.2f}",
        "order_ranking": markdown_table(
            ["order", "largest difference, `reset_after=True`", "`reset_after=False`"],
            [[code(o), f"{errors[True][o]:.2g}", f"{errors[False][o]:.2g}"]
             for o in sorted(errors[True], key=errors[True].get)],
        ).replace("\n", "\n    "),  # the page shows it inside a collapsible block
        "keras_source_line": code(line),
        "keras_source_url": url,
        "placement_right_error": f"{placement['row 1 inside r']:.1e}",
        "placement_summed_error": f"{placement['rows summed']:.2f}",
        "placement_swapped_error": f"{placement['rows swapped']:.2f}",
        "backend_difference": f"{backend_difference:.1e}",
    }
