"""Facts on the GRU page: shapes, slices, the gate order, both variants' equations, the bias
rows, the docstring's two accounts of the default, the other backend, and the counts its
sentences state in words (bias rows, an LSTM's gate blocks).

Every equation is the Python expression run here against the layers
`snippets/rnn/gru_gate_order.py` proves the order with; every shape formula is evaluated over
a grid of sizes against real layers.
"""

import keras
import numpy as np
import torch

from facts._formulas import SYMBOLS, aligned, checked_term, evaluate, to_latex, tokens
from facts._recurrent import (
    ARRAY_SYMBOLS, array_roles, blocks, run_equations, scaled_by_the_reset_gate, source_line,
)
from facts._spread import over_seeds
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, ordinal_word
from facts.reference import parameter_counts
from snippets.pytorch import gru_gate_order as torch_gru_gate_order
from snippets.rnn import gru_bias_rows, gru_cudnn, gru_gate_order, gru_layout, gru_textbook
from snippets.rnn import gru_torch_backend

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
# Chung et al. 2014 and colah's post: z lets the candidate in. Checked below: with the update
# gate's weights and bias negated, so that their z is Keras' 1 - z, it is Keras' layer.
CHUNG_STATE = ("h", "(1 - z) * h_prev + z * h_tilde")

SHAPES = {
    True: {"kernel": ("input_dim", "3 * units"), "recurrent_kernel": ("units", "3 * units"),
           "bias": ("2", "3 * units")},
    False: {"kernel": ("input_dim", "3 * units"), "recurrent_kernel": ("units", "3 * units"),
            "bias": ("3 * units",)},
}
# Which row of the default two-row bias joins x W (b^x) and which joins h U (b^h): the
# equations below are checked with these rows, so a swap fails the build.
INPUT_ROW, RECURRENT_ROW = 0, 1
# The equations' symbol for each array of the layer, by the name Keras gives it: the
# equations are checked with the arrays read under these names, so a swap fails the build.
# One gate's block of each array: its shape, checked against real layers over GRID.
BLOCK_SHAPES = {"kernel": ("input_dim", "units"), "recurrent_kernel": ("units", "units"),
                "bias": ("units",)}
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (units, input_dim)


def variant_equations(reset_after, order):
    variant = AFTER if reset_after else BEFORE
    # The gates before the candidate, which reads r: the order of computing, not of storage.
    return [variant[gate] for gate in order if gate != "h"] + [variant["h"], STATE]


def layer_arrays(reset_after):
    """The proof's weights by the names Keras gives them: a layer of the same variant lists
    its variables in the order get_weights returns them."""
    gru = keras.layers.GRU(units=1, reset_after=reset_after)
    gru.build((None, None, 1))
    names = [weight.name for weight in gru.weights]
    assert sorted(names) == sorted(ARRAY_SYMBOLS), names
    return dict(zip(names, gru_gate_order.weights[reset_after]))


def checked_equations(reset_after, order):
    equations = variant_equations(reset_after, order)
    arrays = layer_arrays(reset_after)
    weights = {}
    for name in ("kernel", "recurrent_kernel"):
        weights.update(blocks(f"{ARRAY_SYMBOLS[name]}_", arrays[name], order, 1))
    bias, symbol = arrays["bias"], ARRAY_SYMBOLS["bias"]
    if reset_after:
        weights.update({**blocks(f"{symbol}x_", bias[INPUT_ROW], order, 0),
                        **blocks(f"{symbol}h_", bias[RECURRENT_ROW], order, 0)})
    else:
        weights.update(blocks(f"{symbol}_", bias, order, 0))
    all_h = run_equations(equations, gru_gate_order.inputs, weights, gru_gate_order.units)
    np.testing.assert_allclose(all_h, gru_gate_order.all_h[reset_after], atol=1e-6)
    return aligned(equations)


