"""Facts on the LSTM weights page: every shape, slice, order, count and equation it shows.

Each value comes from the layers the page's snippets build and prove; a formula that the
page shows is the string evaluated here against Keras over a grid of sizes.
"""
import ast
import inspect
import io
import itertools
import re
import tokenize

import keras
import keras.src.layers.rnn.lstm as keras_lstm_source
import numpy as np
import tensorflow as tf
import tf_keras
import torch

from facts import _releases
from facts._formulas import SYMBOLS, aligned, checked_term, evaluate, to_latex
from facts._lstm import ACTIVATION, GATE_NAMES, checked_equations
from facts._spread import over_seeds
from facts._tables import code, markdown_table, shape_text
from facts._words import capitalised, count_word, ordinal_word, times_word
from snippets.lstm import (
    activation, concatenated_form, declare_input, gate_order, hard_sigmoid, keras1_weights,
    keras2_units, pytorch_gate_order, pytorch_lstm, reader_model, single_timestep, trained_weights,
    unit_forget_bias, use_bias,
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

def shape_shown(formula) -> str:
    """A shape's formula as Python shows a tuple: `(units,)`, `(input_dim, 4 * units)`."""
    return "(" + ", ".join(formula) + (",)" if len(formula) == 1 else ")")


def checked_shapes(formulas, built):
    """Evaluate each shape formula for every size in SIZES and compare with real layers."""
    shown = {array: shape_shown(formula) for array, formula in formulas.items()}
    for sizes in SIZES:
        actual, names = built(*sizes)
        for array in formulas:
            # the shape as the page shows it, read as Python, is the layer's
            assert evaluate(shown[array], names) == actual[array], (array, sizes)
    return shown


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


def vector_sizes_map() -> str:
    """How many entries each vector of the equations has, in the layer's own argument names:
    read off a Keras LSTM whose `units` and `input_dim` differ, from the input it reads and
    the states it returns, and checked against the rows of the arrays that multiply them."""
    sizes = {"units": 3, "input_dim": 5}
    layer = keras.layers.LSTM(units=sizes["units"], return_state=True)
    inputs = np.zeros((2, 4, sizes["input_dim"]), dtype="float32")
    _output, h, c = layer(inputs)
    by_length = {length: name for name, length in sizes.items()}
    assert len(by_length) == len(sizes)  # distinct sizes: each length names its argument
    named = {"x": by_length[inputs.shape[-1]], "h": by_length[h.shape[-1]],
             "c": by_length[c.shape[-1]]}
    # x is what `kernel` multiplies, h what `recurrent_kernel` multiplies: their rows.
    assert named["x"] == KERAS_SHAPES["kernel"][0]
    assert named["h"] == named["c"] == KERAS_SHAPES["recurrent_kernel"][0]
    grouped = {}
    for symbol, name in named.items():
        grouped.setdefault(name, []).append(f"${SYMBOLS[symbol]}$")
    return ", ".join(f"{joined(symbols)} {'has' if len(symbols) == 1 else 'have'} "
                     f"{code(name)} entries" for name, symbols in grouped.items())


def parameter_symbols_map(formula: str) -> str:
    """The letter the parameter count's LaTeX writes for each argument of the layer it
    names, in the order the formula first uses them: the formula is evaluated against
    `count_params()` (keras_layer), and its LaTeX spells each name with these letters."""
    names = list(dict.fromkeys(
        token.string for token in tokenize.generate_tokens(io.StringIO(formula).readline)
        if token.type == tokenize.NAME))
    assert names and set(names) <= set(keras_layer(1, 2)[1])  # the layer's own arguments
    latex = to_latex(formula, product=r"\cdot")
    assert all(re.search(rf"(?<![A-Za-z\\]){re.escape(SYMBOLS[name])}(?![A-Za-z])", latex)
               for name in names)
    assert len({SYMBOLS[name] for name in names}) == len(names)  # no letter stands for two
    return joined([f"${SYMBOLS[name]}$ = {code(name)}" for name in names])


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


def torch_bias_sum_formula() -> str:
    """The PyTorch biases whose sum acts where Keras' `bias` does, as a sum of their names:
    KERAS_FROM_TORCH's `bias`, which torch_map() loads into a Keras LSTM that then returns
    what nn.LSTM does. Each name is a parameter of the one-layer module the proof builds,
    in its state_dict, a vector of a row per gate and unit, and carries the first layer's
    index (the module has no other layer)."""
    torch_lstm = pytorch_gate_order.sequence_lstm
    state = torch_lstm.state_dict()
    terms = KERAS_FROM_TORCH["bias"].split(" + ")
    biases = [name for name, _ in torch_lstm.named_parameters() if name.startswith("bias")]
    assert terms == biases and len(terms) == 2  # both biases, in the module's own order
    assert torch_lstm.num_layers == 1 and not any("_l1" in name for name in state)
    for name in terms:
        assert name in state and tuple(state[name].shape) == (4 * torch_lstm.hidden_size,)
        (layer,) = re.findall(r"_l(\d+)$", name)
        assert int(layer) == 0  # the first layer's, counted from 0: the only one
    return torch_map()["bias"]


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
            expected = evaluate(shape_shown(blocks[weight.name]), sizes)  # read as shown
            for block in np.split(keras.ops.convert_to_numpy(weight), len(order), axis=-1):
                assert block.shape == expected, (weight.name, units, input_dim)
    return {name: shape_shown(formula) for name, formula in blocks.items()}


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
    def sigmoid(z):  # Keras' own: both sides below use the function the layer uses
        return np.asarray(keras.activations.sigmoid(np.asarray(z, dtype="float32")))
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
    body = "".join(parts)
    # Each bracket closes with its own kind: concat's [ ] and a call's ( ) never cross.
    opened = []
    for character in body:
        if character in "([":
            opened.append(character)
        elif character in ")]":
            assert opened.pop() + character in ("()", "[]"), body
    assert not opened, body
    # Read back as Python, the LaTeX is the expression evaluated above: brackets and all.
    back = body.replace(r" \cdot ", " @ ").replace("[", "concat(").replace("]", ")")
    for name, latex in sorted(COLAH_LATEX.items(), key=lambda item: -len(item[1])):
        back = back.replace(latex, name)
    assert ast.dump(ast.parse(back)) == ast.dump(ast.parse(expression)), (body, expression)
    return f"{COLAH_LATEX[target]} = " + body


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
    assert len(COLAH_ORDER) == n_gates  # colah's yellow layers are the blocks
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


# hard_sigmoid as each library computes it, written once: evaluated below against tf_keras
# (and the Keras 2 release's own code) and against Keras 3, then shown as LaTeX.
HARD_SIGMOID = {"keras2": "clip(0.2 * x + 0.5, 0, 1)", "keras3": "clip(x / 6 + 0.5, 0, 1)"}
HARD_SIGMOID_LATEX = {"clip": r"\operatorname{clip}", "x": "x", "*": r"\,", "/": "/",
                      "+": " + ", ",": r",\ ", "(": "(", ")": ")"}


def hard_sigmoid_latex(expression: str) -> str:
    parts = []
    for token in tokenize.generate_tokens(io.StringIO(expression).readline):
        if token.type == tokenize.NUMBER:
            parts.append(token.string)
        elif token.string in HARD_SIGMOID_LATEX:
            parts.append(HARD_SIGMOID_LATEX[token.string])
        elif token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            raise KeyError(f"{token.string!r} in {expression!r} has no LaTeX")
    return "".join(parts)


def hard_sigmoids():
    """Each definition of hard_sigmoid, evaluated against the library that has it: Keras 2's
    against tf_keras and the code of the Keras 2 release whose layers used it by default,
    Keras 3's against keras; and the recurrent_activation defaults around the change."""
    x = np.linspace(-4, 4, 161).astype("float32")
    names = {"clip": np.clip, "x": x}
    keras2 = evaluate(HARD_SIGMOID["keras2"], names)
    keras3 = evaluate(HARD_SIGMOID["keras3"], names)
    np.testing.assert_allclose(tf_keras.activations.hard_sigmoid(tf.constant(x)), keras2, atol=1e-6)
    released = _releases.keras2_hard_sigmoid()
    np.testing.assert_allclose(released.value(x), keras2, atol=1e-6)
    np.testing.assert_allclose(keras.activations.hard_sigmoid(x), keras3, atol=1e-6)
    assert np.abs(keras2 - keras3).max() > 0.05  # the same name, two functions
    assert abs(hard_sigmoid.largest_difference - np.abs(keras2 - keras3).max()) < 1e-6
    change = _releases.keras2_recurrent_activation_change()
    old_default = _releases.keras2_recurrent_activation_default()
    tf1_default = _releases.tf1_recurrent_activation_default()
    assert old_default.value == tf1_default.value == change.before.value == "hard_sigmoid"
    # The argument whose default changed: the one that defaults to the new value today.
    (argument,) = [name for name, parameter in inspect.signature(keras.layers.LSTM).parameters.items()
                   if parameter.default == change.value]
    today = {library: inspect.signature(module.layers.LSTM).parameters[argument].default
             for library, module in (("tf_keras", tf_keras), ("keras", keras))}
    assert set(today.values()) == {change.value}
    assert hard_sigmoid.ported["by hand"] < 1e-6 < hard_sigmoid.ported["by name"]
    old_argument = f'{argument}="{old_default.value}"'
    new_value = '"' + change.value + '"'
    # One statement, so that the two definitions cannot trade places.
    return {
        "hard_sigmoid_definitions": (
            f"Keras 2 computes ${hard_sigmoid_latex(HARD_SIGMOID['keras2'])}$ (in `tf_keras` as "
            f"in {released.release}'s `{released.where}`), Keras 3 "
            f"${hard_sigmoid_latex(HARD_SIGMOID['keras3'])}$"),
        "hard_sigmoid_old_default": (
            f"{code(old_argument)} was the default of "
            f"multi-backend Keras 2 up to {old_default.release} and of the TF1 API's LSTM and GRU "
            f"({tf1_default.release}, run here); {change.release} made it "
            f"{code(new_value)}, the default of `tf_keras` and Keras 3"),
        "hard_sigmoid_heading": f"{code(old_default.value)}, the old default {code(argument)}",
    }


def keras1_facts(order):
    """Keras 1's argument name and storage order, read from its release, and the storage
    order as tf_keras' legacy HDF5 loader converts it, run here (keras1_weights)."""
    units_argument = _releases.keras1_units_argument()
    converted = _releases.keras2_legacy_units_argument()
    stored = _releases.keras1_lstm_weight_order()
    loader_order = tuple(order[keras1_weights.came_from.index(k)] for k in range(len(order)))
    assert loader_order == stored.value == tuple(keras1_weights.keras1_order)
    assert stored.value != order
    return {
        "keras1_units_argument": (
            f"Keras 1 called it {code(units_argument.value)} (read in {units_argument.release}'s "
            f"`{units_argument.where}`), and multi-backend Keras 2 still converted "
            f"{code(converted.value + '=')} to {code('units=')} ({converted.release}'s "
            f"`{converted.where}`)"),
        "keras1_weight_order": str(stored),
        "keras1_stored_order": (f"in the gate order **{stored}** (read in {stored.release}'s "
                                f"`{stored.where}`)"),
    }


def wrong_order_errors(seed):
    """The gate-order proof on random weights and inputs from `seed`: the smallest
    difference from Keras among the wrong orders."""
    rng = np.random.default_rng(seed)
    units, input_dim = gate_order.units, gate_order.input_dim
    layer = keras.layers.LSTM(units=units, return_sequences=True, return_state=True)
    layer.build((None, None, input_dim))
    layer.set_weights([rng.normal(size=(input_dim, 4 * units)),
                       rng.normal(size=(units, 4 * units)), rng.normal(size=(4 * units,))])
    inputs = rng.normal(size=(gate_order.batch, gate_order.timesteps, input_dim)).astype("float32")
    all_h, _, last_c = (np.asarray(array) for array in layer(inputs))
    errors = {}
    for candidate in map("".join, itertools.permutations(gate_order.proven_order)):
        numpy_all_h, _, numpy_last_c = gate_order.lstm_numpy(inputs, *layer.get_weights(), candidate)
        errors[candidate] = max(np.abs(numpy_all_h - all_h).max(), np.abs(numpy_last_c - last_c).max())
    proven = "".join(gate_order.proven_order)
    assert errors[proven] < 1e-5
    return min(error for candidate, error in errors.items() if candidate != proven)


def slice_end(units):
    """A slice of the tables and figures, `kernel[:, start:stop]`, read as Python does: the
    stop is the next block's first column."""
    columns = np.arange(4 * units)
    first = columns[0:units]
    assert first[-1] == units - 1 and columns[units:2 * units][0] == units
    return (f"{code(f'kernel[:, 0:{units}]')} is columns 0 to {first[-1]}; a slice stops "
            f"before its end, column {units}, which is the next block's first")


def colah_layers(order):
    """colah's four yellow layers, named from the equations checked against Keras: the
    blocks that go through a sigmoid are gates, the one through tanh the cell candidate."""
    gates = [gate for gate in order if ACTIVATION[gate] == "sigmoid"]
    candidates = [gate for gate in order if ACTIVATION[gate] == "tanh"]
    assert len(gates) + len(candidates) == len(order) and len(candidates) == 1
    symbols = ", ".join(GATE_SYMBOLS[gate] for gate in gates)
    return (f"{count_word(len(gates), 'gate')} ({symbols}, each a sigmoid) and "
            f"the {GATE_NAMES[candidates[0]]} {GATE_SYMBOLS[candidates[0]]} (a tanh layer)")


def initial_state_value():
    """The value of every entry of the initial states (h and c) the single-timestep
    snippet's LSTM starts from when it is given none: one value, asserted zero."""
    lstm = single_timestep.lstm
    states = [keras.ops.convert_to_numpy(state)
              for state in lstm.get_initial_state(single_timestep.batch)]
    assert [state.shape for state in states] == [(single_timestep.batch, lstm.units)] * 2
    (value,) = set(np.concatenate([state.ravel() for state in states]).tolist())
    assert value == 0  # the page: a zero initial state, by default
    return value


def stateful_batch_index():
    """The 0-based index of the first batch on which a stateful LSTM's recurrent_kernel
    gets a gradient from the single-timestep snippet's inputs: each call of a fresh
    stateful layer, measured by the snippet's own recurrent_kernel_gradient; before that
    batch the gradient is exactly zero, and from it on it is not."""
    layer = keras.layers.LSTM(single_timestep.units, stateful=True)
    gradients = [single_timestep.recurrent_kernel_gradient(layer) for _batch in range(3)]
    index = next(k for k, gradient in enumerate(gradients) if gradient != 0)
    assert all(gradient == 0 for gradient in gradients[:index])
    assert all(gradient > 1e-3 for gradient in gradients[index:])
    return index


def default_activations(equations):
    """{function: argument}: which argument of keras.layers.LSTM defaults to the sigmoid and
    which to tanh, read from its signature and from a layer built with the defaults; the
    equations checked against Keras use both functions."""
    parameters = inspect.signature(keras.layers.LSTM).parameters
    defaults = {parameter.default: name for name, parameter in parameters.items()
                if name.endswith("activation")}
    assert set(defaults) == {"sigmoid", "tanh"}
    layer = keras.layers.LSTM(2)
    for function, argument in defaults.items():
        assert getattr(layer.cell, argument) is keras.activations.get(function)
        assert any(f"{function}(" in expression for _, expression in equations)
    return defaults


def symbol_meanings(equations):
    """What each symbol of the equations is: the array of each matrix symbol, and the
    default activation argument behind sigma (the sigmoid) and tanh."""
    defaults = default_activations(equations)
    arrays = ", ".join(f"${symbol}$ is {code(array)}" for array, symbol in ARRAY_SYMBOLS.items())
    return (f"{arrays}; $\\sigma$ is the sigmoid (the layer's default {code(defaults['sigmoid'])}) "
            f"and $\\tanh$ its default {code(defaults['tanh'])}")


def legacy_keras_package():
    """The legacy Keras 2 package keras2_units.py runs: Keras 2 by its version, its LSTM
    refuses `unit` with the message Keras 3 gives, and builds the tutorial's layer."""
    assert tf_keras.__version__.split(".")[0] == "2"
    assert keras2_units.unit_error == keras2_units.keras3_unit_error
    assert type(keras2_units.model.layers[0]) is tf_keras.layers.LSTM
    return code(tf_keras.__name__)


# The single-timestep section's conditions, as arguments: of the layer's call, or of the
# layer itself (snippets/lstm/single_timestep.py's conditions section names each case so).
CALL_CONDITIONS = ("initial_state",)
LAYER_CONDITIONS = ({"stateful": True}, {"recurrent_regularizer": "l2"})


def gradient_paths(stateful_batch):
    """How each condition of single_timestep.py moves recurrent_kernel at one timestep, run
    on its inputs: through the output (the state before the step, h_{t-1}, is nonzero) or
    through a loss of its own while the output's gradient stays exactly zero."""
    s = single_timestep
    ones = np.ones((s.batch, s.units), dtype="float32")
    call_arguments = inspect.signature(keras.layers.LSTM.call).parameters
    layer_arguments = inspect.signature(keras.layers.LSTM).parameters

    def split_gradient(layer, state, **call):
        """The largest |gradient| of recurrent_kernel from the output, and from the layer's
        own losses; and whether the state the step starts from is nonzero."""
        with tf.GradientTape(persistent=True) as tape:
            outputs = layer(s.inputs, **call)
            output_loss = keras.ops.sum(outputs**2)
            own_loss = sum(layer.losses) if layer.losses else None
        kernel = layer.cell.recurrent_kernel
        output_gradient = float(np.abs(tape.gradient(output_loss, kernel)).max())
        own_gradient = 0.0 if own_loss is None else float(np.abs(tape.gradient(own_loss, kernel)).max())
        return output_gradient, own_gradient, bool(np.any(state))

    cases = {}
    for argument in CALL_CONDITIONS:
        assert argument in call_arguments
        state = [ones, ones]
        cases[argument] = split_gradient(keras.layers.LSTM(s.units), state, **{argument: state})
    for options in LAYER_CONDITIONS:
        ((argument, value),) = options.items()
        assert argument in layer_arguments
        layer = keras.layers.LSTM(s.units, **options)
        for _batch in range(stateful_batch):  # the batches before the one that moves it
            layer(s.inputs)
        state = [np.asarray(state) for state in layer.states] if layer.stateful else 0
        case = f"{argument}={value!r}" if isinstance(value, bool) else argument
        cases[case] = split_gradient(layer, state)
    assert set(cases) == set(s.gradient) - {"defaults"}  # the snippet's cases
    through_state = [case for case, (output, own, state) in cases.items()
                     if output > 1e-3 and state]
    (own_gradient_argument,) = [case for case, (output, own, state) in cases.items()
                                if output == 0 and own > 1e-3 and not state]
    assert len(through_state) + 1 == len(cases)
    said = {"initial_state": f"a nonzero {code('initial_state')}",
            "stateful=True": f"{code('stateful=True')} from its {ordinal_word(stateful_batch)} batch on"}
    nonzero_state_conditions = capitalised(" and ".join(said[case] for case in through_state))
    return {
        "nonzero_state_conditions": nonzero_state_conditions,
        "adds_gradient_argument": code(own_gradient_argument),
    }


def weight_decay_steps():
    """One step of each optimizer of single_timestep.py's weight_decay section on
    recurrent_kernel's zero gradient: the one with weight decay moves it, the one without
    leaves it bit for bit."""
    s = single_timestep
    assert not np.any(s.recurrent_gradient)
    optimizers = [keras.optimizers.Adam(), keras.optimizers.AdamW(weight_decay=0.1)]
    kept = {type(optimizer).__name__: (np.array_equal(s.after_one_step(optimizer), s.recurrent_kernel),
                                       optimizer.weight_decay)
            for optimizer in optimizers}
    (moving,) = [name for name, (same, decay) in kept.items() if not same and decay]
    (keeping,) = [name for name, (same, decay) in kept.items() if same and not decay]
    return (f"a step of {code(moving)} moves {code('recurrent_kernel')}, where a step of "
            f"{code(keeping)} leaves it bit for bit")


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
    # The readers' layer, as every section shows it: the model's LSTM, its activation in the
    # activation section's copy, and the figure draws from the same layer object.
    readers = reader_model.model.get_layer("lstm")
    readers_config = readers.get_config()
    assert activation.readers_activations == {
        key: readers_config[key] for key in activation.readers_activations}
    assert trained_weights.model.get_layer("lstm").get_config()["activation"] == readers_config["activation"]
    readers_activation = f'activation="{readers_config["activation"]}"'
    # named for its fact, so that it and readers_activation swapped in the dict show
    readers_lstm = f"{code(f'LSTM(units={units}, {readers_activation})')} on {input_dim} features"
    wrong_spread = over_seeds(wrong_order_errors, range(5), "{:.2f}")
    assert wrong_spread.low > 1e-2 and min(wrong.values()) in wrong_spread.values
    # One timestep: the zero gradient holds with the defaults, and each condition moves it.
    moved = {case: value for case, value in single_timestep.gradient.items() if case != "defaults"}
    assert single_timestep.gradient["defaults"] == 0 and min(moved.values()) > 1e-3
    gate_order_text = ", ".join(order)
    n_orders = len(errors)
    # The single-timestep section: the default initial state, the gradient it leaves
    # recurrent_kernel, and the batch from which a stateful layer's state moves it.
    recurrent_gradient = single_timestep.recurrent_gradient_max_abs
    assert recurrent_gradient == 0  # the page: its gradient is exactly zero
    stateful_batch = stateful_batch_index()
    initial_state_word = count_word(initial_state_value())
    one_timestep = count_word(single_timestep.inputs.shape[1], "timestep")
    single_timestep_heading = (f"With {one_timestep} from a {initial_state_word} state, "
                               "recurrent_kernel stays put")
    named_gate_order = f"**{', '.join(order)}**: " + ", ".join(GATE_NAMES[gate] for gate in order)
    return {
        "initial_state_word": initial_state_word,
        "single_timestep_heading": single_timestep_heading,
        "recurrent_gradient_word": count_word(recurrent_gradient),
        **gradient_paths(stateful_batch),
        "weight_decay_steps": weight_decay_steps(),
        "legacy_keras_package": legacy_keras_package(),
        **hard_sigmoids(),
        **keras1_facts(order),
        "colah_layers": colah_layers(order),
        "slice_end": slice_end(units),
        "readers_activation": code(readers_activation),
        **counts_in_words(order, equations),
        "readers_lstm": readers_lstm,
        "notation_features": count_word(features, "feature"),
        "array_roles": joined([f"{code(array)} {role_phrase(operand)}"
                               for array, operand in roles.items()]),
        "symbol_roles": joined([
            f"its block of {code(array)} (${ARRAY_SYMBOLS[array]}$) {role_phrase(operand, False)}"
            for array, operand in roles.items()]),
        "symbol_meanings": symbol_meanings(equations),
        "block_shape_formulas": joined([
            f"a {code(blocks[array])} block in {code(array)}" for array in blocks]),
        "stacked_arrays": stacked_arrays(),
        "bias_move": bias_move(),
        "torch_bias_sum_formula": torch_bias_sum_formula(),
        "forget_preactivation": checked_term(FORGET_PREACTIVATION, equations, whole=True),
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
        "gate_order": gate_order_text,
        "named_gate_order": named_gate_order,
        "colah_figure_order": ", ".join(COLAH_SYMBOLS[gate] for gate in COLAH_ORDER),
        "n_orders": n_orders,
        "n_wrong_orders": len(wrong),
        "proven_order_error": f"{errors[''.join(order)]:.1e}",
        "smallest_wrong_error": str(wrong_spread),
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
        "parameter_symbols_map": parameter_symbols_map(PARAMETER_COUNT),
        "vector_sizes_map": vector_sizes_map(),
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
