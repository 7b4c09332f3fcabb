"""Facts on the LSTM weights page: every shape, slice, order, count and equation it shows.

Each value comes from the layers the page's snippets build and prove; a formula that the
page shows is the string evaluated here against Keras over a grid of sizes.
"""
import inspect
import io
import re
import tokenize

import keras
import keras.src.layers.rnn.lstm as keras_lstm_source
import numpy as np
import torch

from facts._formulas import SYMBOLS, aligned, checked_term, evaluate, to_latex
from facts._lstm import GATE_NAMES, checked_equations
from facts._tables import code, markdown_table, shape_text
from facts._words import capitalised, count_word, times_word
from snippets.lstm import (
    activation, concatenated_form, declare_input, gate_order, pytorch_gate_order, pytorch_lstm,
    reader_model, single_timestep, trained_weights, unit_forget_bias, use_bias,
)

GATE_SYMBOLS = {"i": "$i$", "f": "$f$", "c": r"$\tilde{c}$", "o": "$o$"}
# colah's "Understanding LSTM Networks" draws the four gate layers left to right in this
# order (read off his figure, so typed here once); the page contrasts it with the proof's.
COLAH_ORDER = ("f", "i", "c", "o")  # atlas: allow order-literal: colah's figure, a citation
COLAH_SYMBOLS = {"f": "f", "i": "i", "c": "c̃", "o": "o"}
# colah writes a gate as one matrix times [h_{t-1}, x_t]: evaluated below against the
# readers' forget gate, and shown as LaTeX (`@` is his dot, `concat(a, b)` his `[a, b]`).
COLAH_FORGET = ("f", "sigmoid(W_f @ concat(h_prev, x) + b_f)")
COLAH_LATEX = {"f": "f_t", "sigmoid": r"\sigma", "W_f": "W_f", "b_f": "b_f", "h_prev": "h_{t-1}",
               "x": "x_t"}
# The pre-activation the page names when it explains the single bias: part of an equation
# checked against Keras.
FORGET_PREACTIVATION = "x @ W_f + h_prev @ U_f + b_f"

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
# Which array each matrix symbol of the equations is, and what the vector a symbol's block
# multiplies is called: checked by array_roles() against the Keras layer.
ARRAY_SYMBOLS = {"kernel": "W", "recurrent_kernel": "U", "bias": "b"}
OPERAND_NAMES = {"x": "the input", "h_prev": "the previous hidden state"}
# Each Keras array from nn.LSTM's parameters, as Python: checked by torch_map() by loading a
# torch layer's parameters through it into a Keras LSTM, which then computes what it does.
KERAS_FROM_TORCH = {
    "kernel": "weight_ih_l0.T",
    "recurrent_kernel": "weight_hh_l0.T",
    "bias": "bias_ih_l0 + bias_hh_l0",
}

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
    feature per timestep: {array name: notation}, kernel <1x(4u)>, recurrent_kernel
    <ux(4u)>, bias <4u>; and that number of features."""
    notations = set()
    shape = (None, 1, 1)  # (batch, timesteps, features), as the page's doctest builds it
    for units in (1, 2, 3):
        layer = keras.layers.LSTM(units=units)
        layer.build(shape)
        names = [weight.name for weight in layer.weights]
        kernel, recurrent_kernel, bias = (tuple(weight.shape) for weight in layer.weights)
        gates = kernel[1] // units
        assert kernel[0] == shape[-1]  # a row of kernel per feature
        assert recurrent_kernel == (units, gates * units) and bias == (gates * units,)
        notations.add(tuple(zip(names, (
            f"<{kernel[0]}x({gates}u)>", f"<ux({gates}u)>", f"<{gates}u>"))))
    (notation,) = notations  # the same notation for every units: one column block per gate
    return dict(notation), shape[-1]


def array_roles(order, equations):
    """What each array does in every gate, read off the equations checked against Keras:
    {array: the vector its block multiplies, or None for one that is added}. The symbol map
    is checked by running the equations with each symbol's blocks cut from the array
    ARRAY_SYMBOLS names, over the gate-order proof's sequence, against its Keras layer."""
    names = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
    for array, symbol in ARRAY_SYMBOLS.items():
        blocks = np.split(getattr(gate_order, array), len(order), axis=-1)
        names.update({f"{symbol}_{gate}": block for gate, block in zip(order, blocks)})
    names["h"] = names["c"] = np.zeros((gate_order.batch, gate_order.units))
    all_h = []
    for x in gate_order.inputs.transpose(1, 0, 2):
        names.update(x=x, h_prev=names["h"], c_prev=names["c"])
        for target, expression in equations:
            names[target] = evaluate(expression, names)
        all_h.append(names["h"])
    np.testing.assert_allclose(np.stack(all_h, axis=1), gate_order.all_h, atol=1e-6)
    roles = {}
    for array, symbol in ARRAY_SYMBOLS.items():
        operands = {operand for _target, expression in equations
                    for operand in re.findall(rf"(\w+) @ {symbol}_\w\b", expression)}
        if operands:
            (roles[array],) = operands
        else:  # added: the last term of every gate's pre-activation
            assert all(re.search(rf"\+ {symbol}_{gate}\)", expression)
                       for gate, (_target, expression) in zip(order, equations))
            roles[array] = None
    assert set(roles.values()) == {*OPERAND_NAMES, None}
    return roles