def checked_shapes(reset_after):
    """Each array's shape as the page writes it, `(3 * units,)` for a vector: read back as
    Python, it is the layer's shape over the grid."""
    shown = {name: "(" + ", ".join(formula) + (",)" if len(formula) == 1 else ")")
             for name, formula in SHAPES[reset_after].items()}
    for units, input_dim in GRID:
        gru = keras.layers.GRU(units=units, reset_after=reset_after)
        gru.build((None, None, input_dim))
        names = {"units": units, "input_dim": input_dim}
        for weight, (name, formula) in zip(gru.weights, SHAPES[reset_after].items()):
            assert tuple(evaluate(term, names) for term in formula) == tuple(weight.shape)
            assert evaluate(shown[name], names) == tuple(weight.shape), shown[name]
    return shown


def checked_block_shapes(n_gates):
    """One gate's block of each array, as one statement: the shapes of BLOCK_SHAPES, each
    checked against a block of real layers (every bias row's, in both variants)."""
    for units, input_dim in GRID:
        names = {"units": units, "input_dim": input_dim}
        for reset_after in (True, False):
            gru = keras.layers.GRU(units=units, reset_after=reset_after)
            gru.build((None, None, input_dim))
            for weight in gru.weights:
                formula = BLOCK_SHAPES[weight.name]
                for block in np.split(np.asarray(weight), n_gates, axis=-1):
                    shape = block.shape[block.ndim - len(formula):]
                    assert shape == tuple(evaluate(term, names) for term in formula)
    blocks_in = [f"a block of shape {code('(' + ', '.join(BLOCK_SHAPES[name]) + ')')} in "
                 f"{code(name)}" for name in ("kernel", "recurrent_kernel")]
    (entries,) = BLOCK_SHAPES["bias"]
    return f"{', '.join(blocks_in)}, and {code(entries)} entries in each bias row"


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


def bias_row_roles(order):
    """Which row of the default bias joins which product, as one statement: the rows are
    the ones the equations are checked with, the products pieces of those equations."""
    equations = variant_equations(True, order)
    input_product = checked_term("x @ W", equations)
    recurrent_product = checked_term("h_prev @ U", equations)
    return (f"{code(f'bias[{INPUT_ROW}]')} is added to ${input_product}$ and "
            f"{code(f'bias[{RECURRENT_ROW}]')} to ${recurrent_product}$")


def bias_row_symbols(order):
    """"$b^{x}$ is `bias[0]`, ...": the equations' bias symbols, without their gate letter."""
    gate = order[0]
    symbols = [(to_latex(f"{prefix}_{gate}").removesuffix(f"_{gate}"), row)
               for prefix, row in (("bx", INPUT_ROW), ("bh", RECURRENT_ROW))]
    return ", ".join(f"${symbol}$ is {code(f'bias[{row}]')}" for symbol, row in symbols)


def placement_errors():
    """{placement: its largest differences from Keras, one per seed}."""
    by_seed = gru_bias_rows.errors_by_seed
    return {placement: [errors[placement] for errors in by_seed] for placement in by_seed[0]}


def spread_text(values, style="{:.2f}"):
    """"0.41–0.93": the range of a measurement over the seeds, or its largest value when it
    is an agreement (below 1e-4), which is a bound."""
    if max(values) < 1e-4:
        return f"{max(values):.1e}"
    return f"{style.format(min(values))}–{style.format(max(values))}"


def placement_table(order):
    """Where the candidate's recurrent bias goes, and how far each choice is from Keras,
    over the seeds of the snippet."""
    errors = placement_errors()
    reset_product = checked_term("r * (h_prev @ U_h + bh_h)", variant_equations(True, order))
    recurrent_row = code(f"bias[{RECURRENT_ROW}]")
    labels = {
        f"row {RECURRENT_ROW} inside r": f"{recurrent_row} inside ${reset_product}$",
        "rows summed": "both rows summed, outside $r_t$",
        "rows swapped": "rows swapped",
    }
    assert list(errors) == list(labels), f"the snippet tries {list(errors)}"
    right = errors[f"row {RECURRENT_ROW} inside r"]
    assert max(right) < 1e-6
    assert all(min(values) > 1e-2 for values in errors.values() if values is not right)
    return markdown_table(
        ["where the candidate's bias goes",
         f"largest difference from Keras, over {count_word(len(right), 'seed')}"],
        [[labels[placement], spread_text(values)] for placement, values in errors.items()],
    )