def torch_map():
    """KERAS_FROM_TORCH, checked: a Keras LSTM given the arrays it computes from the random
    parameters of the PyTorch proof's layer returns that layer's every hidden state."""
    torch_lstm = pytorch_gate_order.sequence_lstm
    parameters = {name: parameter.detach().numpy()
                  for name, parameter in torch_lstm.named_parameters()}
    layer = keras.layers.LSTM(units=torch_lstm.hidden_size, return_sequences=True)
    layer.build((None, None, torch_lstm.input_size))
    layer.set_weights([evaluate(KERAS_FROM_TORCH[weight.name], parameters)
                       for weight in layer.weights])
    all_h = keras.ops.convert_to_numpy(layer(pytorch_gate_order.sequence.numpy()))
    np.testing.assert_allclose(all_h, pytorch_gate_order.all_h.numpy(), atol=1e-5)
    return {keras_name: " + ".join(code(term) for term in expression.split(" + "))
            for keras_name, expression in KERAS_FROM_TORCH.items()}


def stacked_arrays():
    """Which array colah's stacked matrix has on top: its first rows equal it, the rest the
    other (the snippet checks that the stack gives the same pre-activations)."""
    stacked = concatenated_form.stacked_kernel
    parts = {"kernel": concatenated_form.kernel,
             "recurrent_kernel": concatenated_form.recurrent_kernel}
    (top,) = [name for name, part in parts.items()
              if np.array_equal(stacked[:len(part)], part)]
    (bottom,) = [name for name in parts if name != top]
    np.testing.assert_array_equal(stacked[len(parts[top]):], parts[bottom])
    return f"{code(top)} on top of {code(bottom)}"


def bias_move():
    """Which PyTorch bias the one_bias section empties into which: the emptied one is zero,
    and the kept one holds the sum of both as a fresh layer (the snippet's seed) has them."""
    lstm = pytorch_gate_order.lstm
    after = {name: parameter.detach().numpy()
             for name, parameter in lstm.named_parameters() if name.startswith("bias")}
    (emptied,) = [name for name, value in after.items() if not value.any()]
    (kept,) = [name for name in after if name != emptied]
    with torch.random.fork_rng():
        torch.manual_seed(0)
        fresh = torch.nn.LSTM(input_size=lstm.input_size, hidden_size=lstm.hidden_size)
    total = sum(getattr(fresh, name).detach().numpy() for name in after)
    np.testing.assert_allclose(after[kept], total, atol=1e-6)
    return f"moving {code(emptied)} into {code(kept)}"