GRU_LAYERS = {"GRU(reset_after=False)": False, "GRU(reset_after=True)": True, "nn.GRU": True}


def chung_state_checked(order):
    """Chung et al.'s new state, run against Keras: with the update gate's blocks negated
    (sigma(-a) = 1 - sigma(a), so that their z is Keras' 1 - z) it is Keras' layer, with
    them as they are it is not."""
    equations = variant_equations(False, order)
    chung = [CHUNG_STATE if target == "h" else (target, e) for target, e in equations]
    assert chung != equations
    arrays = layer_arrays(False)
    weights = {}
    for name in ("kernel", "recurrent_kernel"):
        weights.update(blocks(f"{ARRAY_SYMBOLS[name]}_", arrays[name], order, 1))
    weights.update(blocks(f"{ARRAY_SYMBOLS['bias']}_", arrays["bias"], order, 0))
    negated = {name: -value if name.endswith("_z") else value for name, value in weights.items()}
    units, inputs = gru_gate_order.units, gru_gate_order.inputs
    keras_all_h = gru_gate_order.all_h[False]
    np.testing.assert_allclose(run_equations(chung, inputs, negated, units), keras_all_h,
                               atol=1e-6)
    assert np.abs(run_equations(chung, inputs, weights, units) - keras_all_h).max() > 1e-2
    return chung


def textbook_table(order):
    """Each NumPy GRU of gru_textbook.py (where r acts, which way z works) against each
    layer: the largest difference over the seeds, as a bound where they agree and a range
    where they do not. The snippet asserts which agree."""
    before, after = variant_equations(False, order), variant_equations(True, order)
    candidates = {False: checked_term("(r * h_prev) @ U_h", before),
                  True: checked_term("r * (h_prev @ U_h + bh_h)", after)}
    states = {True: checked_term(STATE[1], after),
              False: checked_term(CHUNG_STATE[1], chung_state_checked(order))}
    names = {"textbook": "Cho et al., as textbooks write it",
             "Chung": "Chung et al., colah's post",
             "reset after": "Keras' default, nn.GRU",
             "reset after, Chung": "no source cited here"}
    assert list(names) == list(gru_textbook.FORMS)
    seeds = len(gru_textbook.SEEDS)
    rows = []
    for form, (reset_after, z_keeps_old) in gru_textbook.FORMS.items():
        errors = [gru_textbook.error[(form, layer)] for layer in GRU_LAYERS]
        assert all(len(values) == seeds for values in errors)
        rows.append([names[form], f"${candidates[reset_after]}$", f"${states[z_keeps_old]}$",
                     *(spread_text(values) for values in errors)])
    # The page: the textbook form is reset_after=False's, and the default's is nn.GRU's.
    for form, (reset_after, z_keeps_old) in gru_textbook.FORMS.items():
        for layer, layer_resets_after in GRU_LAYERS.items():
            agrees = max(gru_textbook.error[(form, layer)]) < 1e-6
            assert agrees == (z_keeps_old and reset_after == layer_resets_after), (form, layer)
    headers = {"GRU(reset_after=False)": code("reset_after=False"),
               "GRU(reset_after=True)": code("reset_after=True"), "nn.GRU": code("nn.GRU")}
    return markdown_table(
        ["NumPy GRU", "the candidate's reset term", "new state",
         *(headers[layer] for layer in GRU_LAYERS)], rows)


def cudnn_arguments():
    """The one combination of arguments Keras' TensorFlow backend hands to cuDNN, from its
    own test run over every activation pair (gru_cudnn.py)."""
    ((activation, recurrent_activation, unroll, use_bias, reset_after),) = gru_cudnn.accepted
    assert reset_after is True and gru_layout.default_reset_after is True
    return ", ".join(code(f"{name}={value!r}") for name, value in (
        ("activation", activation), ("recurrent_activation", recurrent_activation),
        ("unroll", unroll), ("use_bias", use_bias), ("reset_after", reset_after)))


def figure_block_orders(order):
    """Both libraries' block orders in one statement, as the figure draws them: each from
    its own gate-order proof. PyTorch's candidate n is Keras' h."""
    torch_order = torch_gru_gate_order.proven_order
    assert {"h" if gate == "n" else gate for gate in torch_order} == set(order)
    assert torch_gru_gate_order.max_error["".join(torch_order)] < 1e-6  # the order its proof accepts
    return (f"Keras' blocks are columns in the order {', '.join(order)}; PyTorch's are rows "
            f"in the order {', '.join(torch_order)}")


def order_ranking(proven):
    """Every order's largest difference from Keras in each variant, as its range over the
    seeds, ranked by the worst seed of the default variant."""
    by_seed = gru_gate_order.errors_by_seed
    ranges = {variant: {o: [errors[variant][o] for errors in by_seed] for o in by_seed[0][variant]}
              for variant in (True, False)}
    ranked = sorted(ranges[True], key=lambda o: max(ranges[True][o]))
    assert ranked[0] == proven
    seeds = count_word(len(by_seed), "seed")
    return markdown_table(
        ["order", f"largest difference, `reset_after=True`, over {seeds}", "`reset_after=False`"],
        [[code(o), spread_text(ranges[True][o], "{:.2g}"), spread_text(ranges[False][o], "{:.2g}")]
         for o in ranked],
    ).replace("\n", "\n    ")  # the page shows it inside a collapsible block


def converted_recurrent_bias(seed=0):
    """The default layer gru_textbook.layers() builds with a bias per gate, and the nn.GRU
    it converts that layer to, caught as the snippet converts it: the value of every entry
    of the layer's recurrent bias row and of the module's bias_hh_l0 (one value, asserted)."""
    caught, convert = {}, gru_textbook.keras_to_torch

    def catching(layer):
        caught["layer"], caught["module"] = layer, convert(layer)
        return caught["module"]

    gru_textbook.keras_to_torch = catching
    try:
        gru_textbook.layers(seed)
    finally:
        gru_textbook.keras_to_torch = convert
    layer, module = caught["layer"], caught["module"]
    assert layer.reset_after is True  # the default variant, with its two bias rows
    recurrent_row = layer.get_weights()[2][RECURRENT_ROW]
    (value,) = set(recurrent_row.tolist()) | set(module.bias_hh_l0.detach().numpy().tolist())
    assert value == 0  # the page: that row, and nn.GRU's bias_hh_l0, are zero
    return value