def block_shapes(order):
    """Each gate's block of each array as a formula in the layer's arguments: the array's
    shape with its last axis cut into a block per gate, checked on layers over SIZES."""
    blocks = {}
    for name, formula in KERAS_SHAPES.items():
        *rest, last = formula
        assert last == f"{len(order)} * units", (name, last)
        blocks[name] = (*rest, "units")
    for units, input_dim in SIZES:
        layer = keras.layers.LSTM(units=units)
        layer.build((None, None, input_dim))
        sizes = {"units": units, "input_dim": input_dim}
        for weight in layer.weights:
            expected = tuple(evaluate(term, sizes) for term in blocks[weight.name])
            for block in np.split(keras.ops.convert_to_numpy(weight), len(order), axis=-1):
                assert block.shape == expected, (weight.name, units, input_dim)
    return {name: "(" + ", ".join(formula) + (",)" if len(formula) == 1 else ")")
            for name, formula in blocks.items()}


def role_phrase(operand, named=True) -> str:
    """What an array does, from the operand its block multiplies (None: it is added)."""
    if operand is None:
        return "is added after both products" if named else "is added"
    name = f"{OPERAND_NAMES[operand]} " if named else ""
    return f"multiplies {name}${SYMBOLS[operand]}$"


def joined(parts) -> str:
    """"a, b and c"."""
    *first, last = parts
    return f"{', '.join(first)} and {last}" if first else last


def colah_equation(order, equations):
    """colah's forget gate, `f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)`, evaluated with his W_f
    (the transposed forget block of the stacked matrix, built by the snippet) and compared
    with the forget gate of the equations checked against Keras; returned as LaTeX."""
    target, expression = COLAH_FORGET
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h, x = concatenated_form.h[0], concatenated_form.x[0]
    his = evaluate(expression, {
        "sigmoid": sigmoid, "concat": lambda *parts: np.concatenate(parts),
        "W_f": concatenated_form.W_f, "b_f": concatenated_form.b_f, "h_prev": h, "x": x,
    })
    (keras_forget,) = [e for t, e in equations if t == target]
    forget = order.index(target)
    ours = evaluate(keras_forget, {
        "sigmoid": sigmoid, "x": x, "h_prev": h,
        "W_f": np.split(concatenated_form.kernel, 4, axis=1)[forget],
        "U_f": np.split(concatenated_form.recurrent_kernel, 4, axis=1)[forget],
        "b_f": np.split(concatenated_form.bias, 4)[forget],
    })
    np.testing.assert_allclose(his, ours, atol=1e-6)
    parts, brackets, previous = [], [], None
    for token in tokenize.generate_tokens(io.StringIO(expression).readline):
        text = token.string
        if token.type == tokenize.NAME and text != "concat":
            parts.append(COLAH_LATEX[text])
        elif text == "(":
            brackets.append("]" if previous == "concat" else ")")
            parts.append("[" if previous == "concat" else "(")
        elif text == ")":
            parts.append(brackets.pop())
        elif text in {"@": r" \cdot ", "+": " + ", ",": ", "}:
            parts.append({"@": r" \cdot ", "+": " + ", ",": ", "}[text])
        elif token.type == tokenize.OP:
            raise ValueError(f"{text!r} in {expression!r} has no LaTeX")
        previous = text
    return f"{COLAH_LATEX[target]} = " + "".join(parts)


def count_of(objects, kind) -> int:
    """How many of a model's layers are `kind`."""
    return sum(isinstance(item, kind) for item in objects)


def counts_in_words(order, equations) -> dict[str, str]:
    """The counts the page says in words, each from the objects its snippets build."""
    readers_lstms = [layer for layer in reader_model.model.layers
                     if isinstance(layer, keras.layers.LSTM)]
    (readers_lstm,) = readers_lstms
    names = [weight.name for weight in readers_lstm.weights]
    assert names == list(KERAS_SHAPES), names
    # Every array is one block per gate along its last axis.
    assert all(weight.shape[-1] == len(order) * readers_lstm.units
               for weight in readers_lstm.weights)
    n_arrays, n_gates = len(names), len(order)
    assert len(COLAH_ORDER) == n_gates  # colah's yellow layers are the gates
    n_dense = count_of(reader_model.model.layers, keras.layers.Dense)
    assert len(reader_model.model.layers) == len(readers_lstms) + n_dense
    keras_biases = sum("bias" in name for name in names)
    torch_biases = sum(name.startswith("bias")
                       for name, _ in pytorch_lstm.lstm.named_parameters())
    # activation is every tanh of the equations: both are replaced, and only both match.
    tanh_uses = sum(expression.count("tanh(") for _, expression in equations)
    assert activation.max_error["both"] < 1e-6
    assert len(activation.max_error) == tanh_uses + 1
    assert all(error > 1e-2 for case, error in activation.max_error.items() if case != "both")
    # Where the LSTM sits in model.layers, as the snippet indexes it: keras.Input is no layer.
    model = trained_weights.model
    (index,) = [k for k, layer in enumerate(model.layers) if isinstance(layer, keras.layers.LSTM)]
    assert model.layers[index] is model.get_layer("lstm")
    lstm_layer_index = f"model.layers[{index}]"
    assert f"{lstm_layer_index}.get_weights()" in inspect.getsource(trained_weights)
    # The bias slices: which unit_forget_bias sets and which the initializer fills.
    forget = order.index("f")
    default_blocks = unit_forget_bias.bias_blocks_unique
    others = [block for k, block in enumerate(default_blocks) if k != forget]
    assert all(block == [0.0] for block in others)
    (constant,) = unit_forget_bias.constant_bias_blocks_unique[False][0]
    not_set = unit_forget_bias.constant_bias_blocks_unique[False]
    assert all(block == [constant] for block in not_set)
    # The tutorials' input shapes: (timesteps, features).
    look_back = declare_input.look_back
    assert declare_input.model.input_shape[1] == declare_input.swapped.input_shape[2] == look_back
    single_steps = single_timestep.inputs.shape[1]
    bias_entries = use_bias.parameters_with_bias - use_bias.parameters_without_bias
    assert bias_entries % use_bias.units == 0 and bias_entries // use_bias.units == n_gates
    return {
        "lstm_layers_word": count_word(len(readers_lstms), "layer"),
        "arrays_word": count_word(n_arrays, "array"),
        "gates_word": count_word(n_gates, "gate"),
        "blocks_per_array": count_word(n_gates, "gate block"),
        "gates_as_layers": count_word(n_gates, "layer"),
        "block_product": f"{n_gates} gates × {n_arrays} arrays = {n_gates * n_arrays} blocks",
        "dense_layers_word": count_word(n_dense, "`Dense` layer"),
        "keras_biases": count_word(keras_biases, "bias", "biases"),
        "pytorch_biases": count_word(torch_biases, "bias", "biases"),
        "bias_heading": capitalised(
            f"{count_word(keras_biases, 'bias', 'biases')}, not {count_word(torch_biases)}"),
        "activation_uses": times_word(tanh_uses),
        "lstm_layer_index": code(lstm_layer_index),
        "other_slices_word": count_word(len(others), "slice"),
        "all_slices_word": count_word(len(not_set), "slice"),
        "swapped_timesteps": count_word(declare_input.swapped.input_shape[1], "timestep"),
        "keras3_features": count_word(declare_input.model.input_shape[2], "feature"),
        "one_timestep": count_word(single_steps, "timestep"),
        "bias_entries_per_unit": f"{bias_entries // use_bias.units} fewer entries per unit",
    }