def reset_scaled_map(order, delta=0.5):
    """Which gate's block of which bias row the reset gate scales, as one statement, run on a
    real default layer with the gate-order proof's weights: the reset gate's blocks of the
    kernels and of the recurrent row zeroed and its input-row block set to -1e4 shuts it
    (r = 0), +1e4 opens it (r = 1). Shut, a change to the candidate's block of the recurrent
    row leaves the output as it is, while the same change to any other gate's block of that
    row, or to the candidate's block of the input row, moves it; open, the candidate's blocks
    of both rows act alike. So r multiplies the one and not the other."""
    units, input_dim = gru_gate_order.units, gru_gate_order.input_dim
    kernel, recurrent_kernel, bias = (np.array(w) for w in gru_gate_order.weights[True])
    reset = next(gate for gate in order if GATE_NAMES[gate] == "reset gate")
    columns = {gate: slice(k * units, (k + 1) * units) for k, gate in enumerate(order)}

    def output(reset_bias, row=None, gate=None):
        weights = [kernel.copy(), recurrent_kernel.copy(), bias.copy()]
        for array in weights:
            array[..., columns[reset]] = 0
        weights[2][INPUT_ROW, columns[reset]] = reset_bias
        if row is not None:
            weights[2][row, columns[gate]] += delta
        layer = keras.layers.GRU(units=units, return_sequences=True)
        assert layer.reset_after is True  # the default layer, with its two bias rows
        layer.build((None, None, input_dim))
        layer.set_weights(weights)
        return keras.ops.convert_to_numpy(layer(gru_gate_order.inputs))

    scaled_row, scaled, free_row = scaled_by_the_reset_gate(
        output, (INPUT_ROW, RECURRENT_ROW), [gate for gate in order if gate != reset])
    # The page: the recurrent row's candidate block is the one inside the reset gate's product.
    assert (scaled_row, GATE_NAMES[scaled]) == (RECURRENT_ROW, "candidate")
    return (f"the {GATE_NAMES[reset]} scales the {GATE_NAMES[scaled]}'s block of "
            f"{code(f'bias[{scaled_row}]')}, not of {code(f'bias[{free_row}]')}")


def torch_module_class():
    """The torch class a Keras GRU is on the PyTorch backend, read from the layer's own class
    hierarchy in gru_torch_backend.py's process: torch.nn.Module, as torch exports it."""
    (base,) = gru_torch_backend.on_torch["torch_bases"]
    module, _, name = base.rpartition(".")
    exported = f"torch.nn.{name}"
    assert getattr(torch.nn, name).__module__ == module and getattr(torch.nn, name) is torch.nn.Module
    assert not gru_torch_backend.on_tensorflow.get("torch_bases")  # on TensorFlow it is not
    return code(exported)


def nn_gru_parameter_names():
    """nn.GRU's parameter names for the sizes gru_torch_backend.py runs, from a real module
    (its first layer's, all of its state_dict): none of them names a parameter of the Keras
    layer on the PyTorch backend, whose parameters carry Keras' array names."""
    keras_weights = dict(gru_torch_backend.on_torch["weights"])
    input_dim, _ = keras_weights["kernel"]
    units, _ = keras_weights["recurrent_kernel"]
    module = torch.nn.GRU(input_size=input_dim, hidden_size=units)
    names = [name for name, _parameter in module.named_parameters()]
    assert module.num_layers == 1 and names == module._all_weights[0] == list(module.state_dict())
    on_torch = [name for name, _numel, _trained in gru_torch_backend.on_torch["parameters"]]
    assert not any(name in parameter for name in names for parameter in on_torch)
    assert all(any(parameter.endswith(f"/{name}") for parameter in on_torch)
               for name in keras_weights)
    module_class = code(f"nn.{type(module).__name__}")
    assert getattr(torch.nn, type(module).__name__) is type(module)
    return (f"{module_class}'s " + ", ".join(code(name) for name in names[:-1])
            + f" and {code(names[-1])}")


def lstm_gate_blocks(units, input_dim):
    """How many gate blocks an LSTM's kernel holds, from a real layer."""
    lstm = keras.layers.LSTM(units=units)
    lstm.build((None, None, input_dim))
    blocks_in_kernel, remainder = divmod(lstm.weights[0].shape[1], units)
    assert remainder == 0
    return blocks_in_kernel