def make_facts() -> dict[str, str | int]:
    order = gate_order.proven_order
    units, input_dim = reader_model.units, reader_model.input_dim
    assert set(COLAH_ORDER) == set(order) and COLAH_ORDER != order
    keras_shapes = checked_shapes(KERAS_SHAPES, keras_layer)
    torch_shapes = checked_shapes(TORCH_SHAPES, torch_layer)
    arrays = dict(zip(KERAS_SHAPES, reader_model.model.get_layer("lstm").get_weights()))
    assert all(  # the readers' arrays have the shapes the formulas give for their sizes
        tuple(arrays[name].shape)
        == tuple(evaluate(term, {"units": units, "input_dim": input_dim}) for term in formula)
        for name, formula in KERAS_SHAPES.items()
    )
    equations = checked_equations(order)
    (state_expression,) = [e for target, e in equations if target == "h"]
    assert "tanh(" in state_expression  # the page: activation's second use is here
    source_line, source_url = keras_source_line(order)
    errors = gate_order.max_error
    wrong = {o: e for o, e in errors.items() if o != "".join(order)}
    assert len(wrong) == len(errors) - 1 and min(wrong.values()) > 1e-2  # every other misses
    stacked = {
        matrix: rf"{matrix} = \begin{{bmatrix}} " + " & ".join(f"{matrix}_{g}" for g in order)
        + r" \end{bmatrix}"
        for matrix in "WUb"
    }
    counts = {"units": units, "input_dim": input_dim}
    notations, features = shape_notation()
    set_to = unit_forget_bias.constant_bias_blocks_unique[True]
    forget = order.index("f")
    (constant,) = set_to[0]
    (forget_value,) = set_to[forget]
    assert all(block == [constant] for k, block in enumerate(set_to) if k != forget)
    added = constant + forget_value  # what "add 1 to the bias of the forget gate" would give
    assert set_to[forget] != [added]  # the page: set, not added
    roles = array_roles(order, equations)
    torch_map()  # the pairs of torch_table, checked
    # The PyTorch parameters each Keras array is computed from, and their shapes.
    torch_holders = {name: re.findall(r"\w+_l\d", expression)
                     for name, expression in KERAS_FROM_TORCH.items()}
    assert all(len({torch_shapes[holder] for holder in holders}) == 1
               for holders in torch_holders.values())
    blocks = block_shapes(order)
    return {
        **counts_in_words(order, equations),
        "readers_lstm": f"{code(f'LSTM(units={units})')} on {input_dim} features",
        "notation_features": count_word(features, "feature"),
        "array_roles": joined([f"{code(array)} {role_phrase(operand)}"
                               for array, operand in roles.items()]),
        "symbol_roles": joined([
            f"its block of {code(array)} (${ARRAY_SYMBOLS[array]}$) {role_phrase(operand, False)}"
            for array, operand in roles.items()]),
        "symbol_arrays": ", ".join(f"${symbol}$ is {code(array)}"
                                   for array, symbol in ARRAY_SYMBOLS.items()),
        "block_shape_formulas": joined([
            f"a {code(blocks[array])} block in {code(array)}" for array in blocks]),
        "stacked_arrays": stacked_arrays(),
        "bias_move": bias_move(),
        "forget_preactivation": checked_term(FORGET_PREACTIVATION, equations),
        "hidden_state_equation": f"{to_latex('h')} = {to_latex(state_expression)}",
        "colah_forget_equation": colah_equation(order, equations),
        "kernel_shape_notations": joined(
            [code(notations["kernel"]), code(notations["recurrent_kernel"])]),
        "array_shape_notations": joined(
            [f"{code(array)} is {code(notation)}" for array, notation in notations.items()]),
        "forget_slice_start": f"{forget_value:g}",
        "constant_bias": f"{constant:g}",
        "sum_if_added": f"{added:g} ({constant:g} + {forget_value:g})",
        "unit_forget_bias_docstring": unit_forget_bias.docstring_says,
        "gate_order": ", ".join(order),
        "named_gate_order": f"**{', '.join(order)}**: "
        + ", ".join(GATE_NAMES[gate] for gate in order),
        "colah_figure_order": ", ".join(COLAH_SYMBOLS[gate] for gate in COLAH_ORDER),
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
                [f"{code(name)} ${symbol}$", code(keras_shapes[name]),
                 code(shape_text(arrays[name].shape)),
                 f"{OPERAND_NAMES[roles[name]]} ${SYMBOLS[roles[name]]}$" if roles[name]
                 else "nothing: added after both products"]
                for name, symbol in ARRAY_SYMBOLS.items()
            ],
        ),
        "slice_table": slice_table(order, units),
        "equations": aligned(equations),
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
                [code(name), " + ".join(code(torch_name) for torch_name in holders),
                 f"{code(torch_shapes[holders[0]])}{' each' if len(holders) > 1 else ''}"]
                for name, holders in torch_holders.items()
            ] + [
                [code("units"), code("hidden_size"), ""],
                [code("input_dim"), code("input_size"), ""],
            ],
        ),
        "torch_gate_order": ", ".join(pytorch_gate_order.proven_order),
    }