def size_symbols_map(formulas, units=5, input_dim=4):
    """"$u$ = `units` and $d$ = `input_dim`": the symbol the parameter-count formulas of both
    variants give each size they read, in the order they read them, checked on real layers:
    `units` is the layer's argument, `input_dim` its kernel's rows, and each variant's
    formula of both is its count."""
    read_by = {tuple(name for name in dict.fromkeys(tokens(formula)) if name.isidentifier())
               for formula in formulas.values()}
    (sizes,) = read_by  # both formulas read the same sizes, in the same order
    for reset_after, formula in formulas.items():
        layer = keras.layers.GRU(units=units, reset_after=reset_after)
        layer.build((None, None, input_dim))
        kernel = layer.weights[0]
        assert kernel.name == "kernel" and kernel.shape[0] == input_dim
        read = {"units": layer.units, "input_dim": kernel.shape[0]}
        assert list(sizes) == list(read) and layer.count_params() == evaluate(formula, read)
    return " and ".join(f"${SYMBOLS[name]}$ = {code(name)}" for name in sizes)


def make_facts() -> dict[str, str | int]:
    order = gru_gate_order.proven_order
    assert set(order) == set(GATE_NAMES)
    units, input_dim = gru_layout.units, gru_layout.input_dim
    assert (gru_gate_order.units, gru_gate_order.input_dim) == (units, input_dim)
    after, before = checked_shapes(True), checked_shapes(False)
    readers = {reset_after: dict(shapes) for reset_after, shapes in gru_layout.layout.items()}
    errors = gru_gate_order.max_error
    proven = "".join(order)

    def wrong_orders(seed):
        """The smallest difference of any other order from Keras, in either variant."""
        by_order = gru_gate_order.errors_by_seed[seed]
        return min(e for variant in by_order.values() for o, e in variant.items() if o != proven)

    smallest_wrong = over_seeds(wrong_orders, range(len(gru_gate_order.errors_by_seed)),
                                "{:.2f}")
    assert smallest_wrong.low > 1e-2  # the page: every other order misses, in both variants
    proven_errors = [variant[proven] for by_order in gru_gate_order.errors_by_seed
                     for variant in by_order.values()]
    # atlas: allow unchecked-fact: a quoted source line and its link; the match on it is asserted
    line, url, match = source_line(
        "keras.src.layers.rnn.gru", r"x_(\w), x_(\w), x_(\w) = ops\.split\(matrix_x, 3")
    assert match.groups() == order, f"Keras' source splits as {match.groups()}"
    # The page says "each of N seeds" of the order, bias-row and textbook proofs alike.
    assert len(gru_bias_rows.errors_by_seed) == len(gru_textbook.SEEDS) == len(
        gru_gate_order.errors_by_seed)
    summed = placement_errors()["rows summed"]
    summed_rows = over_seeds(lambda seed: summed[seed], range(len(summed)), "{:.2f}")
    assert summed_rows.low > 1e-2  # the page: summing the rows gives another layer
    backend_difference = float(np.abs(np.subtract(
        gru_torch_backend.on_torch["all_h"], gru_torch_backend.on_tensorflow["all_h"])).max())
    assert backend_difference < 1e-6  # the page: both backends compute the same numbers
    # The docstring's variant paragraph calls the "before" variant the default; the layer's
    # own default builds the "after" variant's two-row bias.
    assert gru_layout.default_reset_after is True and len(readers[True]["bias"]) == 2
    bias_rows = readers[True]["bias"][0]  # one row per product: b^x and b^h
    # Each variant's equations, checked against its layer, into a variable named for it.
    equations_after = checked_equations(True, order)  # reset_after=True
    equations_before = checked_equations(False, order)  # reset_after=False
    assert bias_rows == len({INPUT_ROW, RECURRENT_ROW}) and len(readers[False]["bias"]) == 1
    on_torch = dict(gru_torch_backend.on_torch["weights"])
    assert on_torch["bias"][0] == bias_rows  # the same rows on the PyTorch backend
    # The example counts shown beside this layer are the reference page's, for its sizes.
    assert parameter_counts.EXAMPLE == (units, input_dim)
    gate_order_names = ", ".join(f"{GATE_NAMES[g]} {GATE_SYMBOLS[g]}" for g in order)
    gate_order_text = ", ".join(order)
    n_gate_blocks = len(order)
    n_arrays = len(readers[True])
    default_bias_shape = after["bias"]
    recurrent_bias_row_position = ordinal_word(RECURRENT_ROW)
    # One statement, so that the row and its value cannot trade places.
    converted_bias = converted_recurrent_bias()
    assert converted_bias == 0  # the page: that row of the textbook's layer is zero
    textbook_recurrent_row = (f"whose {recurrent_bias_row_position} bias row is "
                              f"{count_word(converted_bias)}")
    # Each count in a variable named for its fact, so that a swap of the two shows.
    n_orders = len(errors[True])
    n_other_orders = n_orders - 1  # all but the proven one
    # The page: a NumPy GRU misses Keras in each of them, in every seed and variant.
    assert n_other_orders == sum(
        min(variant[o] for by_order in gru_gate_order.errors_by_seed for variant in by_order.values())
        > 1e-2 for o in errors[True])
    gate_order_named = f"{gate_order_text} ({gate_order_names})"
    return {
        "gate_order": gate_order_text,
        "gate_order_names": gate_order_names,
        "gate_order_named": gate_order_named,
        "n_gate_blocks": n_gate_blocks,
        "block_shapes_by_array": checked_block_shapes(len(order)),
        "array_roles": array_roles(
            " ".join(expression for _target, expression in variant_equations(True, order)),
            layer_arrays(True),
            {"input_dim": gru_gate_order.input_dim, "units": gru_gate_order.units}, "_"),
        "n_arrays": n_arrays,
        "example_layer": f"{code(f'GRU(units={units})')} on {input_dim} features",
        "bias_rows": count_word(bias_rows, "row"),
        "bias_rows_hyphenated": f"{count_word(bias_rows)}-row",
        "lstm_gates": count_word(lstm_gate_blocks(units, input_dim)),
        "bias_row_roles": bias_row_roles(order),
        "bias_row_symbols": bias_row_symbols(order),
        "candidate_recurrent_term": checked_term("h_prev @ U_h + bh_h",  # what r_t scales, whole
                                                 variant_equations(True, order), whole=True),
        "placement_table": placement_table(order),
        "figure_block_orders": figure_block_orders(order),
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
        "default_bias_shape": code(default_bias_shape),
        "reset_scaled_map": reset_scaled_map(order),
        "nn_gru_parameter_names": nn_gru_parameter_names(),
        "torch_module_class": torch_module_class(),
        "recurrent_bias_row_position": recurrent_bias_row_position,
        "textbook_recurrent_row": textbook_recurrent_row,
        "reset_after_false_bias_shape": code(before["bias"]),
        "slice_table": slice_table(order, gru_gate_order.units),
        "equations_after": equations_after,
        "equations_before": equations_before,
        "docstring_variants": gru_layout.variants_say,
        "docstring_argument": gru_layout.argument_says,
        "default_reset_after": code(f"reset_after={gru_layout.default_reset_after}"),
        "n_orders": n_orders,
        "n_other_orders": n_other_orders,
        "proven_order_error": f"{max(proven_errors):.1e}",
        "smallest_wrong_error": str(smallest_wrong),
        "n_seeds": count_word(len(smallest_wrong.values), "seed"),
        "order_ranking": order_ranking(proven),
        "keras_source_line": code(line),
        "keras_source_url": url,
        "summed_rows_error": str(summed_rows),
        "textbook_table": textbook_table(order),
        "keras_state": checked_term(STATE[1], variant_equations(True, order)),
        "chung_state": checked_term(CHUNG_STATE[1], chung_state_checked(order)),
        "one_minus_z": checked_term("1 - z", variant_equations(True, order)),
        "cudnn_arguments": cudnn_arguments(),
        "n_activations": gru_cudnn.n_activations,
        "size_symbols_map": size_symbols_map({True: parameter_counts.GRU,
                                              False: parameter_counts.GRU_RESET_BEFORE}),
        "backend_difference": f"{backend_difference:.1e}",
    }
